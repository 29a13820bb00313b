"""Recurrent nets against problems.md (P6, P7, P11, P19), gradients, labels and bad input."""

import math

import numpy as np
import pytest

from autograd import Tensor, gradcheck, jacobian
from nn.recurrent import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell

# ------------------------------------------------------------------------ P6
VOCAB = ["<START>", "Awful", "plot", "and", "actors.", "The", "movie", "is", "good", "bad"]
EMBEDDING = {
    "<START>": [0, 0, 0],
    "Awful": [0, -5, 0],
    "plot": [1, 0, 0],
    "and": [0, 0, 0],
    "actors.": [-1, 0, 0],
    "The": [0, 0, 0],
    "movie": [-2, 0, 0],
    "is": [0, 0, 0],
    "good": [1, 2, 3],
    "bad": [-1, -2, -3],
}
W_YH = [[0, 0], [1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12], [13, 14], [1, -1], [-1, 1]]


def test_p6_rnn_language_model_sentiment():
    rnn = RNN(3, 2, nonlinearity="relu", bias=False)
    rnn.set_weights(weight_ih_l0=[[1, 1, 0], [0, -1, -1]], weight_hh_l0=np.eye(2))
    x = Tensor([EMBEDDING[w] for w in VOCAB[:8]])  # <START> .. is
    output, h_n = rnn(x)
    expected = [[0, 0], [0, 5], [1, 5], [1, 5], [0, 5], [0, 5], [0, 5], [0, 5]]
    assert output.data.tolist() == expected
    assert [h.data.tolist() for h in rnn.hidden_states] == [[0, 0]] + expected
    logits = Tensor(W_YH) @ h_n[0]
    assert logits.data[VOCAB.index("good")] == -5.0
    assert logits.data[VOCAB.index("bad")] == 5.0
    prediction = 1 if logits.data[8] >= logits.data[9] else -1
    assert prediction == -1


# ------------------------------------------------------------------------ P11
@pytest.mark.parametrize("w, dh3, dh20", [(0.3, 0.09, 0.3**19), (3.0, 9.0, 3.0**19)])
def test_p11_vanishing_and_exploding(w, dh3, dh20):
    rnn = RNN(1, 1, nonlinearity="relu", bias=False)
    rnn.set_weights(weight_ih_l0=[[1.0]], weight_hh_l0=[[w]])
    rnn(Tensor(np.ones((20, 1))), Tensor([[1.0]]))  # every pre-activation is positive
    hs = rnn.hidden_states
    assert all(h.data[0] > 0 for h in hs)
    d31 = jacobian(lambda _: hs[3], hs[1])
    assert d31[0, 0] == pytest.approx(dh3, rel=1e-12)
    d201 = jacobian(lambda _: hs[20], hs[1])[0, 0]
    assert d201 == pytest.approx(dh20, rel=1e-10)
    assert d201 == pytest.approx(1.2e-10 if w < 1 else 1.16e9, rel=0.04)


def test_p11_lstm_cell_state_gradient_with_forget_gate_099():
    lstm = LSTM(1, 1)
    forget = math.log(99.0)  # sigmoid(ln 99) = 0.99
    lstm.set_weights(
        weight_ih_l0=[[0.5], [0.0], [1.0], [0.3]],
        weight_hh_l0=np.zeros((4, 1)),
        bias_ih_l0=[0.0, forget, 0.0, 0.0],
        bias_hh_l0=np.zeros(4),
    )
    rng = np.random.default_rng(0)
    lstm(Tensor(rng.normal(size=(20, 1))))
    cs = lstm.cell_states
    assert cs[1][0].label == "c_1[0]"
    d = jacobian(lambda _: cs[20], cs[1])[0, 0]
    assert d == pytest.approx(0.99**19, rel=1e-12)
    assert round(d, 2) == 0.83


# ----------------------------------------------------------------------- P19
def test_p19_linear_rnn_sums_inputs_and_its_weight_derivative():
    T = 4
    rng = np.random.default_rng(1)
    x = rng.normal(size=(T, 2))
    rnn = RNN(2, 2, nonlinearity="identity", bias=False)
    rnn.set_weights(weight_ih_l0=np.eye(2), weight_hh_l0=np.eye(2))
    output, _ = rnn(Tensor(x))
    np.testing.assert_allclose(output.data, np.cumsum(x, axis=0), atol=1e-12)
    hs = [h.data for h in rnn.hidden_states]  # h_0 .. h_T
    J = jacobian(lambda W: rnn(Tensor(x))[0][T - 1], rnn.weight_hh_l0)  # d(h_T)_a / d(W_h)_bc
    history = np.sum(hs[:T], axis=0)  # sum_{i=0}^{T-1} h_i
    expected = np.einsum("ab,c->abc", np.eye(2), history)
    np.testing.assert_allclose(J, expected, atol=1e-12)


