"""DOT for the page's scalar pictures: every node named, grad cells laid out at full width.

The explorer/stepper page needs scalar pictures it can drive: each box a known
element id (``s{k}``, its op ``s{k}op``, the edge into input ``i`` ``e{k}_{i}``),
every node titled with the name the chain-rule lines use (``mul#2``, ``1``), and
the grad cell laid out with the widest text the stepper will write into it, so no
number overflows its box. A box's picture also shows where its inputs come from
(small grey stubs) and where its outputs go.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import graphviz

from autograd import Value
from viz.model.boxes import finite, role
from viz.model.groups import Path, parse_label
from viz.steps import BackwardSteps
from viz.writers.clusters import ClusterTree
from viz.writers.dot import layout_attrs, op_node
from viz.writers.labels import COLORS, html_label, scalar_table
from viz.writers.scalar_layout import chain_groups, write_chains

STUB_COLOR = "#f3f4f6"
STUBS_PER_SOURCE = 12  # above this many inputs from one box, draw one stub for the box


def new_picture(name: str) -> graphviz.Digraph:
    """An empty left-to-right picture with chalkgrad's node and edge style.

    Example:
        >>> "rankdir=LR" in new_picture("p").source
        True
    """
    picture = graphviz.Digraph(name=name, graph_attr={"rankdir": "LR", "fontsize": "12"})
    picture.node_attr.update(shape="plain", fontname="Helvetica", fontsize="11")
    picture.edge_attr.update(fontname="Helvetica", fontsize="9", color="#4b5563")
    return picture


def bounded(picture: graphviz.Digraph) -> graphviz.Digraph:
    """``picture`` with the layout limits ``draw`` uses for its size (see ``viz.dot``).

    Example:
        >>> p = new_picture("p")
        >>> for k in range(400): p.edge("hub", f"n{k}")
        >>> bounded(p).graph_attr["concentrate"], p.graph_attr["mclimit"]
        ('true', '0.1')
    """
    source = picture.source
    edges = re.findall(r"^\s*(\S+) -> ", source, re.M)
    nodes = len(re.findall(r"^\s*\S+ \[label=", source, re.M)) or len(set(edges))
    fan_out = max(Counter(edges).values(), default=0)
    picture.graph_attr.update(layout_attrs(nodes, len(edges), fan_out))
    return picture


def grad_widths(steps: BackwardSteps, texts: Sequence[str], precision: int) -> list[str]:
    """Each node's final grad text padded to the widest running total it will show.

    ``texts[j]`` is step ``j``'s running total as the page writes it.

    Example:
        >>> from viz.steps import backward_steps
        >>> x = Value(-3.0, label="x"); y = x * x; y.label = "y"
        >>> s = backward_steps(y)
        >>> grad_widths(s, ["-3", "-6"], 1) == ["-6", "1"]
        True
    """
    index = {id(v): k for k, v in enumerate(steps.order)}
    widest = [0] * len(steps.order)
    for s, text in zip(steps, texts):
        k = index[id(s.parent)]
        widest[k] = max(widest[k], len(text))
    out = []
    for k, v in enumerate(steps.order):
        final = steps.format(steps.grad(v), precision, node=v)
        out.append(final + " " * max(0, widest[k] - len(final)))
    return out


def add_scalar(
    target: graphviz.Digraph, k: int, v: Value, name: str, data: str, grad: str, is_root: bool
) -> None:
    """Add scalar ``k`` as ``s{k}`` (and its op ellipse ``s{k}op``) to ``target``.

    Example:
        >>> p = new_picture("p")
        >>> add_scalar(p, 0, Value(2.0, label="x"), "x", "2.0", "0.5", False)
        >>> 'id=s0' in p.source and "grad 0.5" in p.source
        True
    """
    is_finite = finite(v)
    kind = role([v], {id(v)} if is_root else set())  # output, parameter, input, ...
    color = COLORS[kind] if is_finite else COLORS["nonfinite"]
    cells = [f"data {data}", f"grad {grad}"] + ([] if is_finite else ["non-finite!"])
    target.node(
        f"s{k}",
        scalar_table(name, cells, color, border_color="#374151" if is_finite else "#dc2626"),
        id=f"s{k}",
    )
    if v.parents:
        op_node(target, f"s{k}op", v.primitive.symbol)
        target.edge(f"s{k}op", f"s{k}", id=f"s{k}out")


def scalar_picture(
    steps: BackwardSteps,
    data: Sequence[str],
    grads: Sequence[str],
    paths: Sequence[Path] | None = None,
) -> graphviz.Digraph:
    """Every scalar of ``steps.order`` with its op, in clusters by ``paths``.

    Example:
        >>> from viz.steps import backward_steps
        >>> x = Value(3.0, label="x"); y = x * 2
        >>> s = backward_steps(y)
        >>> p = scalar_picture(s, ["3", "2", "6"], ["2", "3", "1"])
        >>> p.source.count("id=e2_"), "<B>mul#2</B>" in p.source
        (2, True)
    """
    picture = new_picture("chalkgrad")
    index = {id(v): k for k, v in enumerate(steps.order)}
    clusters = ClusterTree(picture)
    for k, v in enumerate(steps.order):
        target = clusters.graph_for(paths[k]) if paths is not None else picture
        add_scalar(target, k, v, steps.name(v), data[k], grads[k], v is steps.root)
    for k, v in enumerate(steps.order):
        for i, p in enumerate(v.parents):
            picture.edge(f"s{index[id(p)]}", f"s{k}op", id=f"e{k}_{i}")
    _index_order(clusters, steps, range(len(steps.order)), paths)
    clusters.close()
    return bounded(picture)


def _index_order(
    clusters: ClusterTree,
    steps: BackwardSteps,
    members: Sequence[int],
    paths: Sequence[Path] | None,
) -> None:
    """Each tensor's elements as a column in index order (see ``viz/writers/scalar_layout.py``)."""
    order = steps.order
    index = {id(v): k for k, v in enumerate(order)}
    entries, linked = [], set()
    for k in members:
        parts = parse_label(order[k].label)
        entries.append((paths[k] if paths is not None else (), parts.tensor, parts.index, f"s{k}"))
        linked.update((f"s{index[id(p)]}", f"s{k}") for p in order[k].parents)
    for cluster, ids in chain_groups(entries, linked):
        write_chains(clusters.graph_for(cluster), ids)
        clusters.root.graph_attr["remincross"] = "false"


