"""Convolution and pooling: P5 and P18 numbers, node structure, gradients, bad input."""

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd import Tensor, gradcheck

SOBEL = [[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]]
P5_X = [[0, 0, 1, 0], [0, 1, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0]]


def _p5_net():
    conv = nn.Conv2d(1, 1, 3, padding=1)
    conv.load_state_dict({"weight": [[SOBEL]], "bias": [0.0]})
    return conv


def test_p5_conv_relu_maxpool_numbers():
    conv = _p5_net()
    x = Tensor(np.array([P5_X], dtype=float))
    z = conv(x)
    assert z.data[0].tolist() == [[-1, -2, 1, 2], [-3, -1, 3, 1], [-4, 0, 4, 0], [-3, 0, 3, 0]]
    h = nn.ReLU()(z)
    assert h.data[0].tolist() == [[0, 0, 1, 2], [0, 0, 3, 1], [0, 0, 4, 0], [0, 0, 3, 0]]
    assert nn.MaxPool2d(2)(h).data[0].tolist() == [[0, 3], [0, 4]]
    shifted = Tensor(np.roll(np.array([P5_X], dtype=float), 1, axis=2))
    z2 = conv(shifted)
    assert z2.data[0].tolist() == [[0, -1, -2, 1], [0, -3, -1, 3], [0, -4, 0, 4], [0, -3, 0, 3]]
    assert nn.MaxPool2d(2)(nn.ReLU()(z2)).data[0].tolist() == [[0, 3], [0, 4]]


def test_each_output_is_one_dot_node_weights_field_bias():
    conv = nn.Conv1d(1, 1, 3)
    conv.load_state_dict({"weight": [[[1.0, 2.0, 3.0]]], "bias": [0.5]})
    x = Tensor([[1.0, 2.0, 3.0, 4.0]], label="x")
    z = conv(x)
    assert z.data.tolist() == [[14.5, 20.5]]
    node = z[0, 1]
    assert node.op == "dot"
    assert [p.label for p in node.parents] == [
        "conv1d.weight[0,0,0]",
        "conv1d.weight[0,0,1]",
        "conv1d.weight[0,0,2]",
        "x[0,1]",
        "x[0,2]",
        "x[0,3]",
        "conv1d.bias[0]",
    ]
    z.backward(grad=[[1.0, 10.0]])
    assert conv.weight.grad.tolist() == [[[1 + 20.0, 2 + 30.0, 3 + 40.0]]]
    assert conv.bias.grad.tolist() == [11.0]
    assert x.grad.tolist() == [[1.0, 2 + 10.0, 3 + 20.0, 30.0]]


def test_p18_conv_as_matrix_product():
    x = Tensor([1.0, 2.0, 3.0, 4.0], label="x")
    k = Tensor([5.0, 7.0], label="k")
    m = F.conv_matrix(x, 2)
    assert [[v.label for v in row] for row in m.values] == [
        ["x[0]", "x[1]", "x[2]"],
        ["x[1]", "x[2]", "x[3]"],
    ]
    direct = F.conv1d(Tensor.wrap(x.values[None]), Tensor.wrap(k.values[None, None]))
    assert (k @ m).data.tolist() == direct.data[0].tolist() == [19.0, 31.0, 43.0]
    toeplitz = F.conv_toeplitz(k, 4)
    assert (toeplitz @ x).data.tolist() == [19.0, 31.0, 43.0]
    cols = F.im2col(Tensor(np.arange(18.0).reshape(2, 3, 3)), (2, 2))
    assert cols.shape == (8, 4)
    assert cols.data[:, 0].tolist() == [0, 1, 3, 4, 9, 10, 12, 13]


@pytest.mark.parametrize("stride, padding, dilation", [(1, 0, 1), (2, 1, 1), (1, 1, 2), (2, 0, 2)])
def test_conv2d_gradcheck(stride, padding, dilation):
    rng = np.random.default_rng(stride + 3 * padding + 7 * dilation)
    x = Tensor(rng.normal(size=(1, 2, 5, 5)))
    w = Tensor(rng.normal(size=(2, 2, 2, 2)))
    b = Tensor(rng.normal(size=2))
    assert gradcheck(lambda x, w, b: F.conv2d(x, w, b, stride, padding, dilation), [x, w, b])


