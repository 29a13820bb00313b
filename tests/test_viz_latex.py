"""LaTeX output: TikZ pictures from the renderer's layout and align* derivations, compiled."""

import shutil
import subprocess

import pytest

from autograd import Value
from viz import render, steps_latex, to_tikz
from viz.cli.command import main
from viz.writers.latex import latex_math, latex_name, latex_text, values_latex

PDFLATEX = shutil.which("pdflatex")
STANDALONE = (
    PDFLATEX is not None
    and subprocess.run(
        ["kpsewhich", "standalone.cls", "tikz.sty"], capture_output=True, text=True
    ).stdout.count("\n")
    == 2
)
needs_pdflatex = pytest.mark.skipif(
    not STANDALONE,
    reason="pdflatex with standalone.cls and tikz.sty is not installed (Debian: "
    "texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-pictures; "
    ".ci/run installs them)",
)


def compile_tex(path) -> str:
    """pdflatex ``path``; returns the text of the PDF (pdftotext) or '' without poppler."""
    done = subprocess.run(
        [PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", path.name],
        cwd=path.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    log = path.with_suffix(".log")
    assert done.returncode == 0, log.read_text(errors="replace")[-3000:]
    pdf = path.with_suffix(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        return ""
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout


def _example():
    # z = w*x + b; L = (y - exp(z))**2 / 2 at w=2, x=-1, b=0.5, y=1 (the README's example)
    w, x, b, y = (Value(v, label=n) for v, n in ((2.0, "w1"), (-1.0, "x"), (0.5, "b"), (1.0, "y")))
    z = w * x + b
    z.label = "z"
    L = (y - z.exp()) ** 2 / 2
    L.label = "L"
    L.backward()
    return L


NAMES = [
    ("w", "w"),
    ("w1", "w_{1}"),
    ("w_1", "w_{1}"),
    ("W_hx", "W_{hx}"),
    ("x[0,2]", "x_{0,2}"),
    ("sigma", r"\sigma"),
    ("alpha_2", r"\alpha_{2}"),
    ("h_0[0,1]", "h_{0}[0,1]"),
    ("loss", r"\mathrm{loss}"),
    ("fc.weight[0,1]", r"\mathrm{fc.weight}_{0,1}"),
    ("mul#3", r"\mathrm{mul\#3}"),
    ("a_b_c", r"\mathrm{a\_b\_c}"),
    ("-2.5", "-2.5"),
]


@pytest.mark.parametrize("name, tex", NAMES)
def test_names_are_written_in_math_mode(name, tex):
    assert latex_name(name) == tex


def test_labels_and_formulas():
    assert latex_text("grad -0.3467") == "grad $-0.3467$"
    assert latex_text("∂L/∂z") == r"$\partial L/\partial z$"
    assert latex_math("σ(a)·(1 - σ(a))") == r"\sigma (a)\cdot (1-\sigma (a))"
    assert latex_math("b·a^(b-1)") == r"b\cdot a^{(b-1)}"
    # every character LaTeX treats specially is escaped
    assert latex_text("50% & $5 #1 {x} ~ ^ \\") == (
        r"$50\% \& \$5 \#1 \{x$\} \textasciitilde{} \textasciicircum{} \textbackslash{}"
    )


def test_to_tikz_uses_the_renderer_layout_and_math_names(tmp_path):
    L = _example()
    tex = to_tikz(L, tmp_path / "graph.tex")
    assert tex == (tmp_path / "graph.tex").read_text(encoding="utf-8")
    assert tex.startswith("\\documentclass[tikz")
    assert "\\begin{tikzpicture}" in tex and tex.count("\\end{tikzpicture}") == 1
    assert "{\\bfseries" not in tex and "$w_{1}$" in tex  # the name w1 as w_1
    assert "grad $-0.3467$" in tex and "\u2212" not in tex
    assert tex.count("ellipse") == 6  # one per op: *, +, exp, -, **2, /
    picture = to_tikz(L, standalone=False)
    assert picture.lstrip().startswith("\\definecolor") and "\\documentclass" not in picture


@needs_pdflatex
def test_tikz_picture_compiles_with_pdflatex(tmp_path):
    L = _example()
    weird = Value(3.0, label="a_b&c$%#{}")  # a label that would break LaTeX unescaped
    out = (L * weird).exp()
    out.label = "out"
    out.backward()
    path = tmp_path / "graph.tex"
    assert (
        main(
            [
                "draw",
                "z = w*x + b; L = (y - exp(z))**2 / 2",
                "--set",
                "w=2",
                "x=-1",
                "b=0.5",
                "y=1",
                "--derivatives",
                "-o",
                str(path),
            ]
        )
        == 0
    )
    text = compile_tex(path)
    if text:
        assert "grad" in text and "0.3467" in text
    render(out, tmp_path / "weird.tex")
    compile_tex(tmp_path / "weird.tex")


def test_steps_latex_is_the_chain_rule_then_numbers():
    x = Value(-3.0, label="x1")
    y = x * x
    y.label = "y"
    assert steps_latex(y) == (
        "\\begin{align*}\n"
        "\\frac{\\partial y}{\\partial y} &= 1 \\\\\n"
        # the local derivative as the derivative of the node's formula; no dy/dy factor
        "\\frac{\\partial y}{\\partial x_{1}} &= "
        "\\frac{\\partial \\left(x_{1}\\cdot x_{1}\\right)}{\\partial x_{1}} + "
        "\\frac{\\partial \\left(x_{1}\\cdot x_{1}\\right)}{\\partial x_{1}} \\\\\n"
        "  &= 1\\cdot (x_{1}) + 1\\cdot (x_{1}) \\\\\n"
        "  &= 1\\cdot (-3) + 1\\cdot (-3) = -6\n"
        "\\end{align*}"
    )


@needs_pdflatex
def test_steps_latex_compiles(tmp_path, capsys):
    path = tmp_path / "steps.tex"
    assert (
        main(
            [
                "steps",
                "z1 = k1*x1 + b; z2 = k1*x2 + b; L = leaky_relu(max(z1, z2), 0.1)",
                "--set",
                "k1=2",
                "x1=-1",
                "x2=3",
                "b=0.5",
                "--latex",
                str(path),
            ]
        )
        == 0
    )
    assert capsys.readouterr().out == f"wrote {path}\n"
    text = compile_tex(path)
    if text:
        # z2 = 6.5 is the max: dL/dk1 = 1 * x2 + 0 * x1 = 3
        assert "= 1 · 3 + 0 · (\u22121) = 3" in text
    main(["steps", "L = (w*x - 1)**2", "--set", "w=2", "x=3", "--latex"])
    printed = capsys.readouterr().out
    assert printed.startswith("\\begin{align*}") and "= 10\\cdot 3 = 30" in printed


def test_draw_symbolic_latex_shows_indicators(capsys):
    pytest.importorskip("sympy", reason="symbolic output needs sympy")
    assert (
        main(["draw", "L = relu(w*x - 1)", "--set", "w=2", "x=3", "--symbolic", "w,x", "--latex"])
        == 0
    )
    out = capsys.readouterr().out
    assert r"\frac{\partial L}{\partial w} &= x \mathbb{1}[w x > 1] = 3" in out
    assert "Piecewise" not in out
    # the plain table shows the text form of the indicator
    assert main(["draw", "L = relu(w*x - 1)", "--set", "w=2", "x=3", "--symbolic", "w,x"]) == 0
    assert "x*1{w x > 1}" in capsys.readouterr().out


@needs_pdflatex
def test_values_latex_document_compiles(tmp_path):
    pytest.importorskip("sympy", reason="symbolic output needs sympy")
    w, x = Value(2.0, label="w"), Value(3.0, label="x")
    L = (w * x - 1).relu().max(w)
    L.label = "L"
    L.backward()
    path = tmp_path / "values.tex"
    path.write_text(values_latex(L, symbols={"w": "w", "x": "x"}, standalone=True))
    compile_tex(path)


def test_symbolic_results_show_indicators_as_people_write_them():
    pytest.importorskip("sympy", reason="symbolic output needs sympy")
    from autograd.symbolic import display_text, symbolic
    from autograd.symbolic.closed_form import parse_closed_form

    w, x = Value(2.0, label="w"), Value(3.0, label="x")
    L = (w * x - 1).relu()
    L.label = "L"
    result = symbolic(L, {"w": "w", "x": "x"})
    table = result.table()
    assert "x*1{w x > 1}" in table and "Piecewise" not in table
    assert result.latex(w) == (
        r"w = w, \quad \frac{\partial L}{\partial w} = x \mathbb{1}[w x > 1]"
    )
    # the text form reads back (the typographic minus too) as the same expression
    text = display_text(result.grad[w])
    assert (
        parse_closed_form(text, {str(s): s for s in result.symbol_of.values()}) == (result.grad[w])
    )
    assert parse_closed_form("\u22122 x") == parse_closed_form("-2 x")
