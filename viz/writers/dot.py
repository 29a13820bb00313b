"""The DOT writer: a :class:`viz.model.picture.Picture` as a Graphviz digraph.

A scalar box is the micrograd table ``name | data | grad`` with its op in a small
ellipse in front of it (or inside the box in ``compact`` mode) and one edge per
parent entry; a collapsed box shows its name, shape or size, the ops folded into it
and small data/grad tables (a tensor) or ranges; an edge between boxes says how many
scalar edges it stands for. Boxes sit in their module / time-step / group clusters,
elements of a tensor in index order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import graphviz

from autograd import FLOAT, Value
from viz.model.build import Box, Picture
from viz.writers.box_labels import box_label
from viz.writers.clusters import ClusterTree
from viz.writers.labels import COLORS, HIGHLIGHT, format_number, html_label, scalar_table
from viz.writers.scalar_layout import (
    add_references,
    edge_source,
    order_columns,
    reference_label,
    shared_tables,
)

# Above this many Graphviz nodes the layout's crossing minimisation and network simplex
# are capped: a picture that would otherwise take a minute lays out in seconds.
LIMIT_LAYOUT_ABOVE = 150
# A node with this many out-edges makes crossing minimisation slow (a 120-term x+x+...+x:
# 60 s): such edges are bundled (``concentrate``), which lays it out in well under 1 s.
BUNDLE_FAN_OUT = 16
BLANK = "\u00a0"  # the content of an empty cell to fill in (a worksheet, the practice page)
BLANK_WIDTH = 64  # points: room for a number such as -123.4567 written in by hand
KEY_INK = "#b91c1c"  # an answer key's numbers, in the cells the worksheet leaves empty


def op_node(target: graphviz.Digraph, node_id: str, symbol: str, color: str | None = None) -> None:
    """The small ellipse naming a node's primitive (drawn before the node's box).

    Example:
        >>> g = graphviz.Digraph(); op_node(g, "n1op", "*"); "ellipse" in g.source
        True
    """
    target.node(
        node_id,
        html_label(symbol),
        shape="ellipse",
        margin="0.05,0.02",
        id=node_id,
        **({"color": color} if color else {}),
    )


def layout_attrs(n_nodes: int, n_edges: int, fan_out: int = 0) -> dict[str, str]:
    """Graph attributes that bound the layout time of a picture of this size.

    Example:
        >>> layout_attrs(10, 12)
        {}
        >>> layout_attrs(2000, 4000)["mclimit"]
        '0.1'
        >>> layout_attrs(240, 240, fan_out=120)["concentrate"]
        'true'
    """
    attrs = {}
    if n_nodes + n_edges // 2 > LIMIT_LAYOUT_ABOVE:
        attrs.update(mclimit="0.1", nslimit="2", nslimit1="2", searchsize="10", remincross="false")
    if fan_out >= BUNDLE_FAN_OUT:
        attrs["concentrate"] = "true"
    return attrs


def _sorted_boxes(model: Picture) -> list[Box]:
    """Boxes grouped by cluster (first appearance), each cluster in element-index order."""
    first_seen: dict[tuple, int] = {}
    for b in model.boxes:
        first_seen.setdefault(_tensor_cluster(b), len(first_seen))
    return sorted(model.boxes, key=lambda b: (first_seen[_tensor_cluster(b)], _index_key(model, b)))


def _tensor_cluster(b: Box) -> tuple:
    return b.cluster


def _index_key(model: Picture, b: Box) -> tuple:
    index = model.members[b.members[0]].index if b.kind == "scalar" else None
    return (0, index, b.members[0]) if index is not None else (1, (), b.members[0])


def is_blank_grad(v: Value, is_root: bool, computed: bool) -> bool:
    """Whether a worksheet leaves ``v``'s gradient empty: every node's but a constant's
    (nobody asks for ``∂L/∂2``) and the output's once backward has run (the seed, filled
    in; before that the practice page writes the seed into the empty cell itself).

    Example:
        >>> is_blank_grad(Value(2.0), False, True), is_blank_grad(Value(2.0, label="w"), False, True)
        (False, True)
        >>> y = Value(2.0, label="w") * 3
        >>> is_blank_grad(y, True, True), is_blank_grad(y, True, False)
        (False, True)
    """
    if not v.parents and v.label is None:
        return False
    return not (is_root and computed)


def write_scalars(
    graph: graphviz.Digraph,
    model: Picture,
    precision: int,
    show_grad: bool,
    derivatives: bool,
    symbolic: Mapping[int, tuple[str, str]] | None,
    compact: bool,
    hide: Sequence[str] = (),
    answers: bool = False,
) -> None:
    """Add one table per scalar, op ellipses and one edge per parent entry to ``graph``.

    ``hide`` leaves those cells empty (a worksheet); with ``answers`` the same cells hold
    the numbers (its key, laid out like the sheet)."""
    order = model.order
    clusters = ClusterTree(graph)
    roots = {id(r) for r in model.roots}
    data_text = {id(v): model.number(k, "data", precision) for k, v in enumerate(order)}
    grad_text = {id(v): model.number(k, "grad", precision) for k, v in enumerate(order)}
    # A worksheet asks for every gradient but the seed's and the constants' (numbers in
    # the expression: nobody asks for dL/d2), and for the values of computed nodes.
    computed = model.grads_computed
    blank_grad = lambda v: "grad" in hide and is_blank_grad(v, id(v) in roots, computed)
    blank_data = lambda v: "data" in hide and bool(v.parents)
    hidden = [grad_text[id(v)] for v in order if blank_grad(v)]
    hidden += [data_text[id(v)] for v in order if blank_data(v)]
    width = max([BLANK_WIDTH] + [8 + 6.2 * len(text) for text in hidden])  # sheet = key
    boxes = _sorted_boxes(model)
    order_columns(clusters, model, boxes)  # each tensor a column in index order
    ends = add_references(clusters, model, shared_tables(model), precision)
    for box in boxes:
        k = box.members[0]
        v = order[k]
        target = clusters.graph_for(box.cluster)
        color = COLORS[box.role] if box.finite else COLORS["nonfinite"]
        cells = [f"= {v.primitive.symbol}"] if compact and v.parents else []
        if blank_data(v):
            cells += ["data", BLANK + (data_text[id(v)] if answers else "")]
        else:
            cells.append(f"data {data_text[id(v)]}")
        if blank_grad(v):
            cells += ["grad", BLANK + (grad_text[id(v)] if answers else "")]
        else:
            cells.append(f"grad {grad_text[id(v)]}" if show_grad else "grad —")
        if symbolic is not None and id(v) in symbolic:
            cells.append(f"= {symbolic[id(v)][0]}")
            if "grad" not in hide:
                cells.append(f"∂ = {symbolic[id(v)][1]}")
        if not box.finite:
            cells.append("non-finite!")
        label = scalar_table(
            box.name,
            cells,
            color,
            border_color=HIGHLIGHT if box.on_path or not box.finite else "#374151",
            penwidth=3 if box.on_path else 1,
        )
        target.node(box.id, _with_blanks(label, width) if hide else label, id=box.id)
        if v.parents and not compact:
            op_node(
                target,
                f"{box.id}op",
                v.primitive.symbol,
                color=HIGHLIGHT if box.on_path else "#374151",
            )
            graph.edge(
                f"{box.id}op",
                box.id,
                id=f"{box.id}out",
                **({"color": HIGHLIGHT, "penwidth": "2.5"} if box.on_path else {}),
            )
    by_id = model.box_by_id
    name_of = {id(v): model.names[k] for k, v in enumerate(order)}
    for e in model.edges:
        v = order[by_id[e.dst].members[0]]
        attrs = {"id": f"e{e.dst[1:]}_{e.input_index}"}
        if derivatives:  # ∂y/∂a = formula = value, in the names the picture shows
            op = v.primitive
            n = len(v.parents)
            local = op.partials(FLOAT, v.data, *[p.data for p in v.parents], *op.params)
            names = [name_of[id(p)] for p in v.parents]
            formula = op.formula(e.input_index, n, names=names)
            value = format_number(local[e.input_index], precision)
            head = f"∂{name_of[id(v)]}/∂{names[e.input_index]}"
            attrs["label"] = html_label(
                f"{head} = {value}" if formula == value else f"{head} = {formula} = {value}"
            )
        if e.marked:
            attrs.update(color=HIGHLIGHT, penwidth="2.5")
        src = edge_source(ends, model, e.src, e.dst)
        graph.edge(src, e.dst if compact else f"{e.dst}op", **attrs)
    clusters.close()


def _with_blanks(label: str, width: float = BLANK_WIDTH) -> str:
    """Give each empty cell (a worksheet's blank) room for a handwritten number; in a key
    the cell holds the answer in red ink, in a cell of the same width as the sheet's."""
    return re.sub(
        f"<TD>{BLANK}([^<]*)</TD>",
        lambda m: (
            f'<TD WIDTH="{width:.0f}" BGCOLOR="white">'
            + (f'<FONT COLOR="{KEY_INK}">{m.group(1)}</FONT>' if m.group(1) else BLANK)
            + "</TD>"
        ),
        label,
    )


def write_boxes(graph: graphviz.Digraph, model: Picture, precision: int, show_grad: bool) -> None:
    """Add one node per box and one counted edge per pair of connected boxes to ``graph``.

    A parameter or input that feeds three or more time steps is drawn once, and each later
    step gets a small reference to it (``shared_references``), so its edges stay short.
    """
    clusters = ClusterTree(graph)
    # A cluster around one box says nothing the box's name does not, and the bundled
    # renderer lays clusters of single boxes out of rank order (time steps in a column);
    # a cluster of boxes that do not work together (a block's two residual sums) only
    # pulls them away from what they connect.
    crowd: dict[tuple, int] = {}
    for box in model.boxes:
        for depth in range(1, len(box.cluster) + 1):
            crowd[box.cluster[:depth]] = crowd.get(box.cluster[:depth], 0) + 1
    loose = _loose_clusters(model, [c for c, n in crowd.items() if n >= 2])
    placed: dict[str, tuple] = {}
    for box in _sorted_boxes(model):
        cluster = box.cluster
        while cluster and (crowd[cluster] < 2 or cluster in loose):
            cluster = cluster[:-1]
        placed[box.id] = cluster
        clusters.graph_for(cluster).node(
            box.id, box_label(model, box, precision, show_grad), id=box.id
        )
    references = shared_references(model)
    drawn: set[str] = set()
    by_id = model.box_by_id
    for e in model.edges:
        attrs = {"label": f"<×{e.count}>"} if e.count > 1 else {}
        if e.marked:
            attrs.update(color=HIGHLIGHT, penwidth="2.5")
            if e.marked < e.count:
                attrs["label"] = f"<×{e.count} ({e.marked} on the path)>"
        src = e.src
        if (e.src, e.dst) in references:
            src = references[(e.src, e.dst)]
            if src not in drawn:  # one reference per table and step, next to its first use
                drawn.add(src)
                what = "shared" if by_id[e.src].role == "parameter" else "see table"
                label = reference_label(f"{by_id[e.src].name} ({what})", {})
                clusters.graph_for(placed[e.dst]).node(src, label, id=src)
        graph.edge(src, e.dst, id=f"{e.src}->{e.dst}", **attrs)
    clusters.close()


def shared_references(model: Picture) -> dict[tuple[str, str], str]:
    """``(src, dst) -> reference node id`` for the edges to redraw from a reference.

    A leaf box (parameter, input) with edges into three or more time steps keeps the edges
    to its first step; each later step gets one reference that its edges leave from.

    Example:
        >>> from autograd import Tensor
        >>> from viz.model.build import picture
        >>> w = Tensor([0.5, 0.25], label="w"); h = Tensor([1.0, 2.0], label="h_0")
        >>> for t in range(1, 5): h = (h * w).name(f"h_{t}")
        >>> p = picture(h.sum().name("L"), max_nodes=7)
        >>> sorted(set(shared_references(p).values()))
        ['g1ref1', 'g1ref2', 'g1ref3']
    """
    by_id = model.box_by_id
    number: dict[tuple, int] = {}
    targets: dict[str, list[tuple[tuple, str]]] = {}
    for e in model.edges:
        src, dst = by_id[e.src], by_id[e.dst]
        step = _step_path(dst)
        if step is not None and src.role in ("parameter", "input"):
            number.setdefault(step, len(number))
            targets.setdefault(e.src, []).append((step, e.dst))
    out = {}
    for src, pairs in targets.items():
        steps = sorted({step for step, _ in pairs}, key=number.get)
        if len(steps) >= 3:
            for step, dst in pairs:
                if step != steps[0]:
                    out[(src, dst)] = f"{src}ref{number[step]}"
    return out


def _step_path(box: Box) -> tuple | None:
    """The time step a box belongs to (a step box is its own), or None."""
    if box.kind == "step":
        return (box.name,)
    for i, (kind, _) in enumerate(box.cluster):
        if kind == "step":
            return box.cluster[: i + 1]
    return None


def _loose_clusters(model: Picture, paths: list[tuple]) -> set[tuple]:
    """Cluster paths whose boxes are not connected to each other by edges inside them."""
    loose = set()
    for path in paths:
        inside = {b.id for b in model.boxes if b.cluster[: len(path)] == path}
        parent = {b: b for b in inside}
        for e in model.edges:
            if e.src in inside and e.dst in inside:
                parent[_root(parent, e.src)] = _root(parent, e.dst)
        if len({_root(parent, b) for b in inside}) > 1:
            loose.add(path)
    return loose


def _root(parent: dict[str, str], b: str) -> str:
    while parent[b] != b:
        parent[b] = parent[parent[b]]
        b = parent[b]
    return b
