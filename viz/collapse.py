"""Tensor-level drawing for big graphs: one node per Tensor or group of scalars.

Above ``max_nodes`` scalars a picture of every Value is unreadable (and slow to
lay out), so each Tensor becomes one node showing its shape and small data/grad
tables, unlabelled intermediates are counted per op inside their module or time
step, and edges between groups carry how many scalar edges they stand for.
``expand`` keeps named tensors, modules or groups at scalar level.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import graphviz

from autograd import Value
from viz.clusters import ClusterTree
from viz.escape import escape_html
from viz.groups import Path, parse_label
from viz.labels import COLORS, format_number, is_finite_node, node_kind, scalar_table

MAX_ROWS, MAX_COLS = 4, 6
Key = tuple


def _strip_tensor(path: Path) -> Path:
    return path[:-1] if path and path[-1][0] == "tensor" else path


def _is_expanded(v: Value, path: Path, expand: set[str]) -> bool:
    if not expand:
        return False
    if v.label in expand:
        return True
    return any(name in expand for _, name in path)


def _fine_key(k: int, v: Value, path: Path, expand: set[str]) -> Key:
    if _is_expanded(v, path, expand):
        return ("scalar", k)
    parts = parse_label(v.label)
    if parts.tensor is not None:
        return ("tensor", parts.tensor)
    if v.label is not None:
        return ("scalar", k)
    return ("ops", _strip_tensor(path), v.op or "constant")


def _medium_key(k: int, v: Value, path: Path, expand: set[str]) -> Key:
    key = _fine_key(k, v, path, expand)
    if key[0] == "scalar" and not _is_expanded(v, path, expand):
        return ("ops", _strip_tensor(path), v.op or "leaf")
    return key


def _coarse_key(k: int, v: Value, path: Path, expand: set[str]) -> Key:
    return ("ops", path[:1], "operations" if v.parents else "leaves")


_PASSES: tuple[Callable[[int, Value, Path, set[str]], Key], ...] = (
    _fine_key, _medium_key, _coarse_key,
)


def group_nodes(
    order: list[Value], paths: list[Path], expand: Sequence[str], max_nodes: int
) -> tuple[list[Key], dict[Key, list[int]]]:
    """The display key of each node and the members of each key, coarse enough to fit.

    Example:
        >>> from autograd import Tensor
        >>> W = Tensor([1.0, 2.0, 3.0], label="W")
        >>> from viz.groups import assign_paths
        >>> order = list(W.values)
        >>> keys, members = group_nodes(order, assign_paths(order), (), 2)
        >>> list(members)
        [('tensor', 'W')]
    """
    wanted = set(expand)
    members: dict[Key, list[int]] = {}
    keys: list[Key] = []
    for make_key in _PASSES:
        keys = [make_key(k, v, paths[k], wanted) for k, v in enumerate(order)]
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


def _group_label(title: str, info: str, data: str, grad: str, color: str) -> str:
    return (
        f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2" BGCOLOR="{color}">'
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
) -> str:
    """Add tensor-level nodes and counted edges to ``picture``; return the note to show."""
    keys, members = group_nodes(order, paths, expand, max_nodes)
    names = {key: f"g{n}" for n, key in enumerate(members)}
    picture.node_ids = {id(v): names[keys[k]] for k, v in enumerate(order)}
    root_ids = {id(r) for r in roots}
    clusters = ClusterTree(picture)
    grads = show_grad and computed
    for key, idx in members.items():
        first = order[idx[0]]
        path = _strip_tensor(paths[idx[0]])
        target = clusters.graph_for(path)
        finite = all(is_finite_node(order[k]) for k in idx)
        ops = sorted({order[k].primitive.symbol or "leaf" for k in idx})
        if key[0] == "scalar":
            kind = node_kind(first, id(first) in root_ids)
            cells = [f"= {first.primitive.symbol}"] if first.parents else []
            cells.append(f"data {format_number(first.data, precision)}")
            cells.append(f"grad {format_number(first.grad, precision)}" if grads else "grad —")
            color = COLORS[kind] if finite else COLORS["nonfinite"]
            label = scalar_table(first.label or "", cells, color)
        elif key[0] == "tensor":
            shape = _shape_of(order, idx)
            data = _grid_html(_tensor_grid(order, idx, "data", precision))
            grad = _grid_html(_tensor_grid(order, idx, "grad", precision)) if grads else "—"
            info = f"shape {shape} · {', '.join(ops)}" + ("" if finite else " · non-finite!")
            color = COLORS["parameter" if not first.parents else "group"]
            label = _group_label(key[1], info, data, grad, color if finite else COLORS["nonfinite"])
        else:
            title = f"{len(idx)} × {key[2]}"
            data = escape_html(_range([order[k].data for k in idx], precision))
            grad = escape_html(_range([order[k].grad for k in idx], precision)) if grads else "—"
            info = f"ops: {', '.join(ops)}" + ("" if finite else " · non-finite!")
            label = _group_label(title, info, data, grad,
                                 COLORS["group"] if finite else COLORS["nonfinite"])
        target.node(names[key], label, id=names[key])
    counts: dict[tuple[str, str], int] = {}
    for k, v in enumerate(order):
        dst = names[keys[k]]
        for p in v.parents:
            src = picture.node_ids[id(p)]
            if src != dst:
                counts[(src, dst)] = counts.get((src, dst), 0) + 1
    for (src, dst), n in counts.items():
        picture.edge(src, dst, **({"label": f"<×{n}>"} if n > 1 else {}))
    clusters.close()
    return (
        f"collapsed: {len(order)} scalar nodes > max_nodes={max_nodes}, drawn as "
        f"{len(members)} tensor-level nodes (draw(..., expand=[name]) opens a group)"
    )
