"""PyTorch's layer options, each compared with torch float64 through state_dict (to 1e-9)."""

import numpy as np
import pytest
from torch_compare import close, random_parameters

torch = pytest.importorskip("torch", reason="the options are checked against PyTorch float64")

import nn  # noqa: E402
import nn.functional as F  # noqa: E402
from autograd import Tensor  # noqa: E402

torch.set_default_dtype(torch.float64)
TNN = torch.nn
TF = torch.nn.functional


def _compare(ours, theirs, x_np, seed=1):
    """Same parameters, input and upstream gradient: outputs and every gradient agree."""
    random_parameters(theirs)
    ours.load_state_dict(theirs.state_dict())
    x, xt = Tensor(x_np), torch.tensor(x_np, requires_grad=True)
    y, yt = ours(x), theirs(xt)
    if isinstance(yt, tuple):  # recurrent nets: compare output and the final states
        y, yt = _flatten(y), _flatten(yt)
    else:
        y, yt = [y], [yt]
    rng = np.random.default_rng(seed)
    seeds = [rng.normal(size=tuple(t.shape)) for t in yt]
    for a, b in zip(y, yt):
        assert a.shape == tuple(b.shape)
        close(a.data, b, "output")
    torch.autograd.backward(yt, [torch.tensor(s) for s in seeds])
    total = sum((a * Tensor(s)).sum() for a, s in zip(y, seeds))
    total.backward()
    close(x.grad, xt.grad, "input gradient")
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        close(p.grad, theirs_params[name].grad, name)


def _flatten(out):
    items = []
    for o in out:
        items.extend(_flatten(o) if isinstance(o, tuple) else [o])
    return items


RNG = np.random.default_rng(7)


# ------------------------------------------------------------------ convolution
@pytest.mark.parametrize(
    "kwargs, shape",
    [
        (dict(in_channels=4, out_channels=6, kernel_size=3, groups=2), (2, 4, 7)),
        (dict(in_channels=3, out_channels=3, kernel_size=2, groups=3, bias=False), (3, 5)),
        (dict(in_channels=2, out_channels=2, kernel_size=4, padding="same"), (1, 2, 6)),
        (dict(in_channels=2, out_channels=2, kernel_size=3, padding="same", dilation=2), (1, 2, 6)),
        (dict(in_channels=2, out_channels=1, kernel_size=3, padding="valid"), (1, 2, 6)),
        (
            dict(in_channels=1, out_channels=2, kernel_size=3, padding=2, padding_mode="reflect"),
            (2, 1, 5),
        ),
        (
            dict(in_channels=1, out_channels=2, kernel_size=3, padding=2, padding_mode="replicate"),
            (2, 1, 5),
        ),
        (
            dict(
                in_channels=1,
                out_channels=2,
                kernel_size=3,
                padding=3,
                padding_mode="circular",
                stride=2,
            ),
            (2, 1, 5),
        ),
        (
            dict(
                in_channels=2,
                out_channels=4,
                kernel_size=4,
                padding="same",
                padding_mode="reflect",
                groups=2,
            ),
            (1, 2, 6),
        ),
    ],
)
def test_conv1d_options_match_torch(kwargs, shape):
    _compare(nn.Conv1d(**kwargs), TNN.Conv1d(**kwargs), RNG.normal(size=shape))


@pytest.mark.parametrize(
    "kwargs, shape",
    [
        (
            dict(in_channels=4, out_channels=2, kernel_size=(2, 3), groups=2, stride=(1, 2)),
            (2, 4, 5, 6),
        ),
        (dict(in_channels=2, out_channels=2, kernel_size=(2, 3), padding="same"), (1, 2, 4, 5)),
        (
            dict(
                in_channels=1, out_channels=1, kernel_size=3, padding=(1, 2), padding_mode="reflect"
            ),
            (1, 1, 4, 4),
        ),
        (
            dict(
                in_channels=1,
                out_channels=2,
                kernel_size=2,
                padding=1,
                padding_mode="replicate",
                dilation=2,
            ),
            (1, 3, 4),
        ),
        (
            dict(
                in_channels=2,
                out_channels=2,
                kernel_size=3,
                padding=(2, 1),
                padding_mode="circular",
                groups=2,
            ),
            (2, 2, 3, 4),
        ),
    ],
)
def test_conv2d_options_match_torch(kwargs, shape):
    _compare(nn.Conv2d(**kwargs), TNN.Conv2d(**kwargs), RNG.normal(size=shape))


