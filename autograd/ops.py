"""The op registry: every primitive of chalkgrad, defined once.

Each entry holds, side by side, the primitive's forward rule, its local partial
derivatives and a short human formula for each partial. Backward reads the
partials, viz reads the formulas and symbols, the symbolic mode evaluates the
same rules over sympy. All rules are written over a math backend ``m``
(``backend.py``), never over ``math``.

Signatures, with ``a, b, ...`` the input values and ``out`` the forward value::

    forward(m, a, b, ..., *params)        -> out
    partials(m, out, a, b, ..., *params)  -> (d out/d a, d out/d b, ...)

Formulas name the inputs ``a``, ``b`` (``a_i``, ``b_i`` for n-ary ops), the
output ``out`` and the op's parameters by name.

Every rule also runs vectorised: over the ``NUMPY`` backend its arguments may be
arrays, one element per node (Tensor ops and ``compile`` use this). An n-ary op
may add the same rule over a matrix with one row per node and one column per
input, which is faster for wide sums and dot products::

    forward_rows(X)        -> out, shape (nodes,)
    partials_rows(out, X)  -> d out/d X, shape (nodes, inputs)

Selections (relu, max, min, maximum, minimum, amax, amin, and the exponent-0 cases of powers) also give a
mask, same signature as ``partials``::

    masks(m, out, a, b, ..., *params)     -> (is d out/d a a mask?, ...)

Where a mask holds and the local derivative is 0, the input was not selected and
receives exactly 0 in backward, whatever the upstream gradient (inf and nan
included), as PyTorch's masked backward does; :meth:`Op.contributions` applies
it. Every other zero multiplies: ``0 * inf`` is nan, as in PyTorch.
"""

from __future__ import annotations

import operator
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from importlib import import_module
from typing import Any

# numpy's row rules load when a compiled step first calls one (the Value path needs no numpy)
_rows = lambda name: lambda *a: getattr(import_module("autograd.backend_numpy").ROWS, name)(*a)
Formulas = tuple[str, ...] | Callable[[int, int], str]


