"""Bad input to nn gets a clear error naming what was wrong and what is accepted (issue 10),
and PyTorch options chalkgrad lacks are refused by name (issue 9)."""

import numpy as np
import pytest

import nn
from autograd import Tensor
from nn.options import UnsupportedOptionError

# ------------------------------------------------------------------ state dicts
BAD_VALUES = [
    (None, TypeError, r"'weight' must be real numbers .* got NoneType"),
    ([[1 + 2j, 0.0]], TypeError, r"'weight' must be real numbers .* got complex numbers"),
    (np.array([[1 + 0j, 2 + 0j]]), TypeError, r"'weight' .* got complex numbers"),
    ([[True, False]], TypeError, r"'weight' .* got booleans"),
    ([[True, 2.0]], TypeError, r"'weight' .* got booleans"),
    ([["1.5", "2"]], TypeError, r"'weight' .* got strings"),
    ([[1.0, None]], TypeError, r"'weight' must be real numbers"),
    ([[1.0], [2.0, 3.0]], ValueError, r"'weight' is a ragged nested sequence"),
    (
        [[1.0, 2.0, 3.0]],
        ValueError,
        r"shape mismatch for 'weight': expected \(1, 2\), "
        r"received \(1, 3\)",
    ),
]


@pytest.mark.parametrize("value, error, message", BAD_VALUES)
def test_load_state_dict_refuses_non_real_values_by_key_and_loads_nothing(value, error, message):
    lin = nn.Linear(2, 1)
    before = lin.state_dict()
    with pytest.raises(error, match=r"Linear\.load_state_dict: .*" + message):
        lin.load_state_dict({"bias": [7.0], "weight": value})
    after = lin.state_dict()
    assert all(np.array_equal(before[k], after[k]) for k in before)  # not half-loaded


def test_load_state_dict_refuses_torch_bool_and_complex_tensors():
    torch = pytest.importorskip("torch", reason="checks torch tensors as state_dict values")
    lin = nn.Linear(2, 1)
    for value, kind in [
        (torch.tensor([[True, False]]), "booleans"),
        (torch.tensor([[1j, 0j]]), "complex numbers"),
    ]:
        with pytest.raises(TypeError, match=f"'weight' .* got {kind}"):
            lin.load_state_dict({"weight": value, "bias": [0.0]})
    lin.load_state_dict({"weight": torch.tensor([[1, 2]]), "bias": torch.tensor([0.5])})
    assert lin.weight.data.tolist() == [[1.0, 2.0]] and lin.bias.data.tolist() == [0.5]


def test_tensor_from_a_torch_tensor_that_requires_grad_copies_its_numbers():
    torch = pytest.importorskip("torch", reason="builds a Tensor from a torch tensor")
    t = Tensor(torch.tensor([[1.5, -2.0]], requires_grad=True), label="w")
    assert t.data.tolist() == [[1.5, -2.0]] and t[0, 1].label == "w[0,1]"
    half = Tensor(torch.tensor([0.5, 3.0], dtype=torch.bfloat16, requires_grad=True))
    assert half.data.tolist() == [0.5, 3.0]
    lin = nn.Linear(1, 1)
    lin.load_state_dict({"weight": torch.tensor([[2.5]], dtype=torch.bfloat16), "bias": [0.0]})
    assert lin.weight.data.tolist() == [[2.5]]


# ------------------------------------------------------------- layer geometry
@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: nn.Conv2d(1, 1, 3, stride=0), r"Conv2d: stride must be an int >= 1 .*got 0"),
        (lambda: nn.Conv2d(1, 1, 0), r"Conv2d: kernel_size must be an int >= 1 .*got 0"),
        (lambda: nn.Conv1d(1, 1, 3, dilation=0), r"Conv1d: dilation must be an int >= 1 .*got 0"),
        (lambda: nn.Conv1d(1, 1, 3, padding=-1), r"Conv1d: padding must be an int >= 0 .*got -1"),
        (
            lambda: nn.Conv2d(1, 1, (2, 0)),
            r"kernel_size must be .* a tuple of 2 such ints, "
            r"got \(2, 0\)",
        ),
        (lambda: nn.Conv2d(0, 1, 3), r"Conv2d: in_channels must be an int >= 1, got 0"),
        (lambda: nn.Conv1d(4, 6, 3, groups=4), r"must both be divisible by groups \(4\)"),
        (lambda: nn.Conv1d(2, 2, 3, padding="full"), r"padding must be one of \('same', 'valid'\)"),
        (lambda: nn.Conv1d(2, 2, 3, stride=2, padding="same"), r"padding='same' needs stride 1"),
        (
            lambda: nn.Conv1d(2, 2, 3, padding_mode="edge"),
            r"padding_mode must be one of "
            r"\('zeros', 'reflect', 'replicate', "
            r"'circular'\), got 'edge'",
        ),
        (lambda: nn.MaxPool1d(0), r"MaxPool1d: kernel_size must be an int >= 1 .*got 0"),
        (lambda: nn.AvgPool1d(2, stride=0), r"AvgPool1d: stride must be an int >= 1 .*got 0"),
        (lambda: nn.MaxPool2d(2, dilation=0), r"MaxPool2d: dilation must be an int >= 1"),
    ],
)
def test_bad_layer_sizes_raise_value_errors_naming_the_argument(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda x: nn.functional.conv2d(x, Tensor(np.ones((1, 1, 2, 2))), stride=0),
            r"conv2d: stride must be an int >= 1",
        ),
        (
            lambda x: nn.functional.conv2d(x, Tensor(np.ones((1, 1, 2, 2))), dilation=0),
            r"conv2d: dilation must be an int >= 1",
        ),
        (
            lambda x: nn.functional.conv2d(x, Tensor(np.ones((1, 1, 0, 0)))),
            r"conv2d: kernel_size must be an int >= 1",
        ),
        (lambda x: nn.functional.max_pool2d(x, 0), r"max_pool2d: kernel_size must be an int >= 1"),
        (lambda x: nn.functional.avg_pool2d(x, 2, stride=0), r"avg_pool2d: stride must be"),
    ],
)
def test_functional_forms_check_sizes_too(call, message):
    with pytest.raises(ValueError, match=message):
        call(Tensor(np.ones((1, 4, 4))))


