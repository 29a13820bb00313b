"""Closed-form strings are read with ast and a whitelist: homework notation in, nothing else."""

import pytest

sympy = pytest.importorskip("sympy", reason="closed forms need the symbolic extra (sympy)")

from autograd.symbolic.closed_form import parse_closed_form  # noqa: E402


@pytest.mark.parametrize(
    "text, expected",
    [
        ("d1 x1 + d2 x2 + d3 x3", "d1*x1 + d2*x2 + d3*x3"),
        ("x^2 / 2", "x**2/2"),
        ("2(x + 1)", "2*x + 2"),
        ("-(y - yhat) exp(z4) w1", "-(y - yhat)*exp(z4)*w1"),
        ("min(exp(z), 1)", "Min(exp(z), 1)"),
    ],
)
def test_homework_notation(text, expected):
    assert sympy.simplify(parse_closed_form(text) - sympy.sympify(expected)) == 0


def test_indicator_and_exact_numbers():
    z1, z2 = sympy.symbols("z1 z2")
    assert parse_closed_form("d 1{z2 > z1}").subs({"d": 3, z1: 0, z2: 1}) == 3
    assert parse_closed_form("d 1{z2 > z1}").subs({"d": 3, z1: 1, z2: 0}) == 0
    assert parse_closed_form("0.99^2") == sympy.Rational(9801, 10000)


def test_names_map_to_given_symbols():
    w = sympy.Symbol("w", positive=True)
    assert parse_closed_form("w^2", names={"w": w}) == w**2


@pytest.mark.parametrize(
    "text, what",
    [
        ("__import__('os')", r"unknown function __import__\(\.\.\.\)"),
        ("x.real", "Attribute"),
        ("a[0]", "Subscript"),
        ("(lambda: 1)()", "not allowed"),
        ("exp(x=1)", "the call exp"),
        ("x if y else z", "invalid syntax"),
        ("1 < x < 2", "Compare"),
    ],
)
def test_everything_else_is_refused(text, what):
    with pytest.raises(ValueError, match=f"cannot read closed form .*{what}"):
        parse_closed_form(text)


def test_an_unknown_function_is_an_error_listing_the_accepted_ones():
    # the issue: Heaviside(w*x+b) was read as the symbol Heaviside times (w*x+b)
    with pytest.raises(
        ValueError,
        match=r"cannot read closed form 'Heaviside\(w\*x\+b\)': "
        r"unknown function Heaviside\(\.\.\.\); the accepted functions are Max, Min, abs, exp, "
        r"log, max, min, relu, sigmoid, softplus, sqrt, tanh \(for a product write "
        r"Heaviside\*\(\.\.\.\)\)",
    ):
        parse_closed_form("Heaviside(w*x+b)")
    with pytest.raises(ValueError, match=r"unknown function open\(\.\.\.\)"):
        parse_closed_form("open(1)")


def test_a_space_or_a_known_symbol_before_parentheses_is_a_product():
    w, x = sympy.symbols("w x")
    assert parse_closed_form("open (1)") == sympy.Symbol("open")
    assert parse_closed_form("w(x + 1)", {"w": w, "x": x}) == w * (x + 1)


def test_unknown_symbols_are_named_when_new_symbols_are_not_allowed():
    w, x = sympy.symbols("w x")
    with pytest.raises(
        ValueError,
        match=r"cannot read closed form 'w x \+ b': unknown symbol 'b' "
        r"\(the graph's symbols: w, x\)",
    ):
        parse_closed_form("w x + b", {"w": w, "x": x}, allow_new_symbols=False)
    assert parse_closed_form("w x", {"w": w, "x": x}, allow_new_symbols=False) == w * x


def test_syntax_errors_are_value_errors():
    with pytest.raises(ValueError, match=r"cannot read closed form 'x \+': invalid syntax"):
        parse_closed_form("x +")


def test_assert_closed_form_names_an_unknown_function_or_symbol():
    from autograd import Value
    from autograd.testing import assert_closed_form

    w, x, b = Value(2.0, label="w"), Value(3.0, label="x"), Value(-1.0, label="b")
    z = (w * x + b).relu()
    with pytest.raises(ValueError, match=r"unknown function Heaviside\(\.\.\.\); the accepted"):
        assert_closed_form(z, {"w": "x Heaviside(w*x+b)"}, ["w", "x", "b"])
    with pytest.raises(ValueError, match=r"unknown symbol 'c' \(the graph's symbols: b, w, x\)"):
        assert_closed_form(z, {"w": "c 1{w x + b > 0}"}, ["w", "x", "b"])
    assert_closed_form(z, {"w": "x 1{w x + b > 0}"}, ["w", "x", "b"])  # the right answer passes
