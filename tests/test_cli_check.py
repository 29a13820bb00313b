"""``chalkgrad check``: answer keys that check themselves (exit 0 right, 1 wrong, 2 usage)."""

import subprocess
import sys

import pytest

from viz.cli.command import main

pytest.importorskip("sympy", reason="closed-form claims are checked with sympy")

EXPR = "L = (w*x - 1)**2"


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_right_closed_forms_exit_0(capsys):
    status, out, err = run(
        capsys,
        "check",
        EXPR,
        "--grad",
        "w=2*x*(w*x - 1)",
        "x=2 w (w x - 1)",
        "--value",
        "(w x - 1)^2",
    )
    assert status == 0, err
    assert out.splitlines() == [
        "right  dL/dw = 2*x*(w*x - 1)  (symbolically)",
        "right  dL/dx = 2 w (w x - 1)  (symbolically)",
        "right  L = (w x - 1)^2  (symbolically)",
    ]


def test_a_wrong_closed_form_exits_1_with_a_counterexample_at_the_set_point(capsys):
    status, out, _ = run(
        capsys, "check", EXPR, "--grad", "w=2*x*(w*x - 1)", "x=2*w*(w*x + 1)", "--set", "w=2", "x=3"
    )
    assert status == 1
    lines = out.splitlines()
    assert lines[0].startswith("right  dL/dw")
    assert lines[1] == "WRONG  dL/dx = 2*w*(w*x + 1)  (differs)"
    # by hand at w = 2, x = 3: dL/dx = 2 w (w x - 1) = 20, the claim 2 w (w x + 1) = 28
    assert lines[2] == (
        "       counterexample: at w = 2, x = 3: the engine gives 20, the claim gives 28"
    )


def test_a_wrong_closed_form_without_a_point_gets_a_random_counterexample(capsys):
    status, out, _ = run(capsys, "check", "L = relu(w*x - 1)", "--grad", "w=x")
    assert status == 1
    point = out.split("counterexample: at ")[1].split(":")[0]
    values = dict(part.split(" = ") for part in point.split(", "))
    w, x = float(values["w"]), float(values["x"])  # printed numbers copy back with float()
    engine = float(out.split("the engine gives ")[1].split(",")[0])
    claimed = float(out.split("the claim gives ")[1])
    assert engine == pytest.approx(x if w * x > 1 else 0.0, abs=1e-5)
    assert claimed == pytest.approx(x, abs=1e-5) and engine != pytest.approx(claimed)


def test_number_claims_are_checked_to_the_figures_written(capsys):
    # the README example: dL/dw = 0.1733, dL/dx = -0.3467 (U+2212 accepted), L = 0.3018
    expr = "z = w*x + b; L = (y - exp(z))**2 / 2"
    point = ["--set", "w=2", "x=-1", "b=0.5", "y=1"]
    status, out, _ = run(
        capsys,
        "check",
        expr,
        "--grad",
        "w=0.1733",
        "x=\u22120.3467",
        "--value",
        "0.3018",
        "z=-1.5",
        *point,
    )
    assert status == 0, out
    status, out, _ = run(capsys, "check", expr, "--grad", "w=0.1734", *point)
    assert status == 1
    assert "the engine gives 0.173343, the claim gives 0.1734" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["--grad", "w=x Heaviside(w*x - 1)"],
            "unknown function Heaviside(...); the accepted functions are Max, Min, abs, exp",
        ),
        (["--grad", "w=2*q"], "unknown symbol 'q' (the graph's symbols: w, x)"),
        (["--grad", "q=1", "--set", "w=1", "x=1"], "--grad q: no node named 'q' (names: L, w, x)"),
        (
            ["--grad", "w=30"],
            "the number claims need every input set: missing --set w=NUMBER x=NUMBER",
        ),
        (["--grad", "w"], "--grad 'w': expected NAME=CLAIM"),
        ([], "nothing to check"),
        (["--grad", "w=1", "--set", "w=1", "x=1", "y=2"], "--set y: the expression has no input"),
    ],
)
def test_usage_errors_exit_2_with_one_line(capsys, argv, message):
    status, out, err = run(capsys, "check", EXPR, *argv)
    assert status == 2 and out == ""
    assert err.startswith("chalkgrad check: error: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_exit_codes_from_the_installed_command():
    command = [sys.executable, "-m", "viz.cli", "check", EXPR]
    right = subprocess.run([*command, "--grad", "w=2*x*(w*x-1)"], capture_output=True, timeout=120)
    wrong = subprocess.run([*command, "--grad", "w=2*x"], capture_output=True, timeout=120)
    usage = subprocess.run([*command, "--grad", "w=f(x)"], capture_output=True, timeout=120)
    assert (right.returncode, wrong.returncode, usage.returncode) == (0, 1, 2)
