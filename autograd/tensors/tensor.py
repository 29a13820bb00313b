"""``Tensor``: an n-d array of Value nodes, with numpy broadcasting.

A Tensor wraps a numpy object array whose elements are :class:`Value` nodes. This
module holds the class itself: construction, labels, inspection, indexing and
backward. Its operations are mixed in from the modules beside it: elementwise ops
and ``@`` (``elementwise.py``), reductions (``reductions.py``) and shape ops
(``shapes.py``). Indexing, slicing, reshaping and transposing create no nodes: they
return the same Values in a new arrangement.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import numpy as np

from autograd import ops
from autograd.graph import backward as _backward
from autograd.nodes import numbers_of
from autograd.tensors.aliases import Aliases, ElementCount
from autograd.tensors.elementwise import ElementwiseOps
from autograd.tensors.reductions import Reductions, reduce
from autograd.tensors.selection import Selection
from autograd.tensors.shapes import ShapeOps
from autograd.tensors.statistics import Statistics
from autograd.unary import UnaryFunctions
from autograd.value import Value, _is_number, as_value


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


class Tensor(ElementwiseOps, UnaryFunctions, Reductions, Statistics, ShapeOps, Selection, Aliases):
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

    # The two hooks the op mixins build with, so their modules need not import this one.
    @staticmethod
    def _result(values: np.ndarray) -> Tensor:
        """A plain Tensor over ``values``: a Parameter's results are Tensors too."""
        return Tensor.wrap(values)

    @staticmethod
    def _operand(x: Any) -> Tensor:
        """An operand of an op, as a Tensor (see :func:`as_tensor`)."""
        return as_tensor(x)

    def _apply_unary(self, op: ops.Op) -> Tensor:  # the hook of UnaryFunctions: sin, erf, ...
        return self.map(op)

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
    def size(self) -> ElementCount:
        """The number of elements (Values), numpy's ``size``; called, PyTorch's ``size()``:
        ``t.size()`` is the shape and ``t.size(d)`` the length of dim ``d``.

        Example:
            >>> t = Tensor([[1.0, 2.0, 3.0]]); t.size, t.size(), t.size(-1)
            (3, (1, 3), 3)
        """
        return ElementCount(self.values.size, self.values.shape)

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
        return numbers_of(self.values, "data")

    @data.setter
    def data(self, numbers: Any) -> None:
        # PyTorch's update outside the graph, p.data += -lr * p.grad, writes each Value's number
        self._write("data", numbers)

    @property
    def grad(self) -> np.ndarray:
        """The gradients as a float ndarray (a copy).

        Example:
            >>> x = Tensor([1.0, 2.0]); (x * 3).sum().backward()
            >>> x.grad.tolist()
            [3.0, 3.0]
        """
        return numbers_of(self.values, "grad")

    @grad.setter
    def grad(self, numbers: Any) -> None:
        # p.grad = None (PyTorch's zero_grad) sets every element's gradient to 0
        self._write("grad", 0.0 if numbers is None else numbers)

    def _write(self, what: str, numbers: Any) -> None:
        """Set ``data`` or ``grad`` of every element from numbers broadcast to the shape.

        Example:
            >>> p = Tensor([1.0, 2.0]); p.data += 0.5; p.grad = [3.0, 4.0]
            >>> p.data.tolist(), p.grad.tolist()
            ([1.5, 2.5], [3.0, 4.0])
        """
        try:
            new = np.broadcast_to(np.asarray(numbers, dtype=float), self.shape)
        except (TypeError, ValueError):
            raise ValueError(
                f"Tensor.{what} = ...: expected numbers of shape {self.shape} (or None for "
                f"grad), got {numbers!r:.60}"
            ) from None
        for v, x in zip(self.values.flat, new.ravel().tolist()):
            setattr(v, what, x)

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
            index = _integer_index(index.data)
        elif isinstance(index, tuple) and any(isinstance(i, Tensor) for i in index):
            # logits[arange(n), ys]: every Tensor in the tuple indexes as whole numbers
            index = tuple(_integer_index(i.data) if isinstance(i, Tensor) else i for i in index)
        picked = self.values[index]
        if isinstance(picked, Value):
            return picked
        return Tensor.wrap(picked)

    def __setitem__(self, index: Any, item: Value | Tensor | float) -> None:
        if isinstance(item, Tensor):
            self.values[index] = item.values
        else:
            self.values[index] = as_value(item)

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
    if isinstance(x, np.ndarray) and x.dtype == bool:  # a mask (t > 0): constants 0 and 1
        return Tensor(x.astype(float))
    return Tensor(x)


def elementwise(op: ops.Op, a: Any, b: Any) -> Tensor:
    """Apply a binary primitive with numpy broadcasting, one node per output element.

    Example:
        >>> elementwise(ops.MUL, Tensor([[1.0], [2.0]]), Tensor([3.0, 4.0])).data.tolist()
        [[3.0, 4.0], [6.0, 8.0]]
    """
    return Tensor._binary(op, a, b)


def _integer_index(data: np.ndarray) -> np.ndarray:
    """A Tensor used as an index: whole numbers only (PyTorch refuses float indices)."""
    whole = np.isfinite(data) & (data == np.round(data))
    if not whole.all():
        raise IndexError(
            f"a Tensor used as an index must hold whole numbers, got {data[~whole].tolist()[:4]}"
            "; PyTorch refuses float indices too: index with ints or an int numpy array"
        )
    return data.astype(int)


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
    return Tensor._matmul(a, b, bias)


__all__ = ["Tensor", "as_tensor", "elementwise", "reduce", "matmul"]
