"""``Tensor``: an n-d array of Value nodes, with numpy broadcasting.

A Tensor wraps a numpy object array whose elements are :class:`Value` nodes.
Every elementwise op creates one node per output element through the op
registry; ``@`` creates one n-ary ``dot`` node per output element; reductions
create one n-ary node per output element. Indexing, slicing, reshaping and
transposing create no nodes: they return the same Values in a new arrangement.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from autograd import ops
from autograd.backend import FLOAT
from autograd.graph import backward as _backward
from autograd.nodes import (
    Axis,
    broadcast_nodes,
    data_of,
    map_nodes,
    matmul_nodes,
    normalize_axes,
    reduce_nodes,
)
from autograd.value import Value, _is_number, _number, as_value


def _element_name(label: str, index: tuple[int, ...]) -> str:
    if not index:  # the one element of a 0-d Tensor is named like the Tensor
        return label
    return f"{label}[{','.join(map(str, index))}]"


@lru_cache(maxsize=256)
def _index_suffixes(shape: tuple[int, ...]) -> tuple[str, ...]:
    """``("[0,0]", "[0,1]", ...)`` for ``shape`` in C order, built once per shape."""
    if not shape:
        return ("",)
    return tuple(f"[{','.join(map(str, i))}]" for i in np.ndindex(shape))


def _to_objects(data: Any, label: str | None) -> np.ndarray:
    """An object array of Values from numbers, nested lists, arrays or Values."""
    if isinstance(data, Value):
        return np.array(data, dtype=object)
    if hasattr(data, "detach") and hasattr(data, "cpu"):  # a torch.Tensor: copy its numbers
        data = data.detach().cpu()
        data = (data.double() if data.is_floating_point() else data).numpy()  # bfloat16 too
    try:
        raw = np.asarray(data)
    except ValueError as e:
        raise ValueError(
            f"Tensor() needs a rectangular array (all rows of equal length), got a ragged "
            f"nested sequence: {data!r:.80}"
        ) from e
    if raw.dtype.kind in "iuf":
        # All plain numbers: new leaves, labelled label[i,j] when a label is given.
        numbers = raw.astype(float).ravel().tolist()
        if label is None:
            leaves = [Value(x) for x in numbers]
        else:
            leaves = [
                Value(x, _element_name(label, index))
                for index, x in zip(np.ndindex(raw.shape), numbers)
            ]
        out = np.empty(len(leaves), dtype=object)
        out[:] = leaves
        return out.reshape(raw.shape)
    if raw.dtype != object:
        raise TypeError(
            f"Tensor() takes numbers or Values, got an array of dtype {raw.dtype}: {data!r:.60}"
        )
    out = np.empty(raw.shape, dtype=object)
    for index, x in np.ndenumerate(raw):
        if isinstance(x, Value):
            out[index] = x
        elif isinstance(x, (list, tuple, np.ndarray)):
            raise ValueError(
                f"Tensor() needs a rectangular array (all rows of equal length), got a ragged "
                f"nested sequence: {data!r:.80}"
            )
        elif _is_number(x):
            out[index] = Value(float(x), _element_name(label, index) if label else None)
        else:
            raise TypeError(
                f"Tensor() takes numbers or Values, got {type(x).__name__} {x!r:.40} "
                f"at index {index}"
            )
    return out


class Tensor:
    """An n-d array of scalar Value nodes.

    Example:
        >>> W = Tensor([[1.0, 2.0], [3.0, 4.0]], label="W")
        >>> x = Tensor([1.0, -1.0], label="x")
        >>> y = (W @ x).sum()
        >>> y.backward()
        >>> W[0, 1].label, y.item(), W.grad.tolist()
        ('W[0,1]', -2.0, [[1.0, -1.0], [1.0, -1.0]])
    """

    __slots__ = ("values", "_label")
    __hash__ = object.__hash__
    # numpy defers to Tensor's operators: np.float64(2) * t and np.ones(2) + t give Tensors.
    __array_ufunc__ = None

    def __init__(self, data: Any, label: str | None = None) -> None:
        if label is not None and not isinstance(label, str):
            raise TypeError(f"Tensor label must be a str or None, got {type(label).__name__}")
        if isinstance(data, Tensor):
            self.values = data.values
        else:
            self.values = _to_objects(data, label)
        self._label = label

    @classmethod
    def wrap(cls, values: np.ndarray, label: str | None = None) -> Tensor:
        """A Tensor over an existing object array of Values (no copy, no checks).

        Example:
            >>> v = Value(2.0)
            >>> Tensor.wrap(np.array([v, v], dtype=object))[1] is v
            True
        """
        t = object.__new__(cls)
        t.values = values
        t._label = label
        return t

    def name(self, label: str) -> Tensor:
        """Label this Tensor and each of its Values ``label[i,j]``; returns self.

        A 0-d Tensor (the result of ``sum()``, say) labels its one Value ``label``.

        Example:
            >>> Tensor([1.0, 2.0]).name("h")[1].label
            'h[1]'
            >>> (Tensor([1.0, 2.0]).sum().name("L")).values[()].label
            'L'
        """
        if not isinstance(label, str):
            raise TypeError(f"Tensor label must be a str, got {type(label).__name__}")
        self._label = label
        for v, suffix in zip(self.values.flat, _index_suffixes(self.values.shape)):
            v.label = label + suffix
        return self

    def name_new(self, label: str) -> Tensor:
        """Name the elements this Tensor computed and nobody named yet; returns self.

        What a layer calls at the end of ``forward`` (``conv.out``, ``lstm``'s ``i_3``):
        leaves (inputs, parameters) and already labelled elements keep their names, so a
        layer that passes its input through renames nothing. The element names share
        one suffix table per shape, so naming costs one string join per element.

        Example:
            >>> x = Tensor([1.0, -2.0], label="x")
            >>> y = x.relu().name_new("relu.out")
            >>> y[1].label, x.name_new("relu.out")[1].label
            ('relu.out[1]', 'x[1]')
        """
        if not isinstance(label, str):
            raise TypeError(f"Tensor label must be a str, got {type(label).__name__}")
        if self._label is None:
            self._label = label
        for v, suffix in zip(self.values.flat, _index_suffixes(self.values.shape)):
            if v.label is None and v.parents:
                v.label = label + suffix
        return self

    @property
    def label(self) -> str | None:
        """The Tensor's name; setting it labels every element (see :meth:`name`), None clears it.

        Example:
            >>> t = Tensor([1.0, 2.0]); t.label = "x"
            >>> t.label, t[1].label
            ('x', 'x[1]')
        """
        return self._label

    @label.setter
    def label(self, label: str | None) -> None:
        if label is None:
            self._label = None
        else:
            self.name(label)

    # ----------------------------------------------------------- inspection
    @property
    def shape(self) -> tuple[int, ...]:
        """The shape, as numpy gives it.

        Example:
            >>> Tensor([[1.0, 2.0, 3.0]]).shape
            (1, 3)
        """
        return self.values.shape

    @property
    def ndim(self) -> int:
        """The number of dimensions.

        Example:
            >>> Tensor([[1.0, 2.0, 3.0]]).ndim
            2
        """
        return self.values.ndim

    @property
    def size(self) -> int:
        """The number of elements (Values).

        Example:
            >>> Tensor([[1.0, 2.0, 3.0]]).size
            3
        """
        return self.values.size

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d Tensor")
        return self.shape[0]

    @property
    def data(self) -> np.ndarray:
        """The forward values as a float ndarray (a copy).

        Example:
            >>> Tensor([[1, 2]]).data.tolist()
            [[1.0, 2.0]]
        """
        return data_of(self.values)

    @property
    def grad(self) -> np.ndarray:
        """The gradients as a float ndarray (a copy).

        Example:
            >>> x = Tensor([1.0, 2.0]); (x * 3).sum().backward()
            >>> x.grad.tolist()
            [3.0, 3.0]
        """
        flat = self.values.ravel()
        return np.fromiter((v.grad for v in flat), float, len(flat)).reshape(self.shape)

    def numpy(self) -> np.ndarray:
        """The forward values as a float ndarray, like ``torch.Tensor.numpy``.

        Example:
            >>> a = Tensor([1, 2]).numpy(); a.dtype, a.tolist()
            (dtype('float64'), [1.0, 2.0])
        """
        return self.data

    def item(self) -> float:
        """The value of a one-element Tensor as a float.

        Example:
            >>> Tensor([[2.5]]).item()
            2.5
        """
        if self.size != 1:
            raise ValueError(f"item() needs a one-element Tensor, got shape {self.shape}")
        return self.values.flat[0].data

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        body = np.array2string(self.data, precision=4, separator=", ")
        return f"Tensor({body}{label})"

    def _repr_html_(self) -> str:  # notebooks: data and grad grids (autograd/notebook.py)
        from autograd.notebook import tensor_html

        return tensor_html(self)

    def __iter__(self) -> Iterator[Value | Tensor]:
        for i in range(len(self)):
            yield self[i]

    def __getitem__(self, index: Any) -> Value | Tensor:
        if isinstance(index, Tensor):
            index = index.data.astype(int)
        picked = self.values[index]
        if isinstance(picked, Value):
            return picked
        return Tensor.wrap(picked)

    def __setitem__(self, index: Any, item: Value | Tensor | float) -> None:
        if isinstance(item, Tensor):
            self.values[index] = item.values
        else:
            self.values[index] = as_value(item)

    # ------------------------------------------------------ elementwise ops
    def __add__(self, other: Any) -> Tensor:
        return elementwise(ops.ADD, self, other)

    def __radd__(self, other: Any) -> Tensor:
        return elementwise(ops.ADD, other, self)

    def __sub__(self, other: Any) -> Tensor:
        return elementwise(ops.SUB, self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return elementwise(ops.SUB, other, self)

    def __mul__(self, other: Any) -> Tensor:
        return elementwise(ops.MUL, self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return elementwise(ops.MUL, other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return elementwise(ops.DIV, self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return elementwise(ops.DIV, other, self)

    def __pow__(self, other: Any) -> Tensor:
        if _is_number(other):
            return self.map(ops.POW.bind(other if isinstance(other, int) else float(other)))
        return elementwise(ops.POW_VALUE, self, other)

    def __rpow__(self, other: Any) -> Tensor:
        return elementwise(ops.POW_VALUE, other, self)

    def __neg__(self) -> Tensor:
        return self.map(ops.NEG)

    def __matmul__(self, other: Any) -> Tensor:
        return matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return matmul(other, self)

    def map(self, op: ops.Op) -> Tensor:
        """Apply a unary primitive to every element.

        Example:
            >>> Tensor([-1.0, 2.0]).map(ops.RELU).data.tolist()
            [0.0, 2.0]
        """
        return Tensor.wrap(map_nodes(op, self.values))

    def exp(self) -> Tensor:
        """e ** x elementwise.

        Example:
            >>> Tensor([0.0, 1.0]).exp().data.round(4).tolist()
            [1.0, 2.7183]
        """
        return self.map(ops.EXP)

    def log(self) -> Tensor:
        """Natural log elementwise; log(0) = -inf.

        Example:
            >>> Tensor([1.0, 0.0]).log().data.tolist()
            [0.0, -inf]
        """
        return self.map(ops.LOG)

    def sqrt(self) -> Tensor:
        """Square root elementwise.

        Example:
            >>> Tensor([4.0, 9.0]).sqrt().data.tolist()
            [2.0, 3.0]
        """
        return self.map(ops.SQRT)

    def tanh(self) -> Tensor:
        """tanh elementwise.

        Example:
            >>> Tensor([0.0, 1000.0]).tanh().data.tolist()
            [0.0, 1.0]
        """
        return self.map(ops.TANH)

    def sigmoid(self) -> Tensor:
        """Logistic sigmoid elementwise, overflow-free.

        Example:
            >>> Tensor([0.0, -1000.0]).sigmoid().data.tolist()
            [0.5, 0.0]
        """
        return self.map(ops.SIGMOID)

    def relu(self) -> Tensor:
        """max(x, 0) elementwise.

        Example:
            >>> Tensor([-1.0, 2.0]).relu().data.tolist()
            [0.0, 2.0]
        """
        return self.map(ops.RELU)

    def leaky_relu(self, slope: float = 0.01) -> Tensor:
        """x if x > 0 else slope * x, elementwise.

        Example:
            >>> Tensor([-1.0, 2.0]).leaky_relu(0.1).data.tolist()
            [-0.1, 2.0]
        """
        return self.map(ops.LEAKY_RELU.bind(FLOAT.number(_number(slope, "slope"))))

    def elu(self, alpha: float = 1.0) -> Tensor:
        """x if x > 0 else alpha (e^x - 1), elementwise.

        Example:
            >>> Tensor([0.0, 2.0]).elu().data.tolist()
            [0.0, 2.0]
        """
        return self.map(ops.ELU.bind(FLOAT.number(_number(alpha, "alpha"))))

    def softplus(self) -> Tensor:
        """log(1 + e^x) elementwise, overflow-free.

        Example:
            >>> Tensor([0.0]).softplus().data.round(4).tolist()
            [0.6931]
        """
        return self.map(ops.SOFTPLUS)

    def abs(self) -> Tensor:
        """|x| elementwise.

        Example:
            >>> Tensor([-1.5, 2.0]).abs().data.tolist()
            [1.5, 2.0]
        """
        return self.map(ops.ABS)

    def __abs__(self) -> Tensor:
        return self.abs()

    def maximum(self, other: Any) -> Tensor:
        """Elementwise max; a tie sends the gradient to ``self``.

        Example:
            >>> Tensor([1.0, 5.0]).maximum(Tensor([3.0, 2.0])).data.tolist()
            [3.0, 5.0]
        """
        return elementwise(ops.MAX, self, other)

    def minimum(self, other: Any) -> Tensor:
        """Elementwise min; a tie sends the gradient to ``self``.

        Example:
            >>> Tensor([1.0, 5.0]).minimum(2.0).data.tolist()
            [1.0, 2.0]
        """
        return elementwise(ops.MIN, self, other)

    # ------------------------------------------- comparisons: bool ndarrays
    def __lt__(self, other: Any) -> np.ndarray:
        return self.data < _plain(other)

    def __le__(self, other: Any) -> np.ndarray:
        return self.data <= _plain(other)

    def __gt__(self, other: Any) -> np.ndarray:
        return self.data > _plain(other)

    def __ge__(self, other: Any) -> np.ndarray:
        return self.data >= _plain(other)

    def __eq__(self, other: Any) -> np.ndarray:  # type: ignore[override]
        return self.data == _plain(other)

    def __ne__(self, other: Any) -> np.ndarray:  # type: ignore[override]
        return self.data != _plain(other)

    # ------------------------------------------------------------ reductions
    def sum(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """One n-ary ``sum`` node per output element.

        Example:
            >>> t = Tensor([[1.0, 2.0], [3.0, 4.0]])
            >>> t.sum().item(), t.sum(axis=0).data.tolist()
            (10.0, [4.0, 6.0])
        """
        return reduce(ops.SUM, self, axis, keepdims)

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """The sum divided by the number of reduced elements.

        Example:
            >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).mean(axis=1).data.tolist()
            [1.5, 3.5]
        """
        axes = normalize_axes(axis, self.ndim)
        count = int(np.prod([self.shape[a] for a in axes])) if axes else 1
        return reduce(ops.SUM, self, axis, keepdims) / float(count)

    def max(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """One n-ary ``max`` node per output element; ties favour the first.

        Example:
            >>> Tensor([[1.0, 5.0], [3.0, 4.0]]).max(axis=1).data.tolist()
            [5.0, 4.0]
        """
        return reduce(ops.MAX, self, axis, keepdims)

    def min(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """One n-ary ``min`` node per output element; ties favour the first.

        Example:
            >>> Tensor([[1.0, 5.0], [3.0, 4.0]]).min(axis=1).data.tolist()
            [1.0, 3.0]
        """
        return reduce(ops.MIN, self, axis, keepdims)

    def argmax(self, axis: int | None = None) -> np.ndarray | int:
        """Indices of the maxima as ints (no gradient), like ``numpy.argmax``.

        Example:
            >>> Tensor([[1.0, 5.0], [3.0, 4.0]]).argmax(axis=1).tolist()
            [1, 1]
        """
        return np.argmax(self.data, axis=axis)

    def softmax(self, axis: int = -1) -> Tensor:
        """exp(x - max) / sum(exp(x - max)); the max is a constant, so nothing overflows.

        Example:
            >>> Tensor([1000.0, 1000.0]).softmax().data.tolist()
            [0.5, 0.5]
        """
        e = (self - _row_max(self, axis)).exp()
        return e / e.sum(axis=axis, keepdims=True)

    def log_softmax(self, axis: int = -1) -> Tensor:
        """(x - max) - log(sum(exp(x - max))), stable for large inputs.

        Example:
            >>> Tensor([1000.0, 1000.0]).log_softmax().data.round(4).tolist()
            [-0.6931, -0.6931]
        """
        shifted = self - _row_max(self, axis)
        return shifted - shifted.exp().sum(axis=axis, keepdims=True).log()

    # ----------------------------------------------------------- shape ops
    def reshape(self, *shape: int | Sequence[int]) -> Tensor:
        """The same Values in a new shape.

        Example:
            >>> Tensor([1.0, 2.0, 3.0, 4.0]).reshape(2, 2).data.tolist()
            [[1.0, 2.0], [3.0, 4.0]]
        """
        if len(shape) == 1 and not isinstance(shape[0], int):
            shape = tuple(shape[0])
        try:
            return Tensor.wrap(self.values.reshape(shape))
        except ValueError:
            raise ValueError(
                f"cannot reshape a Tensor of shape {self.shape} into {shape}"
            ) from None

    def view(self, *shape: int | Sequence[int]) -> Tensor:
        """Alias of :meth:`reshape`, as in PyTorch.

        Example:
            >>> Tensor([1.0, 2.0, 3.0, 4.0]).view(2, -1).shape
            (2, 2)
        """
        return self.reshape(*shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Merge dims ``start_dim..end_dim`` into one, like ``torch.flatten``.

        Example:
            >>> Tensor(np.zeros((2, 3, 4))).flatten(1).shape
            (2, 12)
        """
        if self.ndim == 0:
            return self.reshape(1)
        s, e = start_dim % self.ndim, end_dim % self.ndim
        shape = self.shape[:s] + (int(np.prod(self.shape[s : e + 1])),) + self.shape[e + 1 :]
        return self.reshape(shape)

    def transpose(self, *axes: int) -> Tensor:
        """numpy's transpose: no axes reverses them; two axes swap (PyTorch's form).

        Example:
            >>> t = Tensor(np.zeros((2, 3, 4)))
            >>> t.transpose().shape, t.transpose(1, 2).shape
            ((4, 3, 2), (2, 4, 3))
        """
        if len(axes) == 2 and self.ndim != 2:
            return Tensor.wrap(np.swapaxes(self.values, *axes))
        return Tensor.wrap(self.values.transpose(*axes) if axes else self.values.T)

    @property
    def T(self) -> Tensor:  # noqa: N802 - numpy's name
        """The transpose (all axes reversed), sharing the same Values.

        Example:
            >>> W = Tensor([[1.0, 2.0]]); W.T.shape, W.T[1, 0] is W[0, 1]
            ((2, 1), True)
        """
        return Tensor.wrap(self.values.T)

    def unsqueeze(self, dim: int) -> Tensor:
        """Insert a dimension of size one at ``dim``.

        Example:
            >>> Tensor([1.0, 2.0]).unsqueeze(0).shape
            (1, 2)
        """
        return Tensor.wrap(np.expand_dims(self.values, dim))

    def squeeze(self, dim: int | None = None) -> Tensor:
        """Remove dimensions of size one.

        Example:
            >>> Tensor([[1.0], [2.0]]).squeeze().shape
            (2,)
        """
        return Tensor.wrap(np.squeeze(self.values, axis=dim))

    def detach(self) -> Tensor:
        """New leaves holding the same numbers, outside the graph.

        Example:
            >>> y = Tensor([1.0, 2.0]) * 2; d = y.detach()
            >>> d.data.tolist(), d[0].op, d[0] is y[0]
            ([2.0, 4.0], '', False)
        """
        return Tensor(self.data)

    # -------------------------------------------------------------- backward
    def backward(self, grad: Any = None) -> None:
        """Backpropagate; ``grad`` is needed unless the Tensor has one element.

        Example:
            >>> x = Tensor([1.0, 2.0])
            >>> (x * x).backward(grad=[1.0, 1.0])
            >>> x.grad.tolist()
            [2.0, 4.0]
        """
        if grad is None:
            if self.size != 1:
                raise ValueError(
                    f"backward() on a Tensor of shape {self.shape} needs grad=, an array of "
                    f"shape {self.shape} (dLoss/dTensor); or reduce first, e.g. t.sum().backward()"
                )
            seeds = np.ones(self.shape)
        else:
            seeds = np.asarray(grad, dtype=float)
            if seeds.shape != self.shape:
                raise ValueError(
                    f"backward(grad=...) got shape {seeds.shape}, the Tensor has shape {self.shape}"
                )
        # Python floats, not numpy scalars: every gradient below stays a float (faster).
        _backward(self.values.ravel().tolist(), seeds.ravel().tolist())

    def zero_grad(self) -> None:
        """Reset the gradient of every node of the graph below this Tensor.

        Example:
            >>> x = Tensor([1.0, 2.0]); y = (x * x).sum(); y.backward()
            >>> y.zero_grad(); x.grad.tolist()
            [0.0, 0.0]
        """
        from autograd.graph import zero_grad

        zero_grad(list(self.values.flat))