def test_reflect_padding_larger_than_the_input_is_refused():
    conv = nn.Conv1d(1, 1, 3, padding=3, padding_mode="reflect")
    with pytest.raises(
        ValueError,
        match=r"padding_mode='reflect' needs padding smaller than "
        r"the input size",
    ):
        conv(Tensor([[1.0, 2.0, 3.0]]))


# ------------------------------------------------------------------- recurrent
@pytest.mark.parametrize("module", [nn.RNN(2, 3), nn.LSTM(2, 3), nn.GRU(2, 3, batch_first=True)])
def test_a_sequence_of_zero_steps_is_refused_clearly(module):
    x = Tensor(np.zeros((0, 2))) if not module.batch_first else Tensor(np.zeros((1, 0, 2)))
    with pytest.raises(
        ValueError,
        match=r"the input sequence has no time steps .*give at "
        r"least one step",
    ):
        module(x)


@pytest.mark.parametrize("module", [nn.LSTM(2, 3), nn.LSTMCell(2, 3)])
def test_lstm_hx_must_be_a_pair(module):
    x = Tensor(np.zeros((4, 2))) if isinstance(module, nn.LSTM) else Tensor(np.zeros(2))
    h = Tensor(np.zeros((1, 3)) if isinstance(module, nn.LSTM) else np.zeros(3))
    with pytest.raises(
        TypeError,
        match=r"hx must be a tuple \(h_0, c_0\) of two tensors, or "
        r"None; got a Tensor",
    ):
        module(x, h)
    with pytest.raises(TypeError, match=r"got a tuple of 3 items"):
        module(x, (h, h, h))


# ------------------------------------------------------------ unsupported options
@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: nn.LSTM(2, 3, proj_size=2), r"LSTM: option proj_size=2 is not supported"),
        (lambda: nn.GRU(2, 3, dropout=0.5), r"GRU: option dropout=0.5 is not supported"),
        (lambda: nn.RNN(2, 3, 2, "tanh", True, False, 0.2), r"RNN: option dropout=0.2"),
        (
            lambda: nn.MultiHeadAttention(4, 2, add_bias_kv=True),
            r"MultiHeadAttention: option add_bias_kv=True is not supported",
        ),
        (lambda: nn.MultiHeadAttention(4, 2, add_zero_attn=True), r"option add_zero_attn=True"),
        (lambda: nn.MultiHeadAttention(4, 2, dropout=0.1), r"option dropout=0.1"),
        (
            lambda: nn.AvgPool2d(2, divisor_override=3),
            r"AvgPool2d: option divisor_override=3 is not supported",
        ),
        (lambda: nn.MaxPool1d(2, return_indices=True), r"MaxPool1d: option return_indices=True"),
        (lambda: nn.Embedding(3, 2, max_norm=1.0), r"Embedding: option max_norm=1.0"),
        (
            lambda: nn.Embedding(3, 2, scale_grad_by_freq=True),
            r"Embedding: option scale_grad_by_freq=True",
        ),
        (lambda: nn.Conv2d(1, 1, 3, device="cuda"), r"Conv2d: option device='cuda'"),
        (lambda: nn.Conv2d(1, 1, 3, strides=2), r"Conv2d: unknown option 'strides'"),
        (lambda: nn.Conv1d(1, 1, 3, dtype="float32"), r"Conv1d: option dtype='float32'"),
        (lambda: nn.Linear(1, 1, device="meta"), r"Linear: option device='meta'"),
        (lambda: nn.ReLU(inplace=True), r"ReLU: option inplace=True"),
        (lambda: nn.LeakyReLU(0.1, inplace=True), r"LeakyReLU: option inplace=True"),
        (lambda: nn.Dropout(0.5, inplace=True), r"Dropout: option inplace=True"),
        (
            lambda: nn.CrossEntropyLoss(size_average=False),
            r"CrossEntropyLoss: option "
            r"size_average=False",
        ),
        (lambda: nn.MSELoss(reduce=False), r"MSELoss: option reduce=False"),
        (lambda: nn.LayerNorm(3, device="cpu"), r"LayerNorm: option device='cpu'"),
        (lambda: nn.RNNCell(2, 3, bogus=1), r"RNNCell: unknown option 'bogus'"),
    ],
)
def test_unsupported_options_are_named_never_a_private_class(make, message):
    with pytest.raises(UnsupportedOptionError, match=message) as info:
        make()
    assert "_ConvNd" not in str(info.value) and "__init__" not in str(info.value)
    assert isinstance(info.value, TypeError)


