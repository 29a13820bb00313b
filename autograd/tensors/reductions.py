"""The reductions of a Tensor: sum, mean, max, min, argmax, softmax, log_softmax.

A reduction creates one n-ary node per output element over the reduced axes.
Mixed into :class:`~autograd.tensors.tensor.Tensor`, which builds the results
through its ``_result`` and ``_operand`` hooks, so this module never imports it.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from autograd import ops
from autograd.mode import note_derived, tracing
from autograd.nodes import Axis, normalize_axes, reduce_nodes
from autograd.tensors.shapes import DimensionError


class ValuesIndices(NamedTuple):
    """What ``max(dim)``, ``min(dim)`` and ``topk`` return, as PyTorch's ``return_types``:
    a pair that also has ``.values`` (a Tensor) and ``.indices`` (an int ndarray).

    Example:
        >>> from autograd import Tensor
        >>> values, indices = Tensor([[1.0, 5.0], [3.0, 4.0]]).max(1)
        >>> values.data.tolist(), indices.tolist()
        ([5.0, 4.0], [1, 1])
    """

    values: Any
    indices: np.ndarray


class Reductions:
    """Reductions over some or all axes; each returns a new plain Tensor.

    Axes are PyTorch's ``dim=``/``keepdim=`` (an int or a tuple of ints, positional
    or by keyword) or numpy's ``axis=``/``keepdims=``.
    """

    __slots__ = ()

    def sum(
        self, dim: Axis = None, keepdim: bool = False, *, axis: Axis = None, keepdims: bool = False
    ) -> Reductions:
        """One n-ary ``sum`` node per output element.

        Example:
            >>> from autograd import Tensor
            >>> t = Tensor([[1.0, 2.0], [3.0, 4.0]])
            >>> t.sum().item(), t.sum(axis=0).data.tolist(), t.sum(1, keepdim=True).shape
            (10.0, [4.0, 6.0], (2, 1))
        """
        axes, keep = reduction_axes("sum", self, dim, keepdim, axis, keepdims)
        return reduce(ops.SUM, self, axes, keep)

    def mean(
        self, dim: Axis = None, keepdim: bool = False, *, axis: Axis = None, keepdims: bool = False
    ) -> Reductions:
        """The sum divided by the number of reduced elements.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).mean(dim=1).data.tolist()
            [1.5, 3.5]
        """
        axes, keep = reduction_axes("mean", self, dim, keepdim, axis, keepdims)
        count = int(np.prod([self.shape[a] for a in axes])) if axes else 1
        return reduce(ops.SUM, self, axes, keep) / float(count)

    def max(
        self, dim: Any = None, keepdim: bool = False, *, axis: Axis = None, keepdims: bool = False
    ) -> Any:
        """PyTorch's three ``max``: ``t.max()`` the largest element; ``t.max(dim)`` the pair
        (values, indices) of the first maximum along ``dim``; ``t.max(other)`` the elementwise
        :meth:`maximum`. ``axis=`` (numpy's) and a tuple of dims give the values only. One
        n-ary node per output element. Ties as PyTorch: over one dim the first maximum takes
        the gradient (``max``); over all dims or a tuple of them the tied maxima share it
        evenly (``amax``).

        Example:
            >>> from autograd import Tensor
            >>> t = Tensor([[1.0, 5.0], [3.0, 4.0]])
            >>> t.max().item(), t.max(axis=1).data.tolist(), t.max(1, keepdim=True).indices.tolist()
            (5.0, [5.0, 4.0], [[1], [1]])
            >>> x = Tensor([2.0, 2.0, 1.0]); x.max().backward(); x.grad.tolist()
            [0.5, 0.5, 0.0]
        """
        return _extreme(self, "max", dim, keepdim, axis, keepdims)

    def min(
        self, dim: Any = None, keepdim: bool = False, *, axis: Axis = None, keepdims: bool = False
    ) -> Any:
        """The three ``min`` of PyTorch, as :meth:`max`.

        Example:
            >>> from autograd import Tensor
            >>> t = Tensor([[1.0, 5.0], [3.0, 4.0]])
            >>> t.min(axis=1).data.tolist(), t.min(dim=0).values.data.tolist()
            ([1.0, 3.0], [1.0, 4.0])
        """
        return _extreme(self, "min", dim, keepdim, axis, keepdims)

    def amax(self, dim: Axis = None, keepdim: bool = False) -> Reductions:
        """The largest elements over ``dim`` (all dims by default), values only; tied maxima
        share the gradient evenly, as ``torch.amax``.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([[1.0, 5.0], [3.0, 4.0]]).amax(dim=(0, 1)).item()
            5.0
        """
        return _extreme(self, "amax", None, keepdim, dim, False)

    def amin(self, dim: Axis = None, keepdim: bool = False) -> Reductions:
        """The smallest elements over ``dim`` (all dims by default), values only; tied minima
        share the gradient evenly, as ``torch.amin``.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([[1.0, 5.0], [3.0, 4.0]]).amin(dim=0).data.tolist()
            [1.0, 4.0]
        """
        return _extreme(self, "amin", None, keepdim, dim, False)

    def argmax(
        self, dim: int | None = None, keepdim: bool = False, *, axis: int | None = None
    ) -> np.ndarray | int:
        """Indices of the (first) maxima as ints (no gradient); ``dim=None`` flattens.

        Example:
            >>> from autograd import Tensor
            >>> t = Tensor([[1.0, 5.0], [3.0, 4.0]])
            >>> t.argmax(axis=1).tolist(), t.argmax(dim=0, keepdim=True).tolist(), t.argmax()
            ([1, 1], [[1, 0]], 1)
        """
        return _arg(self, "argmax", np.argmax, dim, keepdim, axis)

    def argmin(
        self, dim: int | None = None, keepdim: bool = False, *, axis: int | None = None
    ) -> np.ndarray | int:
        """Indices of the (first) minima as ints (no gradient); ``dim=None`` flattens.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([[1.0, 5.0], [3.0, 0.0]]).argmin(dim=1).tolist()
            [0, 1]
        """
        return _arg(self, "argmin", np.argmin, dim, keepdim, axis)

    def softmax(self, axis: int = -1, *, dim: int | None = None) -> Reductions:
        """exp(x - max) / sum(exp(x - max)) along ``dim`` (or ``axis``); the max is a
        constant, so nothing overflows.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1000.0, 1000.0]).softmax().data.tolist()
            [0.5, 0.5]
            >>> Tensor([[0.0, 0.0]]).softmax(dim=1).data.tolist()
            [[0.5, 0.5]]
        """
        axis = _softmax_axis("softmax", self, axis, dim)
        e = (self - _row_max(self, axis)).exp()
        return e / e.sum(axis=axis, keepdims=True)

    def log_softmax(self, axis: int = -1, *, dim: int | None = None) -> Reductions:
        """(x - max) - log(sum(exp(x - max))) along ``dim`` (or ``axis``), stable for large
        inputs.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1000.0, 1000.0]).log_softmax(dim=-1).data.round(4).tolist()
            [-0.6931, -0.6931]
        """
        axis = _softmax_axis("log_softmax", self, axis, dim)
        shifted = self - _row_max(self, axis)
        return shifted - shifted.exp().sum(axis=axis, keepdims=True).log()


def _softmax_axis(method: str, t: Any, axis: Any, dim: Any) -> int:
    """The one axis of softmax/log_softmax, from ``dim=`` (PyTorch) or ``axis`` (numpy)."""
    if dim is not None and axis != -1:
        raise TypeError(f"{method}: give dim= (PyTorch) or axis (numpy), not both")
    chosen = axis if dim is None else dim
    if isinstance(chosen, bool) or not isinstance(chosen, (int, np.integer)):
        raise TypeError(f"{method}: dim must be one int, got {chosen!r:.40}")
    (one,), _ = reduction_axes(method, t, int(chosen), False, None, False)
    return one


def reduction_axes(
    method: str, t: Any, dim: Any, keepdim: Any, axis: Any, keepdims: Any
) -> tuple[tuple[int, ...], bool]:
    """The axes (sorted, non-negative) and keepdims of a reduction called with PyTorch's
    ``dim``/``keepdim`` or numpy's ``axis``/``keepdims``, one of the two spellings.

    Example:
        >>> from autograd import Tensor
        >>> reduction_axes("sum", Tensor([[1.0]]), -1, True, None, False)
        ((1,), True)
    """
    if dim is not None and axis is not None:
        raise TypeError(f"{method}: give dim= (PyTorch) or axis= (numpy), not both")
    if keepdim is not True and keepdim is not False and not isinstance(keepdim, np.bool_):
        raise TypeError(f"{method}: keepdim must be True or False, got {keepdim!r:.40}")
    chosen = axis if dim is None else dim
    if dim is not None and isinstance(dim, (tuple, list)) and not dim:
        chosen = None  # PyTorch reads dim=() as every dim (numpy's axis=() as none)
    if not (chosen is None or isinstance(chosen, (int, np.integer))) and not (
        isinstance(chosen, (tuple, list)) and all(isinstance(a, (int, np.integer)) for a in chosen)
    ):
        raise TypeError(
            f"{method}: dim must be an int, a tuple of ints or None, got "
            f"{type(chosen).__name__} {chosen!r:.40}"
        )
    try:
        axes = normalize_axes(chosen, t.ndim)
    except ValueError:
        raise DimensionError(
            f"{method}: dim/axis {chosen!r} is out of range for a Tensor of shape {t.shape} "
            f"(dims {-max(t.ndim, 1)} to {max(t.ndim, 1) - 1})"
        ) from None
    return axes, bool(keepdim or keepdims)


def _extreme(t: Any, method: str, dim: Any, keepdim: Any, axis: Any, keepdims: Any) -> Any:
    """max/min: the elementwise form, the (values, indices) pair, or the values only."""
    largest = method in ("max", "amax")
    if dim is not None and not isinstance(dim, (int, np.integer, tuple, list)):
        return t.maximum(dim) if largest else t.minimum(dim)  # torch.max(a, b)
    axes, keep = reduction_axes(method, t, dim, keepdim, axis, keepdims)
    first = method in ("max", "min") and _one_axis(axis if dim is None else dim)
    op = (ops.MAX if first else ops.AMAX) if largest else (ops.MIN if first else ops.AMIN)
    values = reduce(op, t, axes, keep)
    if dim is None or not _one_axis(dim):
        return values
    return ValuesIndices(
        values, _arg(t, method, np.argmax if largest else np.argmin, dim, keep, None)
    )


def _arg(t: Any, method: str, pick: Any, dim: Any, keepdim: Any, axis: Any) -> Any:
    if isinstance(dim, (tuple, list)) or isinstance(axis, (tuple, list)):
        raise TypeError(
            f"{method}: dim must be one int or None, got {dim if axis is None else axis!r}"
        )
    axes, keep = reduction_axes(method, t, dim, keepdim, axis, False)
    if dim is None and axis is None:
        return int(pick(t.data))  # over the flattened Tensor, as torch and numpy
    return pick(t.data, axis=axes[0], keepdims=keep)


def reduce(op: ops.Op, t: Reductions, axis: Axis, keepdims: bool) -> Reductions:
    """One n-ary ``op`` node per output element over the reduced axes.

    Example:
        >>> from autograd import Tensor
        >>> reduce(ops.SUM, Tensor([[1.0, 2.0], [3.0, 4.0]]), 1, True).data.tolist()
        [[3.0], [7.0]]
    """
    return t._result(reduce_nodes(op, t.values, normalize_axes(axis, t.ndim), keepdims))


def _one_axis(axis: Axis) -> bool:
    """``max(dim)``, which picks one index, rather than a reduction over all or several axes."""
    return isinstance(axis, (int, np.integer)) and not isinstance(axis, bool)


def _row_max(t: Reductions, axis: int) -> Reductions:
    """The max along ``axis`` as constant leaves labelled ``rowmax``: softmax's shift.

    Subtracting a constant leaves softmax unchanged and keeps exp from overflowing;
    the label says in a drawing what these leaves are. A compiled step computes
    them again on every call (``note_derived``), from that call's rows.
    """
    with np.errstate(invalid="ignore"):
        m = np.max(t.data, axis=axis, keepdims=True)
    shift = t._operand(np.where(np.isfinite(m), m, 0.0)).name("rowmax")
    if tracing():
        rows = np.moveaxis(t.values, axis, -1).reshape(-1, t.shape[axis])
        for leaf, row in zip(np.moveaxis(shift.values, axis, -1).ravel(), rows):
            note_derived(leaf, ops.ROW_MAX, tuple(row))
    return shift