# -------------------------------------------------------------------- helpers
def as_tensor(x: Any) -> Tensor:
    """``x`` if it is a Tensor; a 0-d Tensor for a Value; else constant leaves.

    Example:
        >>> t = Tensor([1.0]); as_tensor(t) is t, as_tensor(Value(2.0)).shape
        (True, ())
        >>> as_tensor([1, 2]).data.tolist()
        [1.0, 2.0]
    """
    if isinstance(x, Tensor):
        return x
    if isinstance(x, Value):
        return Tensor.wrap(np.array(x, dtype=object))
    return Tensor(x)


def _plain(x: Any) -> Any:
    if isinstance(x, Tensor):
        return x.data
    if isinstance(x, Value):
        return x.data
    return x


def _row_max(t: Tensor, axis: int) -> Tensor:
    """The max along ``axis`` as constant leaves labelled ``rowmax``: softmax's shift.

    Subtracting a constant leaves softmax unchanged and keeps exp from overflowing;
    the label says in a drawing what these leaves are.
    """
    with np.errstate(invalid="ignore"):
        m = np.max(t.data, axis=axis, keepdims=True)
    return Tensor(np.where(np.isfinite(m), m, 0.0), label="rowmax")


def elementwise(op: ops.Op, a: Any, b: Any) -> Tensor:
    """Apply a binary primitive with numpy broadcasting, one node per output element.

    Example:
        >>> elementwise(ops.MUL, Tensor([[1.0], [2.0]]), Tensor([3.0, 4.0])).data.tolist()
        [[3.0, 4.0], [6.0, 8.0]]
    """
    a, b = as_tensor(a), as_tensor(b)
    return Tensor.wrap(broadcast_nodes(op, a.values, b.values))


