"""Why backprop needs a topological order: a node used twice.

Graph (x = 2): a = x * x, b = 3 a, c = b + 1, d = 5 a, f = c + d.
The node a feeds both b and d, so df/da = 3 + 5 = 8 and df/dx = 8 * 2x = 32.

A naive pass walks depth-first from f and lets each node send its gradient to
its parents as soon as the walk first reaches it. It reaches a through c and b
while a's gradient still holds only the 3 from b, sends 3 * 2x = 12 on to x,
and never revisits a when d later adds its 5: x gets 12, not 32. The engine
first sorts the graph topologically, so a node sends its gradient only after
every node that uses it has sent theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograd import FLOAT, Value
from demos.common import check, heading, save_graph, start
from viz import backward_steps, print_steps

TITLE = "Why backprop needs a topological order: a naive depth-first pass gets df/dx wrong"


def build(x0: float = 2.0) -> tuple[Value, Value, Value]:
    """``(x, a, f)`` for a = x*x, b = 3a, c = b + 1, d = 5a, f = c + d.

    Example:
        >>> x, a, f = build()
        >>> f.data, a.data
        (33.0, 4.0)
    """
    x = Value(x0, label="x")
    a = x * x
    a.label = "a"
    b = a * 3
    b.label = "b"
    c = b + 1
    c.label = "c"
    d = a * 5
    d.label = "d"
    f = c + d
    f.label = "f"
    return x, a, f


@dataclass
class NaiveStep:
    """One contribution of the naive pass."""

    node: str
    parent: str
    upstream: float
    local: float
    contribution: float
    total: float


def naive_backward(root: Value) -> tuple[dict[int, float], list[NaiveStep]]:
    """Depth-first from ``root``; a node propagates when first reached (the bug).

    Returns the gradients (by node id) and the steps in the order they happened.
    An explicit stack replaces the recursion a naive implementation would use.

    Example:
        >>> x, a, f = build()
        >>> grads, _ = naive_backward(f)
        >>> grads[id(x)]   # the right answer is 32
        12.0
    """
    grads = {id(root): 1.0}
    seen = {id(root)}
    steps = []
    stack = [root]
    while stack:
        v = stack.pop()
        if not v.parents:
            continue
        op = v.primitive
        local = op.partials(FLOAT, v.data, *[p.data for p in v.parents], *op.params)
        upstream = grads[id(v)]
        for p, d in zip(v.parents, local):
            grads[id(p)] = grads.get(id(p), 0.0) + upstream * d
            steps.append(
                NaiveStep(_name(v), _name(p), upstream, float(d), upstream * d, grads[id(p)])
            )
        for p in reversed(v.parents):  # visit the first parent first, as a recursion would
            if id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
    return grads, steps


def _name(v: Value) -> str:
    return v.label if v.label is not None else f"{v.data:g}"


def print_naive(steps: list[NaiveStep]) -> None:
    """The naive pass as a table like viz.print_steps'."""
    print(
        f"{'step':5} {'node → input':14} {'upstream':>9} {'local':>7} {'contribution':>13} "
        f"{'total':>7}"
    )
    for i, s in enumerate(steps, 1):
        print(
            f"{i:<5} {s.node + ' → ' + s.parent:14} {s.upstream:9.4f} {s.local:7.4f} "
            f"{s.contribution:13.4f} {s.total:7.4f}"
        )


def main(argv: list[str] | None = None) -> int:
    """Print both step tables and write ``topological_order.svg``."""
    out = start(argv, TITLE)
    heading("The graph")
    print("x = 2, a = x * x, b = 3 a, c = b + 1, d = 5 a, f = c + d  (a is used twice)")
    print("by hand: df/da = 3 + 5 = 8, df/dx = df/da * 2x = 32")
    x, a, f = build()
    heading("Naive depth-first pass: a node sends its gradient as soon as it is reached")
    grads, steps = naive_backward(f)
    print_naive(steps)
    print(f"naive: df/da = {grads[id(a)]:g} (complete too late), df/dx = {grads[id(x)]:g}")
    check(grads[id(x)] == 12.0, "naive df/dx = 12: a sent 3 * 4 before d's 5 arrived")
    heading("The engine: reverse topological order (viz.print_steps)")
    print_steps(f, precision=4)
    engine = backward_steps(f)
    f.backward()
    check(
        x.grad == 32.0 and engine.grad(x) == 32.0,
        "engine df/dx = 32: a sends only after b and d have both sent (status 'final')",
    )
    save_graph(
        f,
        out,
        "topological_order",
        title="a is used twice: df/da = 3 + 5, df/dx = 32",
        derivatives=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
