"""IEEE float semantics instead of Python exceptions, and detect_anomaly (P21)."""

import math

import pytest

from autograd import OPS, AnomalyError, Value, detect_anomaly
from autograd.value import apply

INF, NAN = math.inf, math.nan


def is_nan(x):
    return x != x


def test_log_of_zero_is_minus_inf_and_its_derivative_inf():
    x = Value(0.0)
    y = x.log()
    y.backward()
    assert y.data == -INF
    assert x.grad == INF


def test_log_of_negative_is_nan():
    assert is_nan(Value(-1.0).log().data)


def test_division_by_zero_is_signed_inf_and_zero_over_zero_nan():
    assert (Value(1.0) / 0.0).data == INF
    assert (Value(-1.0) / 0.0).data == -INF
    assert (Value(1.0) / -0.0).data == -INF
    assert is_nan((Value(0.0) / 0.0).data)
    a, b = Value(1.0), Value(0.0)
    (a / b).backward()
    assert a.grad == INF and b.grad == -INF


def test_negative_base_to_a_fractional_value_power_is_nan_in_forward_and_backward():
    a, b = Value(-8.0), Value(1 / 3)
    y = a**b
    y.backward()
    assert is_nan(y.data) and is_nan(a.grad) and is_nan(b.grad)
    assert is_nan((Value(-8.0) ** 0.5).data)


def test_zero_to_a_negative_power_is_inf():
    assert (Value(0.0) ** -1).data == INF
    assert (Value(-0.0) ** -1).data == -INF


def test_large_arguments_saturate_without_overflow_error():
    assert Value(1000.0).tanh().data == 1.0
    assert Value(-1000.0).tanh().data == -1.0
    assert Value(1000.0).sigmoid().data == 1.0
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).exp().data == INF
    assert Value(-1000.0).exp().data == 0.0
    assert Value(1000.0).softplus().data == 1000.0
    assert Value(-1000.0).softplus().data == 0.0
    assert (Value(10.0) ** 400).data == INF
    assert (Value(-10.0) ** 401).data == -INF
    x = Value(1000.0)
    x.sigmoid().backward()
    assert x.grad == 0.0


def test_p21_loglu_gives_minus_inf_forward_and_relus_mask_stops_the_inf():
    x = Value(-1.0, label="x")
    r = x.relu()
    y = r.log()
    y.backward()
    assert y.data == -INF
    assert r.grad == INF  # 1/relu = 1/0
    assert x.grad == 0.0  # PyTorch: relu's backward is a mask, not 0 * inf = nan


def test_detect_anomaly_names_the_first_bad_node_in_forward():
    x = Value(-1.0, label="x")
    r = x.relu()
    r.label = "r"
    with pytest.raises(AnomalyError, match=r"forward: log produced -inf") as info:
        with detect_anomaly():
            r.log()
    assert "r=0" in str(info.value)
    assert "first non-finite" in str(info.value)


def test_detect_anomaly_in_backward_names_the_receiving_node():
    x = Value(-1.0, label="x")
    r = x.relu()
    r.label = "r"
    y = r.log()  # built outside the block, so forward is not checked
    with pytest.raises(
        AnomalyError, match=r"backward: log sends gradient inf to its input 1 of 1"
    ) as info:
        with detect_anomaly():
            y.backward()
    assert "receiving node: r = ReLU(x=-1)" in str(info.value)
    assert "local derivative 1/r = inf" in str(info.value)


def test_detect_anomaly_is_quiet_for_finite_graphs_and_restores_the_mode():
    from autograd.mode import MODE

    with detect_anomaly():
        x = Value(2.0)
        y = (x * x).log()
        y.backward()
    assert x.grad == pytest.approx(1.0)
    assert MODE.plain and not MODE.anomaly


