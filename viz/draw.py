"""``draw``: a computation graph as a Graphviz picture with data and gradients.

Each Value is a box ``label | data | grad``; the op that made it is a small
ellipse in front of it (as in micrograd's trace graph); there is one edge per
parent entry, so ``x * x`` has two. Scalars of one Tensor, nn Module or RNN time
step sit in one cluster. Above ``max_nodes`` the picture collapses to one node per
Tensor (see ``viz/collapse.py``) and says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import graphviz

from autograd import FLOAT, Value, topological_order
from viz.clusters import ClusterTree
from viz.collapse import check_expand, draw_collapsed
from viz.groups import Path, assign_paths
from viz.labels import (
    COLORS,
    HIGHLIGHT,
    format_number,
    html_label,
    is_finite_node,
    node_kind,
    scalar_table,
)
from viz.numbers import noise_scales

COMPACT_ABOVE = 1000
NOT_COMPUTED = "gradients not computed yet: run backward() first (grad shows —)"


class GraphPicture(graphviz.Digraph):
    """A ``graphviz.Digraph`` that renders itself with chalkgrad's renderer in Jupyter.

    Extra attributes: ``order`` (the drawn Values in topological order), ``node_ids``
    (``id(value)`` -> DOT node name), ``collapsed`` and ``grads_computed``.

    Example:
        >>> x = Value(2.0, label="x"); y = x * 3; y.backward()
        >>> picture = draw(y)
        >>> isinstance(picture, GraphPicture), picture.collapsed, picture.grads_computed
        (True, False, True)
        >>> picture._repr_svg_().lstrip().startswith(("<?xml", "<svg", "<!--"))
        True
    """

    def _repr_svg_(self) -> str:
        """The picture as SVG text: Jupyter calls this to show it inline."""
        from viz.render import to_svg

        return to_svg(self)

    def _repr_mimebundle_(
        self, include: object = None, exclude: object = None, **kwargs: object
    ) -> dict[str, str]:
        """Jupyter's rich display: the SVG only (graphviz's own would need system dot)."""
        return {"image/svg+xml": self._repr_svg_()}


def as_roots(roots: object) -> list[Value]:
    """A Value, a Tensor, or an iterable of them as a flat list of root Values.

    Example:
        >>> from autograd import Tensor
        >>> len(as_roots([Value(1.0), Tensor([1.0, 2.0])]))
        3
    """
    if isinstance(roots, Value):
        return [roots]
    if hasattr(roots, "values") and hasattr(roots, "shape"):
        return list(roots.values.flat)
    if isinstance(roots, Iterable) and not isinstance(roots, (str, bytes)):
        out: list[Value] = []
        for r in roots:
            if isinstance(r, Value):
                out.append(r)
            elif hasattr(r, "values") and hasattr(r, "shape"):
                out.extend(r.values.flat)
            else:
                raise TypeError(f"draw() takes Values or Tensors, got {type(r).__name__} {r!r}")
        if not out:
            raise ValueError("draw() needs at least one root Value, got an empty collection")
        return out
    raise TypeError(f"draw() takes a Value, a Tensor or a list of them, got {type(roots).__name__}")


def grads_computed(order: Sequence[Value]) -> bool:
    """False when every gradient is exactly 0.0: backward has (almost surely) not run.

    Example:
        >>> x = Value(2.0); y = x * x
        >>> grads_computed([x, y])
        False
        >>> y.backward(); grads_computed([x, y])
        True
    """
    return any(v.grad != 0.0 for v in order)


def highlighted(order: list[Value], sources: object) -> set[int]:
    """ids of the nodes on a path from any of ``sources`` (Values or labels) to the roots.

    Example:
        >>> a, b = Value(1.0, label="a"), Value(2.0, label="b")
        >>> c = a * b; d = c + b
        >>> highlighted([a, b, c, d], "a") == {id(a), id(c), id(d)}
        True
        >>> highlighted([a, b, c, d], "z")
        Traceback (most recent call last):
        ...
        ValueError: highlight: no node of the graph matches ['z']
    """
    if sources is None:
        return set()
    if isinstance(sources, (Value, str)):
        sources = [sources]
    wanted_ids = {id(s) for s in sources if isinstance(s, Value)}
    wanted_labels = {s for s in sources if isinstance(s, str)}
    marked = {id(v) for v in order if id(v) in wanted_ids or v.label in wanted_labels}
    if not marked:
        raise ValueError(f"highlight: no node of the graph matches {list(sources)!r}")
    for v in order:  # parents come first, so a child sees its parents' marks
        if id(v) not in marked and any(id(p) in marked for p in v.parents):
            marked.add(id(v))
    return marked


def node_name(v: Value) -> str:
    """The title drawn for a node: its label, or nothing for unlabelled nodes.

    Example:
        >>> node_name(Value(1.0, label="w")), node_name(Value(1.0))
        ('w', '')
    """
    return v.label if v.label is not None else ""


def draw(
    roots: object,
    *,
    precision: int = 4,
    max_nodes: int = 300,
    expand: Iterable[str] = (),
    groups: Mapping[str, object] | None = None,
    steps: Sequence[str] | None = None,
    highlight: object = None,
    derivatives: bool = False,
    show_grad: bool = True,
    symbols: Mapping | None = None,
    rankdir: str = "LR",
    title: str | None = None,
    compact: bool | None = None,
) -> GraphPicture:
    """Draw the graph below ``roots`` with each node's label, data and grad.

    - ``precision``: significant figures (rounding noise next to 0 is drawn as 0).
    - ``max_nodes``: above this many scalar nodes, draw one node per Tensor/group;
      ``expand=["fc2", "h"]`` keeps the named tensors/modules/groups (or labelled
      nodes) as scalars in every collapse pass; an unknown name is a ValueError.
    - ``groups={"encoder": [Values or Tensors]}`` adds explicit clusters; labels add
      tensor (``W[0,1]``), module (``fc.weight[..]``) and time-step (``h_3``) clusters;
      ``steps=["h"]`` forces time steps for ``h[t]`` labels.
    - ``highlight``: a Value or label; the paths from it to the roots are drawn red
      (in a collapsed picture: the groups and group edges on those paths).
    - ``derivatives=True``: each edge shows its local derivative (formula = value).
    - ``symbols``: mapping for ``autograd.symbolic`` to add symbolic values and grads.
    - ``compact``: write the op inside the value box instead of a separate op node
      (halves the layout work); by default on above ``COMPACT_ABOVE`` nodes.

    Example:
        >>> x = Value(3.0, label="x")
        >>> y = x * x; y.label = "y"
        >>> y.backward()
        >>> g = draw(y)
        >>> g.source.count("-> v1op")  # x*x: two edges into the multiplication
        2
        >>> "grad 6" in g.source
        True
    """
    if not isinstance(precision, int) or isinstance(precision, bool) or not 1 <= precision <= 17:
        raise ValueError(f"precision (significant figures) must be an int in 1..17, "
                         f"got {precision!r}")
    if not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive int, got {max_nodes!r}")
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be one of LR TB RL BT, got {rankdir!r}")
    root_list = as_roots(roots)
    order = topological_order(root_list)
    paths = assign_paths(order, groups, steps)
    computed = grads_computed(order)
    picture = GraphPicture(name="chalkgrad", graph_attr={"rankdir": rankdir, "fontsize": "12"})
    picture.node_attr.update(shape="plain", fontname="Helvetica", fontsize="11")
    picture.edge_attr.update(fontname="Helvetica", fontsize="9", color="#4b5563")
    picture.order = order
    picture.grads_computed = computed
    notes = []
    if title:
        notes.append(title)
    expand = [expand] if isinstance(expand, str) else list(expand)
    check_expand(order, paths, expand)
    marked = highlighted(order, highlight)
    if len(order) > max_nodes:
        notes.append(
            draw_collapsed(picture, order, paths, root_list, expand, precision, show_grad, computed,
                           max_nodes, marked)
        )
        picture.collapsed = True
    else:
        sym = _symbolic_rows(root_list, symbols) if symbols is not None else None
        if compact is None:
            compact = len(order) > COMPACT_ABOVE
        _draw_scalars(picture, order, paths, root_list, precision, show_grad and computed,
                      marked, derivatives, sym, compact)
        picture.collapsed = False
    if not computed and show_grad:
        notes.append(NOT_COMPUTED)
    if notes:
        picture.attr(label=html_label("\n".join(notes)), labelloc="t", labeljust="l")
    return picture


def _symbolic_rows(roots: list[Value], symbols: Mapping) -> dict[int, tuple[str, str]]:
    from autograd.symbolic import symbolic  # optional: needs sympy

    # every root at once: each gradient is the sum over all roots (seeded with 1 each)
    result = symbolic(roots, symbols)
    rows = {}
    for v in topological_order(roots):
        value = result.value.get(v) if hasattr(result.value, "get") else result.value[v]
        grad = result.grad.get(v) if hasattr(result.grad, "get") else result.grad[v]
        rows[id(v)] = (_short(value), _short(grad))
    return rows


def _short(expr: object, limit: int = 60) -> str:
    text = "" if expr is None else str(expr)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _draw_scalars(
    picture: GraphPicture,
    order: list[Value],
    paths: list[Path],
    roots: list[Value],
    precision: int,
    show_grad: bool,
    marked: set[int],
    derivatives: bool,
    sym: dict[int, tuple[str, str]] | None,
    compact: bool,
) -> None:
    index = {id(v): k for k, v in enumerate(order)}
    root_ids = {id(r) for r in roots}
    picture.node_ids = {id(v): f"v{k}" for k, v in enumerate(order)}
    clusters = ClusterTree(picture)
    data_scale, grad_scale = noise_scales(order)
    for k, v in enumerate(order):
        target = clusters.graph_for(paths[k])
        kind = node_kind(v, id(v) in root_ids)
        finite = is_finite_node(v)
        color = COLORS[kind] if finite else COLORS["nonfinite"]
        cells = [f"= {v.primitive.symbol}"] if compact and v.parents else []
        cells.append(f"data {format_number(v.data, precision, data_scale[id(v)])}")
        cells.append(f"grad {format_number(v.grad, precision, grad_scale[id(v)])}"
                     if show_grad else "grad —")
        if sym is not None and id(v) in sym:
            cells.append(f"= {sym[id(v)][0]}")
            cells.append(f"∂ = {sym[id(v)][1]}")
        if not finite:
            cells.append("non-finite!")
        on_path = id(v) in marked
        target.node(
            f"v{k}",
            scalar_table(node_name(v), cells, color,
                         border_color=HIGHLIGHT if on_path or not finite else "#374151",
                         penwidth=3 if on_path else 1),
            id=f"v{k}",
        )
        if v.parents and not compact:
            op = v.primitive
            target.node(
                f"v{k}op", html_label(op.symbol), shape="ellipse", margin="0.05,0.02",
                id=f"v{k}op", color=HIGHLIGHT if on_path else "#374151",
            )
            picture.edge(f"v{k}op", f"v{k}", id=f"v{k}out",
                         **({"color": HIGHLIGHT, "penwidth": "2.5"} if on_path else {}))
    for k, v in enumerate(order):
        if not v.parents:
            continue
        op = v.primitive
        local = None
        if derivatives:
            local = op.partials(FLOAT, v.data, *[p.data for p in v.parents], *op.params)
        n = len(v.parents)
        # Formulas name labelled inputs by their labels; unlabelled ones keep a, b, a_i.
        names = [p.label or placeholder for p, placeholder in zip(v.parents, op.input_names(n))]
        for i, p in enumerate(v.parents):
            attrs = {"id": f"e{k}_{i}"}
            if local is not None:
                attrs["label"] = html_label(
                    f"{op.formula(i, n, names=names)} = {format_number(local[i], precision)}"
                )
            if id(p) in marked and id(v) in marked:
                attrs.update(color=HIGHLIGHT, penwidth="2.5")
            picture.edge(f"v{index[id(p)]}", f"v{k}" if compact else f"v{k}op", **attrs)
    clusters.close()
