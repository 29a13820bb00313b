"""Which part of a graph a page or a quiz works on: one output, or one box of a big graph.

The pages and quizzes step through backprop from one scalar output. A picture of several
outputs (a layer seeded with its upstream gradient, two functions side by side) gets one
output that stands for all of them: ``out = Σ seed_i · output_i`` gives every node the
gradient the picture shows. A graph too big to practise on whole gets a part: the
scalars of a named box (``attn.A``, a time step ``h_3``), one of which becomes the output.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd import Value, topological_order
from viz.model.build import as_roots
from viz.model.names import node_names
from viz.practice.quiz import MAX_QUESTIONS, count_blanks

OUTPUT_NAME = "out"


def one_output(roots: object) -> Value:
    """A single scalar output for ``roots``: the root itself, or ``Σ seed_i · root_i``.

    Each root's current gradient is its seed (1 when it was never set), so the new
    output gives every node below the gradient a drawing of all the roots shows.

    Example:
        >>> a = Value(2.0, label="a"); y1 = a * 3; y2 = a * a
        >>> y1.grad, y2.grad = 1.0, 0.5
        >>> out = one_output([y1, y2]); out.label, out.data
        ('out', 8.0)
        >>> from viz.steps import backward_steps
        >>> backward_steps(out).grad(a)  # 1·3 + 0.5·2a
        5.0
    """
    values = as_roots(roots)
    if len(values) == 1:
        return values[0]
    seeds = [r.grad if r.grad != 0.0 else 1.0 for r in values]
    total = values[0] * seeds[0] if seeds[0] != 1.0 else values[0]
    for r, s in zip(values[1:], seeds[1:]):
        total = total + (r * s if s != 1.0 else r)
    total.label = OUTPUT_NAME
    return total


def part_names(root: Value, limit: int = MAX_QUESTIONS) -> list[tuple[str, int]]:
    """Boxes of ``root``'s picture small enough to practise on: ``(name, blanks)``, most
    blanks first (a box is practised through its element with the most blanks).

    Example:
        >>> x = Value(1.0, label="x"); h = (x * 2).tanh(); h.label = "h"; L = h * h
        >>> part_names(L, limit=5)
        [('h', 2), ('mul#2', 1)]
    """
    from viz.model.build import picture

    model = picture(root)
    found = []
    for box in model.boxes:
        scalars = _elements(model, box)
        if not scalars or any(model.order[k] is root for k in box.members):
            continue
        best = _best_element(scalars, limit)
        if best is not None and best[0] > 0:
            found.append((box.name, best[0]))
    return sorted(found, key=lambda item: -item[1])


def _elements(model, box) -> list[Value]:
    """The computed scalars a box stands for: its own elements (``A[7,3]``) when it has
    any, else every computed node folded into it (``exp#40``)."""
    computed = [k for k in box.members if model.order[k].parents]
    own = [k for k in computed if box.name in (model.members[k].base, model.members[k].name)]
    return [model.order[k] for k in (own or computed)]


def _best_element(scalars: Sequence[Value], limit: int) -> tuple[int, Value] | None:
    """The element with the most blanks that still fits ``limit`` (None if none fits)."""
    best = None
    for v in scalars[-64:]:  # the last elements of a box are the most downstream
        blanks = count_blanks(v)
        if blanks <= limit and (best is None or blanks > best[0]):
            best = (blanks, v)
    return best


def part_below(root: object, name: str, limit: int = MAX_QUESTIONS) -> tuple[Value, str]:
    """The output to practise on for ``name``: a node of that name, or the element of the box
    of that name with the most blanks that fit ``limit``. Returns it and its name.

    Example:
        >>> x = Value(1.0, label="x"); h = (x * 2).tanh(); h.label = "h"; L = h * h
        >>> part_below(L, "h")[1]
        'h'
    """
    from viz.model.build import picture

    roots = as_roots(root)
    order = topological_order(roots)
    names = node_names(order)
    for v in order:
        if names[id(v)] == name:
            return v, name
    model = picture(roots)
    # "attn.A" also finds a box called "A" (or "head.attn.A"): the last part decides,
    # when just one box has it
    last = lambda text: text.rsplit(".", 1)[-1]
    alike = [b for b in model.boxes if last(b.name) == last(name)]
    try:
        box = model.box(name) if len(alike) != 1 else alike[0]
    except KeyError:
        boxes = [b.name for b in model.boxes if any(model.order[k].parents for k in b.members)]
        raise ValueError(
            f"--root {name}: no box or node of this graph has that name (boxes: "
            f"{', '.join(boxes[:20])}{', …' if len(boxes) > 20 else ''})"
        ) from None
    scalars = _elements(model, box)
    if not scalars:
        raise ValueError(f"--root {name}: the box holds given values only; nothing to work out")
    best = _best_element(scalars, limit)
    if best is None:  # none fits: the smallest part of the box
        best = min(((count_blanks(v), v) for v in scalars[-64:]), key=lambda item: item[0])
    return best[1], names[id(best[1])]
