"""Reading homework-style closed forms into sympy, with ``ast`` and a whitelist (no eval).

``d1 x1 + d2 x2`` (juxtaposition is a product), ``x^2`` (a power), ``1{z2 > z1}``
(an indicator), ``min(exp(z), 1)``, ``sigmoid(z0 - z1)``. Names become sympy
symbols (or the symbols given in ``names``); numbers become exact rationals.
Anything else (attributes, subscripts, strings, lambdas, unknown functions) is
refused with a ValueError naming it.
"""

from __future__ import annotations

import ast
import io
import keyword
import operator
import re
import tokenize
from collections.abc import Mapping
from typing import Any

from autograd.limits import (
    MAX_CLOSED_FORM_CHARS,
    MAX_CLOSED_FORM_DEPTH,
    MAX_CLOSED_FORM_NODES,
    LimitError,
    check_power,
)
from autograd.symbolic.backend import exact, require_sympy

_INDICATOR = re.compile(r"1\{([^{}]*)\}")


def _functions(sp: Any) -> dict[str, Any]:
    t = sp.Dummy("t")
    return {
        "exp": sp.exp,
        "log": sp.log,
        "sqrt": sp.sqrt,
        "tanh": sp.tanh,
        "abs": sp.Abs,
        "sigmoid": sp.Lambda(t, 1 / (1 + sp.exp(-t))),
        "softplus": sp.Lambda(t, sp.log(1 + sp.exp(t))),
        "relu": sp.Lambda(t, sp.Max(t, 0)),
        "min": sp.Min,
        "max": sp.Max,
        "Min": sp.Min,
        "Max": sp.Max,
        "indicator": lambda cond: sp.Piecewise((1, cond), (0, True)),
    }


def _accepted(functions: Mapping[str, Any]) -> str:
    return ", ".join(sorted(set(functions) - {"indicator"}))


def _insert_products(
    text: str, functions: Mapping[str, Any], symbols: Mapping[str, Any] | None = None
) -> str:
    """Write juxtaposition as ``*``: ``d1 x1`` -> ``d1*x1``, ``2(x+1)`` -> ``2*(x+1)``.

    ``name(`` with no space is a call: an unknown function there is an error
    (``Heaviside(w*x)`` is not read as ``Heaviside*(w*x)``), unless ``name`` is
    one of the known ``symbols`` (then ``w(x+1)`` is a product).
    """
    out: list[str] = []
    previous = None
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    for tok in tokens:
        if tok.type in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER):
            continue
        starts_operand = tok.type in (tokenize.NAME, tokenize.NUMBER) or tok.string == "("
        if previous is not None and starts_operand:
            ends_operand = (
                previous.type in (tokenize.NAME, tokenize.NUMBER) or previous.string == ")"
            )
            is_call = (
                tok.string == "("
                and previous.type == tokenize.NAME
                and previous.string in functions
            )
            if (
                tok.string == "("
                and previous.type == tokenize.NAME
                and not is_call
                and previous.end == tok.start
                and previous.string not in (symbols or {})
                and not keyword.iskeyword(previous.string)
            ):
                raise ValueError(
                    f"cannot read closed form {text!r}: unknown function {previous.string}(...);"
                    f" the accepted functions are {_accepted(functions)} (for a product write "
                    f"{previous.string}*(...))"
                )
            if ends_operand and not is_call:
                out.append("*")
        out.append(tok.string)
        previous = tok
    return " ".join(out)


_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_COMPARE = {ast.Lt: operator.lt, ast.Gt: operator.gt, ast.LtE: operator.le, ast.GtE: operator.ge}


