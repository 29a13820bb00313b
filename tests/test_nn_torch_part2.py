"""RNN, LSTM, GRU, attention and MultiHeadAttention against PyTorch: forward and backward."""

import numpy as np
import pytest

from autograd import Tensor
from nn.attention import (
    causal_mask,
    local_mask,
    scaled_dot_product_attention,
)
from nn.multihead import MultiHeadAttention
from nn.recurrent import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell

torch = pytest.importorskip("torch", reason="PyTorch is needed to compare against it")
torch.manual_seed(0)
ATOL = 1e-10


def _close(ours, theirs):
    np.testing.assert_allclose(ours, theirs.detach().numpy(), atol=ATOL, rtol=0)


SEQUENCES = [
    (RNN, torch.nn.RNN, {"nonlinearity": "tanh"}),
    (RNN, torch.nn.RNN, {"nonlinearity": "relu"}),
    (LSTM, torch.nn.LSTM, {}),
    (GRU, torch.nn.GRU, {}),
]


@pytest.mark.parametrize("ours_cls, torch_cls, kwargs", SEQUENCES)
@pytest.mark.parametrize("batch_first, batched", [(False, True), (True, True), (False, False)])
def test_sequence_modules_match_torch(ours_cls, torch_cls, kwargs, batch_first, batched):
    theirs = torch_cls(3, 2, num_layers=2, batch_first=batch_first, **kwargs).double()
    ours = ours_cls(3, 2, num_layers=2, batch_first=batch_first, **kwargs)
    ours.load_state_dict(theirs.state_dict())
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 4, 3) if batched else (4, 3))
    x_ours, x_theirs = Tensor(x), torch.tensor(x, requires_grad=True)
    out, state = ours(x_ours)
    t_out, t_state = theirs(x_theirs)
    _close(out.data, t_out)
    if ours_cls is LSTM:
        _close(state[0].data, t_state[0])
        _close(state[1].data, t_state[1])
    else:
        _close(state.data, t_state)
    upstream = rng.normal(size=out.shape)
    out.backward(upstream)
    t_out.backward(torch.tensor(upstream))
    _close(x_ours.grad, x_theirs.grad)
    for name, p in theirs.named_parameters():
        _close(getattr(ours, name).grad, p.grad)


@pytest.mark.parametrize(
    "ours_cls, torch_cls",
    [(RNNCell, torch.nn.RNNCell), (LSTMCell, torch.nn.LSTMCell), (GRUCell, torch.nn.GRUCell)],
)
def test_cells_match_torch_with_initial_state(ours_cls, torch_cls):
    theirs = torch_cls(3, 2).double()
    ours = ours_cls(3, 2)
    ours.load_state_dict(theirs.state_dict())
    rng = np.random.default_rng(1)
    x, h, c = rng.normal(size=(2, 3)), rng.normal(size=(2, 2)), rng.normal(size=(2, 2))
    h_ours, h_theirs = Tensor(h), torch.tensor(h, requires_grad=True)
    if ours_cls is LSTMCell:
        out, _ = ours(Tensor(x), (h_ours, Tensor(c)))
        t_out, _ = theirs(torch.tensor(x), (h_theirs, torch.tensor(c)))
    else:
        out, t_out = ours(Tensor(x), h_ours), theirs(torch.tensor(x), h_theirs)
    _close(out.data, t_out)
    out.sum().backward()
    t_out.sum().backward()
    _close(h_ours.grad, h_theirs.grad)
    _close(ours.weight_hh.grad, theirs.weight_hh.grad)


def test_rnn_without_bias_matches_torch():
    theirs = torch.nn.RNN(2, 3, bias=False).double()
    ours = RNN(2, 3, bias=False)
    ours.load_state_dict(theirs.state_dict())
    x = np.random.default_rng(2).normal(size=(5, 2))
    _close(ours(Tensor(x))[0].data, theirs(torch.tensor(x))[0])


@pytest.mark.parametrize("mask", [None, "causal", "local"])
@pytest.mark.parametrize("scale", [None, 1.0])
def test_scaled_dot_product_attention_matches_torch(mask, scale):
    rng = np.random.default_rng(3)
    q, k, v = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 4, 2))
    m = {None: None, "causal": causal_mask(4), "local": local_mask(4, 1)}[mask]
    ours = [Tensor(a) for a in (q, k, v)]
    theirs = [torch.tensor(a, requires_grad=True) for a in (q, k, v)]
    out, _ = scaled_dot_product_attention(*ours, mask=m, scale=scale)
    t_out = torch.nn.functional.scaled_dot_product_attention(
        *theirs, attn_mask=None if m is None else torch.tensor(m), scale=scale
    )
    _close(out.data, t_out)
    upstream = rng.normal(size=out.shape)
    out.backward(upstream)
    t_out.backward(torch.tensor(upstream))
    for a, b in zip(ours, theirs):
        _close(a.grad, b.grad)


@pytest.mark.parametrize("batch_first", [False, True])
def test_multihead_attention_matches_torch(batch_first):
    theirs = torch.nn.MultiheadAttention(4, 2, batch_first=batch_first).double()
    with torch.no_grad():
        theirs.in_proj_bias.normal_()
        theirs.out_proj.bias.normal_()
    ours = MultiHeadAttention(4, 2, batch_first=batch_first)
    ours.load_state_dict(theirs.state_dict())
    x = np.random.default_rng(4).normal(size=(3, 3, 4))
    mask = causal_mask(3)
    x_ours, x_theirs = Tensor(x), torch.tensor(x, requires_grad=True)
    out, w = ours(x_ours, mask=mask)
    # PyTorch's nn.MultiheadAttention blocks where its boolean mask is True: pass ~mask.
    t_out, t_w = theirs(x_theirs, x_theirs, x_theirs, attn_mask=torch.tensor(~mask))
    _close(out.data, t_out)
    _close(w.data, t_w)
    out.sum().backward()
    t_out.sum().backward()
    _close(x_ours.grad, x_theirs.grad)
    _close(ours.in_proj_weight.grad, theirs.in_proj_weight.grad)
    _close(ours.out_proj.weight.grad, theirs.out_proj.weight.grad)


def test_multihead_layout_mapping_to_q_equals_x_w_q():
    """Head h's W_Q in problems.md's layout is in_proj_weight[:E].T[:, h*d:(h+1)*d]."""
    ours = MultiHeadAttention(4, 2, bias=False)
    x = np.random.default_rng(5).normal(size=(3, 4))
    _, w = ours(Tensor(x), average_attn_weights=False)
    W = ours.in_proj_weight.data
    for h in range(2):
        cols = slice(2 * h, 2 * h + 2)
        Q, K = x @ W[:4].T[:, cols], x @ W[4:8].T[:, cols]
        s = Q @ K.T / np.sqrt(2)
        ref = np.exp(s - s.max(axis=1, keepdims=True))
        np.testing.assert_allclose(w.data[h], ref / ref.sum(axis=1, keepdims=True), atol=1e-12)
