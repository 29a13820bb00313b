"""Numbers as people copy them: ASCII, significant figures, noise shown as 0, aligned columns.

Every number chalkgrad prints or draws goes through :func:`format_number`, so a
printed value can be pasted back into Python or ``float()``: the minus sign is
ASCII ``-`` (never U+2212), exponents are ``1.5e-9``, and ``nan``/``inf`` are the
spellings ``float()`` reads.

**Rounding noise.** A float sum of terms that cancel leaves a residue of the
size of the terms times the machine epsilon (``2.7756e-17`` for a gradient that
is 0 by algebra). :func:`noise_scales` gives every node the size of what its
value and gradient were made from: a leaf's own size, an op's
``sum |d out/d input| * size(input)``, and for a gradient the sum of the sizes
of its contributions ``|upstream| * |local derivative|``. A value is *noise*,
and shown as ``0``, when it is at most :data:`NOISE_TOLERANCE` (``2**-40``,
about ``9.1e-13``) times that size. A genuinely small value (``1.2e-10`` from
multiplying small factors) is kept: its size is small too.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from autograd import FLOAT, Value

NOISE_TOLERANCE = 2.0**-40
MINUS_SIGNS = ("\u2212", "\u2012", "\u2013", "\ufe63", "\uff0d")  # read as "-" on input


def format_number(x: float, precision: int = 4, scale: float | None = None) -> str:
    """``x`` with ``precision`` significant figures, in ASCII that ``float()`` reads back.

    Fixed point for ``1e-4 <= |x| < 1e6`` (trailing zeros dropped), exponent form
    otherwise. With ``scale`` (see :func:`noise_scales`), ``|x| <= NOISE_TOLERANCE
    * scale`` prints as ``0``.

    Example:
        >>> format_number(2.0), format_number(-0.00012), format_number(1 / 3, 3)
        ('2', '-0.00012', '0.333')
        >>> format_number(-2.7756e-17), format_number(-2.7756e-17, scale=1.0)
        ('-2.776e-17', '0')
        >>> format_number(123456.7), format_number(1e-9), format_number(float("-inf"))
        ('123457', '1e-9', '-inf')
    """
    if isinstance(precision, bool) or not isinstance(precision, int) or precision < 1:
        raise ValueError(
            f"precision is a number of significant figures, at least 1; got {precision!r}"
        )
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0 or (scale is not None and abs(x) <= NOISE_TOLERANCE * scale):
        return "0"  # also -0.0, e.g. a negative number times a zero gradient
    size = abs(x)
    if 1e-4 <= size < 1e6:
        decimals = max(precision - 1 - math.floor(math.log10(size)), 0)
        text = f"{x:.{decimals}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    mantissa, exponent = f"{x:.{precision - 1}e}".split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def parse_number(text: str) -> float:
    """``float(text)``, also reading the typographic minus (U+2212) and similar dashes.

    Example:
        >>> parse_number("\u22123"), parse_number(" 2.5e-3 ")
        (-3.0, 0.0025)
    """
    for sign in MINUS_SIGNS:
        text = text.replace(sign, "-")
    return float(text.strip())


def factor(text: str) -> str:
    """A formatted number ready to stand in a product: negatives in parentheses.

    Example:
        >>> f"{factor('10')} · {factor('-1')}"
        '10 · (-1)'
    """
    return f"({text})" if text.startswith("-") else text


def noise_scales(order: Sequence[Value]) -> tuple[dict[int, float], dict[int, float]]:
    """Sizes of what each node's value and gradient were summed from (``id(node)`` keys).

    ``order`` is a topological order (``autograd.topological_order``); gradient
    sizes start from ``|grad|`` at the nodes nothing in ``order`` consumes (the
    roots, seeded by ``backward``). Pass the results as ``scale=`` to
    :func:`format_number` to print cancellation residue as ``0``.

    Example:
        >>> from autograd import topological_order
        >>> a = Value(0.1, label="a"); b = Value(0.2, label="b")
        >>> y = (a + b - 0.3) * a; y.label = "y"; y.backward()
        >>> data, grad = noise_scales(topological_order(y))
        >>> y.data, format_number(y.data, scale=data[id(y)])
        (5.551115123125783e-18, '0')
        >>> a.grad, format_number(a.grad, scale=grad[id(a)])
        (0.1, '0.1')
    """
    data: dict[int, float] = {}
    partials: dict[int, tuple] = {}
    for v in order:
        if not v.parents:
            data[id(v)] = abs(v.data)
            continue
        op = v.primitive
        local = op.partials(FLOAT, v.data, *[p.data for p in v.parents], *op.params)
        partials[id(v)] = local
        data[id(v)] = sum(abs(d) * data[id(p)] for p, d in zip(v.parents, local) if d != 0) + abs(
            v.data
        )
    consumed = {id(p) for v in order for p in v.parents}
    grad = {id(v): 0.0 if id(v) in consumed else abs(v.grad) for v in order}
    for v in reversed(order):
        if not v.parents or grad[id(v)] == 0:
            continue
        for p, d in zip(v.parents, partials[id(v)]):
            if d != 0:
                grad[id(p)] += grad[id(v)] * abs(d)
    return data, grad


def align_numbers(cells: Sequence[str]) -> list[str]:
    """Pad formatted numbers so their decimal points line up and they right-align.

    Example:
        >>> align_numbers(["2", "-0.25", "10.5", "nan"])
        ['  2   ', ' -0.25', ' 10.5 ', 'nan   ']
    """

    def split(cell: str) -> tuple[str, str]:
        for mark in (".", "e"):
            if mark in cell:
                at = cell.index(mark)
                return cell[:at], cell[at:]
        return cell, ""

    parts = [split(c) for c in cells]
    left = max((len(a) for a, _ in parts), default=0)
    right = max((len(b) for _, b in parts), default=0)
    return [a.rjust(left) + b.ljust(right) for a, b in parts]


def format_table(rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()) -> list[str]:
    """Rows of cells (the first is the header) as text lines; ``numeric`` columns align.

    Example:
        >>> print("\\n".join(format_table([["x", "grad"], ["a", "1.5"], ["b", "-10"]], [1])))
        x  grad
        a   1.5
        b  -10
    """
    columns = [list(col) for col in zip(*rows)]
    for c in numeric:
        body = align_numbers(columns[c][1:])
        width = max(len(columns[c][0]), max((len(b) for b in body), default=0))
        columns[c] = [columns[c][0].rjust(width)] + [b.rjust(width) for b in body]
    widths = [max(len(cell) for cell in col) for col in columns]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in zip(*columns)
    ]


def terminal_width(file: TextIO | None = None, default: int = 100) -> int:
    """Columns to fit printed output to: ``COLUMNS``, else the terminal's, else ``default``.

    Example:
        >>> import io
        >>> terminal_width(io.StringIO(), default=80) if "COLUMNS" not in os.environ else 80
        80
    """
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    stream = file if file is not None else sys.stdout
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        pass
    return default


def wrap_terms(
    pieces: Sequence[str],
    width: int,
    indent: str = "",
    continuation: str = "      ",
    break_before: str | None = None,
) -> list[str]:
    """Join ``pieces`` into lines of at most ``width`` (a long piece stays whole).

    Each piece carries its own leading separator (``" + ..."``, ``" = ..."``);
    continuation lines start with ``indent + continuation`` and the piece without
    its leading spaces. When the whole does not fit on one line, every piece
    starting with ``break_before`` starts a new line.

    Example:
        >>> wrap_terms(["a = 1", " + 2", " + 3", " = 6"], 10)
        ['a = 1 + 2', '      + 3', '      = 6']
        >>> wrap_terms(["a = 1", " + 2", " = 3"], 9, continuation="  ", break_before=" = ")
        ['a = 1 + 2', '  = 3']
    """
    if len(indent) + sum(len(p) for p in pieces) <= width:
        return [indent + "".join(pieces)]
    lines: list[str] = []
    current = indent
    for piece in pieces:
        forced = break_before is not None and piece.startswith(break_before)
        if current.strip() and (forced or len(current) + len(piece) > width):
            lines.append(current.rstrip())
            current = indent + continuation + piece.lstrip(" ,")
        else:
            current += piece
    if current.strip():
        lines.append(current.rstrip())
    return lines
