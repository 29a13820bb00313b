"""Backward's fast path (the tape and the generated rules) against the reference walk.

The reference walk is :func:`autograd.graph.propagate`: every node asks its registry
entry for its partials. Backward walks the tape newest first when the tape covers the
graph, else the reverse topological order, and runs ``inline_rules``' generated code.
Gradients are compared bit for bit (``struct.pack``), signed zeros and infinities
included (nan as nan, see :func:`bits`), against the reference walk over the same
node order.
"""

from __future__ import annotations

import gc
import struct
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Tensor, Value, backward, linear, no_grad, ops, tape, topological_order
from autograd.graph import propagate
from autograd.inline_rules import recorded_partials, walk_source
from autograd.testing.strategies import expressions

FUZZ = settings(max_examples=150, deadline=None, database=None)


def bits(x: float) -> bytes:
    """The float's bytes; every nan counts as one value.

    The sign of a nan made from two nans (nan + nan) depends on which C routine
    CPython's adaptive interpreter runs for the addition at that moment, so it is
    not reproducible even between two runs of the same walk.
    """
    x = float(x)
    return b"nan" if x != x else struct.pack("<d", x)


def reference(build, order: str = "creation"):
    """Build a graph with ``build()`` -> (root, nodes) and backpropagate with the reference walk.

    ``order`` is the node order backward would take: ``"creation"`` (newest first, as
    from the tape) or ``"sorted"`` (reverse topological order).
    """
    tape.take()
    root, nodes = build()
    created = tape.nodes_of(tape.take())
    reachable = set(topological_order(root))
    if order == "creation":
        walk = [v for v in reversed(created) if v in reachable]
    else:
        walk = list(reversed(topological_order(root)))
    root.grad += 1.0
    propagate(walk)
    return root, nodes


def fast(build):
    tape.take()
    root, nodes = build()
    root.backward()
    return root, nodes


def assert_same_bits(a: list[Value], b: list[Value]) -> None:
    assert [bits(v.grad) for v in a] == [bits(v.grad) for v in b], (
        [v.grad for v in a],
        [v.grad for v in b],
    )


def everything(e):
    """Build ``e`` and return its root and all of its nodes (leaves and intermediates)."""

    def build():
        root, leaves = e.build()
        return root, leaves + [v for v in topological_order(root) if v.parents]

    return build


@FUZZ
@given(expressions(max_steps=12))
def test_fresh_graphs_match_the_reference_bit_for_bit(e):
    _, expected = reference(everything(e))
    _, got = fast(everything(e))
    assert_same_bits(got, expected)


@FUZZ
@given(expressions(max_steps=10), st.integers(0, 3))
def test_unrelated_graphs_on_the_tape_are_skipped(e, extra):
    def build():
        noise = [Value(1.5) * Value(-2.0) for _ in range(extra)]  # built, never used
        root, nodes = everything(e)()
        noise += [(n * 2.0).exp() for n in nodes[:extra]]  # uses the graph, not reached
        return root, nodes

    _, expected = reference(everything(e))
    _, got = fast(build)
    assert_same_bits(got, expected)


@FUZZ
@given(expressions(max_steps=10))
def test_backward_twice_matches_the_reference(e):
    root, nodes = everything(e)()
    root.backward()  # newest first, from the tape
    _, first = reference(everything(e), order="creation")
    assert [bits(v.grad) for v in nodes] == [bits(v.grad) for v in first]
    root.backward()  # the tape was used up: this pass sorts the graph
    _, second = reference(everything(e), order="sorted")
    # backward parks the first pass's gradients and adds them back after the second pass
    expected = [b.grad + a.grad if a.grad != 0.0 else b.grad for a, b in zip(first, second)]
    assert [bits(v.grad) for v in nodes] == [bits(g) for g in expected]


@FUZZ
@given(expressions(max_steps=10), expressions(max_steps=6))
def test_a_graph_extended_after_a_backward_is_sorted(e, f):
    def build():
        root, nodes = everything(e)()
        return root, nodes

    root, nodes = build()
    root.backward()
    for v in nodes:
        v.grad = 0.0
    root.grad = 0.0
    top, more = everything(f)()
    joined = root * 0.5 + top  # old nodes (before the backward) and new ones
    joined.backward()
    got = [bits(v.grad) for v in nodes + more]
    for v in topological_order(joined):
        v.grad = 0.0
    joined.grad += 1.0
    propagate(list(reversed(topological_order(joined))))
    assert got == [bits(v.grad) for v in nodes + more]


