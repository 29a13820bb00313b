"""Linear, Flatten, Dropout, Embedding, LayerNorm and activations: hand values and gradients."""

import math

import numpy as np
import pytest

import nn
from autograd import Tensor, gradcheck


def test_linear_forward_backward_by_hand():
    lin = nn.Linear(2, 2)
    lin.load_state_dict({"weight": [[1.0, 2.0], [-1.0, 0.5]], "bias": [0.5, -1.0]})
    x = Tensor([[3.0, -1.0]])
    y = lin(x)
    assert y.data.tolist() == [[1.5, -4.5]]
    node = y[0, 0]
    assert node.op == "dot"
    assert [p.label for p in node.parents] == [
        None,
        None,
        "linear.weight[0,0]",
        "linear.weight[0,1]",
        "linear.bias[0]",
    ]
    y.backward(grad=[[1.0, 2.0]])
    assert lin.weight.grad.tolist() == [[3.0, -1.0], [6.0, -2.0]]
    assert lin.bias.grad.tolist() == [1.0, 2.0]
    assert x.grad.tolist() == [[1.0 - 2.0, 2.0 + 1.0]]


def test_linear_gradcheck_and_bad_input():
    lin = nn.Linear(3, 2)
    x = Tensor(np.random.default_rng(0).normal(size=(2, 3)))
    assert gradcheck(lambda x, w, b: nn.functional.linear(x, w, b), [x, lin.weight, lin.bias])
    with pytest.raises(
        ValueError,
        match=r"Linear\(in_features=3.*expected input with last dim 3, "
        r"received shape \(2, 4\)",
    ):
        lin(Tensor(np.zeros((2, 4))))


def test_flatten_and_sequential_shapes():
    model = nn.Sequential(nn.Flatten(), nn.Linear(6, 1))
    assert model(Tensor(np.ones((4, 2, 3)))).shape == (4, 1)
    assert model.output_shape((None, 2, 3)) == (None, 1)
    assert nn.Flatten(0).output_shape((2, 3, 4)) == (24,)


def test_dropout_without_rescale_p20_expectation():
    # P20: E[h'] = (1 - p) h without rescaling; with rescaling E[h'] = h.
    h = Tensor(np.full(4000, 2.0))
    plain = nn.Dropout(0.25, rescale=False, rng=np.random.default_rng(1))(h).data
    scaled = nn.Dropout(0.25, rng=np.random.default_rng(1))(h).data
    assert set(np.unique(plain)) == {0.0, 2.0}
    assert abs(plain.mean() - 0.75 * 2.0) < 0.05
    assert set(np.unique(scaled)).issubset({0.0, 2.0 / 0.75})
    assert abs(scaled.mean() - 2.0) < 0.07
    drop = nn.Dropout(0.5).eval()
    x = Tensor([1.0, 2.0])
    assert drop(x).values[0] is x.values[0]
    with pytest.raises(ValueError, match=r"Dropout: p must be in \[0, 1\], got 1.5"):
        nn.Dropout(1.5)


def test_dropout_kept_units_route_gradient():
    x = Tensor([1.0, 2.0, 3.0, 4.0])
    y = nn.Dropout(0.5, rescale=True, rng=np.random.default_rng(0))(x)
    y.sum().backward()
    kept = y.data != 0
    assert x.grad.tolist() == [2.0 if k else 0.0 for k in kept]


def test_embedding_lookup_grad_accumulates_and_errors():
    emb = nn.Embedding(3, 2)
    emb.load_state_dict({"weight": [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]})
    out = emb([1, 1, 0])
    assert out.data.tolist() == [[2.0, 3.0], [2.0, 3.0], [0.0, 1.0]]
    out.sum().backward()
    assert emb.weight.grad.tolist() == [[1.0, 1.0], [2.0, 2.0], [0.0, 0.0]]
    with pytest.raises(IndexError, match=r"indices must be in \[0, 3\), received min 0 and max 3"):
        emb([0, 3])
    with pytest.raises(TypeError, match="indices must be integers"):
        emb([0.5])


def test_layernorm_by_hand_and_gradcheck():
    ln = nn.LayerNorm(3, eps=0.0)
    y = ln(Tensor([1.0, 2.0, 3.0]))
    s = math.sqrt(2 / 3)
    np.testing.assert_allclose(y.data, [-1 / s, 0.0, 1 / s], rtol=1e-12)
    ln.load_state_dict({"weight": [1.0, 2.0, 3.0], "bias": [0.0, 1.0, 0.0]})
    x = Tensor([[0.3, -1.2, 2.0], [1.0, 0.0, 0.5]])
    assert gradcheck(lambda x: ln(x), [x])
    assert gradcheck(lambda w, b: nn.LayerNorm(3)(x) * w + b, [ln.weight, ln.bias])
    with pytest.raises(
        ValueError,
        match=r"expected input whose last dims are \(3,\), received "
        r"shape \(2, 4\)",
    ):
        ln(Tensor(np.zeros((2, 4))))


@pytest.mark.parametrize(
    "module, expected",
    [
        (nn.ReLU(), [0.0, 0.0, 2.0]),
        (nn.LeakyReLU(0.1), [-0.1, 0.0, 2.0]),
        (nn.ELU(1.0), [math.exp(-1) - 1, 0.0, 2.0]),
        (nn.Tanh(), [math.tanh(-1), 0.0, math.tanh(2)]),
        (nn.Sigmoid(), [1 / (1 + math.e), 0.5, 1 / (1 + math.exp(-2))]),
        (nn.Softmax(dim=0), list(np.exp([-1, 0, 2]) / np.exp([-1, 0, 2]).sum())),
    ],
)
def test_activations(module, expected):
    np.testing.assert_allclose(module(Tensor([-1.0, 0.0, 2.0])).data, expected, rtol=1e-12)
    assert module.output_shape((None, 3)) == (None, 3)
