"""A drawing, or the drawing of a Value, written out: SVG text, a file of any format, TikZ.

These take what :func:`viz.draw` takes (a Value, with its options) or a drawing already
made (a ``graphviz`` graph or DOT source); the writers below them
(:mod:`viz.writers.graphviz_run`, :mod:`viz.writers.tikz`) see DOT source only.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import graphviz

from viz.drawing import draw
from viz.files import write_atomic
from viz.writers.fit import write_fitted
from viz.writers.graphviz_run import format_of, run_graphviz, svg_of, tikz_of, write_source
from viz.writers.page import (
    check_layout,
    check_page,
    choose_layout,
    with_caption,
    with_rankdir,
)
from viz.writers.tikz_page import tikz_pages


def source_of(graph_or_root: object, draw_kwargs: dict) -> str:
    """DOT source of a drawn graph, of DOT text, or of ``draw(root, **draw_kwargs)``.

    Example:
        >>> source_of("digraph { a -> b }", {})
        'digraph { a -> b }'
    """
    if isinstance(graph_or_root, graphviz.Digraph | graphviz.Graph):
        if draw_kwargs:
            raise TypeError(f"draw options {sorted(draw_kwargs)} need a Value, not a drawn graph")
        return graph_or_root.source
    if isinstance(graph_or_root, str):
        return graph_or_root
    return draw(graph_or_root, **draw_kwargs).source


def to_svg(graph_or_root: object, *, timeout: float | None = None, **draw_kwargs: object) -> str:
    """The drawing as SVG text (used for Jupyter and the stepper page).

    Example:
        >>> from autograd import Value
        >>> "<svg" in to_svg(Value(1.0, label="x") * 2)
        True
    """
    return svg_of(source_of(graph_or_root, draw_kwargs), timeout)


def render(
    graph_or_root: object,
    path: str | os.PathLike,
    *,
    timeout: float | None = None,
    page: str | None = None,
    layout: str | None = None,
    header: Sequence[str] = (),
    **draw_kwargs: object,
) -> Path:
    """Write a drawing (or the drawing of a Value) to ``path``; the suffix picks the format.

    ``.svg``, ``.png`` and ``.pdf`` always work (with the bundled ``graphviz-pure``,
    which has no PDF writer, its SVG is converted to a vector PDF with svglib and
    reportlab: selectable text, page sized to the picture); ``.dot``/``.gv`` write
    the DOT source; ``.tex`` writes a standalone TikZ picture (``viz.to_tikz``). Extra
    keyword arguments go to ``draw`` when given a Value. ``timeout`` bounds the layout
    (default 30 s, see :func:`viz.writers.graphviz_run.layout_timeout`). The file is
    written at once (:func:`viz.files.write_atomic`): a failure leaves an existing file
    as it was.

    Print-ready output: ``page="a4"`` or ``"letter"`` fits a ``.pdf`` (pages of that
    size) or ``.tex`` (a LaTeX document) to the paper, scaled or split over pages with
    the cut marked, text never under 7 pt (:mod:`viz.writers.page`). ``layout`` is
    ``"lr"``, ``"tb"`` or ``"auto"`` (the one needing the least scaling; the default
    with a page). ``header`` lines (a title, then the givens) are set above the picture.

    Example:
        >>> import tempfile, os
        >>> from autograd import Value
        >>> out = render(Value(2.0, label="x") * 3, os.path.join(tempfile.mkdtemp(), "g.svg"))
        >>> out.read_text().count("<svg")
        1
        >>> pdf = render(Value(2.0, label="x") * 3, os.path.join(tempfile.mkdtemp(), "g.pdf"),
        ...              page="letter")
        >>> b"/MediaBox [ 0 0 612 792 ]" in pdf.read_bytes()
        True
    """
    format_of(path)  # a wrong suffix is refused before any drawing
    page = check_page(page)
    layout = None if layout is None else check_layout(layout)
    source = source_of(graph_or_root, draw_kwargs)
    if page is None and layout is None and not header:
        return write_source(source, path, timeout)
    return write_fitted(source, path, page, layout, header, timeout)


def to_tikz(
    graph_or_root: object,
    path: str | os.PathLike | None = None,
    standalone: bool = True,
    *,
    page: str | None = None,
    layout: str | None = None,
    header: Sequence[str] = (),
    **draw_kwargs: object,
) -> str:
    r"""A standalone TikZ picture of a drawing (or of ``viz.draw(root)``); written to ``path``.

    The layout is the renderer's (``-Tjson``), so the picture matches the SVG.
    ``standalone=False`` gives just the ``tikzpicture`` (with its colour
    definitions) to ``\input`` into a document that loads tikz, amsmath, amssymb.
    ``page="a4"``/``"letter"`` gives a LaTeX article instead, the picture scaled to the
    page or split over pages with the cuts marked (as :func:`render` does for PDF);
    ``layout`` and ``header`` as for :func:`render`.

    Example:
        >>> from autograd import Value
        >>> w = Value(2.0, label="w1"); L = w * -3; L.label = "L"; L.backward()
        >>> tex = to_tikz(L)
        >>> tex.startswith("\\documentclass[tikz") and "$w_{1}$" in tex and "grad $-3$" in tex
        True
    """
    source = source_of(graph_or_root, draw_kwargs)
    page = check_page(page)
    if page is not None or layout is not None:
        source = with_rankdir(source, choose_layout(source, layout or "auto", page, header)[0])
    if page is not None:
        layout_json = json.loads(run_graphviz(source, "json").decode("utf-8"))
        tex = tikz_pages(layout_json, page, header)
    else:
        tex = tikz_of(with_caption(source, header) if header else source, standalone)
    if path is not None:
        out = Path(path)
        if not out.parent.exists():
            raise FileNotFoundError(f"directory {str(out.parent)!r} does not exist")
        write_atomic(out, tex)
    return tex
