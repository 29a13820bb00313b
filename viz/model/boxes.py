"""Boxes from box keys: members in index order, names, roles, clusters, counted edges.

The last step of :func:`viz.model.build.picture` for a collapsed picture: ``viz/model/collapse.py``
decides which key each scalar gets; this turns the keys into :class:`viz.model.picture.Box` and
:class:`viz.model.picture.Edge` values.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from autograd import Value
from viz.model.groups import Path, parse_label
from viz.model.picture import Box, Edge, Picture


def finite(v: Value) -> bool:
    """True when both ``data`` and ``grad`` are finite.

    Example:
        >>> finite(Value(1.0)), finite(Value(float("nan")))
        (True, False)
    """
    return math.isfinite(v.data) and math.isfinite(v.grad)


def role(members: list[Value], root_ids: set[int]) -> str:
    """``output``, ``group``, ``intermediate``, ``constant``, ``parameter`` or ``input``.

    Example:
        >>> role([Value(1.0, label="fc.bias[0]")], set()), role([Value(2.0)], set())
        ('parameter', 'constant')
    """
    if any(id(v) in root_ids for v in members):
        return "output"
    if len(members) > 1 and any(v.parents for v in members):
        return "group"
    v = members[0]
    if v.parents:
        return "intermediate"
    if v.label is None:
        return "constant"
    return "parameter" if parse_label(v.label).modules else "input"


def _band_name(key: tuple, idx: list[int], order: list[Value], names: list[str]) -> str:
    """A depth band is called after the named nodes in it (``a_3 … a_5``), else its depths."""
    labels = [names[k] for k in idx if order[k].label is not None and order[k].parents]
    if not labels:
        return key_name(key, names)
    return labels[0] if len(labels) == 1 else f"{labels[0]} … {labels[-1]}"


def key_name(key: tuple, names: list[str]) -> str:
    """The display name of a box key (see ``viz/model/collapse.py`` for the kinds of key).

    Example:
        >>> key_name(("tensor", "attn.Q", 1, ()), []), key_name(("band", 2, 0, 4), [])
        ('attn.Q (2)', 'depth 0–4')
    """
    kind = key[0]
    if kind in ("scalar", "node"):
        return names[key[1]]
    if kind == "tensor":
        return key[1] if key[2] == 0 else f"{key[1]} ({key[2] + 1})"
    if kind in ("step", "module"):
        path = key[1]
        outer = [n for k, n in path[:-1] if k == "module"]
        return " ".join(outer + [path[-1][1]]) if kind == "step" else path[-1][1]
    if kind == "band" and isinstance(key[2], tuple):  # a band of whole boxes
        first, last = key_name(key[2], names), key_name(key[3], names)
        return first if key[2] == key[3] else f"{first} … {last}"
    if kind == "band":
        return f"depth {key[2]}" if key[2] == key[3] else f"depth {key[2]}–{key[3]}"
    if kind == "merged":
        return " + ".join(key_name(k, names) for k in key[1][:3]) + (
            " + …" if len(key[1]) > 3 else ""
        )
    return str(key)


def assemble(
    order: list[Value],
    names: list[str],
    roots: list[Value],
    paths: Sequence[Path],
    keys: list[tuple],
    silent: Sequence[bool],
    marked: set[int],
    computed: bool,
    max_nodes: int,
    level: str,
    parents: Sequence[tuple[int, ...]],
) -> Picture:
    """The Picture whose boxes are the distinct ``keys`` (``keys[k]``: the box of node k).

    Members of a tensor box come in index order; ``silent`` (folded constants) send no
    edges; an edge counts the scalar edges between two boxes, ``marked`` those on a
    highlighted path.

    Example:
        >>> from viz.model.collapse import parent_positions
        >>> x = Value(1.0, label="x"); y = x * x; y.label = "y"
        >>> p = assemble([x, y], ["x", "y"], [y], [(), ()], [("node", 0), ("node", 1)],
        ...              [False, False], set(), False, 1, "tensors", parent_positions([x, y]))
        >>> [b.name for b in p.boxes], [(e.src, e.dst, e.count) for e in p.edges]
        (['x', 'y'], [('g0', 'g1', 2)])
    """
    root_ids = {id(r) for r in roots}
    members: dict[tuple, list[int]] = {}
    for k, key in enumerate(keys):  # boxes in the order of their first own (not folded) node
        if not silent[k]:
            members.setdefault(key, []).append(k)
    for k, key in enumerate(keys):
        if silent[k]:
            members.setdefault(key, []).append(k)
    boxes: list[Box] = []
    box_index: dict[tuple, int] = {}
    for n, (key, idx) in enumerate(members.items()):
        values = [order[k] for k in idx]
        shape = None
        if key[0] == "tensor":  # the tensor's own elements first, in index order
            parts = [parse_label(v.label) for v in values]
            named = sorted(
                (p.index, k)
                for p, k in zip(parts, idx)
                if p.tensor == key[1] and p.index is not None
            )
            others = [k for p, k in zip(parts, idx) if not (p.tensor == key[1] and p.index)]
            idx = [k for _, k in named] + others
            values = [order[k] for k in idx]
            ranks = {len(i) for i, _ in named}
            if len(ranks) == 1:
                shape = tuple(max(i[d] for i, _ in named) + 1 for d in range(ranks.pop()))
        scalar = key[0] == "scalar"
        kind = "scalar" if key[0] == "node" and len(idx) == 1 else key[0]
        box_index[key] = n
        boxes.append(
            Box(
                id=f"v{idx[0]}" if scalar else f"g{n}",
                kind=kind,
                name=_band_name(key, idx, order, names)
                if key[0] == "band" and not isinstance(key[2], tuple)
                else key_name(key, names),
                members=idx,
                cluster=_cluster_of(key, idx, paths),
                role=_box_role(
                    key, values, order[key[1]] if key[0] == "node" else values[0], root_ids
                ),
                shape=shape,
                ops=tuple(sorted({v.primitive.symbol for v in values if v.parents})),
                finite=all(finite(v) for v in values),
                on_path=bool(marked) and any(id(v) in marked for v in values),
            )
        )
    box_of = [box_index[key] for key in keys]
    on = [id(v) in marked for v in order] if marked else [False] * len(order)
    counts: dict[tuple[int, int], list[int]] = {}
    sources = [-1 if quiet else b for b, quiet in zip(box_of, silent)].__getitem__
    for k, ps in enumerate(parents):
        if not ps:
            continue
        dst = box_of[k]
        for src, n in Counter(map(sources, ps)).items():
            if src < 0 or src == dst:
                continue
            entry = counts.setdefault((src, dst), [0, 0])
            entry[0] += n
            if on[k]:
                entry[1] += sum(1 for j in ps if sources(j) == src and on[j])
    edges = [Edge(boxes[a].id, boxes[b].id, c, m) for (a, b), (c, m) in counts.items()]
    return Picture(order, names, roots, boxes, edges, box_of, level, max_nodes, computed)


def _box_role(key: tuple, values: list[Value], head: Value, root_ids: set[int]) -> str:
    if any(id(v) in root_ids for v in values):
        return "output"
    if key[0] in ("scalar", "node"):
        return role([head], root_ids)
    if all(not v.parents for v in values):
        return "parameter" if any(parse_label(v.label).modules for v in values) else "input"
    return "group"


def _cluster_of(key: tuple, idx: list[int], paths: Sequence[Path]) -> Path:
    kind = key[0]
    if kind == "scalar":
        return paths[idx[0]]
    if kind == "tensor":
        return key[3]
    if kind in ("step", "module"):
        return key[1][:-1]
    if kind == "node":
        return tuple(p for p in paths[key[1]] if p[0] != "tensor")
    return ()
