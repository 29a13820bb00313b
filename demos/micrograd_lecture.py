"""micrograd's lecture neuron, run with chalkgrad Values and drawn both ways.

The lecture ("The spelled-out intro to neural networks and backpropagation") builds
one neuron o = tanh(x1 w1 + x2 w2 + b) with x1 = 2, x2 = 0, w1 = -3, w2 = 1 and
b = 6.8813735870195432 (chosen so that n = 0.8814 and o = 1/√2), and backpropagates:
do/dn = 1 - o² = 0.5, so x1.grad = w1 · 0.5 = -1.5, w1.grad = x1 · 0.5 = 1,
x2.grad = w2 · 0.5 = 0.5 and w2.grad = x2 · 0.5 = 0.

Its ``trace`` and ``draw_dot`` are copied below as the lecture writes them: they read
``n._prev`` and ``n._op``, which chalkgrad's Value answers in micrograd's terms, so they
run unchanged. The lecture's hand-run backward pass (``_backward`` node by node in
topological order) runs too. Then the same graph is drawn by chalkgrad's ``viz.draw``.
"""

from __future__ import annotations

from graphviz import Digraph

from autograd import Value
from demos.common import check, heading, save_graph, show, start

TITLE = "micrograd's lecture neuron with chalkgrad Values: trace, draw_dot and viz.draw"


# ------------------------------------------------ the lecture's code, unchanged
def trace(root):
    # builds a set of all nodes and edges in a graph
    nodes, edges = set(), set()

    def build(v):
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)

    build(root)
    return nodes, edges


def draw_dot(root):
    dot = Digraph(format="svg", graph_attr={"rankdir": "LR"})  # LR = left to right

    nodes, edges = trace(root)
    for n in nodes:
        uid = str(id(n))
        # for any value in the graph, create a rectangular ('record') node for it
        dot.node(
            name=uid,
            label="{ %s | data %.4f | grad %.4f }" % (n.label, n.data, n.grad),  # noqa: UP031
            shape="record",
        )
        if n._op:
            # if this value is a result of some operation, create an op node for it
            dot.node(name=uid + n._op, label=n._op)
            # and connect this node to it
            dot.edge(uid + n._op, uid)

    for n1, n2 in edges:
        # connect n1 to the op node of n2
        dot.edge(str(id(n1)), str(id(n2)) + n2._op)

    return dot


# --------------------------------------------------------------- the neuron
def neuron() -> dict[str, Value]:
    """The lecture's neuron, labelled as the lecture labels it; ``o`` is its output.

    Example:
        >>> v = neuron(); v["o"].backward()
        >>> [round(v[k].grad, 12) for k in ("x1", "w1", "x2", "w2")], round(v["o"].data, 4)
        ([-1.5, 1.0, 0.5, 0.0], 0.7071)
    """
    # inputs x1,x2
    x1 = Value(2.0, label="x1")
    x2 = Value(0.0, label="x2")
    # weights w1,w2
    w1 = Value(-3.0, label="w1")
    w2 = Value(1.0, label="w2")
    # bias of the neuron
    b = Value(6.8813735870195432, label="b")
    # x1*w1 + x2*w2 + b
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "n": n, "o": o}


def backward_by_hand(o: Value) -> None:
    """The lecture's manual pass: seed o.grad, then ``_backward`` in reverse topological order.

    Example:
        >>> v = neuron(); backward_by_hand(v["o"]); round(v["x1"].grad, 12)
        -1.5
    """
    o.grad = 1.0
    topo = []
    visited = set()

    def build_topo(v):
        if v not in visited:
            visited.add(v)
            for child in v._prev:
                build_topo(child)
            topo.append(v)

    build_topo(o)
    for node in reversed(topo):
        node._backward()


def main(argv: list[str] | None = None) -> int:
    """Backpropagate the neuron twice (by hand, then ``backward()``) and draw it both ways."""
    from viz import render

    out = start(argv, TITLE)
    heading("The neuron: o = tanh(x1*w1 + x2*w2 + b)")
    v = neuron()
    show("n", v["n"].data)
    show("o", v["o"].data, note="1/√2")
    heading("The lecture's hand-run backward: _backward() node by node")
    backward_by_hand(v["o"])
    hand = {k: v[k].grad for k in ("x1", "w1", "x2", "w2")}
    for name, grad in hand.items():
        show(f"{name}.grad", grad)
    lecture = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0}  # 1 - o² = 0.5 up to rounding
    check(
        all(abs(hand[k] - lecture[k]) < 1e-12 for k in lecture),
        "x1.grad = -1.5, w1.grad = 1, x2.grad = 0.5, w2.grad = 0, as in the lecture",
    )
    heading("o.backward() gives the same numbers")
    v = neuron()
    v["o"].backward()
    check(
        {k: v[k].grad for k in hand} == hand,
        "chalkgrad's backward() agrees with the lecture's pass",
    )
    heading("Pictures")
    nodes, edges = trace(v["o"])
    print(f"trace: {len(nodes)} nodes, {len(edges)} edges; ops {sorted({n._op for n in nodes})}")
    path = render(draw_dot(v["o"]), out / "micrograd_lecture_draw_dot.svg")
    print(f"wrote {path}  (the lecture's draw_dot)")
    save_graph(v["o"], out, "micrograd_lecture", title="micrograd's neuron: o = tanh(n)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
