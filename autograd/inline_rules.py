"""The registry's hot derivative rules written out as inline Python, for backward.

Backward's reference walk (:func:`autograd.graph.propagate`) calls each node's
``op.partials`` through the registry: a function call, an argument tuple and a
result tuple per node. For the few primitives that make up most graphs (``dot``,
``mul``, ``add``, ``sub``, ``sum``, ``relu``, ...) that call costs more than the
arithmetic. This module reads those rules *from the registry entries* and writes
them out as straight-line code: it calls each entry's ``partials`` once on
placeholder inputs that record the arithmetic done on them (:class:`Expression`),
and pastes the recorded expressions into a generated walk. The rule stays defined
once, in ``ops.py``; change it there and the generated code changes with it.

The generated walk does the same float operations in the same order as the
reference walk: each partial is computed from the inputs' ``data``, then every
input in tuple order receives ``upstream * partial``. Only ``* 1.0`` is dropped
(exact for every float). Selections reached by an inf or nan gradient take the
reference's masked path, and a rule that cannot be recorded (one that branches on
its inputs) or an op not in :data:`INLINED` runs the reference code.

Example:
    >>> from autograd import ops
    >>> recorded_partials(ops.MUL, 2)
    ('x1', 'x0')
    >>> recorded_partials(ops.TANH, 1)
    ('(1.0 - (out * out))',)
    >>> recorded_partials(ops.DOT, 3)
    ('x1', 'x0', '1.0')
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from autograd import ops
from autograd.backend import FLOAT

# The primitives written out, most frequent first (the walk tests them in this order).
INLINED = ("mul", "add", "sub", "div", "neg", "relu", "tanh", "exp", "sigmoid", "log")
INLINED_NARY = ("dot", "sum")
NARY_LIMIT = 128  # n-ary nodes with more inputs use the reference code


class NotRecordableError(Exception):
    """A rule looked at its inputs' values (a comparison, a branch): it is not inlined."""


class Expression:
    """A placeholder input of a rule: arithmetic on it records Python source.

    Example:
        >>> a, b = Expression("a"), Expression("b")
        >>> (1.0 - a * b).source
        '(1.0 - (a * b))'
    """

    __slots__ = ("source",)

    def __init__(self, source: str) -> None:
        self.source = source

    def _binary(self, symbol: str, other: Any, reflected: bool = False) -> Expression:
        left, right = _source(self), _source(other)
        if reflected:
            left, right = right, left
        return Expression(f"({left} {symbol} {right})")

    def __add__(self, other: Any) -> Expression:
        return self._binary("+", other)

    def __radd__(self, other: Any) -> Expression:
        return self._binary("+", other, True)

    def __sub__(self, other: Any) -> Expression:
        return self._binary("-", other)

    def __rsub__(self, other: Any) -> Expression:
        return self._binary("-", other, True)

    def __mul__(self, other: Any) -> Expression:
        return self._binary("*", other)

    def __rmul__(self, other: Any) -> Expression:
        return self._binary("*", other, True)

    def __truediv__(self, other: Any) -> Expression:
        return self._binary("/", other)

    def __rtruediv__(self, other: Any) -> Expression:
        return self._binary("/", other, True)

    def __neg__(self) -> Expression:
        return Expression(f"(-{self.source})")

    def _refuse(self, *args: Any) -> Any:
        raise NotRecordableError(f"a rule compared or tested its input {self.source}")

    __bool__ = __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse  # type: ignore
    __hash__ = None  # type: ignore[assignment]


def _source(x: Any) -> str:
    if isinstance(x, Expression):
        return x.source
    if type(x) in (int, float) and math.isfinite(x):
        return repr(float(x)) if isinstance(x, float) else repr(x)
    raise NotRecordableError(f"a rule used the constant {x!r}")