def box_picture(
    steps: BackwardSteps,
    box: int,
    members: Sequence[int],
    box_of: Sequence[int],
    box_names: Sequence[str],
    data: Sequence[str],
    grads: Sequence[str],
) -> graphviz.Digraph:
    """The scalars of one box, with stubs for the inputs from and outputs to other boxes.

    An input from another box is a grey stub ``b{box}s{k}`` showing that scalar's name
    and data (one stub per source box when it sends more than ``STUBS_PER_SOURCE``).

    Example:
        >>> from viz.steps import backward_steps
        >>> w, x = Value(2.0, label="w"), Value(3.0, label="x"); y = w * x
        >>> s = backward_steps(y)
        >>> p = box_picture(s, 1, [2], [0, 0, 1], ["inputs", "out"], "236", "321")
        >>> "id=b1s0" in p.source and "id=e2_1" in p.source
        True
    """
    order = steps.order
    index = {id(v): k for k, v in enumerate(order)}
    picture = new_picture(f"box{box}")
    inside = set(members)
    for k in members:
        v = order[k]
        add_scalar(picture, k, v, steps.name(v), data[k], grads[k], v is steps.root)
    external: dict[int, list[int]] = {}
    for k in members:
        for p in order[k].parents:
            j = index[id(p)]
            if j not in inside:
                external.setdefault(box_of[j], [])
                if j not in external[box_of[j]]:
                    external[box_of[j]].append(j)
    stub_of: dict[int, str] = {}
    for source, scalars in external.items():
        if len(scalars) > STUBS_PER_SOURCE:
            stub = f"b{box}from{source}"
            label = f"{box_names[source] if source >= 0 else 'inputs'} ({len(scalars)} values)"
            picture.node(stub, scalar_table(label, [], STUB_COLOR, border_color="#9ca3af"), id=stub)
            stub_of.update((j, stub) for j in scalars)
            continue
        for j in scalars:
            stub_of[j] = f"b{box}s{j}"
            picture.node(
                stub_of[j],
                scalar_table(
                    steps.name(order[j]), [f"data {data[j]}"], STUB_COLOR, border_color="#9ca3af"
                ),
                id=stub_of[j],
            )
    for k in members:
        for i, p in enumerate(order[k].parents):
            j = index[id(p)]
            picture.edge(f"s{j}" if j in inside else stub_of[j], f"s{k}op", id=f"e{k}_{i}")
    consumers: dict[int, set[int]] = {}
    for k, v in enumerate(order):
        if k not in inside:
            for p in v.parents:
                j = index[id(p)]
                if j in inside:
                    consumers.setdefault(box_of[k], set()).add(j)
    tree = ClusterTree(picture)
    _index_order(tree, steps, members, None)
    tree.close()
    for target, sources in consumers.items():
        stub = f"b{box}to{target}"
        picture.node(
            stub,
            html_label(f"→ {box_names[target]}"),
            shape="box",
            style="rounded,dashed",
            color="#9ca3af",
            fontsize="10",
            id=stub,
        )
        for j in sorted(sources):
            picture.edge(f"s{j}", stub, style="dashed", color="#9ca3af")
    return bounded(picture)
