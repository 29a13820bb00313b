"""compile(): the training-loop contract, retracing, check mode, anomalies, drawing, errors."""

import io

import numpy as np
import pytest

import nn
import viz
from autograd import (
    AnomalyError,
    Tensor,
    TraceMismatchError,
    Value,
    compile,
    detect_anomaly,
    no_grad,
    topological_order,
)


def _mlp_and_data():
    nn.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 1))
    X = np.random.default_rng(7).normal(size=(20, 2))
    y = np.sign(X[:, 0] * X[:, 1])[:, None]
    return model, X, y


def _train(compiled, optimizer, steps=6):
    model, X, y = _mlp_and_data()
    opt = optimizer(model.parameters())

    def loss_fn(X, y):
        return nn.functional.mse_loss(model(X), y)

    step = compile(loss_fn) if compiled else (lambda X, y: loss_fn(Tensor(X), Tensor(y)))
    losses = []
    for k in range(steps):
        batch = slice(0, 10) if k % 2 else slice(10, 20)  # two batches, same shapes
        opt.zero_grad()
        loss = step(X[batch], y[batch])
        loss.backward()
        opt.step()
        losses.append(loss.item())
    weights = np.concatenate([p.data.ravel() for p in model.parameters()])
    return np.array(losses), weights, step


