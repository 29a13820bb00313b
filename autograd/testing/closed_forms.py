"""Check the engine's gradients against closed forms written by hand.

:func:`assert_closed_form` lets a test say "the gradient of L with respect to
k1 is d1*x1 + d2*x2 + d3*x3". It derives the engine's gradient symbolically
(:func:`autograd.symbolic.symbolic`, i.e. the op registry evaluated over
sympy), compares it with the closed form symbolically where sympy can decide,
otherwise at random points, and also runs the float engine's backward at random
points. Needs sympy: ``pip install "chalkgrad[symbolic]"``.
"""

from __future__ import annotations

import cmath
import math
import random
from collections.abc import Callable, Mapping
from typing import Any

from autograd.backend import FLOAT
from autograd.graph import backward
from autograd.symbolic import (
    SymbolicResult,
    exact,
    require_sympy,
    simplify_expression,
    symbolic,
)
from autograd.symbolic.closed_form import parse_closed_form
from autograd.tensors import Tensor
from autograd.testing.explain import GradientAssertionError
from autograd.value import Value


def assert_closed_form(
    graph: Any,
    expected: Any,
    symbols: Any = None,
    *,
    values: Mapping[Any, Any] | None = None,
    seed: Any = None,
    points: int = 12,
    low: float = -2.0,
    high: float = 2.0,
    domain: Mapping[str, tuple[float, float]] | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    random_state: int = 0,
    check_engine: bool = True,
) -> SymbolicResult | None:
    """Assert the engine's gradients (and optionally values) equal closed forms.

    ``graph`` is a root Value (or list of Values, or Tensor), a callable of no
    arguments returning one, or a :class:`SymbolicResult`; ``symbols`` and
    ``seed`` are as for :func:`autograd.symbolic.symbolic`. ``expected`` maps
    nodes (Values or labels) to the closed form of ``d root / d node``, each a
    sympy expression or a string (see :func:`parse_closed_form`); ``values``
    does the same for node values. ``graph`` may also be a sympy expression,
    compared with the single closed form ``expected``.

    Each pair is compared symbolically (simplify the difference to 0); when
    sympy cannot decide, at ``points`` random points with every symbol drawn
    from ``[low, high]`` (or ``domain[name]``). With ``check_engine``, the
    float engine (forward replayed through the registry at each point, then
    :func:`autograd.backward`) must also match the closed form there. A failure
    shows both forms and a point where they differ. Returns the result.

    Example:
        >>> from autograd import Value
        >>> k, x = Value(2.0, label="k"), Value(3.0, label="x")
        >>> z = k * x; z.label = "z"
        >>> r = assert_closed_form(z, {"k": "d x"}, ["k", "x"], seed="d")
        >>> r.grad[k]
        d*x
    """
    sp = require_sympy()
    rng = random.Random(random_state)
    if isinstance(graph, sp.Basic):
        names = {str(s): s for s in graph.free_symbols}
        want = (
            parse_closed_form(expected, names, allow_new_symbols=False)
            if isinstance(expected, str)
            else exact(expected)
        )
        _compare(
            sp, "expression", exact(graph), exact(want), rng, points, low, high, domain, rtol, atol
        )
        return None
    if callable(graph) and not isinstance(graph, (Value, Tensor, SymbolicResult)):
        graph = graph()
    result = (
        graph
        if isinstance(graph, SymbolicResult)
        else symbolic(graph, symbols, seed=seed, simplify=False)
    )
    if not isinstance(expected, Mapping):
        raise TypeError(
            "expected must map nodes (Values or labels) to closed forms, got "
            f"{type(expected).__name__}"
        )
    names = _names(sp, result)
    checks = []
    for kind, table in (("gradient", expected), ("value", values or {})):
        for key, form in table.items():
            node = _node(result, key)
            want = (
                parse_closed_form(form, names, allow_new_symbols=False)
                if isinstance(form, str)
                else exact(form)
            )
            got = result.grad.raw(node) if kind == "gradient" else result.value.raw(node)
            what = _describe(result, kind, node)
            _compare(sp, what, got, exact(want), rng, points, low, high, domain, rtol, atol)
            checks.append((kind, node, what, want))
    if check_engine and checks:
        _check_float_engine(sp, result, checks, rng, points, low, high, domain, rtol, atol)
    return result


# ----------------------------------------------------------------- helpers
def _names(sp: Any, result: SymbolicResult) -> dict[str, Any]:
    names: dict[str, Any] = {}
    for expr in list(result.symbol_of.values()) + list(result.seeds):
        for s in exact(expr).free_symbols:
            names[str(s)] = s
    return names


def _node(result: SymbolicResult, key: Any) -> Value:
    if isinstance(key, Value):
        for v in result.order:
            if v is key:
                return v
        raise ValueError(f"expected-key {key!r} is not a node of the graph")
    if isinstance(key, str):
        found = [v for v in result.order if v.label == key]
        found += [v for v, s in result.symbol_of.items() if str(s) == key and v not in found]
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValueError(f"no node labelled {key!r} in the graph")
        raise ValueError(f"{len(found)} nodes are labelled {key!r}: pass the Value itself")
    raise TypeError(f"expected-keys must be Values or labels, got {type(key).__name__} {key!r}")


def _describe(result: SymbolicResult, kind: str, node: Value) -> str:
    if kind == "value":
        return f"value of {result.name(node)}"
    root = result.name(result.roots[0]) if len(result.roots) == 1 else "the seeded roots"
    return f"gradient of {root} with respect to {result.name(node)}"


