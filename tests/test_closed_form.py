"""Closed-form strings are read with ast and a whitelist: homework notation in, nothing else."""

import pytest

sympy = pytest.importorskip("sympy", reason="closed forms need the symbolic extra (sympy)")

from autograd.closed_form import parse_closed_form  # noqa: E402


@pytest.mark.parametrize("text, expected", [
    ("d1 x1 + d2 x2 + d3 x3", "d1*x1 + d2*x2 + d3*x3"),
    ("x^2 / 2", "x**2/2"),
    ("2(x + 1)", "2*x + 2"),
    ("-(y - yhat) exp(z4) w1", "-(y - yhat)*exp(z4)*w1"),
    ("min(exp(z), 1)", "Min(exp(z), 1)"),
])
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


@pytest.mark.parametrize("text, what", [
    ("__import__('os')", "not allowed"),
    ("x.real", "Attribute"),
    ("a[0]", "Subscript"),
    ("(lambda: 1)()", "not allowed"),
    ("exp(x=1)", "the call exp"),
    ("x if y else z", "invalid syntax"),
    ("1 < x < 2", "Compare"),
])
def test_everything_else_is_refused(text, what):
    with pytest.raises(ValueError, match=f"cannot read closed form .*{what}"):
        parse_closed_form(text)


def test_a_name_before_parentheses_is_a_product_not_a_call():
    assert parse_closed_form("open(1)") == sympy.Symbol("open")


def test_syntax_errors_are_value_errors():
    with pytest.raises(ValueError, match=r"cannot read closed form 'x \+': invalid syntax"):
        parse_closed_form("x +")
