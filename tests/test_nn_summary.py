"""nn.summary reproduces P10's table without building a scalar graph."""

import numpy as np
import pytest

import nn
from autograd import Tensor

P10_TABLE = """| layer | output shape | params | fully connected equivalent |
|---|---|---|---|
| Conv2d(3, 16, k=3, s=1, p=1) | (N,16,64,64) | 448 | 805371904 |
| MaxPool2d(k=2, s=2, p=0) | (N,16,32,32) | 0 | |
| Conv2d(16, 32, k=3, s=1, p=0) | (N,32,30,30) | 4640 | 471888000 |
| MaxPool2d(k=2, s=2, p=1) | (N,32,16,16) | 0 | |
| Conv2d(32, 8, k=1, s=1, p=0) | (N,8,16,16) | 264 | 16779264 |
| Conv2d(8, 4, k=5, s=1, p=0) | (N,4,12,12) | 804 | 1180224 |
| Flatten | (N,576) | 0 | |
| Linear(576, 10) | (N,10) | 5770 | |"""


def p10_model():
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, stride=1, padding=1),
        nn.MaxPool2d(2, 2, 0),
        nn.Conv2d(16, 32, 3),
        nn.MaxPool2d(2, 2, 1),
        nn.Conv2d(32, 8, 1),
        nn.Conv2d(8, 4, 5),
        nn.Flatten(),
        nn.Linear(576, 10),
    )


def test_p10_table_exact():  # its speed (shapes only, no 64x64 forward) is not timed here
    s = nn.summary(p10_model(), (None, 3, 64, 64))
    assert s.table() == P10_TABLE
    assert s.total_params == 448 + 4640 + 264 + 804 + 5770 == 11926
    assert s.output_shape == (None, 10)
    assert [r.params for r in s.rows] == [448, 0, 4640, 0, 264, 804, 0, 5770]
    assert str(s).endswith("total params: 11926\ntotal fully connected equivalent: 1295219392")


def test_summary_nested_sequential_and_errors():
    model = nn.Sequential(nn.Sequential(nn.Conv1d(2, 4, 3, dilation=2), nn.ReLU()), nn.Flatten())
    s = nn.summary(model, ("N", 2, 10))
    assert [r.layer for r in s.rows] == ["Conv1d(2, 4, k=3, s=1, p=0, d=2)", "ReLU", "Flatten"]
    assert s.rows[0].fc_equivalent == (20 + 1) * 24
    with pytest.raises(
        ValueError,
        match=r"Linear\(in_features=576.*expected input with last dim "
        r"576, received shape \(None, 100\)",
    ):
        nn.summary(nn.Sequential(nn.Flatten(), nn.Linear(576, 10)), (None, 4, 5, 5))
    with pytest.raises(ValueError, match=r"kernel of size \(5, 5\).*larger than the padded input"):
        nn.summary(nn.Conv2d(3, 1, 5), (None, 3, 4, 4))
    with pytest.raises(TypeError, match="summary: expected a Module, got list"):
        nn.summary([nn.ReLU()], (1, 2))


