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
from viz.escape import escape_html
from viz.model.build import Box, Picture
from viz.numbers import noise_scales
from viz.writers.clusters import ClusterTree
from viz.writers.labels import COLORS, HIGHLIGHT, format_number, html_label, scalar_table

MAX_ROWS, MAX_COLS = 4, 6
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
    data_scale, grad_scale = noise_scales(order)
    roots = {id(r) for r in model.roots}
    data_text = {id(v): format_number(v.data, precision, data_scale[id(v)]) for v in order}
    grad_text = {id(v): format_number(v.grad, precision, grad_scale[id(v)]) for v in order}
    # A worksheet asks for every gradient but the seed's and the constants' (numbers in
    # the expression: nobody asks for dL/d2), and for the values of computed nodes.
    computed = model.grads_computed
    blank_grad = lambda v: "grad" in hide and is_blank_grad(v, id(v) in roots, computed)
    blank_data = lambda v: "data" in hide and bool(v.parents)
    hidden = [grad_text[id(v)] for v in order if blank_grad(v)]
    hidden += [data_text[id(v)] for v in order if blank_data(v)]
    width = max([BLANK_WIDTH] + [8 + 6.2 * len(text) for text in hidden])  # sheet = key
    for box in _sorted_boxes(model):
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
        graph.edge(e.src, e.dst if compact else f"{e.dst}op", **attrs)
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


def _grid(model: Picture, box: Box, attr: str, precision: int) -> list[list[str]]:
    """The first rows and columns of the elements present, with ``[i]`` headers when the
    graph holds only some rows or columns of the tensor (``out[8]``, ``out[9]``)."""
    cells: dict[tuple[int, ...], float] = {}
    own = model.members[box.members[0]].base  # members: own elements first
    for k in box.members:
        v, member = model.order[k], model.members[k]
        if member.base == own and member.index is not None:
            cells[member.index] = getattr(v, attr)
        elif own is None:  # no element names at all: number them
            cells[(len(cells),)] = getattr(v, attr)
    ranks = {len(i) for i in cells}
    if ranks == {1} or ranks == {2}:
        two = ranks == {2}
        row_ids = sorted({i[0] for i in cells}) if two else [None]
        col_ids = sorted({i[-1] for i in cells})
        shown_rows, shown_cols = row_ids[:MAX_ROWS], col_ids[:MAX_COLS]
        rows = []
        for r in shown_rows:
            text = []
            for c in shown_cols:
                index = (r, c) if two else (c,)
                text.append(format_number(cells[index], precision) if index in cells else "·")
            rows.append(text + (["…"] if len(col_ids) > MAX_COLS else []))
        if len(row_ids) > MAX_ROWS:
            rows.append(["..."] + [""] * (len(rows[0]) - 1))
        if col_ids != list(range(len(col_ids))):
            rows.insert(
                0, [f"[{c}]" for c in shown_cols] + ([""] if len(col_ids) > MAX_COLS else [])
            )
        if two and row_ids != list(range(len(row_ids))):
            labels = [f"[{r}]" for r in shown_rows] + ([""] if len(row_ids) > MAX_ROWS else [])
            if col_ids != list(range(len(col_ids))):
                labels.insert(0, "")
            rows = [[label] + row for label, row in zip(labels, rows)]
        return rows
    # three or more dims: the first few elements in index order
    text = [format_number(cells[i], precision) for i in sorted(cells)[:MAX_COLS]]
    return [text + (["…"] if len(cells) > MAX_COLS else [])]


def _grid_html(rows: list[list[str]]) -> str:
    body = "".join(
        "<TR>" + "".join(f"<TD>{escape_html(c)}</TD>" for c in row) + "</TR>" for row in rows
    )
    return f'<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="2">{body}</TABLE>'


def _range(values: list[float], precision: int) -> str:
    finite = [x for x in values if x == x]
    if not finite:
        return "nan"
    low, high = min(finite), max(finite)
    if low == high:
        return format_number(low, precision)
    return f"{format_number(low, precision)} … {format_number(high, precision)}"


