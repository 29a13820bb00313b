"""The chalkgrad command and its expression language: exit codes, output, refusals."""

import re
import sys
import types

import pytest

from autograd import OPS
from viz.cli import command as cli
from viz.expression import ExpressionError, build, parse_settings

EXAMPLE = "z = w*x + b; L = (y - exp(z))**2 / 2"
SETTINGS = ["--set", "w=2", "x=-1", "b=0.5", "y=1"]


def run(capsys, *argv):
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_draw_prints_every_node_and_writes_svg(capsys, tmp_path):
    out_file = tmp_path / "graph.svg"
    status, out, err = run(capsys, "draw", EXAMPLE, *SETTINGS, "-o", str(out_file))
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["node", "op", "data", "grad"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:-1]}
    # by hand: dL/dw = -(y - e^z) e^z x = 0.1733, dL/dx = -0.3467, dL/db = -0.1733
    assert rows["w"] == ["leaf", "2", "0.1733"]
    assert rows["x"] == ["leaf", "-1", "-0.3467"]
    assert rows["z"] == ["+", "-1.5", "-0.1733"]
    assert rows["L"] == ["/", "0.3018", "1"]
    assert len(rows) == 11
    assert lines[-1] == f"wrote {out_file}"
    svg = out_file.read_text()
    assert "<svg" in svg and "grad 0.1733" in svg


def test_draw_png_and_precision(capsys, tmp_path):
    status, out, _ = run(
        capsys,
        "draw",
        "y = relu(x) * 3",
        "--set",
        "x=0.5",
        "-o",
        str(tmp_path / "g.png"),
        "--precision",
        "1",
    )
    assert status == 0
    assert re.search(r"x\s+leaf\s+0\.5\s+3\n", out)
    assert re.search(r"relu#1\s+ReLU\s+0\.5\s+3\n", out)
    assert re.search(r"\n3\s+const\s+3\s+0\.5", out)  # a number literal is a constant
    assert (tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"


def test_steps_prints_table_and_writes_html(capsys, tmp_path):
    page = tmp_path / "steps.html"
    status, out, err = run(
        capsys, "steps", "L = (w*x - 1)**2", "--set", "w=2", "x=3", "--html", str(page)
    )
    assert status == 0, err
    assert out.startswith("backward from L (seed ∂L/∂L = 1), 5 steps")
    # dL/dw = 2 (wx - 1) x = 2 * 5 * 3 = 30, dL/dx = 2 * 5 * 2 = 20
    assert re.search(r"mul#2 → w\s+10\s+x\s+3\s+30\s+30\s+final", out)
    assert "∂L/∂x = ∂L/∂mul#2 · ∂(w * x)/∂x = 10 · 2 = 20" in out
    assert page.exists() and "page-data" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "expression, message",
    [
        ("z = w*x +", "line 1, column 10: syntax error"),
        ("z = w*x + q", "line 1, column 11: unset variable 'q'"),
        ("z = foo(w)", "line 1, column 5: unknown function 'foo'"),
        ("z = w\nL = z + bar(x)", "line 2, column 9: unknown function 'bar'"),
        ("__import__('os').system('echo hi')", "column 1: only calls of the allowed functions"),
        ("__import__('os')", "line 1, column 1: unknown function '__import__'"),
        ("w.__class__", "line 1, column 1: attribute access (.) is not allowed"),
        ("z = w[0]", "line 1, column 5: subscripts ([...]) are not allowed"),
        ("f = lambda: w", "line 1, column 5: lambda is not allowed"),
        ("import os", "line 1, column 1: import is not allowed"),
        ("z = 'w' * 3", "line 1, column 5: strings are not allowed"),
        ("z = w // 2", "line 1, column 5: operator FloorDiv is not allowed"),
        ("z = exp", "line 1, column 5: 'exp' is a function"),
        ("a = b + w; b = w", "line 1, column 5: name 'b' is used before it is assigned"),
        ("w = 3", "line 1, column 1: cannot assign to 'w': it is an input given with --set"),
        ("z = w; z = 2", "line 1, column 8: 'z' is already defined"),
        ("z = max(w)", "line 1, column 5: max() needs at least 2 arguments"),
        ("z = (lambda: 0)()", "line 1, column 5: only calls of the allowed functions"),
        ("z = [w for w in w]", "line 1, column 5: ListComp is not allowed"),
        ("while w: pass", "line 1, column 1: While is not allowed"),
    ],
)
def test_bad_expressions_get_one_line_errors_with_position(capsys, expression, message):
    status, out, err = run(capsys, "draw", expression, "--set", "w=1")
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("chalkgrad draw: error: ")
    assert message in err


