"""A drawing, or the drawing of a Value, written out: SVG text, a file of any format, TikZ.

These take what :func:`viz.draw` takes (a Value, with its options) or a drawing already
made (a ``graphviz`` graph or DOT source); the writers below them
(:mod:`viz.writers.graphviz_run`, :mod:`viz.writers.tikz`) see DOT source only.
"""

from __future__ import annotations

import os
from pathlib import Path

import graphviz

from viz.drawing import draw
from viz.files import write_atomic
from viz.writers.graphviz_run import format_of, svg_of, tikz_of, write_source


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

    Example:
        >>> import tempfile, os
        >>> from autograd import Value
        >>> out = render(Value(2.0, label="x") * 3, os.path.join(tempfile.mkdtemp(), "g.svg"))
        >>> out.read_text().count("<svg")
        1
    """
    format_of(path)  # a wrong suffix is refused before any drawing
    return write_source(source_of(graph_or_root, draw_kwargs), path, timeout)


def to_tikz(
    graph_or_root: object,
    path: str | os.PathLike | None = None,
    standalone: bool = True,
    **draw_kwargs: object,
) -> str:
    r"""A standalone TikZ picture of a drawing (or of ``viz.draw(root)``); written to ``path``.

    The layout is the renderer's (``-Tjson``), so the picture matches the SVG.
    ``standalone=False`` gives just the ``tikzpicture`` (with its colour
    definitions) to ``\input`` into a document that loads tikz, amsmath, amssymb.

    Example:
        >>> from autograd import Value
        >>> w = Value(2.0, label="w1"); L = w * -3; L.label = "L"; L.backward()
        >>> tex = to_tikz(L)
        >>> tex.startswith("\\documentclass[tikz") and "$w_{1}$" in tex and "grad $-3$" in tex
        True
    """
    tex = tikz_of(source_of(graph_or_root, draw_kwargs), standalone)
    if path is not None:
        out = Path(path)
        if not out.parent.exists():
            raise FileNotFoundError(f"directory {str(out.parent)!r} does not exist")
        write_atomic(out, tex)
    return tex