# ------------------------------------------------- backward rules at the edges
# (name, chalkgrad f, torch f or None, inputs, upstream, value, gradients), numbers as
# PyTorch 2 float64 gives them. A selection (relu, max, min, x**0, d/da of a**b at b = 0)
# sends exactly 0 to an input it did not take, even when inf or nan arrives; every other
# zero multiplies, so 0 * inf is nan, as in PyTorch.
def _stack(op):
    return lambda *ts: getattr(torch_module().stack(ts), op)(0).values


def _pool(op):  # max-pooling's primitive: the first maximum takes the gradient
    return lambda *xs: apply(OPS[op], xs)


def torch_module():
    return pytest.importorskip("torch", reason="PyTorch cross-check")


EDGE_RULES = [
    (
        "relu(-1) then sqrt",
        lambda x: x.relu().sqrt(),
        lambda x: x.relu().sqrt(),
        (-1.0,),
        1.0,
        0.0,
        (0.0,),
    ),
    (
        "max(1, 2) - 2 then sqrt",
        lambda a, b: (a.max(b) - 2.0).sqrt(),
        lambda a, b: (torch_module().maximum(a, b) - 2.0).sqrt(),
        (1.0, 2.0),
        1.0,
        0.0,
        (0.0, INF),
    ),
    ("relu(-1), inf upstream", lambda x: x.relu(), "relu", (-1.0,), INF, 0.0, (0.0,)),
    ("relu(0), nan upstream", lambda x: x.relu(), "relu", (0.0,), NAN, 0.0, (0.0,)),
    (
        "relu(nan) is nan and passes the gradient",
        lambda x: x.relu(),
        "relu",
        (NAN,),
        2.0,
        NAN,
        (2.0,),
    ),
    ("relu(-0.0) is -0.0", lambda x: x.relu(), "relu", (-0.0,), 1.0, -0.0, (0.0,)),
    (
        "1 / relu(-0.0) is -inf",
        lambda x: 1.0 / x.relu(),
        lambda x: 1.0 / x.relu(),
        (-0.0,),
        1.0,
        -INF,
        (0.0,),
    ),
    (
        "maximum tie, inf upstream: 0.5 each",
        lambda a, b: a.max(b),
        "maximum",
        (1.0, 1.0),
        INF,
        1.0,
        (INF, INF),
    ),
    ("maximum tie splits", lambda a, b: a.max(b), "maximum", (2.0, 2.0), 3.0, 2.0, (1.5, 1.5)),
    ("minimum tie splits", lambda a, b: a.min(b), "minimum", (2.0, 2.0), 3.0, 2.0, (1.5, 1.5)),
    (
        "maximum with a nan: neither is beaten",
        lambda a, b: a.max(b),
        "maximum",
        (1.0, NAN),
        1.0,
        NAN,
        (1.0, 1.0),
    ),
    (
        "minimum of two nans: both pass",
        lambda a, b: a.min(b),
        "minimum",
        (NAN, NAN),
        1.0,
        NAN,
        (1.0, 1.0),
    ),
    (
        "pooling max tie, inf upstream",
        _pool("max"),
        _stack("max"),
        (1.0, 1.0),
        INF,
        1.0,
        (INF, 0.0),
    ),
    (
        "pooling max with a nan: the nan takes the gradient",
        _pool("max"),
        _stack("max"),
        (1.0, NAN),
        1.0,
        NAN,
        (0.0, 1.0),
    ),
    (
        "pooling min with a nan: the nan takes the gradient",
        _pool("min"),
        _stack("min"),
        (NAN, 1.0),
        1.0,
        NAN,
        (1.0, 0.0),
    ),
    (
        "pooling max of two nans: the first",
        _pool("max"),
        _stack("max"),
        (NAN, NAN),
        1.0,
        NAN,
        (1.0, 0.0),
    ),
    ("x**0 at 0, inf upstream", lambda x: x**0, lambda x: x**0, (0.0,), INF, 1.0, (0.0,)),
    ("x**0 at inf", lambda x: x**0, lambda x: x**0, (INF,), 1.0, 1.0, (0.0,)),
    ("x**2 at 0, inf upstream: 0 * inf", lambda x: x**2, lambda x: x**2, (0.0,), INF, 0.0, (NAN,)),
    ("0**b at b = 0", lambda a, b: a**b, "pow", (0.0, 0.0), 1.0, 1.0, (0.0, 0.0)),
    ("0**b at b = 0, inf upstream", lambda a, b: a**b, "pow", (0.0, 0.0), INF, 1.0, (0.0, NAN)),
    ("0**b at b = 2", lambda a, b: a**b, "pow", (0.0, 2.0), 1.0, 0.0, (0.0, 0.0)),
    ("0**b at b = -1", lambda a, b: a**b, "pow", (0.0, -1.0), 1.0, INF, (-INF, -INF)),
    ("a**b at b = 0", lambda a, b: a**b, "pow", (2.0, 0.0), INF, 1.0, (0.0, INF)),
    ("(-0.5)**inf: 0 * log(-0.5)", lambda a, b: a**b, "pow", (-0.5, INF), 1.0, 0.0, (NAN, NAN)),
    ("(-0.0)**0.5 is sqrt(-0.0)", lambda x: x**0.5, lambda x: x**0.5, (-0.0,), 1.0, -0.0, (-INF,)),
    ("(-inf)**0.5 is nan", lambda x: x**0.5, lambda x: x**0.5, (-INF,), 1.0, NAN, (NAN,)),
    ("(-0.0)**-0.5 is -inf", lambda x: x**-0.5, lambda x: x**-0.5, (-0.0,), 1.0, -INF, (-INF,)),
    ("abs at 0 multiplies: inf upstream", lambda x: x.abs(), "abs", (0.0,), INF, 0.0, (NAN,)),
    ("abs(nan): sign(nan) = 0", lambda x: x.abs(), "abs", (NAN,), 1.0, NAN, (0.0,)),
    (
        "leaky_relu(slope 0) multiplies",
        lambda x: x.leaky_relu(0.0),
        lambda x: torch_module().nn.functional.leaky_relu(x, 0.0),
        (-1.0,),
        INF,
        -0.0,
        (NAN,),
    ),
    (
        "leaky_relu(nan): slope",
        lambda x: x.leaky_relu(0.1),
        lambda x: torch_module().nn.functional.leaky_relu(x, 0.1),
        (NAN,),
        1.0,
        NAN,
        (0.1,),
    ),
    (
        "elu(nan) passes the gradient",
        lambda x: x.elu(),
        lambda x: torch_module().nn.functional.elu(x),
        (NAN,),
        1.0,
        NAN,
        (1.0,),
    ),
    (
        "elu(-inf) multiplies: 0 * inf",
        lambda x: x.elu(),
        lambda x: torch_module().nn.functional.elu(x),
        (-INF,),
        INF,
        -1.0,
        (NAN,),
    ),
    (
        "elu(-1e-10) uses expm1",
        lambda x: x.elu(),
        lambda x: torch_module().nn.functional.elu(x),
        (-1e-10,),
        1.0,
        -9.9999999995e-11,
        (0.9999999999,),
    ),
    (
        "mul by 0 multiplies: 0 * inf",
        lambda a, b: a * b,
        lambda a, b: a * b,
        (3.0, 0.0),
        INF,
        0.0,
        (NAN, INF),
    ),
    ("sigmoid(-720) is 0", lambda x: x.sigmoid(), "sigmoid", (-720.0,), 1.0, 0.0, (0.0,)),
]