# ------------------------------------------------------------------------ P7
def test_p7_linear_rnn_is_a_linear_classifier():
    rng = np.random.default_rng(2)
    W_hx, W_hh, h0 = rng.normal(size=(2, 3)), 0.5 * rng.normal(size=(2, 2)), rng.normal(size=2)
    w_diff = rng.normal(size=2)  # w_good - w_bad
    xs = rng.normal(size=(5, 3))
    rnn = RNN(3, 2, nonlinearity="identity", bias=False)
    rnn.set_weights(weight_ih_l0=W_hx, weight_hh_l0=W_hh)
    _, h_n = rnn(Tensor(xs), Tensor(h0[None]))
    t = len(xs)
    power = np.linalg.matrix_power
    a0 = w_diff @ power(W_hh, t) @ h0
    a = [w_diff @ power(W_hh, t - j) @ W_hx for j in range(1, t + 1)]
    assert w_diff @ h_n.data[0] == pytest.approx(
        a0 + sum(aj @ x for aj, x in zip(a, xs)), abs=1e-12
    )


# ------------------------------------------------------------------ gradients
@pytest.mark.parametrize("nonlinearity", ["tanh", "relu", "identity"])
def test_gradcheck_rnn_cell(nonlinearity):
    rng = np.random.default_rng(3)
    cell = RNNCell(2, 3, nonlinearity=nonlinearity, rng=rng)
    x, h = Tensor(rng.normal(size=(2, 2))), Tensor(rng.normal(size=(2, 3)))
    assert gradcheck(
        lambda *_: cell(x, h), [x, h, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh]
    )


def test_gradcheck_lstm_cell():
    rng = np.random.default_rng(4)
    cell = LSTMCell(2, 2, rng=rng)
    x, h, c = (Tensor(rng.normal(size=(2,))) for _ in range(3))
    assert gradcheck(lambda *_: cell(x, (h, c))[0], [x, h, c, cell.weight_ih, cell.bias_hh])
    assert gradcheck(lambda *_: cell(x, (h, c))[1], [x, h, c, cell.weight_hh, cell.bias_ih])


def test_gradcheck_gru_cell():
    rng = np.random.default_rng(5)
    cell = GRUCell(2, 2, rng=rng)
    x, h = Tensor(rng.normal(size=(2, 2))), Tensor(rng.normal(size=(2, 2)))
    assert gradcheck(
        lambda *_: cell(x, h), [x, h, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh]
    )


def test_gradcheck_two_layer_lstm_over_time():
    rng = np.random.default_rng(6)
    lstm = LSTM(1, 2, num_layers=2, rng=rng)
    x = Tensor(rng.normal(size=(3, 1)))
    assert gradcheck(lambda *_: lstm(x)[0], [x, lstm.weight_hh_l0, lstm.bias_ih_l1])


# ----------------------------------------------------- hand-computed cells
def test_lstm_and_gru_cells_by_hand():
    lstm = LSTMCell(1, 1)
    lstm.set_weights(
        weight_ih=[[1.0], [2.0], [3.0], [4.0]],
        weight_hh=[[0.0]] * 4,
        bias_ih=[0.0] * 4,
        bias_hh=[0.0] * 4,
    )
    h, c = lstm(Tensor([0.5]), (Tensor([0.0]), Tensor([2.0])))
    sig = lambda z: 1 / (1 + math.exp(-z))
    c_expected = sig(1.0) * 2.0 + sig(0.5) * math.tanh(1.5)
    assert c.item() == pytest.approx(c_expected, abs=1e-15)
    assert h.item() == pytest.approx(sig(2.0) * math.tanh(c_expected), abs=1e-15)
    gru = GRUCell(1, 1)
    gru.set_weights(
        weight_ih=[[1.0], [2.0], [3.0]],
        weight_hh=[[0.5], [0.25], [2.0]],
        bias_ih=[0.1, 0.2, 0.3],
        bias_hh=[0.0, 0.0, -1.0],
    )
    x, h0 = 0.5, 0.4
    r, z = sig(0.5 + 0.1 + 0.5 * h0), sig(1.0 + 0.2 + 0.25 * h0)
    n = math.tanh(1.5 + 0.3 + r * (2.0 * h0 - 1.0))
    assert gru(Tensor([x]), Tensor([h0])).item() == pytest.approx((1 - z) * n + z * h0, abs=1e-15)


