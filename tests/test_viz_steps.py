"""viz.steps: the backward pass step by step, checked against hand-worked numbers."""

import io

import pytest

from autograd import OPS, Tensor, Value
from autograd.value import apply
from viz.steps import backward_steps, format_steps, print_steps, step_rows


def _issue_example():
    # z = w*x + b; L = (y - exp(z))**2 / 2 with w=2, x=-1, b=0.5, y=1
    w, x, b, y = (Value(v, label=n) for v, n in ((2.0, "w"), (-1.0, "x"), (0.5, "b"), (1.0, "y")))
    z = w * x + b
    z.label = "z"
    L = (y - z.exp()) ** 2 / 2
    L.label = "L"
    return L, dict(w=w, x=x, b=b, y=y, z=z)


# By hand: z = -1.5, e = exp(-1.5) = 0.2231302, d = y - e = 0.7768698, L = d²/2 = 0.3017634.
# Reverse topological order is L, d²(pow#8), d(sub#7), e(exp#6), z, w*x(mul#3).
EXPECTED = [
    # node, parent, upstream, formula, local, contribution, total, status
    ("L", "pow#8", 1.0, "1/2", 0.5, 0.5, 0.5, "final"),
    ("L", "2", 1.0, "-pow#8/2²", -0.1508817, -0.1508817, -0.1508817, "final"),
    ("pow#8", "sub#7", 0.5, "2·sub#7^(2-1)", 1.5537397, 0.7768698, 0.7768698, "final"),
    ("sub#7", "y", 0.7768698, "1", 1.0, 0.7768698, 0.7768698, "final"),
    ("sub#7", "exp#6", 0.7768698, "-1", -1.0, -0.7768698, -0.7768698, "final"),
    ("exp#6", "z", -0.7768698, "exp(z)", 0.2231302, -0.1733431, -0.1733431, "final"),
    ("z", "mul#3", -0.1733431, "1", 1.0, -0.1733431, -0.1733431, "final"),
    ("z", "b", -0.1733431, "1", 1.0, -0.1733431, -0.1733431, "final"),
    ("mul#3", "w", -0.1733431, "x", -1.0, 0.1733431, 0.1733431, "final"),
    ("mul#3", "x", -0.1733431, "w", 2.0, -0.3466862, -0.3466862, "final"),
]


def test_steps_of_the_issue_example_in_order_with_numbers():
    L, _ = _issue_example()
    steps = backward_steps(L)
    got = [
        (
            s.node_name,
            s.parent_name,
            s.upstream,
            s.formula,
            s.local,
            s.contribution,
            s.total,
            s.status,
        )
        for s in steps
    ]
    assert [g[:2] for g in got] == [e[:2] for e in EXPECTED]
    assert [g[3] for g in got] == [e[3] for e in EXPECTED]
    assert [g[7] for g in got] == [e[7] for e in EXPECTED]
    for g, e in zip(got, EXPECTED):
        for col in (2, 4, 5, 6):
            assert g[col] == pytest.approx(e[col], abs=1e-6), (g, e)
    assert [s.index for s in steps] == list(range(1, 11))


def test_steps_do_not_touch_grads_and_agree_with_backward():
    L, leaves = _issue_example()
    steps = backward_steps(L)
    assert all(v.grad == 0.0 for v in leaves.values()) and L.grad == 0.0
    L.backward()
    for v in leaves.values():
        assert steps.grad(v) == pytest.approx(v.grad, abs=1e-12)
    assert steps.grad(leaves["w"]) == pytest.approx(0.1733431, abs=1e-6)


