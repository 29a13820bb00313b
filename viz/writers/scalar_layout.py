"""Where the scalars of a picture sit: tensors in index order, shared tables referenced per step.

Two things make a scalar picture read like the homework instead of spaghetti:

- **Index order.** The elements of one tensor (``x[0,0]``, ``x[0,1]``, ...) are drawn as one
  column in index order: a ``rank=same`` group chained by invisible edges, which Graphviz
  keeps in that order (a group whose elements feed each other is left free).
- **Short edges for shared tables.** A parameter used at several time steps of an unrolled
  RNN (``weight_hh_l0``) is drawn once as its table, and inside each time step as a small
  reference (:func:`reference_label`: the same numbers as a grid, one port per element) that
  the step's edges leave from, so no edge crosses the whole picture.
"""

from __future__ import annotations

from collections.abc import Sequence

from viz.escape import escape_html
from viz.model.picture import Box, Picture
from viz.writers.clusters import ClusterTree

REFERENCE_COLOR = "#eef2ff"


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
    groups: dict[tuple, list[tuple]] = {}
    for box in boxes:
        member = model.members[box.members[0]]
        if member.base is not None and member.index is not None:
            groups.setdefault((box.cluster, member.base), []).append((member.index, box.id))
    inside = {e.src: e.dst for e in model.edges}
    out = []
    for items in groups.values():
        ids = [i for _, i in sorted(items)]
        if len(ids) > 1 and not any(inside.get(i) in ids for i in ids):
            out.append(ids)
    return out


def order_columns(clusters: ClusterTree, model: Picture, boxes: Sequence[Box]) -> None:
    """Add the ``rank=same`` index-order groups of :func:`index_groups` to their clusters.

    Example:
        >>> from autograd import Tensor
        >>> from viz.model.build import picture
        >>> W = Tensor([1.0, 2.0], label="W"); p = picture(W[1] * W[0])
        >>> import graphviz
        >>> tree = ClusterTree(graphviz.Digraph()); order_columns(tree, p, p.boxes)
        >>> tree.close(); "rank=same" in tree.root.source and "style=invis" in tree.root.source
        True
    """
    by_id = model.box_by_id
    groups = index_groups(model, boxes)
    if groups:  # the last crossing pass ignores the order of a rank: skip it
        clusters.root.graph_attr["remincross"] = "false"
    for ids in groups:
        # one line, so that a reader of the DOT source sees one statement per group;
        # left to right in a rank is bottom to top in LR: chain the column upwards
        chain = "; ".join(f"{b} -> {a} [style=invis]" for a, b in zip(ids, ids[1:]))
        clusters.graph_for(by_id[ids[0]].cluster).body.append(f"\t{{rank=same; {chain}}}\n")


def _step_of(box: Box) -> tuple | None:
    for i, (kind, _) in enumerate(box.cluster):
        if kind == "step":
            return box.cluster[: i + 1]
    return None


def shared_tables(model: Picture) -> dict[str, dict[tuple, str]]:
    """Edge sources to redraw from per-step references: ``{src box id: {step: ref id}}``.

    A leaf with an element index whose consumers sit in two or more time steps is
    referenced in each of those steps (reference ids ``r{tensor}_{step}``).
    """
    by_id = model.box_by_id
    steps_of: dict[str, set[tuple]] = {}
    for e in model.edges:
        src, dst = by_id[e.src], by_id[e.dst]
        step = _step_of(dst)
        if step is not None and src.kind == "scalar" and not model.order[src.members[0]].parents:
            steps_of.setdefault(e.src, set()).add(step)
    step_number: dict[tuple, int] = {}
    for box in model.boxes:
        step = _step_of(box)
        if step is not None:
            step_number.setdefault(step, len(step_number))
    tensors: dict[str, int] = {}
    out: dict[str, dict[tuple, str]] = {}
    for src, steps in steps_of.items():
        member = model.members[by_id[src].members[0]]
        if len(steps) < 2 or member.base is None or member.index is None:
            continue
        number = tensors.setdefault(member.base, len(tensors))
        out[src] = {step: f"r{number}_{step_number[step]}" for step in steps}
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
    """Draw the reference tables; return ``{src box id: {step: "ref:port"}}`` for the edges."""
    by_id = model.box_by_id
    tables: dict[str, dict[tuple[int, ...], str]] = {}
    places: dict[str, tuple[str, tuple]] = {}
    ends: dict[str, dict[tuple, str]] = {}
    for src, steps in shared.items():
        k = by_id[src].members[0]
        member = model.members[k]
        for step, ref in steps.items():
            tables.setdefault(ref, {})[member.index] = model.number(k, "data", precision)
            places[ref] = (member.base, step)
            ends.setdefault(src, {})[step] = f"{ref}:{port(member.index)}"
    for ref, cells in tables.items():
        base, step = places[ref]
        clusters.graph_for(step).node(ref, reference_label(f"{base} (shared)", cells), id=ref)
    return ends


def edge_source(ends: dict[str, dict[tuple, str]], model: Picture, src: str, dst: str) -> str:
    """Where an edge from box ``src`` into box ``dst`` starts: the box, or its reference."""
    step = _step_of(model.box_by_id[dst])
    return ends.get(src, {}).get(step, src) if step is not None else src