def test_functional_conv_groups_and_same_padding_match_torch():
    x, w, b = RNG.normal(size=(2, 4, 6)), RNG.normal(size=(6, 2, 3)), RNG.normal(size=6)
    ours = F.conv1d(Tensor(x), Tensor(w), Tensor(b), padding="same", groups=2)
    theirs = TF.conv1d(torch.tensor(x), torch.tensor(w), torch.tensor(b), padding="same", groups=2)
    close(ours.data, theirs, "conv1d")
    x2, w2 = RNG.normal(size=(1, 2, 5, 5)), RNG.normal(size=(2, 1, 2, 2))
    close(
        F.conv2d(Tensor(x2), Tensor(w2), groups=2, padding="valid").data,
        TF.conv2d(torch.tensor(x2), torch.tensor(w2), groups=2, padding="valid"),
        "conv2d",
    )


def test_conv_same_padding_output_shape_and_repr():
    conv = nn.Conv2d(3, 8, 4, padding="same", padding_mode="circular", groups=1)
    assert conv.output_shape((None, 3, 9, 9)) == (None, 8, 9, 9)
    assert conv.weight.shape == (8, 3, 4, 4)
    assert "padding='same'" in repr(conv) and "padding_mode='circular'" in repr(conv)
    assert nn.Conv1d(4, 2, 3, groups=2).weight.shape == (2, 2, 3)


# ---------------------------------------------------------------------- pooling
@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda m: m.MaxPool1d(3, stride=2, ceil_mode=True), (2, 2, 8)),
        (lambda m: m.MaxPool1d(2, stride=2, padding=1, ceil_mode=True), (1, 2, 6)),
        (lambda m: m.MaxPool1d(2, stride=1, dilation=2), (1, 2, 7)),
        (lambda m: m.MaxPool1d(3, stride=2, padding=1, dilation=2, ceil_mode=True), (1, 1, 9)),
        (lambda m: m.MaxPool2d((2, 3), stride=2, dilation=(2, 1), ceil_mode=True), (1, 2, 7, 6)),
        (lambda m: m.AvgPool1d(3, stride=2, padding=1, ceil_mode=True), (1, 2, 6)),
        (lambda m: m.AvgPool1d(3, stride=2, padding=1, count_include_pad=False), (2, 1, 7)),
        (
            lambda m: m.AvgPool1d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
            (1, 2, 6),
        ),
        (lambda m: m.AvgPool2d(3, stride=2, padding=1, ceil_mode=True), (1, 1, 6, 5)),
        (
            lambda m: m.AvgPool2d(
                (2, 3), stride=(2, 2), padding=(1, 1), ceil_mode=True, count_include_pad=False
            ),
            (2, 1, 5, 6),
        ),
    ],
)
def test_pool_options_match_torch(make, shape):
    ours, theirs = make(nn), make(TNN)
    x = RNG.normal(size=shape)
    _compare(ours, theirs, x)
    assert ours.output_shape(shape) == tuple(theirs(torch.tensor(x)).shape)


def test_functional_pool_options_match_torch():
    x = RNG.normal(size=(1, 2, 7))
    xt = torch.tensor(x)
    close(
        F.max_pool1d(Tensor(x), 2, 2, 1, 2, True).data,
        TF.max_pool1d(xt, 2, 2, 1, 2, True),
        "max_pool1d",
    )
    close(
        F.avg_pool1d(Tensor(x), 3, 2, 1, True, False).data,
        TF.avg_pool1d(xt, 3, 2, 1, True, False),
        "avg_pool1d",
    )
    x2 = RNG.normal(size=(1, 5, 5))
    close(
        F.avg_pool2d(Tensor(x2), 2, ceil_mode=True, count_include_pad=False).data,
        TF.avg_pool2d(torch.tensor(x2), 2, ceil_mode=True, count_include_pad=False),
        "avg_pool2d",
    )


