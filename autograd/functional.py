"""Tensor functions that rearrange nodes or combine Tensors: concat, stack, pad, where, linear.

``concat``, ``stack`` and ``where`` create no nodes: they place existing Values in
a new array, so the gradient reaches exactly the Values that were picked. ``pad``
adds constant leaves around the input.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd.tensors import Tensor, as_tensor, matmul
from autograd.value import as_value


def concat(tensors: Sequence[Any], axis: int = 0, *, dim: int | None = None) -> Tensor:
    """Join Tensors along an existing axis (``dim=`` too), like ``torch.cat`` (alias ``cat``).

    Example:
        >>> concat([Tensor([1.0]), Tensor([2.0, 3.0])]).data.tolist()
        [1.0, 2.0, 3.0]
        >>> cat([Tensor([[1.0]]), Tensor([[2.0]])], dim=1).shape
        (1, 2)
    """
    axis = axis if dim is None else dim
    parts = [as_tensor(t) for t in tensors]
    if not parts:
        raise ValueError("concat needs at least one Tensor")
    try:
        return Tensor.wrap(np.concatenate([t.values for t in parts], axis=axis))
    except (ValueError, np.exceptions.AxisError) as e:
        shapes = [t.shape for t in parts]
        raise ValueError(f"concat along axis {axis}: shapes {shapes} do not fit ({e})") from None


def stack(tensors: Sequence[Any], axis: int = 0, *, dim: int | None = None) -> Tensor:
    """Join Tensors of one shape along a new axis (``dim=`` too), like ``torch.stack``.

    Example:
        >>> stack([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])], dim=1).shape
        (2, 2)
    """
    axis = axis if dim is None else dim
    parts = [as_tensor(t) for t in tensors]
    if not parts:
        raise ValueError("stack needs at least one Tensor")
    shapes = {t.shape for t in parts}
    if len(shapes) != 1:
        raise ValueError(f"stack needs Tensors of one shape, got {[t.shape for t in parts]}")
    return Tensor.wrap(np.stack([t.values for t in parts], axis=axis))


cat = concat  # PyTorch's name


def pad(t: Any, pad_width: Any, value: float = 0.0) -> Tensor:
    """Constant padding with numpy's ``pad_width`` convention.

    Every padded position is the same constant leaf holding ``value``.

    Example:
        >>> pad(Tensor([1.0, 2.0]), 1).data.tolist()
        [0.0, 1.0, 2.0, 0.0]
    """
    t = as_tensor(t)
    fill = as_value(value)
    try:
        widths = np.broadcast_to(np.asarray(pad_width, dtype=int), (t.ndim, 2))
    except ValueError:
        raise ValueError(
            f"pad: pad_width {pad_width!r} does not fit a Tensor with {t.ndim} dims; "
            "give an int, a (before, after) pair, or one pair per dim"
        ) from None
    if (widths < 0).any():
        raise ValueError(f"pad: widths must be >= 0, got {pad_width!r}")
    shape = tuple(n + int(w.sum()) for n, w in zip(t.shape, widths))
    out = np.full(shape, fill, dtype=object)
    inner = tuple(slice(int(w[0]), int(w[0]) + n) for n, w in zip(t.shape, widths))
    out[inner] = t.values
    return Tensor.wrap(out)


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """Pick Values from ``a`` where ``condition`` holds, else from ``b`` (broadcast).

    Example:
        >>> where([True, False], Tensor([1.0, 2.0]), 0.0).data.tolist()
        [1.0, 0.0]
    """
    cond = condition.data != 0 if isinstance(condition, Tensor) else np.asarray(condition, bool)
    a, b = as_tensor(a), as_tensor(b)
    try:
        c, x, y = np.broadcast_arrays(cond, a.values, b.values)
    except ValueError:
        raise ValueError(
            f"where: shapes {cond.shape}, {a.shape} and {b.shape} do not broadcast"
        ) from None
    return Tensor.wrap(np.where(c, x, y))


def linear(x: Any, weight: Any, bias: Any = None) -> Tensor:
    """``x @ weight.T + bias`` with PyTorch's layout: weight is (out_features, in_features).

    Each output element is a single ``dot`` node Σ w_i x_i + b.

    Example:
        >>> y = linear(Tensor([1.0, 2.0]), Tensor([[3.0, 4.0]]), Tensor([0.5]))
        >>> y.data.tolist()
        [11.5]
    """
    x, weight = as_tensor(x), as_tensor(weight)
    if weight.ndim != 2:
        raise ValueError(
            f"linear: weight must be 2-D (out_features, in_features), got {weight.shape}"
        )
    if x.ndim == 0 or x.shape[-1] != weight.shape[1]:
        raise ValueError(
            f"linear: input of shape {x.shape} needs last dim {weight.shape[1]} "
            f"to match weight of shape {weight.shape}"
        )
    return matmul(x, weight.T, bias=bias)
