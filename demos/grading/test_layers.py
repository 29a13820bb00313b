"""Grading layers.py with chalkgrad: each forward is written once with chalkgrad ops,
and the plugin's ``chalkgrad`` fixture compares the hand-written backward with the
engine on the given inputs and on random inputs of the same shapes.

Run: ``pytest`` in this folder (chalkgrad installed; no conftest needed).
"""

import layers
import numpy as np

from autograd import Tensor
from nn.conv import conv2d

rng = np.random.default_rng(0)


def affine(x, w, b):
    return x @ w + b


def softmax_loss(x, y):
    return -x.log_softmax(axis=1)[np.arange(len(y)), y].mean()


def test_affine_backward(chalkgrad):
    x, w, b = rng.standard_normal((4, 3)), rng.standard_normal((3, 2)), rng.standard_normal(2)
    chalkgrad.backward(layers.affine_backward, affine, [x, w, b])


def test_relu_backward(chalkgrad):
    chalkgrad.backward(layers.relu_backward, lambda x: x.relu(), [rng.standard_normal((3, 4))])


def test_softmax_loss_backward(chalkgrad):
    x, y = rng.standard_normal((5, 3)), np.array([0, 2, 1, 1, 0])
    chalkgrad.backward(layers.softmax_loss_backward, softmax_loss, [x, y])


def test_conv_backward(chalkgrad):
    x, w, b = rng.standard_normal((2, 1, 4, 4)), rng.standard_normal((2, 1, 3, 3)), np.zeros(2)
    chalkgrad.backward(layers.conv_backward, conv2d, [x, w, b])


def test_the_loss_value_itself():
    x, y = rng.standard_normal((5, 3)), np.array([0, 2, 1, 1, 0])
    assert np.isclose(layers.softmax_loss(x, y), softmax_loss(Tensor(x), y).item())
