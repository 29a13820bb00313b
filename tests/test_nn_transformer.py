"""TransformerBlock: P15's hand-designed heads (content, position), training, causality."""

import numpy as np
import pytest

from autograd import Tensor, gradcheck
from nn.positional import encode_positions
from nn.transformer import TransformerBlock


def bare_block(d_model, d_k):
    return TransformerBlock(
        d_model, d_k=d_k, residual=False, layer_norm=False, feed_forward=False, scale=1.0
    )


# Tokens are one-hot over 3 types plus a constant feature 1 (a bias for the queries).
TOKENS = np.array([[1, 0, 0, 1], [0, 0, 1, 1], [0, 1, 0, 1], [1, 0, 0, 1]], float)


def test_p15a_hand_designed_head_selects_by_content():
    alpha = 30.0
    block = bare_block(4, 1)
    W_Q = np.zeros((4, 1))
    W_Q[3, 0] = alpha  # every query asks the same question
    W_K = np.zeros((4, 1))
    W_K[2, 0] = 1.0  # "are you a token of type 2?"
    block.attention.load_state_dict({"W_Q": W_Q, "W_K": W_K, "W_V": np.eye(4)})
    y = block(Tensor(TOKENS))
    np.testing.assert_allclose(y.data, np.tile(TOKENS[1], (4, 1)), atol=1e-12)
    np.testing.assert_allclose(block.attention_weights.data[:, 1], 1.0, atol=1e-12)


def test_p15b_hand_designed_head_selects_previous_position():
    T, alpha = 4, 30.0
    content = TOKENS[:, :3]
    x = encode_positions(Tensor(content), np.eye(T), mode="concat")  # (T, 3 + T)
    shift = np.zeros((T, T))
    shift[np.arange(1, T), np.arange(T - 1)] = alpha  # position i asks for position i - 1
    W_Q = np.zeros((3 + T, T))
    W_Q[3:] = shift
    W_K = np.zeros((3 + T, T))
    W_K[3:] = np.eye(T)
    W_V = np.zeros((3 + T, 3 + T))
    W_V[:3, :3] = np.eye(3)  # copy the content only
    block = bare_block(3 + T, T)
    block.attention.load_state_dict({"W_Q": W_Q, "W_K": W_K, "W_V": W_V})
    y = block(x)
    np.testing.assert_allclose(y.data[1:, :3], content[:-1], atol=1e-12)


def test_p15_training_learns_the_content_head():
    rng = np.random.default_rng(0)
    block = TransformerBlock(
        4, d_k=1, residual=False, layer_norm=False, feed_forward=False, scale=1.0, rng=rng
    )
    x = Tensor(TOKENS)
    target = np.tile(TOKENS[1], (4, 1))
    losses = []
    for _ in range(100):
        diff = block(x) - target
        loss = (diff * diff).mean()
        block.zero_grad()
        loss.backward()
        for p in block.parameters():
            for v in p.values.flat:
                v.data -= 1.0 * v.grad
        losses.append(loss.item())
    assert losses[-1] < 1e-4 < losses[0]
    # Compared with the hand design: on one fixed sequence the answer is a constant, so
    # gradient descent solves it through W_V
    # (mixing the nearly uniform average of the values) and leaves attention nearly uniform instead of learning the sharp content head.
    weights = block.attention_weights.data
    assert (weights[:, 1] < 0.35).all() and (weights > 0.2).all()
    np.testing.assert_allclose(block(x).data, target, atol=0.02)


def test_causal_block_ignores_the_future_and_gradchecks():
    rng = np.random.default_rng(1)
    block = TransformerBlock(3, d_ff=3, causal=True, rng=rng)
    x = rng.normal(size=(3, 3))
    y = block(Tensor(x)).data
    x2 = x.copy()
    x2[2] = [5.0, -5.0, 1.0]
    y2 = block(Tensor(x2)).data
    np.testing.assert_allclose(y2[:2], y[:2], atol=1e-12)
    assert not np.allclose(y2[2], y[2])
    xt = Tensor(x)
    assert gradcheck(lambda *_: block(xt), [xt, block.attention.W_Q, block.feed_forward[0].weight])


def test_layer_norm_output_and_pre_norm_multihead():
    rng = np.random.default_rng(2)
    post = TransformerBlock(4, d_ff=4, rng=rng)
    y = post(Tensor(rng.normal(size=(2, 3, 4)))).data
    np.testing.assert_allclose(y.mean(axis=-1), 0.0, atol=1e-12)
    pre = TransformerBlock(4, num_heads=2, d_ff=4, norm_first=True, rng=rng)
    assert pre(Tensor(rng.normal(size=(2, 3, 4)))).shape == (2, 3, 4)
    assert pre.attention_weights.shape == (2, 3, 3)


def test_errors_name_shapes():
    with pytest.raises(
        ValueError,
        match=r"TransformerBlock: expected input .*d_model=4, "
        r"received shape \(3, 2\)",
    ):
        TransformerBlock(4)(Tensor(np.zeros((3, 2))))
    with pytest.raises(ValueError, match="d_k and scale apply to one head only"):
        TransformerBlock(4, num_heads=2, d_k=2)
