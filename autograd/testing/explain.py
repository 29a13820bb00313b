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


def _uses(order: Sequence[Value], node: Value) -> list[tuple[Value, int]]:
    """Every (child, input position) where ``node`` is an input, in order."""
    return [(c, i) for c in order for i, p in enumerate(c.parents) if p is node]


def _local(child: Value, index: int) -> float:
    op = child.primitive
    partials = op.partials(FLOAT, child.data, *[p.data for p in child.parents], *op.params)
    return partials[index]


def _formula(child: Value, index: int, names: dict[int, str]) -> str:
    parent_names = [names[id(p)] for p in child.parents]
    return child.primitive.formula(index, len(child.parents), names=parent_names)


def _term(child: Value, index: int, root_name: str, node_name: str,
          names: dict[int, str]) -> tuple[float, str]:
    local = _local(child, index)
    child_name = names[id(child)]
    formula = _formula(child, index, names)
    local_text = _number(local)
    factor = local_text if formula in (local_text, f"{local:g}") else f"[{formula} = {local_text}]"
    text = (f"d{root_name}/d{child_name} · d{child_name}/d{node_name}"
            f" = {_number(child.grad)} · {factor}")
    return child.grad * local, text


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
    terms = [_term(c, i, root_name, node_name, names) for c, i in _uses(order, node)]
    shown = sorted(terms, key=lambda t: -abs(t[0]) if t[0] == t[0] else 0.0)[:limit]
    lines += [f"  = {text}" if k == 0 else f"  + {text}" for k, (_, text) in enumerate(shown)]
    if len(terms) > limit:
        lines.append(f"  + ... ({len(terms) - limit} smaller terms)")
    lines.append("path: " + " <- ".join(names[id(v)] for v in _path(order, root, node)))
    return "\n".join(lines)


def _path(order: Sequence[Value], root: Value, node: Value) -> list[Value]:
    """Root first, ``node`` last: at each step the use with the largest contribution."""
    reaches = {id(node)}  # nodes from which ``node`` can be reached going to parents
    for v in order:
        if any(id(p) in reaches for p in v.parents):
            reaches.add(id(v))
    path, here = [node], node
    while here is not root:
        uses = [(c, i) for c, i in _uses(order, here) if id(c) in reaches]
        if not uses:
            break
        here = max(uses, key=lambda ci: _magnitude(ci[0].grad * _local(*ci)))[0]
        path.append(here)
    return path[::-1]


def _magnitude(x: float) -> float:
    return abs(x) if x == x else -1.0
