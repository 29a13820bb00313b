"""Environment variables and page sizes: a bad setting is one line naming it, never a traceback.

``CHALKGRAD_RENDER_TIMEOUT``, ``CHALKGRAD_DOT`` and ``COLUMNS`` are checked before a
command does any work (exit status 2); pages refuse graphs past
``viz.pages.explore.MAX_PAGE_NODES`` at once, saying how to draw a part; a box picture
that cannot be taken out of the renderer's SVG is an error, not an empty box.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograd import Value
from viz.cli.command import main
from viz.pages.explore import (
    MAX_PAGE_NODES,
    PageTooBigError,
    explore_html,
    refuse_big_graph,
    svg_parts,
)
from viz.writers.graphviz_run import layout_timeout

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("text", ["inf", "-inf", "-1", "0", "abc", "nan", "1e400", "86401"])
def test_a_bad_render_timeout_is_one_line_and_exit_2(capsys, monkeypatch, tmp_path, text):
    monkeypatch.setenv("CHALKGRAD_RENDER_TIMEOUT", text)
    status = main(["draw", "y = x*x", "--set", "x=1", "-o", str(tmp_path / "y.svg")])
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")  # refused before any work: no table, no file
    assert err == (
        "chalkgrad draw: error: CHALKGRAD_RENDER_TIMEOUT must be a positive number of "
        f"seconds, at most 86400, got {text!r}\n"
    )
    assert not (tmp_path / "y.svg").exists()
    with pytest.raises(ValueError, match="^CHALKGRAD_RENDER_TIMEOUT must be a positive"):
        layout_timeout()


def test_good_render_timeouts_are_read(monkeypatch):
    monkeypatch.setenv("CHALKGRAD_RENDER_TIMEOUT", " 12.5 ")
    assert layout_timeout() == 12.5
    monkeypatch.setenv("CHALKGRAD_RENDER_TIMEOUT", "86400")
    assert layout_timeout() == 86400.0
    assert layout_timeout(3) == 3.0  # an argument wins over the variable
    for bad in (float("inf"), -1, 0, True, "5"):
        with pytest.raises(ValueError, match="^timeout must be a positive number of seconds"):
            layout_timeout(bad)


def test_the_installed_command_refuses_inf_without_a_traceback():
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CHALKGRAD_RENDER_TIMEOUT": "inf"}
    done = subprocess.run(
        [sys.executable, "-m", "viz.cli", "steps", "y = x*x", "--set", "x=2"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "name, value, message",
    [
        (
            "CHALKGRAD_DOT",
            "/no/such/dot",
            "CHALKGRAD_DOT='/no/such/dot': no such program (unset it to use dot)",
        ),
        ("COLUMNS", "abc", "COLUMNS must be a width from 1 to 10000, got 'abc'"),
        ("COLUMNS", "-5", "COLUMNS must be a width from 1 to 10000, got '-5'"),
    ],
)
def test_other_variables_are_checked_too(capsys, monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    assert main(["steps", "y = x*x", "--set", "x=1"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == f"chalkgrad steps: error: {message}\n"


def chain(n: int) -> Value:
    v = Value(0.5, label="x")
    for k in range(n - 1):
        v = v + 0.001 if k % 2 else v * 1.0001
    v.label = "L"
    return v


def test_a_page_of_a_100000_node_chain_is_refused_fast_and_writes_nothing(tmp_path, monkeypatch):
    import viz.pages.explore as explore

    def no_walk(*args, **kwargs):
        raise AssertionError("the backward steps were worked out before the refusal")

    monkeypatch.setattr(explore, "backward_steps", no_walk)
    root = chain(50_000)  # 50,000 ops and 49,999 constants: 99,999 scalars
    page = tmp_path / "chain.html"
    start = time.perf_counter()
    with pytest.raises(PageTooBigError) as refused:
        explore_html(root, page)
    assert time.perf_counter() - start < 5.0  # measured 0.3 s; writing it took 20 s
    assert not page.exists()
    assert str(refused.value) == (
        f"the graph below L has 99,999 scalars; a page shows at most {MAX_PAGE_NODES:,} "
        "(viz.pages.explore.MAX_PAGE_NODES). Draw a part: explore_html(node, path) for a "
        "Value nearer the inputs, or the whole graph collapsed into boxes as one picture: "
        "render(draw(root), 'graph.svg')"
    )
    assert refuse_big_graph(chain(100)) == 199


def test_the_command_refuses_a_big_page_in_one_line(capsys, tmp_path, monkeypatch):
    import viz.pages.explore as explore

    monkeypatch.setattr(explore, "MAX_PAGE_NODES", 3)
    status = main(["steps", "y = x*x*x*x", "--set", "x=1", "--html", str(tmp_path / "p.html")])
    _, err = capsys.readouterr()
    assert status == 2 and len(err.strip().splitlines()) == 1  # a limit, as in autograd.limits
    assert "has 4 scalars; a page shows at most 3" in err and "Draw a part" in err


def test_a_box_picture_that_cannot_be_extracted_is_an_error_not_an_empty_box():
    good = '<svg viewBox="0 0 10 20"><g id="graph0" class="graph"></g></svg>'
    assert svg_parts(good, "b1")["svg"] == '<g id="b1graph0" class="graph"></g>'
    for broken in (
        '<svg viewBox="0 0 10 20"><g id="graph1" class="graph"></g></svg>',  # no graph0
        '<svg viewBox="0 0 10 20"><g id="graph0" class="graph">',  # cut short
    ):
        with pytest.raises(RuntimeError, match="^cannot take the picture 'b1' out of the"):
            svg_parts(broken, "b1")


def test_the_practice_page_of_a_big_chain_is_refused_before_any_work(tmp_path, monkeypatch):
    import viz.practice.quiz as quiz
    from viz import quiz_html

    def no_walk(*args, **kwargs):
        raise AssertionError("the backward steps were worked out before the refusal")

    monkeypatch.setattr(quiz, "backward_steps", no_walk)
    root = chain(50_000)
    start = time.perf_counter()
    with pytest.raises(quiz.QuizTooBigError, match="^49999 blanks to fill in are more than"):
        quiz_html(root, tmp_path / "q.html")
    assert time.perf_counter() - start < 5.0  # measured 0.3 s (2.9 s when it walked first)
    assert not (tmp_path / "q.html").exists()
