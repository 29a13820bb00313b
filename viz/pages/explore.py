"""``explore_html``: one self-contained page to explore a graph and step through backprop.

Layout technique: every picture is laid out by Graphviz in Python before the
page is written, and embedded as SVG in the page's JSON block. The page shows the
picture ``draw`` makes (collapsed to boxes when the graph is big) and holds, for
each box, a pre-rendered picture of its scalars. Clicking a box opens it: the
page moves the rest of the picture aside with a piecewise-linear stretch of the
coordinates (nodes move, edges and clusters stretch) and places the box's
picture in the gap; clicking again closes it. All box pictures are laid out in
one renderer run. Nothing is fetched from the network: the style and the two
scripts are inlined from ``viz/pages/assets/`` (``picture.js``: pan, zoom, open and close
boxes; ``app.js``: node info, search, stepping), and the data is one JSON block
(:func:`page_data`), so another page can reuse the picture with its own app.

The page also steps through the backward pass (``stepper_html`` opens it in that
mode): scalar by scalar for a small graph, box edge by box edge for a collapsed
one, and scalar by scalar inside any box chosen in the "step inside" menu.

The gradients shown are those of a fresh backward pass from ``root`` seeded with
``seed`` (:func:`viz.steps.backward_steps`); the graph's ``.grad`` is not changed.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from autograd import Value
from autograd.limits import LimitError
from viz.drawing import write_picture
from viz.files import write_atomic
from viz.model.build import picture
from viz.model.groups import assign_paths
from viz.numbers import format_number, noise_scales
from viz.pages.page_data import box_steps, scalar_entries, step_entries
from viz.steps import BackwardSteps, backward_steps
from viz.writers.graphviz_run import run_graphviz
from viz.writers.scalar_dot import box_picture, grad_widths, scalar_picture

MAX_PAGE_NODES = 20_000  # scalars on one page (about 3 s and 2 MB); past it, draw a part
OPEN_LIMIT = 400  # scalars in one box picture; bigger boxes do not open on the page
OPEN_BUDGET = 4000  # scalars over all box pictures of one page, to keep writing it quick
ASSETS = Path(__file__).with_name("assets")


@contextmanager
def _grads_from(steps: BackwardSteps) -> Iterator[None]:
    """Show the page's own gradients in ``draw`` for the length of the block."""
    saved = [v.grad for v in steps.order]
    try:
        for v in steps.order:
            v.grad = steps.grad(v)
        yield
    finally:
        for v, g in zip(steps.order, saved):
            v.grad = g


def split_svgs(text: str) -> list[str]:
    """The ``<svg>`` documents of one renderer run over several graphs.

    Example:
        >>> split_svgs("<?xml?><svg a>1</svg>\\n<?xml?><svg b>2</svg>\\n")
        ['<svg a>1</svg>', '<svg b>2</svg>']
    """
    return re.findall(r"<svg\b.*?</svg>", text, re.S)


def svg_parts(svg: str, prefix: str) -> dict:
    """Width, height and the inner graph group of one SVG, its generated ids prefixed.

    Example:
        >>> svg_parts('<svg viewBox="0.00 0.00 10.50 20.00"><g id="graph0" class="graph">'
        ...           '<g id="edge1" class="edge"></g></g></svg>', "b3")
        {'w': 10.5, 'h': 20.0, 'svg': '<g id="b3graph0" class="graph"><g id="b3edge1" class="edge"></g></g>'}
    """
    box = re.search(r'viewBox="([-\d.\s]+)"', svg)
    if box is None:
        raise RuntimeError("the renderer returned an SVG without a viewBox")
    _, _, w, h = (float(x) for x in box.group(1).split())
    start, end = svg.find('<g id="graph0"'), svg.rfind("</svg>")
    if start < 0 or end < start:
        raise RuntimeError(
            f"cannot take the picture {prefix!r} out of the renderer's SVG: it has no "
            '<g id="graph0"> group (or no </svg>); the page would show an empty box'
        )
    inner = svg[start:end].strip()
    inner = re.sub(r'id="((?:graph|clust|node|edge)\d+)"', rf'id="{prefix}\1"', inner)
    # the page's own background shows through (an opened box has a tinted frame)
    inner = inner.replace(
        '<polygon fill="white" stroke="none"', '<polygon fill="none" stroke="none"', 1
    )
    return {"w": w, "h": h, "svg": inner}


