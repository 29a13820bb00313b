"""``Value``: one scalar node of a computation graph.

A node holds its forward value ``data``, its gradient ``grad``, an optional
``label``, the primitive ``op`` that produced it and its ``parents``: the ordered
tuple of its inputs (``a * a`` has two entries). Every operator below looks its
primitive up in the op registry (``ops.py``) for the forward value; backward
(``graph.py``) asks the same entry for the local derivatives.
"""

from __future__ import annotations

import numbers
import sys

from autograd import ops
from autograd.backend import FLOAT
from autograd.graph import backward as _backward
from autograd.graph import describe
from autograd.inline_rules import binary_operator
from autograd.mode import MODE, AnomalyError
from autograd.tape import current, here
from autograd.unary import UnaryFunctions

_new = object.__new__
_REAL = (int, float)  # and numpy's numbers once numpy is loaded: see _is_number


class Value(UnaryFunctions):
    """A scalar node: ``data``, ``grad``, ``label``, ``op`` and ordered ``parents``.

    Example:
        >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
        >>> c = a * b + a
        >>> c.backward()
        >>> c.data, a.grad, b.grad
        (-4.0, -2.0, 2.0)
    """

    __slots__ = ("data", "grad", "label", "_primitive", "parents")

    def __init__(self, data: float, label: str | None = None) -> None:
        if not _is_number(data):
            raise TypeError(
                f"Value() takes a real number (int or float), got {type(data).__name__} "
                f"{data!r}"
                + (
                    " (a Value is already a node: use it directly)"
                    if isinstance(data, Value)
                    else ""
                )
            )
        if label is not None and not isinstance(label, str):
            raise TypeError(f"Value label must be a str or None, got {type(label).__name__}")
        self.data = FLOAT.number(data)  # an int too large for a float is ±inf
        self.grad = 0.0
        self.label = label
        self._primitive = ops.LEAF
        self.parents = ()
        if MODE.logging_leaves:  # compile is tracing in some thread
            MODE.log_leaf(self)

    # ------------------------------------------------------------- identity
    @property
    def op(self) -> str:
        """Name of the primitive that produced this node; ``""`` for a leaf.

        Example:
            >>> a = Value(2.0); (a * a).op, a.op
            ('mul', '')
        """
        return self._primitive.name

    @property
    def primitive(self) -> ops.Op:
        """The registry entry (with bound parameters) that produced this node.

        Example:
            >>> p = Value(-1.0).leaky_relu(0.1).primitive
            >>> p.name, p.params, p.symbol
            ('leaky_relu', (0.1,), 'LeakyReLU(0.1)')
        """
        return self._primitive

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label is not None else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"

    def _repr_html_(self) -> str:  # notebooks: a one-row table (autograd/notebook.py)
        from autograd.notebook import value_html

        return value_html(self)

    def item(self) -> float:
        """The forward value as a Python float.

        Example:
            >>> Value(3).item()
            3.0
        """
        return self.data

    def __float__(self) -> float:
        return self.data

    # ---------------------------------------------------------- arithmetic
    __add__ = binary_operator(ops.ADD, "__add__", globals())

    def __radd__(self, other: float) -> Value:
        if not _is_number(other):
            return NotImplemented
        return apply2(ops.ADD, as_value(other), self)

    __sub__ = binary_operator(ops.SUB, "__sub__", globals())

    def __rsub__(self, other: float) -> Value:
        if not _is_number(other):
            return NotImplemented
        return apply2(ops.SUB, as_value(other), self)

    __mul__ = binary_operator(ops.MUL, "__mul__", globals())

    def __rmul__(self, other: float) -> Value:
        if not _is_number(other):
            return NotImplemented
        return apply2(ops.MUL, as_value(other), self)

    __truediv__ = binary_operator(ops.DIV, "__truediv__", globals())

    def __rtruediv__(self, other: float) -> Value:
        if not _is_number(other):
            return NotImplemented
        return apply2(ops.DIV, as_value(other), self)

    def __neg__(self) -> Value:
        return apply1(ops.NEG, self)

    def __pow__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return apply2(ops.POW_VALUE, self, other)
        if not _is_number(other):
            return NotImplemented
        return apply1(ops.POW.bind(other if isinstance(other, int) else float(other)), self)

    def __rpow__(self, other: float) -> Value:
        if not _is_number(other):
            return NotImplemented
        return apply2(ops.POW_VALUE, as_value(other), self)

    # ------------------------------------------------------ elementwise ops
    def exp(self) -> Value:
        """e ** self.  d/da = exp(a).

        Example:
            >>> x = Value(0.0); y = x.exp(); y.backward()
            >>> y.data, x.grad
            (1.0, 1.0)
        """
        return apply1(ops.EXP, self)

    def log(self) -> Value:
        """Natural log; ``log(0) = -inf``, negative gives nan.  d/da = 1/a.

        Example:
            >>> x = Value(2.0); y = x.log(); y.backward()
            >>> round(y.data, 4), x.grad, Value(0.0).log().data
            (0.6931, 0.5, -inf)
        """
        return apply1(ops.LOG, self)

    def sqrt(self) -> Value:
        """Square root.  d/da = 1/(2 sqrt a).

        Example:
            >>> x = Value(4.0); y = x.sqrt(); y.backward()
            >>> y.data, x.grad
            (2.0, 0.25)
        """
        return apply1(ops.SQRT, self)

    def tanh(self) -> Value:
        """Hyperbolic tangent.  d/da = 1 - tanh(a)^2.

        Example:
            >>> x = Value(0.0); y = x.tanh(); y.backward()
            >>> y.data, x.grad
            (0.0, 1.0)
        """
        return apply1(ops.TANH, self)

    def sigmoid(self) -> Value:
        """Logistic sigmoid, overflow-free.  d/da = s(a)(1 - s(a)).

        Example:
            >>> x = Value(0.0); y = x.sigmoid(); y.backward()
            >>> y.data, x.grad, Value(-1000.0).sigmoid().data
            (0.5, 0.25, 0.0)
        """
        return apply1(ops.SIGMOID, self)

    def relu(self) -> Value:
        """max(a, 0).  d/da = 1{a > 0} (0 at the kink, as PyTorch).

        Example:
            >>> Value(-1.0).relu().data, Value(2.0).relu().data
            (0.0, 2.0)
        """
        return apply1(ops.RELU, self)

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """a if a > 0 else slope * a.  d/da = 1 if a > 0 else slope.

        Example:
            >>> Value(-2.0).leaky_relu(0.1).data, Value(3.0).leaky_relu(0.1).data
            (-0.2, 3.0)
        """
        return apply1(ops.LEAKY_RELU.bind(FLOAT.number(_number(slope, "slope"))), self)

    def elu(self, alpha: float = 1.0) -> Value:
        """a if a > 0 else alpha (e^a - 1).  d/da = 1 if a > 0 else alpha e^a.

        Example:
            >>> round(Value(-1.0).elu().data, 4), Value(2.0).elu().data
            (-0.6321, 2.0)
        """
        return apply1(ops.ELU.bind(FLOAT.number(_number(alpha, "alpha"))), self)

    def softplus(self) -> Value:
        """log(1 + e^a), overflow-free.  d/da = sigmoid(a).

        Example:
            >>> x = Value(0.0); y = x.softplus(); y.backward()
            >>> round(y.data, 4), x.grad
            (0.6931, 0.5)
        """
        return apply1(ops.SOFTPLUS, self)

    def abs(self) -> Value:
        """|a|.  d/da = sign(a) (0 at 0, as PyTorch).

        Example:
            >>> x = Value(-3.0); y = x.abs(); y.backward()
            >>> y.data, x.grad
            (3.0, -1.0)
        """
        return apply1(ops.ABS, self)

    def __abs__(self) -> Value:
        return self.abs()

    def max(self, other: Value | float) -> Value:
        """The larger of two (``torch.maximum``); a tie splits the gradient 0.5/0.5.

        Example:
            >>> a, b = Value(1.0), Value(1.0); c = a.max(b); c.backward()
            >>> c.data, a.grad, b.grad, Value(1.0).max(2).data
            (1.0, 0.5, 0.5, 2.0)
        """
        return apply2(ops.MAXIMUM, self, as_value(other))

    def min(self, other: Value | float) -> Value:
        """The smaller of two (``torch.minimum``); a tie splits the gradient 0.5/0.5.

        Example:
            >>> a, b = Value(1.0), Value(1.0); c = a.min(b); c.backward()
            >>> c.data, a.grad, b.grad, Value(1.0).min(0).data
            (1.0, 0.5, 0.5, 0.0)
        """
        return apply2(ops.MINIMUM, self, as_value(other))

    # -------------------------------------------- comparisons: plain bools
    def __lt__(self, other: Value | float) -> bool:
        return self.data < _data(other)

    def __le__(self, other: Value | float) -> bool:
        return self.data <= _data(other)

    def __gt__(self, other: Value | float) -> bool:
        return self.data > _data(other)

    def __ge__(self, other: Value | float) -> bool:
        return self.data >= _data(other)

    def _apply_unary(self, op: ops.Op) -> Value:  # the hook of UnaryFunctions: sin, erf, ...
        return apply1(op, self)

    # ------------------------------------------ micrograd's names, read-only
    @property
    def _prev(self) -> set[Value]:
        """micrograd's set of parents (``parents`` keeps their order and repeats).

        Example:
            >>> a = Value(2.0); (a * a)._prev == {a}
            True
        """
        return set(self.parents)

    @property
    def _op(self) -> str:
        """micrograd's op string: ``+ * **2 ReLU tanh exp``, else the op's symbol; ``''`` for a leaf.

        Example:
            >>> a = Value(2.0); (a + a)._op, (a * a)._op, (a**2)._op, a.relu()._op, a._op
            ('+', '*', '**2', 'ReLU', '')
        """
        return self._primitive.symbol

    def _backward(self) -> None:
        """micrograd's one step of backprop: add ``grad`` × local derivative to each parent.

        Example:
            >>> a, b = Value(2.0), Value(3.0); c = a * b; c.grad = 1.0; c._backward()
            >>> a.grad, b.grad
            (3.0, 2.0)
        """
        op, inputs = self._primitive, [p.data for p in self.parents]
        local = op.partials(FLOAT, self.data, *inputs, *op.params)
        for parent, g in zip(
            self.parents, op.contributions(FLOAT, self.grad, local, self.data, inputs)
        ):
            parent.grad += g

    # ------------------------------------------------------------ backward
    def backward(self, grad: float = 1.0) -> None:
        """Seed this node's gradient with ``grad`` and backpropagate to every node.

        Gradients accumulate over calls, as in PyTorch; ``zero_grad`` resets them.

        Example:
            >>> x = Value(3.0)
            >>> y = x * x
            >>> y.backward()
            >>> x.grad
            6.0
        """
        _backward((self,), (float(_number(grad, "grad")),))


