"""The data behind the explorer/stepper page: scalars, boxes and steps as plain JSON.

The page (``viz/pages/explore.py`` writes it) reads one JSON block and a small script
draws nothing itself: every picture is laid out by Graphviz beforehand. This
module holds the part that needs no renderer:

- ``nodes``: one entry per scalar in topological order, ``[name, op, data, grad,
  box, parents, derivatives, locals]``; ``derivatives[i]`` is the registry formula of
  d node / d parents[i] with its value, e.g. ``"b = 3.0000"``, and ``locals[i]`` that
  local derivative's symbol, ``"∂(a * b)/∂a"`` (:func:`viz.steps.local_symbol`);
- ``steps``: the scalar backward pass of :func:`viz.steps.backward_steps`,
  ``[node, parent, input index, upstream, local, contribution, total, final]``;
- ``boxSteps``: the same pass told at box level when the picture is collapsed: one
  step per edge between two boxes, with the summed contribution and the rule.

Numbers are sent as formatted text, so the page shows exactly what the tables print.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd import FLOAT, Value
from viz.model.tensor_rule import tensor_rule
from viz.numbers import format_number, noise_scales
from viz.steps import BackwardSteps, local_symbol, step_rows

SHOWN_ELEMENTS = 6  # elements listed by name in a box step; the rest are summarised


def scalar_entries(steps: BackwardSteps, box_of: Sequence[int], precision: int) -> list[list]:
    """One JSON row per scalar of ``steps.order``: name, op, data, grad, box, parents, rules.

    ``box_of[k]`` is the index of the box holding scalar ``k`` (or -1).

    Example:
        >>> from viz.steps import backward_steps
        >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
        >>> scalar_entries(backward_steps(y), [-1, -1], 1)[1]
        ['y', '*', '9', '1', -1, [0, 0], ['x = 3', 'x = 3'], ['∂(x * x)/∂x', '∂(x * x)/∂x']]
    """
    f = lambda x: format_number(x, precision)
    index = {id(v): k for k, v in enumerate(steps.order)}
    data_scale, _ = noise_scales(steps.order)
    rows = []
    for k, v in enumerate(steps.order):
        derivatives, locals_ = [], []
        if v.parents:
            op = v.primitive
            local = op.partials(FLOAT, v.data, *[p.data for p in v.parents], *op.params)
            names = [steps.name(p) for p in v.parents]
            n = len(v.parents)
            derivatives = [f"{op.formula(i, n, names=names)} = {f(local[i])}" for i in range(n)]
            locals_ = [local_symbol(v, names[i], steps.names) for i in range(n)]
        rows.append(
            [
                steps.name(v),
                v.primitive.symbol if v.parents else "",
                format_number(v.data, precision, data_scale[id(v)]),
                steps.format(steps.grad(v), precision, node=v),
                box_of[k],
                [index[id(p)] for p in v.parents],
                derivatives,
                locals_,
            ]
        )
    return rows


def step_entries(steps: BackwardSteps, precision: int) -> list[list]:
    """The scalar steps as JSON rows (indices into ``steps.order``).

    Example:
        >>> from viz.steps import backward_steps
        >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
        >>> step_entries(backward_steps(y), 1)
        [[1, 0, 0, '1', '3', '3', '3', False], [1, 0, 1, '1', '3', '3', '6', True]]
    """
    index = {id(v): k for k, v in enumerate(steps.order)}
    # the numbers exactly as the printed table has them (viz.steps.step_rows)
    return [
        [
            index[id(s.node)],
            index[id(s.parent)],
            s.input_index,
            row[2],
            row[4],
            row[5],
            row[6],
            s.final,
        ]
        for s, row in zip(steps, step_rows(steps, precision))
    ]


def _summary(
    names: list[str],
    values: list[float],
    precision: int,
    sign: str = "",
    scales: list | None = None,
) -> str:
    scales = scales or [None] * len(values)
    shown = [
        f"{n} {sign}{format_number(x, precision, scale)}"
        for n, x, scale in zip(names[:SHOWN_ELEMENTS], values[:SHOWN_ELEMENTS], scales)
    ]
    more = len(values) - SHOWN_ELEMENTS
    if more > 0:
        finite = [(x, scale) for x, scale in zip(values, scales) if x == x]
        low = min(finite, key=lambda pair: pair[0]) if finite else None
        high = max(finite, key=lambda pair: pair[0]) if finite else None
        span = (
            f"{format_number(low[0], precision, low[1])} … "
            f"{format_number(high[0], precision, high[1])}"
            if finite
            else "nan"
        )
        shown.append(f"… {more} more (all {len(values)} in {span})")
    return "\n".join(shown)


def box_rule(
    steps: BackwardSteps,
    parts: list,
    box_names: Sequence[str],
    box_of: Sequence[int],
    index: dict[int, int],
) -> str:
    """The local rule of one box edge: the registry formulas written with box names.

    Example:
        >>> from viz.steps import backward_steps
        >>> w, x = Value(2.0, label="w"), Value(3.0, label="x"); y = w * x; y.label = "y"
        >>> s = backward_steps(y)
        >>> index = {id(v): k for k, v in enumerate(s.order)}
        >>> print(box_rule(s, [s[0]], ["W", "X", "y"], [0, 1, 2], index))
        ∂y/∂W = X
          ∂y/∂W = X  (1 scalar edge)
    """
    first = parts[0]
    src, dst = box_names[box_of[index[id(first.parent)]]], box_names[box_of[index[id(first.node)]]]
    name_of = lambda v: box_names[box_of[index[id(v)]]]
    formulas: dict[str, None] = {}
    names_of: dict[int, tuple[str, ...]] = {}
    seen: set[tuple] = set()
    for s in parts:
        node = s.node
        names = names_of.get(id(node))
        if names is None:
            names = names_of[id(node)] = tuple(name_of(p) for p in node.parents)
        key = (node.primitive.symbol, s.input_index, names)
        if key in seen:  # the layer's other outputs repeat the same rule
            continue
        seen.add(key)
        formulas.setdefault(node.primitive.formula(s.input_index, len(names), names=names), None)
        if len(formulas) > 3:
            break
    shown = list(formulas)[:3]
    rule = " or ".join(shown) + (" or …" if len(formulas) > 3 else "")
    count = f"{len(parts)} scalar edge{'s' if len(parts) != 1 else ''}"
    scalar = (
        f"∂{dst}/∂{src} = {rule}  ({count})"
        if len(parts) == 1
        else f"∂{dst}/∂{src} = {rule}, for each of the {count}"
    )
    size = sum(1 for b in box_of if b == box_of[index[id(first.node)]])
    one = shown[0] if len(formulas) == 1 else ""
    root = steps.name(steps.root)
    tensor = tensor_rule(parts, src, dst, name_of, one, size, root)
    if tensor is not None and dst == root:  # no ∂L/∂L factor: the seed shows in the numbers
        tensor = tensor.replace(f"∂{root}/∂{root} ⊙ ", "")
    return scalar if tensor is None else f"{tensor}\n  {scalar}"


def box_steps(
    steps: BackwardSteps,
    box_of: Sequence[int],
    box_names: Sequence[str],
    box_ids: Sequence[str],
    precision: int,
) -> list[dict]:
    """The backward pass at box level: one step per edge between two boxes.

    A box step sums the scalar steps from box ``to`` into box ``from``; steps are
    ordered by the scalar step that completes them. Each carries the upstream
    gradient (of ``to``), the summed contribution and running total per element of
    ``from``, and whether ``from``'s gradient is final afterwards.

    Example:
        >>> from viz.steps import backward_steps
        >>> w, x = Value(2.0, label="w"), Value(3.0, label="x"); y = w * x; y.label = "y"
        >>> s = backward_steps(y)
        >>> [(b["from"], b["to"], b["contribution"], b["final"])
        ...  for b in box_steps(s, [0, 1, 2], ["w", "x", "y"], ["g0", "g1", "g2"], 1)]
        [(0, 2, 'w += 3', True), (1, 2, 'x += 2', True)]
    """
    index = {id(v): k for k, v in enumerate(steps.order)}
    groups: dict[tuple[int, int], list] = {}
    last: dict[tuple[int, int], int] = {}
    for n, s in enumerate(steps):
        a, b = box_of[index[id(s.parent)]], box_of[index[id(s.node)]]
        if a == b or a < 0 or b < 0:
            continue
        groups.setdefault((a, b), []).append(s)
        last[(a, b)] = n
    ordered = sorted(groups, key=lambda key: last[key])
    remaining: dict[int, int] = {}
    for a, _ in ordered:
        remaining[a] = remaining.get(a, 0) + 1
    members: dict[int, list[Value]] = {}
    for k, v in enumerate(steps.order):
        if box_of[k] >= 0:
            members.setdefault(box_of[k], []).append(v)
    totals: dict[int, float] = {}
    total_scales: dict[int, float] = {}  # sizes of what each total was summed from
    out = []
    root_name = steps.name(steps.root)
    for a, b in ordered:
        parts = groups[(a, b)]
        contribution: dict[int, float] = {}
        sizes: dict[int, float] = {}
        for s in parts:
            contribution[id(s.parent)] = contribution.get(id(s.parent), 0.0) + s.contribution
            size = steps.grad_scales.get(id(s.node), 0.0) * abs(s.local)
            sizes[id(s.parent)] = sizes.get(id(s.parent), 0.0) + size
        for key, value in contribution.items():
            totals[key] = totals.get(key, 0.0) + value
            total_scales[key] = total_scales.get(key, 0.0) + sizes[key]
        remaining[a] -= 1
        receivers = [v for v in members[a] if id(v) in contribution]
        senders = members[b]
        out.append(
            {
                "from": a,
                "to": b,
                "edge": f"{box_ids[a]}->{box_ids[b]}",
                "count": len(parts),
                "time": last[(a, b)] + 1,
                "rule": box_rule(steps, parts, box_names, box_of, index),
                # the total ∂L/∂a; the box-level local derivative marked as such
                "line": f"∂{root_name}/∂{box_names[a]} += "
                + ("" if box_names[b] == root_name else f"∂{root_name}/∂{box_names[b]} · ")
                + f"(local ∂{box_names[b]}/∂{box_names[a]})",
                "upstream": _summary(
                    [steps.name(v) for v in senders],
                    [steps.grad(v) for v in senders],
                    precision,
                    scales=[steps.grad_scales.get(id(v)) for v in senders],
                ),
                "contribution": _summary(
                    [steps.name(v) for v in receivers],
                    [contribution[id(v)] for v in receivers],
                    precision,
                    "+= ",
                    scales=[sizes[id(v)] for v in receivers],
                ),
                "total": _summary(
                    [steps.name(v) for v in members[a]],
                    [totals.get(id(v), 0.0) for v in members[a]],
                    precision,
                    scales=[total_scales.get(id(v), 0.0) for v in members[a]],
                ),
                "final": remaining[a] == 0,
            }
        )
    return out