# ------------------------------------------- recurrent, attention and positional layers
# Parameter counts by hand: LSTM 4H(in + H) + 2*4H, GRU 3H(in + H) + 2*3H, RNN H(in + H) + 2H;
# SelfAttention d_model (2 d_k + d_v); MultiHeadAttention 3E*E + 3E + E*E + E.
RECURRENT_CASES = [
    # module, input shape, output shape, params
    (lambda: nn.LSTM(3, 4), (5, 2, 3), (5, 2, 4), 144),
    (lambda: nn.LSTM(3, 4, batch_first=True), (2, 5, 3), (2, 5, 4), 144),
    (lambda: nn.LSTM(3, 4), (5, 3), (5, 4), 144),
    (lambda: nn.LSTM(3, 4, num_layers=2), (5, None, 3), (5, None, 4), 144 + 160),
    (lambda: nn.GRU(3, 4), (5, 2, 3), (5, 2, 4), 108),
    (lambda: nn.RNN(3, 4, batch_first=True), (None, 7, 3), (None, 7, 4), 36),
    (lambda: nn.RNN(3, 4, bias=False), (7, 3), (7, 4), 28),
    (lambda: nn.LSTMCell(3, 4), (2, 3), (2, 4), 144),
    (lambda: nn.GRUCell(3, 4), (3,), (4,), 108),
    (lambda: nn.RNNCell(3, 4), (None, 3), (None, 4), 36),
    (lambda: nn.SelfAttention(4, 2), (None, 5, 4), (None, 5, 2), 24),
    (lambda: nn.SelfAttention(4, 2, d_v=3), (5, 4), (5, 3), 28),
    (lambda: nn.MultiHeadAttention(4, 2), (5, None, 4), (5, None, 4), 80),
    (lambda: nn.MultiHeadAttention(4, 2, batch_first=True), (2, 5, 4), (2, 5, 4), 80),
    (lambda: nn.SinusoidalPositionalEncoding(4, max_len=8), (None, 5, 4), (None, 5, 4), 0),
    (lambda: nn.SinusoidalPositionalEncoding(4, 8, "concat"), (5, 3), (5, 7), 0),
    (lambda: nn.LearnedPositionalEncoding(4, 8), (5, 4), (5, 4), 32),
    (lambda: nn.LearnedPositionalEncoding(2, 8, mode="concat"), (None, 5, 4), (None, 5, 6), 16),
    (lambda: nn.TransformerBlock(4, d_ff=8), (None, 5, 4), (None, 5, 4), 140),
    (lambda: nn.TransformerBlock(4, num_heads=2, d_ff=8), (5, 4), (5, 4), 80 + 16 + 76),
    (lambda: nn.Embedding(10, 4), (None, 5), (None, 5, 4), 40),
    (lambda: nn.LayerNorm(4), (None, 5, 4), (None, 5, 4), 8),
]


@pytest.mark.parametrize("make, shape, expected, params", RECURRENT_CASES)
def test_summary_of_sequence_layers_shapes_and_params(make, shape, expected, params):
    module = make()
    s = nn.summary(module, shape)
    assert [r.output_shape for r in s.rows] == [expected]
    assert s.rows[0].params == params == module.num_parameters()
    assert s.rows[0].fc_equivalent is None  # documented: blank for these layers
    assert s.total_fc_equivalent == 0


@pytest.mark.parametrize(
    "make, shape, expected, params",
    [c for c in RECURRENT_CASES if not isinstance(c[0](), nn.Embedding)],
)
def test_output_shape_matches_a_real_forward(make, shape, expected, params):
    module = make()
    concrete = tuple(2 if d is None else d for d in shape)
    out = module(Tensor(np.full(concrete, 0.1)))
    out = out[0] if isinstance(out, tuple) else out  # output / h' / attention output
    assert out.shape == tuple(2 if d is None else d for d in expected)


def test_direct_summaries_of_lstm_and_self_attention():
    assert nn.summary(nn.LSTM(3, 4), (5, 2, 3)).table() == (
        "| layer | output shape | params | fully connected equivalent |\n"
        "|---|---|---|---|\n"
        "| LSTM(3, 4) | (5,2,4) | 144 | |"
    )
    s = nn.summary(nn.SelfAttention(4, 2), (None, 5, 4))
    assert str(s) == (
        "input (N,5,4)\n"
        "| layer | output shape | params | fully connected equivalent |\n"
        "|---|---|---|---|\n"
        "| SelfAttention(4, 2, 2) | (N,5,2) | 24 | |\n"
        "total params: 24\n"
        "total fully connected equivalent: 0"
    )