def parse_closed_form(
    text: str, names: Mapping[str, Any] | None = None, allow_new_symbols: bool = True
) -> Any:
    """A sympy expression from a homework-style string, parsed with ``ast`` (never eval).

    ``^`` is a power, juxtaposition ``d1 x1`` is a product, ``1{z2 > z1}`` is
    the indicator ``Piecewise((1, z2 > z1), (0, True))``; ``exp log sqrt tanh
    abs sigmoid softplus relu min max`` are known functions; ``names`` maps
    names to the symbols to use (so they are the very symbols of a result).
    A call of a function not in that list is an error naming it and the list;
    with ``allow_new_symbols=False`` so is a name that is not in ``names``.

    Example:
        >>> parse_closed_form("d1 x1 + x2^2")
        d1*x1 + x2**2
        >>> parse_closed_form("d 1{z > 0}")
        d*Piecewise((1, z > 0), (0, True))
        >>> parse_closed_form("min(exp(z), 1) / 2")
        Min(1, exp(z))/2
        >>> parse_closed_form("Heaviside(w*x + b)")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: cannot read closed form 'Heaviside(w*x + b)': unknown function Heaviside(...); the accepted functions are Max, Min, abs, exp, ...
    """
    sp = require_sympy()
    if not isinstance(text, str):
        raise TypeError(f"closed form must be a str here, got {type(text).__name__}")
    functions = _functions(sp)
    symbols = dict(names or {})
    if len(text) > MAX_CLOSED_FORM_CHARS:
        raise LimitError(
            f"cannot read a closed form of {len(text):,} characters; the limit is "
            f"{MAX_CLOSED_FORM_CHARS:,} (autograd.limits.MAX_CLOSED_FORM_CHARS)"
        )
    rewritten = text.replace("\u2212", "-")  # the typographic minus, as printed elsewhere
    rewritten = _INDICATOR.sub(lambda m: f"indicator({m.group(1)})", rewritten).replace("^", "**")
    try:
        tree = ast.parse(_insert_products(rewritten, functions, symbols), mode="eval")
    except (SyntaxError, tokenize.TokenError) as error:
        raise ValueError(f"cannot read closed form {text!r}: {error}") from None
    except (RecursionError, MemoryError):
        raise _too_deep(text, None) from None
    _check_size(text, tree)

    def refuse(node: ast.AST, what: str) -> ValueError:
        return ValueError(
            f"cannot read closed form {text!r}: {what} is not allowed (numbers, names, "
            f"+ - * / ^, comparisons, 1{{...}} and the functions {_accepted(functions)} are)"
        )

    # Post-order walk with an explicit stack: children are converted before parents.
    done: dict[int, Any] = {}
    stack: list[tuple[ast.AST, bool]] = [(tree.body, False)]
    while stack:
        node, expanded = stack.pop()
        children: list[ast.AST]
        if isinstance(node, ast.BinOp):
            children = [node.left, node.right]
        elif isinstance(node, ast.UnaryOp):
            children = [node.operand]
        elif isinstance(node, ast.Compare):
            children = [node.left, *node.comparators]
        elif isinstance(node, ast.Call):
            children = list(node.args)
        else:
            children = []
        if not expanded:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(children))
            continue
        args = [done[id(child)] for child in children]
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, (int, float))
            and not isinstance(node.value, bool)
        ):
            result = exact(node.value)
        elif isinstance(node, ast.Name):
            if node.id not in symbols and not allow_new_symbols:
                raise ValueError(
                    f"cannot read closed form {text!r}: unknown symbol {node.id!r} (the graph's "
                    f"symbols: {', '.join(sorted(symbols)) or 'none'})"
                )
            result = symbols.setdefault(node.id, sp.Symbol(node.id))
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            if isinstance(node.op, ast.Pow):
                check_power(sp, *args)  # 10^10^10 would be computed to the last digit
            result = _evaluate(text, _BINARY[type(node.op)], args)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            result = -args[0] if isinstance(node.op, ast.USub) else args[0]
        elif isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
            result = _evaluate(text, _COMPARE[type(node.ops[0])], args)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in functions
            and not node.keywords
        ):
            if node.func.id == "indicator" and len(args) != 1:
                raise ValueError(
                    f"cannot read closed form {text!r}: an indicator 1{{...}} holds "
                    "one condition, e.g. 1{z > 0}"
                )
            result = _evaluate(text, functions[node.func.id], args)
        elif isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else type(node.func).__name__
            raise refuse(node, f"the call {name}(...)")
        else:
            raise refuse(node, f"{type(node).__name__} ({ast.unparse(node)!r})")
        done[id(node)] = result
    return done[id(tree.body)]


def _evaluate(text: str, function: Any, args: list[Any]) -> Any:
    """One step of building the expression; sympy's own refusals become ValueErrors."""
    try:
        return function(*args)
    except (TypeError, AttributeError, ZeroDivisionError) as error:
        # e.g. (x > 1) + 2, exp(x, y), 1{x}: say what sympy could not do, in one line
        raise ValueError(
            f"cannot read closed form {text!r}: {str(error).splitlines()[0]}"
        ) from None
    except RecursionError:
        raise _too_deep(text, None) from None


def _too_deep(text: str, depth: int | None) -> LimitError:
    if depth is None:  # Python's parser itself ran out of stack
        return LimitError(
            f"cannot read closed form {_head(text)}: Python's parser ran out of stack on it; "
            f"the limits are {MAX_CLOSED_FORM_DEPTH} levels of nesting and "
            f"{MAX_CLOSED_FORM_NODES:,} parts (autograd.limits.MAX_CLOSED_FORM_DEPTH, "
            "MAX_CLOSED_FORM_NODES)"
        )
    return LimitError(
        f"cannot read closed form {_head(text)}: it is nested {depth:,} levels "
        f"deep; the limit is {MAX_CLOSED_FORM_DEPTH} "
        "(autograd.limits.MAX_CLOSED_FORM_DEPTH)"
    )


def _head(text: str) -> str:
    return repr(text) if len(text) <= 60 else repr(text[:50]) + f"... ({len(text):,} characters)"


def _check_size(text: str, tree: ast.AST) -> None:
    """Refuse a closed form with too many parts or too deep a nesting, before sympy sees it.

    A run of ``+ -`` (or of ``* /``) is one level: a long sum is long, not deep.
    """
    count = 0
    deepest = 0
    stack: list[tuple[ast.AST, int, type | None]] = [(tree, 0, None)]
    while stack:
        node, depth, kind = stack.pop()
        level = depth
        here = kind
        if isinstance(node, ast.expr):  # not the wrapper, operators or load contexts
            count += 1
            if count > MAX_CLOSED_FORM_NODES:
                raise LimitError(
                    f"cannot read closed form {_head(text)}: it has more than "
                    f"{MAX_CLOSED_FORM_NODES:,} parts (autograd.limits."
                    "MAX_CLOSED_FORM_NODES)"
                )
            here = _run_kind(node)
            level = depth if here is not None and here is kind else depth + 1
            deepest = max(deepest, level)
        for child in ast.iter_child_nodes(node):
            stack.append((child, level, here))
    if deepest > MAX_CLOSED_FORM_DEPTH:
        raise _too_deep(text, deepest)


def _run_kind(node: ast.AST) -> type | None:
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Add | ast.Sub):
            return ast.Add
        if isinstance(node.op, ast.Mult | ast.Div):
            return ast.Mult
    return None
