"""Exact work has bounds: each input that used to hang or crash gets a one-line ValueError.

Before autograd.limits, the powers below ran for hours (sympy computes 3**1000000000
to the last digit) and the long closed forms raised RecursionError or MemoryError.
"""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("sympy", reason="symbolic mode and closed forms need sympy")
import sympy  # noqa: E402

from autograd import Value  # noqa: E402
from autograd.limits import (  # noqa: E402
    MAX_SYMBOLIC_DEPTH,
    LimitError,
    check_power,
    time_limit,
)
from autograd.symbolic import symbolic  # noqa: E402
from autograd.symbolic.closed_form import parse_closed_form  # noqa: E402
from viz.cli import command as cli  # noqa: E402


@pytest.mark.parametrize(
    "text, power, digits",
    [
        ("10^10^10", "10**10000000000", "10,000,000,000"),
        ("2 x^9^9^9", "9**387420489", "369,693,100"),
        ("3^1e300", "3**10000000000000000000...(301 characters)", "4.77e+299"),
        ("(1/3)^(-100000)", "1/3**-100000", "47,712"),
    ],
)
def test_huge_exact_powers_in_closed_forms_are_refused(text, power, digits):
    with pytest.raises(LimitError) as info:
        parse_closed_form(text)
    assert str(info.value) == (
        f"{power} would have about {digits} digits; the limit for exact "
        "numbers is 10,000 digits (autograd.limits.MAX_EXACT_DIGITS)"
    )


def test_powers_that_fit_and_powers_of_symbols_still_work():
    x = sympy.Symbol("x")
    assert parse_closed_form("2^100") == 2**100
    assert parse_closed_form("x^1e300") == x ** (10**300)
    check_power(sympy, sympy.Integer(-1), sympy.Integer(10**12))  # (-1)**n is cheap
    check_power(sympy, sympy.Rational(1, 2), sympy.Integer(33000))  # 9,934 digits


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "x+" * 4999 + "x",
            "Python's parser ran out of stack on it; the limits are 100 levels of "
            "nesting and 2,000 parts",
        ),
        ("-" * 5000 + "x", "Python's parser ran out of stack on it"),
        (
            "x+" * 200_000 + "x",
            "cannot read a closed form of 400,001 characters; the limit is "
            "10,000 (autograd.limits.MAX_CLOSED_FORM_CHARS)",
        ),
        (
            "+".join(f"x{i}" for i in range(1500)),
            "it has more than 2,000 parts (autograd.limits.MAX_CLOSED_FORM_NODES)",
        ),
        (
            "exp(" * 101 + "x" + ")" * 101,
            "it is nested 102 levels deep; the limit is 100 "
            "(autograd.limits.MAX_CLOSED_FORM_DEPTH)",
        ),
        ("-" * 150 + "x", "it is nested 151 levels deep; the limit is 100"),
    ],
)
def test_long_and_deep_closed_forms_are_one_value_error(text, message):
    with pytest.raises(LimitError) as info:
        parse_closed_form(text)
    assert isinstance(info.value, ValueError)
    assert message in str(info.value)
    assert "\n" not in str(info.value) and len(str(info.value)) < 400


def test_a_long_flat_sum_is_long_not_deep():
    terms = [f"x{i}" for i in range(300)]
    expr = parse_closed_form(" + ".join(terms))
    assert expr.subs({sympy.Symbol(t): 2 for t in terms}) == 600
    nested = parse_closed_form("exp(" * 60 + "x" + ")" * 60)
    assert str(nested).count("exp(") == 60


@pytest.mark.parametrize(
    "text, message",
    [
        ("1{}", "an indicator 1{...} holds one condition, e.g. 1{z > 0}"),
        ("(x > 1) + 2", "cannot read closed form '(x > 1) + 2': "),
        ("exp(x, y)", "cannot read closed form 'exp(x, y)': "),
    ],
)
def test_malformed_closed_forms_are_value_errors_not_type_errors(text, message):
    with pytest.raises(ValueError) as info:
        parse_closed_form(text)
    assert message in str(info.value)


