"""Pictures on paper as LaTeX: the renderer's layout as TikZ, fitted to A4 or letter.

The placement is :mod:`viz.writers.page`'s (scaled, or cut into tiles with the cuts
marked, text never under 7 pt); each tile is a clipped copy of the TikZ picture that
:mod:`viz.writers.tikz` writes, scaled with ``\\scalebox``.
"""

from __future__ import annotations

from collections.abc import Sequence

from viz.writers.page import HEADER_GAP, MARGIN, check_page, header_height, plan
from viz.writers.tex_text import PREAMBLE_PACKAGES, tex_unicode


def tikz_pages(layout: dict, page: str, header: Sequence[str] = ()) -> str:
    r"""A LaTeX document of the renderer layout ``layout`` (``-Tjson``) on ``page`` paper.

    The same placement as the PDF: scaled to the page, or cut into tiles (each a
    clipped copy of the picture) with the cuts marked; the header above the first.

    Example:
        >>> import json
        >>> from viz.writers.graphviz_run import run_graphviz
        >>> layout = json.loads(run_graphviz("digraph { a -> b }", "json"))
        >>> tex = tikz_pages(layout, "letter", ["Worksheet"])
        >>> "letterpaper" in tex and "\\scalebox{1" in tex and "Worksheet" in tex
        True
    """
    from viz.writers.tikz import tikz_from_layout

    page = check_page(page)
    x0, y0, x1, y1 = (float(v) for v in layout.get("bb", "0,0,1,1").split(","))
    width, height = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    sizes = [float(op["size"]) for op in _ops(layout) if op.get("op") == "F"]
    font = min(sizes, default=14.0) * 0.9  # the TikZ writer sets text at 0.9 of the size
    placement = plan(width, height, font, page, header_height(header, page))
    picture = tikz_from_layout(layout, standalone=False)
    begin = picture.index("\\begin{tikzpicture}")
    colors, body = picture[:begin], picture[begin:]
    first_line, rest = body.split("\n", 1)
    s = placement.scale
    aw, ah = placement.area
    paper = {"a4": "a4paper", "letter": "letterpaper"}[page]
    landscape = ",landscape" if placement.page[0] > placement.page[1] else ""
    out = [
        "\\documentclass{article}\n\\usepackage{tikz}\n"
        + PREAMBLE_PACKAGES
        + f"\\usepackage[{paper}{landscape},margin={MARGIN:g}pt,includefoot=false]{{geometry}}\n"
        "\\pagestyle{empty}\n\\setlength{\\parindent}{0pt}\n\\begin{document}\n" + colors
    ]
    titles = [_plain(line) for line in header]
    pages = placement.pages
    for r in range(placement.rows):
        for c in range(placement.columns):
            if titles:
                out.append(f"{{\\large\\bfseries {titles[0]}}}\\par\n")
                if (r, c) == (0, 0):
                    out += [f"{{\\small {line}}}\\par\n" for line in titles[1:]]
                out.append(f"\\vspace{{{HEADER_GAP:g}pt}}\n")
            # the tile in picture coordinates (y grows upwards from the bottom)
            left, right = x0 + c * aw / s, min(x1, x0 + (c + 1) * aw / s)
            top, bottom = y1 - r * ah / s, max(y0, y1 - (r + 1) * ah / s)
            cuts = []
            if c + 1 < placement.columns:
                cuts.append(f"\\draw[dashed,red!60!black] ({right:.2f},{bottom:.2f}) -- "
                            f"({right:.2f},{top:.2f});")  # fmt: skip
            if r + 1 < placement.rows:
                cuts.append(f"\\draw[dashed,red!60!black] ({left:.2f},{bottom:.2f}) -- "
                            f"({right:.2f},{bottom:.2f});")  # fmt: skip
            out.append(
                f"\\scalebox{{{s:.4f}}}{{{first_line}\n"
                f"\\clip ({left:.2f},{bottom:.2f}) rectangle ({right:.2f},{top:.2f});\n"
                + rest.replace("\\end{tikzpicture}", "\n".join(cuts) + "\n\\end{tikzpicture}")
                + "}\\par\n"
            )
            number = r * placement.columns + c + 1
            if pages > 1:
                notes = [f"part {number} of {pages} (row {r + 1}, column {c + 1})"]
                if c + 1 < placement.columns:
                    notes.append(f"continues on page {number + 1} to the right")
                if r + 1 < placement.rows:
                    notes.append(f"continues on page {number + placement.columns} below")
                out.append("{\\footnotesize\\itshape " + "; ".join(notes) + "}\\par\n")
            out.append("\\newpage\n" if number < pages else "")
    return "".join(out) + "\\end{document}\n"


def _ops(layout: dict):
    for key in ("_draw_", "_ldraw_"):
        yield from layout.get(key, [])
    for item in layout.get("objects", []) + layout.get("edges", []):
        for key, ops in item.items():
            if key.endswith("draw_"):
                yield from ops


def _plain(line: str) -> str:
    r"""A header line as LaTeX text, written as typed (``d**2`` stays ``d**2``): special
    characters escaped, symbols such as ``∂`` in math mode.

    Example:
        >>> print(_plain("L = d**2; ∂L/∂L = 1 (x_1 & 50%)"))
        L = d**2; $\partial $L/$\partial $L = 1 (x\_1 \& 50\%)
    """
    from viz.writers.latex import _TEXT_ESCAPES, SYMBOLS

    return tex_unicode(
        "".join(_TEXT_ESCAPES.get(c) or (f"${SYMBOLS[c]}$" if c in SYMBOLS else c) for c in line)
    )
