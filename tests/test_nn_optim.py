"""Optimizers: P17 momentum steps, PyTorch's rules by hand, reports and state."""

import math

import numpy as np
import pytest

import nn
from autograd import Tensor, Value


def _quarter_square_steps(opt, x, steps):
    path = []
    for _ in range(steps):
        opt.zero_grad()
        (x * x / 4).backward()
        opt.step()
        path.append(x.data)
    return path


def test_p17_plain_gradient_descent_one_step():
    x = Value(1.0, label="x")
    assert _quarter_square_steps(nn.optim.SGD([x], lr=2.0), x, 1) == [0.0]


def test_p17_momentum_two_steps_and_report():
    x = Value(1.0, label="x")
    opt = nn.optim.SGD([x], lr=1.0, momentum=0.5)
    # step 1: g = 1/2, V = 1/2, x = 1/2; step 2: g = 1/4, V = 1/4 + 1/4 = 1/2, x = 0
    assert _quarter_square_steps(opt, x, 2) == [0.5, 0.0]
    assert opt.report() == (
        "SGD step 2 (lr=1.0, momentum=0.5)\n  x: 0.5 - lr * V = 0   (grad 0.25, V 0.5)"
    )
    assert opt.state_dict()["state"][0]["V"].tolist() == 0.5


def test_sgd_nesterov_weight_decay_dampening_by_hand():
    w = nn.Parameter([2.0])
    opt = nn.optim.SGD([w], lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.5)
    w.values[0].grad = 1.0
    opt.step()  # g = 1 + 1 = 2, V = 2, update = 2 + 0.9 * 2 = 3.8
    assert w.data.tolist() == pytest.approx([2.0 - 0.38])
    v = nn.Parameter([1.0])
    damp = nn.optim.SGD([v], lr=1.0, momentum=0.5, dampening=0.5)
    for g in (1.0, 1.0):
        v.values[0].grad = g
        damp.step()  # V1 = 1 (first step undamped), V2 = 0.5 + 0.5 = 1
    assert v.data.tolist() == [-1.0]
    with pytest.raises(ValueError, match="nesterov needs momentum > 0"):
        nn.optim.SGD([v], lr=1.0, nesterov=True)


def test_adam_two_steps_by_hand():
    w = nn.Parameter([1.0, -1.0])
    opt = nn.optim.Adam([w], lr=0.1, betas=(0.9, 0.999), eps=1e-8)
    grads = [(2.0, -0.5), (1.0, 1.0)]
    x, m, v = np.array([1.0, -1.0]), np.zeros(2), np.zeros(2)
    for t, g in enumerate(grads, start=1):
        w.values[0].grad, w.values[1].grad = g
        opt.step()
        g = np.array(g)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        x = x - 0.1 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    np.testing.assert_allclose(w.data, x, rtol=1e-12)
    assert w.data[0] == pytest.approx(
        1.0
        - 0.1
        - 0.1 * ((0.18 + 0.1) / 0.19) / math.sqrt((0.999 * 0.004 + 0.001) / (1 - 0.999**2))
    )


def test_rmsprop_step_by_hand_and_centered_momentum():
    w = nn.Parameter([3.0])
    opt = nn.optim.RMSprop([w], lr=0.01, alpha=0.9)
    w.values[0].grad = 2.0
    opt.step()  # v = 0.1 * 4 = 0.4
    assert w.data[0] == pytest.approx(3.0 - 0.01 * 2.0 / (math.sqrt(0.4) + 1e-8))
    u = nn.Parameter([0.0])
    opt = nn.optim.RMSprop([u], lr=1.0, alpha=0.5, momentum=0.5, centered=True, eps=0.0)
    u.values[0].grad = 1.0
    opt.step()  # v = 0.5, g_avg = 0.5, avg = 0.25, B = 1 / 0.5 = 2
    assert u.data.tolist() == [-2.0]


def test_optimizer_trains_a_module_and_bad_params():
    nn.manual_seed(0)
    model = nn.Linear(1, 1)
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    xs, ys = Tensor([[1.0], [2.0]]), Tensor([[3.0], [5.0]])
    first = None
    for _ in range(50):
        opt.zero_grad()
        loss = nn.MSELoss()(model(xs), ys)
        loss.backward()
        opt.step()
        first = first if first is not None else loss.item()
    assert loss.item() < first / 10
    assert "weight[0,0]" in opt.report()
    with pytest.raises(
        TypeError,
        match=r"SGD: params must be an iterable of Parameters, Tensors "
        r"or Values, such as model\.parameters\(\), got a float at position 0",
    ):
        nn.optim.SGD([1.0], lr=0.1)
    with pytest.raises(ValueError, match="Adam: optimizer got an empty parameter list"):
        nn.optim.Adam([], lr=0.1)


