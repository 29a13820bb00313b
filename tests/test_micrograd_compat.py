"""micrograd's names on chalkgrad's Value: ``_prev``, ``_op`` and ``_backward``, so the
lecture's ``trace`` and ``draw_dot`` (demos/micrograd_lecture.py, copied from the lecture)
run unchanged and draw the same picture as on micrograd's own Value."""

from __future__ import annotations

import re

import pytest

from autograd import Tensor, Value
from demos.micrograd_lecture import backward_by_hand, draw_dot, neuron, trace


def build(V):
    """One graph over ops micrograd has (+ * ** relu), every node labelled."""
    x1, x2, w1, w2 = V(2.0), V(0.0), V(-3.0), V(1.0)
    b, two = V(6.8813735870195432), V(2.0)
    x1w1 = x1 * w1
    x2w2 = x2 * w2
    n = x1w1 + x2w2 + b
    h = (n * two).relu()
    o = h + n**2 + x1**-1
    names = "x1 x2 w1 w2 b two x1w1 x2w2 n h o".split()
    nodes = dict(zip(names, (x1, x2, w1, w2, b, two, x1w1, x2w2, n, h, o)))
    for name, v in nodes.items():
        v.label = name
    for v in trace(o)[0]:  # the unnamed intermediates: by their data
        if not getattr(v, "label", None):
            v.label = f"t{v.data:.6f}"
    return nodes


def canonical(dot_source: str, nodes) -> list[str]:
    """The DOT lines with every node id replaced by the node's label, sorted."""
    by_id = {str(id(v)): v.label for v in nodes}
    ids = sorted(by_id, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, ids)))
    return sorted(pattern.sub(lambda m: by_id[m.group(0)], dot_source).splitlines())


def test_prev_op_and_backward_in_micrograd_terms():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    assert (a * a)._prev == {a} and (a * a).parents == (a, a)
    ops = [(a + b)._op, (a * b)._op, (a**2)._op, (a**0.5)._op, a.relu()._op, a.tanh()._op]
    assert ops == ["+", "*", "**2", "**0.5", "ReLU", "tanh"]
    assert (a.exp()._op, (a - b)._op, (a / b)._op, a._op) == ("exp", "-", "/", "")
    v = neuron()
    backward_by_hand(v["o"])
    assert [v[k].grad for k in ("x1", "w1", "x2", "w2")] == pytest.approx([-1.5, 1.0, 0.5, 0.0])
    w = neuron()
    w["o"].backward()
    assert {k: w[k].grad for k in v} == {k: v[k].grad for k in v}


def test_the_lecture_trace_and_draw_dot_run_on_chalkgrad_values():
    v = neuron()
    v["o"].backward()
    nodes, edges = trace(v["o"])
    assert len(nodes) == 10 and len(edges) == 9
    source = draw_dot(v["o"]).source
    assert "{ x1 | data 2.0000 | grad -1.5000 }" in source
    assert "{ o | data 0.7071 | grad 1.0000 }" in source
    assert sorted({n._op for n in nodes}) == ["", "*", "+", "tanh"]


def test_draw_dot_is_the_same_picture_as_on_micrograd():
    micrograd = pytest.importorskip(
        "micrograd.engine",
        reason="micrograd is not installed (pip install micrograd; the dev extra has it)",
    )
    ours, theirs = build(Value), build(micrograd.Value)
    ours["o"].backward()
    theirs["o"].backward()
    for name in ours:
        assert ours[name].data == pytest.approx(theirs[name].data, rel=1e-12), name
        assert ours[name].grad == pytest.approx(theirs[name].grad, rel=1e-12), name
    ours_nodes, theirs_nodes = trace(ours["o"])[0], trace(theirs["o"])[0]
    assert canonical(draw_dot(ours["o"]).source, ours_nodes) == canonical(
        draw_dot(theirs["o"]).source, theirs_nodes
    )


def test_tensor_elements_are_micrograd_nodes_too():
    t = Tensor([1.0, -2.0], label="t")
    y = (t * t).sum()
    assert y.values[()]._op == "Σ" and {p._op for p in y.values[()]._prev} == {"*"}
