"""Forward and backward against PyTorch on random inputs, weights shared via state_dict."""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="torch is needed to compare with PyTorch")

import nn  # noqa: E402
import nn.functional as F  # noqa: E402
from autograd import Tensor  # noqa: E402

torch.set_default_dtype(torch.float64)
TNN = torch.nn


def _load_from_torch(ours, theirs):
    ours.load_state_dict(theirs.state_dict())


def _compare(ours, theirs, x_np, grad_seed=0, atol=1e-10):
    """Same input, same upstream gradient: outputs, input grads and parameter grads agree."""
    x = Tensor(x_np)
    xt = torch.tensor(x_np, requires_grad=True)
    y, yt = ours(x), theirs(xt)
    np.testing.assert_allclose(y.data, yt.detach().numpy(), atol=atol)
    seed = np.random.default_rng(grad_seed).normal(size=yt.shape)
    y.backward(grad=seed)
    yt.backward(torch.tensor(seed))
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), atol=atol)
    for (name, p), (tname, tp) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert name == tname
        np.testing.assert_allclose(p.grad, tp.grad.numpy(), atol=atol, err_msg=name)


RNG = np.random.default_rng(1234)


@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda: (nn.Linear(4, 3), TNN.Linear(4, 3)), (2, 4)),
        (
            lambda: (
                nn.Conv1d(2, 3, 3, stride=2, padding=1, dilation=1),
                TNN.Conv1d(2, 3, 3, stride=2, padding=1, dilation=1),
            ),
            (2, 2, 7),
        ),
        (
            lambda: (
                nn.Conv1d(1, 2, 2, dilation=2, bias=False),
                TNN.Conv1d(1, 2, 2, dilation=2, bias=False),
            ),
            (1, 6),
        ),
        (
            lambda: (nn.Conv2d(2, 2, 3, stride=1, padding=1), TNN.Conv2d(2, 2, 3, padding=1)),
            (1, 2, 4, 4),
        ),
        (
            lambda: (
                nn.Conv2d(1, 2, (2, 3), stride=(2, 1), padding=(1, 0), dilation=(1, 2)),
                TNN.Conv2d(1, 2, (2, 3), stride=(2, 1), padding=(1, 0), dilation=(1, 2)),
            ),
            (2, 1, 5, 6),
        ),
        (lambda: (nn.LayerNorm(4), TNN.LayerNorm(4)), (3, 4)),
        (lambda: (nn.LayerNorm((2, 3)), TNN.LayerNorm((2, 3))), (2, 2, 3)),
    ],
)
def test_layers_match_torch(make, shape):
    ours, theirs = make()
    with torch.no_grad():  # random affine parameters for LayerNorm too
        for p in theirs.parameters():
            p.copy_(torch.tensor(RNG.normal(size=tuple(p.shape))))
    _load_from_torch(ours, theirs)
    _compare(ours, theirs, RNG.normal(size=shape))


@pytest.mark.parametrize(
    "ours, theirs, shape",
    [
        (nn.MaxPool1d(3, stride=2, padding=1), TNN.MaxPool1d(3, stride=2, padding=1), (2, 2, 7)),
        (nn.MaxPool2d(2), TNN.MaxPool2d(2), (1, 2, 5, 5)),
        (nn.MaxPool2d(3, stride=2, padding=1), TNN.MaxPool2d(3, stride=2, padding=1), (2, 1, 5, 6)),
        (nn.AvgPool1d(2, padding=1), TNN.AvgPool1d(2, padding=1), (1, 2, 5)),
        (nn.AvgPool2d(2, stride=1, padding=1), TNN.AvgPool2d(2, stride=1, padding=1), (1, 1, 4, 3)),
        (nn.ELU(0.7), TNN.ELU(0.7), (3, 4)),
        (nn.LeakyReLU(0.2), TNN.LeakyReLU(0.2), (3, 4)),
        (nn.Softmax(dim=1), TNN.Softmax(dim=1), (3, 4)),
    ],
)
def test_parameter_free_layers_match_torch(ours, theirs, shape):
    _compare(ours, theirs, RNG.normal(size=shape))