def _close(ours: float, expected: float) -> bool:
    if math.isnan(expected):
        return math.isnan(ours)
    if expected == 0.0:
        return ours == 0.0
    return ours == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(
    "name, f, torch_f, xs, upstream, value, grads", EDGE_RULES, ids=[row[0] for row in EDGE_RULES]
)
def test_backward_rules_at_the_edges(name, f, torch_f, xs, upstream, value, grads):
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    out.backward(upstream)
    assert _close(out.data, value), out.data
    if value == 0.0 and not math.isnan(value):  # signed zeros as written
        assert math.copysign(1.0, out.data) == math.copysign(1.0, value)
    assert all(_close(v.grad, g) for v, g in zip(leaves, grads)), [v.grad for v in leaves]
    torch = torch_module()
    if isinstance(torch_f, str):
        torch_f = getattr(torch, torch_f)
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    t_out = torch_f(*ts)
    t_out.backward(torch.tensor(upstream, dtype=torch.float64))
    assert (
        _close(t_out.item(), value)
        and math.copysign(1, t_out.item()) == math.copysign(1, out.data)
        or math.isnan(value)
    )
    assert all(_close(t.grad.item(), g) for t, g in zip(ts, grads)), [t.grad for t in ts]


def test_powers_never_raise():
    big = 10**400
    x = Value(-2.0)
    y = x**big  # an even int beyond any float: (-2)**big = inf
    y.backward()
    assert y.data == INF and x.grad == -INF  # big * (-2)**(big - 1) = inf * -inf
    x = Value(-2.0)
    y = x ** (big + 1)  # odd: the sign survives
    y.backward()
    assert y.data == -INF and x.grad == INF
    for base in (0.5, -0.5, 0.0, -0.0, 1.0, -1.0, 3.0, INF, -INF, NAN):
        for n in (big, big + 1, -big, -big - 1, 1e300, -1e300):
            v = Value(base)
            (v**n).backward()  # no OverflowError in forward or backward
            (Value(n) ** v).backward()
    assert (Value(-0.5) ** (big + 1)).data == 0.0 and str((Value(-0.5) ** (big + 1)).data) == "-0.0"
    assert (Value(-1.0) ** (big + 1)).data == -1.0 and (Value(-1.0) ** big).data == 1.0
    assert Value(big).data == INF and (Value(1.0) + -big).data == -INF
    assert (Value(2.0) ** big).primitive.symbol == "**1.0e+400"


