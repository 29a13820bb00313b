"""Handouts (issue 23): print-ready pages, worksheets and keys, notation, Ctrl-C, notebooks.

Page sizes are checked with pdfinfo, text with pdftotext, font sizes and positions with
pdfminer.six (each character's size as printed, after every scaling).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograd import Value, topological_order, zero_grad
from viz import draw, explore, make_quiz, render, steps_latex, to_tikz
from viz.cli.command import main
from viz.practice.worksheet import write_worksheet
from viz.writers.page import MIN_FONT, plan

QUICKSTART = "z = w*x + b; L = (y - exp(z))**2 / 2"
GIVEN = ["--set", "w=2", "x=-1", "b=0.5", "y=1"]
A4, LETTER = (595, 842), (612, 792)
needs_poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs poppler-utils")


def pdf_pages(path: Path) -> list[tuple[int, int]]:
    """Each page's size in points, from pdfinfo."""
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return [
        (round(float(w)), round(float(h)))
        for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    ]


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def characters(path: Path) -> list[tuple[float, tuple[float, float, float, float], tuple]]:
    """(printed size, bbox, page size) of every character, from pdfminer.six."""
    layout = pytest.importorskip("pdfminer.layout")
    high = pytest.importorskip("pdfminer.high_level")
    found = []
    for page in high.extract_pages(str(path)):
        stack = [page]
        while stack:
            item = stack.pop()
            if isinstance(item, layout.LTChar) and item.get_text().strip():
                found.append((item.size, item.bbox, (page.width, page.height)))
            stack.extend(getattr(item, "_objs", None) or [])
    return found


def quickstart(tmp_path, *extra):
    sheet, key = tmp_path / "sheet.pdf", tmp_path / "key.pdf"
    status = main(["draw", QUICKSTART, *GIVEN, "-o", str(sheet), "--blank", "grad"] + list(extra))
    return status, sheet, key


# ------------------------------------------------------------------ pages


@needs_poppler
@pytest.mark.parametrize("page, size", [("a4", A4), ("letter", LETTER)])
def test_quickstart_worksheet_and_key_fit_the_page(tmp_path, capsys, page, size):
    status, sheet, key = quickstart(
        tmp_path, "--answers", str(tmp_path / "key.pdf"), "--page", page
    )
    assert status == 0
    for pdf in (sheet, key):
        assert set(pdf_pages(pdf)) <= {size, size[::-1]}  # portrait or landscape
        chars = characters(pdf)
        assert chars, "the text is text (selectable), not curves"
        assert min(c[0] for c in chars) >= MIN_FONT  # never under 7 pt once printed
        for _, (x0, y0, x1, y1), (w, h) in chars:  # every character on the page
            assert 0 <= x0 and x1 <= w and 0 <= y0 and y1 <= h
    text, answers = pdf_text(sheet), pdf_text(key)
    # the header: the expression, the givens, the seed
    assert QUICKSTART in text and "Given: y = 1, w = 2, x = -1, b = 0.5" in text
    assert "Seed: ∂L/∂L = 1 (filled in)" in text and "Name:" in text
    assert "Answer key" in answers and QUICKSTART in answers
    # the seed's gradient is filled in; the asked ones are empty on the sheet, in the key
    assert re.search(r"L\s+data 0.3018\s+grad 1\b", text)
    assert "0.1733" not in text and "-0.3467" not in text
    assert "0.1733" in answers and "-0.3467" in answers
    # the constant 2's gradient is drawn, not left blank
    assert re.search(r"2\s+data 2\s+grad -0.1509", text)


def test_constants_and_the_seed_are_not_blanked():
    w, x = Value(2.0, label="w"), Value(3.0, label="x")
    L = (w * x - 1) ** 2
    L.label = "L"
    L.backward()
    sheet = draw(L, hide=("grad",)).source
    assert sheet.count('BGCOLOR="white">\u00a0</TD>') == 4  # w, x, w*x, w*x - 1
    assert "grad 1<" in sheet  # the seed
    assert "grad 0<" not in sheet  # the constant 1: its gradient is drawn (-10)
    assert "grad -10<" in sheet


