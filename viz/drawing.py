"""``draw``: a computation graph as a Graphviz picture with data and gradients.

``draw`` builds the picture model (:func:`viz.model.build.picture`: boxes, names,
edges) and writes it as DOT (:mod:`viz.writers.dot`). Each Value is a box
``name | data | grad``; the op that made it is a small ellipse in front of it (as in
micrograd's trace graph); there is one edge per parent entry, so ``x * x`` has two.
Above ``max_nodes`` scalars the picture collapses by structure: one box per named
tensor, module output or time step (see ``viz/model/collapse.py``), and says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import graphviz

from autograd import Value, topological_order
from viz.model.build import DEFAULT_MAX_NODES, Picture, as_roots, highlighted, picture
from viz.writers.dot import layout_attrs, write_boxes, write_scalars
from viz.writers.labels import html_label

COMPACT_ABOVE = 1000
HIDEABLE = ("data", "grad")
NOT_COMPUTED = "gradients not computed yet: run backward() first (grad shows —)"

__all__ = ["GraphPicture", "draw", "as_roots", "highlighted", "grads_computed", "node_name"]


class GraphPicture(graphviz.Digraph):
    """A ``graphviz.Digraph`` that renders itself with chalkgrad's renderer in Jupyter.

    Extra attributes: ``order`` (the drawn Values in topological order), ``node_ids``
    (``id(value)`` -> DOT node name), ``collapsed`` and ``grads_computed``.

    Example:
        >>> x = Value(2.0, label="x"); y = x * 3; y.backward()
        >>> picture = draw(y)
        >>> isinstance(picture, GraphPicture), picture.collapsed, picture.grads_computed
        (True, False, True)
        >>> picture._repr_svg_().lstrip().startswith(("<?xml", "<svg", "<!--"))
        True
    """

    def _repr_svg_(self) -> str:
        """The picture as SVG text: Jupyter calls this to show it inline. It scales down to
        the cell's width (``max-width: 100%``, the height following)."""
        import re

        from viz.writers.graphviz_run import svg_of

        return re.sub(r"<svg\b", f'<svg style="{FIT_STYLE}"', svg_of(self.source), count=1)

    def _repr_html_(self) -> str:
        """The SVG scaled to the cell's width, with a toggle to see it at full size."""
        return fit_to_cell(self._repr_svg_())

    def _repr_mimebundle_(
        self, include: object = None, exclude: object = None, **kwargs: object
    ) -> dict[str, str]:
        """Jupyter's rich display: the picture fitted to the cell (HTML), and the SVG
        itself (graphviz's own display would need a system dot)."""
        svg = self._repr_svg_()
        return {"text/html": fit_to_cell(svg), "image/svg+xml": svg}


_CELL_COUNT = [0]
FIT_STYLE = "max-width: 100%; height: auto"  # a notebook cell's width, never wider


def fit_to_cell(svg: str) -> str:
    """HTML showing ``svg`` at most as wide as the notebook cell (``max-width: 100%``), with a
    "full size" toggle (a checkbox and CSS: no script, so it works in untrusted notebooks).

    Example:
        >>> html = fit_to_cell('<svg width="2000pt" height="90pt" viewBox="0 0 2000 90"></svg>')
        >>> "max-width: 100%" in html and "full size" in html
        True
    """
    import re

    _CELL_COUNT[0] += 1
    key = f"chalkgrad-fit-{_CELL_COUNT[0]}"
    svg = re.sub(r"<\?xml[^>]*>|<!DOCTYPE[^>]*>", "", svg, flags=re.S).strip()
    if FIT_STYLE not in svg:
        svg = re.sub(r"<svg\b", f'<svg style="{FIT_STYLE}"', svg, count=1)
    return (
        f'<div class="chalkgrad-picture"><style>#{key}:checked ~ div svg '
        "{max-width:none !important}</style>"
        f'<input type="checkbox" id="{key}" style="display:none">'
        f'<label for="{key}" style="cursor:pointer;font:12px sans-serif;color:#2563eb">'
        "fit to the cell / full size (click)</label>"
        f'<div style="overflow:auto">{svg}</div></div>'
    )