class _RecordingMath:
    """The math backend as rules see it: ``m.step(a)`` records ``m_step(a)``."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __getattr__(self, name: str) -> Callable[..., Expression]:
        if not callable(getattr(FLOAT, name, None)):
            raise NotRecordableError(f"the rule reads m.{name}")
        self.used.add(name)

        def call(*args: Any) -> Expression:
            return Expression(f"m_{name}({', '.join(map(_source, args))})")

        return call


def recorded_partials(op: ops.Op, count: int, used: set[str] | None = None) -> tuple[str, ...]:
    """The source of each local derivative of ``op`` with ``count`` inputs.

    Inputs are named ``x0, x1, ...`` (their ``data``) and the forward value ``out``;
    backend functions appear as ``m_<name>``, and their names are added to ``used``.

    Example:
        >>> from autograd import ops
        >>> recorded_partials(ops.ADD, 2), recorded_partials(ops.RELU, 1)
        (('1.0', '1.0'), ('m_step(x0)',))
    """
    m = _RecordingMath()
    inputs = [Expression(f"x{i}") for i in range(count)]
    local = op.partials(m, Expression("out"), *inputs, *op.params)
    if len(local) != count:
        raise NotRecordableError(f"{op.name} gave {len(local)} partials for {count} inputs")
    if used is not None:
        used |= m.used
    return tuple(_source(d) for d in local)


def recorded_forward(op: ops.Op, count: int, used: set[str] | None = None) -> str:
    """The source of ``op``'s forward value from inputs ``x0, x1, ...`` (their ``data``).

    The binary operators of ``Value`` paste it in (``value.py``), as the walk pastes the
    partials: the same float operations, without a call of the registry's function.

    Example:
        >>> from autograd import ops
        >>> recorded_forward(ops.MUL, 2), recorded_forward(ops.DIV, 2)
        ('(x0 * x1)', 'm_div(x0, x1)')
    """
    m = _RecordingMath()
    out = op.forward(m, *[Expression(f"x{i}") for i in range(count)], *op.params)
    if used is not None:
        used |= m.used
    return _source(out)


_OPERATOR = """
def make(op, forward, {backend}):
    def operator(self, other):
        if other.__class__ is not Value:
            if not _is_value_or_number(other):
                return NotImplemented  # a Tensor, say: its reflected method broadcasts
            other = as_value(other)
        if not MODE.plain:
            return node(forward(FLOAT, self.data, other.data), (self, other), op)
        x0 = self.data
        x1 = other.data
        v = _new(Value)
        v.data = {forward}
        v.grad, v.label, v._primitive, v.parents = 0.0, None, op, (self, other)
        try:
            current().append(v)
        except LookupError:  # this thread's first node
            here().append(v)
        return v
    return operator