def _loss_pair(ours_fn, torch_fn, x_np, target_np, target_torch):
    x = Tensor(x_np)
    xt = torch.tensor(x_np, requires_grad=True)
    loss, loss_t = ours_fn(x, target_np), torch_fn(xt, target_torch)
    assert loss.item() == pytest.approx(loss_t.item(), rel=1e-10)
    loss.backward()
    loss_t.backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), atol=1e-10)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_losses_match_torch(reduction):
    logits = RNG.normal(size=(4, 3)) * 3
    classes = np.array([0, 2, 1, 2])
    _loss_pair(
        lambda x, t: F.cross_entropy(x, t, reduction=reduction),
        lambda x, t: torch.nn.functional.cross_entropy(x, t, reduction=reduction),
        logits,
        classes,
        torch.tensor(classes),
    )
    log_probs = np.log(np.exp(logits) / np.exp(logits).sum(1, keepdims=True))
    _loss_pair(
        lambda x, t: F.nll_loss(x, t, reduction=reduction),
        lambda x, t: torch.nn.functional.nll_loss(x, t, reduction=reduction),
        log_probs,
        classes,
        torch.tensor(classes),
    )
    target = RNG.uniform(size=(4, 3))
    _loss_pair(
        lambda x, t: F.mse_loss(x, Tensor(t), reduction),
        lambda x, t: torch.nn.functional.mse_loss(x, t, reduction=reduction),
        logits,
        target,
        torch.tensor(target),
    )
    _loss_pair(
        lambda x, t: F.binary_cross_entropy_with_logits(x, Tensor(t), reduction=reduction),
        lambda x, t: torch.nn.functional.binary_cross_entropy_with_logits(
            x, t, reduction=reduction
        ),
        logits,
        target,
        torch.tensor(target),
    )
    probs = RNG.uniform(0.05, 0.95, size=(4, 3))
    _loss_pair(
        lambda x, t: F.binary_cross_entropy(x, Tensor(t), reduction),
        lambda x, t: torch.nn.functional.binary_cross_entropy(x, t, reduction=reduction),
        probs,
        target,
        torch.tensor(target),
    )


@pytest.mark.parametrize(
    "make_ours, make_theirs",
    [
        (
            lambda p: nn.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.01),
            lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.01),
        ),
        (
            lambda p: nn.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
            lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
        ),
        (
            lambda p: nn.optim.SGD(p, lr=0.1, momentum=0.5, dampening=0.3),
            lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.5, dampening=0.3),
        ),
        (
            lambda p: nn.optim.Adam(p, lr=0.05, weight_decay=0.1),
            lambda p: torch.optim.Adam(p, lr=0.05, weight_decay=0.1),
        ),
        (lambda p: nn.optim.RMSprop(p, lr=0.01), lambda p: torch.optim.RMSprop(p, lr=0.01)),
        (
            lambda p: nn.optim.RMSprop(p, lr=0.01, momentum=0.8, centered=True, weight_decay=0.1),
            lambda p: torch.optim.RMSprop(
                p, lr=0.01, momentum=0.8, centered=True, weight_decay=0.1
            ),
        ),
    ],
)
def test_optimizer_steps_match_torch(make_ours, make_theirs):
    ours, theirs = nn.Linear(3, 2), TNN.Linear(3, 2)
    _load_from_torch(ours, theirs)
    opt, opt_t = make_ours(ours.parameters()), make_theirs(theirs.parameters())
    x = RNG.normal(size=(4, 3))
    target = RNG.normal(size=(4, 2))
    for _ in range(3):
        opt.zero_grad()
        opt_t.zero_grad()
        F.mse_loss(ours(Tensor(x)), Tensor(target)).backward()
        torch.nn.functional.mse_loss(theirs(torch.tensor(x)), torch.tensor(target)).backward()
        opt.step()
        opt_t.step()
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[key], value.numpy(), atol=1e-10)