def _draw(
    rng: random.Random,
    symbols: list[Any],
    low: float,
    high: float,
    domain: Mapping[str, tuple[float, float]] | None,
) -> dict[Any, float]:
    point = {}
    for s in symbols:
        lo, hi = (domain or {}).get(str(s), (low, high))
        point[s] = rng.uniform(lo, hi)
    return point


def _number(sp: Any, expr: Any, point: dict[Any, float]) -> complex | None:
    try:
        # xreplace with Floats evaluates Piecewise/Min on the way; far faster than evalf(subs=)
        value = exact(expr).xreplace({s: sp.Float(x, 30) for s, x in point.items()})
        x = complex(value.evalf() if value.free_symbols == set() else value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None  # still symbolic (a symbol without a value) or undefined
    if not cmath.isfinite(x) or abs(x.imag) > 1e-12 * max(1.0, abs(x.real)):
        return None
    return x


def _close(a: complex, b: complex, rtol: float, atol: float) -> bool:
    return abs(a - b) <= atol + rtol * max(abs(a), abs(b))


def _fmt(point: dict[Any, float]) -> str:
    return ", ".join(f"{s} = {x:.6g}" for s, x in sorted(point.items(), key=lambda kv: str(kv[0])))


def _compare(
    sp: Any,
    what: str,
    got: Any,
    want: Any,
    rng: random.Random,
    points: int,
    low: float,
    high: float,
    domain: Any,
    rtol: float,
    atol: float,
) -> None:
    try:
        if simplify_expression(got - want) == 0:
            return
    except (TypeError, ValueError, RecursionError):
        pass  # sympy could not decide: fall back to numbers
    symbols = sorted(exact(got).free_symbols | exact(want).free_symbols, key=str)
    valid = 0
    for _ in range(points * 4):
        point = _draw(rng, symbols, low, high, domain)
        a, b = _number(sp, got, point), _number(sp, want, point)
        if a is None or b is None:
            continue
        if not _close(a, b, rtol, atol):
            raise GradientAssertionError(
                f"{what}: the engine's closed form differs from the expected one\n"
                f"  engine:   {got}\n  expected: {want}\n"
                f"  at {_fmt(point)}: engine {_real(a)} vs expected {_real(b)}"
            )
        valid += 1
        if valid >= points:
            return
    raise GradientAssertionError(
        f"{what}: found only {valid} of {points} random points where both forms are finite "
        f"and real; give domain={{name: (low, high)}}\n  engine:   {got}\n  expected: {want}"
    )


def _real(x: complex) -> float | complex:
    return x.real if x.imag == 0 else x


def _check_float_engine(
    sp: Any,
    result: SymbolicResult,
    checks: list,
    rng: random.Random,
    points: int,
    low: float,
    high: float,
    domain: Any,
    rtol: float,
    atol: float,
) -> None:
    """Replay the float forward at random symbol values, run backward, compare."""
    order = result.order
    symbols: set[Any] = set()
    for expr in list(result.symbol_of.values()) + list(result.seeds):
        symbols |= exact(expr).free_symbols
    for check in checks:
        symbols |= exact(check[3]).free_symbols
    symbols_sorted = sorted(symbols, key=str)
    saved = [(v.data, v.grad) for v in order]
    try:
        valid = 0
        for _ in range(points * 4):
            point = _draw(rng, symbols_sorted, low, high, domain)
            if not _replay(sp, result, point):
                continue
            seeds = [_number(sp, s, point) for s in result.seeds]
            if any(s is None for s in seeds):
                continue
            for v in order:
                v.grad = 0.0
            backward(result.roots, [s.real for s in seeds])
            ok = True
            for kind, node, what, want in checks:
                b = _number(sp, want, point)
                if b is None:
                    ok = False
                    break
                a = node.grad if kind == "gradient" else node.data
                if not math.isfinite(a):
                    ok = False
                    break
                if not _close(a, b, max(rtol, 1e-6), max(atol, 1e-9)):
                    raise GradientAssertionError(
                        f"{what}: the float engine differs from the expected closed form\n"
                        f"  expected: {want}\n"
                        f"  at {_fmt(point)}: engine {a} vs expected {_real(b)}"
                    )
            valid += ok
            if valid >= points:
                return
        if valid == 0:
            raise GradientAssertionError(
                "the float engine check found no random point where every "
                "value is finite; give domain={name: (low, high)}"
            )
    finally:
        for v, (data, grad) in zip(order, saved):
            v.data, v.grad = data, grad


def _replay(sp: Any, result: SymbolicResult, point: dict[Any, float]) -> bool:
    """Set mapped nodes to the point, recompute the rest through the registry."""
    for v in result.order:
        if v in result.symbol_of:
            x = _number(sp, result.symbol_of[v], point)
            if x is None:
                return False
            v.data = x.real
        elif v.parents:
            op = v.primitive
            v.data = op.forward(FLOAT, *[p.data for p in v.parents], *op.params)
        if not math.isfinite(v.data):
            return False
    return True


def closed_form_grad(
    build: Callable[[], Any], wrt: Any, symbols: Any = None, seed: Any = None
) -> Any:
    """The engine's simplified symbolic gradient of a built graph w.r.t. one node.

    Example:
        >>> from autograd import Value
        >>> def build():
        ...     x = Value(1.0, label="x")
        ...     return (x * x).exp()
        >>> closed_form_grad(build, "x", ["x"])
        2*x*exp(x**2)
    """
    result = symbolic(build(), symbols, seed=seed)
    return result.grad[_node(result, wrt)]
