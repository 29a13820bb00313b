"""Bounds on the exact (sympy) work a user can start, each with a one-line error.

Floats overflow to inf and stop there; exact arithmetic does not: ``3**1000000000``
has half a billion digits, ``10^10^10`` ten billion, and sympy would compute them
to the last digit. Symbolic mode and closed-form parsing therefore check every
input against the limits below before the work starts, and raise
:class:`LimitError` (a ValueError) naming the limit that was hit:

- :data:`MAX_EXACT_DIGITS`: digits of an exact number a power may produce;
- :data:`MAX_CLOSED_FORM_CHARS`, :data:`MAX_CLOSED_FORM_NODES`,
  :data:`MAX_CLOSED_FORM_DEPTH`: the size and nesting of a closed-form string;
- :data:`MAX_SYMBOLIC_NODES`, :data:`MAX_SYMBOLIC_DEPTH`, :data:`MAX_SYMBOLIC_TERMS`:
  the graph handed to :func:`autograd.symbolic.symbolic` (its node count, its
  longest path, and the size its expressions would have written out as trees).

:func:`time_limit` bounds the rest (sympy's simplify has no bound of its own);
the ``chalkgrad`` command uses it for all symbolic work.
"""

from __future__ import annotations

import math
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

MAX_EXACT_DIGITS = 10_000
MAX_CLOSED_FORM_CHARS = 10_000
MAX_CLOSED_FORM_NODES = 2_000
MAX_CLOSED_FORM_DEPTH = 100
MAX_SYMBOLIC_NODES = 2_000
MAX_SYMBOLIC_DEPTH = 200
MAX_SYMBOLIC_TERMS = 100_000


class LimitError(ValueError):
    """Exact work refused (or stopped) because it passes one of the limits.

    Example:
        >>> str(LimitError("3**1000000000 would have about 477,121,255 digits (limit 10,000)"))
        '3**1000000000 would have about 477,121,255 digits (limit 10,000)'
    """


def _height(sp: Any, number: Any) -> float:
    """log10 of the largest numerator or denominator inside an exact number."""
    heights = [0.0]
    for r in number.atoms(sp.Rational):
        for part in (abs(int(r.p)), int(r.q)):
            if part > 1:
                heights.append(math.log10(part))  # exact enough for any int size
    return max(heights)


def check_power(sp: Any, base: Any, exponent: Any) -> None:
    """Refuse ``base ** exponent`` when both are exact numbers and the result is too long.

    A power of a symbol (``x**1000000000``) stays as written and is fine; a power
    of a number is computed to the last digit, so its size is estimated first:
    ``|exponent| * log10(largest integer in base)`` digits.

    Example:
        >>> import sympy
        >>> check_power(sympy, sympy.Integer(2), sympy.Integer(100))  # 31 digits: fine
        >>> check_power(sympy, sympy.Integer(3), sympy.Integer(10**9))
        Traceback (most recent call last):
        ...
        autograd.limits.LimitError: 3**1000000000 would have about 477,121,255 digits; the limit for exact numbers is 10,000 digits (autograd.limits.MAX_EXACT_DIGITS)
    """
    base, exponent = sp.sympify(base), sp.sympify(exponent)
    if base.free_symbols or exponent.free_symbols or not exponent.is_Rational:
        return
    if base in (sp.S.Zero, sp.S.One, sp.S.NegativeOne) or not base.is_number:
        return
    digits = abs(float(exponent)) * _height(sp, base)
    if digits > MAX_EXACT_DIGITS:
        about = f"{digits:,.0f}" if digits < 1e15 else f"{digits:.3g}"
        raise LimitError(
            f"{_short(base)}**{_short(exponent)} would have about {about} digits; the "
            f"limit for exact numbers is {MAX_EXACT_DIGITS:,} digits "
            "(autograd.limits.MAX_EXACT_DIGITS)"
        )


def check_number(sp: Any, value: Any, what: str) -> None:
    """Refuse an exact number with more than :data:`MAX_EXACT_DIGITS` digits.

    Example:
        >>> import sympy
        >>> check_number(sympy, sympy.Integer(3) ** 30000, "node y")
        Traceback (most recent call last):
        ...
        autograd.limits.LimitError: node y is an exact number of about 14,314 digits; the limit is 10,000 digits (autograd.limits.MAX_EXACT_DIGITS)
    """
    if getattr(value, "is_Rational", False):
        digits = _height(sp, value)
        if digits > MAX_EXACT_DIGITS:
            raise LimitError(
                f"{what} is an exact number of about {digits:,.0f} digits; the limit is "
                f"{MAX_EXACT_DIGITS:,} digits (autograd.limits.MAX_EXACT_DIGITS)"
            )


