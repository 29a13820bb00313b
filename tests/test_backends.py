"""The float and numpy backends agree: a Tensor op (NUMPY, vectorised) and the same op on
each Value (FLOAT) give the same numbers, IEEE edge cases included."""

import math

import numpy as np
import pytest

from autograd import OPS, Tensor, Value
from autograd.backend import FLOAT, NUMPY

EDGES = [-1000.0, -3.5, -1.0, -0.0, 0.0, 1e-300, 0.5, 2.0, 709.0, 1000.0, math.inf, -math.inf,
         math.nan]


def same(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or abs(a - b) <= 1e-15 * max(abs(a), abs(b))


UNARY = [name for name, op in OPS.items() if op.arity == 1]


@pytest.mark.parametrize("name", UNARY)
def test_unary_forward_rules_agree(name):
    op = OPS[name]
    if op.param_names:
        op = op.bind(*([2] if name == "pow" else [0.1] * len(op.param_names)))
    vectorised = op.forward(NUMPY, np.array(EDGES), *op.params)
    for x, v in zip(EDGES, np.broadcast_to(vectorised, (len(EDGES),)).tolist()):
        assert same(op.forward(FLOAT, x, *op.params), v), (name, x)


@pytest.mark.parametrize("name", ["add", "sub", "mul", "div", "pow_value", "max", "min"])
def test_binary_forward_rules_agree(name):
    op = OPS[name]
    a, b = np.meshgrid(np.array(EDGES), np.array(EDGES))
    with np.errstate(all="ignore"):  # as Tensor ops run it
        vectorised = op.forward(NUMPY, a.ravel(), b.ravel()).tolist()
    for x, y, v in zip(a.ravel().tolist(), b.ravel().tolist(), vectorised):
        assert same(op.forward(FLOAT, x, y), v), (name, x, y)


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