@pytest.mark.parametrize(
    "optimizer",
    [
        lambda p: nn.optim.SGD(p, lr=0.1, momentum=0.9),
        lambda p: nn.optim.Adam(p, lr=0.01, amsgrad=True),
        lambda p: nn.optim.RMSprop(p, lr=0.01, centered=True),
    ],
    ids=["SGD", "Adam", "RMSprop"],
)
def test_a_compiled_training_loop_equals_the_eager_one(optimizer):
    eager_losses, eager_weights, _ = _train(False, optimizer)
    losses, weights, step = _train(True, optimizer)
    np.testing.assert_allclose(losses, eager_losses, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(weights, eager_weights, rtol=1e-11, atol=1e-13)
    assert step.traces == 1  # two batches of one shape: traced once
    assert eager_losses[-1] < eager_losses[0]


def test_parameters_are_read_fresh_and_tensor_arguments_get_gradients():
    w = Tensor([1.0, 2.0], label="w")
    step = compile(lambda x: (w * x).sum())
    x = Tensor([3.0, 4.0], label="x")
    loss = step(x)
    assert loss.item() == 11.0
    loss.backward()
    assert w.grad.tolist() == [3.0, 4.0] and x.grad.tolist() == [1.0, 2.0]
    w.values[0].data = -1.0
    x2 = Tensor([5.0, 6.0])
    loss = step(x2)
    loss.backward()
    assert loss.item() == 7.0  # -5 + 12
    assert x2.grad.tolist() == [-1.0, 2.0]
    assert w.grad.tolist() == [8.0, 10.0]  # accumulated over the two backward calls
    assert step.traces == 1


def test_constants_made_inside_the_step_get_each_calls_gradient_not_a_running_sum():
    # u = 1 - w x with x = (3, 1), w = (1, -2): u = (-2, 3), loss = 4 + 9 = 13,
    # dL/du = 2u = (-4, 6), so dL/d(one) = -4 + 6 = 2 and dL/dw = 2u * -x = (12, -6).
    w = Tensor([1.0, -2.0], label="w")

    def f(x):
        one = Value(1.0, label="one")  # made afresh by every eager call
        return ((one - w * x) ** 2).sum()

    step = compile(f)
    for _ in range(3):
        loss = step(np.array([3.0, 1.0]))
        loss.backward()
    assert loss.item() == 13.0
    assert w.grad.tolist() == [36.0, -18.0]  # a parameter accumulates: 3 x (12, -6)
    graph = loss.graph()
    (one,) = [v for v in topological_order(graph) if v.label == "one"]
    assert one.grad == 2.0  # this call's gradient, as eager mode gives (not 3 x 2)
    eager_x = Tensor([3.0, 1.0])
    eager = f(eager_x)
    eager.backward()
    (eager_one,) = [v for v in topological_order(eager) if v.label == "one"]
    assert eager_one.grad == one.grad


def test_a_constant_made_inside_the_step_keeps_its_traced_value():
    # Only parameters (leaves that existed before the first call) are read fresh.
    made = []

    def f(x):
        c = Value(2.0, label="c")
        made.append(c)
        return (c * x).sum()

    step = compile(f)
    assert step(np.array([1.0, 4.0])).item() == 10.0
    made[0].data = 100.0  # nobody else holds it in eager mode; a replay ignores it
    assert step(np.array([1.0, 4.0])).item() == 10.0


def test_a_new_shape_retraces_and_fixed_arguments_are_part_of_the_trace():
    w = Tensor([2.0], label="w")
    step = compile(lambda x, power: ((w * x) ** power).sum())
    assert step(np.array([1.0, 2.0]), 2).item() == 20.0
    assert step(np.array([1.0, 3.0]), 2).item() == 40.0
    assert step.traces == 1
    assert step(np.array([1.0, 2.0, 3.0]), 2).item() == 56.0  # new shape
    assert step(np.array([1.0, 2.0]), 3).item() == 72.0  # new fixed argument
    assert step.traces == 3
    assert "3 trace(s)" in repr(step)


def test_an_argument_read_only_as_numbers_retraces_when_its_numbers_change():
    # max_margin_loss reads its targets' numbers: they are baked into the graph,
    # so a call with other targets must trace again, never replay stale numbers.
    scores = Tensor([0.5, -2.0], label="s")
    step = compile(lambda y: nn.functional.max_margin_loss(scores, y))
    first = step(np.array([1.0, 1.0])).item()
    assert first == pytest.approx((0.5 + 3.0) / 2)
    assert step(np.array([1.0, -1.0])).item() == pytest.approx(0.25)
    assert step(np.array([1.0, 1.0])).item() == first
    assert step.traces == 2


def test_returns_a_tuple_and_backward_of_one_output():
    w = Tensor([1.0, -1.0], label="w")
    step = compile(lambda x: ((w * x).relu().sum(), w * x))
    loss, scores = step(np.array([2.0, 2.0]))
    assert scores.data.tolist() == [2.0, -2.0] and scores.shape == (2,)
    loss.backward()
    assert w.grad.tolist() == [2.0, 0.0]
    # The parameters are the user's: graph() never writes their data or gradients.
    w.values[0].data = 7.0
    loss.graph()
    assert w.data.tolist() == [7.0, -1.0] and w.grad.tolist() == [2.0, 0.0]
    with pytest.raises(ValueError, match=r"needs grad=, an array of shape \(2,\)"):
        scores.backward()
    scores.backward(grad=[1.0, 1.0])
    assert w.grad.tolist() == [4.0, 2.0]


def test_check_mode_catches_value_dependent_control_flow():
    w = Tensor([1.0], label="w")

    def branchy(x):  # a Python if on the data: baked in at tracing
        return (w * x).relu().sum() if x.data.sum() > 0 else (w * x).exp().sum()

    step = compile(branchy, check=True)
    assert step(np.array([1.0])).item() == 1.0
    assert step(np.array([2.0])).item() == 2.0  # same branch: the check passes
    with pytest.raises(TraceMismatchError, match=r"group 2 is 1 x 'exp' now, 1 x 'relu' traced"):
        step(np.array([-1.0]))
    unchecked = compile(branchy)
    unchecked(np.array([1.0]))
    assert unchecked(np.array([-1.0])).item() == 0.0  # relu(-1): the baked-in branch


def test_check_mode_names_a_constant_computed_from_data():
    # a number read from .data is baked in (softmax's row max is not: it is replayed)
    step = compile(lambda x: (x * Tensor(x.data.max(), label="top")).sum(), check=True)
    step(np.array([1.0, 2.0]))
    with pytest.raises(TraceMismatchError, match=r"the constant top is 5\.0 now, 2\.0 traced"):
        step(np.array([1.0, 5.0]))


def test_detect_anomaly_names_the_node_in_compiled_mode():
    w = Tensor([1.0, 2.0], label="w")
    step = compile(lambda x: (w * x).log().sum())
    step(np.array([1.0, 1.0]))
    with pytest.raises(AnomalyError, match=r"forward \(compiled\): log produced -inf") as e:
        with detect_anomaly():
            step(np.array([1.0, 0.0]))
    assert "log(2" in str(e.value) or "= log(" in str(e.value)
    v = Tensor([4.0], label="v")
    root = compile(lambda x: (v - x).sqrt().sum())
    root(np.array([1.0]))
    loss = root(np.array([4.0]))  # sqrt(0) = 0: finite forward, infinite derivative
    with pytest.raises(
        AnomalyError,
        match=r"backward \(compiled\): sqrt sends gradient inf "
        r"to its input 1 of 1",
    ) as e:
        with detect_anomaly():
            loss.backward()
    assert "local derivative 1/(2√a)" in str(e.value)


def test_graph_writes_the_replayed_step_into_the_value_graph():
    w = Tensor([1.0, -3.0], label="w")
    step = compile(lambda x: (w * x).relu().sum().name("loss"))
    step(np.array([1.0, 1.0]))
    loss = step(np.array([2.0, 5.0]))
    loss.backward()
    graph = loss.graph()
    root = graph.values[()]
    assert (root.label, root.data, root.grad) == ("loss", 2.0, 1.0)
    assert [p.data for p in root.parents] == [2.0, 0.0]  # relu(2), relu(-15)
    steps = io.StringIO()
    viz.print_steps(root, file=steps)
    assert "loss" in steps.getvalue()
    assert "loss" in viz.draw(root).source
    assert w.grad.tolist() == [2.0, 0.0]
    # The parameters are the user's: graph() never writes their data or gradients.
    w.values[0].data = 7.0
    loss.graph()
    assert w.data.tolist() == [7.0, -3.0] and w.grad.tolist() == [2.0, 0.0]


def test_errors_name_what_was_wrong():
    with pytest.raises(TypeError, match=r"compile\(\) takes a function, got int"):
        compile(3)
    with pytest.raises(
        TypeError, match="must return a Value, a Tensor or a tuple of them, got float"
    ):
        compile(lambda x: 1.0)(np.ones(2))
    computed = Tensor([1.0]) * 2
    with pytest.raises(ValueError, match="argument 1 is computed by a graph"):
        compile(lambda x: x.sum())(computed)
    w = Tensor([1.0], label="w")
    step = compile(lambda x: (w * x).sum())
    with no_grad(), pytest.raises(RuntimeError, match="under no_grad.. there is no graph"):
        step(np.ones(1))  # tracing needs a graph
    step(np.ones(1))
    with no_grad():
        loss = step(np.ones(1))
    assert loss.item() == 1.0
    with pytest.raises(RuntimeError, match="computed under no_grad"):
        loss.backward()
    with pytest.raises(TypeError, match=r"by position, got keywords \['x'\]"):
        step(x=np.ones(1))
    with pytest.raises(ValueError, match=r"item\(\) needs a one-element result"):
        compile(lambda x: w * x)(np.ones(2)).item()


def test_value_arguments_and_outputs():
    a = Value(3.0, label="a")
    step = compile(lambda x: x * a + 1)
    out = step(Value(2.0))
    assert out.data == 7.0 and isinstance(out.data, float) and float(out) == 7.0
    out.backward()
    assert a.grad == 2.0