def test_summary_of_a_small_transformer_language_model():
    def model():
        nn.manual_seed(0)
        return nn.Sequential(
            nn.Embedding(10, 4),
            nn.SinusoidalPositionalEncoding(4, max_len=16),
            nn.TransformerBlock(4, d_ff=8, causal=True),
            nn.LayerNorm(4),
            nn.Dropout(0.1),
            nn.Flatten(),
            nn.Linear(20, 3),
        )

    net = model()
    s = nn.summary(net, (None, 5))
    assert s.table() == (
        "| layer | output shape | params | fully connected equivalent |\n"
        "|---|---|---|---|\n"
        "| Embedding(10, 4) | (N,5,4) | 40 | |\n"
        "| SinusoidalPositionalEncoding(4, 16, add) | (N,5,4) | 0 | |\n"
        "| TransformerBlock(4, heads=1) | (N,5,4) | 140 | |\n"
        "| LayerNorm(4) | (N,5,4) | 8 | |\n"
        "| Dropout(p=0.1) | (N,5,4) | 0 | |\n"
        "| Flatten | (N,20) | 0 | |\n"
        "| Linear(20, 3) | (N,3) | 63 | |"
    )
    assert s.total_params == 40 + 140 + 8 + 63 == 251 == net.num_parameters()
    assert net.eval()(np.array([[1, 2, 3, 4, 5], [0, 0, 9, 9, 1]])).shape == (2, 3)


def test_summary_of_concatenated_positions_and_attention():
    net = nn.Sequential(
        nn.LearnedPositionalEncoding(2, 8, mode="concat"),
        nn.SelfAttention(5, 3),
        nn.Tanh(),
        nn.Linear(3, 1),
    )
    s = nn.summary(net, (None, 4, 3))
    assert [(r.layer, r.output_shape, r.params, r.fc_equivalent) for r in s.rows] == [
        ("LearnedPositionalEncoding(2, 8, concat)", (None, 4, 5), 16, None),
        ("SelfAttention(5, 3, 3)", (None, 4, 3), 45, None),
        ("Tanh", (None, 4, 3), 0, None),
        ("Linear(3, 1)", (None, 4, 1), 4, None),
    ]
    assert s.total_params == 65 == net.num_parameters()
    assert net(Tensor(np.zeros((2, 4, 3)))).shape == (2, 4, 1)


def test_summary_errors_for_sequence_layers_name_module_and_shapes():
    with pytest.raises(
        ValueError,
        match=r"LSTM: expected input of shape \(T, input_size\) or "
        r"\(T, N, input_size\) with input_size=3, received shape \(5, 2, 4\)",
    ):
        nn.summary(nn.LSTM(3, 4), (5, 2, 4))
    with pytest.raises(
        ValueError,
        match=r"GRU: expected input of shape \(T, input_size\) or "
        r"\(N, T, input_size\) with input_size=3, received shape \(3,\)",
    ):
        nn.summary(nn.GRU(3, 4, batch_first=True), (3,))
    with pytest.raises(
        ValueError,
        match=r"RNNCell: expected input of shape \(input_size,\) or "
        r"\(N, input_size\) with input_size=3, received shape \(2, 5, 3\)",
    ):
        nn.summary(nn.RNNCell(3, 4), (2, 5, 3))
    with pytest.raises(
        ValueError,
        match=r"SelfAttention: expected input of shape \(T, d_model\) "
        r"or \(N, T, d_model\) with d_model=4, received shape \(None, 5, 3\)",
    ):
        nn.summary(nn.Sequential(nn.SelfAttention(4, 2)), (None, 5, 3))
    with pytest.raises(
        ValueError,
        match=r"MultiHeadAttention: expected query of shape \(L, E\) "
        r"or \(L, N, E\) with E=4, received shape \(5, 2\)",
    ):
        nn.summary(nn.MultiHeadAttention(4, 2), (5, 2))
    with pytest.raises(
        ValueError,
        match=r"LearnedPositionalEncoding: expected input of shape "
        r"\(T, 4\) or \(N, T, 4\) with T <= max_len=8, received shape \(9, 4\)",
    ):
        nn.summary(nn.LearnedPositionalEncoding(4, 8), (9, 4))
    with pytest.raises(
        ValueError,
        match=r"TransformerBlock: expected input of shape \(T, d_model\)"
        r" or \(N, T, d_model\) with d_model=4, received shape \(5, 5\)",
    ):
        nn.summary(nn.TransformerBlock(4), (5, 5))