@pytest.mark.parametrize("optimizer", [nn.optim.SGD, nn.optim.Adam, nn.optim.RMSprop])
def test_optimizers_reject_a_module_a_single_tensor_and_empty_lists(optimizer):
    name = optimizer.__name__
    needs = (
        rf"{name}: params must be an iterable of Parameters, Tensors or Values, "
        r"such as model\.parameters\(\), got a "
    )
    with pytest.raises(TypeError, match=needs + r"Linear; pass model\.parameters\(\)$"):
        optimizer(nn.Linear(2, 1), lr=0.1)
    with pytest.raises(TypeError, match=needs + r"Parameter; wrap a single one in a list: \[x\]"):
        optimizer(nn.Linear(2, 1).weight, lr=0.1)
    with pytest.raises(TypeError, match=needs + r"Value; wrap a single one in a list"):
        optimizer(Value(1.0), lr=0.1)
    with pytest.raises(TypeError, match=needs + r"float$"):
        optimizer(0.5, lr=0.1)
    with pytest.raises(TypeError, match=needs + r"str at position 1"):
        optimizer([Value(1.0), "w"], lr=0.1)
    with pytest.raises(ValueError, match=rf"^{name}: optimizer got an empty parameter list$"):
        optimizer([], lr=0.1)
    with pytest.raises(ValueError, match=rf"^{name}: optimizer got an empty parameter list$"):
        optimizer(nn.ReLU().parameters(), lr=0.1)  # a model without parameters
    # the accepted forms: model.parameters(), a generator of Parameters, a list of Values
    lin = nn.Linear(2, 1)
    assert len(optimizer(lin.parameters(), lr=0.1).params) == 2
    assert [p.shape for p in optimizer((p for p in lin.parameters()), lr=0.1).params] == [
        (1, 2),
        (1,),
    ]
    assert [p.shape for p in optimizer([Value(1.0)], lr=0.1).params] == [()]


# ----------------------------------------------- options and validation as PyTorch
def _torch_pair(make_ours, make_theirs, steps=4):
    torch = pytest.importorskip("torch", reason="compares optimizer steps with PyTorch float64")
    rng = np.random.default_rng(11)
    start = rng.normal(size=(2, 3))
    grads = [rng.normal(size=(2, 3)) for _ in range(steps)]
    ours = nn.Parameter(start.copy())
    theirs = torch.tensor(start.copy(), requires_grad=True)
    opt, opt_t = make_ours([ours]), make_theirs([theirs])
    for g in grads:
        for v, x in zip(ours.values.flat, g.ravel().tolist()):
            v.grad = x
        theirs.grad = torch.tensor(g)
        opt.step()
        opt_t.step()
    return ours.data, theirs.detach().numpy()


@pytest.mark.parametrize(
    "ours, theirs",
    [
        ("SGD", dict(lr=0.1, momentum=0.9, maximize=True)),
        ("SGD", dict(lr=0.1, weight_decay=0.2, maximize=True)),
        ("Adam", dict(lr=0.05, amsgrad=True)),
        ("Adam", dict(lr=0.05, amsgrad=True, maximize=True, weight_decay=0.1)),
        ("RMSprop", dict(lr=0.01, momentum=0.5, maximize=True)),
        ("RMSprop", dict(lr=0.01, centered=True, maximize=True, weight_decay=0.1)),
    ],
)
def test_amsgrad_and_maximize_equal_pytorch(ours, theirs):
    torch = pytest.importorskip("torch", reason="compares optimizer steps with PyTorch float64")
    mine, reference = _torch_pair(
        lambda p: getattr(nn.optim, ours)(p, **theirs),
        lambda p: getattr(torch.optim, ours)(p, **theirs),
    )
    np.testing.assert_allclose(mine, reference, rtol=1e-13, atol=1e-15)


def test_maximize_ascends_by_hand():
    x = Value(1.0, label="x")
    opt = nn.optim.SGD([x], lr=0.5, maximize=True)
    x.grad = 2.0
    opt.step()
    assert x.data == 2.0  # 1 + 0.5 * 2


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: nn.optim.SGD(p, lr=0.1, momentum=-1), "SGD: momentum must be >= 0, got -1"),
        (lambda p: nn.optim.SGD(p, lr=-0.1), "SGD: lr must be >= 0, got -0.1"),
        (lambda p: nn.optim.SGD(p, lr=0.1, weight_decay=-1), "SGD: weight_decay must be >= 0"),
        (
            lambda p: nn.optim.Adam(p, betas=(1.5, 0.9)),
            r"Adam: betas\[0\] must be in \[0, 1\), "
            r"got 1.5",
        ),
        (lambda p: nn.optim.Adam(p, betas=(0.9, 1.0)), r"Adam: betas\[1\] must be in \[0, 1\)"),
        (lambda p: nn.optim.Adam(p, eps=-1), "Adam: eps must be >= 0, got -1"),
        (lambda p: nn.optim.RMSprop(p, alpha=-0.5), "RMSprop: alpha must be >= 0, got -0.5"),
        (lambda p: nn.optim.RMSprop(p, momentum=-0.5), "RMSprop: momentum must be >= 0"),
    ],
)
def test_hyperparameters_pytorch_refuses_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make([Value(1.0)])


@pytest.mark.parametrize("optimizer", [nn.optim.SGD, nn.optim.Adam, nn.optim.RMSprop])
def test_a_parameter_given_twice_is_refused(optimizer):
    w = nn.Parameter([1.0, 2.0])
    name = optimizer.__name__
    with pytest.raises(
        ValueError,
        match=rf"^{name}: parameters 1 and 2 both hold a Value; it "
        "would be stepped twice: pass each parameter once$",
    ):
        optimizer([w, w], lr=0.1)
    v = Value(1.0, label="v")
    with pytest.raises(ValueError, match=rf"{name}: parameters 1 and 3 both hold the Value 'v'"):
        optimizer([v, Value(2.0), v], lr=0.1)
    with pytest.raises(ValueError, match=rf"{name}: parameter 1 holds the Value 'v' twice"):
        optimizer([Tensor.wrap(np.array([v, v], dtype=object))], lr=0.1)
