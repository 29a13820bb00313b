"""Numbers people copy: ASCII, significant figures, noise as 0, aligned, fitted to COLUMNS."""

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Tensor, Value, topological_order
from viz import backward_steps, draw, format_steps, print_steps
from viz.cli.command import main
from viz.numbers import align_numbers, format_number, noise_scales, parse_number

FORMATS = [
    # x, precision, expected
    (2.0, 4, "2"),
    (-0.00012, 4, "-0.00012"),  # the issue: was printed as −0.0001 (one figure)
    (-0.00012345, 2, "-0.00012"),
    (0.1733431, 4, "0.1733"),
    (-0.3466862, 4, "-0.3467"),
    (9.99996, 4, "10"),
    (123456.7, 4, "123457"),  # the integer part is never cut
    (1e6, 3, "1e6"),
    (-2.7756e-17, 4, "-2.776e-17"),
    (1.16e9, 3, "1.16e9"),
    (-0.0, 4, "0"),
    (float("nan"), 4, "nan"),
    (float("-inf"), 4, "-inf"),
]


@pytest.mark.parametrize("x, precision, expected", FORMATS)
def test_format_number_significant_figures(x, precision, expected):
    assert format_number(x, precision) == expected
    if not math.isnan(x):
        assert float(format_number(x, precision)) == pytest.approx(float(expected))


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_printed_numbers_copy_back_exactly_at_17_figures(x):
    text = format_number(x, 17)
    assert text.isascii() and float(text) == x


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(1, 8))
def test_printed_numbers_are_within_half_a_unit_of_the_last_figure(x, precision):
    text = format_number(x, precision)
    if x == 0:
        assert text == "0"
        return
    unit = 10.0 ** (math.floor(math.log10(abs(x))) - precision + 1)
    assert abs(float(text) - x) <= 0.5 * unit * (1 + 1e-9) + abs(x) * 1e-15


def test_bad_precision_is_refused_with_the_accepted_range():
    with pytest.raises(ValueError, match="significant figures, at least 1; got 0"):
        format_number(1.0, 0)


def test_typographic_minus_is_read_on_input():
    assert parse_number("\u22123.5") == -3.5
    assert main(["draw", "L = w*x", "--set", "w=2", "x=\u22123"]) == 0
    assert main(["draw", "L = w*x \u2212 1", "--set", "w=2", "x=3"]) == 0


def test_cli_output_is_ascii_copyable_and_aligned(capsys):
    assert (
        main(
            ["draw", "z = w*x + b; L = (y - exp(z))**2 / 2", "--set", "w=2", "x=-1", "b=0.5", "y=1"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "\u2212" not in out
    lines = out.splitlines()
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    assert float(rows["x"][2]) == pytest.approx(-0.3467, abs=5e-5)  # copy back with float()
    assert float(rows["L"][1]) == pytest.approx(0.3018, abs=5e-5)
    # data column: right-aligned on the decimal point (or where it would be)
    points = []
    for line in lines[1:]:
        cell = line[12:].split()[0]
        at = line.index(cell, 12)
        points.append(at + (cell.index(".") if "." in cell else len(cell)))
    assert len(set(points)) == 1, lines


def test_steps_lines_use_ascii_and_parenthesised_negative_factors(capsys):
    assert main(["steps", "L = (w*x - 1)**2", "--set", "w=-2", "x=5"]) == 0
    out = capsys.readouterr().out
    assert "\u2212" not in out
    # dL/dw = 2 (wx - 1) x = 2 * (-11) * 5 = -110
    assert "∂L/∂w = ∂L/∂mul#2 · ∂(w * x)/∂w = (-22) · 5 = -110" in out


def _softmax_first(s: Value, t: Value) -> Value:
    exps = [(s * vi + t).exp() for vi in (1.0, -2.0, 0.5)]
    return exps[0] / (exps[0] + exps[1] + exps[2])


def test_rounding_noise_is_shown_as_zero_but_small_values_are_kept():
    s, t = Value(1.0, label="s"), Value(2.0, label="t")
    g = _softmax_first(s, t)
    g.label = "g"
    g.backward()
    assert t.grad != 0 and abs(t.grad) < 1e-15  # P3: 0 by algebra, a residue in floats
    src = draw(g).source
    assert "<B>t</B></TD><TD>data 2</TD><TD>grad 0</TD>" in src
    steps = backward_steps(g)
    assert steps.chain_rule(t).endswith(" = 0")
    # a genuinely small gradient (P11: w^19 with w = 0.3) is not noise
    h = Value(1.0, label="h")
    out = h
    for _ in range(19):
        out = out * 0.3
    out.backward()
    _, grad_scale = noise_scales(topological_order(out))
    assert format_number(h.grad, 3, grad_scale[id(h)]) == "1.16e-10"


def test_align_numbers_on_the_decimal_point():
    cells = align_numbers(["10", "-0.25", "3.5", "1e-9"])
    assert len({len(c) for c in cells}) == 1
    assert [c.index(".") for c in cells if "." in c] == [2, 2]


def test_steps_fit_the_terminal_width(monkeypatch, capsys):
    expr = "z1 = k1*x1 + k2*x2 + b; z2 = k1*x2 + k2*x3 + b; L = max(z1, z2) * w1 + z2 * w2"
    settings = ["k1=1", "k2=-1", "b=0.5", "x1=2", "x2=3", "x3=-1", "w1=5", "w2=10"]
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["steps", expr, "--set", *settings]) == 0
    wide = capsys.readouterr().out
    assert max(len(line) for line in wide.splitlines()) > 60
    monkeypatch.setenv("COLUMNS", "60")
    assert main(["steps", expr, "--set", *settings]) == 0
    narrow = capsys.readouterr().out
    assert max(len(line) for line in narrow.splitlines()) <= 60
    # the same numbers, just laid out differently
    numbers = lambda text: re.findall(
        r"(?<![\w#\[,.])-?\d+(?:\.\d+)?", text.split("chain rule:")[1]
    )
    assert numbers(narrow) == numbers(wide)


def test_print_steps_returns_none_and_steps_show_as_html(capsys):
    x = Value(-3.0, label="x")
    y = x * x
    y.label = "y"
    assert print_steps(y) is None
    assert "∂y/∂x = ∂(x * x)/∂x + ∂(x * x)/∂x = 1 · (-3) + 1 · (-3) = -6" in (
        capsys.readouterr().out
    )
    steps = backward_steps(y)
    page = steps._repr_html_()
    assert page.count("<tr>") == 3 and ">-6</td>" in page
    assert len(repr(steps)) < 80
    assert format_steps(steps) == format_steps(steps, width=None)


def test_value_and_tensor_show_as_html_tables():
    x = Value(-2.5, label="x")
    y = x * x
    y.backward()
    assert ">-2.5</td>" in x._repr_html_() and ">-5</td>" in x._repr_html_()
    W = Tensor([[1.0, -2.0], [0.5, 4.0]], label="W")
    (W * W).sum().backward()
    page = W._repr_html_()
    assert "W, shape (2, 2)" in page and page.count("<td style") == 8 and ">-4</td>" in page