def _span(values: list[float], precision: int, scales: list[float] | None = None) -> str:
    """``low … high`` of the finite values (``nan`` when there are none), noise as 0."""
    scales = scales or [None] * len(values)
    finite = [(x, scale) for x, scale in zip(values, scales) if x == x]
    if not finite:
        return "nan"
    (a, sa), (b, sb) = min(finite, key=lambda p: p[0]), max(finite, key=lambda p: p[0])
    low, high = format_number(a, precision, sa), format_number(b, precision, sb)
    return low if low == high else f"{low} … {high}"


def _render_all(pictures: list) -> list[dict]:
    if not pictures:
        return []
    source = "\n".join(p.source for p in pictures)
    svgs = split_svgs(run_graphviz(source, "svg").decode("utf-8"))
    if len(svgs) != len(pictures):
        raise RuntimeError(f"the renderer returned {len(svgs)} pictures for {len(pictures)} boxes")
    return [svg_parts(s, p.name) for s, p in zip(svgs, pictures)]


def page_data(
    root: Value,
    precision: int = 4,
    seed: float = 1.0,
    max_nodes: int | None = None,
    title: str | None = None,
) -> dict:
    """Everything the page shows, as one JSON-ready dict (pictures rendered).

    Example:
        >>> x = Value(3.0, label="x"); y = x * x + 1; y.label = "y"
        >>> d = page_data(y, precision=2)
        >>> d["collapsed"], [n[0] for n in d["nodes"]], d["steps"][0][:3]
        (False, ['x', 'mul#1', '1', 'y'], [3, 1, 0])
        >>> d = page_data(y, max_nodes=2)  # collapsed: one box per named tensor or node
        >>> [(b["name"], b["size"]) for b in d["boxes"]]
        [('x', 1), ('y', 3)]
        >>> x.grad  # the page computes its own gradients
        0.0
    """
    if not isinstance(precision, int) or isinstance(precision, bool) or not 1 <= precision <= 17:
        raise ValueError(
            f"precision (significant figures) must be an int in 1..17, got {precision!r}"
        )
    refuse_big_graph(root)
    steps = backward_steps(root, seed)
    order = steps.order
    totals = [format_number(s.total, precision, s.total_scale) for s in steps]
    data_scale, _ = noise_scales(order)
    data_text = [format_number(v.data, precision, data_scale[id(v)]) for v in order]
    grad_text = grad_widths(steps, totals, precision)
    options = {} if max_nodes is None else {"max_nodes": max_nodes}
    with _grads_from(steps):  # the boxes' grids show this pass's gradients
        model = picture(steps.root, **options)
        top = write_picture(model, precision=precision) if model.collapsed else None
    if [id(v) for v in model.order] != [id(v) for v in order]:
        raise RuntimeError("the picture and the backward steps disagree on the node order")
    box_ids = [b.id for b in model.boxes] if model.collapsed else []
    box_of = list(model.box_of) if model.collapsed else [-1] * len(order)
    boxes: list[dict] = []
    if top is not None:
        top_svg = run_graphviz(top.source, "svg").decode("utf-8")
        box_names = [b.name for b in model.boxes]
        members = [b.members for b in model.boxes]
        pictures, opened, budget = [], [], OPEN_BUDGET
        for b, idx in enumerate(members):
            why = ""
            if len(idx) == 1:
                why = "a single value"
            elif len(idx) > OPEN_LIMIT or len(idx) > budget:
                why = (
                    f"{len(idx)} scalars: too many to open on this page; draw it with "
                    f"draw(root, expand=[{box_names[b]!r}])"
                )
            else:
                budget -= len(idx)
                pictures.append(box_picture(steps, b, idx, box_of, box_names, data_text, grad_text))
                opened.append(b)
            boxes.append(
                {
                    "id": box_ids[b],
                    "name": box_names[b],
                    "size": len(idx),
                    "shape": list(model.boxes[b].shape) if model.boxes[b].shape else None,
                    "ops": list(model.boxes[b].ops),
                    "data": _span(
                        [order[k].data for k in idx],
                        precision,
                        [data_scale[id(order[k])] for k in idx],
                    ),
                    "grad": _span(
                        [steps.grad(order[k]) for k in idx],
                        precision,
                        [steps.grad_scales.get(id(order[k])) for k in idx],
                    ),
                    "picture": None,
                    "why": why,
                }
            )
        for b, parts in zip(opened, _render_all(pictures)):
            boxes[b]["picture"] = parts
    else:
        top = scalar_picture(steps, data_text, grad_text, assign_paths(order))
        top_svg = run_graphviz(top.source, "svg").decode("utf-8")
        box_names = []
    return {
        "title": title or f"{steps.name(steps.root)}: the graph and its backward pass",
        "rootName": steps.name(steps.root),
        "root": len(order) - 1,
        "seed": format_number(steps.seed, precision),
        "collapsed": model.collapsed,
        "picture": svg_parts(top_svg, "top"),
        "nodes": scalar_entries(steps, box_of, precision),
        "boxes": boxes,
        "steps": step_entries(steps, precision),
        "boxSteps": box_steps(steps, box_of, box_names, box_ids, precision)
        if model.collapsed
        else [],
    }


