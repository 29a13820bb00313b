"""The float and numpy backends agree: a Tensor op (NUMPY, vectorised) and the same op on
each Value (FLOAT) give the same numbers, IEEE edge cases included."""

import math

import numpy as np
import pytest

from autograd import OPS, Tensor, Value
from autograd.backend import FLOAT
from autograd.backend_numpy import NUMPY

EDGES = [
    -1000.0,
    -3.5,
    -1.0,
    -0.5,
    -1e-10,
    -0.0,
    0.0,
    1e-300,
    0.5,
    1.0,
    2.0,
    709.0,
    1000.0,
    1e300,
    math.inf,
    -math.inf,
    math.nan,
]
PROBABILITIES = [0.0, 1e-13, 0.25, 0.5, 1.0, math.nan]


def same(a: float, b: float) -> bool:
    """Equal to 1e-15, nan equal to nan, and a zero's sign counts."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if a == 0.0 and b == 0.0:
        return math.copysign(1.0, a) == math.copysign(1.0, b)
    return a == b or abs(a - b) <= 1e-15 * max(abs(a), abs(b))


def bound(name: str) -> list:
    """The op, or one bound op per parameter worth testing."""
    op = OPS[name]
    if name == "pow":
        return [op.bind(n) for n in (0, 1, 2, 3, -1, 0.5, -0.5, 1.5, 10**400, 10**400 + 1)]
    if op.param_names:
        return [op.bind(*[p] * len(op.param_names)) for p in (0.1, 0.0, 2.0)]
    return [op]


UNARY = [name for name, op in OPS.items() if op.arity == 1]
BINARY = ["add", "sub", "mul", "div", "pow_value", "max", "min", "sum", "dot"]


def grid(name: str) -> tuple[list, list]:
    if name == "binary_cross_entropy":
        return np.meshgrid(np.array(PROBABILITIES), np.array(EDGES[5:12] + [math.nan]))
    return np.meshgrid(np.array(EDGES), np.array(EDGES))


@pytest.mark.parametrize("name", UNARY)
@np.errstate(all="ignore")  # as Tensor ops and compile run the rules
def test_unary_rules_agree(name):
    for op in bound(name):
        x = np.array(EDGES)
        out = op.forward(NUMPY, x, *op.params)
        local = op.partials(NUMPY, out, x, *op.params)[0]
        for i, xi in enumerate(EDGES):
            out_i = op.forward(FLOAT, xi, *op.params)
            assert same(out_i, np.broadcast_to(out, x.shape)[i]), (op.symbol, xi)
            d = op.partials(FLOAT, out_i, xi, *op.params)[0]
            assert same(d, np.broadcast_to(local, x.shape)[i]), (op.symbol, xi, "partial")


@pytest.mark.parametrize("name", BINARY + ["binary_cross_entropy"])
@np.errstate(all="ignore")  # as Tensor ops and compile run the rules
def test_binary_rules_agree(name):
    op = OPS[name]
    a, b = (g.ravel() for g in grid(name))
    out = op.forward(NUMPY, a, b)
    local = op.partials(NUMPY, out, a, b)
    for i, (x, y) in enumerate(zip(a.tolist(), b.tolist())):
        out_i = op.forward(FLOAT, x, y)
        assert same(out_i, np.broadcast_to(out, a.shape)[i]), (name, x, y)
        for k, d in enumerate(op.partials(FLOAT, out_i, x, y)):
            assert same(d, np.broadcast_to(local[k], a.shape)[i]), (name, x, y, k)


@pytest.mark.parametrize("name", ["relu", "pow", "pow_value", "max", "min"])
@np.errstate(all="ignore")  # as Tensor ops and compile run the rules
def test_masks_agree_and_send_exactly_zero(name):
    inf, nan = math.inf, math.nan
    for op in bound(name):
        count = op.arity or 3
        columns = (
            [np.array(EDGES)] * count
            if count == 1
            else [c.ravel() for c in np.meshgrid(*[np.array(EDGES[::3])] * count)]
        )
        out = op.forward(NUMPY, *columns, *op.params)
        local = op.partials(NUMPY, out, *columns, *op.params)
        for upstream in (1.0, inf, nan):
            sent = op.contributions(NUMPY, upstream, local, out, columns)
            for i in range(columns[0].size):
                xs = [c[i] for c in columns]
                out_i = op.forward(FLOAT, *xs, *op.params)
                local_i = op.partials(FLOAT, out_i, *xs, *op.params)
                sent_i = op.contributions(FLOAT, upstream, local_i, out_i, xs)
                for k in range(count):
                    assert same(sent_i[k], np.broadcast_to(sent[k], columns[0].shape)[i]), (
                        op.symbol,
                        xs,
                        upstream,
                        k,
                    )


def test_selections_send_exactly_zero_and_other_zeros_multiply():
    inf, nan = math.inf, math.nan
    relu, mul, pow0 = OPS["relu"], OPS["mul"], OPS["pow"].bind(0)
    assert relu.contributions(NUMPY, inf, (np.array([0.0, 1.0]),), None, (np.array([-1.0, 2.0]),))[
        0
    ].tolist() == [0.0, inf]
    assert pow0.contributions(FLOAT, nan, (0.0,), 1.0, (0.0,)) == (0.0,)
    assert math.isnan(mul.contributions(FLOAT, inf, (0.0, 3.0), 0.0, (3.0, 0.0))[0])


def test_tensor_ops_match_value_ops_elementwise():
    xs = [-2.0, -0.5, 0.0, 0.5, 3.0]
    t = Tensor(xs)
    for method in ("exp", "tanh", "sigmoid", "softplus", "relu", "abs", "elu"):
        got = getattr(t, method)().data.tolist()
        want = [getattr(Value(x), method)().data for x in xs]
        assert got == want, method
    assert (t * t - t / 2.0).data.tolist() == [x * x - x / 2.0 for x in xs]


def test_tensor_ops_give_ieee_results_without_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = Tensor([0.0, 1.0, -1.0, math.inf])
        assert (t / 0.0).data.tolist()[1:3] == [math.inf, -math.inf]
        assert math.isnan((t - math.inf).data[3])
        assert t.log().data.tolist()[0] == -math.inf
