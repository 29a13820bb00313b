"""PyTorch's layer options, each compared with torch float64 through state_dict (to 1e-9)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="the options are checked against PyTorch float64")

import nn  # noqa: E402
import nn.functional as F  # noqa: E402
from autograd import Tensor  # noqa: E402

torch.set_default_dtype(torch.float64)
TNN = torch.nn
TF = torch.nn.functional
ATOL = 1e-9


def _random_parameters(theirs, seed=0):
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for p in theirs.parameters():
            p.copy_(torch.tensor(rng.normal(size=tuple(p.shape))))


def _close(ours, theirs, what):
    np.testing.assert_allclose(ours, theirs.detach().numpy(), atol=ATOL, rtol=0, err_msg=what)


def _compare(ours, theirs, x_np, seed=1):
    """Same parameters, input and upstream gradient: outputs and every gradient agree."""
    _random_parameters(theirs)
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
        _close(a.data, b, "output")
    torch.autograd.backward(yt, [torch.tensor(s) for s in seeds])
    total = sum((a * Tensor(s)).sum() for a, s in zip(y, seeds))
    total.backward()
    _close(x.grad, xt.grad, "input gradient")
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        _close(p.grad, theirs_params[name].grad, name)


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
    _close(ours.data, theirs, "conv1d")
    x2, w2 = RNG.normal(size=(1, 2, 5, 5)), RNG.normal(size=(2, 1, 2, 2))
    _close(
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
    _close(
        F.max_pool1d(Tensor(x), 2, 2, 1, 2, True).data,
        TF.max_pool1d(xt, 2, 2, 1, 2, True),
        "max_pool1d",
    )
    _close(
        F.avg_pool1d(Tensor(x), 3, 2, 1, True, False).data,
        TF.avg_pool1d(xt, 3, 2, 1, True, False),
        "avg_pool1d",
    )
    x2 = RNG.normal(size=(1, 5, 5))
    _close(
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
    _random_parameters(theirs, seed=3)
    ours.load_state_dict(theirs.state_dict())
    x, h0, c0 = (RNG.normal(size=s) for s in [(5, 2, 2), (4, 2, 3), (4, 2, 3)])
    out, (h_n, c_n) = ours(Tensor(x), (Tensor(h0), Tensor(c0)))
    out_t, (h_t, c_t) = theirs(torch.tensor(x), (torch.tensor(h0), torch.tensor(c0)))
    for a, b, what in [(out, out_t, "output"), (h_n, h_t, "h_n"), (c_n, c_t, "c_n")]:
        _close(a.data, b, what)
    assert len(ours.reverse_hidden_states) == 6
    assert ours.reverse_hidden_states[1][0, 0].label == "l1.reverse.h_5[0,0]"
    assert ours.output_shape((5, None, 2)) == (5, None, 6)


# ------------------------------------------------------------------------ losses
def _loss_matches(ours_fn, torch_fn, x_np):
    """Loss value and input gradient (with a random upstream seed for reduction='none')."""
    x, xt = Tensor(x_np), torch.tensor(x_np, requires_grad=True)
    loss, loss_t = ours_fn(x), torch_fn(xt)
    assert loss.shape == tuple(loss_t.shape)
    _close(loss.data, loss_t, "loss")
    seed = np.random.default_rng(5).normal(size=tuple(loss_t.shape))
    loss.backward(grad=seed)
    loss_t.backward(torch.tensor(seed))
    _close(x.grad, xt.grad, "input gradient")


CLASS_WEIGHT = np.array([0.5, 2.0, 1.5, 1.0])
LOGITS_2D, LOGITS_KD = RNG.normal(size=(6, 4)) * 2, RNG.normal(size=(2, 4, 3, 2)) * 2
TARGET_2D = np.array([0, 3, 1, 1, 2, 0])
TARGET_KD = RNG.integers(0, 4, size=(2, 3, 2))
TARGET_2D_IGNORED = np.array([0, 3, -100, 1, 2, -100])
TARGET_KD_IGNORED = np.where(RNG.random((2, 3, 2)) < 0.3, 2, TARGET_KD)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(
    "logits, target, options",
    [
        (LOGITS_2D, TARGET_2D, dict(weight=CLASS_WEIGHT)),
        (LOGITS_2D, TARGET_2D_IGNORED, dict()),
        (LOGITS_2D, TARGET_2D_IGNORED, dict(weight=CLASS_WEIGHT)),
        (LOGITS_2D, TARGET_2D, dict(label_smoothing=0.2)),
        (LOGITS_2D, TARGET_2D_IGNORED, dict(weight=CLASS_WEIGHT, label_smoothing=0.3)),
        (LOGITS_KD, TARGET_KD, dict()),
        (
            LOGITS_KD,
            TARGET_KD_IGNORED,
            dict(weight=CLASS_WEIGHT, ignore_index=2, label_smoothing=0.1),
        ),
        (LOGITS_2D[0], np.array(3), dict(weight=CLASS_WEIGHT, label_smoothing=0.1)),
    ],
)
def test_cross_entropy_options_match_torch(logits, target, options, reduction):
    torch_options = {k: torch.tensor(v) if k == "weight" else v for k, v in options.items()}
    _loss_matches(
        lambda x: F.cross_entropy(x, target, reduction=reduction, **options),
        lambda x: TF.cross_entropy(x, torch.tensor(target), reduction=reduction, **torch_options),
        logits,
    )
    module = nn.CrossEntropyLoss(reduction=reduction, **options)
    theirs = TNN.CrossEntropyLoss(reduction=reduction, **torch_options)
    _loss_matches(lambda x: module(x, target), lambda x: theirs(x, torch.tensor(target)), logits)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(
    "logits, smoothing, weighted",
    [
        (LOGITS_2D, 0.0, False),
        (LOGITS_2D, 0.25, True),
        (LOGITS_KD, 0.0, True),
        (LOGITS_KD, 0.1, False),
        (LOGITS_2D[1], 0.2, True),
    ],
)
def test_cross_entropy_probability_targets_match_torch(logits, smoothing, weighted, reduction):
    probs = RNG.random(logits.shape)
    probs /= probs.sum(axis=0 if logits.ndim == 1 else 1, keepdims=True)
    weight = CLASS_WEIGHT if weighted else None
    _loss_matches(
        lambda x: F.cross_entropy(x, probs, weight, reduction=reduction, label_smoothing=smoothing),
        lambda x: TF.cross_entropy(
            x,
            torch.tensor(probs),
            None if weight is None else torch.tensor(weight),
            reduction=reduction,
            label_smoothing=smoothing,
        ),
        logits,
    )


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(
    "log_probs, target, options",
    [
        (LOGITS_2D, TARGET_2D, dict(weight=CLASS_WEIGHT)),
        (LOGITS_2D, TARGET_2D_IGNORED, dict(weight=CLASS_WEIGHT)),
        (LOGITS_KD, TARGET_KD_IGNORED, dict(ignore_index=2)),
        (LOGITS_KD, TARGET_KD, dict(weight=CLASS_WEIGHT)),
    ],
)
def test_nll_loss_options_match_torch(log_probs, target, options, reduction):
    torch_options = {k: torch.tensor(v) if k == "weight" else v for k, v in options.items()}
    module = nn.NLLLoss(reduction=reduction, **options)
    theirs = TNN.NLLLoss(reduction=reduction, **torch_options)
    _loss_matches(lambda x: module(x, target), lambda x: theirs(x, torch.tensor(target)), log_probs)


def test_weighted_nll_by_hand_and_all_ignored_is_nan():
    # (2 * 2 + 0.5 * 3) / (2 + 0.5): a mean over the kept weights, PyTorch's rule
    loss = F.nll_loss(Tensor([[-1.0, -2.0], [-3.0, -4.0]]), [1, 0], weight=[0.5, 2.0])
    assert loss.item() == pytest.approx(5.5 / 2.5, abs=1e-12)
    assert np.isnan(F.cross_entropy(Tensor([[1.0, 2.0]]), [-100]).item())


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(
    "pos_weight, weight",
    [
        ([1.0, 2.0, 0.5], None),
        (None, [[0.5], [2.0]]),
        ([3.0, 1.0, 0.25], [0.5, 1.0, 2.0]),
    ],
)
def test_bce_with_logits_pos_weight_matches_torch(pos_weight, weight, reduction):
    logits, target = RNG.normal(size=(2, 3)) * 3, RNG.random((2, 3))
    options = {k: v for k, v in dict(pos_weight=pos_weight, weight=weight).items() if v is not None}
    torch_options = {k: torch.tensor(v) for k, v in options.items()}
    module = nn.BCEWithLogitsLoss(reduction=reduction, **options)
    theirs = TNN.BCEWithLogitsLoss(reduction=reduction, **torch_options)
    _loss_matches(
        lambda x: module(x, Tensor(target)), lambda x: theirs(x, torch.tensor(target)), logits
    )
    _loss_matches(
        lambda x: F.binary_cross_entropy_with_logits(
            x, Tensor(target), reduction=reduction, **options
        ),
        lambda x: TF.binary_cross_entropy_with_logits(
            x, torch.tensor(target), reduction=reduction, **torch_options
        ),
        logits,
    )


# -------------------------------------------------------------------- attention
def _attention_matches(ours, theirs, inputs, **kwargs):
    """Outputs, weights and every gradient; kwargs hold (ours, theirs) pairs of options."""
    _random_parameters(theirs, seed=11)
    ours.load_state_dict(theirs.state_dict())
    xs = [Tensor(a) for a in inputs]
    xts = [torch.tensor(a, requires_grad=True) for a in inputs]
    mine = {k: v[0] for k, v in kwargs.items()}
    other = {k: v[1] for k, v in kwargs.items()}
    out, w = ours(*xs, **mine)
    out_t, w_t = theirs(*xts, **other)
    _close(out.data, out_t, "output")
    _close(w.data, w_t, "weights")
    seed = np.random.default_rng(2).normal(size=tuple(out_t.shape))
    (out * Tensor(seed)).sum().backward()
    out_t.backward(torch.tensor(seed))
    for x, xt in zip(xs, xts):
        _close(x.grad, xt.grad, "input gradient")
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        _close(p.grad, theirs_params[name].grad, name)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("average", [True, False])
def test_mha_key_padding_mask_matches_torch(batch_first, average):
    N, L, E = 2, 4, 4
    x = RNG.normal(size=(N, L, E) if batch_first else (L, N, E))
    padded = np.array([[False, False, True, True], [False, False, False, True]])
    _attention_matches(
        nn.MultiHeadAttention(E, 2, batch_first=batch_first),
        TNN.MultiheadAttention(E, 2, batch_first=batch_first),
        [x, x, x],
        key_padding_mask=(padded, torch.tensor(padded)),
        average_attn_weights=(average, average),
    )


def test_mha_is_causal_and_attn_masks_match_torch():
    L, N, E, H = 3, 2, 4, 2
    x = RNG.normal(size=(L, N, E))
    blocked = ~np.tril(np.ones((L, L), dtype=bool))  # PyTorch's convention: True = blocked
    _attention_matches(
        nn.MultiHeadAttention(E, H),
        TNN.MultiheadAttention(E, H),
        [x, x, x],
        attn_mask=(None, torch.tensor(blocked)),
        is_causal=(True, True),
    )
    _attention_matches(
        nn.MultiHeadAttention(E, H),
        TNN.MultiheadAttention(E, H),
        [x, x, x],
        attn_mask=(blocked, torch.tensor(blocked)),
    )
    additive = RNG.normal(size=(N * H, L, L))  # a float mask is added to the scores
    padding = RNG.normal(size=(N, L))
    _attention_matches(
        nn.MultiHeadAttention(E, H),
        TNN.MultiheadAttention(E, H),
        [x, x, x],
        attn_mask=(additive, torch.tensor(additive)),
        key_padding_mask=(padding, torch.tensor(padding)),
        average_attn_weights=(False, False),
    )


@pytest.mark.parametrize("bias", [True, False])
def test_mha_kdim_vdim_cross_attention_matches_torch(bias):
    ours = nn.MultiHeadAttention(4, 2, kdim=3, vdim=5, bias=bias, batch_first=True)
    theirs = TNN.MultiheadAttention(4, 2, kdim=3, vdim=5, bias=bias, batch_first=True)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    q, k, v = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(2, 5, 3)), RNG.normal(size=(2, 5, 5))
    padded = np.zeros((2, 5), dtype=bool)
    padded[1, 3:] = True
    _attention_matches(ours, theirs, [q, k, v], key_padding_mask=(padded, torch.tensor(padded)))


def test_mha_unbatched_key_padding_mask_by_hand():
    mha = nn.MultiheadAttention(2, 1)
    _, w = mha(Tensor(np.ones((3, 2))), key_padding_mask=[True, False, False])
    assert w.data.tolist() == [[0.0, 0.5, 0.5]] * 3


# -------------------------------------------------------------------- embedding
@pytest.mark.parametrize("padding_idx", [0, -2])
def test_embedding_padding_idx_matches_torch(padding_idx):
    ours, theirs = (
        nn.Embedding(5, 3, padding_idx=padding_idx),
        TNN.Embedding(5, 3, padding_idx=padding_idx),
    )
    assert ours.weight.data[padding_idx].tolist() == [0.0, 0.0, 0.0]
    _random_parameters(theirs, seed=4)  # a non-zero padding row: still no gradient
    ours.load_state_dict(theirs.state_dict())
    idx = np.array([[0, 3, 3], [4, 1, 0]])
    out, out_t = ours(idx), theirs(torch.tensor(idx))
    _close(out.data, out_t, "lookup")
    seed = RNG.normal(size=out.shape)
    (out * Tensor(seed)).sum().backward()
    out_t.backward(torch.tensor(seed))
    _close(ours.weight.grad, theirs.weight.grad, "weight")


def test_replicate_padding_wider_than_the_input_matches_torch():
    kwargs = dict(in_channels=1, out_channels=1, kernel_size=2, padding=4, padding_mode="replicate")
    _compare(nn.Conv1d(**kwargs), TNN.Conv1d(**kwargs), RNG.normal(size=(1, 1, 3)))
