"""assert_grad, assert_backward, explain_gradient and the hypothesis strategies."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings

from autograd import Tensor, Value
from autograd.testing import (
    GradientAssertionError,
    assert_backward,
    assert_grad,
    explain_gradient,
    node_names,
)
from autograd.testing.strategies import Expression, expressions, tensors, values


def square_loss():
    w, x = Value(2.0, label="w"), Value(3.0, label="x")
    return (w * x - 1) ** 2, w, x  # dL/dw = 2 x (w x - 1) = 30, dL/dx = 2 w (w x - 1) = 20


# ------------------------------------------------------------------ assert_grad
def test_assert_grad_accepts_the_hand_derived_numbers():
    L, w, x = square_loss()
    assert_grad(L, {w: 30.0, "x": 20.0})
    assert (w.grad, x.grad) == (30.0, 20.0)  # backward ran once, from a clean start


def test_assert_grad_runs_backward_afresh_even_after_an_earlier_backward():
    L, w, _ = square_loss()
    L.backward()
    L.backward()  # w.grad is now 60: two calls accumulate
    assert_grad(L, {w: 30.0})


def test_a_wrong_number_names_both_sides_the_point_and_the_chain_rule():
    L, w, _ = square_loss()
    with pytest.raises(GradientAssertionError) as caught:
        assert_grad(L, {w: 29.0})
    assert str(caught.value).splitlines() == [
        "gradient of pow#5 with respect to w is wrong",
        "  expected: 29",
        "  engine:   30",
        "  at:       w = 2, x = 3",
        "chain rule in the engine:",
        "dpow#5/dw = 30",
        "  = dpow#5/dmul#2 · dmul#2/dw = 10 · [x = 3]",
        "path: pow#5 <- sub#4 <- mul#2 <- w",
    ]


def test_closed_forms_are_checked_at_the_point_and_everywhere():
    pytest.importorskip("sympy", reason="closed forms need sympy")
    L, w, x = square_loss()
    assert_grad(L, {"w": "2 x (w x - 1)", x: "2 w (w x - 1)"})
    with pytest.raises(GradientAssertionError, match=r"expected: 2 w \(w x - 1\)  \(= 20 here\)"):
        assert_grad(L, {"w": "2 w (w x - 1)"})
    # 10 x is 30 at x = 3, as the engine says, but it is not dL/dw elsewhere.
    with pytest.raises(
        GradientAssertionError,
        match="matches at the graph's point, w = 2, x = 3, but not everywhere",
    ):
        assert_grad(L, {"w": "10 x"})


def test_a_closed_form_naming_an_unknown_leaf_is_refused():
    pytest.importorskip("sympy", reason="closed forms need sympy")
    L, _, _ = square_loss()
    with pytest.raises(
        ValueError,
        match=r"uses \['b'\], which are not labelled leaves of the "
        r"graph; leaves: \['w', 'x'\]",
    ):
        assert_grad(L, {"w": "2 x (w x - b)"})


def test_tensors_are_compared_element_by_element_and_found_by_label():
    W = Tensor([[1.0, 2.0], [3.0, 4.0]], label="W")
    x = Tensor([1.0, -1.0], label="x")
    L = (W @ x).sum()  # dL/dW[i,j] = x[j], dL/dx[j] = sum_i W[i,j]
    assert_grad(L, {W: [[1.0, -1.0], [1.0, -1.0]], "x": [4.0, 6.0]})
    with pytest.raises(
        GradientAssertionError,
        match=r"with respect to W\[1,1\] is wrong\n"
        r"  expected: 1\n  engine:   -1",
    ):
        assert_grad(L, {"W": [[1.0, -1.0], [1.0, 1.0]]})
    with pytest.raises(
        GradientAssertionError,
        match=r"has shape \(2,\), the Tensor has shape "
        r"\(2, 2\)",
    ):
        assert_grad(L, {W: [1.0, -1.0]})


def test_nan_equals_nan_and_inf_must_match_exactly():
    x = Value(-1.0, label="x")
    assert_grad(x.log(), {x: -1.0})
    y = Value(0.0, label="y")
    assert_grad(y.sqrt(), {y: math.inf})  # d sqrt(y)/dy = 1/(2 sqrt y) = inf at 0
    z = Value(math.nan, label="z")
    assert_grad(z * 2, {z: 2.0})
    assert_grad(z * z, {z: math.nan})


@pytest.mark.parametrize(
    "graph, expected, error, message",
    [
        (
            Tensor([1.0, 2.0]) * 2,
            {"x": 1.0},
            ValueError,
            r"needs a scalar root, got a Tensor of "
            r"shape \(2,\)",
        ),
        ("L", {"x": 1.0}, TypeError, "needs a Value, a one-element Tensor or a function"),
        (Value(1.0, label="x") * 2, {}, TypeError, "non-empty mapping"),
        (
            Value(1.0, label="x") * 2,
            {"y": 1.0},
            ValueError,
            r"no node labelled 'y' \(nor y\[i,...\]\) in the graph of the loss; "
            r"labels: \['x'\]",
        ),
        (Value(1.0, label="x") * 2, {3: 1.0}, TypeError, "must be Values, Tensors or labels"),
    ],
)
def test_bad_arguments_say_what_is_accepted(graph, expected, error, message):
    with pytest.raises(error, match=message):
        assert_grad(graph, expected)


def test_a_function_building_the_graph_is_accepted():
    assert_grad(lambda: Value(0.0, label="x").tanh(), {"x": 1.0})


# --------------------------------------------------------------- explain_gradient
def test_explain_lists_every_use_of_a_shared_node_largest_first():
    x = Value(3.0, label="x")
    y = x * x + 2 * x  # dy/dx = 2x + 2 = 8: three uses of x
    y.label = "y"
    y.backward()
    assert explain_gradient(y, x).splitlines() == [
        "dy/dx = 8",
        "  = dy/dmul#1 · dmul#1/dx = 1 · [x = 3]",
        "  + dy/dmul#1 · dmul#1/dx = 1 · [x = 3]",
        "  + dy/dmul#3 · dmul#3/dx = 1 · 2",
        "path: y <- mul#1 <- x",
    ]


def test_display_names_follow_the_step_tables():
    x = Value(2.0, label="x")
    y = (x * 3).exp()
    from autograd import topological_order

    assert list(node_names(topological_order(y)).values()) == ["x", "3", "mul#2", "exp#3"]


def test_a_key_the_loss_does_not_use_is_refused_by_name():
    # the loss is built from a copy of W: W's .grad is from an earlier pass (stale)
    W = Tensor([[1.0, 2.0]], label="W")
    (W * W).sum().backward()  # W.grad = 2W = [[2, 4]]
    copy = Tensor(W.data.copy(), label="W")
    loss = (copy * copy).sum()
    with pytest.raises(ValueError, match=r"^Tensor 'W' is not in the graph of the loss"):
        assert_grad(loss, {W: [[2.0, 4.0]]})
    assert_grad(loss, {copy: [[2.0, 4.0]]})  # the Tensor the loss uses
    w = Value(3.0, label="w")
    with pytest.raises(ValueError, match=r"^Value 'w' is not a node of the graph of the loss"):
        assert_grad(Value(3.0, label="w") * 2, {w: 2.0})
    with pytest.raises(ValueError, match=r"^no node labelled 'v' \(nor v\[i,...\]\)"):
        assert_grad(w * 2, {"v": 2.0})


def test_a_tensor_element_the_loss_does_not_use_has_gradient_0_not_a_stale_one():
    W = Tensor([3.0, 5.0], label="W")
    (W * W).sum().backward()  # stale grads 6 and 10
    loss = W[0] * 2  # W[1] is not used
    assert_grad(loss, {W: [2.0, 0.0]})
    with pytest.raises(GradientAssertionError, match=r"engine:   0 \(the loss does not use"):
        assert_grad(loss, {W: [2.0, 10.0]})


def test_explain_refuses_a_node_outside_the_graph():
    with pytest.raises(ValueError, match="is not a node of the graph"):
        explain_gradient(Value(1.0) * 2, Value(5.0))


# ----------------------------------------------------------------- assert_backward
def affine(x, w, b):
    return x @ w + b


def affine_backward(x, w, b, dout):
    return dout @ w.T, x.T @ dout, dout.sum(axis=0)


RNG = np.random.default_rng(3)
X, W, B = RNG.standard_normal((4, 3)), RNG.standard_normal((3, 2)), RNG.standard_normal(2)


def test_a_correct_affine_backward_passes_on_given_and_random_inputs():
    assert_backward(affine_backward, affine, [X, W, B], trials=4)


def test_the_engine_side_equals_the_hand_derived_affine_gradients():
    seen = {}

    def spy(x, w, b, dout):
        seen["dout"] = dout
        return affine_backward(x, w, b, dout)

    upstream = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0], [-1.0, 0.5]])
    assert_backward(spy, affine, [X, W, B], upstream=upstream, trials=1)
    np.testing.assert_array_equal(seen["dout"], upstream)
    # db is the column sum of the upstream gradient: (1 + 0 + 1 - 1, 0 + 2 + 1 + 0.5)
    np.testing.assert_allclose(affine_backward(X, W, B, upstream)[2], [1.0, 3.5])


def test_a_wrong_element_is_named_with_both_values_and_a_hint():
    def db_off_by_one(x, w, b, dout):
        dx, dw, db = affine_backward(x, w, b, dout)
        db = db.copy()
        db[1] += 1.0
        return dx, dw, db

    upstream = np.ones((4, 2))
    with pytest.raises(GradientAssertionError) as caught:
        assert_backward(db_off_by_one, affine, [X, W, B], upstream=upstream)
    text = str(caught.value)
    assert text.startswith(
        "gradient of input 'b' is wrong at index (1,) (the given inputs)\n"
        "  expected (chalkgrad): d out/d b[1] = 4\n"
        "  received (backward_fn): 5\n"
    )
    assert "chain rule for b[1] in the engine (L = sum(upstream * out)):\ndL/db[1] = 4\n" in text


def test_different_shapes_are_reported_as_such():
    def transposed_dw(x, w, b, dout):
        dx, dw, db = affine_backward(x, w, b, dout)
        return dx, dw.T, db

    with pytest.raises(
        GradientAssertionError,
        match=r"gradient of input 'w' has shape \(2, 3\); "
        r"'w' has shape \(3, 2\)",
    ):
        assert_backward(transposed_dw, affine, [X, W, B])


def test_a_bug_that_only_random_inputs_reveal_is_caught_repeatably():
    def relu_backward_for_positive_inputs(x, dout):
        return dout  # right only where x > 0

    positive = np.array([[0.5, 2.0, 1.0]])
    messages = []
    for _ in range(2):
        with pytest.raises(
            GradientAssertionError, match="random inputs, trial 2 of 3, seed=7"
        ) as e:
            assert_backward(
                relu_backward_for_positive_inputs, lambda x: x.relu(), [positive], seed=7
            )
        messages.append(str(e.value))
    assert messages[0] == messages[1]


def test_integer_inputs_are_constants_and_get_no_gradient():
    def softmax_loss(x, y):
        return -x.log_softmax(axis=1)[np.arange(len(y)), y].mean()

    def softmax_loss_backward(x, y, dout):
        p = np.exp(x - x.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(len(y)), y] -= 1
        return p * dout / len(y)  # one gradient: for the float input only

    scores, labels = RNG.standard_normal((5, 3)), np.array([0, 2, 1, 1, 0])
    assert_backward(softmax_loss_backward, softmax_loss, [scores, labels])
    assert_backward(
        lambda x, y, d: (softmax_loss_backward(x, y, d), None),
        softmax_loss,
        {"scores": scores, "labels": labels},
    )


@pytest.mark.parametrize(
    "backward_fn, message",
    [
        (
            lambda x, w, b, d: (d @ w.T, x.T @ d),
            r"returned 2 gradients; expected 3 \(one per input: "
            r"x, w, b\) or 3 \(one per float input\)",
        ),
        (lambda x, w, b, d: (d @ w.T, None, d.sum(axis=0)), "returned None for input 'w'"),
        (lambda x, w, b, d: d @ w.T, "must return a tuple of 3 gradients"),
    ],
)
def test_a_backward_returning_the_wrong_things_is_told_what_is_expected(backward_fn, message):
    with pytest.raises(GradientAssertionError, match=message):
        assert_backward(backward_fn, affine, [X, W, B])


@pytest.mark.parametrize(
    "backward_fn, message",
    [
        # one float input: a generator or dict is not "its gradient alone"
        (
            lambda x, d: (g for g in [2 * x * d]),
            r"^backward_fn returned a generator; it must return one array per input \(x\)",
        ),
        (
            lambda x, d: {"x": 2 * x * d},
            r"^backward_fn returned a dict; it must return one array per input \(x\)",
        ),
        (
            lambda x, d: ((g for g in [2 * x * d]),),
            r"^backward_fn returned a generator as the gradient of input 'x'; it must return "
            "one array of numbers per input",
        ),
        (
            lambda x, d: ("2x",),
            r"^backward_fn returned a str as the gradient of input 'x'",
        ),
        (
            lambda x, d: ([[1.0], [2.0, 3.0]],),
            r"^backward_fn returned list that is not an array of numbers",
        ),
    ],
)
def test_a_backward_fn_returning_something_else_than_arrays_is_named(backward_fn, message):
    with pytest.raises(GradientAssertionError, match=message):
        assert_backward(backward_fn, lambda x: x * x, [np.array([1.0, 2.0])])


def test_a_generator_for_several_inputs_names_backward_fn():
    def generating(x, w, b, dout):
        yield from affine_backward(x, w, b, dout)

    with pytest.raises(GradientAssertionError, match="^backward_fn returned a generator; it must"):
        assert_backward(generating, affine, [X, W, B])
    with pytest.raises(GradientAssertionError, match="^backward_fn returned a dict; it must"):
        assert_backward(lambda x, w, b, d: {"x": x, "w": w, "b": b}, affine, [X, W, B])


def test_bad_inputs_and_forward_functions_are_refused_clearly():
    with pytest.raises(TypeError, match="inputs must be a sequence of arrays"):
        assert_backward(affine_backward, affine, X)
    with pytest.raises(TypeError, match="must return a Tensor or Value built with chalkgrad ops"):
        assert_backward(lambda x, d: d, lambda x: 1.0, [X])
    with pytest.raises(ValueError, match="trials must be at least 1"):
        assert_backward(affine_backward, affine, [X, W, B], trials=0)
    with pytest.raises(TypeError, match="input 'x' must be numbers"):
        assert_backward(lambda x, d: d, lambda x: x, [np.array(["a"])])


# ---------------------------------------------------------------------- strategies
def test_an_expression_recipe_builds_fresh_graphs_with_shared_subexpressions():
    e = Expression((2.0, 3.0), (("mul", (), (0, 1)), ("add", (), (2, 2)), ("pow", (2.0,), (3,))))
    root, (x0, x1) = e.build()
    assert root.data == 144.0  # ((2*3) + (2*3))**2
    root.backward()
    assert (x0.grad, x1.grad) == (144.0, 96.0)  # d/dx0 of (2 x0 x1)^2 = 8 x0 x1^2
    again, _ = e.build([1.0, 1.0])
    assert again.data == 4.0 and again is not root
    assert str(e) == "v2 = mul(x0, x1); v3 = add(v2, v2); v4 = pow(v3, 2)"
    with pytest.raises(ValueError, match="this expression has 2 leaves, got 1 values"):
        e.build([1.0])


def test_expressions_refuse_unknown_ops_by_name():
    with pytest.raises(ValueError, match=r"unknown ops \['matmul'\]; registered ops: \["):
        expressions(ops=["mul", "matmul"])
    with pytest.raises(ValueError, match="min_value <= max_value"):
        values(2.0, 1.0)


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.filter_too_much],
)
@given(
    expressions(
        ops=["add", "mul", "sub", "tanh", "sigmoid", "exp", "sum", "dot", "neg"],
        leaves=values(-1.5, 1.5, kinks=False),
    )
)
def test_random_smooth_expressions_agree_with_central_differences(e):
    root, leaves = e.build()
    assume(math.isfinite(root.data) and abs(root.data) < 1e6)
    root.backward()
    for k, leaf in enumerate(leaves):
        h = 1e-6
        up = list(e.leaves)
        down = list(e.leaves)
        up[k] += h
        down[k] -= h
        numeric = (e.build(up)[0].data - e.build(down)[0].data) / (2 * h)
        assert leaf.grad == pytest.approx(numeric, rel=1e-4, abs=1e-4), str(e)


@settings(max_examples=30, deadline=None, database=None)
@given(tensors((2, 3), label="W"))
def test_tensors_have_the_shape_and_labels_asked_for(t):
    assert t.shape == (2, 3) and t[1, 2].label == "W[1,2]"
    assert np.isfinite(t.data).all()


def test_explain_follows_the_registry_where_a_selection_meets_an_infinite_gradient():
    x = Value(-1.0, label="x")
    y = x.relu().sqrt()  # sqrt'(0) = inf, relu'(-1) = 0: PyTorch sends exactly 0
    y.label = "y"
    y.backward()
    assert x.grad == 0.0
    assert explain_gradient(y, x).splitlines() == [
        "dy/dx = 0",
        "  = dy/drelu#1 · drelu#1/dx = inf · [1{x > 0} = 0] = 0 (not selected)",
        "path: y <- relu#1 <- x",
    ]
