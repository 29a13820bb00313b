"""Attention against problems.md (P1, P8, P12, P13, P22), masks, gradients and bad input."""

import math

import numpy as np
import pytest

from autograd import Tensor, gradcheck, jacobian
from nn.attention import (
    SelfAttention,
    argmax_attention,
    causal_mask,
    count_scores,
    local_mask,
    local_score_count,
    relative_position_bias,
    scaled_dot_product_attention,
)
from nn.multihead import MultiHeadAttention

S2 = math.sqrt(2)
P1_X = [[0.0, 1.0], [-1.0, 1.0]]
P1_WEIGHTS = {"W_Q": [[2 * S2], [S2]], "W_K": [[-2.0], [-1.0]], "W_V": [[-0.1], [0.3]]}


def p1_attention(scale):
    att = SelfAttention(2, 1, scale=scale)
    att.load_state_dict(P1_WEIGHTS)
    return att


# ------------------------------------------------------------------------ P1
def test_p1_projections_and_unscaled_attention():
    att = p1_attention(1.0)
    y = att(Tensor(P1_X))
    np.testing.assert_allclose(att.keys.data[:, 0], [-1.0, 1.0])
    np.testing.assert_allclose(att.queries.data[:, 0], [S2, -S2])
    np.testing.assert_allclose(att.values.data[:, 0], [0.3, 0.4])
    np.testing.assert_allclose(att.weights.data, [[0.056, 0.944], [0.944, 0.056]], atol=5e-4)
    np.testing.assert_allclose(y.data[:, 0], [0.3944, 0.3056], atol=5e-5)
    h = 1 / (1 + math.exp(2 * S2))
    assert y.data[0, 0] == pytest.approx(0.3 * h + 0.4 * (1 - h), abs=1e-12)


def test_p1_scaled_attention_and_permutation_equivariance():
    att = p1_attention(1 / S2)
    y = att(Tensor(P1_X))
    np.testing.assert_allclose(att.weights.data, [[0.12, 0.88], [0.88, 0.12]], atol=5e-3)
    np.testing.assert_allclose(y.data[:, 0], [0.388, 0.312], atol=5e-4)
    swapped = att(Tensor(P1_X[::-1]))
    np.testing.assert_allclose(swapped.data[:, 0], y.data[::-1, 0], atol=1e-12)


def test_default_scale_is_one_over_sqrt_dk():
    q, k, v = Tensor([[1.0, 2.0]]), Tensor([[1.0, 0.0], [0.0, 1.0]]), Tensor([[1.0], [0.0]])
    _, w = scaled_dot_product_attention(q, k, v)
    e = math.exp((1 - 2) / S2)
    np.testing.assert_allclose(w.data, [[e / (1 + e), 1 / (1 + e)]], atol=1e-12)


# ------------------------------------------------------------------------ P8
P6_EMBEDDINGS = [
    [0, 0, 0],
    [0, -5, 0],
    [1, 0, 0],
    [0, 0, 0],
    [-1, 0, 0],
    [0, 0, 0],
    [-2, 0, 0],
    [0, 0, 0],
]
P6_W_YH = [[0, 0], [1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12], [13, 14], [1, -1], [-1, 1]]


def test_p8_one_head_transformer_language_model():
    x = np.array(P6_EMBEDDINGS, float)
    x[:, 2] += np.arange(8)  # p_t = [0, 0, t - 1]
    W = [[0.1, 0.0], [0.0, -0.1], [0.0, 0.1]]
    att = SelfAttention(3, 2, scale=1 / S2)
    att.load_state_dict({"W_Q": W, "W_K": W, "W_V": W})
    z = att(Tensor(x))
    np.testing.assert_allclose(
        att.weights.data[7], [0.101, 0.136, 0.112, 0.118, 0.124, 0.130, 0.136, 0.143], atol=5e-4
    )
    np.testing.assert_allclose(z.data[7], [-0.028, 0.436], atol=5e-4)
    logits = Tensor(P6_W_YH) @ z[7]
    assert logits.data[8] == pytest.approx(-0.464, abs=5e-4)
    assert logits.data[9] == pytest.approx(0.464, abs=5e-4)
    assert logits.data[8] < logits.data[9]  # predicts "bad": negative


# ----------------------------------------------------------------------- P12
def test_p12_red_panda():
    s3 = math.sqrt(3)
    X = Tensor([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 0], [0, 0, 1]])
    att = SelfAttention(3, 3)
    att.load_state_dict(
        {
            "W_Q": [[0, 0, 0], [1, 0, 0], [0, 0, 0]],
            "W_K": [[s3 * math.log(80), 0, 0], [0, 0, 0], [s3 * math.log(17), 0, 0]],
            "W_V": np.eye(3),
        }
    )
    y = att(X)
    expected_q = np.zeros((5, 3))
    expected_q[2, 0] = 1.0
    np.testing.assert_allclose(att.queries.data, expected_q)
    scaled = att.queries.data @ att.keys.data.T / s3
    np.testing.assert_allclose(scaled[2], [0, math.log(80), 0, 0, math.log(17)], atol=1e-12)
    expected_w = np.full((5, 5), 0.2)
    expected_w[2] = [0.01, 0.80, 0.01, 0.01, 0.17]
    np.testing.assert_allclose(att.weights.data, expected_w, atol=1e-12)
    expected_y = np.full((5, 3), 0.2)
    expected_y[2] = [0.80, 0.01, 0.17]
    np.testing.assert_allclose(y.data, expected_y, atol=1e-12)


