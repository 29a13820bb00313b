"""The picture model: which boxes a drawing has, their names, members, summaries and edges.

:func:`picture` walks the graph once and returns a :class:`Picture`, a plain data
structure; ``draw`` (DOT) and the pages are writers over it, and ``to_dict()`` gives
its JSON form. A graph of at most ``max_nodes`` scalars draws every scalar (one box
each, one edge per parent entry); a bigger one collapses by structure
(``viz/model/collapse.py``) to the finest level with at most ``max_nodes`` boxes.

Example:
    >>> from autograd import Tensor
    >>> W = Tensor([[1.0, 2.0], [3.0, 4.0]], label="fc.weight")
    >>> y = (W @ Tensor([1.0, -1.0], label="x")).name("fc.out").sum().name("loss")
    >>> y.backward()
    >>> p = picture(y, max_nodes=4)
    >>> p.level, [b.name for b in p.boxes]
    ('tensors', ['fc.weight', 'x', 'fc.out', 'loss'])
    >>> [(p.box_by_id[e.src].name, p.box_by_id[e.dst].name, e.count) for e in p.edges]
    [('fc.weight', 'fc.out', 4), ('x', 'fc.out', 4), ('fc.out', 'loss', 2)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from autograd import Value, topological_order
from viz.model import collapse
from viz.model.boxes import assemble, finite, key_name, role
from viz.model.collapse import band_keys, merge_cycles, parent_positions, step_keys, tensor_keys
from viz.model.groups import assign_paths, parse_label
from viz.model.names import display_name
from viz.model.picture import Box, Edge, Picture

__all__ = ["Box", "Edge", "Picture", "picture", "as_roots", "highlighted", "DEFAULT_MAX_NODES"]

DEFAULT_MAX_NODES = 40
EDGES_PER_BOX = 2  # a level with more than 2 * max_nodes box edges is a hairball: go coarser
STRUCTURE_ABOVE = 2 / 3  # more tensor boxes than this share of max_nodes: draw by module


def as_roots(roots: object) -> list[Value]:
    """A Value, a Tensor, or an iterable of them as a flat list of root Values.

    Example:
        >>> from autograd import Tensor
        >>> len(as_roots([Value(1.0), Tensor([1.0, 2.0])]))
        3
    """
    if isinstance(roots, Value):
        return [roots]
    if hasattr(roots, "values") and hasattr(roots, "shape"):
        return list(roots.values.flat)
    if isinstance(roots, Iterable) and not isinstance(roots, (str, bytes)):
        out: list[Value] = []
        for r in roots:
            if isinstance(r, Value):
                out.append(r)
            elif hasattr(r, "values") and hasattr(r, "shape"):
                out.extend(r.values.flat)
            else:
                raise TypeError(f"draw() takes Values or Tensors, got {type(r).__name__} {r!r}")
        if not out:
            raise ValueError("draw() needs at least one root Value, got an empty collection")
        return out
    raise TypeError(f"draw() takes a Value, a Tensor or a list of them, got {type(roots).__name__}")


def highlighted(order: list[Value], sources: object) -> set[int]:
    """ids of the nodes on a path from any of ``sources`` (Values or labels) to the roots.

    Example:
        >>> a, b = Value(1.0, label="a"), Value(2.0, label="b")
        >>> c = a * b; d = c + b
        >>> highlighted([a, b, c, d], "a") == {id(a), id(c), id(d)}
        True
        >>> highlighted([a, b, c, d], "z")
        Traceback (most recent call last):
        ...
        ValueError: highlight: no node of the graph matches ['z']
    """
    if sources is None:
        return set()
    if isinstance(sources, (Value, str)):
        sources = [sources]
    wanted_ids = {id(s) for s in sources if isinstance(s, Value)}
    wanted_labels = {s for s in sources if isinstance(s, str)}
    marked = {id(v) for v in order if id(v) in wanted_ids or v.label in wanted_labels}
    if not marked:
        raise ValueError(f"highlight: no node of the graph matches {list(sources)!r}")
    for v in order:  # parents come first, so a child sees its parents' marks
        if id(v) not in marked and any(id(p) in marked for p in v.parents):
            marked.add(id(v))
    return marked


def picture(
    roots: object,
    *,
    max_nodes: int = DEFAULT_MAX_NODES,
    expand: Iterable[str] | str = (),
    groups: Mapping[str, object] | None = None,
    steps: Sequence[str] | None = None,
    highlight: object = None,
) -> Picture:
    """The picture model of the graph below ``roots`` (see the module docstring).

    ``expand`` names boxes (tensors, modules, time steps, groups, ``op#k`` nodes) or
    labels whose scalars stay scalars in a collapsed picture; an unknown name is a
    ValueError listing the names there are.

    Example:
        >>> x = Value(2.0, label="x"); y = (x * 3).exp(); y.label = "y"
        >>> p = picture(y)
        >>> p.level, [b.name for b in p.boxes]
        ('scalars', ['x', '3', 'mul#2', 'y'])
        >>> picture(y, max_nodes=2).level
        'tensors'
    """
    if not isinstance(max_nodes, int) or isinstance(max_nodes, bool) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive int, got {max_nodes!r}")
    root_list = as_roots(roots)
    order = topological_order(root_list)
    names = [display_name(v, k) for k, v in enumerate(order)]
    paths = assign_paths(order, groups, steps)
    expand = [expand] if isinstance(expand, str) else list(expand)
    for name in expand:
        if not isinstance(name, str):
            raise TypeError(f"expand takes box names (str), got {type(name).__name__} {name!r}")
    marked = highlighted(order, highlight)
    computed = any(v.grad != 0.0 for v in order)
    if len(order) <= max_nodes:
        unknown = _opened_nodes(order, paths, expand, names)[2]
        if unknown:
            groups_there = list(dict.fromkeys(n for path in paths for _, n in path))
            _unknown_expand(unknown, groups_there, names)
        return _scalar_picture(order, names, root_list, paths, marked, computed, max_nodes)
    return _collapsed_picture(order, names, root_list, paths, expand, marked, computed, max_nodes)


def _inputs_to_steps(order: list[Value], paths: list) -> list:
    """Paths with each input element used in one time step only moved into that step.

    ``x[2,0]`` that feeds only ``t = 3`` is drawn inside ``t = 3`` (in its own ``x``
    frame), next to what it feeds, instead of in one column far from most of its uses.
    """
    position = {id(v): k for k, v in enumerate(order)}
    steps_of: dict[int, set] = {}
    for k, v in enumerate(order):
        step = next((paths[k][: i + 1] for i, p in enumerate(paths[k]) if p[0] == "step"), None)
        for p in v.parents:
            steps_of.setdefault(position[id(p)], set()).add(step)
    out = list(paths)
    for k, v in enumerate(order):
        steps = steps_of.get(k, set())
        if v.parents or v.label is None or len(steps) != 1 or None in steps:
            continue
        if any(kind == "step" for kind, _ in paths[k]) or not paths[k]:
            continue
        if paths[k][-1][0] == "tensor" and not any(kind == "module" for kind, _ in paths[k]):
            out[k] = next(iter(steps)) + paths[k]
    return out


def _scalar_picture(order, names, roots, paths, marked, computed, max_nodes) -> Picture:
    root_ids = {id(r) for r in roots}
    paths = _inputs_to_steps(order, paths)
    boxes = [
        Box(
            id=f"v{k}",
            kind="scalar",
            name=names[k],
            members=[k],
            cluster=paths[k],
            role=role([v], root_ids),
            ops=(v.primitive.symbol,) if v.parents else (),
            finite=finite(v),
            on_path=id(v) in marked,
        )
        for k, v in enumerate(order)
    ]
    position = {id(v): k for k, v in enumerate(order)}
    edges = []
    for k, v in enumerate(order):
        for i, p in enumerate(v.parents):
            on = id(p) in marked and id(v) in marked
            edges.append(Edge(f"v{position[id(p)]}", f"v{k}", 1, int(on), i))
    return Picture(
        order, names, roots, boxes, edges, list(range(len(order))), "scalars", max_nodes, computed
    )


def _opened_nodes(order, paths, expand, names) -> tuple[list[bool], dict[str, int], list[str]]:
    """Nodes an ``expand`` name opens (by label, tensor, group path or ``op#k`` name)."""
    wanted = set(expand)
    if not wanted:
        return [False] * len(order), {}, []
    opened_by: list[str | None] = []
    for k, v in enumerate(order):
        tensor = parse_label(v.label).tensor
        name = next((n for n in (v.label, tensor, names[k]) if n in wanted), None)
        if name is None:
            name = next((n for _, n in paths[k] if n in wanted), None)
        opened_by.append(name)
    sizes: dict[str, int] = {}
    for name in opened_by:
        if name is not None:
            sizes[name] = sizes.get(name, 0) + 1
    too_big = {name: n for name, n in sizes.items() if n > collapse.EXPAND_LIMIT}
    unknown = [name for name in expand if name not in sizes]
    return [n is not None and n not in too_big for n in opened_by], too_big, unknown


def _unknown_expand(unknown: list[str], known: list[str], names: list[str]) -> None:
    shown = ", ".join(known[:30]) + (", …" if len(known) > 30 else "")
    raise ValueError(
        f"expand: unknown box {', '.join(repr(n) for n in unknown)} "
        f"(boxes: {shown or 'none'}; or a node name such as {names[0]})"
    )


def _collapsed_picture(order, names, roots, paths, expand, marked, computed, max_nodes):
    parents = parent_positions(order)
    consumers: list[list[int]] = [[] for _ in order]
    for k, ps in enumerate(parents):
        for j in ps:
            consumers[j].append(k)
    opened, too_big, unknown = _opened_nodes(order, paths, expand, names)
    if unknown:  # maybe names of collapsed boxes ("attn.Q (2)", "t = 3", "depth 0–4")
        plain = _collapsed_picture(order, names, roots, paths, (), set(), computed, max_nodes)
        for name in list(unknown):
            for b in plain.boxes:
                if b.name == name:
                    for k in b.members:
                        opened[k] = True
                    unknown.remove(name)
                    break
        if unknown:
            _unknown_expand(unknown, [b.name for b in plain.boxes], names)
    keys, silent = tensor_keys(order, paths, consumers, opened)
    merged = merge_cycles(keys, order, silent, parents)
    level = "tensors"
    fixed = sum(opened)

    def crowded(keys: list[tuple]) -> bool:
        return (
            len(set(keys)) - fixed > max_nodes
            or _edge_count(parents, keys, silent) > EDGES_PER_BOX * max_nodes
        )

    # many computed nodes and none named (a bare scalar web): folding would hide them all
    # in the root's box, so cut the graph by depth instead
    computed_nodes = [v for v in order if v.parents]
    anonymous = len(computed_nodes) > max_nodes and all(v.label is None for v in computed_nodes)
    # above two thirds of the budget, a picture of modules (a TransformerBlock: attention,
    # residual, norm1, feed-forward, residual, norm2) reads better than one of every tensor
    busy = len(set(keys)) - fixed > STRUCTURE_ABOVE * max_nodes
    if (crowded(keys) or busy) and not anonymous:
        coarser, merged_steps = _step_level(order, paths, keys, silent, parents)
        if len(set(coarser)) < len(set(keys)) and (crowded(keys) or not merged_steps):
            keys, merged, level = coarser, merged + merged_steps, "steps"
        if len(set(keys)) - fixed > max_nodes:  # still too many: bands of whole boxes
            leaves = len({key for v, key in zip(order, keys) if not v.parents})
            fold = leaves + fixed + 2 > max_nodes  # too many parameters for a box each
            budget = max(2, max_nodes - fixed - (0 if fold else leaves))
            keys = collapse.whole_box_bands(order, keys, budget, parents, fold)
            merged += merge_cycles(keys, order, silent, parents)
            level = "bands"
    if anonymous:
        keys = band_keys(order, keys, max(2, max_nodes), parents)
        merged += merge_cycles(keys, order, silent, parents)
        level = "bands"
    result = assemble(
        order, names, roots, paths, keys, silent, marked, computed, max_nodes, level, parents
    )
    result.opened = [name for name in expand if name not in too_big]
    result.merged = [[key_name(k, names) for k in group] for group in merged]
    result.notes.append(
        f"collapsed: {len(order)} scalar nodes > max_nodes={max_nodes}, drawn as "
        f"{len(result.boxes)} boxes ({level}; draw(..., expand=[name]) opens a box)"
    )
    if result.opened:
        result.notes.append(f"expanded to scalars: {', '.join(result.opened)}")
    for group in result.merged:
        result.notes.append(f"merged (they depend on each other): {' + '.join(group)}")
    result.notes += [
        f"expand: {name!r} not expanded: {n} scalars > {collapse.EXPAND_LIMIT} (too many to lay out); "
        "expand a smaller part of it"
        for name, n in sorted(too_big.items())
    ]
    return result


def _step_level(order, paths, keys, silent, parents) -> tuple[list[tuple], list]:
    """The ``steps`` level with no merged boxes where splitting a group avoids them.

    A module or time step that would depend on itself through another box (a
    TransformerBlock's residual sums and its LayerNorms) is split into its submodules and
    its own tensors, one level at a time, until the picture is acyclic.
    """
    split: frozenset = frozenset()

    def level(split: frozenset) -> tuple[list[tuple], list]:
        coarser = step_keys(order, paths, keys, split)
        return coarser, merge_cycles(coarser, order, silent, parents)

    coarser, merged = level(split)
    while merged:
        wider = collapse.split_groups(merged, split)
        if wider == split:
            break
        # split the one group that undoes the most merging (the block whose residuals sit
        # on both sides of its LayerNorm), else every merged group
        size = sum(map(len, merged))
        trials = [(split | {group}, level(split | {group})) for group in sorted(wider - split)]
        best = min(trials, key=lambda t: sum(map(len, t[1][1])))
        if sum(map(len, best[1][1])) < size:
            split, (coarser, merged) = best[0], best[1]
        else:
            split = wider
            coarser, merged = level(split)
    return coarser, merged


def _edge_count(parents: list[tuple[int, ...]], keys: list[tuple], silent: list[bool]) -> int:
    """How many box-to-box edges ``keys`` would draw, not counting those of opened scalars."""
    number: dict[tuple, int] = {}
    ids = [-1 if key[0] == "scalar" else number.setdefault(key, len(number)) for key in keys]
    sources = [-1 if quiet else i for i, quiet in zip(ids, silent)].__getitem__
    pairs = set()
    for k, ps in enumerate(parents):
        dst = ids[k]
        if dst < 0 or not ps:
            continue
        found = set(map(sources, ps))
        found.discard(-1)
        found.discard(dst)
        pairs.update((src, dst) for src in found)
    return len(pairs)