def test_a_3000_deep_chain_is_refused_before_sympy_starts():
    x = Value(0.5, label="x")
    y = x
    for _ in range(3000):
        y = (y + 1) * x
    with pytest.raises(LimitError) as info:
        symbolic(y, {"x": "x"})
    assert str(info.value) == (
        "symbolic: the graph is 6,000 nodes deep; the limit is 200 "
        "(autograd.limits.MAX_SYMBOLIC_DEPTH): sympy's expressions this deep overflow "
        "Python's stack"
    )


def test_a_chain_within_the_depth_limit_works():
    x = Value(0.5, label="x")
    y = x
    for _ in range(MAX_SYMBOLIC_DEPTH - 1):
        y = y + x  # sympy keeps k*x flat
    r = symbolic(y, {"x": "x"})
    assert r.value[y] == MAX_SYMBOLIC_DEPTH * sympy.Symbol("x")
    assert r.grad[x] == MAX_SYMBOLIC_DEPTH


def test_exponentially_reused_nodes_are_refused():
    x = Value(0.5, label="x")
    y = x
    for _ in range(20):
        y = y * y + y  # each step uses y twice: 2**20 terms written out
    with pytest.raises(
        LimitError,
        match=r"more than 100,000 terms \(autograd.limits."
        r"MAX_SYMBOLIC_TERMS\)",
    ):
        symbolic(y, {"x": "x"})


def test_too_many_nodes_are_refused():
    from autograd.ops import OPS
    from autograd.value import apply

    leaves = tuple(Value(float(i), label=f"x{i}") for i in range(2001))
    total = apply(OPS["sum"], leaves)
    with pytest.raises(LimitError, match=r"the graph has 2,002 nodes; the limit is 2,000"):
        symbolic(total)


def test_symbolic_powers_of_numbers_are_bounded_and_powers_of_symbols_are_not():
    w, x = Value(1.0, label="w"), Value(3.0, label="x")
    with pytest.raises(
        LimitError,
        match=r"^3\*\*1000000000 would have about 477,121,255 "
        r"digits",
    ):
        symbolic(w * x**1e9, {"w": "w"})
    r = symbolic(w * x**1e300, {"x": "x"}, simplify=False)
    assert r.grad.raw(x) == 10**300 * sympy.Symbol("x") ** (10**300 - 1)


def test_exact_numbers_growing_by_repeated_squaring_are_refused():
    w = Value(1.0, label="w")
    c = Value(3.0)
    for _ in range(20):
        c = c * c  # 3**(2**k): a float overflows to inf, an exact number keeps growing
    with pytest.raises(
        LimitError,
        match=r"symbolic: the value of an unlabelled mul node is an "
        r"exact number of about 15,6\d\d digits",
    ):
        symbolic(w * c, {"w": "w"})


def test_the_command_reports_a_huge_power_in_one_line(capsys):
    status = cli.main(["draw", "L = w * x**1000000000", "--symbolic", "w", "--set", "x=3", "w=1"])
    err = capsys.readouterr().err
    assert status == 2
    assert err == (
        "chalkgrad draw: error: 3**1000000000 would have about 477,121,255 digits; "
        "the limit for exact numbers is 10,000 digits "
        "(autograd.limits.MAX_EXACT_DIGITS)\n"
    )


def test_the_command_stops_sympy_at_its_time_limit(capsys, monkeypatch):
    monkeypatch.setattr("viz.cli.options.SYMBOLIC_SECONDS", 1.0)
    nested = "tanh(" * 12 + "x" + ")" * 12  # sympy's tanh checks grow exponentially
    status = cli.main(["draw", f"y = {nested}", "--set", "x=1", "--symbolic", "x"])
    err = capsys.readouterr().err
    assert status == 2
    assert err == (
        "chalkgrad draw: error: the symbolic work (sympy) did not finish within "
        "1 s (viz.cli.options.SYMBOLIC_SECONDS; keep fewer inputs symbolic)\n"
    )


def test_time_limit_outside_the_main_thread_does_not_limit():
    seen = []

    def work():
        with time_limit(0.01, "work"):
            seen.append(sum(range(10**5)))

    t = threading.Thread(target=work)
    t.start()
    t.join(30)
    assert seen == [4999950000]
