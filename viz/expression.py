"""The ``chalkgrad`` expression language, parsed with ``ast`` against a whitelist.

A program is statements separated by ``;`` or newlines: assignments
``name = expression`` name intermediate nodes, and the last statement is the
output. Expressions use numbers, variables, ``+ - * / **``, unary minus and the
functions in :data:`FUNCTIONS`. Nothing is ever passed to ``eval``/``exec``: the
tree is checked node by node and evaluated by hand with an explicit stack, and
anything else (attribute access, subscripts, imports, lambdas, strings, unknown
calls) is refused with its line and column.
"""

from __future__ import annotations

import ast
import math
import operator
import re
import unicodedata
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

from autograd import FLOAT, OPS, Value, as_value, topological_order
from autograd.value import apply

# name -> (number of Value arguments or None for 2+, parameter name, default)
FUNCTIONS: dict[str, tuple[int | None, str | None, float | None]] = {
    "exp": (1, None, None),
    "log": (1, None, None),
    "sqrt": (1, None, None),
    "tanh": (1, None, None),
    "sigmoid": (1, None, None),
    "relu": (1, None, None),
    "softplus": (1, None, None),
    "abs": (1, None, None),
    "sin": (1, None, None),
    "cos": (1, None, None),
    "erf": (1, None, None),
    "log2": (1, None, None),
    "sign": (1, None, None),
    "gelu": (1, None, None),
    "silu": (1, None, None),
    "leaky_relu": (1, "slope", 0.01),
    "elu": (1, "alpha", 1.0),
    "max": (None, None, None),
    "min": (None, None, None),
}
MAX_SOURCE = 20_000

_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_REFUSED = {
    ast.Attribute: "attribute access (.) is not allowed",
    ast.Subscript: "subscripts ([...]) are not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.Import: "import is not allowed",
    ast.ImportFrom: "import is not allowed",
    ast.Compare: "comparisons are not allowed",
    ast.BoolOp: "'and'/'or' are not allowed",
    ast.IfExp: "'if' expressions are not allowed",
    ast.JoinedStr: "strings are not allowed",
    ast.Starred: "'*' unpacking is not allowed",
    ast.AugAssign: "augmented assignment (+= etc.) is not allowed",
    ast.NamedExpr: "':=' is not allowed",
}
_ALLOWED = (
    ast.Module,
    ast.Assign,
    ast.Expr,
    ast.BinOp,
    ast.UnaryOp,
    ast.Call,
    ast.Name,
    ast.Constant,
    ast.keyword,
    ast.Load,
    ast.Store,
    ast.USub,
    ast.UAdd,
    *_OPERATORS,
)


