"""``assert_grad``: a gradient test in one line, with a failure that explains itself.

The expected gradients are numbers, arrays (for Tensors) or closed-form strings
in homework notation (``"2 x (w x - 1)"``). A closed form is checked at the
graph's own point and, where sympy is installed, everywhere (symbolically or at
random points) through :func:`autograd.testing.closed_forms.assert_closed_form`.
A failure raises :class:`GradientAssertionError`: both sides, the point, and the
chain rule the engine applied at the offending input.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from autograd.graph import backward, topological_order, zero_grad
from autograd.names import node_names
from autograd.tensors import Tensor
from autograd.testing.explain import GradientAssertionError, explain_gradient
from autograd.value import Value


def _scalar_root(graph: Any) -> Value:
    if callable(graph) and not isinstance(graph, (Value, Tensor)):
        graph = graph()
    if isinstance(graph, Tensor):
        if graph.size != 1:
            raise ValueError(
                f"assert_grad needs a scalar root, got a Tensor of shape "
                f"{graph.shape}: reduce it first, e.g. out.sum()"
            )
        graph = graph.values.flat[0]
    if not isinstance(graph, Value):
        raise TypeError(
            f"assert_grad needs a Value, a one-element Tensor or a function "
            f"returning one, got {type(graph).__name__}"
        )
    return graph


def _find(order: list[Value], key: Any) -> Value | np.ndarray:
    """A node, or an object array of nodes for a Tensor (or a tensor label).

    A key the graph does not use is refused, naming it: a Tensor or Value copied
    before the loss was built still holds the ``.grad`` of some earlier pass.
    """
    if isinstance(key, Tensor):
        in_graph = {id(v) for v in order}
        if not any(id(v) in in_graph for v in key.values.flat):
            name = f"Tensor {key.label!r}" if key.label else f"the Tensor of shape {key.shape}"
            raise ValueError(
                f"{name} is not in the graph of the loss: none of its elements is a node "
                "(was the loss built from a copy of it?); pass the Tensor the loss uses"
            )
        return key.values
    if isinstance(key, Value):
        if any(v is key for v in order):
            return key
        name = f"Value {key.label!r}" if key.label else repr(key)
        raise ValueError(
            f"{name} is not a node of the graph of the loss (was the loss built from a "
            "copy of it?); pass the Value the loss uses"
        )
    if not isinstance(key, str):
        raise TypeError(
            f"expected-keys must be Values, Tensors or labels, got {type(key).__name__} {key!r}"
        )
    exact = [v for v in order if v.label == key]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise ValueError(f"{len(exact)} nodes are labelled {key!r}: pass the Value itself")
    return _tensor_by_label(order, key)


def _tensor_by_label(order: list[Value], name: str) -> np.ndarray:
    """The elements labelled ``name[i,j]``, as an array in index order."""
    cells = {}
    for v in order:
        label = v.label or ""
        if label.startswith(name + "[") and label.endswith("]"):
            try:
                cells[tuple(int(i) for i in label[len(name) + 1 : -1].split(","))] = v
            except ValueError:
                continue
    if not cells:
        labels = sorted({v.label for v in order if v.label})
        raise ValueError(
            f"no node labelled {name!r} (nor {name}[i,...]) in the graph of the loss; "
            f"labels: {labels[:12]}"
        )
    shape = tuple(max(ix[d] for ix in cells) + 1 for d in range(len(next(iter(cells)))))
    out = np.empty(shape, dtype=object)
    for index in np.ndindex(shape):
        if index not in cells:
            raise ValueError(f"the graph uses only some elements of {name!r}; pass the Tensor")
        out[index] = cells[index]
    return out


def _point(order: list[Value]) -> dict[str, float]:
    return {v.label: v.data for v in order if not v.parents and v.label}


def _format_point(point: Mapping[str, float], limit: int = 8) -> str:
    items = [f"{k} = {x:.6g}" for k, x in list(point.items())[:limit]]
    more = f", ... ({len(point) - limit} more)" if len(point) > limit else ""
    return ", ".join(items) + more


def _close(a: float, b: float, rtol: float, atol: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= atol + rtol * abs(b)


def _closed_form_value(form: str, point: Mapping[str, float]) -> tuple[Any, float]:
    from autograd.symbolic import require_sympy
    from autograd.symbolic.closed_form import parse_closed_form

    sp = require_sympy()
    expr = parse_closed_form(form)
    unknown = sorted(str(s) for s in expr.free_symbols if str(s) not in point)
    if unknown:
        raise ValueError(
            f"closed form {form!r} uses {unknown}, which are not labelled "
            f"leaves of the graph; leaves: {sorted(point)}"
        )
    value = expr.xreplace({s: sp.Float(point[str(s)], 30) for s in expr.free_symbols})
    return expr, float(sp.re(value.evalf()))


def assert_grad(
    graph: Any,
    expected: Mapping[Any, Any],
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    everywhere: bool = True,
) -> None:
    """Assert ``d root / d node`` for each node in ``expected``; explain any failure.

    ``graph`` is a scalar Value, a one-element Tensor, or a function of no
    arguments returning one. ``expected`` maps nodes (Values, Tensors or labels;
    a Tensor's label finds its elements ``W[i,j]``) to numbers, arrays, or
    closed forms in homework notation. Backward runs afresh from the root.
    Closed forms are compared at the graph's point (its labelled leaves), then,
    with ``everywhere`` and sympy installed, at every point. NaN equals NaN.

    Example:
        >>> w, x = Value(2.0, label="w"), Value(3.0, label="x")
        >>> L = (w * x - 1) ** 2
        >>> assert_grad(L, {w: 30.0, "x": "2 w (w x - 1)"})
        >>> assert_grad(L, {w: 29.0})
        Traceback (most recent call last):
        ...
        autograd.testing.explain.GradientAssertionError: gradient of pow#5 with respect to w is wrong
          expected: 29
          engine:   30
          at:       w = 2, x = 3
        chain rule in the engine:
        dpow#5/dw = 30
          = dpow#5/dmul#2 · dmul#2/dw = 10 · [x = 3]
        path: pow#5 <- sub#4 <- mul#2 <- w
    """
    root = _scalar_root(graph)
    if not isinstance(expected, Mapping) or not expected:
        raise TypeError(
            "expected must be a non-empty mapping {node or label: gradient}, got "
            f"{expected!r:.60}"
        )
    order = topological_order(root)
    zero_grad(root)
    backward([root], [1.0])
    names = node_names(order)
    point = _point(order)
    closed_forms = {}
    for key, want in expected.items():
        node = _find(order, key)
        if isinstance(want, str):
            if not isinstance(node, Value):
                raise TypeError(
                    f"closed forms are for scalar nodes; give the expected "
                    f"gradient of the Tensor {key!r} as an array"
                )
            expr, number = _closed_form_value(want, point)
            _check_one(
                root, node, number, f"{want}  (= {number:.6g} here)", names, point, rtol, atol
            )
            closed_forms[node] = (want, expr)
        elif isinstance(node, Value):
            _check_one(root, node, float(want), f"{float(want):.6g}", names, point, rtol, atol)
        else:
            _check_array(root, node, want, key, names, point, rtol, atol)
    if everywhere and closed_forms:
        _check_everywhere(root, closed_forms, names, point)


def _report(
    root: Value, node: Value, names: dict[int, str], want: str, got: str, point: Mapping[str, float]
) -> str:
    return (
        f"gradient of {names[id(root)]} with respect to {names[id(node)]} is wrong\n"
        f"  expected: {want}\n  engine:   {got}\n  at:       {_format_point(point)}\n"
        f"chain rule in the engine:\n{explain_gradient(root, node)}"
    )


def _check_one(
    root: Value,
    node: Value,
    want: float,
    shown: str,
    names: dict[int, str],
    point: Mapping[str, float],
    rtol: float,
    atol: float,
) -> None:
    if not _close(node.grad, want, rtol, atol):
        raise GradientAssertionError(_report(root, node, names, shown, f"{node.grad:.6g}", point))


def _check_array(
    root: Value,
    nodes: np.ndarray,
    want: Any,
    key: Any,
    names: dict[int, str],
    point: Mapping[str, float],
    rtol: float,
    atol: float,
) -> None:
    want = np.asarray(want, dtype=float)
    if want.shape != nodes.shape:
        raise GradientAssertionError(
            f"expected gradient for {key if isinstance(key, str) else 'the Tensor'} has shape "
            f"{want.shape}, the Tensor has shape {nodes.shape}"
        )
    for index in np.ndindex(nodes.shape):
        node = nodes[index]
        grad = node.grad if id(node) in names else 0.0  # an unused element: gradient 0
        if not _close(grad, float(want[index]), rtol, atol):
            if id(node) not in names:
                where = (
                    node.label
                    or f"element {index} of {key if isinstance(key, str) else 'the Tensor'}"
                )
                raise GradientAssertionError(
                    f"gradient of {names[id(root)]} with respect to {where} is wrong\n"
                    f"  expected: {want[index]:.6g}\n  engine:   0 (the loss does not use {where})"
                )
            raise GradientAssertionError(
                _report(root, node, names, f"{want[index]:.6g}", f"{grad:.6g}", point)
            )


def _check_everywhere(
    root: Value, closed_forms: dict, names: dict[int, str], point: Mapping[str, float]
) -> None:
    from autograd.testing.closed_forms import assert_closed_form

    try:
        assert_closed_form(
            root, {node: form for node, (form, _) in closed_forms.items()}, sorted(point)
        )
    except AssertionError as failure:
        raise GradientAssertionError(
            f"{failure}\n(the closed form matches at the graph's point, "
            f"{_format_point(point)}, but not everywhere)"
        ) from None