def test_ceil_mode_average_by_hand():
    # windows [pad, 1, 2], [2, 3, 4], [4, pad(right), beyond]: counted 3, 3, 2 cells
    y = nn.AvgPool1d(3, stride=2, padding=1, ceil_mode=True)(Tensor([[1.0, 2.0, 3.0, 4.0]]))
    assert y.data.tolist() == [[1.0, 3.0, 2.0]]
    y = nn.AvgPool1d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)(
        Tensor([[1.0, 2.0, 3.0, 4.0]])
    )
    assert y.data.tolist() == [[1.5, 3.0, 4.0]]


# -------------------------------------------------------------------- recurrent
@pytest.mark.parametrize(
    "kind, kwargs, shape",
    [
        ("RNN", dict(num_layers=1), (4, 3)),
        ("RNN", dict(num_layers=2, nonlinearity="relu"), (3, 2, 3)),
        ("LSTM", dict(num_layers=1), (4, 2, 3)),
        ("LSTM", dict(num_layers=2, batch_first=True), (2, 3, 3)),
        ("GRU", dict(num_layers=2), (3, 3)),
        ("GRU", dict(num_layers=1, bias=False, batch_first=True), (2, 4, 3)),
    ],
)
def test_bidirectional_recurrent_nets_match_torch(kind, kwargs, shape):
    ours = getattr(nn, kind)(3, 2, bidirectional=True, **kwargs)
    theirs = getattr(TNN, kind)(3, 2, bidirectional=True, **kwargs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    _compare(ours, theirs, RNG.normal(size=shape))


def test_bidirectional_lstm_with_initial_state_matches_torch():
    ours, theirs = (
        nn.LSTM(2, 3, num_layers=2, bidirectional=True),
        TNN.LSTM(2, 3, num_layers=2, bidirectional=True),
    )
    random_parameters(theirs, seed=3)
    ours.load_state_dict(theirs.state_dict())
    x, h0, c0 = (RNG.normal(size=s) for s in [(5, 2, 2), (4, 2, 3), (4, 2, 3)])
    out, (h_n, c_n) = ours(Tensor(x), (Tensor(h0), Tensor(c0)))
    out_t, (h_t, c_t) = theirs(torch.tensor(x), (torch.tensor(h0), torch.tensor(c0)))
    for a, b, what in [(out, out_t, "output"), (h_n, h_t, "h_n"), (c_n, c_t, "c_n")]:
        close(a.data, b, what)
    assert len(ours.reverse_hidden_states) == 6
    assert ours.reverse_hidden_states[1][0, 0].label == "l1.reverse.h_5[0,0]"
    assert ours.output_shape((5, None, 2)) == (5, None, 6)


# -------------------------------------------------------------------- embedding
@pytest.mark.parametrize("padding_idx", [0, -2])
def test_embedding_padding_idx_matches_torch(padding_idx):
    ours, theirs = (
        nn.Embedding(5, 3, padding_idx=padding_idx),
        TNN.Embedding(5, 3, padding_idx=padding_idx),
    )
    assert ours.weight.data[padding_idx].tolist() == [0.0, 0.0, 0.0]
    random_parameters(theirs, seed=4)  # a non-zero padding row: still no gradient
    ours.load_state_dict(theirs.state_dict())
    idx = np.array([[0, 3, 3], [4, 1, 0]])
    out, out_t = ours(idx), theirs(torch.tensor(idx))
    close(out.data, out_t, "lookup")
    seed = RNG.normal(size=out.shape)
    (out * Tensor(seed)).sum().backward()
    out_t.backward(torch.tensor(seed))
    close(ours.weight.grad, theirs.weight.grad, "weight")


def test_replicate_padding_wider_than_the_input_matches_torch():
    kwargs = dict(in_channels=1, out_channels=1, kernel_size=2, padding=4, padding_mode="replicate")
    _compare(nn.Conv1d(**kwargs), TNN.Conv1d(**kwargs), RNG.normal(size=(1, 1, 3)))
