"""The homework-size models whose default pictures must read (issue 13), built the same way
for the tests (``tests/test_viz_picture.py``) and the benchmark (``bench/bench_viz.py``).

Each builder returns the loss Value after ``backward()``.
"""

from __future__ import annotations

import numpy as np

import nn
from autograd import Tensor, Value


def conv_relu_pool() -> Value:
    """``Conv2d(1, 2, 3)`` + ReLU + ``MaxPool2d(2)`` on a 5x5 image, MSE against zeros."""
    rng = np.random.default_rng(0)
    conv, relu, pool = nn.Conv2d(1, 2, 3, rng=rng), nn.ReLU(), nn.MaxPool2d(2)
    x = Tensor(rng.normal(size=(1, 5, 5)), label="x")
    out = pool(relu(conv(x)))  # (2, 1, 1)
    loss = nn.MSELoss()(out, Tensor(np.zeros(out.shape))).name("loss")
    loss.backward()
    return loss.values[()]


def lstm_last_state() -> Value:
    """``LSTM(2, 3)`` over 5 steps, loss = sum of the last hidden state."""
    rng = np.random.default_rng(0)
    lstm = nn.LSTM(2, 3, rng=rng)
    x = Tensor(rng.normal(size=(5, 2)), label="x")
    _, (h_n, _) = lstm(x)
    loss = h_n.sum().name("loss")
    loss.backward()
    return loss.values[()]


def one_head_attention() -> Value:
    """One-head ``SelfAttention(3, 2)`` over 4 tokens, loss = sum of the output."""
    rng = np.random.default_rng(0)
    attn = nn.SelfAttention(3, 2, rng=rng)
    x = Tensor(rng.normal(size=(4, 3)), label="x")
    loss = attn(x).sum().name("loss")
    loss.backward()
    return loss.values[()]


def red_panda() -> Value:
    """P12: the output row of "panda", summed."""
    from demos.red_panda_attention import red_panda as build

    _, _, y = build()
    loss = y[2].sum().name("sum(out[panda])")
    loss.backward()
    return loss.values[()]


def moons_mlp() -> Value:
    """The moons demo's ``MLP(2, [16, 16, 1])`` loss on 4 points."""
    from demos.moons import MLP, loss_and_accuracy, make_moons

    X, y = make_moons()
    loss, _ = loss_and_accuracy(MLP(2, [16, 16, 1]), X[:4], y[:4])
    loss = loss.name("loss")
    loss.backward()
    return loss.values[()]


MODELS = {
    "conv+relu+pool": conv_relu_pool,
    "lstm 5 steps": lstm_last_state,
    "attention 4 tokens": one_head_attention,
    "P12 red panda": red_panda,
    "moons MLP 4 points": moons_mlp,
}