# --------------------------------------------------------- names and labels
def test_parameter_names_shapes_and_state_labels():
    lstm = LSTM(3, 2, num_layers=2, batch_first=True)
    shapes = {n: p.shape for n, p in lstm.named_parameters()}
    assert shapes == {
        "weight_ih_l0": (8, 3),
        "weight_hh_l0": (8, 2),
        "bias_ih_l0": (8,),
        "bias_hh_l0": (8,),
        "weight_ih_l1": (8, 2),
        "weight_hh_l1": (8, 2),
        "bias_ih_l1": (8,),
        "bias_hh_l1": (8,),
    }
    assert lstm.weight_ih_l0[1, 2].label == "lstm.weight_ih_l0[1,2]"
    output, (h_n, c_n) = lstm(Tensor(np.ones((2, 4, 3))))  # (N, T, input)
    assert output.shape == (2, 4, 2) and h_n.shape == (2, 2, 2)
    assert lstm.hidden_states[2][1, 0].label == "l1.h_2[1,0]"
    assert lstm.layer_hidden_states[0][3][0, 1].label == "l0.h_3[0,1]"
    assert output[1, 3, 0] is h_n[1, 1, 0]  # the output's last step is h_n of the top layer
    gru = GRU(2, 3, bias=False)
    assert [n for n, _ in gru.named_parameters()] == ["weight_ih_l0", "weight_hh_l0"]
    assert gru.weight_ih_l0.shape == (9, 2)
    assert [n for n, _ in RNNCell(2, 3).named_parameters()] == [
        "weight_ih",
        "weight_hh",
        "bias_ih",
        "bias_hh",
    ]


def test_unbatched_equals_batch_of_one():
    rng = np.random.default_rng(7)
    gru = GRU(2, 2, rng=rng)
    x = rng.normal(size=(3, 2))
    single, h1 = gru(Tensor(x))
    batch, hb = gru(Tensor(x[:, None, :]))
    np.testing.assert_allclose(single.data, batch.data[:, 0], atol=1e-15)
    np.testing.assert_allclose(h1.data, hb.data[:, 0], atol=1e-15)


# ------------------------------------------------------------------ bad input
def test_errors_name_module_and_shapes():
    rnn = RNN(3, 2)
    with pytest.raises(
        ValueError,
        match=r"RNN: expected input of shape \(T, input_size\) .*"
        r"input_size=3, received shape \(4, 2\)",
    ):
        rnn(Tensor(np.ones((4, 2))))
    with pytest.raises(ValueError, match=r"RNN: expected .* received shape \(3,\)"):
        rnn(Tensor(np.ones(3)))
    with pytest.raises(
        ValueError, match=r"RNN: expected h_0 of shape \(1, 2\), received shape \(2,\)"
    ):
        rnn(Tensor(np.ones((4, 3))), Tensor(np.zeros(2)))
    with pytest.raises(
        ValueError,
        match=r"LSTMCell: expected input of shape \(input_size,\) or "
        r"\(N, input_size\) with input_size=2, received shape \(3,\)",
    ):
        LSTMCell(2, 2)(Tensor(np.ones(3)))
    with pytest.raises(ValueError, match=r"LSTM: expected c_0 of shape \(1, 2, 2\)"):
        LSTM(1, 2)(
            Tensor(np.ones((3, 2, 1))), (Tensor(np.zeros((1, 2, 2))), Tensor(np.zeros((1, 2))))
        )
    with pytest.raises(
        ValueError,
        match=r"LSTM.load_state_dict: shape mismatch for 'weight_ih_l0': "
        r"expected \(8, 3\), received \(6, 3\)",
    ):
        LSTM(3, 2).load_state_dict(
            {
                "weight_ih_l0": np.zeros((6, 3)),
                "weight_hh_l0": np.zeros((8, 2)),
                "bias_ih_l0": np.zeros(8),
                "bias_hh_l0": np.zeros(8),
            }
        )
    with pytest.raises(KeyError, match=r"GRU.set_weights: unknown parameter names \['W_hx'\]"):
        GRU(2, 2).set_weights(W_hx=np.zeros((6, 2)))
    with pytest.raises(
        ValueError, match=r"nonlinearity must be one of \['tanh', 'relu', 'identity'\]"
    ):
        RNN(2, 2, nonlinearity="sigmoid")
