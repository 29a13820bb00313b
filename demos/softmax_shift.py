"""P3: softmax is invariant to a global shift: g(s, t) = softmax(v s + 1_K t).

softmax(a + t 1)_i = e^{a_i} e^t / sum_j e^{a_j} e^t = softmax(a)_i, so g does
not depend on t (every d g_i / d t is 0), while it does depend on s as long as
v is not a multiple of 1_K (then v s is itself a global shift).
"""

from __future__ import annotations

import numpy as np

import nn
from autograd import Tensor, Value, jacobian
from demos.common import check, heading, save_graph, scalar, show, start

TITLE = "P3: softmax(v s + 1 t) is constant in t, not in s (Jacobians, symbolic)"

V = [1.0, -2.0, 0.5]


def g(v: list[float] | np.ndarray, s: Value, t: Value) -> Tensor:
    """``softmax(v s + 1_K t)`` with ``nn.functional.softmax``.

    Example:
        >>> y = g([1.0, 0.0], Value(0.0), Value(5.0))
        >>> y.data.tolist()
        [0.5, 0.5]
    """
    logits = Tensor(np.asarray(v, dtype=float), label="v") * s + t  # (K,)
    return nn.functional.softmax(logits)


def derivatives(v: list[float] | np.ndarray, s0: float, t0: float) -> tuple[np.ndarray, np.ndarray]:
    """``(dg/ds, dg/dt)`` at (s0, t0), each of shape (K,), from ``autograd.jacobian``.

    Example:
        >>> _, dt = derivatives([1.0, -1.0], 0.3, 2.0)
        >>> bool(np.allclose(dt, 0.0))
        True
    """
    s, t = Tensor([s0], label="s"), Tensor([t0], label="t")
    ds = jacobian(lambda a, b: g(v, a[0], b[0]), [s, t])
    return ds[0][:, 0], ds[1][:, 0]


def main(argv: list[str] | None = None) -> int:
    """Show the invariance numerically and symbolically; write ``softmax_shift.svg``."""
    out = start(argv, TITLE)
    heading("Givens")
    show("v", V)
    print("g(s, t) = softmax(v s + 1_K t)")
    heading("Values for s = 1 and several t")
    for t0 in (-3.0, 0.0, 2.0, 10.0):
        show(f"g(1, {t0:g})", g(V, Value(1.0), Value(t0)))
    heading("Values for t = 0 and several s")
    for s0 in (-1.0, 0.0, 1.0):
        show(f"g({s0:g}, 0)", g(V, Value(s0), Value(0.0)))
    heading("Jacobians at s = 1, t = 2")
    ds, dt = derivatives(V, 1.0, 2.0)
    show("dg/dt", dt)
    show("dg/ds", ds)
    check(np.allclose(dt, 0.0, atol=1e-12), "dg/dt = 0: constant in t")
    check(np.abs(ds).max() > 0.1, "dg/ds != 0: not constant in s")
    heading("On random inputs")
    rng = np.random.default_rng(0)
    worst = 0.0
    for _ in range(5):
        ds, dt = derivatives(rng.normal(size=4), rng.normal(), rng.normal() * 5)
        worst = max(worst, float(np.abs(dt).max()))
    check(worst < 1e-12, f"5 random (v, s, t): max |dg/dt| = {worst:.1e}")
    heading("Symbolically (autograd.symbolic over the same graph)")
    try:
        from autograd.symbolic import symbolic

        s, t = Value(1.0, label="s"), Value(2.0, label="t")
        y = g(V, s, t)
        first = y.values[0]
        result = symbolic(first, {"s": "s", "t": "t"})
        print(f"g_1 = {result.value[first]}")
        print(f"dg_1/dt = {result.grad[t]}")
        print(f"dg_1/ds = {result.grad[s]}")
        check(result.grad[t] == 0, "the symbolic dg_1/dt simplifies to 0")
    except ImportError as error:
        print(f"(skipped: {error})")
    s, t = Value(1.0, label="s"), Value(2.0, label="t")
    y = g(V, s, t)
    first = scalar(y.values[0], "g_1")
    first.backward()
    save_graph(first, out, "softmax_shift", title="P3: g_1 = softmax(v s + t)_1: grad at t is 0")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
