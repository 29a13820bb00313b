"""``stepper_html``: the page of :mod:`viz.pages.explore`, opened at the seed to step through backprop.

Prev/next buttons and the arrow keys move through the backward pass in the order
``backward()`` runs it. The active edge is highlighted and brought into view, each
node's gradient fills in as it accumulates (every box was laid out with the width
of the longest number it will show), and the chain-rule line is written out in a
panel that stays on screen. A collapsed (big) graph steps one edge between boxes
at a time, with the summed contribution and the rule written with box names; the
"step" menu steps through the scalars inside any box. No network access is needed.
"""

from __future__ import annotations

import os
from pathlib import Path

from autograd import Value
from viz.pages.explore import _write, page_data, page_html


def stepper_html(
    root: Value,
    path: str | os.PathLike,
    precision: int = 4,
    seed: float = 1.0,
    title: str | None = None,
    max_nodes: int | None = None,
) -> Path:
    """Write a self-contained page stepping through the backward pass from ``root``.

    The graph's own ``.grad`` values are neither read nor changed.

    Example:
        >>> import tempfile, os
        >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
        >>> page = stepper_html(y, os.path.join(tempfile.mkdtemp(), "steps.html"))
        >>> text = page.read_text(encoding="utf-8")
        >>> 'id=\\\\"e1_1\\\\"' in text, 'data-mode="steps"' in text, x.grad
        (True, True, 0.0)
    """
    return _write(path, page_html(page_data(root, precision, seed, max_nodes, title), "steps"))