# ------------------------------------------------------------ node creation
def as_value(x: Value | float) -> Value:
    """``x`` if it is a Value, else a new constant leaf holding the number ``x``.

    Example:
        >>> v = Value(1.0); as_value(v) is v, as_value(3).data, as_value(3).op
        (True, 3.0, '')
    """
    if x.__class__ is Value:
        return x
    if isinstance(x, Value):
        return x
    if _is_number(x):
        v = _new(Value)
        v.data = FLOAT.number(x)
        v.grad = 0.0
        v.label = None
        v._primitive = ops.LEAF
        v.parents = ()
        if MODE.logging_leaves:  # compile is tracing in some thread
            MODE.log_leaf(v)
        return v
    raise TypeError(f"expected a Value, int or float, got {type(x).__name__} {x!r}")


def _is_value_or_number(x: object) -> bool:
    """True for Values of any class (a banked parameter, say) and for numbers."""
    return isinstance(x, Value) or _is_number(x)


def _is_number(x: object) -> bool:
    """True for ints, floats and numpy numbers; False for bools, strings, Values, Tensors."""
    if isinstance(x, _REAL):
        return not isinstance(x, bool)
    np = sys.modules.get("numpy")  # numpy's numbers exist only once numpy is loaded
    return np is not None and isinstance(x, (np.integer, np.floating))


