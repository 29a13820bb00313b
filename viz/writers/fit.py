"""Write a DOT picture print-ready: the layout chosen for the page, PDF pages or a LaTeX
document fitted to A4 or letter (see :mod:`viz.writers.page`), other formats captioned."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from viz.files import write_atomic
from viz.writers.graphviz_run import format_of, run_graphviz, write_source
from viz.writers.page import (
    Sheet,
    check_page,
    choose_layout,
    pages_pdf,
    with_caption,
    with_rankdir,
)
from viz.writers.tikz_page import tikz_pages


def write_fitted(
    source: str,
    path: str | os.PathLike,
    page: str | None,
    layout: str | None = None,
    header: Sequence[str] = (),
    timeout: float | None = None,
) -> Path:
    """Write DOT ``source`` to ``path`` in the layout asked for, fitted to ``page``.

    ``.pdf`` becomes pages of that size (scaled, or split with the cuts marked, text
    never under ``MIN_FONT`` pt; the header above the picture); ``.tex`` the same as a
    LaTeX document; other formats get the chosen layout with the header as the
    picture's caption. ``layout`` defaults to ``auto`` with a page, else as drawn.

    Example:
        >>> import tempfile
        >>> out = write_fitted("digraph { a -> b }", os.path.join(tempfile.mkdtemp(), "g.pdf"), "a4")
        >>> out.read_bytes().count(b"/MediaBox [ 0 0 595 842 ]")
        1
    """
    page = check_page(page)
    out = Path(path)
    fmt = format_of(out)
    if out.parent and not out.parent.exists():
        raise FileNotFoundError(f"directory {str(out.parent)!r} does not exist")
    if layout is None and page is None:
        rankdir = None
    else:
        rankdir, svg = choose_layout(source, layout or "auto", page, header, timeout)
        source = with_rankdir(source, rankdir)
    if page is not None and fmt == "pdf":
        return write_atomic(out, pages_pdf([Sheet(svg, list(header))], page))
    if page is not None and fmt == "tex":
        picture = json.loads(run_graphviz(source, "json", timeout).decode("utf-8"))
        return write_atomic(out, tikz_pages(picture, page, header))
    if header:
        source = with_caption(source, header)
    return write_source(source, out, timeout)