def test_shared_node_is_pending_until_its_last_use():
    x = Value(3.0, label="x")
    y = Value(2.0, label="y")
    a = x * y
    a.label = "a"
    out = x + a  # x used twice: directly and through a
    out.label = "out"
    steps = backward_steps(out, seed=2.0)
    # out -> x (pending, 2), out -> a (final, 2), a -> x (final, 2 + 2*2 = 6), a -> y (final, 6)
    assert [(s.node_name, s.parent_name, s.status) for s in steps] == [
        ("out", "x", "pending"),
        ("out", "a", "final"),
        ("a", "x", "final"),
        ("a", "y", "final"),
    ]
    assert [s.total for s in steps] == [2.0, 2.0, 6.0, 6.0]
    assert steps.chain_rule(x, precision=1) == (
        "∂out/∂x = ∂(x + a)/∂x + ∂out/∂a · ∂(x * y)/∂x = 2 · 1 + 2 · 2 = 6"
    )
    assert steps.chain_rule(out, precision=1) == "∂out/∂out = 2 (the seed)"


def test_square_gives_two_steps_to_the_same_parent():
    x = Value(-1.5, label="x")
    y = x * x
    steps = backward_steps(y)
    assert [(s.parent_name, s.formula, s.local, s.total, s.status) for s in steps] == [
        ("x", "x", -1.5, -1.5, "pending"),
        ("x", "x", -1.5, -3.0, "final"),
    ]


def test_max_pool_tie_sends_gradient_to_the_first_input():
    a, b = Value(2.0, label="a"), Value(2.0, label="b")
    m = apply(OPS["max"], (a, b))  # max-pooling's primitive
    m.label = "m"
    steps = backward_steps(m)
    assert [(s.parent_name, s.local) for s in steps] == [("a", 1.0), ("b", 0.0)]
    assert steps[0].formula == "1{a is the first maximum}"


def test_maximum_tie_splits_the_gradient_in_the_step_table():
    a, b = Value(2.0, label="a"), Value(2.0, label="b")
    m = a.max(b)  # torch.maximum's rule
    m.label = "m"
    steps = backward_steps(m)
    assert [(s.parent_name, s.local) for s in steps] == [("a", 0.5), ("b", 0.5)]
    assert steps[0].formula == "1{a > b} + 1{a = b}/2"


def test_print_steps_table_and_chain_rule():
    L, _ = _issue_example()
    buffer = io.StringIO()
    print_steps(L, precision=3, file=buffer)
    text = buffer.getvalue()
    assert text.startswith("backward from L (seed ∂L/∂L = 1), 10 steps")
    assert "mul#3 → x" in text and "  x     " in text and "-0.347" in text and "−" not in text
    assert "∂L/∂w = ∂L/∂mul#3 · ∂(w * x)/∂w = (-0.173) · (-1) = 0.173" in text
    assert format_steps(backward_steps(L), precision=3, width=100) == text.rstrip("\n")


def test_a_scalar_loss_tensor_is_stepped_through_its_value():
    W = Tensor([[1.0, 2.0], [3.0, 4.0]], label="W")
    v = Tensor([1.0, -1.0], label="v")
    steps = backward_steps((W @ v).sum())
    assert steps.grad(v[0]) == 4.0 and steps.grad(v[1]) == 6.0
    assert steps.grad(W[0, 1]) == -1.0


def test_negative_zero_prints_as_zero():
    x = Value(2.0, label="x")
    y = x * -0.0  # d y / d x = -0.0, so x's contribution is 1 · -0.0 = -0.0
    steps = backward_steps(y)
    assert str(steps[0].contribution) == "-0.0"
    text = format_steps(steps, precision=2)
    assert "1 · 0 = 0" in text
    assert step_rows(steps, 2)[0][4:7] == ["0", "0", "0"]  # local, contribution, total


def test_bad_arguments():
    with pytest.raises(TypeError, match="takes a Value or a one-element Tensor, got float"):
        backward_steps(3.0)
    with pytest.raises(TypeError, match=r"of shape \(2,\): reduce it first"):
        backward_steps(Tensor([1.0, 2.0]) * 2)
    with pytest.raises(TypeError, match="seed must be a number"):
        backward_steps(Value(1.0), seed="1")
