"""A recorded graph as a replay plan: one slot per node, groups of alike nodes.

:class:`Plan` is built once from a traced graph (``compile.py`` does the
tracing). Slots hold, in order: the argument leaves (argument by argument), the
other leaves (parameters, then the step's own constants; read fresh from their
``data`` on every replay), then the groups (``groups.py``) level by level. Forward fills a float
array group by group; backward walks the groups in reverse and returns the
gradient of every slot. ``write_back`` puts both into the recorded Value graph,
so drawings and step tables show the replayed step.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import numpy as np

from autograd.compiler.banks import BANKABLE, BANKING, Bank, rebank, replay_banked
from autograd.compiler.bulk import read_data, set_data
from autograd.compiler.groups import Group, make_group
from autograd.compiler.place import Place
from autograd.graph import describe, topological_order
from autograd.mode import MODE, AnomalyError
from autograd.nodes import in_one_burst
from autograd.value import Value


class Plan:
    """Slots and groups of one traced graph, replayed forward and backward with numpy.

    ``outputs`` are the result Values; ``inputs`` the argument leaves, one
    sequence per argument (the leaves of an argument that the graph never uses
    get no slot). ``constants`` are leaves the traced step made itself: eager
    mode makes them afresh on every call, so a replay adds no gradient to them
    (parameters, the other leaves, accumulate ``.grad`` as in eager mode).

    Example:
        >>> from autograd import Value
        >>> x, w = Value(2.0), Value(3.0)
        >>> plan = Plan([(x * w).relu()], [[x]])
        >>> values, saved = plan.forward([np.array([5.0])]); values[plan.output_slots].tolist()
        [15.0]
        >>> grads = plan.backward(values, saved, np.array([1.0])); w.grad
        5.0
    """

    @in_one_burst  # the plan's lists and arrays form no cycles: no collection meanwhile
    def __init__(
        self,
        outputs: Sequence[Value],
        inputs: Sequence[Sequence[Value]],
        constants: Sequence[Value] = (),
        derived: dict | None = None,
    ) -> None:
        # Derived constants (``mode.note_derived``): replayed as nodes over their sources.
        self.derived = {k: (op, sources) for k, (_, op, sources) in (derived or {}).items()}
        if self.derived:
            order = _order_with(list(outputs), self.derived)
        else:
            order = topological_order(list(outputs))
        position = {v: i for i, v in enumerate(order)}
        # Argument leaves: which element of each argument feeds which node.
        self.input_positions: list[np.ndarray] = []
        input_members: list[list[int]] = []
        taken: set[int] = set()
        for leaves in inputs:
            used, members = [], []
            for j, v in enumerate(leaves):
                i = position.get(v)
                if i is not None and i not in taken:
                    taken.add(i)
                    used.append(j)
                    members.append(i)
            self.input_positions.append(np.array(used, dtype=int))
            input_members.append(members)
        groups, fresh = self._group(order, position, taken, self.derived)
        made = {id(v) for v in constants}
        parameters = [i for i in fresh if id(order[i]) not in made]
        self.parameter_count = len(parameters)
        fresh = parameters + [i for i in fresh if id(order[i]) in made]
        # Slots: arguments, fresh leaves, then groups in level order.
        slot_of = np.empty(len(order), dtype=int)
        cursor = 0
        self.input_slices = []
        for members in input_members + [fresh]:
            slot_of[members] = np.arange(cursor, cursor + len(members))
            self.input_slices.append((cursor, cursor + len(members)))
            cursor += len(members)
        self.fresh_slice = self.input_slices.pop()
        for group in groups:
            group.start, group.stop = cursor, cursor + len(group.members)
            slot_of[group.members] = np.arange(group.start, group.stop)
            cursor = group.stop
            group.bind(slot_of)
        self.size = cursor
        self.groups = groups
        self.fresh = [order[i] for i in fresh]
        self.parameters = self.fresh[: self.parameter_count]
        self.parameter_place = Place(self.parameters)  # their numbers: a bank after one replay
        # Values of a subclass keep their own class: read one by one, never banked.
        self.bankable = all(v.__class__ in BANKABLE for v in self.parameters)
        self.constant_data = read_data(self.fresh[self.parameter_count :])  # baked in
        self.nodes = [order[i] for i in np.argsort(slot_of)]
        self.output_slots = slot_of[[position[v] for v in outputs]]
        self.inputs_used = [positions.size for positions in self.input_positions]

    @staticmethod
    def _group(
        order: list[Value], position: dict, taken: set[int], derived: dict
    ) -> tuple[list[Group], list]:
        """Group interior nodes by (level, op, input count); list the leaves not taken."""
        levels: dict = {}  # node -> 1 + its parents' highest level (leaves 0)
        level_of = levels.__getitem__
        buckets: dict[tuple, tuple] = {}
        fresh = []
        for i, v in enumerate(order):
            parents = v.parents
            op = v._primitive
            if not parents and derived and id(v) in derived:
                op, parents = derived[id(v)]
            if not parents:
                levels[v] = 0
                if i not in taken:
                    fresh.append(i)
                continue
            level = max(map(level_of, parents)) + 1
            levels[v] = level
            key = (level, id(op), len(parents))
            bucket = buckets.get(key)
            if bucket is None:
                buckets[key] = (op, [i], [parents])
            else:
                bucket[1].append(i)
                bucket[2].append(parents)
        find = position.__getitem__
        groups = []
        for key in sorted(buckets, key=lambda k: (k[0], buckets[k][1][0])):
            op, members, parents = buckets[key]
            count = len(members) * key[2]  # every parent's position, in one pass
            where = np.fromiter(map(find, chain.from_iterable(parents)), int, count)
            group = make_group(op, members, where.reshape(len(members), key[2]))
            group.order_members()
            groups.append(group)
        return groups, fresh

    # ----------------------------------------------------------------- replay
    def forward(self, arguments: Sequence[np.ndarray]) -> tuple[np.ndarray, list]:
        """Every slot's value, and what backward needs: ``arguments`` are flat float arrays.

        Parameters are read fresh from their Values; constants have their traced values.
        """
        values = np.empty(self.size)
        for (start, stop), positions, data in zip(
            self.input_slices, self.input_positions, arguments
        ):
            values[start:stop] = data if data.size == stop - start else data[positions]
        start, stop = self.fresh_slice
        middle = start + self.parameter_count
        values[start:middle] = self._banked_parameters(replaying=True).read_data()
        values[middle:stop] = self.constant_data
        with np.errstate(all="ignore"):
            if MODE.anomaly:
                return values, self._checked_forward(values)
            return values, [group.forward(values) for group in self.groups]

    def backward(self, values: np.ndarray, saved: list, seeds: np.ndarray) -> np.ndarray:
        """Every slot's gradient for ``seeds`` at the outputs; fresh leaves' ``.grad`` += theirs.

        ``values`` and ``saved`` come from one call of :meth:`forward`.
        """
        grads = np.zeros(self.size)
        np.add.at(grads, self.output_slots, seeds)
        with np.errstate(all="ignore"):
            if MODE.anomaly:
                self._checked_backward(values, grads, saved)
            else:
                for group, kept in zip(reversed(self.groups), reversed(saved)):
                    group.backward(values, grads, kept)
        start = self.fresh_slice[0]
        self._banked_parameters().add_grads(grads[start : start + self.parameter_count])
        return grads

    def _banked_parameters(self, replaying: bool = False) -> Place:
        """The parameters' place, banked (``banks.py``) unless they already are, in one bank.

        A bank let go while its Values were written one by one stays given back for a
        while (:func:`~autograd.compiler.banks.replay_banked`): the Place then reads and
        adds to them one by one. ``replaying`` starts a replay: per-Value accesses are
        counted afresh.
        """
        place = self.parameter_place
        if not (self.parameters and self.bankable):
            return place
        found = place.bank()
        if found is not None:
            if replaying:
                bank = found[0]
                bank.touches = bank.writes = 0
                bank.replays += 1
            return place
        made = self.__dict__.get("parameter_bank")  # given back since: refill it
        if made is not None and made.loose and not (replaying and replay_banked(made)):
            return place  # loose: the Place reads and adds to them one by one
        with BANKING:  # one thread makes the bank; another finds it made
            if place.bank() is None:
                if made is None or made.members != self.parameters or not rebank(made):
                    self.parameter_bank = Bank(self.parameters)
        return place

    def write_back(self, values: np.ndarray, grads: np.ndarray | None) -> None:
        """Put replayed values and gradients into the argument and interior Values.

        Constants get this replay's gradient. Parameters are left alone: they
        are the user's own Values, which keep their current ``data`` and
        accumulated ``.grad``.
        """
        grads = np.zeros(self.size) if grads is None else grads
        start, stop = self.fresh_slice
        constants = start + self.parameter_count
        for part in (slice(0, start), slice(stop, self.size)):
            set_data(self.nodes[part], values[part])
        for part in (slice(0, start), slice(constants, self.size)):
            for v, g in zip(self.nodes[part], grads[part].tolist()):
                v.grad = g

    # ------------------------------------------------------ detect_anomaly
    def _checked_forward(self, values: np.ndarray) -> list:
        saved = []
        for group in self.groups:
            saved.append(group.forward(values))
            out = values[group.start : group.stop]
            bad = np.flatnonzero(~np.isfinite(out))
            if bad.size:
                v = self.nodes[group.start + int(bad[0])]
                self._show(values, [v, *v.parents])
                finite = all(np.isfinite(p.data) for p in v.parents)
                raise AnomalyError(
                    f"forward (compiled): {v.op} produced {v.data}\n"
                    f"  node: {describe(v)}\n"
                    + (
                        "  its inputs are finite, so this is the first non-finite value"
                        if finite
                        else "  an input was already non-finite (a leaf)"
                    )
                )
        return saved

    def _checked_backward(self, values: np.ndarray, grads: np.ndarray, saved: list) -> None:
        for group, kept in zip(reversed(self.groups), reversed(saved)):
            g = grads[group.start : group.stop]
            local_all = group.checked_local(values)
            sent_all = group.checked_sent(values, g, local_all)
            for k, (local, sent) in enumerate(zip(local_all, sent_all)):
                bad = np.flatnonzero(~np.isfinite(sent))
                if bad.size:
                    j = int(bad[-1])
                    v = self.nodes[group.start + j]
                    self._show(values, [v, *v.parents])
                    op, n = v._primitive, len(v.parents)
                    names = [q.label or ph for q, ph in zip(v.parents, op.input_names(n))]
                    raise AnomalyError(
                        f"backward (compiled): {op.name} sends gradient {sent[j]} to its "
                        f"input {k + 1} of {n}\n"
                        f"  node: {describe(v)}\n"
                        f"  upstream gradient {g[j]} × local derivative "
                        f"{op.formula(k, n, names=names)} = {local[j]}\n"
                        f"  receiving node: {describe(v.parents[k])}"
                    )
            group.backward(values, grads, kept)

    def _show(self, values: np.ndarray, nodes: list[Value]) -> None:
        """Write the replayed values of ``nodes`` into them, for an error message."""
        slot = {id(v): i for i, v in enumerate(self.nodes)}
        for v in nodes:
            if id(v) in slot:
                v.data = float(values[slot[id(v)]])


def _order_with(outputs: list[Value], derived: dict) -> list[Value]:
    """``topological_order`` where a derived constant's parents are its sources."""

    def parents_of(v: Value) -> tuple:
        return derived[id(v)][1] if not v.parents and id(v) in derived else v.parents

    order: list[Value] = []
    seen: set[int] = set()
    for root in outputs:
        if id(root) in seen:
            continue
        seen.add(id(root))
        stack = [(root, iter(parents_of(root)))]
        while stack:
            v, remaining = stack[-1]
            for p in remaining:
                if id(p) not in seen:
                    seen.add(id(p))
                    stack.append((p, iter(parents_of(p))))
                    break
            else:
                stack.pop()
                order.append(v)
    return order
