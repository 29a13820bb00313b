"""Tensor-level drawing for big graphs: one node per Tensor or group of scalars.

Above ``max_nodes`` scalars a picture of every Value is unreadable (and slow to
lay out), so each Tensor becomes one node showing its shape and small data/grad
tables, unlabelled intermediates are counted per op inside their module or time
step, and edges between groups carry how many scalar edges they stand for.
``expand`` keeps named tensors, modules or groups at scalar level.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence, Set

import graphviz

from autograd import Value
from viz.clusters import ClusterTree
from viz.escape import escape_html
from viz.groups import Path, parse_label
from viz.labels import (
    COLORS,
    HIGHLIGHT,
    format_number,
    is_finite_node,
    node_kind,
    scalar_table,
)

MAX_ROWS, MAX_COLS = 4, 6
Key = tuple


def _strip_tensor(path: Path) -> Path:
    return path[:-1] if path and path[-1][0] == "tensor" else path


EXPAND_LIMIT = 5000  # scalars one expanded group may add: a 5,000-node picture lays out in seconds


def group_names(order: Sequence[Value], paths: Sequence[Path]) -> list[str]:
    """The names ``expand=`` accepts: tensors, modules, time steps and explicit groups.

    Example:
        >>> from autograd import Tensor
        >>> from viz.groups import assign_paths
        >>> W = Tensor([1.0, 2.0], label="fc.weight")
        >>> order = list(W.values)
        >>> group_names(order, assign_paths(order))
        ['fc', 'fc.weight']
    """
    names: dict[str, None] = {}
    for path in paths:
        for _, name in path:
            names.setdefault(name, None)
    return list(names)


def check_expand(order: Sequence[Value], paths: Sequence[Path], expand: Sequence[str]) -> None:
    """Raise ValueError naming each ``expand`` entry that is no group or node label.

    Example:
        >>> from autograd import Tensor
        >>> from viz.groups import assign_paths
        >>> W = Tensor([1.0, 2.0], label="W")
        >>> order = list(W.values)
        >>> check_expand(order, assign_paths(order), ["W", "W[1]"])  # both known: no error
        >>> check_expand(order, assign_paths(order), ["V"])
        Traceback (most recent call last):
        ...
        ValueError: expand: unknown group 'V' (known groups: W; or a node label such as W[0])
    """
    known = group_names(order, paths)
    labels = {v.label for v in order if v.label is not None}
    unknown = [name for name in expand if name not in known and name not in labels]
    if unknown:
        shown = ", ".join(known[:30]) + (", …" if len(known) > 30 else "")
        example = next((v.label for v in order if v.label is not None), None)
        hint = f"; or a node label such as {example}" if example is not None else ""
        raise ValueError(
            f"expand: unknown group {', '.join(repr(n) for n in unknown)} "
            f"(known groups: {shown or 'none'}{hint})"
        )


def _expanded_nodes(
    order: list[Value], paths: list[Path], expand: set[str]
) -> tuple[list[bool], dict[str, int]]:
    """Which nodes stay scalars, and the size of each named group too big to open."""
    if not expand:
        return [False] * len(order), {}
    opened_by: list[str | None] = []
    sizes: dict[str, int] = {}
    for v, path in zip(order, paths):
        name = v.label if v.label in expand else next((n for _, n in path if n in expand), None)
        opened_by.append(name)
        if name is not None:
            sizes[name] = sizes.get(name, 0) + 1
    too_big = {name: n for name, n in sizes.items() if n > EXPAND_LIMIT}
    return [name is not None and name not in too_big for name in opened_by], too_big


def _fine_key(k: int, v: Value, path: Path) -> Key:
    parts = parse_label(v.label)
    if parts.tensor is not None:
        return ("tensor", parts.tensor)
    if v.label is not None:
        return ("scalar", k)
    return ("ops", _strip_tensor(path), v.op or "constant")


def _medium_key(k: int, v: Value, path: Path) -> Key:
    key = _fine_key(k, v, path)
    if key[0] == "scalar":
        return ("ops", _strip_tensor(path), v.op or "leaf")
    return key


def _coarse_key(k: int, v: Value, path: Path) -> Key:
    return ("ops", path[:1], "operations" if v.parents else "leaves")


_PASSES: tuple[Callable[[int, Value, Path], Key], ...] = (_fine_key, _medium_key, _coarse_key)


def group_nodes(
    order: list[Value], paths: list[Path], expand: Sequence[str], max_nodes: int
) -> tuple[list[Key], dict[Key, list[int]]]:
    """The display key of each node and the members of each key, coarse enough to fit.

    Nodes of an ``expand``-ed group stay ``("scalar", k)`` in every pass (unless the
    group has more than ``EXPAND_LIMIT`` scalars); the rest get coarser keys pass by
    pass until the picture has at most ``max_nodes`` nodes or the coarsest pass is used.

    Example:
        >>> from autograd import Tensor
        >>> W = Tensor([1.0, 2.0, 3.0], label="W")
        >>> from viz.groups import assign_paths
        >>> order = list(W.values)
        >>> keys, members = group_nodes(order, assign_paths(order), (), 2)
        >>> list(members)
        [('tensor', 'W')]
        >>> list(group_nodes(order, assign_paths(order), ["W"], 2)[1])
        [('scalar', 0), ('scalar', 1), ('scalar', 2)]
    """
    opened, _ = _expanded_nodes(order, paths, set(expand))
    members: dict[Key, list[int]] = {}
    keys: list[Key] = []
    for make_key in _PASSES:
        keys = [("scalar", k) if opened[k] else make_key(k, v, paths[k])
                for k, v in enumerate(order)]
        members = {}
        for k, key in enumerate(keys):
            members.setdefault(key, []).append(k)
        if len(members) <= max_nodes:
            break
    return keys, members


def _tensor_grid(order: list[Value], idx: list[int], attr: str, precision: int) -> list[list[str]]:
    cells: dict[tuple[int, ...], float] = {}
    for k in idx:
        index = parse_label(order[k].label).index or (len(cells),)
        cells[index] = getattr(order[k], attr)
    shape = tuple(max(i[d] for i in cells) + 1 for d in range(len(next(iter(cells)))))
    if len(shape) == 1:
        grid_index = [[(j,) for j in range(min(shape[0], MAX_COLS))]]
        more_cols = shape[0] > MAX_COLS
        more_rows = False
    elif len(shape) == 2:
        grid_index = [[(i, j) for j in range(min(shape[1], MAX_COLS))]
                      for i in range(min(shape[0], MAX_ROWS))]
        more_rows, more_cols = shape[0] > MAX_ROWS, shape[1] > MAX_COLS
    else:  # show the first few elements in storage order
        flat = sorted(cells)[:MAX_COLS]
        grid_index = [flat]
        more_rows, more_cols = False, len(cells) > MAX_COLS
    rows = []
    for row in grid_index:
        text = [format_number(cells[i], precision) if i in cells else "·" for i in row]
        rows.append(text + (["…"] if more_cols else []))
    if more_rows:
        rows.append(["..."] + [""] * (len(rows[0]) - 1))
    return rows


def _shape_of(order: list[Value], idx: list[int]) -> tuple[int, ...]:
    indices = [parse_label(order[k].label).index for k in idx]
    return tuple(max(i[d] for i in indices) + 1 for d in range(len(indices[0])))


def _grid_html(rows: list[list[str]]) -> str:
    body = "".join(
        "<TR>" + "".join(f"<TD>{escape_html(c)}</TD>" for c in row) + "</TR>" for row in rows
    )
    return f'<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="2">{body}</TABLE>'


def _group_label(
    title: str, info: str, data: str, grad: str, color: str, on_path: bool = False
) -> str:
    border = f'BORDER="3" COLOR="{HIGHLIGHT}"' if on_path else 'BORDER="1"'
    return (
        f'<<TABLE {border} CELLBORDER="0" CELLSPACING="2" CELLPADDING="2" BGCOLOR="{color}">'
        f'<TR><TD COLSPAN="2"><B>{escape_html(title)}</B></TD></TR>'
        f'<TR><TD COLSPAN="2">{escape_html(info)}</TD></TR>'
        f"<TR><TD>data</TD><TD>grad</TD></TR>"
        f"<TR><TD>{data}</TD><TD>{grad}</TD></TR></TABLE>>"
    )


def _range(values: list[float], precision: int) -> str:
    finite = [x for x in values if x == x]
    if not finite:
        return "nan"
    low, high = min(finite), max(finite)
    if low == high:
        return format_number(low, precision)
    return f"{format_number(low, precision)} … {format_number(high, precision)}"


def draw_collapsed(
    picture: graphviz.Digraph,
    order: list[Value],
    paths: list[Path],
    roots: list[Value],
    expand: Sequence[str],
    precision: int,
    show_grad: bool,
    computed: bool,
    max_nodes: int,
    marked: Set[int] = frozenset(),
) -> str:
    """Add tensor-level nodes and counted edges to ``picture``; return the note to show.

    ``marked`` holds ``id()`` of the scalars on a highlighted path: a group with a
    marked member gets a red border, and an edge between groups is red when one of
    the scalar edges it stands for joins two marked scalars.

    Example:
        >>> from autograd import Tensor
        >>> from viz.groups import assign_paths
        >>> W = Tensor([1.0, 2.0, 3.0], label="W")
        >>> order = list(W.values) + [W[0] * W[1]]
        >>> picture = graphviz.Digraph()
        >>> draw_collapsed(picture, order, assign_paths(order), [order[-1]], (), 4, True,
        ...                True, 2)  # doctest: +ELLIPSIS
        'collapsed: 4 scalar nodes > max_nodes=2, drawn as 2 tensor-level nodes (draw(...'
    """
    keys, members = group_nodes(order, paths, expand, max_nodes)
    _, too_big = _expanded_nodes(order, paths, set(expand))
    names = {key: f"g{n}" for n, key in enumerate(members)}
    picture.node_ids = {id(v): names[keys[k]] for k, v in enumerate(order)}
    root_ids = {id(r) for r in roots}
    clusters = ClusterTree(picture)
    grads = show_grad and computed
    for key, idx in members.items():
        first = order[idx[0]]
        # an expanded scalar stays inside its tensor's cluster; groups replace that cluster
        path = paths[idx[0]] if key[0] == "scalar" else _strip_tensor(paths[idx[0]])
        target = clusters.graph_for(path)
        finite = all(is_finite_node(order[k]) for k in idx)
        on_path = any(id(order[k]) in marked for k in idx)
        ops = sorted({order[k].primitive.symbol or "leaf" for k in idx})
        if key[0] == "scalar":
            kind = node_kind(first, id(first) in root_ids)
            cells = [f"= {first.primitive.symbol}"] if first.parents else []
            cells.append(f"data {format_number(first.data, precision)}")
            cells.append(f"grad {format_number(first.grad, precision)}" if grads else "grad —")
            color = COLORS[kind] if finite else COLORS["nonfinite"]
            label = scalar_table(first.label or "", cells, color,
                                 border_color=HIGHLIGHT if on_path else "#374151",
                                 penwidth=3 if on_path else 1)
        elif key[0] == "tensor":
            shape = _shape_of(order, idx)
            data = _grid_html(_tensor_grid(order, idx, "data", precision))
            grad = _grid_html(_tensor_grid(order, idx, "grad", precision)) if grads else "—"
            info = f"shape {shape} · {', '.join(ops)}" + ("" if finite else " · non-finite!")
            color = COLORS["parameter" if not first.parents else "group"]
            label = _group_label(key[1], info, data, grad,
                                 color if finite else COLORS["nonfinite"], on_path)
        else:
            title = f"{len(idx)} × {key[2]}"
            data = escape_html(_range([order[k].data for k in idx], precision))
            grad = escape_html(_range([order[k].grad for k in idx], precision)) if grads else "—"
            info = f"ops: {', '.join(ops)}" + ("" if finite else " · non-finite!")
            label = _group_label(title, info, data, grad,
                                 COLORS["group"] if finite else COLORS["nonfinite"], on_path)
        target.node(names[key], label, id=names[key])
    counts: dict[tuple[str, str], int] = {}
    red: dict[tuple[str, str], int] = {}  # scalar edges on a highlighted path
    for k, v in enumerate(order):
        dst = names[keys[k]]
        for p in v.parents:
            src = picture.node_ids[id(p)]
            if src != dst:
                counts[(src, dst)] = counts.get((src, dst), 0) + 1
                if id(p) in marked and id(v) in marked:
                    red[(src, dst)] = red.get((src, dst), 0) + 1
    for (src, dst), n in counts.items():
        attrs = {"label": f"<×{n}>"} if n > 1 else {}
        if (src, dst) in red:
            attrs.update(color=HIGHLIGHT, penwidth="2.5")
            if red[(src, dst)] < n:
                attrs["label"] = f"<×{n} ({red[(src, dst)]} on the path)>"
        picture.edge(src, dst, **attrs)
    clusters.close()
    opened = [name for name in expand if name not in too_big]
    lines = [
        f"collapsed: {len(order)} scalar nodes > max_nodes={max_nodes}, drawn as "
        f"{len(members)} tensor-level nodes (draw(..., expand=[name]) opens a group)"
    ]
    if opened:
        lines.append(f"expanded to scalars: {', '.join(opened)}")
    lines += [
        f"expand: {name!r} not expanded: {n} scalars > {EXPAND_LIMIT} (too many to lay out); "
        "expand a smaller part of it"
        for name, n in sorted(too_big.items())
    ]
    return "\n".join(lines)
