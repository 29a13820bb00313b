"""Positional encodings: P1's swap, P14's add vs concatenate, relative-position bias."""

import numpy as np
import pytest

from autograd import Tensor, gradcheck
from nn.attention import SelfAttention, scaled_dot_product_attention
from nn.positional import (
    LearnedPositionalEncoding,
    RelativePositionBias,
    SinusoidalPositionalEncoding,
    encode_positions,
    relative_bias_table,
    sinusoidal_encoding,
)


def test_sinusoidal_table_values():
    P = sinusoidal_encoding(3, 4)
    np.testing.assert_allclose(P[2], [np.sin(2), np.cos(2), np.sin(0.02), np.cos(0.02)])
    assert sinusoidal_encoding(2, 3).shape == (2, 3)


def test_p1_positions_make_order_matter():
    s2 = np.sqrt(2)
    att = SelfAttention(2, 1, scale=1.0)
    att.load_state_dict({"W_Q": [[2 * s2], [s2]], "W_K": [[-2.0], [-1.0]], "W_V": [[-0.1], [0.3]]})
    X = Tensor([[0.0, 1.0], [-1.0, 1.0]])
    with_positions = encode_positions(X, [[-1.0, 0.0], [1.0, 0.0]])
    assert with_positions.data.tolist() == [[-1.0, 1.0], [0.0, 1.0]]  # the swapped input
    y, y_pos = att(X), att(with_positions)
    np.testing.assert_allclose(y_pos.data[:, 0], [0.3056, 0.3944], atol=5e-5)
    np.testing.assert_allclose(y_pos.data, y.data[::-1], atol=1e-12)


def test_p14_add_has_cross_terms_concat_does_not():
    rng = np.random.default_rng(0)
    x, p = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    added = encode_positions(Tensor(x), p).data
    joined = encode_positions(Tensor(x), p, mode="concat").data
    np.testing.assert_allclose(added @ added.T, x @ x.T + x @ p.T + p @ x.T + p @ p.T, atol=1e-12)
    np.testing.assert_allclose(joined @ joined.T, x @ x.T + p @ p.T, atol=1e-12)


def test_p14_relative_bias_reproduces_concatenation_for_sinusoids():
    T, d = 5, 2
    rng = np.random.default_rng(1)
    x = rng.normal(size=(T, d))
    P = sinusoidal_encoding(T, 4)  # p_i . p_j = cos(i - j) + cos((i - j) / 100): depends on i - j
    z = encode_positions(Tensor(x), P, mode="concat")
    concatenated, w_cat = scaled_dot_product_attention(z, z, Tensor(x), scale=1.0)
    rel = RelativePositionBias(T)
    rel.load_state_dict({"weight": relative_bias_table(P)})
    assert rel.weight.data[T - 1] == pytest.approx(2.0)  # pi_0 = |p_i|^2 = 2
    biased, w_rel = scaled_dot_product_attention(
        Tensor(x), Tensor(x), Tensor(x), scale=1.0, bias=rel(T)
    )
    np.testing.assert_allclose(w_rel.data, w_cat.data, atol=1e-12)
    np.testing.assert_allclose(biased.data, concatenated.data, atol=1e-12)


def test_relative_bias_table_rejects_absolute_positions():
    with pytest.raises(
        ValueError, match="not a function of i - j: offset -1 has values from 0 to 2"
    ):
        relative_bias_table([[0.0, 0.0], [0.0, 1.0], [0.0, 2.0]])


def test_learned_encoding_trains_and_labels():
    pe = LearnedPositionalEncoding(2, 6, rng=np.random.default_rng(2))
    x = Tensor(np.ones((2, 3, 2)))
    y = pe(x)
    np.testing.assert_allclose(y.data[1], 1.0 + pe.weight.data[:3], atol=1e-15)
    y.sum().backward()
    np.testing.assert_allclose(pe.weight.grad[:3], 2.0)  # shared over the batch of 2
    assert (pe.weight.grad[3:] == 0.0).all()
    rel = RelativePositionBias(4)
    q = Tensor([[1.0], [0.5], [-1.0]])
    rel.load_state_dict({"weight": np.arange(7.0) / 10})
    assert gradcheck(lambda w: scaled_dot_product_attention(q, q, q, bias=rel(3))[0], [rel.weight])


def test_sinusoidal_module_concat_shapes():
    pe = SinusoidalPositionalEncoding(2, max_len=8, mode="concat")
    y = pe(Tensor(np.zeros((2, 5, 3))))
    assert y.shape == (2, 5, 5)
    np.testing.assert_allclose(y.data[0, :, 3:], sinusoidal_encoding(5, 2))


def test_errors_name_shapes():
    with pytest.raises(
        ValueError,
        match=r"SinusoidalPositionalEncoding: expected input of shape "
        r"\(T, 4\) .*max_len=8, received shape \(9, 4\)",
    ):
        SinusoidalPositionalEncoding(4, max_len=8)(Tensor(np.zeros((9, 4))))
    with pytest.raises(ValueError, match=r"adding needs positions of shape \(2, 3\), got \(2, 2\)"):
        encode_positions(Tensor(np.zeros((2, 3))), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="mode must be one of"):
        LearnedPositionalEncoding(2, 4, mode="multiply")
    with pytest.raises(ValueError, match=r"RelativePositionBias: need 1 <= T <= max_len=3, got 4"):
        RelativePositionBias(3)(4)


@pytest.mark.parametrize("cls", [SinusoidalPositionalEncoding, LearnedPositionalEncoding])
def test_both_encodings_take_d_model_then_max_len(cls):
    by_position, by_name = cls(2, 6, "concat"), cls(d_model=2, max_len=6, mode="concat")
    for pe in (by_position, by_name):
        assert (pe.d_model, pe.max_len, pe.mode) == (2, 6, "concat")
        assert pe(Tensor(np.zeros((6, 3)))).shape == (6, 5)
        assert repr(pe) == f"{cls.__name__}(d_model=2, max_len=6, mode='concat')"
    assert cls(4).max_len == 512
    with pytest.raises(ValueError, match=rf"{cls.__name__}: max_len must be an int >= 1, got 0"):
        cls(4, 0)
    with pytest.raises(ValueError, match=rf"{cls.__name__}: d_model must be an int >= 1, got 2\.5"):
        cls(2.5, 8)


def test_learned_table_layout_is_max_len_by_d_model():
    pe = LearnedPositionalEncoding(3, 5)
    assert pe.weight.shape == (5, 3) and pe.num_parameters() == 15
    # the old order (max_len, dim) now fails loudly on the first input instead of silently working
    with pytest.raises(
        ValueError,
        match=r"LearnedPositionalEncoding: expected input of shape "
        r"\(T, 5\) or \(N, T, 5\) with T <= max_len=3, "
        r"received shape \(2, 3\)",
    ):
        LearnedPositionalEncoding(5, 3)(Tensor(np.zeros((2, 3))))