def test_the_key_has_the_sheets_layout(tmp_path):
    w, x, b = Value(2.0, label="w"), Value(-1.0, label="x"), Value(0.5, label="b")
    L = ((w * x + b).exp() - 1) ** 2
    L.label = "L"
    L.backward()
    sheet, key = write_worksheet(
        L, tmp_path / "s.svg", "L", answers=tmp_path / "k.svg", page="a4", layout="auto"
    )
    shapes = lambda text: re.findall(r'<polygon[^>]*points="([^"]+)"', text)
    assert shapes(sheet.read_text()) == shapes(key.read_text())  # every box where it was
    assert ">0.1733<" not in sheet.read_text() and ">0.1733<" not in key.read_text()
    assert 'fill="#b91c1c"' in key.read_text()  # the answers in red


def test_plan_scales_then_splits_never_under_seven_points():
    one = plan(400, 800, 11, "a4")
    assert one.pages == 1 and one.page == (595.0, 842.0) and 0.9 < one.scale <= 1
    long = plan(5000, 100, 11, "a4")
    assert long.pages > 1 and long.scale * 11 >= MIN_FONT
    assert plan(100, 50, 11, "letter").scale == 1.0  # never scaled up


@needs_poppler
def test_a_long_picture_is_split_with_the_cuts_marked(tmp_path, capsys):
    chain = "; ".join(f"h{k + 1} = tanh(h{k})" for k in range(18))  # 37 scalars in a row
    out = tmp_path / "long.pdf"
    command = ["draw", chain, "--set", "h0=0.5", "-o", str(out), "--page", "a4"]
    status = main(command + ["--layout", "lr"])
    assert status == 0
    pages = pdf_pages(out)
    assert len(pages) >= 2 and set(pages) <= {A4, A4[::-1]}
    text = pdf_text(out)
    assert "continues on page 2" in text and "part 1 of" in text
    assert min(c[0] for c in characters(out)) >= MIN_FONT


@needs_poppler
def test_layout_auto_picks_the_orientation_needing_least_scaling(tmp_path, capsys):
    sizes = {}
    for layout in ("lr", "tb", "auto"):
        out = tmp_path / f"{layout}.pdf"
        command = ["draw", QUICKSTART, *GIVEN, "-o", str(out), "--page", "a4"]
        assert main(command + ["--layout", layout]) == 0
        sizes[layout] = (len(pdf_pages(out)), -min(c[0] for c in characters(out)))
    assert sizes["auto"] == min(sizes["lr"], sizes["tb"])


def test_render_and_to_tikz_take_page_and_layout(tmp_path):
    x = Value(2.0, label="x")
    y = (x * 3).tanh()
    y.label = "y"
    y.backward()
    pdf = render(y, tmp_path / "y.pdf", page="letter", layout="tb")
    assert b"/MediaBox [ 0 0 612 792 ]" in pdf.read_bytes()
    tex = to_tikz(y, tmp_path / "y.tex", page="a4", header=["y = tanh(3 x)"])
    assert "a4paper" in tex and "\\scalebox{" in tex and "\\begin{tikzpicture}" in tex
    if shutil.which("pdflatex"):
        done = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "y.tex"], cwd=tmp_path, capture_output=True
        )
        assert done.returncode == 0, done.stdout[-2000:]
        if shutil.which("pdfinfo"):
            assert set(pdf_pages(tmp_path / "y.pdf")) <= {A4, A4[::-1]}