def box_label(model: Picture, box: Box, precision: int, show_grad: bool) -> str:
    """The HTML-like label of a collapsed box (or of an opened scalar in a collapsed picture).

    Example:
        >>> from autograd import Value
        >>> from viz.model.build import picture
        >>> x = Value(2.0, label="x"); y = x * x * x; y.label = "y"
        >>> p = picture(y, max_nodes=2)
        >>> "<B>y</B>" in box_label(p, p.box("y"), 2, False)
        True
    """
    order = model.order
    color = COLORS[box.role] if box.finite else COLORS["nonfinite"]
    border = f'BORDER="3" COLOR="{HIGHLIGHT}"' if box.on_path else 'BORDER="1"'
    if box.kind in ("scalar", "node"):
        head_k = box.members[0] if box.kind == "scalar" else _head(model, box)
        v = order[head_k]
        cells = [f"= {v.primitive.symbol}"] if v.parents else []
        if box.kind == "node":
            cells = [f"ops {', '.join(box.ops)}"] if box.ops else []
        cells.append(f"data {format_number(v.data, precision)}")
        cells.append(f"grad {format_number(v.grad, precision)}" if show_grad else "grad —")
        if not box.finite:
            cells.append("non-finite!")
        return scalar_table(
            box.name,
            cells,
            color,
            border_color=HIGHLIGHT if box.on_path else "#374151",
            penwidth=3 if box.on_path else 1,
        )
    if box.kind == "tensor":
        # The shape is read from the indices of the elements in the graph: a 5x5 image whose
        # last row and column never reach the output shows (1, 4, 4), so say "used".
        info = f"elements used: {box.shape}" if box.shape else f"{len(box.members)} scalars"
        data = _grid_html(_grid(model, box, "data", precision))
        grad = _grid_html(_grid(model, box, "grad", precision)) if show_grad else "—"
    elif box.kind in ("step", "module") and _tensors_in(model, box):
        tensors = _tensors_in(model, box)
        shown = ", ".join(tensors[:8]) + (", …" if len(tensors) > 8 else "")
        last = _Members(model, box, tensors[-1])
        info = f"{shown} · {len(box.members)} scalars; {tensors[-1]}:"
        data = _grid_html(_grid(model, last, "data", precision))
        grad = _grid_html(_grid(model, last, "grad", precision)) if show_grad else "—"
    else:
        info = f"{len(box.members)} scalars"
        data = escape_html(_range([order[k].data for k in box.members], precision))
        grad = (
            escape_html(_range([order[k].grad for k in box.members], precision))
            if show_grad
            else "—"
        )
    if box.ops:
        info += f" · {', '.join(box.ops)}"
    if not box.finite:
        info += " · non-finite!"
    return (
        f'<<TABLE {border} CELLBORDER="0" CELLSPACING="2" CELLPADDING="2" BGCOLOR="{color}">'
        f'<TR><TD COLSPAN="2"><B>{escape_html(box.name)}</B></TD></TR>'
        f'<TR><TD COLSPAN="2">{escape_html(info)}</TD></TR>'
        f"<TR><TD>data</TD><TD>grad</TD></TR>"
        f"<TR><TD>{data}</TD><TD>{grad}</TD></TR></TABLE>>"
    )


def _tensors_in(model: Picture, box: Box) -> list[str]:
    """Names of the tensors whose elements a step or module box holds, in graph order."""
    first: dict[str, int] = {}
    for k in box.members:
        name = model.members[k].base
        if name is not None:
            first.setdefault(name, k)
    return sorted(first, key=first.get)


def _Members(model: Picture, box: Box, tensor: str) -> Box:  # noqa: N802 - a Box factory
    """The part of ``box`` that is tensor ``tensor``, as a Box for the grid writer."""
    idx = sorted(
        (model.members[k].index or (), k) for k in box.members if model.members[k].base == tensor
    )
    indices = [i for i, _ in idx]
    shape = (
        tuple(max(i[d] for i in indices) + 1 for d in range(len(indices[0])))
        if indices and indices[0]
        else None
    )
    return Box(
        id=box.id,
        kind="tensor",
        name=tensor,
        members=[k for _, k in idx],
        cluster=box.cluster,
        role=box.role,
        shape=shape,
    )


def _head(model: Picture, box: Box) -> int:
    """The node a ``node`` box is named after: the one not folded into it."""
    for k in box.members:
        if model.names[k] == box.name:
            return k
    return box.members[-1]


def write_boxes(graph: graphviz.Digraph, model: Picture, precision: int, show_grad: bool) -> None:
    """Add one node per box and one counted edge per pair of connected boxes to ``graph``."""
    clusters = ClusterTree(graph)
    # A cluster around one box says nothing the box's name does not, and the bundled
    # renderer lays clusters of single boxes out of rank order (time steps in a column).
    crowd: dict[tuple, int] = {}
    for box in model.boxes:
        for depth in range(1, len(box.cluster) + 1):
            crowd[box.cluster[:depth]] = crowd.get(box.cluster[:depth], 0) + 1
    for box in _sorted_boxes(model):
        cluster = box.cluster
        while cluster and crowd[cluster] < 2:
            cluster = cluster[:-1]
        clusters.graph_for(cluster).node(
            box.id, box_label(model, box, precision, show_grad), id=box.id
        )
    for e in model.edges:
        attrs = {"label": f"<×{e.count}>"} if e.count > 1 else {}
        if e.marked:
            attrs.update(color=HIGHLIGHT, penwidth="2.5")
            if e.marked < e.count:
                attrs["label"] = f"<×{e.count} ({e.marked} on the path)>"
        graph.edge(e.src, e.dst, **attrs)
    clusters.close()