def _number(x: object, what: str) -> float:
    if isinstance(x, numbers.Real) and not isinstance(x, bool):  # numpy.bool_ is no Real
        return x
    raise TypeError(f"{what} must be a real number, got {type(x).__name__} {x!r}")


def _data(x: Value | float) -> float:
    return x.data if isinstance(x, Value) else x


def node(data: float, parents: tuple[Value, ...], op: ops.Op) -> Value:
    """A new result node. Under ``no_grad`` it records no parents.

    Example:
        >>> a, b = Value(2.0), Value(3.0); c = node(5.0, (a, b), ops.ADD)
        >>> c.data, c.op, c.parents == (a, b)
        (5.0, 'add', True)
    """
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    v.label = None
    if MODE.plain:
        v._primitive = op
        v.parents = parents
        try:
            current().append(v)
        except LookupError:  # this thread's first node
            here().append(v)
        return v
    if MODE.recording:
        v._primitive = op
        v.parents = parents
        try:
            current().append(v)
        except LookupError:  # this thread's first node
            here().append(v)
    else:
        v._primitive = ops.UNRECORDED
        v.parents = ()
    if MODE.anomaly and not FLOAT.isfinite(data):
        finite = all(FLOAT.isfinite(p.data) for p in parents)
        raise AnomalyError(
            f"forward: {op.name} produced {data}\n"
            f"  node: {describe(v, op, parents)}\n"
            + (
                "  its inputs are finite, so this is the first non-finite value"
                if finite
                else "  an input was already non-finite (a leaf built outside the graph)"
            )
        )
    return v