def test_score_nodes_hold_the_scaled_scores():
    q, k = Tensor([[1.0, 1.0]]), Tensor([[2.0, 0.0], [0.0, 4.0]])
    out, w = scaled_dot_product_attention(q, k, k)
    scores = {v.label: v.data for v in _graph(out) if v.label and v.label.startswith("score[")}
    assert scores == pytest.approx({"score[0,0]": 2 / S2, "score[0,1]": 4 / S2})


def _graph(t):
    from autograd import topological_order

    return topological_order(list(t.values.flat))


# ----------------------------------------------------------------------- P13
P13_KEYS = [[1, 2, 0], [0, 3, 4], [5, 0, 0], [0, 0, 1]]
P13_VALUES = [[2, 0, 1], [1, 4, 3], [0, -1, 4], [1, 0, -1]]


def test_p13_argmax_attention_output_and_zero_gradients():
    q, k, v = Tensor([1, 1, 2]), Tensor(P13_KEYS), Tensor(P13_VALUES)
    np.testing.assert_allclose(q.data @ k.data.T, [3, 11, 5, 2])
    out, w = argmax_attention(q, k, v)
    assert out.data.tolist() == [1.0, 4.0, 3.0]
    assert w.data.tolist() == [0.0, 1.0, 0.0, 0.0]
    out.backward(grad=[1.0, 2.0, 3.0])
    assert q.grad.tolist() == [0.0, 0.0, 0.0]
    assert (k.grad == 0.0).all()
    expected = np.zeros((4, 3))
    expected[1] = [1.0, 2.0, 3.0]
    assert v.grad.tolist() == expected.tolist()
    assert (jacobian(lambda t: argmax_attention(t, k, v)[0], q) == 0.0).all()