@dataclass(frozen=True, slots=True)
class Op:
    """One primitive: how to compute it, differentiate it and explain it.

    Example:
        >>> from autograd.backend import FLOAT
        >>> MUL.forward(FLOAT, 3.0, 4.0), MUL.partials(FLOAT, 12.0, 3.0, 4.0)
        (12.0, (4.0, 3.0))
        >>> MUL.formula(0, 2), MUL.formula(1, 2)
        ('b', 'a')
    """

    name: str
    symbol: str  # how a drawing shows the op: "*", "+", "exp", "**2"
    arity: int | None  # None for n-ary ops
    forward: Callable[..., Any]
    partials: Callable[..., tuple]
    formulas: Formulas
    param_names: tuple[str, ...] = ()
    params: tuple = ()
    masks: Callable[..., tuple] | None = None  # selections: which zero partials are masks
    forward_rows: Callable[..., Any] | None = None  # n-ary ops: the rule over a row per node
    partials_rows: Callable[..., Any] | None = None

    def bind(self, *params: float) -> Op:
        """This op with its parameters set, e.g. ``LEAKY_RELU.bind(0.1)``.

        Example:
            >>> LEAKY_RELU.bind(0.1).params, LEAKY_RELU.bind(0.1).symbol
            ((0.1,), 'LeakyReLU(0.1)')
            >>> LEAKY_RELU.bind(0.1) is LEAKY_RELU.bind(0.1)  # bound ops are cached
            True
        """
        # repr tells -0.0 from 0.0 and 1 from 1.0, and makes every nan the same key.
        key = (self.name, *map(repr, params))
        bound = _BOUND.get(key)
        if bound is None:
            if len(params) != len(self.param_names):
                raise TypeError(
                    f"op {self.name!r} takes parameters {self.param_names}, got {params}"
                )
            # ints beyond float range show as 1.0e+400 (and cannot meet a :g format)
            shown = {
                k: _short(v) if isinstance(v, int) else v for k, v in zip(self.param_names, params)
            }
            bound = replace(self, params=params, symbol=self.symbol.format(**shown))
            with _BOUND_LOCK:  # at most BOUND_CACHE_SIZE ops: drop the oldest
                while len(_BOUND) >= BOUND_CACHE_SIZE:
                    del _BOUND[next(iter(_BOUND))]
                _BOUND[key] = bound
        return bound

    def contributions(
        self, m: Any, upstream: Any, local: Sequence, out: Any, inputs: Sequence
    ) -> tuple:
        """What each input receives in backward: ``upstream × local``, except exactly 0
        for an input a selection did not take (see ``masks``).

        Example:
            >>> from autograd.backend import FLOAT, INF
            >>> RELU.contributions(FLOAT, INF, (0.0,), 0.0, (-1.0,))  # relu'(-1) = 0 is a mask
            (0.0,)
            >>> MUL.contributions(FLOAT, INF, (0.0, 3.0), 0.0, (3.0, 0.0))  # 0 × inf
            (nan, inf)
        """
        if self.masks is None:
            masks = (False,) * len(local)
        else:
            masks = self.masks(m, out, *inputs, *self.params)
        return tuple(m.chain(upstream, d, mask) for d, mask in zip(local, masks))

    def formula(self, index: int, count: int, names: Sequence[str] | None = None) -> str:
        """The human formula of d out / d (input ``index``) among ``count`` inputs.

        With ``names`` (one per input), the placeholders ``a``, ``b``, ``a_i``,
        ``b_i``, ``c`` are replaced by those names.

        Example:
            >>> DOT.formula(0, 5, names=["k1", "k2", "x1", "x2", "b"])
            'x1'
            >>> DIV.formula(1, 2, names=["y", "z"])
            '-y/z²'
        """
        if callable(self.formulas):
            text = self.formulas(index, count)
        else:
            text = self.formulas[index]
        if self.params:
            text = text.format(**{k: _short(v) for k, v in zip(self.param_names, self.params)})
        if names is not None:
            table = dict(zip(self.input_names(count), names))
            text = _PLACEHOLDER.sub(lambda m: table.get(m.group(0), m.group(0)), text)
        return text

    def __reduce__(self) -> tuple:
        # Pickled by name (its rules are lambdas): a registered op, bound or not, or a
        # module-level one such as LEAF; so graphs and models pickle.
        name = next((n for n in _UNREGISTERED if globals().get(n) is self), self.name)
        return _unpickled_op, (name, self.params)

    def input_names(self, count: int) -> tuple[str, ...]:
        """The placeholders the formulas use for ``count`` inputs: ``a, b`` or ``a_1 .. a_n``.

        Example:
            >>> MUL.input_names(2), SUM.input_names(3)
            (('a', 'b'), ('a_1', 'a_2', 'a_3'))
            >>> DOT.input_names(5)
            ('a_1', 'a_2', 'b_1', 'b_2', 'c')
        """
        if self.name == "dot":
            n = count // 2
            names = tuple(f"a_{i + 1}" for i in range(n)) + tuple(f"b_{i + 1}" for i in range(n))
            return names + (("c",) if count % 2 else ())
        if self.arity is None:
            return tuple(f"a_{i + 1}" for i in range(count))
        return ("a", "b")[:count]


_PLACEHOLDER = re.compile(r"(?<![A-Za-z0-9_])(?:[ab]_\d+|[abc])(?![A-Za-z0-9_])")


def _short(x: float) -> str:
    """A parameter as a drawing shows it: ``0.1``, ``3``, ``1e+400`` for a huge int."""
    if isinstance(x, float):
        return f"{x:g}"
    digits = str(abs(x))
    if len(digits) > 16:  # an int beyond float precision: 1.0e+400, not 401 digits
        return f"{'-' if x < 0 else ''}{digits[0]}.{digits[1]}e+{len(digits) - 1}"
    return str(x)


# Bound ops (``LEAKY_RELU.bind(0.1)``, ``POW.bind(3)``) are cached, so repeated
# ``x ** 2`` share one op; the cache is bounded so that many distinct exponents
# or slopes do not accumulate.
BOUND_CACHE_SIZE = 512
_BOUND: dict[tuple, Op] = {}
_BOUND_LOCK = threading.Lock()
OPS: dict[str, Op] = {}


def register(op: Op) -> Op:
    """Add a primitive to the registry; each name is defined once.

    Example:
        >>> try:
        ...     register(ADD)
        ... except ValueError as e:
        ...     print(e)
        op 'add' is already registered
    """
    if op.name in OPS:
        raise ValueError(f"op {op.name!r} is already registered")
    OPS[op.name] = op
    return op


