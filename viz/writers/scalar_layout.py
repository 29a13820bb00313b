"""Where the scalars of a picture sit: tensors in index order, shared tables referenced per step.

Two things make a scalar picture read like the homework instead of spaghetti:

- **Index order.** The elements of one tensor (``x[0,0]``, ``x[0,1]``, ...) are drawn as one
  column in index order: a ``rank=same`` group chained by invisible edges, which Graphviz
  keeps in that order (a group whose elements feed each other is left free).
- **Short edges for shared tables.** A parameter used at several time steps of an unrolled
  RNN (``weight_hh_l0``), or an input used by several clusters (P1's ``X`` by ``attn.Q``,
  ``attn.K`` and ``attn.V``), is drawn once as its table, and inside each as a small
  reference (:func:`reference_label`: the same numbers as a grid, one port per element) that
  the step's edges leave from, so no edge crosses the whole picture.
"""

from __future__ import annotations

from collections.abc import Sequence

import graphviz

from viz.escape import escape_html
from viz.model.picture import Box, Picture
from viz.writers.clusters import ClusterTree

REFERENCE_COLOR = "#eef2ff"


def chain_groups(
    entries: Sequence[tuple[tuple, str | None, tuple[int, ...] | None, str]],
    linked: set[tuple[str, str]] = frozenset(),
) -> list[tuple[tuple, list[str]]]:
    """``(cluster, node ids in index order)`` for each tensor with two or more elements there.

    ``entries`` are ``(cluster, tensor name, element index, node id)``; a tensor whose
    elements feed each other (a pair in ``linked``) is left out: a rank cannot hold both.

    Example:
        >>> chain_groups([((), "W", (1,), "b"), ((), "W", (0,), "a"), ((), None, None, "c")])
        [((), ['a', 'b'])]
    """
    groups: dict[tuple, list[tuple]] = {}
    for cluster, base, index, node in entries:
        if base is not None and index is not None:
            groups.setdefault((cluster, base), []).append((index, node))
    out = []
    for (cluster, _), items in groups.items():
        ids = [i for _, i in sorted(items)]
        inside = set(ids)
        if len(ids) > 1 and not any(a in inside and b in inside for a, b in linked):
            out.append((cluster, ids))
    return out


def index_groups(model: Picture, boxes: Sequence[Box]) -> list[list[str]]:
    """Box ids of each tensor's elements in one cluster, in index order (2 or more each).

    Example:
        >>> from autograd import Tensor
        >>> from viz.model.build import picture
        >>> W = Tensor([[1.0, 2.0], [3.0, 4.0]], label="W")
        >>> p = picture(W[1, 1] * W[0, 0] + W[0, 1] * W[1, 0])
        >>> [[p.box_by_id[i].name for i in g] for g in index_groups(p, p.boxes)]
        [['W[0,0]', 'W[0,1]', 'W[1,0]', 'W[1,1]']]
    """
    entries = []
    for box in boxes:
        member = model.members[box.members[0]]
        entries.append((box.cluster, member.base, member.index, box.id))
    linked = {(e.src, e.dst) for e in model.edges}
    return [ids for _, ids in chain_groups(entries, linked)]


def write_chains(target: graphviz.Digraph, ids: list[str]) -> None:
    """One ``rank=same`` statement holding ``ids`` top to bottom in a left-to-right picture.

    Example:
        >>> g = graphviz.Digraph(); write_chains(g, ["a", "b"]); g.body[-1].strip()
        '{rank=same; b -> a [style=invis]}'
    """
    # one line, so that a reader of the DOT source sees one statement per group;
    # left to right in a rank is bottom to top in LR: chain the column upwards
    chain = "; ".join(f"{b} -> {a} [style=invis]" for a, b in zip(ids, ids[1:]))
    target.body.append(f"\t{{rank=same; {chain}}}\n")


def order_columns(clusters: ClusterTree, model: Picture, boxes: Sequence[Box]) -> None:
    """Add the ``rank=same`` index-order groups of :func:`index_groups` to their clusters.

    Example:
        >>> from autograd import Tensor
        >>> from viz.model.build import picture
        >>> W = Tensor([1.0, 2.0], label="W"); p = picture(W[1] * W[0])
        >>> tree = ClusterTree(graphviz.Digraph()); order_columns(tree, p, p.boxes)
        >>> tree.close(); "rank=same" in tree.root.source and "style=invis" in tree.root.source
        True
    """
    by_id = model.box_by_id
    groups = index_groups(model, boxes)
    if groups:  # the last crossing pass ignores the order of a rank: skip it
        clusters.root.graph_attr["remincross"] = "false"
    for ids in groups:
        write_chains(clusters.graph_for(by_id[ids[0]].cluster), ids)


def _step_of(box: Box) -> tuple | None:
    for i, (kind, _) in enumerate(box.cluster):
        if kind == "step":
            return box.cluster[: i + 1]
    return None


def _place_of(box: Box) -> tuple | None:
    """Where a reference to a table used by ``box`` goes: its time step, else its cluster."""
    return _step_of(box) or (box.cluster or None)


