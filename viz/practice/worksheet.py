"""Worksheets a TA can hand out, and their keys: the picture with empty cells, a header.

A worksheet is the drawing of a graph with the gradients (``blank="grad"``), the
computed values (``"data"``) or both left as empty cells, under a header that states
the exercise: its expression or title, the given values, the seed. The seed's
gradient and the constants' are never blank (nobody is asked for ``∂L/∂2``). Its key
is the same picture, laid out the same way (same orientation, same cell widths, same
page placement) with the answers written into those cells in red.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from autograd import Value, topological_order
from viz.model.build import as_roots
from viz.model.names import node_names
from viz.numbers import format_number

MAX_LISTED = 12  # elements listed for one given tensor; the rest as "…"
_ELEMENT = re.compile(r"^(?P<base>.+)\[(?P<index>\d+(?:,\d+)*)\]$")


def givens(root: Value | Sequence[Value], precision: int = 4) -> list[str]:
    """The given values of the graph below ``root``: every labelled leaf, tensors as lists.

    Elements of one tensor (``x[0]``, ``x[1]``, ...) are listed together in index order.

    Example:
        >>> x = [Value(v, label=f"x[{i}]") for i, v in enumerate([3.0, -1.0])]
        >>> w = Value(2.0, label="w"); y = (x[0] + x[1]) * w * 0.5
        >>> givens(y)
        ['x = [3, -1]', 'w = 2']
    """
    order = topological_order(as_roots(root))
    names = node_names(order)
    groups: dict[str, list[tuple[tuple[int, ...], float]]] = {}
    for v in order:
        if v.parents or v.label is None:
            continue  # computed nodes are asked for; constants are drawn as numbers
        name = names[id(v)]
        match = _ELEMENT.match(name)
        if match:
            index = tuple(int(i) for i in match.group("index").split(","))
            groups.setdefault(match.group("base"), []).append((index, v.data))
        else:
            groups.setdefault(name, []).append(((), v.data))
    lines = []
    for name, items in groups.items():
        f = lambda x: format_number(x, precision)
        if items == [((), items[0][1])]:
            lines.append(f"{name} = {f(items[0][1])}")
            continue
        items.sort()
        shown = ", ".join(f(x) for _, x in items[:MAX_LISTED])
        more = ", …" if len(items) > MAX_LISTED else ""
        lines.append(f"{name} = [{shown}{more}]")
    return lines


def worksheet_header(
    root: Value | Sequence[Value],
    title: str,
    blank: Sequence[str] = ("grad",),
    key: bool = False,
    precision: int = 4,
    seed: float = 1.0,
    collapsed: bool = False,
) -> list[str]:
    """The header lines of a worksheet (``key=False``) or of its key, same line count.

    ``collapsed``: the picture draws boxes of many scalars, whose grad columns the sheet
    leaves out (—) and the key fills in; the instruction says so.

    Example:
        >>> w, x = Value(2.0, label="w"), Value(3.0, label="x"); L = w * x; L.label = "L"
        >>> for line in worksheet_header(L, "L = w*x"): print(line)
        L = w*x
        Given: w = 2, x = 3
        Seed: ∂L/∂L = 1 (filled in). Fill in every empty grad cell: ∂L/∂v, from the output back.
        Worksheet · Name: ______________________
    """
    roots = as_roots(root)
    names = node_names(topological_order(roots))
    outs = [names[id(r)] for r in roots]
    out = outs[0] if len(outs) == 1 else "out"
    given = givens(roots, precision)
    asks = []
    if "data" in blank:
        asks.append("every empty data cell (the forward pass, inputs first)")
    if "grad" in blank and collapsed:
        asks.append(
            f"each box's grad column (drawn —): ∂{out}/∂v for its values, from the output back"
        )
    elif "grad" in blank:
        asks.append(f"every empty grad cell: ∂{out}/∂v, from the output back")
    seeds = " = ".join(f"∂{o}/∂{o}" for o in outs[:4]) + (" = …" if len(outs) > 4 else "")
    seed_line = f"Seed: {seeds} = {format_number(seed, precision)} (filled in)."
    seed_line += " Fill in " + ", then ".join(asks) + "." if asks else ""
    last = "Answer key · the answers are in red" if key else "Worksheet · Name: " + "_" * 22
    return [title, "Given: " + (", ".join(given) if given else "no inputs"), seed_line, last]


def write_worksheet(
    root: Value | Sequence[Value],
    path: str | Path,
    title: str,
    blank: Sequence[str] = ("grad",),
    answers: str | Path | None = None,
    page: str | None = None,
    layout: str | None = None,
    precision: int = 4,
    seed: float = 1.0,
    key_pages: list | None = None,
    **draw_options: object,
) -> tuple[Path, Path | None]:
    """Write the worksheet of ``root`` to ``path`` and, with ``answers``, its key.

    Both are drawn the same way: the layout (``lr``, ``tb``, or ``auto``, the default on
    a page) is chosen once, for the sheet, and the key uses it, so every box sits where
    it sits on the sheet. ``page="a4"``/``"letter"`` fits PDF and TikZ to the paper.
    A key with the suffix ``.txt``, ``.md`` or ``.csv`` is written as a table instead.
    ``key_pages`` (a list, kept by the caller) gathers the keys of several worksheets
    into one PDF: with a page size and a ``.pdf`` key, this key is added to the list and
    ``answers`` is written with all of them, each starting on a new page.

    Example:
        >>> import tempfile, os
        >>> w, x = Value(2.0, label="w"), Value(3.0, label="x"); L = w * x; L.label = "L"
        >>> L.backward(); folder = tempfile.mkdtemp()
        >>> sheet, key = write_worksheet(L, os.path.join(folder, "s.svg"), "L = w*x",
        ...                              answers=os.path.join(folder, "k.svg"))
        >>> "Worksheet" in sheet.read_text() and "Answer key" in key.read_text()
        True
    """
    from viz.drawing import draw
    from viz.output import render
    from viz.writers.page import check_layout, check_page, choose_layout

    page = check_page(page)
    layout = None if layout is None else check_layout(layout)
    options = dict(draw_options, precision=precision, hide=tuple(blank))
    sheet = draw(root, **options)
    header = worksheet_header(root, title, blank, False, precision, seed, sheet.collapsed)
    key_header = worksheet_header(root, title, blank, True, precision, seed, sheet.collapsed)
    rankdir = None
    if page is not None or layout is not None:
        rankdir = choose_layout(sheet.source, layout or "auto", page, header)[0].lower()
    sheet_path = render(sheet, path, page=page, layout=rankdir, header=header)
    key_path = None
    if answers is not None:
        if Path(answers).suffix.lower() in (".txt", ".md", ".csv"):
            return sheet_path, None  # tables are the caller's (viz.cli.quiz.write_answers)
        key = draw(root, answers=True, **options)
        if key_pages is not None and page is not None and str(answers).lower().endswith(".pdf"):
            from viz.files import write_atomic
            from viz.writers.graphviz_run import svg_of
            from viz.writers.page import Sheet, pages_pdf, with_rankdir

            key_pages.append(Sheet(svg_of(with_rankdir(key.source, rankdir.upper())), key_header))
            return sheet_path, write_atomic(Path(answers), pages_pdf(key_pages, page))
        key_path = render(key, answers, page=page, layout=rankdir, header=key_header)
    return sheet_path, key_path
