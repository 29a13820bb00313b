"""A tensor's numbers as the homework writes them: R rows of C in index order.

A collapsed box of a tensor shows its data and its grad as grids: a vector as one row, a
matrix (R, C) as R rows of C, up to :data:`MAX_ROWS` x :data:`MAX_COLS` numbers, then an
explicit ``… 3 more rows`` / ``… 2 more columns``; a tensor of more dims as one labelled
2-D grid per slice of its last two dims (``[0]``, ``[1,2]``), up to :data:`MAX_SLICES`,
then ``… N more slices``. Elements the graph does not hold are drawn ``·``; when only some
rows or columns are present, they carry their indices (``[8]``, ``[9]``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from viz.escape import escape_html

MAX_ROWS, MAX_COLS, MAX_SLICES = 8, 8, 4
MISSING = "·"
Index = tuple[int, ...]


def grid_shape(indices: list[Index]) -> tuple[int, ...] | None:
    """The shape the element indices span (one more than the largest index in each dim).

    Example:
        >>> grid_shape([(0, 0), (1, 2)]), grid_shape([(0,), (0, 1)])
        ((2, 3), None)
    """
    ranks = {len(i) for i in indices}
    if len(ranks) != 1:
        return None
    rank = ranks.pop()
    return tuple(max(i[d] for i in indices) + 1 for d in range(rank))


def caption(indices: list[Index]) -> str:
    """What a tensor box says about its size: its shape, or how much of it the graph holds.

    Example:
        >>> caption([(0, 0), (0, 1), (1, 0), (1, 1)]), caption([(0, 0), (1, 1)])
        ('(2, 2) in the graph', '2 elements in the graph, indices up to (1, 1)')
        >>> caption([()])
        'a scalar'
    """
    shape = grid_shape(indices)
    if shape is None:
        return f"{len(indices)} scalars"
    if not shape:
        return "a scalar"
    # The elements of a tensor that reach the root are all a graph holds: a 5x5 image whose
    # last row and column are never used shows as (1, 4, 4), so say "in the graph".
    if len(set(indices)) == math.prod(shape):
        return f"{shape} in the graph"
    top = tuple(s - 1 for s in shape)
    n = len(set(indices))
    return f"{n} element{'s' if n != 1 else ''} in the graph, indices up to {top}"


def _ids(present: list[int], limit: int) -> tuple[list[int], bool, int]:
    """The ids to draw, whether they need index labels, and how many are left out."""
    labelled = present != list(range(len(present)))
    return present[:limit], labelled, max(0, len(present) - limit)


def grid_rows(cells: Mapping[Index, str]) -> list[list[str]]:
    """The rows of text cells for ``cells`` (index -> formatted number), see the module doc.

    Example:
        >>> grid_rows({(0, 0): "1", (0, 1): "2", (1, 0): "3", (1, 1): "4"})
        [['1', '2'], ['3', '4']]
        >>> grid_rows({(k,): str(k) for k in range(10)})
        [['0', '1', '2', '3', '4', '5', '6', '7', '… 2 more']]
        >>> grid_rows({(0, 0, 0): "5", (1, 0, 0): "6"})
        [['[0]'], ['5'], ['[1]'], ['6']]
    """
    if not cells:
        return [[]]
    shape = grid_shape(list(cells))
    if shape is None:  # mixed ranks: a plain row in index order
        return _row([cells[i] for i in sorted(cells)])
    if len(shape) == 0:
        return [[next(iter(cells.values()))]]
    if len(shape) == 1:
        ids, labelled, more = _ids(sorted(i[0] for i in cells), MAX_COLS)
        row = [cells[(c,)] for c in ids] + ([f"… {more} more"] if more else [])
        if labelled:
            return [[f"[{c}]" for c in ids] + ([""] if more else []), row]
        return [row]
    if len(shape) == 2:
        return _matrix(cells)
    slices = sorted({i[:-2] for i in cells})
    rows: list[list[str]] = []
    for head in slices[:MAX_SLICES]:
        part = {i[-2:]: text for i, text in cells.items() if i[:-2] == head}
        rows.append([f"[{','.join(map(str, head))}]"])
        rows.extend(_matrix(part))
    if len(slices) > MAX_SLICES:
        rows.append([f"… {_count(len(slices) - MAX_SLICES, 'more slice')}"])
    return rows


def _count(n: int, noun: str) -> str:
    """``1 more row``, ``2 more rows``."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _row(texts: list[str]) -> list[list[str]]:
    more = len(texts) - MAX_COLS
    return [texts[:MAX_COLS] + ([f"… {more} more"] if more > 0 else [])]


def _matrix(cells: Mapping[Index, str]) -> list[list[str]]:
    rows, row_labels, more_rows = _ids(sorted({i[0] for i in cells}), MAX_ROWS)
    cols, col_labels, more_cols = _ids(sorted({i[1] for i in cells}), MAX_COLS)
    out = []
    for r in rows:
        line = [cells.get((r, c), MISSING) for c in cols]
        if more_cols:
            line.append(f"… {_count(more_cols, 'more column')}" if r == rows[0] else "")
        out.append(([f"[{r}]"] if row_labels else []) + line)
    if col_labels:
        head = [f"[{c}]" for c in cols] + ([""] if more_cols else [])
        out.insert(0, ([""] if row_labels else []) + head)
    if more_rows:
        out.append([f"… {_count(more_rows, 'more row')}"])
    return out


def grid_html(rows: list[list[str]]) -> str:
    """Rows of text as a Graphviz HTML-like table; a short row (a note) spans the width.

    Example:
        >>> grid_html([["1", "2"], ["… 3 more rows"]]).count("<TR>")
        2
        >>> 'COLSPAN="2"' in grid_html([["1", "2"], ["… 3 more rows"]])
        True
    """
    width = max((len(r) for r in rows), default=1) or 1
    body = []
    for row in rows:
        if len(row) == 1 and width > 1:
            body.append(f'<TR><TD COLSPAN="{width}">{escape_html(row[0])}</TD></TR>')
        else:
            body.append("<TR>" + "".join(f"<TD>{escape_html(c)}</TD>" for c in row) + "</TR>")
    return (
        '<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="2">'
        + "".join(body)
        + "</TABLE>"
    )