def _short(x: Any) -> str:
    text = str(x)
    return text if len(text) <= 24 else f"{text[:20]}...({len(text)} characters)"


def check_graph(order: Sequence[Any], inputs: set[int]) -> None:
    """Refuse a graph too large or too deep for symbolic mode, before any sympy work.

    ``order`` is a topological order; ``inputs`` holds the ids of the nodes that
    stand for symbols. Depth and size count symbolic nodes only (a node with no
    symbol below it is an exact number); the written-out size counts every
    path, so a node used twice is written twice.

    Example:
        >>> from autograd import Value, topological_order
        >>> x = Value(1.0, label="x"); y = x
        >>> for _ in range(300): y = y * x
        >>> check_graph(topological_order(y), {id(x)})
        Traceback (most recent call last):
        ...
        autograd.limits.LimitError: symbolic: the graph is 300 nodes deep; the limit is 200 (autograd.limits.MAX_SYMBOLIC_DEPTH): sympy's expressions this deep overflow Python's stack
    """
    # Nodes with no symbol below them are exact numbers: depth 0, one term.
    depth: dict[int, int] = {}
    terms: dict[int, int] = {}
    for v in order:
        key = id(v)
        if key in inputs:
            depth[key], terms[key] = 0, 1
        elif not v.parents or all(terms[id(p)] == 0 for p in v.parents):
            depth[key], terms[key] = 0, 0  # a number
        else:
            depth[key] = 1 + max(depth[id(p)] for p in v.parents)
            total = 1 + sum(terms[id(p)] for p in v.parents)
            terms[key] = min(total, MAX_SYMBOLIC_TERMS + 1)
    deepest = max(depth.values(), default=0)
    if deepest > MAX_SYMBOLIC_DEPTH:
        raise LimitError(
            f"symbolic: the graph is {deepest:,} nodes deep; the limit is {MAX_SYMBOLIC_DEPTH:,} "
            "(autograd.limits.MAX_SYMBOLIC_DEPTH): sympy's expressions this deep overflow "
            "Python's stack"
        )
    if len(order) > MAX_SYMBOLIC_NODES:
        raise LimitError(
            f"symbolic: the graph has {len(order):,} nodes; the limit is {MAX_SYMBOLIC_NODES:,} "
            "(autograd.limits.MAX_SYMBOLIC_NODES): closed forms of graphs this large are "
            "too long to read or simplify"
        )
    if max(terms.values(), default=0) > MAX_SYMBOLIC_TERMS:
        raise LimitError(
            f"symbolic: written out, a node's expression would have more than "
            f"{MAX_SYMBOLIC_TERMS:,} terms (autograd.limits.MAX_SYMBOLIC_TERMS): nodes are "
            "reused so often that the closed form grows exponentially; keep fewer inputs "
            "symbolic or use a smaller graph"
        )


@contextmanager
def time_limit(seconds: float, what: str, limit_name: str = "") -> Iterator[None]:
    """Raise :class:`LimitError` if the block runs longer than ``seconds``.

    The message names ``what`` was stopped and, when given, the setting
    ``limit_name`` that holds the number of seconds.

    Works in the main thread of a Unix process (a timer signal interrupts the
    Python code running); elsewhere the block runs without a limit.

    Example:
        >>> import time
        >>> try:
        ...     with time_limit(0.2, "the demo loop"):
        ...         time.sleep(5)
        ... except LimitError as error:
        ...     print(error)
        the demo loop did not finish within 0.2 s
    """
    usable = (
        hasattr(signal, "setitimer")
        and seconds > 0
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise _OutOfTime  # not an Exception: sympy's "except ValueError" must not swallow it

    previous = signal.signal(signal.SIGALRM, stop)
    # Fire again every 0.5 s, in case a bare "except:" somewhere swallowed the first one.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    except _OutOfTime:
        signal.setitimer(signal.ITIMER_REAL, 0)
        where = f" ({limit_name})" if limit_name else ""
        raise LimitError(f"{what} did not finish within {seconds:g} s{where}") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _OutOfTime(BaseException):
    """Raised by the timer inside :func:`time_limit`; turned into a LimitError there."""