"""


def binary_operator(op: ops.Op, name: str, namespace: dict[str, Any]) -> Callable:
    """The method ``self <op> other`` of ``Value``, with ``op``'s forward rule pasted in.

    It is ``apply2`` written out (``value.py``), the entry's forward arithmetic
    (:func:`recorded_forward`) in place of a call of the registry's function: those
    two calls were two fifths of the hot path's cost in micrograd-style loops. The
    numbers are the same bit for bit; a rule that cannot be recorded is called.
    ``namespace`` is ``value.py``'s globals, which the generated code runs in.

    Example:
        >>> from autograd import Value, ops
        >>> from autograd import value
        >>> mul = binary_operator(ops.MUL, "__mul__", vars(value))
        >>> mul(Value(3.0), 4.0).data, mul.__qualname__
        (12.0, 'Value.__mul__')
    """
    used: set[str] = set()
    try:
        forward_source = recorded_forward(op, 2, used)
    except NotRecordableError:
        forward_source, used = "forward(FLOAT, x0, x1)", set()
    backend = sorted(used)
    source = _OPERATOR.format(backend=", ".join(f"m_{b}" for b in backend), forward=forward_source)
    made: dict[str, Any] = {}
    exec(compile(source, f"<Value.{name}>", "exec"), namespace, made)
    operator = made["make"](op, op.forward, *[getattr(FLOAT, b) for b in backend])
    operator.__name__, operator.__qualname__ = name, f"Value.{name}"
    return operator


def _rule_lines(op: ops.Op, count: int, indent: str, used: set[str]) -> list[str]:
    """The body that sends ``g`` through a node of ``op`` (its parents in ``parents``)."""
    partials = recorded_partials(op, count, used)
    names = _NAME.findall(" ".join(partials))
    lines = [f"{', '.join(f'p{i}' for i in range(count))}{',' if count == 1 else ''} = parents"]
    lines += [f"x{i} = p{i}.data" for i in range(count) if f"x{i}" in names]
    if "out" in names:
        lines.append("out = v.data")
    shares = []
    for i, d in enumerate(partials):
        if d == "1.0":
            shares.append(f"p{i}.grad += g")  # g * 1.0 is g for every float
        elif _NAME.fullmatch(d):
            shares.append(f"p{i}.grad += g * {d}")
        else:  # computed before any input receives its share, as in the reference
            lines.append(f"d{i} = {d}")
            shares.append(f"p{i}.grad += g * d{i}")
    return [indent + line for line in lines + shares]


_NAME = re.compile(r"\bx\d+\b|\bout\b")


def _masked_check(op: ops.Op, indent: str) -> list[str]:
    if op.masks is None:
        return []
    return [
        f"{indent}if g - g != 0.0:  # inf or nan through a selection: the masked path",
        f"{indent}    send_through_selection(v)",
        f"{indent}    continue",
    ]


def _walk_source(reference: Callable) -> tuple[str, dict]:
    """Source of the generated walk and its globals."""
    used: set[str] = set()
    scope: dict[str, Any] = {"send_through_selection": reference}
    branches: dict[int, list[str]] = {1: [], 2: []}
    for name in INLINED:
        op = ops.OPS.get(name)
        if op is None or op.arity not in branches or op.params:
            continue
        try:
            body = _rule_lines(op, op.arity, " " * 16, used)
        except Exception:  # not recordable (NotRecordableError), or any surprise: reference code
            continue
        scope[f"OP_{name}"] = op
        keyword = "if" if not branches[op.arity] else "elif"
        branches[op.arity] += [f"            {keyword} op is OP_{name}:"]
        branches[op.arity] += _masked_check(op, " " * 16) + body
    for name in used:
        scope[f"m_{name}"] = getattr(FLOAT, name)
    nary = []  # n-ary ops: one generated function per number of inputs, made on first use
    for name in INLINED_NARY:
        scope[f"OP_{name}"], scope[f"RULES_{name}"] = ops.OPS[name], {}
        keyword = "if" if not nary else "elif"
        nary += [f"            {keyword} op is OP_{name}:", f"                rules = RULES_{name}"]
    lines = [
        "def walk(order, generic):",
        "    for v in order:",
        "        parents = v.parents",
        "        count = len(parents)",
        "        op = v._primitive",
        "        g = v.grad",
        "        if count == 2:",
        *branches[2],
        "            else:",
        "                generic(v)",
        "        elif count == 1:",
        *branches[1],
        "            else:",
        "                generic(v)",
        "        elif count:",
        *nary,
        "            else:",
        "                generic(v)",
        "                continue",
        "            rule = rules.get(count)",
        "            if rule is None:",
        "                rule = nary_rule(op, count, rules, generic_nary)",
        "            rule(v, g)",
    ]
    return "\n".join(lines) + "\n", scope


def _nary_rule(op: ops.Op, count: int, cache: dict, generic: Callable) -> Callable:
    """The function sending ``g`` through a node of ``op`` with ``count`` inputs, cached
    in ``cache`` by ``count``; ``generic`` when the rule cannot be written out."""
    rule = generic
    if count <= NARY_LIMIT:
        used: set[str] = set()
        try:
            body = _rule_lines(op, count, "    ", used)
        except Exception:  # not recordable (NotRecordableError), or any surprise: reference code
            pass
        else:
            scope = {f"m_{name}": getattr(FLOAT, name) for name in used}
            source = "\n".join(["def rule(v, g):", "    parents = v.parents", *body]) + "\n"
            exec(compile(source, f"<inline rule {op.name}/{count}>", "exec"), scope)
            rule = scope["rule"]
    cache[count] = rule
    return rule


def make_walk(generic: Callable[[Any], None]) -> Callable[[Any, Callable], None]:
    """Generate the walk: ``walk(order, generic)`` sends each node's gradient to its inputs.

    ``order`` lists the nodes children first; ``generic(v)`` is the reference code for
    one node (used for every op not written out here, and for masked selections).

    Example:
        >>> from autograd import Value
        >>> from autograd.graph import propagate_node
        >>> walk = make_walk(propagate_node)
        >>> x = Value(3.0); y = x * x; y.grad = 1.0
        >>> walk([y], propagate_node); x.grad
        6.0
    """
    source, scope = _walk_source(generic)

    def generic_nary(v: Any, g: float) -> None:
        generic(v)

    scope["generic_nary"] = generic_nary
    scope["nary_rule"] = _nary_rule
    exec(compile(source, "<inline rules: backward walk>", "exec"), scope)
    return scope["walk"]


def walk_source() -> str:
    """The generated walk's source, for reading (the rules come from the registry).

    Example:
        >>> "op is OP_mul" in walk_source() and "p0.grad += g * x1" in walk_source()
        True
    """
    return _walk_source(lambda v: None)[0]
