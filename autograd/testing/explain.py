"""Explaining one gradient the way a student checks it: the chain rule at a node.

When a gradient test fails, the number alone does not say where to look.
:func:`explain_gradient` writes what the engine did to get ``dL/dnode``: the
chain-rule sum over the node's uses (each term ``dL/dchild · dchild/dnode``,
with the registry's formula and the numbers), and one path from the root down
to the node, following the largest contribution. It reads the graph after a
backward pass and the registry's formulas; it computes nothing new.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd.backend import FLOAT
from autograd.graph import topological_order
from autograd.names import node_names
from autograd.value import Value


class GradientAssertionError(AssertionError):
    """A gradient (or backward function) that differs from what was expected.

    ``str(error)`` is the whole report; the chalkgrad pytest plugin prints it
    without the traceback noise.

    Example:
        >>> raise GradientAssertionError("gradient of L with respect to w is wrong")
        Traceback (most recent call last):
        ...
        autograd.testing.explain.GradientAssertionError: gradient of L with respect to w is wrong
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)


def _number(x: float) -> str:
    text = f"{x:.6g}"
    return f"({text})" if text.startswith("-") else text


def _uses(order: Sequence[Value]) -> dict[int, list[tuple[Value, int]]]:
    """For each node (by ``id``), every (child, input position) where it is an input."""
    uses: dict[int, list[tuple[Value, int]]] = {}
    for child in order:
        for i, p in enumerate(child.parents):
            uses.setdefault(id(p), []).append((child, i))
    return uses


def _local_and_sent(child: Value, index: int) -> tuple[float, float]:
    """The local derivative and what backward sent along that edge (the registry's rule)."""
    op = child.primitive
    inputs = [p.data for p in child.parents]
    local = op.partials(FLOAT, child.data, *inputs, *op.params)
    sent = op.contributions(FLOAT, child.grad, local, child.data, inputs)
    return local[index], sent[index]


def _formula(child: Value, index: int, names: dict[int, str]) -> str:
    parent_names = [names[id(p)] for p in child.parents]
    return child.primitive.formula(index, len(child.parents), names=parent_names)


def _term(
    child: Value, index: int, root_name: str, node_name: str, names: dict[int, str]
) -> tuple[float, str]:
    local, sent = _local_and_sent(child, index)
    child_name = names[id(child)]
    formula = _formula(child, index, names)
    local_text = _number(local)
    factor = local_text if formula in (local_text, f"{local:g}") else f"[{formula} = {local_text}]"
    text = (
        f"d{root_name}/d{child_name} · d{child_name}/d{node_name}"
        f" = {_number(child.grad)} · {factor}"
    )
    if sent == 0.0 and not FLOAT.isfinite(child.grad):
        text += " = 0 (not selected)"  # a selection sends exactly 0, as the step tables say
    return sent, text


def explain_gradient(root: Value, node: Value, *, limit: int = 6) -> str:
    """The chain rule the engine applied at ``node``, after ``backward()`` from ``root``.

    Lists at most ``limit`` terms of the sum (the largest first), then a path
    from ``root`` to ``node`` with the local derivative of each edge.

    Example:
        >>> w, x = Value(2.0, label="w"), Value(3.0, label="x")
        >>> L = (w * x - 1) ** 2; L.label = "L"
        >>> L.backward()
        >>> print(explain_gradient(L, w))
        dL/dw = 30
          = dL/dmul#2 · dmul#2/dw = 10 · [x = 3]
        path: L <- sub#4 <- mul#2 <- w
    """
    order = topological_order(root)
    names = node_names(order)
    if id(node) not in names:
        raise ValueError(f"{node!r} is not a node of the graph below {root!r}")
    root_name, node_name = names[id(root)], names[id(node)]
    lines = [f"d{root_name}/d{node_name} = {node.grad:.6g}"]
    if node is root:
        return lines[0] + " (the root: its own seed)"
    uses = _uses(order)
    terms = [_term(c, i, root_name, node_name, names) for c, i in uses.get(id(node), [])]
    shown = sorted(terms, key=lambda t: -abs(t[0]) if t[0] == t[0] else 0.0)[:limit]
    lines += [f"  = {text}" if k == 0 else f"  + {text}" for k, (_, text) in enumerate(shown)]
    if len(terms) > limit:
        lines.append(f"  + ... ({len(terms) - limit} smaller terms)")
    lines.append("path: " + " <- ".join(names[id(v)] for v in _path(uses, root, node)))
    return "\n".join(lines)


def _path(uses: dict[int, list[tuple[Value, int]]], root: Value, node: Value) -> list[Value]:
    """Root first, ``node`` last: at each step up, the use with the largest contribution."""
    path, here = [node], node
    while here is not root and uses.get(id(here)):
        here = max(uses[id(here)], key=lambda use: _magnitude(_local_and_sent(*use)[1]))[0]
        path.append(here)
    return path[::-1]


def _magnitude(x: float) -> float:
    return abs(x) if x == x else -1.0