class ExpressionError(ValueError):
    """A refused or broken program, with its 1-based line and column.

    Example:
        >>> str(ExpressionError("unknown name 'q'", 1, 5))
        "line 1, column 5: unknown name 'q'"
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message, self.line, self.column = message, line, column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(where + message)


@dataclass
class Program:
    """A built graph: the output ``root``, the input leaves and every named node.

    Example:
        >>> p = build("z = w*x; L = z + 1", {"w": 2, "x": 3})
        >>> p.root.data, sorted(p.inputs), sorted(p.names)
        (7.0, ['w', 'x'], ['L', 'w', 'x', 'z'])
    """

    root: Value
    inputs: dict[str, Value]
    names: dict[str, Value] = field(default_factory=dict)


def _fail(message: str, node: ast.AST) -> ExpressionError:
    return ExpressionError(
        message, getattr(node, "lineno", None), getattr(node, "col_offset", -1) + 1
    )


def _check_node(node: ast.AST) -> str | None:
    """Why ``node`` is refused, or None when it is allowed."""
    for kind, why in _REFUSED.items():
        if isinstance(node, kind):
            return why
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            kind = "strings" if isinstance(node.value, str | bytes) else repr(node.value)
            return (
                f"{kind} are not allowed: only numbers"
                if kind == "strings"
                else (f"constant {kind} is not allowed: only numbers")
            )
        return None
    if isinstance(node, ast.BinOp) and type(node.op) not in _OPERATORS:
        return f"operator {type(node.op).__name__} is not allowed (use + - * / **)"
    if isinstance(node, ast.UnaryOp) and not isinstance(node.op, ast.USub | ast.UAdd):
        return f"unary {type(node.op).__name__} is not allowed (only unary minus)"
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            return "only calls of the allowed functions by name: " + ", ".join(FUNCTIONS)
        if node.func.id not in FUNCTIONS:
            return f"unknown function {node.func.id!r} (allowed: {', '.join(FUNCTIONS)})"
    if isinstance(node, ast.Assign):
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
            return "assign to one plain name: name = expression"
    if not isinstance(node, _ALLOWED):
        return f"{type(node).__name__} is not allowed in an expression"
    return None


def parse(source: str) -> ast.Module:
    """Parse and whitelist-check ``source``; the first refusal in reading order is raised.

    Example:
        >>> parse("__import__('os')")
        Traceback (most recent call last):
        ...
        viz.expression.ExpressionError: line 1, column 1: unknown function '__import__' (allowed: exp, log, sqrt, tanh, sigmoid, relu, softplus, abs, sin, cos, erf, log2, sign, gelu, silu, leaky_relu, elu, max, min)
    """
    if not isinstance(source, str):
        raise TypeError(f"expression must be a str, got {type(source).__name__}")
    if len(source) > MAX_SOURCE:
        raise ExpressionError(f"expression is too long ({len(source)} > {MAX_SOURCE} characters)")
    if not source.strip():
        raise ExpressionError("the expression is empty")
    source = source.replace("\u2212", "-")  # the typographic minus reads as "-" (same width)
    try:
        with warnings.catch_warnings():  # "0inf": Python's own warning is not our one line
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(source, mode="exec")
    except SyntaxError as error:
        if "integer string conversion" in str(error.msg):  # a literal of over 4,300 digits
            raise _huge_literal(source) from None
        raise ExpressionError(f"syntax error: {error.msg}", error.lineno, error.offset) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("expression is too deeply nested or malformed") from None
    if not tree.body:
        raise ExpressionError(
            'the expression has only comments: write one such as "L = (w*x - 1)**2"'
        )
    refusals = []
    for node in ast.walk(tree):  # ast.walk is iterative
        why = _check_node(node)
        if why is not None:
            # operator and argument-list nodes have no position; their parent is refused too
            line = getattr(node, "lineno", math.inf)
            refusals.append((line, getattr(node, "col_offset", 0), why, node))
    if refusals:
        refusals.sort(key=lambda r: (r[0], r[1]))
        raise _fail(refusals[0][2], refusals[0][3])
    return tree


def free_variables(tree: ast.Module) -> dict[str, ast.Name]:
    """Names read but never assigned, each with its first use (the program's inputs).

    Example:
        >>> used = free_variables(ast.parse("z = w*x; L = exp(z) + w"))
        >>> sorted(used), used["w"].col_offset
        (['w', 'x'], 4)
    """
    assigned = {s.targets[0].id for s in tree.body if isinstance(s, ast.Assign)}
    used: dict[str, ast.Name] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Name)
            and isinstance(node.ctx, ast.Load)
            and node.id not in FUNCTIONS
            and node.id not in assigned
        ):
            first = used.get(node.id)
            if first is None or (node.lineno, node.col_offset) < (first.lineno, first.col_offset):
                used[node.id] = node
    return used


def _number(node: ast.Constant) -> int | float:
    x = node.value
    if isinstance(x, int) and abs(x) > 2**53:
        try:
            return float(x)
        except OverflowError:
            raise _fail(
                f"number {str(x)[:20]}... ({len(str(x))} digits) is too large: "
                "numbers are floats, at most about 1.8e308",
                node,
            ) from None
    return x


def _huge_literal(source: str) -> ExpressionError:
    """The error for an integer literal Python will not even read, at its position."""
    for number in re.finditer(r"\d{4300,}", source):
        line = source.count("\n", 0, number.start()) + 1
        column = number.start() - (source.rfind("\n", 0, number.start()) + 1) + 1
        return ExpressionError(
            f"number {number.group()[:20]}... ({len(number.group())} digits) "
            "is too large: numbers are floats, at most about 1.8e308",
            line,
            column,
        )
    return ExpressionError("a number is too large: numbers are floats, at most about 1.8e308")


# Each operator: the registry op that folds two numbers, and Python's operator on Values.
_FOLD = {
    ast.Add: ("add", operator.add),
    ast.Sub: ("sub", operator.sub),
    ast.Mult: ("mul", operator.mul),
    ast.Div: ("div", operator.truediv),
    ast.Pow: ("pow_value", operator.pow),
}


def _binary(op: type, a: Value | float, b: Value | float) -> Value | float:
    name, python_operator = _FOLD[op]
    if not isinstance(a, Value) and not isinstance(b, Value):
        # Fold numbers with the registry's own IEEE-safe rule: no huge ints, no exceptions.
        return OPS[name].forward(FLOAT, float(a), float(b))
    return python_operator(a, b)


def _call(node: ast.Call, args: list, kwargs: dict) -> Value:
    name = node.func.id
    count, param, default = FUNCTIONS[name]
    if count is None:
        if kwargs:
            raise _fail(f"{name}() takes no keyword arguments", node)
        if len(args) < 2:
            raise _fail(f"{name}() needs at least 2 arguments, got {len(args)}", node)
        return apply(OPS[name], tuple(as_value(a) for a in args))
    extra = list(args[1:])
    if param is not None:
        unknown = set(kwargs) - {param}
        if unknown:
            raise _fail(f"{name}() has no argument {sorted(unknown)[0]!r} (only {param})", node)
        if len(args) not in (1, 2) or (len(args) == 2 and kwargs):
            raise _fail(f"{name}() takes x and an optional {param}", node)
        value = kwargs.get(param, extra[0] if extra else default)
        if isinstance(value, Value):
            raise _fail(f"{name}() {param} must be a number, not an expression of variables", node)
        return getattr(as_value(args[0]), name)(float(value))
    if kwargs or len(args) != 1:
        raise _fail(f"{name}() takes exactly 1 argument", node)
    return getattr(as_value(args[0]), name)()


def _evaluate(expr: ast.expr, names: Mapping[str, Value], later: set[str]) -> Value | float:
    """Evaluate one whitelisted expression with an explicit stack (no recursion)."""
    results: list[Value | float] = []
    stack: list[tuple[ast.AST, bool]] = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if isinstance(node, ast.Constant):
            results.append(_number(node))
        elif isinstance(node, ast.Name):
            if node.id in FUNCTIONS:
                raise _fail(f"{node.id!r} is a function: call it as {node.id}(...)", node)
            if node.id in names:
                results.append(names[node.id])
            elif node.id in later:
                raise _fail(f"name {node.id!r} is used before it is assigned", node)
            else:
                raise _fail(f"unknown name {node.id!r}", node)
        elif not ready:
            stack.append((node, True))
            if isinstance(node, ast.BinOp):
                children = [node.left, node.right]
            elif isinstance(node, ast.UnaryOp):
                children = [node.operand]
            else:  # ast.Call
                children = list(node.args) + [k.value for k in node.keywords]
            stack.extend((c, False) for c in reversed(children))
        elif isinstance(node, ast.BinOp):
            b = results.pop()
            a = results.pop()
            results.append(_binary(type(node.op), a, b))
        elif isinstance(node, ast.UnaryOp):
            a = results.pop()
            results.append(-a if isinstance(node.op, ast.USub) else a)
        else:
            n_kw = len(node.keywords)
            values = results[len(results) - len(node.args) - n_kw :]
            del results[len(results) - len(node.args) - n_kw :]
            kwargs = {k.arg: v for k, v in zip(node.keywords, values[len(node.args) :])}
            if any(k.arg is None for k in node.keywords):
                raise _fail("'**' unpacking is not allowed", node)
            results.append(_call(node, values[: len(node.args)], kwargs))
    (result,) = results
    return result


def build(source: str, settings: Mapping[str, float]) -> Program:
    """Build the graph of ``source`` with input values ``settings``; leaves are labelled.

    Example:
        >>> p = build("z = w*x + b; L = (y - exp(z))**2 / 2", dict(w=2, x=-1, b=0.5, y=1))
        >>> p.root.label, round(p.root.data, 6), sorted(p.inputs)
        ('L', 0.301763, ['b', 'w', 'x', 'y'])
    """
    tree = parse(source)
    free = free_variables(tree)
    for name, node in free.items():
        if name not in settings:
            raise _fail(f"unset variable {name!r}: give it a value with --set {name}=NUMBER", node)
    inputs = {}
    for name in free:
        x = settings[name]
        if isinstance(x, bool) or not isinstance(x, int | float):
            raise ExpressionError(f"--set {name}: expected a number, got {x!r}")
        inputs[name] = Value(float(x), label=name)
    names: dict[str, Value] = dict(inputs)
    pending = {s.targets[0].id for s in tree.body if isinstance(s, ast.Assign)}
    root: Value | float | None = None
    for k, statement in enumerate(tree.body):
        if isinstance(statement, ast.Expr):
            if k != len(tree.body) - 1:
                raise _fail(
                    "only the last statement may be a bare expression; assign this one to a name",
                    statement,
                )
            root = _evaluate(statement.value, names, pending)
            continue
        target = statement.targets[0]
        name = target.id
        if name in FUNCTIONS:
            raise _fail(f"cannot assign to {name!r}: it is a function", target)
        if name in settings:
            raise _fail(f"cannot assign to {name!r}: it is an input given with --set", target)
        if name in names:
            raise _fail(f"{name!r} is already defined; give each node its own name", target)
        value = _evaluate(statement.value, names, pending)
        if not isinstance(value, Value):
            value = Value(float(value), label=name)
        elif value.label is None:
            value.label = name
        names[name] = value
        pending.discard(name)
        root = value
    for name in settings:
        if name not in free:
            raise ExpressionError(f"--set {name}: the expression has no input variable {name!r}")
    if not isinstance(root, Value):
        root = as_value(float(root))
    _check_all_used(tree, names, root)
    return Program(root, inputs, names)


def _check_all_used(tree: ast.Module, names: dict[str, Value], root: Value) -> None:
    """The last statement is the output: an assignment it does not use is a mistake."""
    used = {id(v) for v in topological_order(root)}
    output = root.label or "the last statement"
    for statement in tree.body[:-1]:
        if isinstance(statement, ast.Assign):
            target = statement.targets[0]
            if id(names[target.id]) not in used:
                raise _fail(
                    f"{target.id!r} is assigned but the output {output!r} does not use "
                    "it (the last statement is the output)",
                    target,
                )


def parse_settings(items: list[str] | None) -> dict[str, float]:
    """``["w=2", "x=-1"]`` as ``{"w": 2.0, "x": -1.0}``, with one-line errors.

    Example:
        >>> parse_settings(["w=2", "x = -1.5e0", "y=\u22123"])  # U+2212, as printed by others
        {'w': 2.0, 'x': -1.5, 'y': -3.0}
    """
    from viz.numbers import parse_number

    out: dict[str, float] = {}
    for item in items or []:
        name, sep, text = item.partition("=")
        # Python reads names in NFKC form (fullwidth ｘ is x), so the settings do too.
        name = unicodedata.normalize("NFKC", name.strip())
        if not sep or not name.isidentifier():
            raise ExpressionError(f"--set {item!r}: expected NAME=NUMBER, e.g. --set w=2")
        if name in FUNCTIONS:
            raise ExpressionError(f"--set {name}: {name!r} is a function name")
        try:
            value = parse_number(text)
        except ValueError:
            raise ExpressionError(f"--set {item!r}: {text.strip()!r} is not a number") from None
        if name in out:
            raise ExpressionError(f"--set {name}: set twice")
        out[name] = value
    return out
