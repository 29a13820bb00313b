"""The statistics of a Tensor, composed from primitives: var, std, logsumexp, cumsum.

Nothing here is a new primitive: ``var`` is a mean of squared deviations, ``std`` its
square root, ``logsumexp`` the stable ``log Σ exp(x - max) + max`` and ``cumsum`` one
n-ary ``sum`` node per prefix. Mixed into :class:`~autograd.tensors.tensor.Tensor`,
which builds the results through its ``_result`` hook, so this module never imports it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import ops
from autograd.tensors.reductions import _row_max, reduction_axes
from autograd.value import apply


class Statistics:
    """``var std logsumexp cumsum`` with PyTorch's names and keywords."""

    __slots__ = ()

    def var(
        self,
        dim: Any = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: float | None = None,
        axis: Any = None,
        keepdims: bool = False,
    ) -> Statistics:
        """Σ (x - mean)² / (N - correction) over ``dim`` (all dims by default).

        ``correction=1`` (the default, Bessel's) or ``unbiased=True`` divide by N - 1;
        ``correction=0`` or ``unbiased=False`` by N, as ``torch.var``.

        Example:
            >>> from autograd import Tensor
            >>> t = Tensor([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]])
            >>> t.var().item(), t.var(1).data.tolist(), t.var(dim=1, correction=0).data.tolist()
            (3.2, [1.0, 4.0], [0.6666666666666666, 2.6666666666666665])
        """
        axes, keep = reduction_axes("var", self, dim, keepdim, axis, keepdims)
        count = int(np.prod([self.shape[a] for a in axes])) if axes else 1
        divisor = max(0.0, count - _correction("var", unbiased, correction))
        deviation = self - self.mean(axes, keepdim=True)
        return (deviation**2).sum(axes, keepdim=keep) / divisor

    def std(
        self,
        dim: Any = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: float | None = None,
        axis: Any = None,
        keepdims: bool = False,
    ) -> Statistics:
        """The square root of :meth:`var` (same keywords).

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1.0, 3.0]).std().item(), Tensor([1.0, 3.0]).std(unbiased=False).item()
            (1.4142135623730951, 1.0)
        """
        return self.var(
            dim, unbiased, keepdim, correction=correction, axis=axis, keepdims=keepdims
        ).sqrt()

    def logsumexp(self, dim: Any = None, keepdim: bool = False) -> Statistics:
        """log Σ exp(x) over ``dim`` (all dims by default), computed as
        log Σ exp(x - m) + m with m the max as a constant, so nothing overflows.
        d/dx_i = softmax(x)_i.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([[1000.0, 1000.0], [0.0, 0.0]]).logsumexp(dim=1).data.round(4).tolist()
            [1000.6931, 0.6931]
        """
        axes, keep = reduction_axes("logsumexp", self, dim, keepdim, None, False)
        kept = [a for a in range(self.ndim) if a not in axes]
        kept_shape = tuple(self.shape[a] for a in kept)
        rows = self.permute(kept + list(axes)).reshape(kept_shape + (-1,))  # (..., reduced)
        if rows.shape[-1] == 0:
            raise ValueError(f"logsumexp of an empty Tensor of shape {self.shape}")
        shift = _row_max(rows, -1)  # (..., 1), constant leaves labelled rowmax
        out = (rows - shift).exp().sum(-1, keepdim=True).log() + shift
        if keep:
            return out.reshape(tuple(1 if a in axes else n for a, n in enumerate(self.shape)))
        return out.reshape(kept_shape)

    def cumsum(self, dim: int) -> Statistics:
        """Running sums along ``dim``: element i is one n-ary ``sum`` node over elements 0..i.

        Example:
            >>> from autograd import Tensor
            >>> x = Tensor([1.0, 2.0, 3.0]); y = x.cumsum(0); y.sum().backward()
            >>> y.data.tolist(), x.grad.tolist(), len(y[2].parents)
            ([1.0, 3.0, 6.0], [3.0, 2.0, 1.0], 3)
        """
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
            raise TypeError(f"cumsum: dim must be an int, got {type(dim).__name__} {dim!r:.40}")
        (axis,), _ = reduction_axes("cumsum", self, dim, False, None, False)
        rows = np.moveaxis(self.values, axis, -1)
        out = np.empty(rows.shape, dtype=object)
        for index in np.ndindex(rows.shape[:-1]):
            row = tuple(rows[index])
            for k in range(len(row)):
                out[index + (k,)] = apply(ops.SUM, row[: k + 1])
        return self._result(np.moveaxis(out, -1, axis))


def _correction(method: str, unbiased: Any, correction: Any) -> float:
    """The number subtracted from N: ``correction``, or 1/0 for ``unbiased`` True/False."""
    if unbiased is not None and correction is not None:
        raise TypeError(f"{method}: give correction= or unbiased=, not both")
    if unbiased is not None:
        if unbiased is not True and unbiased is not False:
            raise TypeError(f"{method}: unbiased must be True or False, got {unbiased!r:.40}")
        return 1.0 if unbiased else 0.0
    if correction is None:
        return 1.0
    if isinstance(correction, bool) or not isinstance(correction, (int, float, np.number)):
        raise TypeError(
            f"{method}: correction must be a number (1 for N - 1, 0 for N), got "
            f"{type(correction).__name__} {correction!r:.40}"
        )
    return float(correction)