def test_conv1d_batched_equals_unbatched_and_output_size():
    rng = np.random.default_rng(0)
    conv = nn.Conv1d(2, 3, 3, stride=2, padding=1, dilation=1)
    xs = rng.normal(size=(2, 2, 7))
    batched = conv(Tensor(xs)).data
    for n in range(2):
        np.testing.assert_allclose(batched[n], conv(Tensor(xs[n])).data)
    assert batched.shape == (2, 3, F.conv_output_size(7, 3, padding=1, stride=2)) == (2, 3, 4)
    assert F.conv_output_size(10, 3, dilation=2) == 6


def test_conv_bad_input_errors():
    conv = nn.Conv2d(3, 4, 3)
    with pytest.raises(
        ValueError,
        match=r"Conv2d\(3, 4.*expected input of shape \(C, H, W\) or "
        r"\(N, C, H, W\).*received shape \(5, 5\)",
    ):
        conv(Tensor(np.zeros((5, 5))))
    with pytest.raises(
        ValueError,
        match=r"expected 3 input channels, received 2 "
        r"\(input shape \(2, 5, 5\)\)",
    ):
        conv(Tensor(np.zeros((2, 5, 5))))
    with pytest.raises(
        ValueError,
        match=r"kernel of size \(3, 3\).*larger than the padded input: "
        r"received input shape \(3, 2, 2\)",
    ):
        conv(Tensor(np.zeros((3, 2, 2))))
    with pytest.raises(ValueError, match=r"bias must have shape \(1,\), received \(2,\)"):
        F.conv1d(Tensor([[1.0, 2.0]]), Tensor([[[1.0]]]), Tensor([1.0, 2.0]))
    with pytest.raises(ValueError, match=r"expected 3 input channels, received 1"):
        conv.output_shape((None, 1, 8, 8))


def test_maxpool_padding_never_wins_and_gradient_goes_to_winner():
    x = Tensor([[[-5.0, -2.0], [-3.0, -4.0]]])  # all negative: a padded 0 would win
    y = F.max_pool2d(x, 2, stride=1, padding=1)
    assert y.data[0].tolist() == [[-5, -2, -2], [-3, -2, -2], [-3, -3, -4]]
    assert y[0, 0, 0].op == "max" and len(y[0, 0, 0].parents) == 4
    y[0, 1, 1].backward()
    assert x.grad.tolist() == [[[0.0, 1.0], [0.0, 0.0]]]
    with pytest.raises(ValueError, match=r"padding \(2, 2\) must be at most half the kernel"):
        F.max_pool2d(x, 2, padding=2)


def test_avg_pool_and_max_pool1d():
    x = Tensor([[1.0, 5.0, 2.0, 4.0, 3.0]])
    assert F.max_pool1d(x, 2).data.tolist() == [[5.0, 4.0]]
    assert F.avg_pool1d(x, 2, stride=1).data.tolist() == [[3.0, 3.5, 3.0, 3.5]]
    assert F.avg_pool1d(x, 2, padding=1).data.tolist() == [[0.5, 3.5, 3.5]]
    y = nn.AvgPool2d(2)(Tensor(np.arange(16.0).reshape(1, 4, 4)))
    assert y.data.tolist() == [[[2.5, 4.5], [10.5, 12.5]]]
    assert gradcheck(lambda t: F.avg_pool2d(t, 2, 1, 1), [Tensor(np.ones((1, 3, 3)))])
    with pytest.raises(
        ValueError,
        match=r"MaxPool1d.*expected input of shape \(C, L\) or "
        r"\(N, C, L\)",
    ):
        nn.MaxPool1d(2)(Tensor([1.0, 2.0]))
