"""Symbolic values and gradients in drawings and step tables (via autograd.symbolic)."""

import pytest

from autograd import Value

sympy = pytest.importorskip("sympy", reason="symbolic display needs sympy")

from viz import backward_steps, draw, format_steps  # noqa: E402
from viz.cli.command import main  # noqa: E402


def _graph():
    w, x = Value(2.0, label="w"), Value(3.0, label="x")
    y = (w * x).tanh()
    y.label = "y"
    return y, w, x


def _check_at(expr_text, value, **point):
    expr = sympy.sympify(expr_text)
    assert float(expr.subs({sympy.Symbol(k): v for k, v in point.items()})) == pytest.approx(
        value, rel=1e-9
    )


def test_steps_carry_symbolic_gradients():
    y, w, x = _graph()
    steps = backward_steps(y, symbols={"w": "w", "x": "x"})
    value_w, grad_w = steps.symbolic[id(w)]
    assert value_w == "w"
    # dy/dw = x (1 - tanh(wx)^2); at w=2, x=3: 3 (1 - tanh(6)^2) = 7.373e-05
    _check_at(grad_w, 3 * (1 - float(sympy.tanh(6)) ** 2), w=2, x=3)
    _check_at(grad_w, 0.5 * (1 - float(sympy.tanh(0.5)) ** 2), w=1, x=0.5)
    assert "symbolic: ∂y/∂x = " in format_steps(steps)


def test_draw_shows_symbolic_rows():
    y, w, x = _graph()
    y.backward()
    src = draw(y, symbols={"w": "w"}).source  # x stays the number 3
    assert "<TD>= 3*w</TD>" in src
    assert "<TD>= tanh(3*w)</TD>" in src
    assert src.count("<TD>∂ = ") == 4


def test_cli_symbolic_column(capsys):
    status = main(["draw", "z = w*x", "--set", "w=1", "x=2", "--symbolic", "w,x"])
    out = capsys.readouterr().out
    assert status == 0
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
    assert rows["w"][-1] == "x" and rows["x"][-1] == "w" and rows["z"][-1] == "1"


def test_draw_symbolic_rows_cover_every_root():
    # two roots: y1 = w*x, y2 = w + x. Gradients are summed over both roots (seed 1 each):
    # d/dw = x + 1, d/dx = w + 1. With only the first root, d/dx would be w.
    w, x = Value(2.0, label="w"), Value(3.0, label="x")
    y1, y2 = w * x, w + x
    y1.label, y2.label = "y1", "y2"
    src = draw([y1, y2], symbols={"w": "w", "x": "x"}).source
    assert "<TD>= w + x</TD>" in src  # the value row of y2, missing before
    assert "<TD>∂ = x + 1</TD>" in src and "<TD>∂ = w + 1</TD>" in src
    assert src.count("<TD>∂ = ") == 4
