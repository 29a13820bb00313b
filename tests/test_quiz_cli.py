"""`chalkgrad quiz` through a real pipe, `steps --quiz`, worksheets in every format with
their keys, and practice pages for a demo's graph (P2's ConvNet)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from viz.cli import command as cli
from viz.writers.graphviz_run import FORMATS

ROOT = Path(__file__).resolve().parent.parent
EXPR = "d = w*x - 1; L = d**2"  # w = 2, x = 3: dL/dd = 10, dL/dw = 30, dL/dx = 20
SETTINGS = ["--set", "w=2", "x=3"]


def chalkgrad(*argv, stdin=""):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "viz.cli", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=ROOT,
    )


def run(capsys, *argv):
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_terminal_quiz_through_a_pipe():
    done = chalkgrad("quiz", EXPR, *SETTINGS, stdin="2*6\nh\n10\n10\n30\nnonsense\n20\n")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == (
        "mul#2 = w * x; d = mul#2 - 1; L = d**2 with w = 2, x = 3, L = 25; seed ∂L/∂L = 1"
    )
    assert lines[1:6] == [
        "∂L/∂d = ? 2*6",
        "  wrong. hint: ∂L/∂d = ∂(d**2)/∂d, local: ∂(d**2)/∂d = 2·d^(2-1)",
        "∂L/∂d = ? h",
        "  hint: ∂L/∂d = 1·10",
        "∂L/∂d = ? 10",
    ]
    assert "∂L/∂x = ? 30" in lines  # x comes before w: reverse topological order
    assert "  wrong. hint: ∂L/∂x = ∂L/∂mul#2·∂(w * x)/∂x, local: ∂(w * x)/∂x = w" in lines
    assert "  'nonsense' is not a number: use digits, + - * / ^ and parentheses" in lines
    assert lines[-1] == "score: 3/4"


def test_an_answer_that_overflows_is_judged_not_a_crash():
    # 1e200^2 is inf: a wrong answer for dL/dd = 10, then 0x10 and 1_0 are refused as the
    # page refuses them, and 10 is right
    done = chalkgrad("quiz", EXPR, *SETTINGS, stdin="1e200^2\n0x10\n1_0\n10\n")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1:5] == [
        "∂L/∂d = ? 1e200^2",
        "  wrong. hint: ∂L/∂d = ∂(d**2)/∂d, local: ∂(d**2)/∂d = 2·d^(2-1)",
        "∂L/∂d = ? 0x10",
        "  '0x10' is not a number: use digits, + - * / ^ and parentheses",
    ]
    assert lines[5:8] == [
        "∂L/∂d = ? 1_0",
        "  '1_0' is not a number: use digits, + - * / ^ and parentheses",
        "∂L/∂d = ? 10",
    ]


def test_quiz_stops_cleanly_at_the_end_of_input():
    done = chalkgrad("quiz", EXPR, *SETTINGS, stdin="10\n")
    assert done.returncode == 0 and done.stdout.splitlines()[-2:] == [
        "(end of input)",
        "score: 1/4",
    ]


def test_random_quiz_replays_from_its_seed():
    first = chalkgrad("quiz", "--random", "--seed", "5", "--ops", "mul,add", "--size", "medium")
    again = chalkgrad("quiz", "--random", "--seed", "5", "--ops", "mul,add", "--size", "medium")
    assert first.returncode == 0 and first.stdout == again.stdout
    head = first.stdout.splitlines()
    assert head[0] == (
        "random exercise, seed 5 (replay: chalkgrad quiz --random --seed 5 "
        "--ops mul,add --size medium)"
    )
    assert set(re.findall(r"= \w+ ([^\w\s]) \w+", head[1])) <= {"*", "+"}
    statements = head[1].split(" with ")[0].split("; ")
    # one blank per statement but the output, and one per input (x, y, w): no constants
    assert head[-2:] == ["(end of input)", f"score: 0/{len(statements) - 1 + 3}"]


@pytest.mark.parametrize(
    "argv, message",
    [
        ([], "give an expression"),
        (["--random", "--ops", "mul,nope"], "unknown op 'nope'"),
        (["y = x", "--set", "x=1", "--random"], "either EXPR (with --set) or --random"),
        (["y = x", "--set", "x=1", "--ops", "mul"], "--ops goes with --random"),
        (["y = x", "--set", "x=1", "--html", "/no/such/dir/q.html"], "does not exist"),
        (["y = q", "--set", "x=1"], "unset variable 'q'"),
        (["y = x", "--set", "x=1"], "nothing to work out: the output 'x' is a number"),
        (["y = 2*3"], "nothing to work out: the output 'y' is a number"),
    ],
)
def test_quiz_errors_are_one_line(capsys, argv, message):
    status, out, err = run(capsys, "quiz", *argv)
    assert status == 2 and message in err and len(err.strip().splitlines()) == 1


def test_quiz_writes_the_page_with_html(capsys, tmp_path):
    status, out, err = run(
        capsys, "quiz", "--random", "--seed", "3", "--html", str(tmp_path / "q.html")
    )
    assert status == 0, err
    assert out.splitlines()[-1] == f"wrote {tmp_path / 'q.html'}"
    assert 'data-node="L"' not in (tmp_path / "q.html").read_text()  # the output is the seed


def test_steps_writes_the_practice_page(capsys, tmp_path):
    page = tmp_path / "practice.html"
    status, out, err = run(capsys, "steps", EXPR, *SETTINGS, "--quiz", str(page), "--forward")
    assert status == 0, err
    text = page.read_text(encoding="utf-8")
    names = re.findall(r'data-node="([^"]+)" data-kind="(\w+)"', text)
    assert names == [
        ("mul#2", "data"),
        ("d", "data"),
        ("L", "data"),
        ("d", "grad"),
        ("mul#2", "grad"),
        ("x", "grad"),
        ("w", "grad"),
    ]
    status, _, err = run(capsys, "steps", EXPR, *SETTINGS, "--forward")
    assert status == 2 and "--forward goes with --quiz" in err


def test_too_big_graph_is_refused_with_how_to_pick_a_part(capsys, tmp_path):
    # a chain x -> a1 -> ... -> a89: 89 blanks; below a80 there are 80 (a1..a79 and x)
    expr = "; ".join(f"a{i} = tanh(a{i - 1})" for i in range(1, 90)).replace("a0", "x")
    status, out, err = run(
        capsys, "steps", expr, "--set", "x=0.5", "--quiz", str(tmp_path / "q.html")
    )
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert err.strip().endswith(
        "89 blanks to fill in are more than a quiz asks for (80): quiz a part with "
        "chalkgrad quiz ... --root NAME --html FILE, e.g. --root a80 (80 blanks)"
    )
    assert not (tmp_path / "q.html").exists()
    status, out, err = run(capsys, "quiz", expr, "--set", "x=0.5")
    assert status == 2 and "e.g. --root a80 (80 blanks)" in err
    page = tmp_path / "part.html"
    status, out, err = run(
        capsys, "quiz", expr, "--set", "x=0.5", "--root", "a80", "--html", str(page)
    )
    assert status == 0, err
    assert page.read_text(encoding="utf-8").count("data-node=") == 80


def test_root_picks_a_part_and_forward_asks_values_first():
    done = chalkgrad("quiz", EXPR, *SETTINGS, "--root", "d", "--forward", stdin="6\n5\n3\n2\n")
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stderr
    # below d = w*x - 1: the values of mul#2 and d, then dd/dmul#2 = 1, dd/dx = w, dd/dw = x
    assert [line for line in lines if "= ?" in line] == [
        "mul#2 = ? 6",
        "d = ? 5",
        "∂d/∂mul#2 = ? 3",
        "∂d/∂mul#2 = ? 2",
        "∂d/∂mul#2 = ? ",
    ]
    assert lines[-1] == "score: 2/5"
    done = chalkgrad("quiz", EXPR, *SETTINGS, "--root", "q")
    assert done.returncode == 2
    assert "--root q: no node of the expression has that name (named nodes: d, L)" in done.stderr


@pytest.mark.parametrize("fmt", FORMATS)
def test_worksheet_in_every_format_with_its_key(capsys, tmp_path, fmt):
    sheet, key = tmp_path / f"sheet.{fmt}", tmp_path / f"key.{fmt}"
    status, out, err = run(
        capsys, "draw", EXPR, *SETTINGS, "-o", str(sheet), "--blank", "grad", "--answers", str(key)
    )
    assert status == 0, err
    assert out.splitlines()[-2:] == [f"wrote {sheet}", f"wrote {key} (the answers)"]
    data, answers = sheet.read_bytes(), key.read_bytes()
    magic = {"svg": b"<", "png": b"\x89PNG", "pdf": b"%PDF", "dot": b"digraph", "gv": b"digraph"}
    assert data.startswith(magic.get(fmt, b"")) and answers.startswith(magic.get(fmt, b""))
    if fmt in ("svg", "dot", "gv"):
        text, key_text = data.decode(), answers.decode()
        # the key writes the answers into the sheet's empty cells, in red
        assert "grad 30" not in text and ">30<" not in text and ">30<" in key_text
        assert "data 6" in text  # the values stay on a gradient worksheet
        assert "Given: w = 2, x = 3" in text and "Answer key" in key_text  # the header
    if fmt in ("dot", "gv"):
        # every gradient but the seed's and the constant's
        assert text.count('BGCOLOR="white">\u00a0</TD>') == 4
        assert key_text.count('<FONT COLOR="#b91c1c">') == 4
    if fmt == "tex":  # TikZ: the key has every gradient, the sheet none but the seed's
        text, key_text = data.decode(), answers.decode()
        assert "{$30$}" in key_text and "{$30$}" not in text and "{data $6$}" in text


def test_value_worksheet_and_table_keys(capsys, tmp_path):
    status, out, err = run(
        capsys,
        "draw",
        EXPR,
        *SETTINGS,
        "-o",
        str(tmp_path / "s.svg"),
        "--blank",
        "data",
        "--answers",
        str(tmp_path / "k.csv"),
    )
    assert status == 0, err
    svg = (tmp_path / "s.svg").read_text()
    assert "data 25" not in svg and "data 2<" in svg and "grad 30" in svg
    assert (tmp_path / "k.csv").read_text().splitlines() == [
        "node,op,data,grad",
        "w,leaf,2,30",
        "x,leaf,3,20",
        "mul#2,*,6,10",
        "1,const,1,-10",
        "d,-,5,10",
        "L,**2,25,1",
    ]
    status, out, err = run(capsys, "draw", EXPR, *SETTINGS, "--answers", str(tmp_path / "k.txt"))
    assert status == 0 and (tmp_path / "k.txt").read_text().splitlines()[1].split() == [
        "w",
        "leaf",
        "2",
        "30",
    ]
    status, _, err = run(capsys, "draw", EXPR, *SETTINGS, "--blank", "grad")
    assert status == 2 and "give the picture to write with -o FILE" in err
    status, _, err = run(capsys, "draw", EXPR, *SETTINGS, "--answers", "key.docx")
    assert status == 2 and "the suffix must be one of" in err


def test_p2_convnet_can_be_quizzed(tmp_path):
    from demos.funky_conv1d import build
    from viz import quiz_html
    from viz.practice.quiz import make_quiz

    net = build()
    quiz = make_quiz(net.z4)
    expected = {q.name: q.expected for q in quiz.questions}
    # problems.md P2: dL/dz = [5, 1, 0], dL/dv = [w1, w2] = [5, 10] with seed dL/dz4 = 1
    assert [expected[n] for n in ("z1", "z2", "z3", "v1", "v2")] == [5.0, 1.0, 0.0, 5.0, 10.0]
    # dL/dk_j = d1 x_j + d2 x_{j+1} + d3 x_{j+2} with x = [3, -1, 0, 1, 5]: [14, -5, 1]
    assert [expected[f"conv.weight[0,0,{j}]"] for j in range(3)] == [14.0, -5.0, 1.0]
    assert len(quiz.questions) == 19
    text = quiz_html(net.z4, tmp_path / "p2.html").read_text(encoding="utf-8")
    assert 'data-node="conv.weight[0,0,0]"' in text and 'data-node="z2"' in text


def test_demo_writes_practice_pages_beside_its_pictures(tmp_path):
    done = chalkgrad("demo", "funky-conv1d", "--out", str(tmp_path), "--quiz")
    assert done.returncode == 0, done.stderr
    assert f"wrote {tmp_path / 'funky_conv1d.quiz.html'}" in done.stdout.splitlines()
    assert 'data-node="z1"' in (tmp_path / "funky_conv1d.quiz.html").read_text(encoding="utf-8")
