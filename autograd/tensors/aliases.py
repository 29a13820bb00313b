"""PyTorch's method names for what a Tensor spells as operators, and its dtype calls.

``t.mul(w).add(b)`` is ``t * w + b``: each alias builds the same nodes as its operator.
Every Value is a float64, so ``float()`` and ``double()`` return the Tensor itself;
``long()`` and ``int()`` give the numbers as an int ndarray (indices, no gradient).
Mixed into :class:`~autograd.tensors.tensor.Tensor` without importing it.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np


class Aliases:
    """``add sub mul div pow matmul neg``, ``float double long int``, ``contiguous clone``,
    ``dim numel tolist``, ``requires_grad``."""

    __slots__ = ()

    def add(self, other: Any, *, alpha: float = 1) -> Aliases:
        """``self + alpha * other``, as ``torch.add``.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1.0, 2.0]).add(1.0).data.tolist(), Tensor([1.0]).add(2.0, alpha=3).item()
            ([2.0, 3.0], 7.0)
        """
        return self + (other if alpha == 1 else _scaled(other, alpha))

    def sub(self, other: Any, *, alpha: float = 1) -> Aliases:
        """``self - alpha * other``, as ``torch.sub``.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1.0, 2.0]).sub(1.0).data.tolist()
            [0.0, 1.0]
        """
        return self - (other if alpha == 1 else _scaled(other, alpha))

    def mul(self, other: Any) -> Aliases:
        """``self * other``.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1.0, 2.0]).mul(3.0).data.tolist()
            [3.0, 6.0]
        """
        return self * other

    def div(self, other: Any, *, rounding_mode: None = None) -> Aliases:
        """``self / other`` (true division; ``rounding_mode`` has no gradient and is refused).

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1.0, 2.0]).div(2.0).data.tolist()
            [0.5, 1.0]
        """
        if rounding_mode is not None:
            raise ValueError(
                f"div: rounding_mode={rounding_mode!r} is not supported (its gradient is 0 "
                "almost everywhere); use t.data // x on the numbers"
            )
        return self / other

    def pow(self, exponent: Any) -> Aliases:
        """``self ** exponent``.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([2.0, 3.0]).pow(2).data.tolist()
            [4.0, 9.0]
        """
        return self**exponent

    def matmul(self, other: Any) -> Aliases:
        """``self @ other``: one ``dot`` node per output element.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([[1.0, 2.0]]).matmul(Tensor([[3.0], [4.0]])).data.tolist()
            [[11.0]]
        """
        return self @ other

    def neg(self) -> Aliases:
        """``-self``.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1.0, -2.0]).neg().data.tolist()
            [-1.0, 2.0]
        """
        return -self

    def float(self) -> Aliases:
        """The Tensor itself: every Value already holds a float64.

        Example:
            >>> from autograd import Tensor
            >>> t = Tensor([1, 2]); t.float() is t
            True
        """
        return self

    def double(self) -> Aliases:
        """The Tensor itself: every Value already holds a float64.

        Example:
            >>> from autograd import Tensor
            >>> t = Tensor([1, 2]); t.double() is t
            True
        """
        return self

    def long(self) -> np.ndarray:
        """The numbers truncated toward zero as an int ndarray (indices; no gradient).

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1.0, -2.7]).long().tolist()
            [1, -2]
        """
        data = self.data
        if not np.isfinite(data).all():
            raise ValueError(f"long: cannot convert inf or nan to an int: {data!r:.60}")
        return data.astype(np.int64)

    def int(self) -> np.ndarray:
        """Same as :meth:`long`.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([3.0]).int().tolist()
            [3]
        """
        return self.long()

    @property
    def requires_grad(self) -> bool:
        """True: every Value takes a gradient (setting True or False changes nothing).

        Example:
            >>> from autograd import Tensor
            >>> W = Tensor([1.0]); W.requires_grad = True; W.requires_grad
            True
        """
        return True

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"requires_grad must be True or False, got {flag!r:.40}")

    def requires_grad_(self, flag: bool = True) -> Aliases:
        """The Tensor itself, as ``torch.Tensor.requires_grad_``.

        Example:
            >>> from autograd import Tensor
            >>> t = Tensor([1.0]); t.requires_grad_() is t
            True
        """
        self.requires_grad = flag
        return self

    def contiguous(self) -> Aliases:
        """The Tensor itself (a Tensor has no memory layout to fix).

        Example:
            >>> from autograd import Tensor
            >>> t = Tensor([1.0]); t.contiguous() is t
            True
        """
        return self

    def clone(self) -> Aliases:
        """A new Tensor over the same Values (gradient flows through, as ``torch.clone``);
        setting an element of the clone leaves the original as it is.

        Example:
            >>> from autograd import Tensor
            >>> t = Tensor([1.0, 2.0]); c = t.clone(); c[0] = 5.0
            >>> t.data.tolist(), c.data.tolist(), c[1] is t[1]
            ([1.0, 2.0], [5.0, 2.0], True)
        """
        return self._result(self.values.copy())

    def dim(self) -> int:
        """The number of dims (``ndim``).

        Example:
            >>> from autograd import Tensor
            >>> Tensor([[1.0]]).dim()
            2
        """
        return self.ndim

    def numel(self) -> int:
        """The number of elements.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([[1.0, 2.0]]).numel()
            2
        """
        return self.values.size

    def tolist(self) -> Any:
        """The numbers as nested Python lists (a float for a 0-d Tensor).

        Example:
            >>> from autograd import Tensor
            >>> Tensor([[1.0, 2.0]]).tolist()
            [[1.0, 2.0]]
        """
        return self.data.tolist()


class ElementCount(int):
    """A Tensor's ``size``: the number of elements (numpy's ``size``), which, called, answers
    PyTorch's ``size()`` (the shape) and ``size(dim)`` (one length).

    Example:
        >>> n = ElementCount(6, (2, 3)); n == 6, n(), n(0), n(-1)
        (True, (2, 3), 2, 3)
    """

    shape: tuple[int, ...]

    def __new__(cls, count: int, shape: tuple[int, ...]) -> ElementCount:
        made = super().__new__(cls, count)
        made.shape = tuple(shape)
        return made

    def __getnewargs__(self) -> tuple:  # pickles with its shape
        return int(self), self.shape

    def __call__(self, dim: int | None = None) -> tuple[int, ...] | int:
        if dim is None:
            return self.shape
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
            raise TypeError(f"size(dim): dim must be an int, got {dim!r:.40}")
        if not -len(self.shape) <= dim < len(self.shape):
            raise IndexError(f"size({dim}): out of range for shape {self.shape}")
        return self.shape[dim]


def _scaled(other: Any, alpha: Any) -> Any:
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"alpha must be a number, got {type(alpha).__name__} {alpha!r:.40}")
    if isinstance(other, (list, tuple)):
        other = np.asarray(other, dtype=float)
    return other * alpha