def test_a_graph_built_in_two_threads_is_sorted_and_exact():
    x = Value(0.7, label="x")
    made = {}

    def worker():
        made["h"] = (x * x).tanh() * 3.0 + x  # on the worker thread's tape

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    y = (made["h"] * x).relu() + made["h"]  # on this thread's tape
    y.backward()
    got = x.grad
    x.grad = 0.0
    for v in topological_order(y):
        v.grad = 0.0
    y.grad = 1.0
    propagate(list(reversed(topological_order(y))))
    assert bits(got) == bits(x.grad) and got != 0.0


def test_two_threads_each_with_their_own_graph_get_exact_gradients():
    results, expected = {}, {}

    def train(k):
        w = [Value(0.1 * (k + i)) for i in range(20)]
        for _ in range(30):
            for p in w:
                p.grad = 0.0
            loss = sum((p * p * (k + 1.0)).tanh() for p in w)
            loss.backward()
        results[k] = [p.grad for p in w]
        for p in w:
            p.grad = 0.0
        loss = sum((p * p * (k + 1.0)).tanh() for p in w)
        loss.grad = 1.0
        propagate(list(reversed(topological_order(loss))))
        expected[k] = [p.grad for p in w]

    threads = [threading.Thread(target=train, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(2):
        assert [bits(g) for g in results[k]] == [bits(g) for g in expected[k]]


def test_no_grad_results_are_leaves_and_not_on_the_tape():
    tape.take()
    x = Value(2.0)
    with no_grad():
        c = x * 3.0
    assert len(tape.here()) == 0
    y = c * x
    y.backward()
    assert (x.grad, c.grad) == (6.0, 2.0)


def test_tensor_graph_matches_the_reference_bit_for_bit():
    rng = np.random.default_rng(3)
    W, b = rng.normal(size=(8, 3)), rng.normal(size=8)
    X = rng.normal(size=(20, 3))

    def build():
        Wt, bt = Tensor(W), Tensor(b)
        h = linear(Tensor(X), Wt, bt).relu()
        root = (h * h).mean() + h.sum() * 0.1
        root = root.values.flat[0]
        return root, list(Wt.values.flat) + list(bt.values.flat)

    _, expected = reference(build)
    _, got = fast(build)
    assert_same_bits(got, expected)
    assert any(v.grad != 0.0 for v in got)


def test_the_tape_keeps_no_graph_alive_after_backward():
    import weakref

    class Probe:  # a Value cannot be weakly referenced; its label can hold something that can
        pass

    tape.take()
    probe = Probe()
    x = Value(1.0)
    y = (x * 2.0).relu()
    y.parents[0].label = probe  # type: ignore[assignment]
    ref = weakref.ref(probe)
    del probe
    y.backward()
    del y
    gc.collect()
    assert ref() is None and x.grad == 2.0


def test_a_full_tape_drops_its_oldest_nodes_and_backward_sorts(monkeypatch):
    monkeypatch.setattr(tape, "CAPACITY", 4)
    tape.take()  # a new tape, of the patched capacity
    try:
        x = Value(1.0)
        y = x
        for _ in range(6):
            y = y * 1.5
        assert len(tape.here()) == 4
        y.backward()
        assert x.grad == 1.5**6
    finally:
        monkeypatch.undo()
        tape.take()  # a tape of the usual capacity again


def test_gc_is_paused_during_backward_and_restored():
    seen = []
    x = Value(1.0)

    y = x * 2.0
    from autograd import graph

    graph.BEFORE_BACKWARD.append(lambda nodes: seen.append(gc.isenabled()))
    try:
        assert gc.isenabled()
        y.backward()
        gc.disable()
        (x * 3.0).backward()
        assert not gc.isenabled()  # a caller's choice is kept
        gc.enable()
    finally:
        graph.BEFORE_BACKWARD.pop()
    assert seen == [False, False] and gc.isenabled()


@pytest.mark.parametrize(
    "op, count, expected",
    [
        (ops.MUL, 2, ("x1", "x0")),
        (ops.ADD, 2, ("1.0", "1.0")),
        (ops.SUB, 2, ("1.0", "-1.0")),
        (ops.RELU, 1, ("m_step(x0)",)),
        (ops.DOT, 5, ("x2", "x3", "x0", "x1", "1.0")),
        (ops.SUM, 3, ("1.0", "1.0", "1.0")),
    ],
)
def test_inline_rules_are_read_from_the_registry(op, count, expected):
    assert recorded_partials(op, count) == expected


def test_generated_walk_names_the_registry_ops():
    source = walk_source()
    for name in ("mul", "add", "sub", "relu", "tanh"):
        assert f"op is OP_{name}" in source
    assert "OP_max" not in source  # a rule that compares its inputs is not written out


def test_backward_from_tensor_roots_uses_the_tape_and_is_exact():
    a = Tensor([1.0, -2.0, 3.0])
    y = (a * a).relu()
    backward(list(y.values.flat), [1.0, 1.0, 1.0])
    assert a.grad.tolist() == [2.0, -4.0, 6.0]


def test_tensor_ops_on_a_graph_from_before_the_last_backward_are_sorted_and_exact():
    rng = np.random.default_rng(5)
    W = Tensor(rng.normal(size=(4, 3)))
    h = linear(Tensor(rng.normal(size=(6, 3))), W, None).tanh()
    h.sum().backward()  # uses the tape up
    for v in W.values.flat:
        v.grad = 0.0
    for v in topological_order(list(h.values.flat)):
        v.grad = 0.0
    loss = (h * h).mean()  # a batch whose inputs were built before that backward
    loss.backward()
    got = [bits(v.grad) for v in W.values.flat]
    for v in topological_order(list(loss.values.flat)):
        v.grad = 0.0
    root = loss.values.flat[0]
    root.grad = 1.0
    propagate(list(reversed(topological_order(root))))
    assert got == [bits(v.grad) for v in W.values.flat]
    assert any(v.grad != 0.0 for v in W.values.flat)


@FUZZ
@given(expressions(max_steps=8), st.integers(0, 2))
def test_a_failing_pass_leaves_the_gradients_as_they_were(e, extra):
    from autograd import AnomalyError, detect_anomaly

    root, nodes = everything(e)()
    for k, v in enumerate(nodes[: extra + 1]):
        v.grad = float(k + 1)  # earlier gradients
    before = [bits(v.grad) for v in nodes]
    try:
        with detect_anomaly():
            root.backward()
    except AnomalyError:
        assert [bits(v.grad) for v in nodes] == before


def test_a_tape_whose_batches_grow_too_big_starts_again(monkeypatch):
    monkeypatch.setattr(tape, "CAPACITY", 10)
    tape.take()  # a new tape, of the patched capacity
    try:
        x = Tensor([1.0, 2.0, 3.0, 4.0])
        h = (x * 2.0).relu()  # two batches of 4 nodes
        y = (h * h).sum()  # a third batch: over 10 nodes, the tape starts again
        assert tape.here().batched <= 10
        y.backward()  # the first nodes are missing: the graph is sorted
        assert x.grad.tolist() == [8.0, 16.0, 24.0, 32.0]
    finally:
        monkeypatch.undo()
        tape.take()  # a tape of the usual capacity again


def test_a_copied_context_that_builds_after_a_backward_elsewhere_still_gets_exact_gradients():
    # The tape lives in a context variable: a copied context shares the tape until one side
    # takes it; the other side keeps building on the taken one, and its backward is exact
    # whether it finds its graph there or sorts it.
    import contextvars

    tape.take()
    x = Value(3.0)
    h = x * x  # on the tape both contexts share
    context = contextvars.copy_context()
    (h * 2.0).backward()  # takes the shared tape here; the copy keeps the taken one
    assert x.grad == 12.0  # d(2 x^2)/dx = 4x
    x.grad = 0.0

    def other_side():
        y = h * x  # x^3, built onto the tape the first backward took
        y.backward()
        return x.grad

    assert context.run(other_side) == 27.0  # 3 x^2


def test_a_new_thread_starts_its_own_tape():
    seen = {}

    def worker():
        seen["empty"] = len(tape.here())
        v = Value(2.0) * 5.0
        seen["own"] = tape.here()[-1] is v

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert seen == {"empty": 0, "own": True}
