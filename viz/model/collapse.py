"""Which box each scalar belongs to when a graph is too big to draw scalar by scalar.

Boxes follow the structure the names give, never the op type alone:

1. ``tensors``: each named tensor (``conv.out``, ``lstm``'s ``i_3``, ``fc.weight``) is one
   box, each labelled scalar (``loss``) is one box; an unlabelled node folds into the box
   it feeds, or keeps a box of its own (named ``op#k``) when it feeds several boxes;
   unlabelled constants fold into the box they feed and send no edges.
2. ``steps``: the computed boxes of one time step (``t = 3``) or of one module become one
   box; parameters and inputs keep theirs.
3. ``bands``: for graphs with no usable names, the nodes are cut by depth (the longest
   path from a leaf) into bands drawn left to right.

Every level is made acyclic: boxes that depend on each other both ways are merged into
one box (and the picture says so). Scalars an ``expand`` opened stay scalars at every level.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd import Value
from viz.model.groups import Path, parse_label

Key = tuple
LEVELS = ("tensors", "steps", "bands")
EXPAND_LIMIT = 5000  # scalars one expanded group may add: a 5,000-node picture lays out in seconds


def parent_positions(order: Sequence[Value]) -> list[tuple[int, ...]]:
    """For each node, the positions of its parents in ``order`` (one per parent entry).

    Example:
        >>> x = Value(1.0); y = x * x
        >>> parent_positions([x, y])
        [(), (0, 0)]
    """
    position = {id(v): k for k, v in enumerate(order)}.__getitem__
    return [tuple(map(position, map(id, v.parents))) for v in order]


def consumers_of(order: Sequence[Value]) -> list[list[int]]:
    """For each node position, the positions of the nodes that use it (one per parent entry).

    Example:
        >>> x = Value(1.0); y = x * x
        >>> consumers_of([x, y])
        [[1, 1], []]
    """
    position = {id(v): k for k, v in enumerate(order)}
    out: list[list[int]] = [[] for _ in order]
    for k, v in enumerate(order):
        for p in v.parents:
            out[position[id(p)]].append(k)
    return out


def tensor_keys(
    order: Sequence[Value],
    paths: Sequence[Path],
    consumers: Sequence[list[int]],
    opened: Sequence[bool],
) -> tuple[list[Key], list[bool]]:
    """The ``tensors``-level box key of each node, and which nodes are silent constants.

    Keys: ``("tensor", name, instance, path)``, ``("node", k)`` for a named scalar or an
    unlabelled node feeding several boxes, ``("scalar", k)`` for an opened scalar. A
    second tensor with an already seen name and index gets the next ``instance``.

    Example:
        >>> from autograd import Tensor
        >>> from viz.model.groups import assign_paths
        >>> W = Tensor([1.0, 2.0], label="W"); y = (W[0] * W[1]) * 3
        >>> order = [W[0], W[1], W[0] * W[1]]
        >>> order = list(W.values) + [y.parents[0], y.parents[1], y]
        >>> keys, silent = tensor_keys(order, assign_paths(order), consumers_of(order),
        ...                            [False] * 5)
        >>> [k[:2] for k in keys], silent
        ([('tensor', 'W'), ('tensor', 'W'), ('node', 4), ('node', 4), ('node', 4)], [False, False, False, True, False])
    """
    n = len(order)
    keys: list[Key | None] = [None] * n
    seen: dict[tuple[str, tuple[int, ...]], int] = {}
    for k, v in enumerate(order):
        if opened[k]:
            keys[k] = ("scalar", k)
        elif v.label is not None:
            parts = parse_label(v.label)
            if parts.tensor is None:
                keys[k] = ("node", k)
            else:
                instance = seen.get((parts.tensor, parts.index), 0)
                seen[(parts.tensor, parts.index)] = instance + 1
                keys[k] = ("tensor", parts.tensor, instance, _outer(paths[k]))
    silent = [False] * n
    for k in range(n - 1, -1, -1):  # consumers come later: their keys are known
        if keys[k] is not None:
            continue
        uses = consumers[k]
        if not uses:
            keys[k] = ("node", k)
            continue
        if not order[k].parents:  # an unlabelled constant: part of the op it feeds
            first = keys[uses[0]]
            keys[k] = ("scalar", k) if first[0] == "scalar" else first
            silent[k] = first[0] != "scalar"
            continue
        targets = {keys[c] for c in uses}
        if len(targets) == 1:
            (target,) = targets
            keys[k] = ("scalar", k) if target[0] == "scalar" else target
        else:
            keys[k] = ("node", k)
    return keys, silent  # type: ignore[return-value]


def _outer(path: Path) -> Path:
    return path[:-1] if path and path[-1][0] == "tensor" else path


def step_keys(
    order: Sequence[Value],
    paths: Sequence[Path],
    keys: Sequence[Key],
    split: frozenset[Path] = frozenset(),
) -> list[Key]:
    """``steps`` level: computed boxes of one time step, or of one module, become one box.

    A group in ``split`` is not drawn as one box (it would depend on itself through another
    box, as a TransformerBlock's residuals do through its LayerNorms): its submodules
    become the boxes, and what it computes itself keeps the boxes of the ``tensors`` level.

    Example:
        >>> from viz.model.groups import assign_paths
        >>> order = [Value(1.0, label="fc.weight[0]")]
        >>> order.append(order[0].exp()); order[1].label = "fc.out[0]"
        >>> step_keys(order, assign_paths(order), [("tensor", "fc.weight"), ("tensor", "fc.out")])
        [('tensor', 'fc.weight'), ('module', (('module', 'fc'),))]
    """
    leaf_boxes = {key for v, key in zip(order, keys) if not v.parents}
    computed = {key for v, key in zip(order, keys) if v.parents}
    out = []
    for k, key in enumerate(keys):
        if key[0] == "scalar" or (key in leaf_boxes and key not in computed):
            out.append(key)
            continue
        out.append(_group_key(paths[k], split) or key)
    return out


def _group_key(path: Path, split: frozenset[Path]) -> Key | None:
    """The outermost step or module of ``path`` that is not split, or None."""
    for i, (kind, _) in enumerate(path):
        if kind in ("step", "module") and path[: i + 1] not in split:
            return (kind, path[: i + 1])
    return None


def split_groups(merged: list[list[Key]], split: frozenset[Path]) -> frozenset[Path]:
    """``split`` plus the step and module groups that ``merge_cycles`` had to merge.

    Example:
        >>> split_groups([[("module", (("module", "block"),)), ("tensor", "x")]], frozenset())
        frozenset({(('module', 'block'),)})
    """
    found = {key[1] for group in merged for key in group if key[0] in ("step", "module")}
    return split | found


def box_depths(keys: Sequence[Key], parents: Sequence[tuple[int, ...]]) -> dict[Key, int]:
    """Each box's depth in the (acyclic) box graph: the longest chain of boxes before it.

    Example:
        >>> box_depths([("a",), ("b",), ("b",), ("c",)], [(), (0,), (1,), (2,)])
        {('a',): 0, ('b',): 1, ('c',): 2}
    """
    succ: dict[Key, set[Key]] = {key: set() for key in keys}
    incoming: dict[Key, int] = dict.fromkeys(succ, 0)
    for k, ps in enumerate(parents):
        for j in ps:
            a, b = keys[j], keys[k]
            if a != b and b not in succ[a]:
                succ[a].add(b)
                incoming[b] += 1
    depth = dict.fromkeys(succ, 0)
    ready = [key for key, n in incoming.items() if n == 0]
    while ready:  # Kahn's order over the boxes; a box on a cycle keeps depth 0
        key = ready.pop()
        for nxt in succ[key]:
            depth[nxt] = max(depth[nxt], depth[key] + 1)
            incoming[nxt] -= 1
            if incoming[nxt] == 0:
                ready.append(nxt)
    return depth


def whole_box_bands(
    order: Sequence[Value],
    keys: Sequence[Key],
    bands: int,
    parents: Sequence[tuple[int, ...]],
    fold_leaves: bool = False,
) -> list[Key]:
    """Bands of whole boxes: computed boxes cut by box depth, leaves keep their boxes.

    So a band never splits a tensor or a time step (``t = 1 … t = 4``, not ``h_3[0] …
    g_4[15]``). With ``fold_leaves`` (too many parameters to keep a box each) a leaf box
    joins the band of the first box that uses it.

    Example:
        >>> x = Value(1.0, label="x"); a = x.exp(); a.label = "a"; b = a.exp(); b.label = "b"
        >>> whole_box_bands([x, a, b], [("node", 0), ("node", 1), ("node", 2)], 1, [(), (0,), (1,)])
        [('node', 0), ('band', 0, ('node', 1), ('node', 2)), ('band', 0, ('node', 1), ('node', 2))]
    """
    computed = {key for v, key in zip(order, keys) if v.parents}
    depth = box_depths(keys, parents)
    deep = sorted({depth[key] for key in computed})
    width = max(1, -(-len(deep) // max(1, bands)))
    band_of = {d: n // width for n, d in enumerate(deep)}
    members: dict[int, list[Key]] = {}
    for key in dict.fromkeys(keys):
        if key in computed:
            members.setdefault(band_of[depth[key]], []).append(key)
    first_use: dict[Key, int] = {}  # a leaf box's earliest band among its users
    for k, ps in enumerate(parents):
        if keys[k] in computed:
            for j in ps:
                if keys[j] not in computed:
                    band = band_of[depth[keys[k]]]
                    first_use[keys[j]] = min(first_use.get(keys[j], band), band)
    out = []
    for key in keys:
        if key[0] == "scalar" or (key not in computed and not (fold_leaves and key in first_use)):
            out.append(key)
        else:
            band = band_of[depth[key]] if key in computed else first_use[key]
            group = members[band]
            out.append(("band", band, group[0], group[-1]))
    return out


def band_keys(
    order: Sequence[Value],
    keys: Sequence[Key],
    bands: int,
    parents: Sequence[tuple[int, ...]] | None = None,
) -> list[Key]:
    """``bands`` level: nodes cut by depth (longest path from a leaf) into ``bands`` bands.

    Example:
        >>> x = Value(1.0, label="x"); y = (x * 2).exp()
        >>> order = [x, y.parents[0].parents[1], y.parents[0], y]
        >>> band_keys(order, [("node", k) for k in range(4)], 2)
        [('band', 0, 0, 1), ('band', 0, 0, 1), ('band', 0, 0, 1), ('band', 1, 2, 2)]
    """
    parents = parent_positions(order) if parents is None else parents
    depth = [0] * len(order)
    for k, ps in enumerate(parents):
        if ps:
            depth[k] = 1 + max(depth[j] for j in ps)
    deepest = max(depth, default=0)
    width = max(1, -(-(deepest + 1) // max(1, bands)))  # depths per band, rounded up
    out = []
    for k, key in enumerate(keys):
        if key[0] == "scalar":
            out.append(key)
        else:
            b = depth[k] // width
            out.append(("band", b, b * width, min(deepest, (b + 1) * width - 1)))
    return out


def merge_cycles(
    keys: list[Key],
    order: Sequence[Value],
    silent: Sequence[bool],
    parents: Sequence[tuple[int, ...]] | None = None,
) -> list[list[Key]]:
    """Merge, in place, the boxes that depend on each other both ways; return the merged sets.

    An iterative Tarjan pass over the box graph finds the strongly connected components;
    each one with more than one box becomes the box ``("merged", members)``, so the
    picture is acyclic.

    Example:
        >>> a = Value(1.0, label="a"); b = a.exp(); c = b.exp()
        >>> keys = [("A",), ("B",), ("A",)]  # a in A -> b in B -> c in A
        >>> merge_cycles(keys, [a, b, c], [False] * 3)
        [[('A',), ('B',)]]
        >>> keys[0] == keys[1] == keys[2]
        True
    """
    parents = parent_positions(order) if parents is None else parents
    number: dict[Key, int] = {}
    ids = [number.setdefault(key, len(number)) for key in keys]
    succ: dict[int, set[int]] = {i: set() for i in range(len(number))}
    sources = [-1 if quiet else i for i, quiet in zip(ids, silent)].__getitem__
    for k, ps in enumerate(parents):
        if ps:
            found = set(map(sources, ps))
            found.discard(-1)
            found.discard(ids[k])
            for src in found:
                succ[src].add(ids[k])
    box_keys = list(number)
    components = _strong_components(succ)
    merged = [sorted((box_keys[i] for i in c), key=repr) for c in components if len(c) > 1]
    if merged:
        rename = {}
        for group in merged:
            new = ("merged", tuple(group))
            for key in group:
                rename[key] = new
        for k, key in enumerate(keys):
            keys[k] = rename.get(key, key)
    return merged


def _strong_components(succ: dict[int, set[int]]) -> list[list[int]]:
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    components = []
    for start in succ:
        if start in index:
            continue
        work = [(start, iter(succ[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(succ[child])))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                components.append(component)
    return components
