"""The shape ops of a Tensor: reshape, view, flatten, transpose, T, unsqueeze, squeeze,
permute, expand, repeat, flip, roll.

They create no nodes: each returns the same Values in a new arrangement. Mixed into
:class:`~autograd.tensors.tensor.Tensor`, which builds the results through its
``_result`` hook, so this module never imports it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class ShapeOps:
    """New arrangements of the same Values; each returns a new plain Tensor."""

    __slots__ = ()

    def reshape(self, *shape: int | Sequence[int]) -> ShapeOps:
        """The same Values in a new shape.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1.0, 2.0, 3.0, 4.0]).reshape(2, 2).data.tolist()
            [[1.0, 2.0], [3.0, 4.0]]
        """
        if len(shape) == 1 and not isinstance(shape[0], int):
            shape = tuple(shape[0])
        try:
            return self._result(self.values.reshape(shape))
        except ValueError:
            raise ValueError(
                f"cannot reshape a Tensor of shape {self.shape} into {shape}"
            ) from None

    def view(self, *shape: int | Sequence[int]) -> ShapeOps:
        """Alias of :meth:`reshape`, as in PyTorch.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1.0, 2.0, 3.0, 4.0]).view(2, -1).shape
            (2, 2)
        """
        return self.reshape(*shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> ShapeOps:
        """Merge dims ``start_dim..end_dim`` into one, like ``torch.flatten``.

        Example:
            >>> from autograd import Tensor
            >>> Tensor(np.zeros((2, 3, 4))).flatten(1).shape
            (2, 12)
        """
        if self.ndim == 0:
            return self.reshape(1)
        s, e = start_dim % self.ndim, end_dim % self.ndim
        shape = self.shape[:s] + (int(np.prod(self.shape[s : e + 1])),) + self.shape[e + 1 :]
        return self.reshape(shape)

    def transpose(self, *axes: int) -> ShapeOps:
        """No axes reverses them (numpy's ``.T``); two axes swap (PyTorch's form, so
        ``k.transpose(-2, -1)`` and ``W.transpose(0, 1)`` transpose a matrix); a full
        permutation of three or more axes is numpy's.

        Example:
            >>> from autograd import Tensor
            >>> t = Tensor(np.zeros((2, 3, 4)))
            >>> t.transpose().shape, t.transpose(1, 2).shape
            ((4, 3, 2), (2, 4, 3))
            >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).transpose(0, 1).data.tolist()
            [[1.0, 3.0], [2.0, 4.0]]
        """
        if len(axes) == 2:
            return self._result(np.swapaxes(self.values, *axes))
        return self._result(self.values.transpose(*axes) if axes else self.values.T)

    @property
    def T(self) -> ShapeOps:  # noqa: N802 - numpy's name
        """The transpose (all axes reversed), sharing the same Values.

        Example:
            >>> from autograd import Tensor
            >>> W = Tensor([[1.0, 2.0]]); W.T.shape, W.T[1, 0] is W[0, 1]
            ((2, 1), True)
        """
        return self._result(self.values.T)

    def unsqueeze(self, dim: int) -> ShapeOps:
        """Insert a dimension of size one at ``dim`` (``-1`` appends one).

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1.0, 2.0]).unsqueeze(0).shape, Tensor([1.0, 2.0]).unsqueeze(-1).shape
            ((1, 2), (2, 1))
        """
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
            raise TypeError(f"unsqueeze: dim must be an int, got {type(dim).__name__} {dim!r:.40}")
        if not -self.ndim - 1 <= dim <= self.ndim:
            raise DimensionError(
                f"unsqueeze: dim {dim} is out of range for a Tensor of shape {self.shape} "
                f"(dims {-self.ndim - 1} to {self.ndim})"
            )
        return self._result(np.expand_dims(self.values, int(dim)))

    def squeeze(self, dim: int | Sequence[int] | None = None) -> ShapeOps:
        """Remove dimensions of size one: all of them, or those among ``dim`` (an int or a
        tuple); as in PyTorch, naming a dimension whose size is not one leaves it.

        Example:
            >>> from autograd import Tensor
            >>> t = Tensor([[1.0], [2.0]])
            >>> t.squeeze().shape, t.squeeze(0).shape, t.squeeze((0, 1)).shape
            ((2,), (2, 1), (2,))
        """
        if dim is None:
            return self._result(np.squeeze(self.values))
        dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
        axes = _axes("squeeze", dims, self.shape)
        drop = tuple(a for a in axes if self.shape[a] == 1)
        return self._result(np.squeeze(self.values, axis=drop))

    def permute(self, *dims: int | Sequence[int]) -> ShapeOps:
        """The same Values with their dimensions reordered: ``permute(2, 0, 1)`` (or a tuple).

        Example:
            >>> from autograd import Tensor
            >>> Tensor(np.zeros((2, 3, 4))).permute(2, 0, 1).shape
            (4, 2, 3)
        """
        order = _axes("permute", _sizes(dims), self.shape)
        if sorted(order) != list(range(self.ndim)):
            raise ValueError(
                f"permute: dims {_sizes(dims)} are not an ordering of the {self.ndim} dims of "
                f"shape {self.shape}"
            )
        return self._result(self.values.transpose(order))

    def expand(self, *sizes: int | Sequence[int]) -> ShapeOps:
        """The same Values repeated along dims of size one (``-1`` keeps a size), new leading
        dims allowed, as ``torch.expand``; the gradients of the repeats add up.

        Example:
            >>> from autograd import Tensor
            >>> t = Tensor([[1.0], [2.0]]); t.expand(2, 3).data.tolist(), t.expand(4, -1, 2).shape
            ([[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]], (4, 2, 2))
        """
        sizes = _sizes(sizes)
        if len(sizes) < self.ndim:
            raise ValueError(
                f"expand: sizes {sizes} have fewer dims than the Tensor's shape {self.shape}"
            )
        lead = len(sizes) - self.ndim
        target = []
        for d, size in enumerate(sizes):
            old = self.shape[d - lead] if d >= lead else None
            if size == -1 and old is not None:
                size = old
            if size < 0 or (old is not None and old != 1 and old != size):
                raise ValueError(
                    f"expand: cannot expand shape {self.shape} to {sizes}: dim {d} is "
                    f"{old if old is not None else 'new'}, and only a size-1 dim can grow"
                )
            target.append(size)
        return self._result(np.broadcast_to(self.values, tuple(target)).copy())

    def expand_as(self, other: ShapeOps) -> ShapeOps:
        """:meth:`expand` to ``other``'s shape.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1.0]).expand_as(Tensor([[1.0, 2.0]])).shape
            (1, 2)
        """
        return self.expand(other.shape)

    def repeat(self, *sizes: int | Sequence[int]) -> ShapeOps:
        """The Tensor tiled ``sizes[d]`` times along each dim, as ``torch.repeat``.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1.0, 2.0]).repeat(2).data.tolist(), Tensor([1.0, 2.0]).repeat(2, 1).shape
            ([1.0, 2.0, 1.0, 2.0], (2, 2))
        """
        sizes = _sizes(sizes)
        if len(sizes) < self.ndim or any(n < 0 for n in sizes):
            raise ValueError(
                f"repeat: sizes {sizes} must be >= 0, one per dim of shape {self.shape} at least"
            )
        return self._result(np.tile(self.values, sizes))

    def flip(self, *dims: int | Sequence[int]) -> ShapeOps:
        """The elements in reverse order along ``dims``.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).flip(1).data.tolist()
            [[2.0, 1.0], [4.0, 3.0]]
        """
        return self._result(np.flip(self.values, _axes("flip", _sizes(dims), self.shape)))

    def roll(
        self, shifts: int | Sequence[int], dims: int | Sequence[int] | None = None
    ) -> ShapeOps:
        """The elements shifted cyclically by ``shifts`` along ``dims`` (none: the flattened
        Tensor), as ``torch.roll``.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1.0, 2.0, 3.0]).roll(1).data.tolist()
            [3.0, 1.0, 2.0]
        """
        if dims is None:
            return self._result(np.roll(self.values, shifts))
        many = not isinstance(dims, (int, np.integer))
        axes = _axes("roll", tuple(dims) if many else (dims,), self.shape)
        steps = tuple(shifts) if isinstance(shifts, (tuple, list)) else (shifts,)
        if len(steps) != len(axes):
            raise ValueError(f"roll: {len(steps)} shifts for {len(axes)} dims ({shifts}, {dims})")
        return self._result(np.roll(self.values, steps, axis=axes))


class DimensionError(IndexError, ValueError):
    """A dim out of range: an IndexError as in PyTorch, a ValueError as in numpy.

    Example:
        >>> from autograd import Tensor
        >>> try:
        ...     Tensor([1.0]).flip(1)
        ... except IndexError as e:
        ...     print(e)
        flip: dim 1 is out of range for a Tensor of shape (1,) (dims -1 to 0)
    """


def _sizes(args: tuple) -> tuple[int, ...]:
    """``f(2, 3)`` and ``f((2, 3))`` alike: the ints, checked."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    for a in args:
        if isinstance(a, bool) or not isinstance(a, (int, np.integer)):
            raise TypeError(f"expected ints (sizes or dims), got {type(a).__name__} {a!r:.40}")
    return tuple(int(a) for a in args)


def _axes(method: str, dims: Sequence[int], shape: tuple[int, ...]) -> tuple[int, ...]:
    """``dims`` as non-negative axes of ``shape``; an IndexError names the bad one."""
    ndim = len(shape)
    out = []
    for d in _sizes((tuple(dims),)):
        if not -max(ndim, 1) <= d < max(ndim, 1):
            raise DimensionError(
                f"{method}: dim {d} is out of range for a Tensor of shape {shape} "
                f"(dims {-max(ndim, 1)} to {max(ndim, 1) - 1})"
            )
        out.append(d % max(ndim, 1))
    return tuple(out)
