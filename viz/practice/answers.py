"""Typed answers: one small grammar, read the same way by the terminal quiz and the page.

An answer is a number or a little arithmetic (``2*3 - 1``, ``-0.5``, ``1/4``, ``2^3``)::

    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/") unary)*
    unary   := ("-" | "+") unary | power
    power   := atom ("^" unary)?            # "**" is "^"; 2^3^2 = 2^(3^2), -2^2 = -4
    atom    := number | "inf" | "nan" | "(" sum ")"
    number  := digits ["." digits] | "." digits, then [("e" | "E") ["+" | "-"] digits]

Digits are ASCII ``0-9`` only (no ``0x10``, no ``1_0``); ``−`` (U+2212), ``×`` and ``·``
are read as ``-`` and ``*``; spaces separate tokens. The arithmetic is IEEE: an answer
that overflows is ``inf`` (``1e200^2``) and is judged like any other; ``1/0`` is
``inf``, ``0/0`` is ``nan``; a negative number to a fractional power is refused.
The practice page reads answers with the same grammar in JavaScript
(``viz/pages/assets/answers.js``); the tests hold the two to the same answers.
"""

from __future__ import annotations

import math
import re

TOLERANCE = 0.01  # relative: within 1% of the engine's value
ZERO = 1e-9  # an answer this close to 0 counts as 0 (rounding noise in the engine's sums)
MAX_ANSWER = 200  # characters in one typed answer
SPACES = " \t\r\n\u00a0"  # the whitespace both readers skip
_NUMBER = re.compile(r"([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
_WORD = re.compile(r"inf|nan", re.IGNORECASE | re.ASCII)


class AnswerError(ValueError):
    """A typed answer that is not a number or small arithmetic expression.

    Example:
        >>> str(AnswerError("empty answer"))
        'empty answer'
    """


def divide(a: float, b: float) -> float:
    """``a / b`` as IEEE floats (and JavaScript) do it: ``1/0 = inf``, ``0/0 = nan``.

    Example:
        >>> divide(1.0, 0.0), divide(-1.0, 0.0), divide(1.0, -0.0), divide(6.0, 4.0)
        (inf, -inf, -inf, 1.5)
    """
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def power(a: float, b: float) -> float:
    """``a ^ b``: overflow is ``±inf``, never an error; a non-real result is refused.

    ``x^0 = 1`` (nan too), ``(±1)^(±inf)`` is nan, as in JavaScript's ``Math.pow``.

    Example:
        >>> power(2.0, 10.0), power(1e200, 2.0), power(-10.0, 401.0), power(0.0, -1.0)
        (1024.0, inf, -inf, inf)
    """
    if b == 0:
        return 1.0
    if math.isnan(a) or math.isnan(b) or (abs(a) == 1 and math.isinf(b)):
        return math.nan
    odd = math.isfinite(b) and b == int(b) and int(b) % 2 == 1
    if a < 0 and math.isfinite(a) and math.isfinite(b) and b != int(b):
        raise AnswerError(f"{a:g}^{b:g} is not a real number")
    if a == 0 and b < 0:
        return math.copysign(math.inf, a) if odd else math.inf
    try:
        return float(a**b)
    except OverflowError:
        return -math.inf if a < 0 and odd else math.inf


def _tokens(text: str) -> list[float | str] | None:
    src = text.replace("\u2212", "-").replace("\u00d7", "*").replace("\u00b7", "*")
    src = src.replace("**", "^")
    tokens: list[float | str] = []
    i = 0
    while i < len(src):
        if src[i] in SPACES:
            i += 1
        elif number := _NUMBER.match(src, i):
            tokens.append(float(number.group()))
            i = number.end()
        elif word := _WORD.match(src, i):
            tokens.append(math.inf if word.group().lower() == "inf" else math.nan)
            i = word.end()
        elif src[i] in "+-*/^()":
            tokens.append(src[i])
            i += 1
        else:
            return None
    return tokens


class _Reader:
    """Recursive descent over the tokens (an answer has at most 200 characters)."""

    def __init__(self, tokens: list[float | str], refused: AnswerError) -> None:
        self.tokens, self.pos, self.refused = tokens, 0, refused

    def peek(self, ops: str) -> bool:
        token = self.tokens[self.pos] if self.pos < len(self.tokens) else None
        return isinstance(token, str) and token in ops

    def atom(self) -> float:
        if self.pos >= len(self.tokens):
            raise self.refused
        token = self.tokens[self.pos]
        self.pos += 1
        if isinstance(token, float):
            return token
        if token == "(":
            value = self.sum()
            if not self.peek(")"):
                raise self.refused
            self.pos += 1
            return value
        raise self.refused

    def power(self) -> float:
        base = self.atom()
        if self.peek("^"):
            self.pos += 1
            return power(base, self.unary())
        return base

    def unary(self) -> float:
        if self.peek("-"):
            self.pos += 1
            return -self.unary()
        if self.peek("+"):
            self.pos += 1
            return self.unary()
        return self.power()

    def product(self) -> float:
        value = self.unary()
        while self.peek("*/"):
            op = self.tokens[self.pos]
            self.pos += 1
            other = self.unary()
            value = value * other if op == "*" else divide(value, other)
        return value

    def sum(self) -> float:
        value = self.product()
        while self.peek("+-"):
            op = self.tokens[self.pos]
            self.pos += 1
            other = self.product()
            value = value + other if op == "+" else value - other
        return value


def parse_answer(text: str) -> float:
    """A typed answer as a number: digits, ``+ - * / ^ **``, parentheses, unary minus.

    ``inf`` and ``nan`` are read too, for gradients that really are not finite, and
    an answer that overflows is ``inf``. Names, calls, ``0x10``, ``1_0`` and anything
    else are refused with an :class:`AnswerError` saying what is accepted.

    Example:
        >>> parse_answer("2*3 - 1"), parse_answer("−0.5"), parse_answer("2^3"), parse_answer("1/4")
        (5.0, -0.5, 8.0, 0.25)
        >>> parse_answer("1e200^2"), parse_answer("-2^2"), parse_answer("2^3^2")
        (inf, -4.0, 512.0)
        >>> parse_answer("0x10")
        Traceback (most recent call last):
        ...
        viz.practice.answers.AnswerError: '0x10' is not a number: use digits, + - * / ^ and parentheses
    """
    if not isinstance(text, str):
        raise TypeError(f"an answer is a str, got {type(text).__name__}")
    source = text.strip(SPACES)
    if not source:
        raise AnswerError("empty answer: type a number such as -0.5 or 2*3 - 1")
    if len(source) > MAX_ANSWER:
        raise AnswerError(f"answer is too long ({len(source)} > {MAX_ANSWER} characters)")
    refused = AnswerError(f"{source!r} is not a number: use digits, + - * / ^ and parentheses")
    tokens = _tokens(source)
    if not tokens:
        raise refused
    reader = _Reader(tokens, refused)
    value = reader.sum()
    if reader.pos != len(tokens):
        raise refused
    return value


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
