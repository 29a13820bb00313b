"""Selections of a Tensor: gather, topk, masked_fill, where, tril, triu.

Like indexing, they create no nodes: each output element is one of the input's
Values, or a constant leaf where PyTorch puts a constant (the zeros of ``tril``, the
fill of ``masked_fill``), so the gradient reaches exactly the Values picked. The
choice is made from the numbers at the time of the call, so ``compile`` bakes it in,
as it does for any value-dependent Python. Mixed into
:class:`~autograd.tensors.tensor.Tensor`, which builds the results through its
``_result`` hook, so this module never imports it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensors.reductions import ValuesIndices, reduction_axes
from autograd.value import Value, as_value


class Selection:
    """``gather topk masked_fill where tril triu``; each returns a new plain Tensor."""

    __slots__ = ()

    def gather(self, dim: int, index: Any) -> Selection:
        """``out[i][j] = self[i][index[i][j]]`` for ``dim=1``, as ``torch.gather``: ``index``
        has as many dims as ``self``, whole numbers in ``[0, size of dim)``.

        Example:
            >>> from autograd import Tensor
            >>> probs = Tensor([[0.1, 0.9], [0.7, 0.3]])
            >>> probs.gather(1, [[1], [0]]).data.tolist()
            [[0.9], [0.7]]
        """
        (axis,), _ = reduction_axes("gather", self, _one_dim("gather", dim), False, None, False)
        idx = whole_numbers("gather", index)
        if idx.ndim != self.ndim:
            raise ValueError(
                f"gather: index must have as many dims as the Tensor ({self.ndim}), got an "
                f"index of shape {idx.shape}"
            )
        for d, (n, m) in enumerate(zip(idx.shape, self.shape)):
            if d != axis and n > m:
                raise ValueError(
                    f"gather: index of shape {idx.shape} is larger than the Tensor's shape "
                    f"{self.shape} in dim {d}"
                )
        size = self.shape[axis]
        if idx.size and (idx.min() < 0 or idx.max() >= size):
            raise IndexError(
                f"gather: index values must be in [0, {size}) for dim {dim} of shape "
                f"{self.shape}, got values from {idx.min()} to {idx.max()}"
            )
        grid = list(np.indices(idx.shape, sparse=True))
        grid[axis] = idx
        return self._result(self.values[tuple(grid)])

    def topk(
        self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True
    ) -> ValuesIndices:
        """The ``k`` largest (``largest=False``: smallest) elements along ``dim``, as
        (values, indices) in order; the values are the input's own Values.

        Example:
            >>> from autograd import Tensor
            >>> values, indices = Tensor([1.0, 5.0, 3.0, 4.0]).topk(2)
            >>> values.data.tolist(), indices.tolist()
            ([5.0, 4.0], [1, 3])
        """
        (axis,), _ = reduction_axes("topk", self, _one_dim("topk", dim), False, None, False)
        size = self.shape[axis] if self.ndim else 1
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k <= size:
            raise ValueError(f"topk: k must be an int in [0, {size}] for dim {dim}, got {k!r:.40}")
        data = self.data if self.ndim else self.data.reshape(1)
        # nan counts as the largest, as in PyTorch; a stable sort keeps ties in index order
        key = (
            np.where(np.isnan(data), -np.inf, -data)
            if largest
            else np.where(np.isnan(data), np.inf, data)
        )
        order = np.take(np.argsort(key, axis=axis, kind="stable"), range(k), axis=axis)
        values = self.values if self.ndim else self.values.reshape(1)
        picked = np.take_along_axis(values, order, axis=axis)
        if not self.ndim:
            picked, order = picked.reshape(()), order.reshape(())
        return ValuesIndices(self._result(picked), order)

    def masked_fill(self, mask: Any, value: float | Value) -> Selection:
        """``value`` where ``mask`` is True, else the element itself, as ``torch.masked_fill``;
        the mask (a bool array, a comparison of Tensors) broadcasts to this Tensor's shape.

        Example:
            >>> from autograd import Tensor
            >>> scores = Tensor([[1.0, 2.0], [3.0, 4.0]])
            >>> scores.masked_fill(scores > 2.5, float("-inf")).data.tolist()
            [[1.0, 2.0], [-inf, -inf]]
        """
        mask = bool_mask("masked_fill", mask)
        try:
            mask = np.broadcast_to(mask, self.shape)
        except ValueError:
            raise ValueError(
                f"masked_fill: a mask of shape {mask.shape} does not broadcast to the "
                f"Tensor's shape {self.shape}"
            ) from None
        fill = _fill("masked_fill", value)
        out = self.values.copy()
        out[mask] = fill
        return self._result(out)

    def where(self, condition: Any, other: Any) -> Selection:
        """This Tensor's element where ``condition`` holds, else ``other``'s (broadcast),
        as ``torch.Tensor.where``.

        Example:
            >>> from autograd import Tensor
            >>> t = Tensor([-1.0, 2.0]); t.where(t > 0, 0.0).data.tolist()
            [0.0, 2.0]
        """
        cond = bool_mask("where", condition)
        other = self._operand(other)
        try:
            c, x, y = np.broadcast_arrays(cond, self.values, other.values)
        except ValueError:
            raise ValueError(
                f"where: shapes {cond.shape}, {self.shape} and {other.shape} do not broadcast"
            ) from None
        return self._result(np.where(c, x, y))

    def tril(self, diagonal: int = 0) -> Selection:
        """The lower triangle of the last two dims (``j - i <= diagonal``); 0 elsewhere.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).tril().data.tolist()
            [[1.0, 0.0], [3.0, 4.0]]
        """
        return _triangle(self, "tril", diagonal, lower=True)

    def triu(self, diagonal: int = 0) -> Selection:
        """The upper triangle of the last two dims (``j - i >= diagonal``); 0 elsewhere.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).triu(1).data.tolist()
            [[0.0, 2.0], [0.0, 0.0]]
        """
        return _triangle(self, "triu", diagonal, lower=False)


def _triangle(t: Any, method: str, diagonal: Any, lower: bool) -> Any:
    if t.ndim < 2:
        raise ValueError(f"{method}: needs a Tensor of at least 2 dims, got shape {t.shape}")
    if isinstance(diagonal, bool) or not isinstance(diagonal, (int, np.integer)):
        raise TypeError(f"{method}: diagonal must be an int, got {diagonal!r:.40}")
    rows, cols = t.shape[-2:]
    offset = np.arange(cols)[None, :] - np.arange(rows)[:, None]  # j - i
    keep = offset <= diagonal if lower else offset >= diagonal
    out = t.values.copy()
    out[..., ~keep] = as_value(0.0)
    return t._result(out)


def _one_dim(method: str, dim: Any) -> int:
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{method}: dim must be an int, got {type(dim).__name__} {dim!r:.40}")
    return int(dim)


def _fill(method: str, value: Any) -> Value:
    if isinstance(value, Value):
        return value
    if getattr(value, "shape", None) == () and hasattr(value, "values"):  # a 0-d Tensor
        return value.values[()]
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        raise TypeError(
            f"{method}: value must be a number, a Value or a 0-d Tensor, got "
            f"{type(value).__name__} {value!r:.40}"
        )
    return as_value(float(value))


def bool_mask(method: str, mask: Any) -> np.ndarray:
    """A mask as a bool ndarray: a bool array (a comparison of Tensors), nested lists of
    bools, or a Tensor (True where nonzero).

    Example:
        >>> bool_mask("where", [True, False]).tolist()
        [True, False]
    """
    if hasattr(mask, "values") and hasattr(mask, "data") and not isinstance(mask, np.ndarray):
        return mask.data != 0  # a Tensor of numbers
    array = np.asarray(mask)
    if array.dtype != bool:
        raise TypeError(
            f"{method}: the mask must hold bools (from a comparison such as t > 0), got "
            f"dtype {array.dtype}"
        )
    return array


def whole_numbers(method: str, index: Any) -> np.ndarray:
    """An index (a list, an int array or a Tensor of whole numbers) as an int ndarray.

    Example:
        >>> whole_numbers("gather", [[1.0], [0.0]]).tolist()
        [[1], [0]]
    """
    data = index.data if hasattr(index, "values") and hasattr(index, "data") else index
    try:
        array = np.asarray(data)
    except ValueError:
        raise ValueError(f"{method}: the index must be a rectangular array") from None
    if array.dtype.kind in "iu":
        return array.astype(int)
    if array.dtype.kind != "f" or not (np.isfinite(array) & (array == np.round(array))).all():
        raise TypeError(
            f"{method}: the index must hold whole numbers (ints, an int array or a Tensor "
            f"of whole numbers), got {array!r:.60}"
        )
    return array.astype(int)