def test_pytorch_defaults_of_missing_options_are_accepted():
    nn.LSTM(2, 3, proj_size=0, dropout=0.0, device=None, dtype=None)
    nn.Embedding(3, 2, max_norm=None, scale_grad_by_freq=False, sparse=False)
    nn.AvgPool2d(2, divisor_override=None)
    nn.MultiHeadAttention(4, 2, 0.0, True, False, False)  # PyTorch's positional order
    nn.Conv2d(1, 2, 3, 1, 0, 1, 1, True, "zeros")


def test_loss_weight_given_a_reduction_positionally_says_so():
    with pytest.raises(
        TypeError,
        match=r"weight must be numbers, got the string 'sum'; "
        r"PyTorch's argument order",
    ):
        nn.functional.cross_entropy(Tensor([[1.0, 2.0]]), [0], "sum")
    with pytest.raises(ValueError, match=r"weight must have shape \(2,\), received \(3,\)"):
        nn.functional.nll_loss(Tensor([[-1.0, -2.0]]), [0], weight=[1.0, 2.0, 3.0])
    with pytest.raises(IndexError, match=r"in \[0, 2\) or equal ignore_index=5, received \[-100\]"):
        nn.functional.cross_entropy(Tensor([[1.0, 2.0]]), [-100], ignore_index=5)


def test_embedding_padding_idx_gets_no_gradient():
    emb = nn.Embedding(3, 2, padding_idx=-1)
    assert emb.padding_idx == 2 and emb.weight.data[2].tolist() == [0.0, 0.0]
    emb.load_state_dict({"weight": [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]})
    out = emb([[2, 0, 2]])
    assert out.data.tolist() == [[[5.0, 6.0], [1.0, 2.0], [5.0, 6.0]]]
    (out * Tensor(np.arange(6.0).reshape(1, 3, 2))).sum().backward()
    assert emb.weight.grad.tolist() == [[2.0, 3.0], [0.0, 0.0], [0.0, 0.0]]
    with pytest.raises(
        ValueError,
        match=r"padding_idx must be an int in \[-3, 3\) or None, "
        r"got 3",
    ):
        nn.Embedding(3, 2, padding_idx=3)


def test_attention_masks_must_be_boolean_or_float_and_fit():
    mha, x = nn.MultiHeadAttention(2, 1), Tensor(np.ones((3, 2)))
    with pytest.raises(
        TypeError,
        match=r"key_padding_mask must be boolean \(a mask\) or float "
        r"\(added to the scores\), got dtype int64",
    ):
        mha(x, key_padding_mask=np.array([0, 1, 1]))
    with pytest.raises(
        ValueError,
        match=r"key_padding_mask must have shape \(3,\) "
        r"\(batch, source length\), received \(2,\)",
    ):
        mha(x, key_padding_mask=[True, False])
    with pytest.raises(ValueError, match=r"attend to no key"):
        mha(x, key_padding_mask=[True, True, True])


def test_nll_loss_target_errors_do_not_offer_probabilities():
    with pytest.raises(
        ValueError,
        match=r"nll_loss: expected target of shape \(2,\) "
        r"\(class indices\), received shape \(2, 2\)",
    ):
        nn.functional.nll_loss(Tensor([[-1.0, -2.0], [-1.0, -2.0]]), [[0, 1], [1, 0]])


def test_bce_with_logits_weights_must_broadcast():
    with pytest.raises(
        ValueError,
        match=r"pos_weight of shape \(3,\) does not broadcast to the "
        r"input's shape \(1, 2\)",
    ):
        nn.functional.binary_cross_entropy_with_logits(
            Tensor([[1.0, 2.0]]), Tensor([[1.0, 0.0]]), pos_weight=[1.0, 2.0, 3.0]
        )