class PageTooBigError(LimitError):
    """A graph with more scalars than a page shows (:data:`MAX_PAGE_NODES`); a
    :class:`autograd.limits.LimitError`, so the command exits with status 2.

    Example:
        >>> isinstance(PageTooBigError("too big"), ValueError)
        True
    """


def refuse_big_graph(root: Value, limit: int | None = None) -> int:
    """The number of scalars below ``root``; :class:`PageTooBigError` past ``limit``.

    The message says how to draw a part: a page from a node nearer the inputs, or
    the whole graph as one collapsed picture.

    Example:
        >>> x = Value(1.0, label="x"); y = x * 2
        >>> refuse_big_graph(y)
        3
        >>> refuse_big_graph(y, limit=2)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        viz.pages.explore.PageTooBigError: the graph below mul#2 has 3 scalars; a page shows at most 2 ...
    """
    from autograd import topological_order
    from autograd.names import display_name

    if not isinstance(root, Value) and not hasattr(root, "values"):
        return 0  # not a graph: backward_steps says what it takes
    limit = MAX_PAGE_NODES if limit is None else limit
    order = topological_order(root)
    count = len(order)
    if count > limit:
        raise PageTooBigError(
            f"the graph below {display_name(order[-1], count - 1)} has {count:,} scalars; a page "
            f"shows at most {limit:,} (viz.pages.explore.MAX_PAGE_NODES). Draw a part: "
            "explore_html(node, path) for a Value nearer the inputs, or the whole graph "
            "collapsed into boxes as one picture: render(draw(root), 'graph.svg')"
        )
    return count


def _script_json(data: dict) -> str:
    # "<" escaped so no label can close the <script> element early
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def page_html(data: dict, mode: str = "explore") -> str:
    """The page for ``data`` (from :func:`page_data`): HTML, style, JSON and script inline.

    Example:
        >>> x = Value(2.0, label="x<1>"); y = x * 3
        >>> text = page_html(page_data(y))
        >>> "x<1>" in text, "x&lt;1&gt;" in text, "http://" in text.split("<script")[0]
        (False, True, False)
    """
    if mode not in ("explore", "steps"):
        raise ValueError(f"mode must be 'explore' or 'steps', got {mode!r}")
    template = (ASSETS / "page.html").read_text(encoding="utf-8")
    parts = {
        "TITLE": html.escape(data["title"]),
        "CSS": (ASSETS / "page.css").read_text(encoding="utf-8"),
        "JS": "\n".join((ASSETS / f).read_text(encoding="utf-8") for f in ("picture.js", "app.js")),
        "DATA": _script_json(data),
        "MODE": mode,
    }
    return re.sub(r"\{\{(TITLE|CSS|JS|DATA|MODE)\}\}", lambda m: parts[m.group(1)], template)


def explore_html(
    root: Value,
    path: str | os.PathLike,
    precision: int = 4,
    seed: float = 1.0,
    max_nodes: int | None = None,
    title: str | None = None,
) -> Path:
    """Write the explorable page of the graph below ``root`` to ``path``.

    Click a box to open it into its scalars (and again to close it); drag, wheel,
    pinch or the + − 0 and arrow keys pan and zoom; the search box finds a node by
    name; hovering or tapping a node shows its name, op, data, grad and the local
    derivative of each incoming edge. ``max_nodes`` goes to :func:`viz.draw`.

    Example:
        >>> import tempfile, os
        >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
        >>> page = explore_html(y, os.path.join(tempfile.mkdtemp(), "page.html"))
        >>> text = page.read_text(encoding="utf-8")
        >>> '"rootName":"y"' in text and 'id="page-data"' in text
        True
    """
    return _write(path, page_html(page_data(root, precision, seed, max_nodes, title), "explore"))


def _write(path: str | os.PathLike, text: str) -> Path:
    out = Path(path)
    if not out.parent.is_dir():
        raise FileNotFoundError(
            f"cannot write {str(out)!r}: folder {str(out.parent)!r} does not exist"
        )
    return write_atomic(out, text)
