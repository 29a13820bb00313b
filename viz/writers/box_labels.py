"""The label of a collapsed box: a tensor's data and grad grids, a step's or module's grid per
tensor (gates in PyTorch's order), a named scalar, or a range; every number by the noise rule
(:meth:`viz.model.picture.Picture.number`). :mod:`viz.writers.dot` places the boxes.
"""

from __future__ import annotations

from viz.escape import escape_html
from viz.model.picture import Box, Picture
from viz.writers.grids import caption, grid_html, grid_rows
from viz.writers.labels import COLORS, HIGHLIGHT, scalar_table


def tensor_cells(model: Picture, box: Box, attr: str, precision: int) -> dict[tuple, str]:
    """The box's own elements, index -> ``data`` or ``grad`` text (noise as 0).

    Elements of other tensors folded into the box are not part of its grid; a box whose
    members carry no element names numbers them in order.

    Example:
        >>> from autograd import Tensor
        >>> from viz.model.build import picture
        >>> W = Tensor([[1.0, 2.0], [3.0, 4.0]], label="W"); y = W.sum().name("y")
        >>> p = picture(y, max_nodes=2)
        >>> tensor_cells(p, p.box("W"), "data", 4)
        {(0, 0): '1', (0, 1): '2', (1, 0): '3', (1, 1): '4'}
    """
    cells: dict[tuple, str] = {}
    own = model.members[box.members[0]].base  # members: own elements first
    for k in box.members:
        member = model.members[k]
        if own is not None and member.base == own and member.index is not None:
            cells[member.index] = model.number(k, attr, precision)
        elif own is None:  # no element names at all: number them
            cells[(len(cells),)] = model.number(k, attr, precision)
    return cells


def _range(model: Picture, members: list[int], attr: str, precision: int) -> str:
    values = [(getattr(model.order[k], attr), k) for k in members]
    finite = [(x, k) for x, k in values if x == x]
    if not finite:
        return "nan"
    low, high = (
        model.number(min(finite)[1], attr, precision),
        model.number(max(finite)[1], attr, precision),
    )
    return low if low == high else f"{low} … {high}"


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
        cells.append(f"data {model.number(head_k, 'data', precision)}")
        cells.append(f"grad {model.number(head_k, 'grad', precision)}" if show_grad else "grad —")
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
        info = caption_of(model, box)
        data = grid_html(grid_rows(tensor_cells(model, box, "data", precision)))
        grad = (
            grid_html(grid_rows(tensor_cells(model, box, "grad", precision))) if show_grad else "—"
        )
    elif box.kind in ("step", "module") and _tensors_in(model, box):
        return _group_label(model, box, precision, show_grad, color, border)
    else:
        info = f"{len(box.members)} scalars"
        data = escape_html(_range(model, box.members, "data", precision))
        grad = escape_html(_range(model, box.members, "grad", precision)) if show_grad else "—"
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


SHOWN_TENSORS = 6  # grids in one step or module box; the rest are listed by name


def _group_label(
    model: Picture, box: Box, precision: int, show_grad: bool, color: str, border: str
) -> str:
    """A time step or module: one labelled data/grad grid row per tensor it computes."""
    tensors = _tensors_in(model, box)
    info = f"{len(box.members)} scalars"
    if box.ops:
        info += f" · {', '.join(box.ops)}"
    if not box.finite:
        info += " · non-finite!"
    rows = []
    for name in tensors[:SHOWN_TENSORS]:
        part = _Members(model, box, name)
        data = grid_html(grid_rows(tensor_cells(model, part, "data", precision)))
        grad = (
            grid_html(grid_rows(tensor_cells(model, part, "grad", precision))) if show_grad else "—"
        )
        rows.append(f"<TR><TD><B>{escape_html(name)}</B></TD><TD>{data}</TD><TD>{grad}</TD></TR>")
    if len(tensors) > SHOWN_TENSORS:
        more = ", ".join(tensors[SHOWN_TENSORS:])
        rows.append(f'<TR><TD COLSPAN="3">{escape_html("also " + more)}</TD></TR>')
    return (
        f'<<TABLE {border} CELLBORDER="0" CELLSPACING="2" CELLPADDING="2" BGCOLOR="{color}">'
        f'<TR><TD COLSPAN="3"><B>{escape_html(box.name)}</B></TD></TR>'
        f'<TR><TD COLSPAN="3">{escape_html(info)}</TD></TR>'
        f"<TR><TD></TD><TD>data</TD><TD>grad</TD></TR>{''.join(rows)}</TABLE>>"
    )


def _own(model: Picture, box: Box) -> list[int]:
    """The members of a tensor box that are its own elements (not folded-in nodes)."""
    own = model.members[box.members[0]].base
    return [k for k in box.members if own is not None and model.members[k].base == own]


def caption_of(model: Picture, box: Box) -> str:
    """The size line of a tensor box, see :func:`viz.writers.grids.caption`.

    Example:
        >>> from autograd import Tensor
        >>> from viz.model.build import picture
        >>> W = Tensor([[1.0, 2.0], [3.0, 4.0]], label="W"); p = picture(W.sum().name("y"), max_nodes=2)
        >>> caption_of(p, p.box("W"))
        '(2, 2) in the graph'
    """
    return caption([model.members[k].index or () for k in _own(model, box)])


GATE_ORDER = {gate: n for n, gate in enumerate("ifgorzn")}  # PyTorch's LSTM and GRU gates


def _tensors_in(model: Picture, box: Box) -> list[str]:
    """Names of the tensors whose elements a step or module box holds, in the order they
    are computed: gates first in PyTorch's order (``i f g o``, ``r z n``), then the rest."""
    first: dict[str, int] = {}
    for k in box.members:
        name = model.members[k].base
        if name is not None:
            first.setdefault(name, k)

    def key(name: str) -> tuple:
        gate = name.rsplit(".", 1)[-1].split("_")[0]
        return (GATE_ORDER.get(gate, len(GATE_ORDER)), model.depth(first[name]), first[name])

    return sorted(first, key=key)


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
