"""Gradient checks for tests: central differences against backward, and Jacobians."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd.graph import zero_grad
from autograd.tensors import Tensor
from autograd.value import Value

Input = Value | Tensor


class GradcheckError(AssertionError):
    """Backward disagrees with central differences.

    Example:
        >>> try:
        ...     gradcheck(lambda v: v.relu(), Value(0.0, label='x'))  # the kink at 0
        ... except GradcheckError as e:
        ...     print(str(e).split(':')[0])
        gradcheck failed at x[] for output[]
    """


def _leaves(inputs: Input | Sequence[Input]) -> list[Input]:
    items = [inputs] if isinstance(inputs, (Value, Tensor)) else list(inputs)
    for i, x in enumerate(items):
        if not isinstance(x, (Value, Tensor)):
            raise TypeError(f"inputs[{i}] must be a Value or Tensor, got {type(x).__name__}")
    return items


def _flat_values(x: Input) -> list[Value]:
    return [x] if isinstance(x, Value) else list(x.values.flat)


def _outputs(result: Any) -> list[Value]:
    if isinstance(result, Value):
        return [result]
    if isinstance(result, Tensor):
        return list(result.values.flat)
    raise TypeError(f"f must return a Value or Tensor, got {type(result).__name__}")


def _shape(x: Input) -> tuple[int, ...]:
    return () if isinstance(x, Value) else x.shape


def _analytic(f: Callable, items: list[Input]) -> tuple[list[np.ndarray], tuple]:
    """Rows of d output_k / d input, one backward per output element."""
    result = f(*items)
    outs = _outputs(result)
    out_shape = () if isinstance(result, Value) else result.shape
    leaves = [_flat_values(x) for x in items]
    jac = [np.zeros((len(outs), len(vs))) for vs in leaves]
    for k, out in enumerate(outs):
        zero_grad(outs)
        out.backward(1.0)
        for J, vs in zip(jac, leaves):
            J[k] = [v.grad for v in vs]
    zero_grad(outs)
    return jac, out_shape


def _numeric(f: Callable, items: list[Input], eps: float) -> list[np.ndarray]:
    cols = []
    for x in items:
        vs = _flat_values(x)
        J = None
        for i, v in enumerate(vs):
            original = v.data
            v.data = original + eps
            plus = np.array([o.data for o in _outputs(f(*items))])
            v.data = original - eps
            minus = np.array([o.data for o in _outputs(f(*items))])
            v.data = original
            if J is None:
                J = np.zeros((len(plus), len(vs)))
            J[:, i] = (plus - minus) / (2 * eps)
        cols.append(J if J is not None else np.zeros((0, 0)))
    return cols


def jacobian(f: Callable[..., Input], inputs: Input | Sequence[Input]) -> np.ndarray | tuple:
    """The Jacobian of ``f(*inputs)`` from backward, shaped ``out.shape + input.shape``.

    One input gives one ndarray; several give a tuple, one per input. The
    inputs' own gradients are left as they were.

    Example:
        >>> x = Tensor([1.0, 2.0])
        >>> jacobian(lambda t: t * t, x).tolist()
        [[2.0, 0.0], [0.0, 4.0]]
    """
    items = _leaves(inputs)
    saved = [[v.grad for v in _flat_values(x)] for x in items]
    jac, out_shape = _analytic(f, items)
    _restore(items, saved)
    shaped = tuple(J.reshape(out_shape + _shape(x)) for J, x in zip(jac, items))
    return shaped[0] if len(items) == 1 else shaped


def _restore(items: list[Input], saved: list[list[float]]) -> None:
    for x, grads in zip(items, saved):
        for v, g in zip(_flat_values(x), grads):
            v.grad = g


def gradcheck(
    f: Callable[..., Input],
    inputs: Input | Sequence[Input],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-4,
) -> bool:
    """Check backward against central differences over every input element.

    Returns True, or raises :class:`GradcheckError` naming the worst element:
    which input, its index, both derivatives and their difference.

    Example:
        >>> x = Tensor([0.5, -1.0])
        >>> gradcheck(lambda t: (t.tanh() * t).sum(), [x])
        True
    """
    items = _leaves(inputs)
    saved = [[v.grad for v in _flat_values(x)] for x in items]
    try:
        analytic, out_shape = _analytic(f, items)
        numeric = _numeric(f, items, eps)
    finally:
        _restore(items, saved)
    worst = None
    for n, (A, N, x) in enumerate(zip(analytic, numeric, items)):
        excess = np.abs(A - N) - (atol + rtol * np.abs(N))
        excess = np.where(np.isnan(A) != np.isnan(N), np.inf, np.nan_to_num(excess, nan=-1.0))
        if excess.size and excess.max() > 0 and (worst is None or excess.max() > worst[0]):
            k, i = np.unravel_index(int(np.argmax(excess)), excess.shape)
            worst = (excess.max(), n, k, i, A[k, i], N[k, i], x)
    if worst is None:
        return True
    _, n, k, i, a, num, x = worst
    index = np.unravel_index(i, _shape(x)) if _shape(x) else ()
    out_index = np.unravel_index(k, out_shape) if out_shape else ()
    name = getattr(x, "label", None) or f"inputs[{n}]"
    raise GradcheckError(
        f"gradcheck failed at {name}{list(map(int, index))} for output{list(map(int, out_index))}: "
        f"backward gives {a:.10g}, central difference (eps={eps:g}) gives {num:.10g}, "
        f"difference {a - num:.3g} (atol={atol:g}, rtol={rtol:g})"
    )