def reduce(op: ops.Op, t: Tensor, axis: Axis, keepdims: bool) -> Tensor:
    """One n-ary ``op`` node per output element over the reduced axes.

    Example:
        >>> reduce(ops.SUM, Tensor([[1.0, 2.0], [3.0, 4.0]]), 1, True).data.tolist()
        [[3.0], [7.0]]
    """
    return Tensor.wrap(reduce_nodes(op, t.values, normalize_axes(axis, t.ndim), keepdims))


def matmul(a: Any, b: Any, bias: Any = None) -> Tensor:
    """``a @ b`` (+ ``bias``) with one n-ary ``dot`` node per output element.

    Handles 1-D, 2-D and batched operands as numpy's ``matmul`` does. With a
    bias (broadcast to the output shape) each output element is one node
    ``Σ a_i b_i + c``, as the homework draws a neuron.

    Example:
        >>> y = matmul(Tensor([[1.0, 2.0]]), Tensor([[3.0], [4.0]]), bias=Tensor([0.5]))
        >>> y.data.tolist(), y[0, 0].op, len(y[0, 0].parents)
        ([[11.5]], 'dot', 5)
    """
    a, b = as_tensor(a), as_tensor(b)
    biases = None if bias is None else as_tensor(bias).values
    return Tensor.wrap(matmul_nodes(a.values, b.values, biases))


__all__ = ["Tensor", "as_tensor", "elementwise", "reduce", "matmul"]
