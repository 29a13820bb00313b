"""The elementwise ops of a Tensor: arithmetic, unary maps, comparisons and ``@``.

Every elementwise op creates one node per output element through the op registry
(with numpy broadcasting); ``@`` creates one n-ary ``dot`` node per output element.
Mixed into :class:`~autograd.tensors.tensor.Tensor`, which builds the results and
turns operands into Tensors through two hooks (``_result``, ``_operand``), so this
module never imports the class.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import ops
from autograd.backend import FLOAT
from autograd.nodes import broadcast_nodes, map_nodes, matmul_nodes
from autograd.value import Value, _is_number, _number


class ElementwiseOps:
    """Arithmetic dunders, ``map`` and the unary functions, ``maximum``/``minimum``,
    comparisons (bool ndarrays) and ``@``; every op returns a new plain Tensor."""

    __slots__ = ()

    @classmethod
    def _binary(cls, op: ops.Op, a: Any, b: Any) -> ElementwiseOps:
        """A binary primitive with numpy broadcasting, one node per output element."""
        a, b = cls._operand(a), cls._operand(b)
        return cls._result(broadcast_nodes(op, a.values, b.values))

    @classmethod
    def _matmul(cls, a: Any, b: Any, bias: Any = None) -> ElementwiseOps:
        """``a @ b`` (+ ``bias``), one n-ary ``dot`` node per output element."""
        a, b = cls._operand(a), cls._operand(b)
        if a.ndim and b.ndim and a.shape[-1] == 0:  # an empty sum: zeros, as PyTorch
            shape = np.matmul(np.zeros(a.shape), np.zeros(b.shape)).shape  # checks shapes
            out = cls._operand(np.zeros(shape))
            return out if bias is None else out + bias
        biases = None if bias is None else cls._operand(bias).values
        return cls._result(matmul_nodes(a.values, b.values, biases))

    def __add__(self, other: Any) -> ElementwiseOps:
        return self._binary(ops.ADD, self, other)

    def __radd__(self, other: Any) -> ElementwiseOps:
        return self._binary(ops.ADD, other, self)

    def __sub__(self, other: Any) -> ElementwiseOps:
        return self._binary(ops.SUB, self, other)

    def __rsub__(self, other: Any) -> ElementwiseOps:
        return self._binary(ops.SUB, other, self)

    def __mul__(self, other: Any) -> ElementwiseOps:
        return self._binary(ops.MUL, self, other)

    def __rmul__(self, other: Any) -> ElementwiseOps:
        return self._binary(ops.MUL, other, self)

    def __truediv__(self, other: Any) -> ElementwiseOps:
        return self._binary(ops.DIV, self, other)

    def __rtruediv__(self, other: Any) -> ElementwiseOps:
        return self._binary(ops.DIV, other, self)

    def __pow__(self, other: Any) -> ElementwiseOps:
        if _is_number(other):
            return self.map(ops.POW.bind(other if isinstance(other, int) else float(other)))
        return self._binary(ops.POW_VALUE, self, other)

    def __rpow__(self, other: Any) -> ElementwiseOps:
        return self._binary(ops.POW_VALUE, other, self)

    def __neg__(self) -> ElementwiseOps:
        return self.map(ops.NEG)

    def __matmul__(self, other: Any) -> ElementwiseOps:
        return self._matmul(self, other)

    def __rmatmul__(self, other: Any) -> ElementwiseOps:
        return self._matmul(other, self)

    def map(self, op: ops.Op) -> ElementwiseOps:
        """Apply a unary primitive to every element.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([-1.0, 2.0]).map(ops.RELU).data.tolist()
            [0.0, 2.0]
        """
        return self._result(map_nodes(op, self.values))

    def exp(self) -> ElementwiseOps:
        """e ** x elementwise.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([0.0, 1.0]).exp().data.round(4).tolist()
            [1.0, 2.7183]
        """
        return self.map(ops.EXP)

    def log(self) -> ElementwiseOps:
        """Natural log elementwise; log(0) = -inf.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1.0, 0.0]).log().data.tolist()
            [0.0, -inf]
        """
        return self.map(ops.LOG)

    def sqrt(self) -> ElementwiseOps:
        """Square root elementwise.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([4.0, 9.0]).sqrt().data.tolist()
            [2.0, 3.0]
        """
        return self.map(ops.SQRT)

    def tanh(self) -> ElementwiseOps:
        """tanh elementwise.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([0.0, 1000.0]).tanh().data.tolist()
            [0.0, 1.0]
        """
        return self.map(ops.TANH)

    def sigmoid(self) -> ElementwiseOps:
        """Logistic sigmoid elementwise, overflow-free.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([0.0, -1000.0]).sigmoid().data.tolist()
            [0.5, 0.0]
        """
        return self.map(ops.SIGMOID)

    def relu(self) -> ElementwiseOps:
        """max(x, 0) elementwise.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([-1.0, 2.0]).relu().data.tolist()
            [0.0, 2.0]
        """
        return self.map(ops.RELU)

    def leaky_relu(self, slope: float = 0.01) -> ElementwiseOps:
        """x if x > 0 else slope * x, elementwise.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([-1.0, 2.0]).leaky_relu(0.1).data.tolist()
            [-0.1, 2.0]
        """
        return self.map(ops.LEAKY_RELU.bind(FLOAT.number(_number(slope, "slope"))))

    def elu(self, alpha: float = 1.0) -> ElementwiseOps:
        """x if x > 0 else alpha (e^x - 1), elementwise.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([0.0, 2.0]).elu().data.tolist()
            [0.0, 2.0]
        """
        return self.map(ops.ELU.bind(FLOAT.number(_number(alpha, "alpha"))))

    def softplus(self) -> ElementwiseOps:
        """log(1 + e^x) elementwise, overflow-free.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([0.0]).softplus().data.round(4).tolist()
            [0.6931]
        """
        return self.map(ops.SOFTPLUS)

    def abs(self) -> ElementwiseOps:
        """|x| elementwise.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([-1.5, 2.0]).abs().data.tolist()
            [1.5, 2.0]
        """
        return self.map(ops.ABS)

    def __abs__(self) -> ElementwiseOps:
        return self.abs()

    def maximum(self, other: Any) -> ElementwiseOps:
        """Elementwise max, as ``torch.maximum``: a tie splits the gradient 0.5/0.5.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1.0, 5.0]).maximum(Tensor([3.0, 2.0])).data.tolist()
            [3.0, 5.0]
            >>> x = Tensor([-1.0, 0.0, 2.0]); x.maximum(0).sum().backward(); x.grad.tolist()
            [0.0, 0.5, 1.0]
        """
        return self._binary(ops.MAXIMUM, self, other)

    def minimum(self, other: Any) -> ElementwiseOps:
        """Elementwise min, as ``torch.minimum``: a tie splits the gradient 0.5/0.5.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([1.0, 5.0]).minimum(2.0).data.tolist()
            [1.0, 2.0]
        """
        return self._binary(ops.MINIMUM, self, other)

    # --------------------------------------- comparisons: bool masks (Mask)
    def __lt__(self, other: Any) -> Mask:
        return _mask(self.data < _plain(other))

    def __le__(self, other: Any) -> Mask:
        return _mask(self.data <= _plain(other))

    def __gt__(self, other: Any) -> Mask:
        return _mask(self.data > _plain(other))

    def __ge__(self, other: Any) -> Mask:
        return _mask(self.data >= _plain(other))

    def __eq__(self, other: Any) -> Mask:  # type: ignore[override]
        return _mask(self.data == _plain(other))

    def __ne__(self, other: Any) -> Mask:  # type: ignore[override]
        return _mask(self.data != _plain(other))


class Mask(np.ndarray):
    """What comparing Tensors gives: a bool ndarray, used as PyTorch's bool tensors are.

    It multiplies Tensors as 0/1 constants (``t * (t > 0)``), indexes them
    (``t[t > 0]``), selects in ``where``/``masked_fill``, combines with ``& | ~``, and
    answers PyTorch's ``.float()``/``.double()`` (a float ndarray) and ``.long()``/``.int()``.

    Example:
        >>> from autograd import Tensor
        >>> t = Tensor([-1.0, 2.0]); m = t > 0
        >>> m.tolist(), m.float().tolist(), (t * m).data.tolist(), t[m].data.tolist()
        ([False, True], [0.0, 1.0], [-0.0, 2.0], [2.0])
    """

    def __array_wrap__(self, array: Any, context: Any = None, return_scalar: bool = False) -> Any:
        # Only bool results stay Masks: (m & n) is a Mask, m.sum() a plain number.
        if array.dtype == bool and not return_scalar:
            return array.view(Mask)
        plain = array.view(np.ndarray)
        return plain[()] if return_scalar else plain

    def float(self) -> np.ndarray:
        """0.0 and 1.0, as ``mask.float()`` in PyTorch (a float ndarray)."""
        return np.asarray(self, dtype=float)

    def double(self) -> np.ndarray:
        """Same as :meth:`float`."""
        return np.asarray(self, dtype=float)

    def long(self) -> np.ndarray:
        """0 and 1 as an int64 ndarray."""
        return np.asarray(self, dtype=np.int64)

    def int(self) -> np.ndarray:
        """Same as :meth:`long`."""
        return np.asarray(self, dtype=np.int64)

    def bool(self) -> Mask:
        """The mask itself."""
        return self


def _mask(result: Any) -> Mask:
    return np.asarray(result).view(Mask)


def _plain(x: Any) -> Any:
    """The numbers of a Tensor or Value, for comparisons; anything else as it is."""
    if isinstance(x, (ElementwiseOps, Value)):
        return x.data
    return x
