"""The tape: each thread's result nodes in the order they were built.

A node is always built after its parents, so creation order is a topological
order. Backward reads this thread's tape instead of sorting the graph: it walks
the tape from the newest node back and keeps the nodes its roots reach
(:func:`reached_from`). When a reached node is not on the tape (a graph built
before the last backward, or in another thread, or pushed off a full tape) the
walk says so and backward sorts the graph as before.

Every backward takes the calling thread's tape and starts a new one, so a tape
keeps no graph alive after a backward. Between two backwards it holds at most
``CAPACITY`` entries (a node, or all the nodes of one Tensor op) and about as many
nodes in its batches: a loop that builds graphs and never calls backward (an
evaluation outside ``no_grad``) drops the oldest entries, or starts again when its
batches grow too big.

Example:
    >>> from autograd import Value
    >>> x = Value(2.0); y = x * 3.0; z = y + 1.0
    >>> order, reached = reached_from([z], take())
    >>> [v.op for v in order], len(reached)
    (['add', 'mul'], 5)
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from contextvars import ContextVar
from itertools import chain
from operator import attrgetter
from typing import Any

CAPACITY = 1 << 19  # entries, and nodes in batches; a node is about 150 bytes


class Tape(deque):
    """A thread's tape: nodes, and :class:`Batch` entries for nodes built by one Tensor op."""

    __slots__ = ("batches", "batched")

    def __init__(self) -> None:
        super().__init__(maxlen=CAPACITY)
        self.batches = 0  # Batch entries on the tape
        self.batched = 0  # nodes in them


class Batch(list):
    """The nodes one Tensor op built, with ``inputs``: every node they take as an input.

    Knowing the inputs of a whole batch (a matmul's two operands, say) spares backward
    a look at every edge of every node.
    """

    __slots__ = ("inputs",)


def record_batch(made: list, inputs: list) -> None:
    """Put nodes built together on this thread's tape; ``inputs`` are exactly their parents.

    Example:
        >>> from autograd import Value
        >>> a = Value(1.0); made = [a + a]; _ = take()  # (a + a went on the tape alone)
        >>> record_batch(made, [a]); [v.op for v in reached_from(made, take())[0]]
        ['add']
    """
    batch = Batch(made)
    batch.inputs = inputs
    tape = here()
    tape.batched += len(made)
    if tape.batched > CAPACITY:  # start again: backward will see the nodes missing
        tape.clear()
        tape.batched = len(made)
        tape.batches = 0
    tape.append(batch)
    tape.batches += 1


# Each thread's tape lives in a context variable: reading one costs about 10 ns, a
# threading.local's attribute about 60 (a sixth of making a node). A new thread starts
# with no tape, so ``current()`` raises LookupError there and :func:`here` makes one;
# the hot paths (``value.py``) try ``current()`` first. (An asyncio task or a
# ``copy_context().run`` shares its creator's tape until either takes it; nodes built
# then on the other side are missing from the new tape, and backward sorts for them.)
_CURRENT: ContextVar[Tape] = ContextVar("chalkgrad_tape")
current = _CURRENT.get


def here() -> Tape:
    """This thread's tape, made on its first use.

    Example:
        >>> from autograd import Value
        >>> _ = take(); y = Value(1.0) * 2.0
        >>> here()[-1] is y
        True
    """
    try:
        return current()
    except LookupError:
        tape = Tape()
        _CURRENT.set(tape)
        return tape


def take() -> Tape:
    """This thread's tape, replaced by a new empty one (backward calls this first).

    Example:
        >>> from autograd import Value
        >>> y = Value(1.0) * 2.0
        >>> len(take()), len(take())
        (1, 0)
    """
    tape = here()
    _CURRENT.set(Tape())
    return tape


def nodes_of(tape: Sequence[Any]) -> list:
    """The nodes on ``tape`` in creation order, batches opened.

    Example:
        >>> from autograd import Tensor
        >>> _ = take(); y = Tensor([1.0, 2.0]) * 3.0
        >>> [v.data for v in nodes_of(take())]
        [3.0, 6.0]
    """
    out: list = []
    for entry in tape:
        if entry.__class__ is Batch:
            out += entry
        else:
            out.append(entry)
    return out


def reached_from(roots: Sequence[Any], tape: Sequence[Any]) -> tuple[list | None, list]:
    """The tape's nodes that ``roots`` reach, newest first, and every node reached, once each.

    The first item is None when a node with parents is reached but not on the tape
    (or may be: the tape was full): then the tape does not cover the graph and the
    caller must sort it. The work is done in bulk (set operations over the tape and
    its nodes' parents); only when the tape also holds nodes the roots do not reach
    (another graph, an evaluation) does it walk the tape node by node.

    Example:
        >>> from autograd import Value
        >>> a = Value(1.0); old = a * 2.0; take()  # doctest: +ELLIPSIS
        Tape(...)
        >>> new = old + 1.0
        >>> reached_from([new], take())[0] is None  # ``old`` was built before the take
        True
    """
    if len(tape) == CAPACITY:  # full: the oldest nodes may have been dropped
        return None, []
    if getattr(tape, "batches", 0):
        nodes, singles, batch_inputs = [], [], []
        for entry in tape:
            if entry.__class__ is Batch:
                nodes += entry
                batch_inputs.append(entry.inputs)
            else:
                nodes.append(entry)
                singles.append(entry)
        inputs = set(chain.from_iterable(batch_inputs))
        inputs.update(chain.from_iterable(map(_PARENTS, singles)))
        tape = nodes
    else:
        inputs = set(chain.from_iterable(map(_PARENTS, tape)))
    on_tape = set(tape)
    outside = inputs.difference(on_tape)  # leaves, unless the tape missed a node
    root_set = set(roots)
    loose_roots = root_set.difference(on_tape)  # roots that are leaves
    for v in chain(outside, loose_roots):
        if v.parents:  # built before the last backward, or in another thread
            return None, []
    # Tape nodes no tape node takes as an input, counted (inputs minus the leaves are on
    # the tape): when they are all roots, the roots reach every node on the tape.
    unfed = len(on_tape) - (len(inputs) - len(outside))
    rooted = root_set.difference(loose_roots)
    if unfed == len(rooted) - len(rooted.intersection(inputs)):
        # Every tape node feeds another one or is a root: the roots reach them all.
        order = list(tape)
        order.reverse()
        outside |= loose_roots
        return order, order + list(outside)
    reached = set(roots)
    reach = reached.update
    order = []
    emit = order.append
    for v in reversed(tape):
        if v in reached:
            emit(v)
            reach(v.parents)
    return order, list(reached)


_PARENTS = attrgetter("parents")