def test_bad_settings(capsys):
    status, _, err = run(capsys, "draw", "z = w*2", "--set", "w=two")
    assert status == 2 and "--set 'w=two': 'two' is not a number" in err
    status, _, err = run(capsys, "steps", "z = w*2", "--set", "w=1", "v=2")
    assert status == 2 and "--set v: the expression has no input variable 'v'" in err
    status, _, err = run(capsys, "draw", "z = w*2", "--set", "w")
    assert status == 2 and "expected NAME=NUMBER" in err


def test_bad_output_suffix_and_usage_errors(capsys, tmp_path):
    status, out, err = run(capsys, "draw", "z = w*2", "--set", "w=1", "-o", str(tmp_path / "g.txt"))
    assert status == 2 and "suffix must be one of" in err and out == ""  # refused before work
    status, _, err = run(
        capsys, "draw", "z = w*2", "--set", "w=1", "-o", str(tmp_path / "missing" / "g.svg")
    )
    assert status == 2 and "does not exist" in err
    status, _, err = run(capsys, "draw", "z = w*2", "--set", "w=1", "--max-nodes", "0")
    assert status == 2 and "--max-nodes must be at least 1, got 0" in err
    status, _, err = run(capsys, "draw", "L = w*x; M = w+x", "--set", "w=2", "x=3")
    assert status == 2
    assert "line 1, column 1: 'L' is assigned but the output 'M' does not use it" in err
    status, _, err = run(capsys, "draw")
    assert status == 2 and "EXPR" in err
    status, out, _ = run(capsys)
    assert status == 2 and "usage: chalkgrad" in out
    status, _, err = run(capsys, "draw", "z = w*2", "--set", "w=1", "--symbolic", "q")
    assert status == 2 and "--symbolic q: not an input" in err


def test_expression_functions_build_registry_ops():
    p = build(
        "h = leaky_relu(a, 0.1) + elu(b, alpha=2) + max(a, b, 1) + softplus(a); L = h",
        {"a": -1.0, "b": 2.0},
    )
    ops = {OPS[name].symbol for name in ("max", "softplus")}
    order_symbols = set()
    stack = [p.root]
    while stack:
        v = stack.pop()
        order_symbols.add(v.primitive.symbol)
        stack.extend(v.parents)
    assert {"LeakyReLU(0.1)", "ELU(2)"} | ops <= order_symbols
    # -0.1 + 2 + 2 + log(1 + e^-1) = 4.2132617
    assert p.root.data == pytest.approx(4.2132617, abs=1e-6)
    assert p.root.label == "h" and p.names["L"] is p.root


def test_numbers_fold_safely_and_keep_integer_exponents():
    p = build("y = x ** -1 + 9 ** 9 ** 9", {"x": 2.0})
    assert p.root.data == float("inf")
    assert parse_settings(["a=1e3"]) == {"a": 1000.0}
    with pytest.raises(ExpressionError, match="the expression is empty"):
        build("  ", {})


def test_demo_with_no_demos_says_so(capsys, monkeypatch, tmp_path):
    package = types.ModuleType("empty_demos_pkg")
    package.__path__ = [str(tmp_path)]
    monkeypatch.setitem(sys.modules, "empty_demos_pkg", package)
    monkeypatch.setattr("viz.cli.demo.DEMO_PACKAGE", "empty_demos_pkg")
    status, out, _ = run(capsys, "demo")
    assert status == 0 and "no demos found" in out
    status, _, err = run(capsys, "demo", "nope")
    assert status == 2 and "unknown demo 'nope' (available: none yet)" in err


def test_demo_lists_and_runs_a_fake_demo(capsys, monkeypatch, tmp_path):
    pkg = tmp_path / "fake_demos_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "funky_conv1d.py").write_text(
        "TITLE = 'P2: a fake funky conv'\n"
        "def main(argv=None):\n"
        "    import sys\n"
        "    print('ran with', argv)\n"
        "    return 0\n"
    )
    (pkg / "broken_one.py").write_text("TITLE = 'fails'\ndef main(argv=None):\n    1 / 0\n")
    (pkg / "helpers.py").write_text("X = 1\n")  # no TITLE: not a demo
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("viz.cli.demo.DEMO_PACKAGE", "fake_demos_pkg")
    status, out, _ = run(capsys, "demo")
    assert status == 0
    assert "funky-conv1d  P2: a fake funky conv" in out and "broken-one" in out
    assert "helpers" not in out
    status, out, _ = run(capsys, "demo", "funky-conv1d", "--out", str(tmp_path / "o"))
    assert status == 0 and out.strip() == f"ran with ['--out', '{tmp_path / 'o'}']"
    status, out, _ = run(capsys, "demo", "funky-conv1d")
    assert out.strip() == "ran with []"
    status, _, err = run(capsys, "demo", "broken-one")
    assert status == 1 and "ZeroDivisionError" in err and "demo 'broken-one' failed" in err


