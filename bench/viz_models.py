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


def rnn_sentiment() -> Value:
    """P6: the margin logit(good) - logit(bad) of the ReLU RNN language model."""
    from demos.rnn_sentiment import PROMPT, VOCAB, RNNLanguageModel

    logits = RNNLanguageModel()([VOCAB.index(w) for w in PROMPT])
    good, bad = logits[8], logits[9]
    good.label, bad.label = "logit(good)", "logit(bad)"
    margin = good - bad
    margin.label = "logit(good) - logit(bad)"
    margin.backward()
    return margin


def gru_four_steps() -> Value:
    """``GRU(2, 3)`` over 4 steps, loss = sum of the last hidden state."""
    rng = np.random.default_rng(0)
    gru = nn.GRU(2, 3, rng=rng)
    _, h_n = gru(Tensor(rng.normal(size=(4, 2)), label="x"))
    loss = h_n.sum().name("loss")
    loss.backward()
    return loss.values[()]


def two_head_attention() -> Value:
    """``MultiHeadAttention(4, 2)`` over 3 tokens, loss = sum of the output."""
    rng = np.random.default_rng(0)
    mha = nn.MultiHeadAttention(4, 2, rng=rng)
    out, _ = mha(Tensor(rng.normal(size=(3, 4)), label="x"))
    loss = out.sum().name("loss")
    loss.backward()
    return loss.values[()]


def transformer_block() -> Value:
    """``TransformerBlock(4, d_ff=8)`` over 3 tokens, MSE against a random target."""
    rng = np.random.default_rng(0)
    block = nn.TransformerBlock(4, d_ff=8, rng=rng)
    x = Tensor(rng.normal(size=(3, 4)), label="x")
    loss = nn.MSELoss()(block(x), Tensor(rng.normal(size=(3, 4))))
    loss.backward()
    return loss.values[()]


# the layers of issue 22, drawn before/after in demos/images/before-after
LAYER_MODELS = {
    "gru": gru_four_steps,
    "multihead_attention": two_head_attention,
    "transformer_block": transformer_block,
}

MODELS = {
    "conv+relu+pool": conv_relu_pool,
    "lstm 5 steps": lstm_last_state,
    "attention 4 tokens": one_head_attention,
    "P12 red panda": red_panda,
    "moons MLP 4 points": moons_mlp,
}


def main(out: str = "demos/images/pictures") -> None:
    """Write the default picture of each model as PNG into ``out`` (the README shows them)."""
    import sys
    from pathlib import Path

    from viz import draw, render

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else out)
    folder.mkdir(parents=True, exist_ok=True)
    files = {"conv+relu+pool": "conv", "lstm 5 steps": "lstm", "attention 4 tokens": "attention"}
    for name, file in files.items():
        print("wrote", render(draw(MODELS[name](), title=name), folder / f"{file}.png"))
    title = "P6: logit(good) - logit(bad) through 8 RNN steps"
    print("wrote", render(draw(rnn_sentiment(), title=title), folder / "rnn_sentiment.png"))
    after = folder.parent / "before-after"
    after.mkdir(exist_ok=True)
    for name, build in LAYER_MODELS.items():
        print("wrote", render(draw(build(), title=name), after / f"{name}-after.png"))


if __name__ == "__main__":
    main()