def lookup(name: str) -> Op:
    """The registered op called ``name``; a missing rule names the op.

    Example:
        >>> lookup("mul") is MUL
        True
        >>> try:
        ...     lookup("matmul")
        ... except KeyError as e:
        ...     print(e.args[0].split(";")[0])
        no op named 'matmul'
    """
    try:
        return OPS[name]
    except KeyError:
        raise KeyError(f"no op named {name!r}; registered ops: {sorted(OPS)}") from None


# The op of leaves (inputs, parameters, constants): nothing to differentiate.
LEAF = Op("", "", 0, lambda m: None, lambda m, out: (), ())
# Results computed under no_grad(): leaves too, but backward from one is a mistake.
UNRECORDED = Op("", "", 0, lambda m: None, lambda m, out: (), ())

# Constants computed from other nodes (softmax's row max, Embedding's padding row): leaves
# in eager mode, replayed by ``compile`` with these rules (``mode.note_derived``).
ROW_MAX = Op(  # the shift of a stable softmax: max of the row, 0 if that is not finite
    "rowmax", "rowmax", None,
    forward=lambda m, *xs: m.where(m.isfinite(m.max(xs)), m.max(xs), 0.0),
    partials=lambda m, out, *xs: (0.0,) * len(xs),
    formulas=lambda index, count: "0",
    masks=lambda m, out, *xs: (True,) * len(xs),
    forward_rows=_rows("shift"), partials_rows=_rows("nothing"),
)  # fmt: skip
DETACHED = Op(  # a copy of a number, outside the graph: no gradient
    "detached", "detached", 1,
    forward=lambda m, a: a + 0.0,
    partials=lambda m, out, a: (0.0,),
    formulas=("0",),
    masks=lambda m, out, a: (True,),
)  # fmt: skip
_UNREGISTERED = ("LEAF", "UNRECORDED", "ROW_MAX", "DETACHED")


def _unpickled_op(name: str, params: tuple) -> Op:  # by its global name, or registry name
    if name in _UNREGISTERED:
        return globals()[name]
    return lookup(name).bind(*params) if params else lookup(name)


# The registry reads as a table, one entry per primitive: the formatter leaves it as written.
# fmt: off
# ---------------------------------------------------------------- arithmetic
ADD = register(Op(
    "add", "+", 2,
    forward=lambda m, a, b: a + b,
    partials=lambda m, out, a, b: (1.0, 1.0),
    formulas=("1", "1"),
))
SUB = register(Op(
    "sub", "-", 2,
    forward=lambda m, a, b: a - b,
    partials=lambda m, out, a, b: (1.0, -1.0),
    formulas=("1", "-1"),
))
MUL = register(Op(
    "mul", "*", 2,
    forward=lambda m, a, b: a * b,
    partials=lambda m, out, a, b: (b, a),
    formulas=("b", "a"),
))
DIV = register(Op(
    "div", "/", 2,
    forward=lambda m, a, b: m.div(a, b),
    partials=lambda m, out, a, b: (m.div(1.0, b), -m.div(out, b)),
    formulas=("1/b", "-a/b²"),
))
NEG = register(Op(
    "neg", "neg", 1,
    forward=lambda m, a: -a,
    partials=lambda m, out, a: (-1.0,),
    formulas=("-1",),
))
POW = register(Op(  # a ** n with n a number; a ** 0 is constant: its derivative is a mask
    "pow", "**{exponent}", 1,
    forward=lambda m, a, n: m.pow_scalar(a, n),
    partials=lambda m, out, a, n: (0.0 if n == 0 else m.number(n) * m.pow_scalar(a, n - 1),),
    formulas=("{exponent}·a^({exponent}-1)",),
    param_names=("exponent",),
    masks=lambda m, out, a, n: (n == 0,),
))
POW_VALUE = register(Op(  # a ** b with b a node too; where b = 0, d/da is a mask
    "pow_value", "**", 2,
    forward=lambda m, a, b: m.pow(a, b),
    partials=lambda m, out, a, b: (
        m.where(b == 0, 0.0, b * m.pow(a, b - 1.0)), m.pow_log(out, a, b)),
    formulas=("b·a^(b-1)", "a^b·log(a)"),
    masks=lambda m, out, a, b: (b == 0, False),
))