def apply1(op: ops.Op, a: Value) -> Value:
    """Apply a unary primitive: forward value from the registry, one parent.

    Example:
        >>> x = Value(0.0); y = apply1(ops.EXP, x)
        >>> y.data, y.op, y.parents[0] is x
        (1.0, 'exp', True)
    """
    if not MODE.plain:
        return node(op.forward(FLOAT, a.data, *op.params), (a,), op)
    v = _new(Value)  # the same steps as node(), inline: this is a hot path
    v.data = op.forward(FLOAT, a.data, *op.params)
    v.grad = 0.0
    v.label = None
    v._primitive = op
    v.parents = (a,)
    try:  # built after its parents: the tape is a topological order
        current().append(v)
    except LookupError:  # this thread's first node
        here().append(v)
    return v


def apply2(op: ops.Op, a: Value, b: Value | float) -> Value:
    """Apply a binary primitive; a number ``b`` becomes a constant leaf.

    This is the hot path of graph construction, so it builds the node inline
    (the same steps as :func:`node`).

    Example:
        >>> y = apply2(ops.MUL, Value(2.0), 3)
        >>> y.data, y.parents[1].data, y.parents[1].op
        (6.0, 3.0, '')
    """
    if b.__class__ is not Value:
        b = as_value(b)
    if not MODE.plain:
        return node(op.forward(FLOAT, a.data, b.data), (a, b), op)
    v = _new(Value)
    v.data = op.forward(FLOAT, a.data, b.data)
    v.grad = 0.0
    v.label = None
    v._primitive = op
    v.parents = (a, b)
    try:
        current().append(v)
    except LookupError:  # this thread's first node
        here().append(v)
    return v


def apply(op: ops.Op, parents: tuple[Value, ...]) -> Value:
    """Apply any primitive (n-ary ones included) to a tuple of Values.

    Example:
        >>> y = apply(ops.SUM, (Value(1.0), Value(2.0), Value(3.0)))
        >>> y.data, y.op, len(y.parents)
        (6.0, 'sum', 3)
    """
    return node(op.forward(FLOAT, *[p.data for p in parents], *op.params), parents, op)