def test_slopes_and_alphas_too_large_for_a_float_are_inf():
    assert Value(-1.0).leaky_relu(10**400).data == -INF
    assert Value(-1.0).elu(10**400).data == -INF


def test_where_sends_nothing_to_the_unselected_input():
    from autograd import Tensor, where

    x, y = Tensor([4.0, -1.0]), Tensor([1.0, 0.0])
    out = where([True, False], x, y).sqrt().sum()  # sqrt'(0) = inf reaches only y[1]
    out.backward()
    assert x.grad.tolist() == [0.25, 0.0] and y.grad.tolist() == [0.0, INF]


def test_detect_anomaly_still_names_the_first_bad_node_behind_a_mask():
    x = Value(-1.0, label="x")
    r = x.relu()
    r.label = "r"
    y = r.sqrt()
    with pytest.raises(AnomalyError, match=r"backward: sqrt sends gradient inf") as info:
        with detect_anomaly():
            y.backward()
    assert "receiving node: r = ReLU(x=-1)" in str(info.value)
    # without the check, the same graph gives PyTorch's gradients
    x.grad = r.grad = y.grad = 0.0
    y.backward()
    assert (r.grad, x.grad) == (INF, 0.0)


# ------------------------------------------------------------ BCELoss at 0 and 1
# (p, t, loss, dloss/dp, dloss/dt) as torch.nn.functional.binary_cross_entropy gives them:
# each log clamped at -100, d/dp = (p - t) / max(p (1 - p), 1e-12 as a float32).
BCE_EDGES = [
    (0.0, 0.0, 0.0, 0.0, INF),
    (0.0, 1.0, 100.0, -1000000003995.8029, INF),
    (0.0, 0.3, 30.0, -300000001198.74084, INF),
    (1.0, 0.0, 100.0, 1000000003995.8029, -INF),
    (1.0, 1.0, 0.0, 0.0, -INF),
    (1.0, 0.3, 70.0, 700000002797.0619, -INF),
    (1e-13, 0.0, 1.00000000000005e-13, 0.10000000039958029, 29.933606208922495),
    (1e-13, 1.0, 29.933606208922594, -1000000003995.7028, 29.933606208922495),
    (0.25, 0.3, 0.6172657590522138, -0.2666666666666666, 1.0986122886681098),
]


