"""Vector PDF from the renderer's SVG, for renderers that cannot write PDF themselves.

The bundled ``graphviz-pure`` writes SVG but no PDF. svglib reads that SVG into
a reportlab drawing, and reportlab writes it as PDF: paths stay paths and text
stays text (selectable, searchable, sharp at any zoom), on a page the size of the
picture. Both are pure-Python packages with wheels for Linux, macOS and Windows
(no system cairo or Graphviz). The text uses the standard PDF fonts (Helvetica,
Times); characters outside their Latin-1 set (σ, ∂, →) are drawn from the
standard Symbol font. A system Graphviz (``dot -Tpdf``) is used instead when present.
"""

from __future__ import annotations

import io
import logging


def svg_to_pdf(svg: str | bytes) -> bytes:
    """A one-page vector PDF of ``svg``, the page sized to the picture.

    Example:
        >>> from viz.writers.graphviz_run import run_graphviz
        >>> pdf = svg_to_pdf(run_graphviz('digraph { a -> b [label="x = -1"] }', "svg"))
        >>> pdf.startswith(b"%PDF-") and b"/Subtype /Image" not in pdf
        True
    """
    try:
        from reportlab.graphics import renderPDF
        from svglib.svglib import svg2rlg
    except ImportError as error:  # pragma: no cover - both are dependencies of chalkgrad
        raise RuntimeError(
            f"writing PDF without a system Graphviz needs svglib and reportlab ({error}): "
            "pip install svglib reportlab"
        ) from None
    data = svg.encode("utf-8") if isinstance(svg, str) else svg
    # svglib logs every SVG element it does not draw (Graphviz's <title> tooltips).
    logger = logging.getLogger("svglib.svglib")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        drawing = svg2rlg(io.BytesIO(data))
    finally:
        logger.setLevel(level)
    if drawing is None:
        raise ValueError("svglib could not read the SVG (not an <svg> document?)")
    out = io.BytesIO()
    renderPDF.drawToFile(drawing, out, autoSize=1)
    return out.getvalue()