# ----------------------------------------------------------- transcendental
EXP = register(Op(
    "exp", "exp", 1,
    forward=lambda m, a: m.exp(a),
    partials=lambda m, out, a: (out,),
    formulas=("exp(a)",),
))
LOG = register(Op(
    "log", "log", 1,
    forward=lambda m, a: m.log(a),
    partials=lambda m, out, a: (m.div(1.0, a),),
    formulas=("1/a",),
))
SQRT = register(Op(
    "sqrt", "sqrt", 1,
    forward=lambda m, a: m.sqrt(a),
    partials=lambda m, out, a: (m.div(0.5, out),),
    formulas=("1/(2√a)",),
))
TANH = register(Op(
    "tanh", "tanh", 1,
    forward=lambda m, a: m.tanh(a),
    partials=lambda m, out, a: (1.0 - out * out,),
    formulas=("1 - tanh(a)²",),
))
SIGMOID = register(Op(
    "sigmoid", "σ", 1,
    forward=lambda m, a: m.sigmoid(a),
    partials=lambda m, out, a: (out * (1.0 - out),),
    formulas=("σ(a)·(1 - σ(a))",),
))
SOFTPLUS = register(Op(
    "softplus", "softplus", 1,
    forward=lambda m, a: m.softplus(a),
    partials=lambda m, out, a: (m.sigmoid(a),),
    formulas=("σ(a)",),
))

# ------------------------------------------------------ piecewise-linear kinks
# max(a, 0), a winning the tie and nan winning as in max: relu(-0.0) = -0.0 and
# relu(nan) = nan, as PyTorch; relu'(nan) = 1 passes the gradient through.
RELU = register(Op(
    "relu", "ReLU", 1,
    forward=lambda m, a: m.max((a, 0.0)),
    partials=lambda m, out, a: (m.step(a),),
    formulas=("1{a > 0}",),
    masks=lambda m, out, a: (True,),
))
LEAKY_RELU = register(Op(
    "leaky_relu", "LeakyReLU({slope:g})", 1,
    forward=lambda m, a, slope: m.where_positive(a, a, slope * a),
    partials=lambda m, out, a, slope: (m.where_positive(a, 1.0, slope),),
    formulas=("1 if a > 0 else {slope}",),
    param_names=("slope",),
))
ELU = register(Op(
    "elu", "ELU({alpha:g})", 1,
    forward=lambda m, a, alpha: m.where(a <= 0, alpha * m.expm1(a), a),
    partials=lambda m, out, a, alpha: (m.where(a <= 0, alpha * m.exp(a), 1.0),),
    formulas=("1 if a > 0 else {alpha}·exp(a)",),
    param_names=("alpha",),
))
ABS = register(Op(
    "abs", "abs", 1,
    forward=lambda m, a: m.abs(a),
    partials=lambda m, out, a: (m.sign(a),),
    formulas=("sign(a)",),
))

# ---------------------------------------------------------------- n-ary ops
# One node for a whole sum or dot product: the homework draws
# z = k1 x1 + k2 x2 + k3 x3 + b as one node, and it is smaller and faster
# than a chain of binary nodes.


def _dot_forward(m, *xs):
    n = len(xs) // 2
    products = list(map(operator.mul, xs[:n], xs[n : 2 * n]))
    if len(xs) % 2:
        return sum(products, xs[2 * n])  # c + a_1 b_1 + ... in that order
    return sum(products[1:], products[0])  # no 0.0 start, so (-0.0) + (-0.0) stays -0.0


def _dot_partials(m, out, *xs):
    n = len(xs) // 2
    bias = (1.0,) if len(xs) % 2 else ()
    return xs[n : 2 * n] + xs[:n] + bias


def _dot_forward_rows(X):
    n = X.shape[1] // 2
    out = (X[:, :n] * X[:, n : 2 * n]).sum(axis=1)
    return out + X[:, 2 * n] if X.shape[1] % 2 else out


def _dot_partials_rows(out, X):
    n = X.shape[1] // 2
    bias = [2 * n] if X.shape[1] % 2 else []
    local = X[:, list(range(n, 2 * n)) + list(range(n)) + bias]  # a copy: (b, a, c)
    if bias:
        local[:, 2 * n] = 1.0
    return local


def _dot_formula(index: int, count: int) -> str:
    n = count // 2
    if index < n:
        return f"b_{index + 1}"
    if index < 2 * n:
        return f"a_{index - n + 1}"
    return "1"


