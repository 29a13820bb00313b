"""Every primitive checked three ways: hand-derived derivative, central differences, PyTorch.

One table, one row per (op, input): the forward value and the derivative are
written in by hand.
"""

import math

import pytest
from pytest import approx

from autograd import OPS, Value, gradcheck
from autograd.value import apply

E = math.e
S1 = 1 / (1 + math.exp(-1.0))  # sigmoid(1)

# (name, build from the input Value(s), inputs, expected forward, expected derivatives)
UNARY = [
    ("neg", lambda a: -a, 2.0, -2.0, -1.0),
    ("exp", lambda a: a.exp(), 1.0, E, E),
    ("log", lambda a: a.log(), 2.0, math.log(2.0), 0.5),
    ("sqrt", lambda a: a.sqrt(), 4.0, 2.0, 0.25),
    ("tanh", lambda a: a.tanh(), 0.5, math.tanh(0.5), 1 - math.tanh(0.5) ** 2),
    ("sigmoid", lambda a: a.sigmoid(), 1.0, S1, S1 * (1 - S1)),
    ("softplus", lambda a: a.softplus(), 1.0, math.log(1 + E), S1),
    ("relu+", lambda a: a.relu(), 1.5, 1.5, 1.0),
    ("relu-", lambda a: a.relu(), -1.5, 0.0, 0.0),
    ("relu at the kink", lambda a: a.relu(), 0.0, 0.0, 0.0),
    ("leaky_relu-", lambda a: a.leaky_relu(0.1), -2.0, -0.2, 0.1),
    ("leaky_relu default", lambda a: a.leaky_relu(), -2.0, -0.02, 0.01),
    ("leaky_relu+", lambda a: a.leaky_relu(0.1), 2.0, 2.0, 1.0),
    ("elu-", lambda a: a.elu(), -1.0, 1 / E - 1, 1 / E),
    ("elu alpha", lambda a: a.elu(2.0), -1.0, 2 * (1 / E - 1), 2 / E),
    ("elu+", lambda a: a.elu(), 3.0, 3.0, 1.0),
    ("abs-", lambda a: a.abs(), -3.0, 3.0, -1.0),
    ("abs at 0", lambda a: a.abs(), 0.0, 0.0, 0.0),
    ("pow 3", lambda a: a**3, 2.0, 8.0, 12.0),
    ("pow -1", lambda a: a**-1, 2.0, 0.5, -0.25),
    ("pow 0.5", lambda a: a**0.5, 4.0, 2.0, 0.25),
    ("sin", lambda a: a.sin(), 0.5, math.sin(0.5), math.cos(0.5)),
    ("cos", lambda a: a.cos(), 0.5, math.cos(0.5), -math.sin(0.5)),
    ("erf", lambda a: a.erf(), 0.5, math.erf(0.5), 2 * math.exp(-0.25) / math.sqrt(math.pi)),
    ("log2", lambda a: a.log2(), 8.0, 3.0, 1 / (8 * math.log(2))),
    ("sign-", lambda a: a.sign(), -2.0, -1.0, 0.0),
    ("clamp inside", lambda a: a.clamp(-1.0, 1.0), 0.5, 0.5, 1.0),
    ("clamp above", lambda a: a.clamp(-1.0, 1.0), 2.0, 1.0, 0.0),
]

BINARY = [
    ("add", lambda a, b: a + b, (2.0, 3.0), 5.0, (1.0, 1.0)),
    ("sub", lambda a, b: a - b, (2.0, 3.0), -1.0, (1.0, -1.0)),
    ("mul", lambda a, b: a * b, (2.0, 3.0), 6.0, (3.0, 2.0)),
    ("div", lambda a, b: a / b, (2.0, 4.0), 0.5, (0.25, -0.125)),
    ("pow_value", lambda a, b: a**b, (2.0, 3.0), 8.0, (12.0, 8 * math.log(2))),
    ("max", lambda a, b: a.max(b), (2.0, 3.0), 3.0, (0.0, 1.0)),
    ("max tie splits, as torch.maximum", lambda a, b: a.max(b), (3.0, 3.0), 3.0, (0.5, 0.5)),
    ("min", lambda a, b: a.min(b), (2.0, 3.0), 2.0, (1.0, 0.0)),
    ("min tie splits, as torch.minimum", lambda a, b: a.min(b), (3.0, 3.0), 3.0, (0.5, 0.5)),
    ("radd", lambda a, b: 1 + a, (2.0, 3.0), 3.0, (1.0, 0.0)),
    ("rsub", lambda a, b: 1 - a, (2.0, 3.0), -1.0, (-1.0, 0.0)),
    ("rmul", lambda a, b: 3 * a, (2.0, 3.0), 6.0, (3.0, 0.0)),
    ("rtruediv", lambda a, b: 1 / a, (2.0, 3.0), 0.5, (-0.25, 0.0)),
    ("rpow", lambda a, b: 2**a, (3.0, 3.0), 8.0, (8 * math.log(2), 0.0)),
    # -(t log p + (1 - t) log(1 - p)); d/dp = (p - t)/(p (1 - p)), d/dt = log((1 - p)/p)
    (
        "binary_cross_entropy",
        lambda a, b: apply(OPS["binary_cross_entropy"], (a, b)),
        (0.25, 0.3),
        -(0.3 * math.log(0.25) + 0.7 * math.log(0.75)),
        (-0.05 / 0.1875, math.log(3)),
    ),
]

