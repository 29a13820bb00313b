"""MultiHeadAttention options (key_padding_mask, attn_mask, is_causal, kdim/vdim) against
PyTorch float64 through state_dict (to 1e-9)."""

import numpy as np
import pytest
from torch_compare import close, random_parameters

torch = pytest.importorskip("torch", reason="the options are checked against PyTorch float64")

import nn  # noqa: E402
from autograd import Tensor  # noqa: E402

torch.set_default_dtype(torch.float64)
TNN = torch.nn
TF = torch.nn.functional


RNG = np.random.default_rng(27)


# -------------------------------------------------------------------- attention
def _attention_matches(ours, theirs, inputs, **kwargs):
    """Outputs, weights and every gradient; kwargs hold (ours, theirs) pairs of options."""
    random_parameters(theirs, seed=11)
    ours.load_state_dict(theirs.state_dict())
    xs = [Tensor(a) for a in inputs]
    xts = [torch.tensor(a, requires_grad=True) for a in inputs]
    mine = {k: v[0] for k, v in kwargs.items()}
    other = {k: v[1] for k, v in kwargs.items()}
    out, w = ours(*xs, **mine)
    out_t, w_t = theirs(*xts, **other)
    close(out.data, out_t, "output")
    close(w.data, w_t, "weights")
    seed = np.random.default_rng(2).normal(size=tuple(out_t.shape))
    (out * Tensor(seed)).sum().backward()
    out_t.backward(torch.tensor(seed))
    for x, xt in zip(xs, xts):
        close(x.grad, xt.grad, "input gradient")
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        close(p.grad, theirs_params[name].grad, name)


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


@pytest.mark.parametrize(
    "shapes, mask_shape, message",
    [
        (((4, 4, 4), (4, 4), (4, 4)), None, "all unbatched"),  # 3-D query, 2-D key and value
        (((4, 4), (4, 4, 4), (4, 4, 4)), None, "all unbatched"),  # once gave a (4, 4, 4) output
        (((3, 2, 4), (5, 3, 4), (5, 3, 4)), None, "same batch size"),
        (((3, 4), (5, 4), (6, 4)), None, "same source length"),
        (((3, 4), (3, 4), (3, 4)), (3,), r"attn_mask must have shape \(L, S\)"),
        (((3, 2, 4), (3, 2, 4), (3, 2, 4)), (1, 3, 3), r"\(N \* num_heads, L, S\)"),
    ],
)
def test_mha_refuses_the_shapes_torch_refuses(shapes, mask_shape, message):
    ours, theirs = nn.MultiHeadAttention(4, 2), TNN.MultiheadAttention(4, 2)
    arrays = [RNG.normal(size=s) for s in shapes]
    mask = None if mask_shape is None else np.zeros(mask_shape, dtype=bool)
    with pytest.raises((AssertionError, RuntimeError, ValueError)):
        theirs(*map(torch.tensor, arrays), attn_mask=None if mask is None else torch.tensor(mask))
    with pytest.raises(ValueError, match=message):
        ours(*map(Tensor, arrays), attn_mask=mask)
