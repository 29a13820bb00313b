"""Loss options (weight, ignore_index, label_smoothing, probability targets, K-dim inputs,
pos_weight) against PyTorch float64 (to 1e-9)."""

import numpy as np
import pytest
from torch_compare import close

torch = pytest.importorskip("torch", reason="the options are checked against PyTorch float64")

import nn  # noqa: E402
import nn.functional as F  # noqa: E402
from autograd import Tensor  # noqa: E402

torch.set_default_dtype(torch.float64)
TNN = torch.nn
TF = torch.nn.functional


RNG = np.random.default_rng(17)


# ------------------------------------------------------------------------ losses
def _loss_matches(ours_fn, torch_fn, x_np):
    """Loss value and input gradient (with a random upstream seed for reduction='none')."""
    x, xt = Tensor(x_np), torch.tensor(x_np, requires_grad=True)
    loss, loss_t = ours_fn(x), torch_fn(xt)
    assert loss.shape == tuple(loss_t.shape)
    close(loss.data, loss_t, "loss")
    seed = np.random.default_rng(5).normal(size=tuple(loss_t.shape))
    loss.backward(grad=seed)
    loss_t.backward(torch.tensor(seed))
    close(x.grad, xt.grad, "input gradient")


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
    "logits, smoothing, weighted",
    [(LOGITS_2D, 0.0, False), (LOGITS_KD, 0.1, True), (LOGITS_2D[2], 0.0, True)],
)
def test_cross_entropy_probability_target_tensor_gets_its_gradient(
    logits, smoothing, weighted, reduction
):
    # d loss / d target = -w log_softmax(x) (/N for a mean): the target is in the graph
    probs = RNG.random(logits.shape)
    probs /= probs.sum(axis=0 if logits.ndim == 1 else 1, keepdims=True)
    weight = CLASS_WEIGHT if weighted else None
    x, y = Tensor(logits), Tensor(probs)
    xt, yt = torch.tensor(logits, requires_grad=True), torch.tensor(probs, requires_grad=True)
    loss = F.cross_entropy(x, y, weight, reduction=reduction, label_smoothing=smoothing)
    loss_t = TF.cross_entropy(
        xt,
        yt,
        None if weight is None else torch.tensor(weight),
        reduction=reduction,
        label_smoothing=smoothing,
    )
    close(loss.data, loss_t, "loss")
    seed = np.random.default_rng(3).normal(size=tuple(loss_t.shape))
    loss.backward(grad=seed)
    loss_t.backward(torch.tensor(seed))
    close(x.grad, xt.grad, "input gradient")
    close(y.grad, yt.grad, "target gradient")
    assert np.abs(y.grad).max() > 0


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
