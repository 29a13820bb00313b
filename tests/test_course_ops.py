"""The course API (issue 25) in one table, each row checked three ways.

Each row is an op written once, in PyTorch's spelling, so the same function runs on a
chalkgrad Tensor and on a torch tensor (a second function where the namespaces differ:
``autograd.where``/``torch.where``, ``nn.functional``/``F``). Its value and the gradient of
``out.sum()`` are derived by hand as numpy formulas of the input. Checked: (1) value and
gradient against the hand formulas, (2) backward against central differences, (3) value and
gradient of a randomly weighted sum against PyTorch float64, to 1e-9. Inputs avoid kinks
and ties; those are rows of their own (``smooth=False``), checked by hand and against torch.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn
from autograd import Tensor, gradcheck, where

X = np.array([[0.5, -1.2, 2.0], [1.5, 0.3, -0.7]])
Y = np.array([[1.1, 0.4, -0.6], [-2.0, 0.9, 1.3]])
P = np.array([[0.5, 1.2, 2.0], [1.5, 0.3, 4.0]])  # positive
W = np.array([[0.2, -1.0], [0.7, 0.5], [-0.3, 1.4]])
Z = np.arange(12.0).reshape(2, 3, 2) * 0.3 - 1.6  # 3-D, no ties
R = X[:1]  # (1, 3)
IDX = [[2, 0], [1, 1]]
ONES = np.ones_like

erf = np.vectorize(math.erf)
sigmoid = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
phi_cdf = lambda x: 0.5 * (1 + erf(x / math.sqrt(2)))  # noqa: E731
phi_pdf = lambda x: np.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
K = math.sqrt(2 / math.pi)


def gelu_tanh(x):
    t = np.tanh(K * (x + 0.044715 * x**3))
    return 0.5 * x * (1 + t), 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * K * (1 + 3 * 0.044715 * x**2)


def onehot_like(x, index, axis):
    out = np.zeros_like(x)
    np.put_along_axis(out, np.expand_dims(index, axis), 1.0, axis)
    return out


def softmax(x, axis=None):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def row(name, f, inputs, value, grads, torch_f=None, smooth=True):
    return pytest.param(f, torch_f or f, inputs, value, grads, smooth, id=name)


def torch_gather(t):
    import torch

    return t.gather(1, torch.tensor(IDX))


def torch_functional():
    import torch

    return torch.nn.functional


# (name, f, inputs, value, [d sum(out) / d input ...], torch f, smooth)
ROWS = [
    # ------------------------------------------------------- elementwise
    row("sin", lambda t: t.sin(), [X], np.sin(X), [np.cos(X)]),
    row("cos", lambda t: t.cos(), [X], np.cos(X), [-np.sin(X)]),
    row("erf", lambda t: t.erf(), [X], erf(X), [2 / math.sqrt(math.pi) * np.exp(-X * X)]),
    row("log2", lambda t: t.log2(), [P], np.log2(P), [1 / (P * math.log(2))]),
    row("sign", lambda t: t.sign(), [X], np.sign(X), [0 * X]),
    row("rsqrt", lambda t: t.rsqrt(), [P], P**-0.5, [-0.5 * P**-1.5]),
    row(
        "gelu",
        lambda t: t.gelu(),
        [X],
        X * phi_cdf(X),
        [phi_cdf(X) + X * phi_pdf(X)],
        torch_f=lambda t: torch_functional().gelu(t),  # torch.Tensor has no .gelu()
    ),
    row(
        "gelu tanh",
        lambda t: t.gelu(approximate="tanh"),
        [X],
        gelu_tanh(X)[0],
        [gelu_tanh(X)[1]],
        torch_f=lambda t: torch_functional().gelu(t, approximate="tanh"),
    ),
    row(
        "silu",
        lambda t: t.silu(),
        [X],
        X * sigmoid(X),
        [sigmoid(X) * (1 + X * (1 - sigmoid(X)))],
        torch_f=lambda t: torch_functional().silu(t),
    ),
    row("clamp", lambda t: t.clamp(-1.0, 1.0), [X], np.clip(X, -1, 1), [1.0 * (abs(X) <= 1)]),
    row("clamp min", lambda t: t.clamp(min=0.0), [X], np.maximum(X, 0), [1.0 * (X > 0)]),
    row("clip max", lambda t: t.clip(max=1.0), [X], np.minimum(X, 1), [1.0 * (X < 1)]),
    # ---------------------------------------------------------- aliases
    row("add alpha", lambda a, b: a.add(b, alpha=2), [X, Y], X + 2 * Y, [ONES(X), 2 * ONES(Y)]),
    row("sub alpha", lambda a, b: a.sub(b, alpha=3), [X, Y], X - 3 * Y, [ONES(X), -3 * ONES(Y)]),
    row("mul", lambda a, b: a.mul(b), [X, Y], X * Y, [Y, X]),
    row("div", lambda a, b: a.div(b), [X, P], X / P, [1 / P, -X / P**2]),
    row("pow", lambda t: t.pow(3), [X], X**3, [3 * X**2]),
    row("neg", lambda t: t.neg(), [X], -X, [-ONES(X)]),
    row(
        "matmul",
        lambda a, b: a.matmul(b),
        [X, W],
        X @ W,
        [np.ones((2, 2)) @ W.T, X.T @ np.ones((2, 2))],
    ),
    # ------------------------------------------------------- reductions
    row("sum dim", lambda t: t.sum(dim=1), [X], X.sum(1), [ONES(X)]),
    row("sum dims", lambda t: t.sum(dim=(0, 1)), [X], X.sum(), [ONES(X)]),
    row("sum keepdim", lambda t: t.sum(1, keepdim=True), [X], X.sum(1, keepdims=True), [ONES(X)]),
    row("mean dim", lambda t: t.mean(dim=0), [X], X.mean(0), [ONES(X) / 2]),
    row(
        "mean dims keepdim",
        lambda t: t.mean((0, 1), keepdim=True),
        [X],
        X.mean(keepdims=True),
        [ONES(X) / 6],
    ),
    row(
        "max dim values",
        lambda t: t.max(dim=1).values,
        [X],
        X.max(1),
        [onehot_like(X, X.argmax(1), 1)],
    ),
    row(
        "max dim keepdim [0]",
        lambda t: t.max(1, keepdim=True)[0],
        [X],
        X.max(1, keepdims=True),
        [onehot_like(X, X.argmax(1), 1)],
    ),
    row(
        "min dim values",
        lambda t: t.min(dim=0).values,
        [X],
        X.min(0),
        [onehot_like(X, X.argmin(0), 0)],
    ),
    row("max all", lambda t: t.max(), [X], X.max(), [1.0 * (X == X.max())]),
    row("amax", lambda t: t.amax(dim=1), [X], X.max(1), [onehot_like(X, X.argmax(1), 1)]),
    row("var", lambda t: t.var(), [X], X.var(ddof=1), [2 * (X - X.mean()) / 5]),
    row(
        "var dim",
        lambda t: t.var(1),
        [X],
        X.var(1, ddof=1),
        [2 * (X - X.mean(1, keepdims=True)) / 2],
    ),
    row(
        "var correction 0",
        lambda t: t.var(dim=0, correction=0),
        [X],
        X.var(0),
        [2 * (X - X.mean(0)) / 2],
    ),
    row(
        "var unbiased False",
        lambda t: t.var(unbiased=False),
        [X],
        X.var(),
        [2 * (X - X.mean()) / 6],
    ),
    row(
        "std dim",
        lambda t: t.std(1),
        [X],
        X.std(1, ddof=1),
        [(X - X.mean(1, keepdims=True)) / (2 * X.std(1, ddof=1, keepdims=True))],
    ),
    row(
        "std keepdim correction 0",
        lambda t: t.std(dim=0, keepdim=True, correction=0),
        [X],
        X.std(0, keepdims=True),
        [(X - X.mean(0)) / (2 * X.std(0))],
    ),
    row(
        "logsumexp dim",
        lambda t: t.logsumexp(dim=1),
        [X],
        np.log(np.exp(X).sum(1)),
        [softmax(X, 1)],
    ),
    row(
        "logsumexp dims keepdim",
        lambda t: t.logsumexp(dim=(0, 1), keepdim=True),
        [X],
        np.log(np.exp(X).sum(keepdims=True)),
        [softmax(X)],
    ),
    row(
        "softmax dim",
        lambda t: t.softmax(dim=1),
        [X],
        softmax(X, 1),
        [np.zeros_like(X)],  # each row sums to 1
    ),
    row(
        "log_softmax dim",
        lambda t: t.log_softmax(dim=0),
        [X],
        X - np.log(np.exp(X).sum(0)),
        [1 - 2 * softmax(X, 0)],  # d/dx_i Σ_j (x_j - lse) = 1 - n softmax_i, n = 2 rows
    ),
    row("cumsum 1", lambda t: t.cumsum(1), [X], X.cumsum(1), [np.array([[3.0, 2, 1]] * 2)]),
    row(
        "cumsum 0", lambda t: t.cumsum(dim=0), [X], X.cumsum(0), [np.array([[2.0] * 3, [1.0] * 3])]
    ),
    # ----------------------------------------------------------- shapes
    row("permute", lambda t: t.permute(1, 0), [X], X.T, [ONES(X)]),
    row("permute 3-D", lambda t: t.permute(2, 0, 1), [Z], Z.transpose(2, 0, 1), [ONES(Z)]),
    row("transpose", lambda t: t.transpose(1, 2), [Z], Z.swapaxes(1, 2), [ONES(Z)]),
    row("expand", lambda t: t.expand(4, 3), [R], np.repeat(R, 4, 0), [4 * ONES(R)]),
    row("expand -1", lambda t: t.expand(2, -1, -1), [X], np.stack([X, X]), [2 * ONES(X)]),
    row("repeat", lambda t: t.repeat(2, 1), [X], np.tile(X, (2, 1)), [2 * ONES(X)]),
    row("repeat new dim", lambda t: t.repeat(3, 1, 2), [X], np.tile(X, (3, 1, 2)), [6 * ONES(X)]),
    row("flip", lambda t: t.flip(1), [X], X[:, ::-1], [ONES(X)]),
    row("flip dims", lambda t: t.flip((0, 1)), [X], X[::-1, ::-1], [ONES(X)]),
    row("roll", lambda t: t.roll(1, 1), [X], np.roll(X, 1, 1), [ONES(X)]),
    row("roll flat", lambda t: t.roll(2), [X], np.roll(X, 2), [ONES(X)]),
    row("roll dims", lambda t: t.roll((1, 2), (0, 1)), [X], np.roll(X, (1, 2), (0, 1)), [ONES(X)]),
    row("tril", lambda t: t.tril(), [X], np.tril(X), [np.tril(ONES(X))]),
    row("triu 1", lambda t: t.triu(1), [X], np.triu(X, 1), [np.triu(ONES(X), 1)]),
    row("tril -1 3-D", lambda t: t.tril(-1), [Z], np.tril(Z, -1), [np.tril(ONES(Z), -1)]),
    row("unsqueeze squeeze", lambda t: t.unsqueeze(1).squeeze(), [X], X, [ONES(X)]),
    row("squeeze non-1 dim", lambda t: t.unsqueeze(-1).squeeze(0), [X], X[..., None], [ONES(X)]),
    row("view -1", lambda t: t.view(-1), [X], X.ravel(), [ONES(X)]),
    row("reshape -1", lambda t: t.reshape(3, -1), [X], X.reshape(3, 2), [ONES(X)]),
    # ------------------------------------------------------- selections
    row(
        "masked_fill",
        lambda t: t.masked_fill(t > 1, -5.0),
        [X],
        np.where(X > 1, -5.0, X),
        [1.0 * (X <= 1)],
    ),
    row(
        "gather",
        lambda t: t.gather(1, IDX),
        [X],
        np.take_along_axis(X, np.array(IDX), 1),
        [np.array([[1.0, 0, 1], [0, 2, 0]])],
        torch_f=torch_gather,
    ),
    row(
        "topk",
        lambda t: t.topk(2, dim=1).values,
        [X],
        np.array([[2.0, 0.5], [1.5, 0.3]]),
        [np.array([[1.0, 0, 1], [1, 1, 0]])],
    ),
    row(
        "topk smallest",
        lambda t: t.topk(1, dim=0, largest=False)[0],
        [X],
        X.min(0, keepdims=True),
        [onehot_like(X, X.argmin(0), 0)],
    ),
    # -------------------------------------------------------------- masks
    row("t * (t > 0)", lambda t: t * (t > 0), [X], X * (X > 0), [1.0 * (X > 0)]),
    row("(t > 0).float() * t", lambda t: (t > 0).float() * t, [X], X * (X > 0), [1.0 * (X > 0)]),
    row("t[t > 0]", lambda t: t[t > 0], [X], X[X > 0], [1.0 * (X > 0)]),
    row("t.where", lambda t: t.where(t > 0, -t), [X], abs(X), [np.sign(X)]),
    row(
        "where(mask, t, 0)",
        lambda t: where(t > 0, t, 0.0),
        [X],
        np.maximum(X, 0),
        [1.0 * (X > 0)],
        torch_f=lambda t: __import__("torch").where(t > 0, t, 0.0),
    ),
    # ----------------------------------------------------- nn.functional
    row(
        "F.gelu",
        lambda t: nn.functional.gelu(t),
        [X],
        X * phi_cdf(X),
        [phi_cdf(X) + X * phi_pdf(X)],
        torch_f=lambda t: torch_functional().gelu(t),
    ),
    row(
        "F.silu",
        lambda t: nn.functional.silu(t),
        [X],
        X * sigmoid(X),
        [sigmoid(X) * (1 + X * (1 - sigmoid(X)))],
        torch_f=lambda t: torch_functional().silu(t),
    ),
    row(
        "F.softplus beta threshold",
        lambda t: nn.functional.softplus(t, beta=2.0, threshold=1.5),
        [X],
        np.where(2 * X > 1.5, X, np.log1p(np.exp(2 * X)) / 2),
        [np.where(2 * X > 1.5, 1.0, sigmoid(2 * X))],
        torch_f=lambda t: torch_functional().softplus(t, beta=2.0, threshold=1.5),
    ),
    row(
        "F.softplus above 20",
        lambda t: nn.functional.softplus(t),
        [np.array([-3.0, 0.1, 25.0])],
        np.array([np.log1p(np.exp(-3.0)), np.log1p(np.exp(0.1)), 25.0]),
        [np.array([sigmoid(-3.0), sigmoid(0.1), 1.0])],
        torch_f=lambda t: torch_functional().softplus(t),
    ),
    row(
        "nn.GELU tanh",
        lambda t: nn.GELU(approximate="tanh")(t),
        [X],
        gelu_tanh(X)[0],
        [gelu_tanh(X)[1]],
        torch_f=lambda t: __import__("torch").nn.GELU(approximate="tanh")(t),
    ),
    row(
        "nn.Softplus",
        lambda t: nn.Softplus(beta=0.5, threshold=0.6)(t),
        [X],
        np.where(0.5 * X > 0.6, X, np.log1p(np.exp(0.5 * X)) / 0.5),
        [np.where(0.5 * X > 0.6, 1.0, sigmoid(0.5 * X))],
        torch_f=lambda t: __import__("torch").nn.Softplus(beta=0.5, threshold=0.6)(t),
    ),
    row(
        "nn.SiLU",
        lambda t: nn.SiLU()(t),
        [X],
        X * sigmoid(X),
        [sigmoid(X) * (1 + X * (1 - sigmoid(X)))],
        torch_f=lambda t: __import__("torch").nn.SiLU()(t),
    ),
    # ------------------------------------------- kinks and ties: no central differences
    row(
        "clamp at its ends",
        lambda t: t.clamp(-1.0, 1.0),
        [np.array([-1.0, 1.0, 0.0, -0.0, 3.0])],
        np.array([-1.0, 1.0, 0.0, -0.0, 1.0]),
        [np.array([1.0, 1.0, 1.0, 1.0, 0.0])],
        smooth=False,
    ),
    row(
        "max dim tie: the first",
        lambda t: t.max(dim=1).values,
        [np.array([[2.0, 2.0, 1.0]])],
        np.array([2.0]),
        [np.array([[1.0, 0.0, 0.0]])],
        smooth=False,
    ),
    row(
        "topk tie: the first",
        lambda t: t.topk(1).values,
        [np.array([[2.0, 2.0, 1.0]])],
        np.array([[2.0]]),
        [np.array([[1.0, 0.0, 0.0]])],
        smooth=False,
    ),
    row(
        "sign at 0",
        lambda t: t.sign(),
        [np.array([0.0, -0.0, 2.0])],
        np.array([0.0, 0.0, 1.0]),
        [np.zeros(3)],
        smooth=False,
    ),
]


def _ours(f, inputs):
    leaves = [Tensor(x) for x in inputs]
    return leaves, f(*leaves)


@pytest.mark.parametrize("f, torch_f, inputs, value, grads, smooth", ROWS)
def test_by_hand(f, torch_f, inputs, value, grads, smooth):
    leaves, out = _ours(f, inputs)
    np.testing.assert_allclose(out.data, value, rtol=1e-12, atol=1e-12)
    assert out.shape == np.shape(value)
    out.sum().backward()
    for leaf, grad in zip(leaves, grads):
        np.testing.assert_allclose(leaf.grad, grad, rtol=1e-12, atol=1e-12)


SMOOTH = [r for r in ROWS if r.values[5]]


@pytest.mark.parametrize("f, torch_f, inputs, value, grads, smooth", SMOOTH)
def test_central_differences(f, torch_f, inputs, value, grads, smooth):
    assert gradcheck(f, [Tensor(x) for x in inputs])


@pytest.mark.parametrize("f, torch_f, inputs, value, grads, smooth", ROWS)
def test_pytorch_float64(f, torch_f, inputs, value, grads, smooth):
    torch = pytest.importorskip("torch", reason="the PyTorch comparison needs torch installed")
    leaves, out = _ours(f, inputs)
    theirs_in = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in inputs]
    theirs = torch_f(*theirs_in)
    weights = np.random.default_rng(len(inputs)).normal(size=out.shape)
    (out * weights).sum().backward()
    (theirs * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(out.data, theirs.detach().numpy(), rtol=1e-9, atol=1e-12)
    for leaf, twin in zip(leaves, theirs_in):
        np.testing.assert_allclose(leaf.grad, twin.grad.numpy(), rtol=1e-9, atol=1e-12)
