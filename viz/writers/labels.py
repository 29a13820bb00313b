"""How one node looks: number formatting, colours by node kind, HTML-like tables.

Every piece of user text goes through :func:`viz.escape.escape_html` here, so the
drawing code never pastes raw labels into DOT.
"""

from __future__ import annotations

from collections.abc import Sequence

from viz.escape import escape_html
from viz.numbers import format_number  # noqa: F401 - re-exported: drawings format here

# Fill colours by node kind; the legend in the picture uses the same table.
COLORS = {
    "parameter": "#dbeafe",  # leaf with an nn name such as "fc.weight[0,1]"
    "input": "#dcfce7",  # other labelled leaf
    "constant": "#f3f4f6",  # unlabelled leaf (a number in the expression)
    "intermediate": "#ffffff",
    "output": "#fef3c7",  # a root of the drawing
    "nonfinite": "#fecaca",  # nan or inf in data or grad
    "group": "#f5f3ff",  # a collapsed group of scalars
}
HIGHLIGHT = "#dc2626"


def scalar_table(
    title: str,
    cells: Sequence[str],
    color: str,
    border_color: str = "#374151",
    penwidth: int = 1,
) -> str:
    """An HTML-like label: one row of already-formatted (unescaped) cells.

    Example:
        >>> scalar_table("x<1>", ["data 1.0"], "#ffffff").count("&lt;")
        1
    """
    tds = "".join(f"<TD>{escape_html(c)}</TD>" for c in cells)
    head = f"<TD><B>{escape_html(title)}</B></TD>" if title else ""
    return (
        f'<<TABLE BORDER="{penwidth}" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" '
        f'BGCOLOR="{color}" COLOR="{border_color}"><TR>{head}{tds}</TR></TABLE>>'
    )


def matrix_rows(values: list[list[str]]) -> str:
    """Rows of a small matrix as HTML-like ``<TR>`` elements (cells escaped).

    Example:
        >>> matrix_rows([["1", "<2>"]])
        '<TR><TD>1</TD><TD>&lt;2&gt;</TD></TR>'
    """
    return "".join(
        "<TR>" + "".join(f"<TD>{escape_html(c)}</TD>" for c in row) + "</TR>" for row in values
    )


def html_label(text: str) -> str:
    """A plain text label as an HTML-like label, so nothing in it is interpreted.

    Example:
        >>> html_label('a "b" {c}|<d>')
        '<a &quot;b&quot; {c}|&lt;d&gt;>'
    """
    return f"<{escape_html(text)}>"