def grads_computed(order: Sequence[Value]) -> bool:
    """False when every gradient is exactly 0.0: backward has (almost surely) not run.

    Example:
        >>> x = Value(2.0); y = x * x
        >>> grads_computed([x, y])
        False
        >>> y.backward(); grads_computed([x, y])
        True
    """
    return any(v.grad != 0.0 for v in order)


def node_name(v: Value) -> str:
    """The title drawn for a node: its label, or nothing for unlabelled nodes.

    Example:
        >>> node_name(Value(1.0, label="w")), node_name(Value(1.0))
        ('w', '')
    """
    return v.label if v.label is not None else ""


def draw(
    roots: object,
    *,
    precision: int = 4,
    max_nodes: int = DEFAULT_MAX_NODES,
    expand: Iterable[str] = (),
    groups: Mapping[str, object] | None = None,
    steps: Sequence[str] | None = None,
    highlight: object = None,
    derivatives: bool = False,
    show_grad: bool = True,
    symbols: Mapping | None = None,
    rankdir: str = "LR",
    title: str | None = None,
    compact: bool | None = None,
    hide: Iterable[str] = (),
    answers: bool = False,
) -> GraphPicture:
    """Draw the graph below ``roots`` with each node's name, data and grad.

    - ``precision``: significant figures (rounding noise next to 0 is drawn as 0).
    - ``max_nodes``: up to this many scalar nodes every scalar is drawn; above it the
      picture collapses by structure to at most ``max_nodes`` boxes (named tensors,
      module outputs, time steps; see ``viz/model/collapse.py``). ``expand=["conv.out"]``
      opens boxes (or labelled nodes) into their scalars; an unknown name is a ValueError.
    - ``groups={"encoder": [Values or Tensors]}`` adds explicit clusters; labels add
      tensor (``W[0,1]``), module (``fc.weight[..]``) and time-step (``h_3``) clusters;
      ``steps=["h"]`` forces time steps for ``h[t]`` labels.
    - ``highlight``: a Value or label; the paths from it to the roots are drawn red
      (in a collapsed picture: the boxes and box edges on those paths).
    - ``derivatives=True``: each edge shows its local derivative (formula = value).
    - ``symbols``: mapping for ``autograd.symbolic`` to add symbolic values and grads.
    - ``compact``: write the op inside the value box instead of a separate op node
      (halves the layout work); by default on above ``COMPACT_ABOVE`` nodes.
    - ``hide=("grad",)`` / ``("data",)`` / both: a worksheet, each hidden number drawn as
      an empty cell to fill in (``data`` is hidden for computed nodes only: leaves keep
      their given values; the output's gradient, the seed, and the constants' are never
      hidden). ``answers=True`` draws the worksheet's key: the same cells, same layout,
      holding the numbers in red.

    The returned picture carries the model it was written from as ``.model``
    (a :class:`viz.model.picture.Picture`).

    Example:
        >>> x = Value(3.0, label="x")
        >>> y = x * x; y.label = "y"
        >>> y.backward()
        >>> g = draw(y)
        >>> g.source.count("-> v1op")  # x*x: two edges into the multiplication
        2
        >>> "grad 6" in g.source
        True
    """
    if not isinstance(precision, int) or isinstance(precision, bool) or not 1 <= precision <= 17:
        raise ValueError(
            f"precision (significant figures) must be an int in 1..17, got {precision!r}"
        )
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be one of LR TB RL BT, got {rankdir!r}")
    hidden = _check_hide(hide)
    model = picture(
        roots, max_nodes=max_nodes, expand=expand, groups=groups, steps=steps, highlight=highlight
    )
    return write_picture(
        model,
        precision=precision,
        derivatives=derivatives,
        show_grad=show_grad,
        symbols=symbols,
        rankdir=rankdir,
        title=title,
        compact=compact,
        hide=hidden,
        answers=answers,
    )