def test_argmax_attention_batched_rows_and_ties_pick_first():
    k = Tensor([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    v = Tensor([[1.0], [2.0], [3.0]])
    out, w = argmax_attention(Tensor([[1.0, 0.0], [0.0, 1.0]]), k, v)
    assert out.data.tolist() == [[1.0], [3.0]]
    assert out[0, 0] is v[0, 0]  # routed: the chosen value's own Value, no new node


# ----------------------------------------------------------------------- masks
def test_causal_and_local_masks():
    assert causal_mask(3).tolist() == [
        [True, False, False],
        [True, True, False],
        [True, True, True],
    ]
    assert local_mask(5, 1).sum() == 13
    assert local_mask(3, 5).all()


def test_masked_positions_get_zero_weight_and_zero_gradient():
    rng = np.random.default_rng(0)
    q, k, v = (Tensor(rng.normal(size=(3, 2))) for _ in range(3))
    out, w = scaled_dot_product_attention(q, k, v, mask=causal_mask(3))
    assert w.data[0].tolist()[1:] == [0.0, 0.0] and w.data[1, 2] == 0.0
    np.testing.assert_allclose(w.data.sum(axis=1), 1.0)
    out[0].sum().backward()  # query 0 sees only key 0 and value 0
    assert (k.grad[1:] == 0.0).all() and (v.grad[1:] == 0.0).all()
    assert v.grad[0].tolist() == [1.0, 1.0]


def test_mask_equals_minus_infinity_before_softmax():
    rng = np.random.default_rng(1)
    q, k, v = (rng.normal(size=(4, 3)) for _ in range(3))
    mask = local_mask(4, 1)
    out, w = scaled_dot_product_attention(Tensor(q), Tensor(k), Tensor(v), mask=mask)
    scores = np.where(mask, q @ k.T / math.sqrt(3), -np.inf)
    ref = np.exp(scores - scores.max(axis=1, keepdims=True))
    ref /= ref.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(w.data, ref, atol=1e-12)
    np.testing.assert_allclose(out.data, ref @ v, atol=1e-12)


def test_fully_masked_row_raises():
    x = Tensor(np.ones((2, 2)))
    mask = np.array([[True, False], [False, False]])
    with pytest.raises(ValueError, match=r"query row \(1,\) attend to no key"):
        scaled_dot_product_attention(x, x, x, mask=mask)


@pytest.mark.parametrize(
    "T, k, expected", [(8, 1, 22), (8, 2, 34), (10, 0, 10), (4, 7, 16), (32, 3, 212)]
)
def test_p22_score_evaluations_counted_exactly(T, k, expected):
    x = Tensor(np.linspace(-1, 1, T)[:, None])
    full, _ = scaled_dot_product_attention(x, x, x)
    local, _ = scaled_dot_product_attention(x, x, x, mask=local_mask(T, k))
    assert count_scores(full) == T * T
    assert count_scores(local) == expected == local_score_count(T, k)
    assert int(local_mask(T, k).sum()) == expected
    if k < T:
        assert expected == T * (2 * k + 1) - k * (k + 1)  # T(2k+1) minus the boundary pairs


def test_p22_local_attention_approaches_max_pooling():
    x = np.array([0.3, -1.0, 2.0, 0.5, 1.5, -0.2])
    T, k, alpha = len(x), 1, 200.0
    out, _ = scaled_dot_product_attention(
        Tensor(np.full((T, 1), alpha)),
        Tensor(x[:, None]),
        Tensor(x[:, None]),
        mask=local_mask(T, k),
        scale=1.0,
    )
    pooled = [x[max(0, i - k) : i + k + 1].max() for i in range(T)]
    np.testing.assert_allclose(out.data[:, 0], pooled, atol=1e-6)


# --------------------------------------------------------- relative position
def test_relative_position_bias_adds_pi_i_minus_j_and_routes_gradient():
    pi = Tensor([0.5, -1.0, 2.0], label="pi")  # d = -1, 0, 1
    B = relative_position_bias(pi, 2)
    assert B.data.tolist() == [[-1.0, 0.5], [2.0, -1.0]]
    q, k = Tensor([[1.0], [0.0]]), Tensor([[0.0], [1.0]])
    _, w = scaled_dot_product_attention(q, k, Tensor([[1.0], [2.0]]), bias=B, scale=1.0)
    s0 = np.array([0.0 - 1.0, 1.0 + 0.5])
    np.testing.assert_allclose(w.data[0], np.exp(s0) / np.exp(s0).sum(), atol=1e-12)
    assert gradcheck(
        lambda t: scaled_dot_product_attention(q, k, k, bias=relative_position_bias(t, 2))[0],
        [pi],
    )
    with pytest.raises(ValueError, match=r"table must have shape \(3,\).*got \(4,\)"):
        relative_position_bias(Tensor(np.zeros(4)), 2)


# ------------------------------------------------------------------ gradients
def test_gradcheck_scaled_attention_with_mask():
    rng = np.random.default_rng(2)
    q, k, v = (Tensor(rng.normal(size=(3, 2))) for _ in range(3))
    assert gradcheck(
        lambda a, b, c: scaled_dot_product_attention(a, b, c, mask=causal_mask(3))[0], [q, k, v]
    )


def test_gradcheck_self_attention_parameters_batched():
    rng = np.random.default_rng(3)
    att = SelfAttention(2, 2, d_v=1, rng=rng)
    x = Tensor(rng.normal(size=(2, 3, 2)))
    assert gradcheck(lambda *_: att(x), [att.W_Q, att.W_K, att.W_V, x])


def test_multihead_shapes_and_gradcheck():
    rng = np.random.default_rng(4)
    mha = MultiHeadAttention(4, 2, rng=rng)
    x = Tensor(rng.normal(size=(3, 4)))
    out, w = mha(x)
    assert out.shape == (3, 4) and w.shape == (3, 3)
    np.testing.assert_allclose(w.data.sum(axis=1), 1.0)
    _, per_head = mha(x, average_attn_weights=False)
    assert per_head.shape == (2, 3, 3)
    assert gradcheck(lambda *_: mha(x)[0], [mha.in_proj_weight, x])


# ------------------------------------------------------------------ bad input
def test_errors_name_shapes():
    x = Tensor(np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"mask of shape \(2, 2\) does not match .* \(3, 3\)"):
        scaled_dot_product_attention(x, x, x, mask=causal_mask(2))
    with pytest.raises(TypeError, match="mask must be boolean"):
        scaled_dot_product_attention(x, x, x, mask=np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"same last size d_k, got q \(3, 2\) and k \(3, 4\)"):
        scaled_dot_product_attention(x, Tensor(np.ones((3, 4))), x)
    with pytest.raises(ValueError, match=r"same number of rows T_k, got k \(3, 2\) and v \(2, 2\)"):
        scaled_dot_product_attention(x, x, Tensor(np.ones((2, 2))))
    with pytest.raises(
        ValueError, match=r"SelfAttention: expected input .*d_model=3, received shape \(3, 2\)"
    ):
        SelfAttention(3, 2)(x)
    with pytest.raises(ValueError, match=r"SelfAttention: expected input .* received shape \(2,\)"):
        SelfAttention(2, 2)(Tensor([1.0, 2.0]))
    with pytest.raises(
        ValueError, match=r"MultiHeadAttention: expected query .*E=4, received shape \(3, 2\)"
    ):
        MultiHeadAttention(4, 2)(x)
    with pytest.raises(ValueError, match="divisible by num_heads"):
        MultiHeadAttention(5, 2)
    with pytest.raises(ValueError, match=r"local_mask: window half-width k must be an int >= 0"):
        local_mask(4, -1)
    with pytest.raises(
        ValueError,
        match=r"SelfAttention.load_state_dict: shape mismatch for 'W_Q': "
        r"expected \(2, 1\), received \(1, 2\)",
    ):
        SelfAttention(2, 1).load_state_dict(
            {"W_Q": [[1.0, 2.0]], "W_K": [[1.0], [1.0]], "W_V": [[1.0], [1.0]]}
        )
