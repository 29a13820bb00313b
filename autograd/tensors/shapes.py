"""The shape ops of a Tensor: reshape, view, flatten, transpose, T, unsqueeze, squeeze.

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
        """Insert a dimension of size one at ``dim``.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1.0, 2.0]).unsqueeze(0).shape
            (1, 2)
        """
        return self._result(np.expand_dims(self.values, dim))

    def squeeze(self, dim: int | None = None) -> ShapeOps:
        """Remove dimensions of size one.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([[1.0], [2.0]]).squeeze().shape
            (2,)
        """
        return self._result(np.squeeze(self.values, axis=dim))