@pytest.mark.parametrize("p, t, loss, dp, dt", BCE_EDGES)
def test_bce_loss_equals_pytorch_at_probabilities_0_and_1(p, t, loss, dp, dt):
    import nn
    from autograd import Tensor

    pv, tv = Tensor([p]), Tensor([t])
    out = nn.BCELoss(reduction="sum")(pv, tv)
    out.backward()
    assert out.item() == pytest.approx(loss, rel=1e-12, abs=0.0)
    assert _close(pv.grad[0], dp) and _close(tv.grad[0], dt), (pv.grad, tv.grad)
    torch = torch_module()
    pt = torch.tensor([p], dtype=torch.float64, requires_grad=True)
    tt = torch.tensor([t], dtype=torch.float64, requires_grad=True)
    torch.nn.functional.binary_cross_entropy(pt, tt, reduction="sum").backward()
    assert _close(pt.grad.item(), dp) and _close(tt.grad.item(), dt)


def test_bce_after_a_saturated_sigmoid_gives_pytorchs_gradients_not_nan():
    import nn
    from autograd import Tensor

    x = Tensor([40.0, -40.0, 0.3])
    loss = nn.BCELoss()(x.sigmoid(), Tensor([1.0, 1.0, 0.0]))
    loss.backward()
    # torch float64: loss 13.618118414822844, grad [0.0, -1.416118090755725e-06, 0.1914...]
    assert loss.item() == pytest.approx(13.618118414822844, rel=1e-12)
    assert x.grad[0] == 0.0
    assert x.grad[1:].tolist() == pytest.approx(
        [-1.416118090755725e-06, 0.19148083893721968], rel=1e-9
    )


def test_step_tables_show_the_mask_not_inf_times_zero():
    from viz import backward_steps

    x = Value(-1.0, label="x")
    r = x.relu()
    r.label = "r"
    y = r.sqrt()
    y.label = "y"
    steps = backward_steps(y)
    assert [(s.upstream, s.local, s.contribution) for s in steps] == [
        (1.0, INF, INF),
        (INF, 0.0, 0.0),
    ]
    assert steps.chain_rule(x).endswith("= ∂y/∂r · ∂ReLU(x)/∂x = 0 (not selected) = 0")


def test_tensor_and_nn_relu_keep_nan_and_negative_zero():
    import nn
    from autograd import Tensor

    for out in (Tensor([NAN, -0.0, -1.0, 2.0]).relu(), nn.ReLU()(Tensor([NAN, -0.0, -1.0, 2.0]))):
        data = out.data.tolist()
        assert math.isnan(data[0]) and str(data[1]) == "-0.0" and data[2:] == [0.0, 2.0]
    t = Tensor([NAN, -1.0])
    (t.relu() * Tensor([2.0, INF])).sum().backward()
    assert t.grad.tolist() == [2.0, 0.0]  # nan passes its gradient; the mask stops the inf


def test_symbolic_mode_agrees_at_the_edges():
    pytest.importorskip("sympy", reason="symbolic mode needs sympy")
    from autograd import ops
    from autograd.symbolic import symbolic
    from autograd.value import apply

    x = Value(-1.0)
    y = x.relu().log()  # log(0) = -oo, as the float backend's -inf; relu's mask sends 0
    r = symbolic(y)
    assert (str(r.value[y]), r.grad[x]) == ("-oo", 0)
    p, t = Value(1.0), Value(1.0)
    loss = apply(ops.BCE, (p, t))  # a saturated probability: PyTorch's 0 loss, 0 gradient
    r = symbolic(loss)
    assert (r.value[loss], r.grad[p]) == (0, 0)