KINKS = {"relu at the kink", "abs at 0", "max tie goes to the first", "min tie goes to the first"}


@pytest.mark.parametrize("name, f, x, value, derivative", UNARY, ids=[r[0] for r in UNARY])
def test_unary_hand_derived(name, f, x, value, derivative):
    a = Value(x)
    out = f(a)
    out.backward()
    assert out.data == approx(value, rel=1e-12, abs=1e-12)
    assert a.grad == approx(derivative, rel=1e-12, abs=1e-12)


# Central differences are not defined at a kink or a tie: the hand-derived rows cover those.
SMOOTH_UNARY = [row for row in UNARY if row[0] not in KINKS]
SMOOTH_BINARY = [row for row in BINARY if row[0] not in KINKS]


@pytest.mark.parametrize(
    "name, f, x, value, derivative", SMOOTH_UNARY, ids=[r[0] for r in SMOOTH_UNARY]
)
def test_unary_central_difference(name, f, x, value, derivative):
    assert gradcheck(f, [Value(x)])


@pytest.mark.parametrize("name, f, xs, value, derivatives", BINARY, ids=[r[0] for r in BINARY])
def test_binary_hand_derived(name, f, xs, value, derivatives):
    a, b = Value(xs[0]), Value(xs[1])
    out = f(a, b)
    out.backward()
    assert out.data == approx(value, rel=1e-12)
    assert (a.grad, b.grad) == approx(derivatives, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(
    "name, f, xs, value, derivatives", SMOOTH_BINARY, ids=[r[0] for r in SMOOTH_BINARY]
)
def test_binary_central_difference(name, f, xs, value, derivatives):
    assert gradcheck(f, [Value(xs[0]), Value(xs[1])])


def test_every_registered_op_is_in_the_table():
    covered = {
        "add",
        "sub",
        "mul",
        "div",
        "neg",
        "pow",
        "pow_value",
        "exp",
        "log",
        "sqrt",
        "tanh",
        "sigmoid",
        "softplus",
        "relu",
        "leaky_relu",
        "elu",
        "abs",
        "max",
        "min",
        "maximum",
        "minimum",
        "amax",
        "amin",
        "sum",
        "dot",
        "binary_cross_entropy",
    }  # sum and dot: tests/test_tensor.py
    course = {"sin", "cos", "erf", "log2", "sign", "clamp"}  # also tests/test_course_ops.py
    assert set(OPS) == covered | course


def test_every_op_has_a_formula_per_input():
    for op in OPS.values():
        count = op.arity if op.arity is not None else 3
        params = (0.5,) * len(op.param_names)
        bound = op.bind(*params) if params else op
        for i in range(count):
            assert bound.formula(i, count), op.name


def test_formulas_read_like_the_homework():
    assert OPS["mul"].formula(0, 2) == "b"
    assert OPS["mul"].formula(1, 2) == "a"
    assert OPS["div"].formula(1, 2) == "-a/b²"
    assert OPS["leaky_relu"].bind(0.1).formula(0, 1) == "1 if a > 0 else 0.1"
    assert OPS["dot"].formula(1, 7) == "b_2"
    assert OPS["dot"].formula(4, 7) == "a_2"
    assert OPS["dot"].formula(6, 7) == "1"


torch = pytest.importorskip("torch", reason="PyTorch comparison: torch is not installed")

TORCH_UNARY = {
    "exp": torch.exp,
    "log": torch.log,
    "sqrt": torch.sqrt,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "softplus": torch.nn.functional.softplus,
    "relu": torch.relu,
    "abs": torch.abs,
    "neg": torch.neg,
    "leaky_relu": lambda t: torch.nn.functional.leaky_relu(t, 0.1),
    "elu": torch.nn.functional.elu,
}


@pytest.mark.parametrize("name", sorted(TORCH_UNARY))
@pytest.mark.parametrize("x", [-2.5, -0.3, 0.0, 0.7, 3.0])
def test_unary_matches_torch(name, x):
    if name in ("log", "sqrt") and x <= 0:
        x = abs(x) + 0.5
    ours = Value(x)
    method = {"leaky_relu": lambda v: v.leaky_relu(0.1), "neg": lambda v: -v}.get(
        name, lambda v: getattr(v, name)()
    )
    out = method(ours)
    out.backward()
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    tout = TORCH_UNARY[name](t)
    tout.backward()
    assert out.data == approx(tout.item(), rel=1e-12, abs=1e-12)
    assert ours.grad == approx(t.grad.item(), rel=1e-12, abs=1e-12)


def test_bound_ops_are_cached_but_the_cache_is_bounded():
    from autograd import ops

    x = Value(2.0)
    for i in range(3 * ops.BOUND_CACHE_SIZE):  # many distinct exponents and slopes
        _ = x ** (1.0 + i / 7), x.leaky_relu(i / 1000)
    assert len(ops._BOUND) <= ops.BOUND_CACHE_SIZE
    assert ops.POW.bind(2) is ops.POW.bind(2)
    assert ops.POW.bind(float("nan")) is ops.POW.bind(float("nan"))  # every nan, one key
    assert ops.POW.bind(-0.0) is not ops.POW.bind(0.0)  # x ** -0.0 and x ** 0.0 keep apart
    assert ops.POW.bind(1).params == (1,) and ops.POW.bind(1.0).params == (1.0,)