def test_console_script_entry_point_runs():
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "viz.cli", "draw", "y = x * x", "--set", "x=3"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and "x     leaf     3     6" in done.stdout


@pytest.mark.parametrize("command", ["draw", "steps"])
def test_symbolic_without_sympy_is_one_line(capsys, monkeypatch, command):
    monkeypatch.setitem(sys.modules, "sympy", None)  # import sympy now raises ImportError
    status, out, err = run(capsys, command, "y = w*x", "--set", "w=2", "x=3", "--symbolic", "w,x")
    assert status == 2
    assert err == (
        f"chalkgrad {command}: error: --symbolic: symbolic mode needs sympy: "
        'pip install "chalkgrad[symbolic]"\n'
    )
    assert "Traceback" not in err and out == ""


# ------------------------------------------------------------------ reliability (issue 10)
def test_an_expression_starting_with_minus_is_not_an_option(capsys):
    status, out, err = run(capsys, "draw", "-x*w", "--set", "x=1", "w=2")
    assert status == 0, err
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[1:]}
    # L = -x*w: dL/dx = -w = -2, dL/dw = -x = -1
    assert rows["x"] == ["leaf", "1", "-2"]
    assert rows["w"] == ["leaf", "2", "-1"]
    status, out, err = run(capsys, "steps", "-x", "--set", "x=4")
    assert status == 0, err
    assert "∂neg#1/∂x = ∂(-x)/∂x = 1 · (-1) = -1" in out


def test_unknown_long_options_are_still_refused(capsys):
    status, out, err = run(capsys, "draw", "x", "--set", "x=1", "--verbose")
    assert status == 2
    assert "unrecognized arguments: --verbose" in err


def test_a_program_of_only_comments_is_one_line(capsys):
    status, out, err = run(capsys, "draw", "# comment")
    assert status == 2
    assert err == (
        "chalkgrad draw: error: the expression has only comments: write one such as "
        '"L = (w*x - 1)**2"\n'
    )


def test_fullwidth_names_are_the_same_on_both_sides(capsys):
    status, out, err = run(capsys, "draw", "ｘ*3", "--set", "ｘ=2")
    assert status == 0, err
    assert out.splitlines()[1].split() == ["x", "leaf", "2", "3"]
    assert parse_settings(["ｗ=1"]) == {"w": 1.0}


@pytest.mark.parametrize("digits, where", [(400, "line 2, column 9"), (5000, "line 2, column 9")])
def test_a_huge_integer_literal_is_reported_where_it_is(capsys, digits, where):
    status, out, err = run(capsys, "draw", "y = 2*x\nz = y + 1" + "0" * digits, "--set", "x=1")
    assert status == 2
    assert err == (
        f"chalkgrad draw: error: {where}: number 10000000000000000000... "
        f"({digits + 1} digits) is too large: numbers are floats, at most about "
        "1.8e308\n"
    )


def test_demo_without_out_says_where_the_pictures_go(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "demo", "momentum")
    assert status == 0, err
    assert out.splitlines()[3] == "(no --out given: pictures go to ./chalkgrad-out/)"
    assert (tmp_path / "chalkgrad-out" / "momentum.svg").exists()
    status, out, err = run(capsys, "demo", "momentum", "--out", str(tmp_path / "o"))
    assert "no --out given" not in out


def test_backslashes_in_labels_draw_as_typed(tmp_path):
    import re as regex

    from autograd import Value
    from viz import draw
    from viz.output import to_svg

    x = Value(2.0, label="C:\\Users\\Nina")
    y = x * Value(1.0, label="a\\Gb\\Ec\\Nd\\\\e")
    texts = regex.findall(r"<text[^>]*>([^<]*)</text>", to_svg(draw(y)))
    assert "C:\\Users\\Nina" in texts
    assert "a\\Gb\\Ec\\Nd\\\\e" in texts
