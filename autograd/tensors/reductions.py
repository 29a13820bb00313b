"""The reductions of a Tensor: sum, mean, max, min, argmax, softmax, log_softmax.

A reduction creates one n-ary node per output element over the reduced axes.
Mixed into :class:`~autograd.tensors.tensor.Tensor`, which builds the results
through its ``_result`` and ``_operand`` hooks, so this module never imports it.
"""

from __future__ import annotations

import numpy as np

from autograd import ops
from autograd.mode import note_derived, tracing
from autograd.nodes import Axis, normalize_axes, reduce_nodes


class Reductions:
    """Reductions over some or all axes; each returns a new plain Tensor."""

    __slots__ = ()

    def sum(self, axis: Axis = None, keepdims: bool = False) -> Reductions:
        """One n-ary ``sum`` node per output element.

        Example:
            >>> from autograd import Tensor
            >>> t = Tensor([[1.0, 2.0], [3.0, 4.0]])
            >>> t.sum().item(), t.sum(axis=0).data.tolist()
            (10.0, [4.0, 6.0])
        """
        return reduce(ops.SUM, self, axis, keepdims)

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Reductions:
        """The sum divided by the number of reduced elements.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).mean(axis=1).data.tolist()
            [1.5, 3.5]
        """
        axes = normalize_axes(axis, self.ndim)
        count = int(np.prod([self.shape[a] for a in axes])) if axes else 1
        return reduce(ops.SUM, self, axis, keepdims) / float(count)

    def max(self, axis: Axis = None, keepdims: bool = False) -> Reductions:
        """One n-ary node per output element. Ties as PyTorch: over one axis (``max(dim)``)
        the first maximum takes the gradient; over all axes or a tuple of them
        (``t.max()``, ``amax``) the tied maxima share it evenly.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([[1.0, 5.0], [3.0, 4.0]]).max(axis=1).data.tolist()
            [5.0, 4.0]
            >>> x = Tensor([2.0, 2.0, 1.0]); x.max().backward(); x.grad.tolist()
            [0.5, 0.5, 0.0]
        """
        return reduce(ops.MAX if _one_axis(axis) else ops.AMAX, self, axis, keepdims)

    def min(self, axis: Axis = None, keepdims: bool = False) -> Reductions:
        """One n-ary node per output element; ties as :meth:`max`.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([[1.0, 5.0], [3.0, 4.0]]).min(axis=1).data.tolist()
            [1.0, 3.0]
        """
        return reduce(ops.MIN if _one_axis(axis) else ops.AMIN, self, axis, keepdims)

    def argmax(self, axis: int | None = None) -> np.ndarray | int:
        """Indices of the maxima as ints (no gradient), like ``numpy.argmax``.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([[1.0, 5.0], [3.0, 4.0]]).argmax(axis=1).tolist()
            [1, 1]
        """
        return np.argmax(self.data, axis=axis)

    def softmax(self, axis: int = -1) -> Reductions:
        """exp(x - max) / sum(exp(x - max)); the max is a constant, so nothing overflows.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1000.0, 1000.0]).softmax().data.tolist()
            [0.5, 0.5]
        """
        e = (self - _row_max(self, axis)).exp()
        return e / e.sum(axis=axis, keepdims=True)

    def log_softmax(self, axis: int = -1) -> Reductions:
        """(x - max) - log(sum(exp(x - max))), stable for large inputs.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1000.0, 1000.0]).log_softmax().data.round(4).tolist()
            [-0.6931, -0.6931]
        """
        shifted = self - _row_max(self, axis)
        return shifted - shifted.exp().sum(axis=axis, keepdims=True).log()


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
