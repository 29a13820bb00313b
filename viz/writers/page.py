"""Pictures on paper: fit a drawing to an A4 or US letter page, or split it over pages.

A picture is scaled to the page (never up, and never so far down that its smallest
text drops below ``MIN_FONT`` points). When even that does not fit, it is cut into
tiles at the readable scale, one tile per page, and every cut is marked: a dashed
line along the edge with "continues on page N". Portrait and landscape are both
tried; the one with fewer pages, then the larger scale, wins. An optional header
(the exercise, the givens, the seed) is set above the picture on the first page at
a fixed size, so it stays readable however far the picture is scaled.

The SVG comes from the renderer; svglib reads it into a reportlab drawing and
reportlab writes the pages, so paths stay vector and text stays selectable.
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

PAGES = {"a4": (595.0, 842.0), "letter": (612.0, 792.0)}  # points, portrait
LAYOUTS = ("lr", "tb", "auto")
MARGIN = 36.0  # half an inch all round
MIN_FONT = 7.0  # the smallest text size, in points, a page may print
HEADER_FONT, TITLE_FONT, NOTE_FONT = 9.0, 11.0, 8.0
HEADER_GAP = 10.0  # between the header and the picture


def check_page(page: str | None) -> str | None:
    """``page`` in lower case, or a one-line ValueError naming the sizes accepted.

    Example:
        >>> check_page("A4"), check_page(None)
        ('a4', None)
        >>> check_page("a5")
        Traceback (most recent call last):
        ...
        ValueError: page must be one of a4, letter, got 'a5'
    """
    if page is None:
        return None
    if not isinstance(page, str) or page.lower() not in PAGES:
        raise ValueError(f"page must be one of {', '.join(PAGES)}, got {page!r}")
    return page.lower()


def check_layout(layout: str) -> str:
    """``layout`` in lower case, or a one-line ValueError naming the layouts accepted.

    Example:
        >>> check_layout("TB")
        'tb'
        >>> check_layout("diagonal")
        Traceback (most recent call last):
        ...
        ValueError: layout must be one of lr, tb, auto, got 'diagonal'
    """
    if not isinstance(layout, str) or layout.lower() not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    return layout.lower()


def svg_size(svg: str) -> tuple[float, float]:
    """The picture's width and height in points, read from the renderer's ``<svg>``.

    Example:
        >>> svg_size('<svg width="200pt" height="50pt" viewBox="0 0 200 50">')
        (200.0, 50.0)
    """
    match = re.search(r'<svg[^>]*?width="([\d.]+)(pt|px)?"[^>]*?height="([\d.]+)(pt|px)?"', svg)
    if match is None:
        raise ValueError("the SVG has no width and height")
    to_pt = lambda x, unit: float(x) * (0.75 if unit == "px" else 1.0)
    return to_pt(match.group(1), match.group(2)), to_pt(match.group(3), match.group(4))


def smallest_font(svg: str) -> float:
    """The smallest ``font-size`` in the SVG, in points (14, Graphviz's default, if none).

    Example:
        >>> smallest_font('<text font-size="11.00">a</text><text font-size="9.00">b</text>')
        9.0
    """
    sizes = [float(x) for x in re.findall(r'font-size="([\d.]+)', svg)]
    return min(sizes, default=14.0)


@dataclass(frozen=True)
class Placement:
    """Where a picture goes: the page (w, h in pt), the scale, and the tiles across/down.

    Example:
        >>> p = plan(400, 800, 11, "a4")
        >>> p.pages, p.page, round(p.scale, 3)
        (1, (595.0, 842.0), 0.963)
    """

    page: tuple[float, float]
    scale: float
    columns: int
    rows: int
    header_height: float

    @property
    def pages(self) -> int:
        """How many pages the picture takes."""
        return self.columns * self.rows

    @property
    def area(self) -> tuple[float, float]:
        """The width and height left for the picture on a page, in points."""
        w, h = self.page
        return w - 2 * MARGIN, h - 2 * MARGIN - self.header_height


def plan(
    width: float, height: float, font: float, page: str, header_height: float = 0.0
) -> Placement:
    """The best placement of a ``width`` x ``height`` picture whose smallest text is ``font``.

    Scale to fit one page if that keeps the text at ``MIN_FONT`` or more; otherwise
    tile at the readable scale. Portrait and landscape are compared: fewer pages
    first, then the larger scale.

    Example:
        >>> p = plan(1859, 99, 11, "a4")  # a long chain: landscape, two pages
        >>> p.pages, p.page[0] > p.page[1], p.scale * 11 >= MIN_FONT
        (2, True, True)
    """
    w0, h0 = PAGES[check_page(page)]
    options = []
    for pw, ph in ((w0, h0), (h0, w0)):
        aw, ah = pw - 2 * MARGIN, ph - 2 * MARGIN - header_height
        fit = min(aw / width, ah / height, 1.0)
        readable = min(1.0, MIN_FONT * 1.001 / font)  # rounding never takes it under
        if fit >= readable:
            options.append(Placement((pw, ph), fit, 1, 1, header_height))
        else:  # tiles at the readable scale, then as large as that many tiles allow
            columns = max(1, math.ceil(width * readable / aw - 1e-9))
            rows = max(1, math.ceil(height * readable / ah - 1e-9))
            s = max(readable, min(columns * aw / width, rows * ah / height, 1.0))
            options.append(Placement((pw, ph), s, columns, rows, header_height))
    return min(options, key=lambda p: (p.pages, -p.scale, p.page[0] > p.page[1]))


def _drawing(svg: str):
    from svglib.svglib import svg2rlg

    logger = logging.getLogger("svglib.svglib")  # it logs every <title> it skips
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        drawing = svg2rlg(io.BytesIO(svg.encode("utf-8")))
    finally:
        logger.setLevel(level)
    if drawing is None:
        raise ValueError("svglib could not read the SVG (not an <svg> document?)")
    return drawing


def _wrap(lines: Sequence[str], width: float) -> list[tuple[str, float]]:
    """Header lines wrapped to ``width``: (text, font size); the first line is the title."""
    from reportlab.lib.utils import simpleSplit

    out = []
    for k, line in enumerate(lines):
        size = TITLE_FONT if k == 0 else HEADER_FONT
        font = "Helvetica-Bold" if k == 0 else "Helvetica"
        out += [(part, size) for part in simpleSplit(line, font, size, width) or [""]]
    return out


def header_height(lines: Sequence[str], page: str) -> float:
    """The height the header takes above the picture (0 with no header).

    Example:
        >>> header_height([], "a4"), header_height(["Worksheet", "x = 1"], "a4") > 20
        (0.0, True)
    """
    if not lines:
        return 0.0
    width = min(PAGES[check_page(page)]) - 2 * MARGIN
    return sum(size * 1.3 for _, size in _wrap(lines, width)) + HEADER_GAP


def _write_header(canvas, lines: list[tuple[str, float]], page: tuple[float, float]) -> None:
    y = page[1] - MARGIN
    for text, size in lines:
        y -= size * 1.3
        canvas.setFont("Helvetica-Bold" if size == TITLE_FONT else "Helvetica", size)
        canvas.drawString(MARGIN, y + 0.25 * size, text)


def _mark_cut(canvas, x0, y0, x1, y1, text: str, outside: float = 1.0) -> None:
    """A dashed line from (x0, y0) to (x1, y1) with a note: where the picture continues.

    A vertical cut's note is never rotated (it reads and measures as what it is): under
    the foot of the right-hand cut (``outside=1``), above the head of the left-hand one
    (``outside=-1``, clear of the page's "part N of M" line)."""
    canvas.saveState()
    canvas.setDash(4, 3)
    canvas.setStrokeColorRGB(0.6, 0.1, 0.1)
    canvas.setLineWidth(0.8)
    canvas.line(x0, y0, x1, y1)
    canvas.setFillColorRGB(0.6, 0.1, 0.1)
    canvas.setFont("Helvetica", NOTE_FONT)
    if x0 == x1:  # a vertical cut: "continues" below its foot, "from" above its head
        if outside > 0:
            canvas.drawRightString(x0 + MARGIN - 4, min(y0, y1) - NOTE_FONT - 2, text)
        else:
            canvas.drawString(x0 + 2, max(y0, y1) + 2, text)
    else:
        canvas.drawCentredString((x0 + x1) / 2, y0 - NOTE_FONT - 2, text)
    canvas.restoreState()


@dataclass
class Sheet:
    """One picture for the pages: its SVG and the header lines set above it.

    Example:
        >>> Sheet("<svg/>", ["Worksheet: y = 2*x", "given x = 1"]).header[0]
        'Worksheet: y = 2*x'
    """

    svg: str
    header: list[str]


def placement_of(sheet: Sheet, page: str) -> Placement:
    """The placement :func:`pages_pdf` gives ``sheet`` on ``page``.

    Example:
        >>> svg = '<svg width="300pt" height="100pt"><text font-size="11.00">a</text></svg>'
        >>> placement_of(Sheet(svg, []), "letter").scale
        1.0
    """
    width, height = svg_size(sheet.svg)
    return plan(width, height, smallest_font(sheet.svg), page, header_height(sheet.header, page))


def pages_pdf(sheets: Sequence[Sheet], page: str) -> bytes:
    """A PDF of ``sheets`` on ``page``-sized paper, each sheet starting on a new page.

    Example:
        >>> from viz.writers.graphviz_run import svg_of
        >>> pdf = pages_pdf([Sheet(svg_of("digraph { a -> b }"), ["a to b"])], "a4")
        >>> pdf.startswith(b"%PDF-") and b"/MediaBox [ 0 0 595 842 ]" in pdf
        True
    """
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen import canvas as pdf_canvas

    page = check_page(page)
    out = io.BytesIO()
    canvas = pdf_canvas.Canvas(out, pagesize=PAGES[page], pageCompression=1)
    canvas.setTitle(sheets[0].header[0] if sheets and sheets[0].header else "chalkgrad")
    first_page = 1
    for sheet in sheets:
        placement = placement_of(sheet, page)
        drawing = _drawing(sheet.svg)
        width, height = svg_size(sheet.svg)
        s = placement.scale
        aw, ah = placement.area
        pw, ph = placement.page
        lines = _wrap(sheet.header, pw - 2 * MARGIN)
        number = lambda c, r, first=first_page, columns=placement.columns: first + r * columns + c
        for r in range(placement.rows):
            for c in range(placement.columns):
                canvas.setPageSize((pw, ph))
                if lines:
                    shown = lines if (r, c) == (0, 0) else lines[:1]
                    _write_header(canvas, shown, (pw, ph))
                if placement.pages > 1:
                    canvas.setFont("Helvetica", NOTE_FONT)
                    canvas.drawString(
                        MARGIN,
                        MARGIN / 2,
                        f"part {r * placement.columns + c + 1} of {placement.pages} "
                        f"(row {r + 1}, column {c + 1})",
                    )
                # the tile (c, r) of the scaled picture, top-left first
                left, top = MARGIN, ph - MARGIN - placement.header_height
                tile_w = min(aw, width * s - c * aw)
                tile_h = min(ah, height * s - r * ah)
                canvas.saveState()
                clip = canvas.beginPath()
                clip.rect(left, top - tile_h, tile_w, tile_h)
                canvas.clipPath(clip, stroke=0, fill=0)
                canvas.translate(left - c * aw, top + r * ah - height * s)
                canvas.scale(s, s)
                renderPDF.draw(drawing, canvas, 0, 0)
                canvas.restoreState()
                if c + 1 < placement.columns:
                    _mark_cut(
                        canvas,
                        left + tile_w,
                        top,
                        left + tile_w,
                        top - tile_h,
                        f"continues on page {number(c + 1, r)} →",
                    )
                if c > 0:
                    _mark_cut(
                        canvas,
                        left,
                        top,
                        left,
                        top - tile_h,
                        f"← from page {number(c - 1, r)}",
                        outside=-1.0,
                    )
                if r + 1 < placement.rows:
                    _mark_cut(
                        canvas,
                        left,
                        top - tile_h,
                        left + tile_w,
                        top - tile_h,
                        f"continues on page {number(c, r + 1)} ↓",
                    )
                canvas.showPage()
        first_page += placement.pages
    canvas.save()
    return out.getvalue()


def with_rankdir(source: str, rankdir: str) -> str:
    """DOT ``source`` laid out ``rankdir`` (``LR`` or ``TB``) instead of as written.

    Example:
        >>> with_rankdir("digraph g {\\n\\tgraph [rankdir=LR]\\n}", "TB")
        'digraph g {\\n\\tgraph [rankdir=TB]\\n}'
        >>> with_rankdir("digraph { a -> b }", "TB")
        'digraph { rankdir=TB a -> b }'
    """
    changed, count = re.subn(r"\brankdir=\"?\w+\"?", f"rankdir={rankdir}", source, count=1)
    if count:
        return changed
    brace = source.index("{")
    return source[: brace + 1] + f" rankdir={rankdir}" + source[brace + 1 :]


def choose_layout(
    source: str,
    layout: str = "auto",
    page: str | None = None,
    header: Sequence[str] = (),
    timeout: float | None = None,
) -> tuple[str, str]:
    """``(rankdir, svg)``: the layout to print ``source`` with, and its SVG.

    ``lr`` and ``tb`` are taken as asked; ``auto`` lays the picture out both ways and
    keeps the one that needs the fewest pages, then the least scaling, on ``page``
    (A4 when no page is given).

    Example:
        >>> chain = "digraph { rankdir=LR " + " -> ".join(f"n{k}" for k in range(12)) + " }"
        >>> choose_layout(chain, "auto", "a4")[0]
        'TB'
    """
    from viz.writers.graphviz_run import svg_of

    layout = check_layout(layout)
    wanted = ["LR", "TB"] if layout == "auto" else [layout.upper()]
    best = None
    for rankdir in wanted:
        svg = svg_of(with_rankdir(source, rankdir), timeout)
        p = placement_of(Sheet(svg, list(header)), page or "a4")
        key = (p.pages, -p.scale)
        if best is None or key < best[0]:
            best = (key, rankdir, svg)
    return best[1], best[2]


def with_caption(source: str, lines: Sequence[str]) -> str:
    """DOT ``source`` with ``lines`` as the picture's caption, above it (HTML-escaped).

    Example:
        >>> with_caption("digraph { a }", ["y = 2*x", "x < 1"])
        'digraph { labelloc=t labeljust=l label=<<B>y = 2*x</B><BR ALIGN="LEFT"/>x &lt; 1<BR ALIGN="LEFT"/>> a }'
    """
    from viz.escape import escape_html

    body = "".join(
        (f"<B>{escape_html(line)}</B>" if i == 0 else escape_html(line)) + '<BR ALIGN="LEFT"/>'
        for i, line in enumerate(lines)
    )
    source = re.sub(r"\blabel=<[^\n]*>\s*labelloc=t\s*labeljust=l\b", "", source)
    brace = source.index("{")
    caption = f" labelloc=t labeljust=l label=<{body}>"
    return source[: brace + 1] + caption + source[brace + 1 :]