def shared_tables(model: Picture) -> dict[str, dict[tuple, str]]:
    """Edge sources to redraw from references: ``{src box id: {place: ref id}}``.

    A leaf with an element index whose consumers sit in two or more places (time steps,
    else clusters: P1's ``X`` feeds ``attn.Q``, ``attn.K`` and ``attn.V``) is referenced
    in each of those places (reference ids ``r{tensor}_{place}``).

    Example:
        >>> from autograd import Tensor
        >>> from viz.model.build import picture
        >>> X = Tensor([1.0, 2.0], label="X")
        >>> q = (X * 2).name("Q"); k = (X * 3).name("K")
        >>> p = picture((q.sum() + k.sum()).name("L"))
        >>> sorted({ref for refs in shared_tables(p).values() for ref in refs.values()})
        ['r0_1', 'r0_2']
    """
    by_id = model.box_by_id
    places_of: dict[str, set[tuple]] = {}
    for e in model.edges:
        src, dst = by_id[e.src], by_id[e.dst]
        place = _place_of(dst)
        if place is None or src.kind != "scalar" or model.order[src.members[0]].parents:
            continue
        places_of.setdefault(e.src, set()).add(place)
    number_of: dict[tuple, int] = {}
    for box in model.boxes:
        place = _place_of(box)
        if place is not None:
            number_of.setdefault(place, len(number_of))
    tensors: dict[str, int] = {}
    out: dict[str, dict[tuple, str]] = {}
    for src, places in places_of.items():
        member = model.members[by_id[src].members[0]]
        if len(places) < 2 or member.base is None or member.index is None:
            continue
        number = tensors.setdefault(member.base, len(tensors))
        out[src] = {place: f"r{number}_{number_of[place]}" for place in places}
    return out


def port(index: tuple[int, ...]) -> str:
    """The port name of element ``index`` in a reference table.

    Example:
        >>> port((0, 2))
        'p0_2'
    """
    return "p" + "_".join(map(str, index))


def reference_label(name: str, cells: dict[tuple[int, ...], str]) -> str:
    """A small grid of a shared table's numbers, one port per element, titled by its name.

    Example:
        >>> label = reference_label("W", {(0, 0): "1", (0, 1): "2"})
        >>> 'PORT="p0_1"' in label and "W" in label
        True
    """
    if not cells:
        return (
            f'<<TABLE BORDER="1" CELLBORDER="0" CELLPADDING="3" BGCOLOR="{REFERENCE_COLOR}" '
            f'COLOR="#6366f1" STYLE="dashed"><TR><TD><I>{escape_html(name)}</I></TD></TR></TABLE>>'
        )
    rows: dict[tuple, list[str]] = {}
    for index in sorted(cells):
        rows.setdefault(index[:-1], []).append(
            f'<TD PORT="{port(index)}">{escape_html(cells[index])}</TD>'
        )
    width = max(len(r) for r in rows.values())
    body = "".join(f"<TR>{''.join(r)}</TR>" for r in rows.values())
    return (
        f'<<TABLE BORDER="1" CELLBORDER="1" CELLSPACING="0" CELLPADDING="2" '
        f'BGCOLOR="{REFERENCE_COLOR}" COLOR="#6366f1" STYLE="dashed">'
        f'<TR><TD COLSPAN="{width}"><I>{escape_html(name)}</I></TD></TR>{body}</TABLE>>'
    )


def add_references(
    clusters: ClusterTree, model: Picture, shared: dict[str, dict[tuple, str]], precision: int
) -> dict[str, dict[tuple, str]]:
    """Draw the reference tables; return ``{src box id: {place: "ref:port"}}`` for the edges.

    Example:
        >>> from autograd import Tensor
        >>> from viz.model.build import picture
        >>> X = Tensor([1.0, 2.0], label="X")
        >>> p = picture(((X * 2).name("Q").sum() + (X * 3).name("K").sum()).name("L"))
        >>> tree = ClusterTree(graphviz.Digraph())
        >>> ends = add_references(tree, p, shared_tables(p), 4)
        >>> sorted(ends["v0"].values())
        ['r0_1:p0', 'r0_2:p0']
    """
    by_id = model.box_by_id
    tables: dict[str, dict[tuple[int, ...], str]] = {}
    places: dict[str, tuple[str, tuple, str]] = {}
    ends: dict[str, dict[tuple, str]] = {}
    for src, where in shared.items():
        k = by_id[src].members[0]
        member = model.members[k]
        what = "shared" if by_id[src].role == "parameter" else "see table"
        for place, ref in where.items():
            tables.setdefault(ref, {})[member.index] = model.number(k, "data", precision)
            places[ref] = (member.base, place, what)
            ends.setdefault(src, {})[place] = f"{ref}:{port(member.index)}"
    for ref, cells in tables.items():
        base, place, what = places[ref]
        clusters.graph_for(place).node(ref, reference_label(f"{base} ({what})", cells), id=ref)
    return ends


def edge_source(ends: dict[str, dict[tuple, str]], model: Picture, src: str, dst: str) -> str:
    """Where an edge from box ``src`` into box ``dst`` starts: the box, or its reference.

    Example:
        >>> from autograd import Tensor
        >>> from viz.model.build import picture
        >>> X = Tensor([1.0, 2.0], label="X")
        >>> p = picture(((X * 2).name("Q").sum() + (X * 3).name("K").sum()).name("L"))
        >>> ends = add_references(ClusterTree(graphviz.Digraph()), p, shared_tables(p), 4)
        >>> edge_source(ends, p, "v0", p.box("Q[0]").id), edge_source(ends, p, "v0", "v10")
        ('r0_1:p0', 'v0')
    """
    place = _place_of(model.box_by_id[dst])
    return ends.get(src, {}).get(place, src) if place is not None else src