SUM = register(Op(
    "sum", "Σ", None,
    forward=lambda m, *xs: sum(xs[1:], xs[0]),
    partials=lambda m, out, *xs: (1.0,) * len(xs),
    formulas=lambda index, count: "1",
    forward_rows=lambda X: X.sum(axis=1),
    partials_rows=lambda out, X: import_module("numpy").ones_like(X),
))
DOT = register(Op(  # parents (a_1..a_n, b_1..b_n[, c]): out = Σ a_i b_i (+ c)
    "dot", "dot", None,
    forward=_dot_forward,
    partials=_dot_partials,
    formulas=_dot_formula,
    forward_rows=_dot_forward_rows,
    partials_rows=_dot_partials_rows,
))
# Ties and nans: the first one takes the gradient, as max(dim) and max-pooling do in PyTorch.
MAX = register(Op(
    "max", "max", None,
    forward=lambda m, *xs: m.max(xs),
    partials=lambda m, out, *xs: m.onehot_max(xs),
    formulas=lambda index, count: f"1{{a_{index + 1} is the first maximum}}",
    masks=lambda m, out, *xs: (True,) * len(xs),
    forward_rows=_rows("max"), partials_rows=_rows("onehot_max"),
))
MIN = register(Op(
    "min", "min", None,
    forward=lambda m, *xs: m.min(xs),
    partials=lambda m, out, *xs: m.onehot_min(xs),
    formulas=lambda index, count: f"1{{a_{index + 1} is the first minimum}}",
    masks=lambda m, out, *xs: (True,) * len(xs),
    forward_rows=_rows("min"), partials_rows=_rows("onehot_min"),
))

# torch.maximum/minimum of two: a tie splits 0.5/0.5; an input not strictly beaten
# (a nan, or beside a nan) takes the whole gradient.
MAXIMUM = register(Op(
    "maximum", "max", 2,
    forward=lambda m, a, b: m.max((a, b)),
    partials=lambda m, out, a, b: m.split_pair(a, b, larger=True),
    formulas=("1{a > b} + 1{a = b}/2", "1{b > a} + 1{a = b}/2"),
    masks=lambda m, out, a, b: (True, True),
))
MINIMUM = register(Op(
    "minimum", "min", 2,
    forward=lambda m, a, b: m.min((a, b)),
    partials=lambda m, out, a, b: m.split_pair(a, b, larger=False),
    formulas=("1{a < b} + 1{a = b}/2", "1{b < a} + 1{a = b}/2"),
    masks=lambda m, out, a, b: (True, True),
))
# A full reduction t.max()/t.min() (torch.amax/amin): the k tied inputs each receive
# 1/k (when the result is nan, the nans are the ties).
AMAX = register(Op(
    "amax", "max", None,
    forward=lambda m, *xs: m.max(xs),
    partials=lambda m, out, *xs: m.split_max(xs),
    formulas=lambda index, count: f"1{{a_{index + 1} = out}}/(number of ties)",
    masks=lambda m, out, *xs: (True,) * len(xs),
))
AMIN = register(Op(
    "amin", "min", None,
    forward=lambda m, *xs: m.min(xs),
    partials=lambda m, out, *xs: m.split_min(xs),
    formulas=lambda index, count: f"1{{a_{index + 1} = out}}/(number of ties)",
    masks=lambda m, out, *xs: (True,) * len(xs),
))

# ------------------------------------------------------------------- losses
# PyTorch's binary cross-entropy as one node: its gradient (a − b)/max(a(1 − a), 1e-12)
# is not the derivative of the clamped logs (at a = b = 1 it is 0, not −1), so
# composing log, max and mul could not match it at probabilities 0 and 1.
BCE_EPSILON = 9.999999960041972e-13  # PyTorch's 1e-12, a float32 constant
BCE = register(Op(  # inputs (p, t): −(t·max(log p, −100) + (1 − t)·max(log(1 − p), −100))
    "binary_cross_entropy", "BCE", 2,
    forward=lambda m, p, t: (
        (t - 1.0) * m.max((m.log1p(-p), -100.0)) - t * m.max((m.log(p), -100.0))),
    partials=lambda m, out, p, t: (
        m.div(p - t, m.max(((1.0 - p) * p, BCE_EPSILON))), -m.log(m.div(p, 1.0 - p))),
    formulas=("(a - b)/max(a(1 - a), 1e-12)", "log((1 - a)/a)"),
))
# fmt: on
