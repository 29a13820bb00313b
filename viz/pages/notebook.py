"""The explorable page inside a notebook: ``viz.explore(root)`` shows it in the output cell.

The page is the one :func:`viz.explore_html` writes, held in memory: the notebook shows
it in an ``<iframe srcdoc=...>`` (its script runs in the frame, apart from the
notebook's), so nothing is written to disk. ``.save(path)`` writes it when wanted.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from autograd import Value
from viz.pages.explore import _write, page_data, page_html

FRAME_HEIGHT = 560  # pixels: the picture, the step panel and the controls without scrolling


class Explorer:
    """The explorable page of one graph, shown inline by Jupyter (``_repr_html_``).

    ``.html`` is the whole page; ``.save(path)`` writes it to a file.

    Example:
        >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
        >>> page = explore(y)
        >>> frame = page._repr_html_()
        >>> frame.startswith("<iframe") and "srcdoc=" in frame and "&quot;rootName&quot;" in frame
        True
    """

    def __init__(self, page: str, height: int = FRAME_HEIGHT) -> None:
        self.html = page
        self.height = height

    def _repr_html_(self) -> str:
        """An iframe whose ``srcdoc`` is the page (HTML-escaped, so it cannot leak out)."""
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
            f'style="width:100%;height:{int(self.height)}px;border:1px solid #d1d5db;'
            'border-radius:4px" sandbox="allow-scripts" '
            'title="chalkgrad: the graph and its backward pass"></iframe>'
        )

    def save(self, path: str | os.PathLike) -> Path:
        """Write the page to ``path`` (an ``.html`` file that works offline)."""
        return _write(path, self.html)

    def __repr__(self) -> str:
        return f"<Explorer: {len(self.html):,} characters of HTML; shown inline in notebooks>"


def explore(
    root: Value,
    precision: int = 4,
    seed: float = 1.0,
    max_nodes: int | None = None,
    title: str | None = None,
    height: int = FRAME_HEIGHT,
) -> Explorer:
    """The explorable page of the graph below ``root``, for a notebook: nothing is written.

    Takes the options of :func:`viz.explore_html`; ``height`` is the frame's height in
    pixels. The last expression of a cell shows the page; ``.save(path)`` writes it.

    Example:
        >>> import os
        >>> x = Value(2.0, label="x"); y = x * 3; y.label = "y"
        >>> before = set(os.listdir("."))
        >>> page = explore(y, title="times three")
        >>> "<title>times three</title>" in page.html, set(os.listdir(".")) == before
        (True, True)
    """
    data = page_data(root, precision, seed, max_nodes, title)
    return Explorer(page_html(data, "explore"), height)