def _check_hide(hide: Iterable[str]) -> tuple[str, ...]:
    hide = (hide,) if isinstance(hide, str) else tuple(hide)
    for item in hide:
        if item not in HIDEABLE:
            raise ValueError(
                f"hide: unknown cell {item!r}; cells that can be hidden: " + ", ".join(HIDEABLE)
            )
    return hide


def write_picture(
    model: Picture,
    *,
    precision: int = 4,
    derivatives: bool = False,
    show_grad: bool = True,
    symbols: Mapping | None = None,
    rankdir: str = "LR",
    title: str | None = None,
    compact: bool | None = None,
    hide: Iterable[str] = (),
    answers: bool = False,
) -> GraphPicture:
    """The DOT drawing of a picture model (``draw`` is ``picture`` followed by this).

    Example:
        >>> x = Value(2.0, label="x"); y = x * 3; y.backward()
        >>> write_picture(picture(y), precision=1).source.count("data 6<")
        1
    """
    order = model.order
    graph = GraphPicture(name="chalkgrad", graph_attr={"rankdir": rankdir, "fontsize": "12"})
    graph.node_attr.update(shape="plain", fontname="Helvetica", fontsize="11")
    graph.edge_attr.update(fontname="Helvetica", fontsize="9", color="#4b5563")
    graph.order = order
    graph.model = model
    graph.grads_computed = model.grads_computed
    graph.collapsed = model.collapsed
    graph.node_ids = {id(v): model.boxes[model.box_of[k]].id for k, v in enumerate(order)}
    notes = [title] if title else []
    notes += model.notes
    grads = show_grad and model.grads_computed
    if model.collapsed:
        if "data" in hide:
            raise ValueError(
                f"hide=('data',) needs a picture of scalars, but this one is "
                f"collapsed ({len(order)} nodes): raise max_nodes"
            )
        n_nodes = len(model.boxes)
        write_boxes(graph, model, precision, grads and "grad" not in hide)
    else:
        sym = _symbolic_rows(model.roots, symbols) if symbols is not None else None
        if compact is None:
            compact = len(order) > COMPACT_ABOVE
        n_nodes = len(order) + (0 if compact else sum(1 for v in order if v.parents))
        write_scalars(graph, model, precision, grads, derivatives, sym, compact, hide, answers)
    fan_out: dict[str, int] = {}
    for e in model.edges:
        fan_out[e.src] = fan_out.get(e.src, 0) + 1
    graph.graph_attr.update(
        layout_attrs(n_nodes, len(model.edges), max(fan_out.values(), default=0))
    )
    if graph.graph_attr.get("concentrate"):
        notes.append("edges leaving one node are bundled (concentrate) to keep the layout fast")
    if not model.grads_computed and show_grad and "grad" not in hide:
        notes.append(NOT_COMPUTED)
    if notes:
        graph.attr(label=html_label("\n".join(notes)), labelloc="t", labeljust="l")
    return graph


def _symbolic_rows(roots: list[Value], symbols: Mapping) -> dict[int, tuple[str, str]]:
    from autograd.symbolic import symbolic  # optional: needs sympy

    # every root at once: each gradient is the sum over all roots (seeded with 1 each)
    result = symbolic(roots, symbols)
    rows = {}
    for v in topological_order(roots):
        value = result.value.get(v) if hasattr(result.value, "get") else result.value[v]
        grad = result.grad.get(v) if hasattr(result.grad, "get") else result.grad[v]
        rows[id(v)] = (_short(value), _short(grad))
    return rows


def _short(expr: object, limit: int = 60) -> str:
    from autograd.symbolic import display_text  # indicators as 1{...}, not Piecewise

    text = "" if expr is None else display_text(expr)
    return text if len(text) <= limit else text[: limit - 1] + "…"
