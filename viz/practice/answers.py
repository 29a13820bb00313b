"""Typed answers: small arithmetic parsed against a whitelist, and the tolerance check.

An answer is a number or a little arithmetic (``2*3 - 1``, ``-0.5``, ``1/4``,
``2^3``), read with ``ast`` against a whitelist and evaluated with an explicit stack:
never ``eval``. The practice page has the same rules in JavaScript
(``viz/pages/assets/practice.js``); the tests hold the two to the same answers.
"""

from __future__ import annotations

import ast
import math

TOLERANCE = 0.01  # relative: within 1% of the engine's value
ZERO = 1e-9  # an answer this close to 0 counts as 0 (rounding noise in the engine's sums)
MAX_ANSWER = 200  # characters in one typed answer
_BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: _divide(a, b),
    ast.Pow: lambda a, b: _power(a, b),
}


class AnswerError(ValueError):
    """A typed answer that is not a number or small arithmetic expression.

    Example:
        >>> str(AnswerError("empty answer"))
        'empty answer'
    """


def _divide(a: float, b: float) -> float:
    if b == 0:
        return math.copysign(math.inf, a) if a else math.nan
    return a / b


def _power(a: float, b: float) -> float:
    if abs(b) > 64:
        raise AnswerError(f"exponent {b:g} is too large for a hand calculation")
    try:
        result = a**b
    except ZeroDivisionError:
        return math.inf
    if isinstance(result, complex):
        raise AnswerError(f"{a:g}^{b:g} is not a real number")
    return float(result)


def parse_answer(text: str) -> float:
    """A typed answer as a number: digits, ``+ - * / ^ **``, parentheses, unary minus.

    ``inf`` and ``nan`` are read too, for gradients that really are not finite.
    The Unicode minus ``−``, ``×`` and ``·`` are accepted as well. Names, calls and
    anything else are refused with an :class:`AnswerError` saying what is accepted.

    Example:
        >>> parse_answer("2*3 - 1"), parse_answer("−0.5"), parse_answer("2^3"), parse_answer("1/4")
        (5.0, -0.5, 8.0, 0.25)
        >>> parse_answer("x + 1")
        Traceback (most recent call last):
        ...
        viz.practice.answers.AnswerError: 'x + 1' is not a number: use digits, + - * / ^ and parentheses
    """
    if not isinstance(text, str):
        raise TypeError(f"an answer is a str, got {type(text).__name__}")
    source = text.strip()
    if not source:
        raise AnswerError("empty answer: type a number such as -0.5 or 2*3 - 1")
    if len(source) > MAX_ANSWER:
        raise AnswerError(f"answer is too long ({len(source)} > {MAX_ANSWER} characters)")
    cleaned = source.replace("−", "-").replace("×", "*").replace("·", "*").replace("^", "**")
    refused = AnswerError(f"{source!r} is not a number: use digits, + - * / ^ and parentheses")
    try:
        tree = ast.parse(cleaned, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise refused from None
    stack: list[tuple[ast.AST, bool]] = [(tree.body, False)]
    results: list[float] = []
    while stack:  # explicit stack: no recursion, no eval
        node, ready = stack.pop()
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise refused
            results.append(float(node.value))
        elif isinstance(node, ast.Name) and node.id.lower() in ("inf", "nan"):
            results.append(float(node.id))  # for a gradient that really is inf or nan
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            if ready:
                b, a = results.pop(), results.pop()
                results.append(_BINARY[type(node.op)](a, b))
            else:
                stack += [(node, True), (node.right, False), (node.left, False)]
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            if ready:
                results.append(-results.pop() if isinstance(node.op, ast.USub) else results.pop())
            else:
                stack += [(node, True), (node.operand, False)]
        else:
            raise refused
    return results[0]


def is_close(answer: float, expected: float, tolerance: float = TOLERANCE) -> bool:
    """True when ``answer`` is within ``tolerance`` (relative) of ``expected``.

    Differences up to ``ZERO`` always pass, so ``0`` answers a gradient of ``3e-17``
    (rounding noise); infinities and nan must match exactly.

    Example:
        >>> is_close(30.2, 30.0), is_close(31.0, 30.0), is_close(0.0, 3e-17)
        (True, False, True)
    """
    if math.isnan(expected) or math.isnan(answer):
        return math.isnan(expected) and math.isnan(answer)
    if math.isinf(expected) or math.isinf(answer):
        return answer == expected
    return abs(answer - expected) <= tolerance * abs(expected) + ZERO