def test_bad_page_and_layout_are_one_line_naming_what_is_accepted(tmp_path, capsys):
    out = str(tmp_path / "x.pdf")
    assert main(["draw", "y = 2*x", "--set", "x=1", "-o", out, "--page", "a5"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "chalkgrad draw: error: --page a5: the page must be one of a4, letter"
    assert main(["draw", "y = 2*x", "--set", "x=1", "-o", out, "--layout", "diagonal"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "chalkgrad draw: error: --layout diagonal: the layout must be one of lr, tb, auto"
    assert main(["demo", "funky-conv1d", "--page", "a5"]) == 2
    assert capsys.readouterr().err.strip().endswith("must be one of a4, letter")
    with pytest.raises(ValueError, match="^page must be one of a4, letter, got 'a5'$"):
        render(Value(1.0, label="x") * 2, out, page="a5")
    with pytest.raises(ValueError, match="^layout must be one of lr, tb, auto, got 'diagonal'$"):
        to_tikz(Value(1.0, label="x") * 2, layout="diagonal")


@needs_poppler
def test_p2_demo_worksheet_and_key_on_a4(tmp_path, capsys):
    key = tmp_path / "key.pdf"
    status = main(["demo", "funky-conv1d", "--out", str(tmp_path), "--blank", "grad",
                   "--answers", str(key), "--page", "a4"])  # fmt: skip
    assert status == 0
    sheet = tmp_path / "funky_conv1d.pdf"
    assert (tmp_path / "funky_conv1d.svg").exists() and (
        tmp_path / "funky_conv1d_loss.pdf"
    ).exists()
    for pdf in (sheet, key):
        assert set(pdf_pages(pdf)) <= {A4, A4[::-1]}
        assert min(c[0] for c in characters(pdf)) >= MIN_FONT
    text = pdf_text(sheet)
    assert "P2 funky ConvNet, seed dL/dz4 = 1" in text
    assert "x = [3, -1, 0, 1, 5]" in text and "fc.weight = [5, 10]" in text
    assert "Seed: ∂z4/∂z4 = 1" in text
    # the key holds both pictures' keys, each starting on a new page
    answers = pdf_text(key)
    assert "P2 funky ConvNet" in answers and "P2 with yhat = exp(z4)" in answers


@needs_poppler
def test_demo_page_writes_a_print_ready_pdf_beside_each_picture(tmp_path, capsys):
    assert main(["demo", "attention-1d", "--out", str(tmp_path), "--page", "letter"]) == 0
    pdf = tmp_path / "attention_1d.pdf"
    assert set(pdf_pages(pdf)) <= {LETTER, LETTER[::-1]}
    assert min(c[0] for c in characters(pdf)) >= MIN_FONT


# ------------------------------------------------------------------ notation


def test_hints_write_total_and_local_derivatives_differently():
    b = Value(0.5, label="b")
    L = b.tanh()
    L.label = "L"
    (q,) = make_quiz(L).questions
    assert q.hints == (
        "∂L/∂b = ∂tanh(b)/∂b, local: ∂tanh(b)/∂b = 1 - tanh(b)²",
        "∂L/∂b = 1·0.7864",
    )
    w, x = Value(2.0, label="w"), Value(-0.1, label="x")
    y = w * x
    y.label = "y"
    hints = {q.name: q.hints for q in make_quiz(y).questions}
    assert hints["w"] == ("∂y/∂w = ∂(w * x)/∂w, local: ∂(w * x)/∂w = x", "∂y/∂w = 1·(-0.1)")
    m = w * x
    m.label = "m"
    L2 = m.tanh()
    L2.label = "L"
    hints = {q.name: q.hints for q in make_quiz(L2).questions}
    assert hints["x"][0] == "∂L/∂x = ∂L/∂m·∂(w * x)/∂x, local: ∂(w * x)/∂x = w"
    for hint in hints.values():
        assert "∂L/∂L" not in hint[0]


def test_steps_latex_has_no_repeated_line_and_no_seed_factor():
    a = Value(2.0, label="a")
    L = a * -1.0
    L.label = "L"
    tex = steps_latex(L)
    lines = [line.strip() for line in tex.splitlines()]
    assert len(lines) == len(set(lines))
    assert "\\frac{\\partial L}{\\partial L}\\," not in tex
    assert "&= 1\\cdot (-1) = -1" in tex
    assert "\\frac{\\partial \\left(a\\cdot (-1)\\right)}{\\partial a}" in tex


def test_derivative_edge_labels_name_the_real_inputs():
    a, b = Value(4.0, label="a"), Value(12.0, label="b")
    y = a * 3
    y.label = "y"
    L = y + b
    L.label = "L"
    L.backward()
    source = draw(L, derivatives=True).source
    assert "label=<∂y/∂a = 3>" in source and "label=<∂L/∂b = 1>" in source
    assert "label=<b = 3>" not in source and "label=<1 = 1>" not in source


# ------------------------------------------------------------------ practice on demos


def test_every_demo_that_draws_has_a_page(tmp_path, capsys):
    for name, picture in (("elu-gradient", "elu_gradient"), ("softmax-is-sigmoid",
                                                              "softmax_is_sigmoid")):  # fmt: skip
        assert main(["demo", name, "--out", str(tmp_path), "--html", "--quiz"]) == 0
        assert (tmp_path / f"{picture}.html").exists()
        assert (tmp_path / f"{picture}.quiz.html").exists()
    assert "no page" not in capsys.readouterr().out


def test_demo_quiz_on_a_named_box_and_the_refusal_names_root(tmp_path, capsys):
    assert main(["demo", "transformer-language-model", "--out", str(tmp_path), "--quiz"]) == 0
    out = capsys.readouterr().out
    assert "chalkgrad demo NAME --quiz --root BOX" in out and "e.g. --root" in out
    assert not (tmp_path / "transformer_language_model.quiz.html").exists()
    assert main(["demo", "transformer-language-model", "--out", str(tmp_path), "--quiz",
                 "--root", "attn.A"]) == 0  # fmt: skip
    assert "practice on A[" in capsys.readouterr().out
    assert (tmp_path / "transformer_language_model.quiz.html").exists()


def test_moons_draws_the_gradients_of_the_loss_it_draws(monkeypatch, tmp_path, capsys):
    import demos.common
    import demos.moons

    drawn = []
    monkeypatch.setattr(demos.moons, "STEPS", 3)
    monkeypatch.setattr(demos.moons, "save_graph", lambda root, *a, **k: drawn.append(root))
    monkeypatch.setattr(demos.moons, "save_plot", lambda *a, **k: False)
    demos.moons.main(["--out", str(tmp_path)])
    (loss,) = drawn
    order = topological_order(loss)
    shown = [v.grad for v in order]
    zero_grad(loss)
    loss.backward()
    assert shown == [v.grad for v in order]


# ------------------------------------------------------------------ Ctrl-C, notebooks


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
def test_ctrl_c_in_quiz_exits_130_without_a_traceback():
    exe = Path(sys.executable).with_name("chalkgrad")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "viz.cli"]
    child = subprocess.Popen(
        command + ["quiz", "L = (w*x - 1)**2", "--set", "w=2", "x=3"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 30
    first = child.stdout.readline()  # the exercise is stated: the quiz is waiting for input
    assert first.startswith("mul#2 = w * x") and time.time() < deadline
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=30)
    assert child.returncode == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert err.strip() == "chalkgrad quiz: interrupted"


def test_explore_shows_the_page_inline_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    page = explore(y)
    frame = page._repr_html_()
    assert frame.startswith("<iframe") and "srcdoc=" in frame
    assert "&lt;script" in frame and "<script" not in frame  # the page is inside srcdoc
    assert os.listdir(tmp_path) == []
    assert page.save(tmp_path / "p.html").read_text(encoding="utf-8") == page.html


def test_drawn_graphs_fit_the_notebook_cell():
    x = Value(3.0, label="x")
    y = x * x
    y.backward()
    bundle = draw(y)._repr_mimebundle_()
    assert "max-width: 100%" in bundle["text/html"] and "full size" in bundle["text/html"]
    assert bundle["image/svg+xml"].lstrip().startswith(("<?xml", "<svg", "<!--"))
    assert '<svg style="max-width: 100%; height: auto"' in draw(y)._repr_svg_()


def test_the_problem_book_is_in_the_repository():
    root = Path(__file__).resolve().parent.parent
    book = (root / "demos" / "PROBLEMS.md").read_text(encoding="utf-8")
    for k in range(1, 24):
        assert f"## P{k}." in book
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "shared/" not in readme and "demos/PROBLEMS.md" in readme
    for target in re.findall(r"\]\(([^)#]+)\)", readme):  # links stay in the repository
        if "://" not in target:
            assert (root / target).resolve().is_relative_to(root), target
            if target.endswith(".md"):
                assert (root / target).exists(), target


def test_data_blanks_in_a_collapsed_demo_picture_are_one_line(tmp_path, capsys):
    command = ["demo", "red-panda-attention", "--out", str(tmp_path), "--blank", "data"]
    assert main(command) == 0
    out = capsys.readouterr().out
    assert "no worksheet for red_panda_attention: hide=('data',) needs a picture of scalars" in out
    assert (tmp_path / "red_panda_attention.svg").exists()
