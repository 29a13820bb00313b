"""Grouping the scalars of a graph into clusters: tensors, modules and time steps.

A label says where a Value belongs:

- ``W[0,1]``: element ``(0, 1)`` of Tensor ``W``;
- ``conv.weight[0,0,1]``: element of Tensor ``conv.weight`` inside module ``conv``
  (every dotted prefix is a module, as in ``named_parameters()``);
- ``h_3``, ``h_{3}`` or ``h_3[0]``: time step ``t = 3`` of an unrolled RNN, when
  ``h_3`` depends on ``h_2`` (so the inputs ``x_1 .. x_5`` of a convolution are not
  mistaken for time steps); naming ``"h"`` in ``steps`` forces it, and then
  ``h[3]`` and ``h[3,0]`` count as step 3 as well.

An explicit ``groups={"name": [Values or Tensors]}`` wins over labels. Unlabelled
intermediate nodes join the cluster (tensor, module or time step) of the labelled
node they feed, so a pre-activation sits next to the activation it feeds: in an
unrolled RNN the ``dot`` of step t and its box sit in the cluster of ``h_t``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from autograd import Value

_ELEMENT = re.compile(r"^(?P<name>[^\[\]]+)\[(?P<index>\s*-?\d+\s*(?:,\s*-?\d+\s*)*)\]$")
_STEP = re.compile(r"^(?P<name>[A-Za-z][A-Za-z0-9]*)_\{?(?P<t>\d+)\}?$")

# A path is a tuple of (kind, name) pairs, outermost first; kind is one of
# "group" (explicit), "module", "step" or "tensor".
Path = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class LabelParts:
    """What a label says: tensor name and element index, module path, time step.

    Example:
        >>> parts = parse_label("rnn.h_2[1]")
        >>> parts.tensor, parts.index, parts.modules, parts.step
        ('rnn.h_2', (1,), ('rnn',), 2)
    """

    tensor: str | None
    index: tuple[int, ...] | None
    modules: tuple[str, ...]
    step: int | None
    step_name: str | None = None


def parse_label(label: str | None, steps: Sequence[str] = ()) -> LabelParts:
    """Split a label into tensor name, element index, module prefixes and time step.

    Example:
        >>> parse_label("conv.weight[0,0,1]")
        LabelParts(tensor='conv.weight', index=(0, 0, 1), modules=('conv',), step=None, step_name=None)
        >>> parse_label("h_3").step, parse_label("h[2]", steps=["h"]).step
        (3, 2)
    """
    return _parse_label(label, tuple(steps))


@lru_cache(maxsize=1 << 18)  # a drawing asks about each label several times
def _parse_label(label: str | None, steps: tuple[str, ...]) -> LabelParts:
    if not label:
        return LabelParts(None, None, (), None)
    tensor = None
    index = None
    base = label
    match = _ELEMENT.match(label)
    if match:
        tensor = match.group("name").strip()
        index = tuple(int(i) for i in match.group("index").split(","))
        base = tensor
    step = step_name = None
    if tensor is not None and tensor in steps and index:
        step, step_name = index[0], tensor
    else:
        step_match = _STEP.match(base.rsplit(".", 1)[-1])
        if step_match:
            step, step_name = int(step_match.group("t")), step_match.group("name")
    parts = base.split(".")
    modules = tuple(".".join(parts[: k + 1]) for k in range(len(parts) - 1))
    return LabelParts(tensor, index, modules, step, step_name)


def _recurrent_names(order: list[Value], parts: list[LabelParts], limit: int = 8) -> set[str]:
    """Step names ``h`` for which some ``h_t`` depends on ``h_(t-1)``: an unrolled RNN."""
    candidates: dict[str, set[int]] = {}
    for p in parts:
        if p.step_name is not None:
            candidates.setdefault(p.step_name, set()).add(p.step)
    names = [n for n, ts in candidates.items() if len(ts) >= 2][:limit]
    position = {id(v): k for k, v in enumerate(order)}
    found = set()
    for name in names:
        latest = [-1] * len(order)  # the largest step of `name` among each node's ancestors
        for k, v in enumerate(order):
            best = max((latest[position[id(p)]] for p in v.parents), default=-1)
            own = parts[k]
            if own.step_name == name:
                if best == own.step - 1 and best >= 0:
                    found.add(name)
                    break
                best = max(best, own.step)
            latest[k] = best
    return found


def _explicit_members(groups: Mapping[str, object] | None) -> dict[int, str]:
    members: dict[int, str] = {}
    if not groups:
        return members
    for name, items in groups.items():
        if not isinstance(name, str):
            raise TypeError(f"groups keys must be cluster names (str), got {type(name).__name__}")
        if isinstance(items, Value) or hasattr(items, "values"):
            items = [items]
        if not isinstance(items, Iterable):
            raise TypeError(f"groups[{name!r}] must be Values or Tensors, got {items!r}")
        for item in items:
            if isinstance(item, Value):
                members[id(item)] = name
            elif hasattr(item, "values"):  # a Tensor
                for v in item.values.flat:
                    members[id(v)] = name
            else:
                raise TypeError(
                    f"groups[{name!r}] holds {type(item).__name__}; expected Values or Tensors"
                )
    return members


def assign_paths(
    order: list[Value],
    groups: Mapping[str, object] | None = None,
    steps: Sequence[str] | None = None,
) -> list[Path]:
    """The cluster path of each node of ``order`` (a topological order).

    ``steps=None`` finds unrolled time steps by itself; a list of names forces them.

    Example:
        >>> from autograd import Tensor
        >>> W = Tensor([1.0, 2.0], label="fc.weight")
        >>> y = W[0] * W[1]
        >>> [p for p in assign_paths([W[0], W[1], y])][0]
        (('module', 'fc'), ('tensor', 'fc.weight'))
    """
    explicit = _explicit_members(groups)
    paths: list[Path | None] = [None] * len(order)
    position = {id(v): k for k, v in enumerate(order)}
    forced = tuple(steps) if steps is not None else ()
    all_parts = [parse_label(v.label, forced) for v in order]
    step_names = set(forced) if steps is not None else _recurrent_names(order, all_parts)
    for k, v in enumerate(order):
        parts = all_parts[k]
        path: list[tuple[str, str]] = []
        name = explicit.get(id(v))
        if name is not None:
            path.append(("group", name))
        # Once an unrolled recurrence is found, x_t and y_t join the steps of h_t.
        if parts.step is not None and (
            parts.step_name in step_names or (step_names and steps is None)
        ):
            path.append(("step", f"t = {parts.step}"))
        for module in parts.modules:
            path.append(("module", module))
        if parts.tensor is not None:
            path.append(("tensor", parts.tensor))
        if path or v.label or name is not None:
            paths[k] = tuple(path)
    # Unlabelled nodes inherit the whole cluster path (tensor included) of their latest
    # consumer, so the pre-activation dot of ``h1[0] = relu(dot)`` sits in the cluster of
    # ``h1``: walk children before parents so the inherited path is already known.
    for k in range(len(order) - 1, -1, -1):
        path = paths[k]
        if path is None:
            path = paths[k] = ()
        for p in order[k].parents:
            j = position[id(p)]
            if paths[j] is None:
                paths[j] = path
    return [p if p is not None else () for p in paths]
