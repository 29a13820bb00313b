"""Walking a graph: topological order, backward, zero_grad. No recursion anywhere.

Parents come before children in :func:`topological_order`; backward walks it in
reverse, asking the registry entry of each node for its local derivatives.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from operator import attrgetter
from typing import Any, Protocol

from autograd import ops
from autograd.backend import FLOAT
from autograd.inline_rules import make_walk
from autograd.mode import COLLECTOR_PAUSED, MODE, AnomalyError
from autograd.tape import reached_from, take


class Node(Protocol):
    """What the walk reads of a node (a :class:`autograd.Value` has all of it)."""

    data: float
    grad: float
    label: str | None
    parents: tuple[Any, ...]
    _primitive: ops.Op


Value = Node  # the walk knows nodes by what they carry, not by their class

# Called with every node a backward pass reaches, leaves included, before it starts (the
# compiler's parameter banks register here); the walk itself knows nothing of them.
BEFORE_BACKWARD: list[Callable[[Collection[Node]], None]] = []


def _is_node(x: Any) -> bool:
    return hasattr(x, "_primitive")


def describe(v: Node, op: ops.Op | None = None, parents: tuple | None = None) -> str:
    """One line naming a node: label, op and input values.

    Example:
        >>> from autograd import Value
        >>> a = Value(2.0, label="a")
        >>> describe(a), describe(a * 3)
        ('leaf a = 2', '(unlabelled) = *(a=2, 3)')
    """
    op = op if op is not None else v._primitive
    parents = parents if parents is not None else v.parents
    name = v.label if v.label is not None else "(unlabelled)"
    if not op.name:
        return f"leaf {name} = {v.data:g}"
    shown = ", ".join(
        (f"{p.label}={p.data:g}" if p.label is not None else f"{p.data:g}") for p in parents[:8]
    )
    more = f", ... ({len(parents)} inputs)" if len(parents) > 8 else ""
    return f"{name} = {op.symbol}({shown}{more})"


def topological_order(roots: Value | Iterable[Value]) -> list[Value]:
    """Every node reachable from ``roots``, each after all of its parents.

    The order is deterministic: a depth-first walk with an explicit stack that
    visits parents in their tuple order.

    Example:
        >>> from autograd import Value
        >>> a, b = Value(1.0, label="a"), Value(2.0, label="b")
        >>> c = a * b; c.label = "c"
        >>> [v.label for v in topological_order(c)]
        ['a', 'b', 'c']
    """
    if _is_node(roots):
        roots = (roots,)
    elif hasattr(roots, "values"):  # a Tensor
        roots = list(roots.values.flat)
    order: list[Value] = []
    seen: set[Value] = set()  # Values hash by identity
    mark, emit = seen.add, order.append
    for root in roots:
        if root in seen:
            continue
        mark(root)
        # Each stack entry is a node and an iterator over its remaining parents.
        stack = [(root, iter(root.parents))]
        push, pop = stack.append, stack.pop
        while stack:
            v, remaining = stack[-1]
            for p in remaining:
                if p not in seen:
                    mark(p)
                    if p.parents:
                        push((p, iter(p.parents)))
                        break
                    emit(p)  # a leaf is finished as soon as it is seen
            else:
                pop()
                emit(v)
    return order


def backward(roots: Sequence[Value], seeds: Sequence[float]) -> None:
    """Backpropagate from ``roots`` seeded with ``seeds``; gradients accumulate.

    Each call adds this pass's gradient to every node's ``.grad`` (leaves and
    intermediates alike), so two calls give twice the gradient. A call that
    raises (an :class:`AnomalyError` under ``detect_anomaly``) changes no gradient.

    Nodes are visited children first: newest first when every node of the graph is
    on this thread's tape (built since the last backward, see ``tape.py``), else in
    reverse :func:`topological_order`. The cycle collector is paused meanwhile (the
    walk makes no cycles, and a collection would scan the whole graph).

    Example:
        >>> from autograd import Value
        >>> x = Value(2.0); y = x * x
        >>> backward([y], [1.0]); backward([y], [1.0])
        >>> x.grad
        8.0
    """
    for r in roots:
        if r._primitive is ops.UNRECORDED:
            raise RuntimeError(
                f"backward() from a result computed under no_grad() ({describe(r)}): it has "
                "no graph to differentiate; compute it outside the no_grad() block"
            )
    with COLLECTOR_PAUSED:
        order, reached = reached_from(roots, take())
        if order is None:  # not all on the tape: sort the graph
            order = topological_order(roots)
            order.reverse()
            reached = order
        _backward_in_order(roots, seeds, order, reached)


def _backward_in_order(
    roots: Sequence[Value], seeds: Sequence[float], order: list[Value], reached: Collection[Value]
) -> None:
    """Backward over ``order`` (children first); ``reached`` holds every node, leaves too."""
    for hook in BEFORE_BACKWARD:  # e.g. compiled parameters held in arrays move back
        hook(reached)
    # Propagate only this pass's gradient: park earlier gradients, add them back after.
    earlier = any(map(_GRAD, reached))  # usually False: a training loop zeroes grads each step
    if earlier:
        saved = [(v, g) for v in reached if (g := v.grad) != 0.0]
        for v in reached:
            v.grad = 0.0
    try:
        for r, s in zip(roots, seeds):
            r.grad += s
        if MODE.anomaly:
            _propagate_checked(order)
        else:
            _walk(order, propagate_node)
    except BaseException:
        # A pass that fails part way (AnomalyError, KeyboardInterrupt) leaves no half
        # gradient behind: every node gets back the gradient it had before the call
        # (a zero comes back as 0.0).
        for v in reached:
            v.grad = 0.0
        if earlier:
            for v, g in saved:
                v.grad = g
        raise
    if earlier:
        for v, g in saved:
            v.grad += g


_GRAD = attrgetter("grad")


def propagate(order: Sequence[Value]) -> None:
    """The reference walk: send each node's ``.grad`` to its inputs, children first.

    Every node asks its registry entry for its local derivatives. Backward runs
    generated code for the common primitives instead (``inline_rules.py``), which
    gives the same numbers bit for bit; tests compare the two.

    Example:
        >>> from autograd import Value
        >>> x = Value(3.0); y = x * x; y.grad = 1.0
        >>> propagate([y, x]); x.grad
        6.0
    """
    for v in order:
        propagate_node(v)


def propagate_node(v: Value) -> None:
    """Send ``v.grad`` to the inputs of ``v``: ``p.grad += v.grad * d v/d p``, in input order.

    A selection (relu, max, min, x**0) reached by inf or nan sends exactly 0 to the
    inputs it did not select.

    Example:
        >>> from autograd import Value
        >>> a, b = Value(2.0), Value(5.0); c = a * b; c.grad = 1.0
        >>> propagate_node(c); a.grad, b.grad
        (5.0, 2.0)
    """
    parents = v.parents
    count = len(parents)
    if not count:
        return
    g = v.grad
    op = v._primitive
    if op.masks is not None and g - g != 0.0:
        _send_through_selection(v)
    elif count == 2:  # unpacked without a list: most nodes are binary
        a, b = parents
        da, db = op.partials(FLOAT, v.data, a.data, b.data, *op.params)
        a.grad += g * da
        b.grad += g * db
    elif count == 1:
        a = parents[0]
        a.grad += g * op.partials(FLOAT, v.data, a.data, *op.params)[0]
    else:
        local = op.partials(FLOAT, v.data, *[p.data for p in parents], *op.params)
        for p, d in zip(parents, local):
            p.grad += g * d


def _send_through_selection(v: Value) -> None:
    op = v._primitive
    inputs = [p.data for p in v.parents]
    local = op.partials(FLOAT, v.data, *inputs, *op.params)
    for p, c in zip(v.parents, op.contributions(FLOAT, v.grad, local, v.data, inputs)):
        p.grad += c


_walk = make_walk(propagate_node)


def _propagate_checked(order: list[Value]) -> None:
    m = FLOAT
    for v in order:
        parents = v.parents
        if not parents:
            continue
        g = v.grad
        op = v._primitive
        inputs = [p.data for p in parents]
        local = op.partials(m, v.data, *inputs, *op.params)
        sent = op.contributions(m, g, local, v.data, inputs)
        for i, (p, d, contribution) in enumerate(zip(parents, local, sent)):
            p.grad += contribution
            if not m.isfinite(contribution):
                n = len(parents)
                names = [q.label or ph for q, ph in zip(parents, op.input_names(n))]
                raise AnomalyError(
                    f"backward: {op.name} sends gradient {contribution} to its input "
                    f"{i + 1} of {len(parents)}\n"
                    f"  node: {describe(v)}\n"
                    f"  upstream gradient {g} × local derivative "
                    f"{op.formula(i, n, names=names)} = {d}\n"
                    f"  receiving node: {describe(p)}"
                )


def zero_grad(roots: Value | Iterable[Value]) -> None:
    """Set ``.grad`` to 0.0 on every node of the graph below ``roots``.

    Example:
        >>> from autograd import Value
        >>> x = Value(2.0); y = x * 3; y.backward()
        >>> zero_grad(y); x.grad
        0.0
    """
    if not _is_node(roots):
        roots = [r for r in _flatten_roots(roots)]
    for v in topological_order(roots):
        v.grad = 0.0


def _flatten_roots(roots: Iterable) -> list[Value]:
    out = []
    for r in roots:
        if _is_node(r):
            out.append(r)
        elif hasattr(r, "values"):  # a Tensor
            out.extend(r.values.flat)
        else:
            raise TypeError(f"expected Values or Tensors, got {type(r).__name__}")
    return out
