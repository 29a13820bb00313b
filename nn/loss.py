"""Losses: MSE, binary and categorical cross-entropy, NLL and micrograd's max-margin loss.

Each loss has a function (``mse_loss``, ...) and a Module (``MSELoss``, ...) with
PyTorch's ``reduction`` in {"mean", "sum", "none"}. The cross-entropies are stable:
``log_softmax`` subtracts the row max, and the logits form of BCE uses softplus.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, as_tensor, ops
from autograd.tensor import elementwise
from nn.module import Module

_REDUCTIONS = ("mean", "sum", "none")


def _reduce(name: str, losses: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    if reduction == "none":
        return losses
    raise ValueError(f"{name}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def _same_shape(name: str, input: Tensor, target: Tensor) -> None:
    if input.shape != target.shape:
        raise ValueError(
            f"{name}: input and target must have the same shape, received input "
            f"{input.shape} and target {target.shape}"
        )


def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Tensor:
    """mean((input - target)^2).

    Example:
        >>> mse_loss(Tensor([1.0, 2.0]), Tensor([0.0, 0.0])).item()
        2.5
    """
    input, target = as_tensor(input), as_tensor(target)
    _same_shape("mse_loss", input, target)
    diff = input - target
    return _reduce("mse_loss", diff * diff, reduction)


def binary_cross_entropy(input: Any, target: Any, reduction: str = "mean") -> Tensor:
    """-(t log p + (1 - t) log(1 - p)) for probabilities p; each log is clamped at -100 (PyTorch).

    The gradient in p is PyTorch's (p - t) / max(p (1 - p), 1e-12): 0 at p = t = 1, so a
    saturated sigmoid before it gives 0, not nan.

    Example:
        >>> round(binary_cross_entropy(Tensor([0.5]), Tensor([1.0])).item(), 4)
        0.6931
        >>> p = Tensor([1.0, 0.0]); binary_cross_entropy(p, Tensor([1.0, 1.0]), "sum").backward()
        >>> p.grad.tolist()  # (p - t) / 1e-12, PyTorch's 1e-12 being a float32
        [0.0, -1000000003995.8029]
    """
    input, target = as_tensor(input), as_tensor(target)
    _same_shape("binary_cross_entropy", input, target)
    p = input.data
    if ((p < 0) | (p > 1)).any():
        raise ValueError(
            f"binary_cross_entropy: input must be probabilities in [0, 1], received values "
            f"from {p.min():g} to {p.max():g} (use binary_cross_entropy_with_logits for logits)"
        )
    # One BCE node per element (autograd/ops.py): PyTorch's value and gradient, also at 0 and 1.
    losses = elementwise(ops.BCE, input, target)
    return _reduce("binary_cross_entropy", losses, reduction)


def binary_cross_entropy_with_logits(input: Any, target: Any, reduction: str = "mean") -> Tensor:
    """softplus(x) - t x: BCE of sigmoid(x), with no overflow for any x.

    Example:
        >>> round(binary_cross_entropy_with_logits(Tensor([1000.0]), Tensor([0.0])).item(), 4)
        1000.0
    """
    input, target = as_tensor(input), as_tensor(target)
    _same_shape("binary_cross_entropy_with_logits", input, target)
    return _reduce("binary_cross_entropy_with_logits", input.softplus() - target * input,
                   reduction)


def _class_indices(name: str, scores: Tensor, target: Any) -> tuple[np.ndarray, bool]:
    """Integer targets checked against scores (C,) or (N, C); returns (targets, batched)."""
    if scores.ndim not in (1, 2):
        raise ValueError(
            f"{name}: expected input of shape (C,) or (N, C), received shape {scores.shape}"
        )
    raw = target.data if isinstance(target, Tensor) else np.asarray(target)
    if raw.dtype.kind == "f" and (raw != np.round(raw)).any():
        raise TypeError(f"{name}: target must hold class indices (ints), received {raw!r:.60}")
    idx = np.asarray(raw).astype(int)
    expected = scores.shape[:-1]
    if idx.shape != expected:
        raise ValueError(
            f"{name}: expected target of shape {expected} (class indices), received shape "
            f"{idx.shape} for input of shape {scores.shape}"
        )
    classes = scores.shape[-1]
    if idx.size and (idx.min() < 0 or idx.max() >= classes):
        raise IndexError(
            f"{name}: class indices must be in [0, {classes}), received {idx.tolist()}"
        )
    return idx, scores.ndim == 2


def nll_loss(input: Any, target: Any, reduction: str = "mean") -> Tensor:
    """-input[n, target[n]] averaged over n; input holds log-probabilities (C,) or (N, C).

    Example:
        >>> nll_loss(Tensor([[-1.0, -2.0], [-3.0, -4.0]]), [1, 0]).item()
        2.5
    """
    input = as_tensor(input)
    idx, batched = _class_indices("nll_loss", input, target)
    if batched:
        picked = input[np.arange(len(idx)), idx]  # (N,): the chosen log-probabilities
    else:
        picked = Tensor.wrap(np.array(input.values[int(idx)], dtype=object))  # 0-d
    if reduction == "none":
        return -picked
    return -_reduce("nll_loss", picked, reduction)


def cross_entropy(input: Any, target: Any, reduction: str = "mean") -> Tensor:
    """-log softmax(logits)[target], from logits (C,) or (N, C) and class indices.

    Example:
        >>> round(cross_entropy(Tensor([[0.0, 0.0]]), [1]).item(), 4)
        0.6931
        >>> round(cross_entropy(Tensor([1000.0, 0.0]), 1).item(), 1)
        1000.0
    """
    input = as_tensor(input)
    _class_indices("cross_entropy", input, target)
    return nll_loss(input.log_softmax(axis=-1), target, reduction)


def max_margin_loss(scores: Any, targets: Any, parameters: Any = None,
                    alpha: float = 1e-4) -> Tensor:
    """micrograd's SVM loss: mean(relu(1 - y_i s_i)) + alpha Σ p^2, labels y_i in {-1, +1}.

    ``parameters`` (Tensors or Values, e.g. ``model.parameters()``) add the L2 term.

    Example:
        >>> max_margin_loss(Tensor([2.0, 0.5]), [1.0, 1.0]).item()
        0.25
        >>> max_margin_loss(Tensor([2.0]), [1.0], [Tensor([1.0, 2.0])], alpha=0.1).item()
        0.5
    """
    scores = as_tensor(scores)
    y = np.asarray(targets.data if isinstance(targets, Tensor) else targets, dtype=float)
    if y.shape != scores.shape:
        raise ValueError(
            f"max_margin_loss: targets must have the scores' shape {scores.shape}, received "
            f"{y.shape}"
        )
    if not np.isin(y, (-1.0, 1.0)).all():
        raise ValueError(f"max_margin_loss: targets must be -1 or +1, received {y.tolist()}")
    loss = (1.0 - scores * y).relu().mean()
    if parameters is not None:
        squares = [as_tensor(p) for p in parameters]
        if squares:
            total = squares[0].values.ravel().tolist()
            for p in squares[1:]:
                total += p.values.ravel().tolist()
            weights = Tensor.wrap(np.array(total, dtype=object))
            loss = loss + alpha * (weights @ weights)
    return loss


class _Loss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        if reduction not in _REDUCTIONS:
            raise ValueError(
                f"{type(self).__name__}: reduction must be one of {_REDUCTIONS}, got {reduction!r}"
            )
        self.reduction = reduction

    def extra_repr(self) -> str:
        return "" if self.reduction == "mean" else f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    """Module form of :func:`mse_loss`.

    Example:
        >>> MSELoss(reduction="sum")(Tensor([1.0, 2.0]), Tensor([0.0, 0.0])).item()
        5.0
    """

    def forward(self, input: Any, target: Any) -> Tensor:
        return mse_loss(input, target, self.reduction)


class BCELoss(_Loss):
    """Module form of :func:`binary_cross_entropy` (input: probabilities).

    Example:
        >>> round(BCELoss()(Tensor([0.5]), Tensor([0.0])).item(), 4)
        0.6931
    """

    def forward(self, input: Any, target: Any) -> Tensor:
        return binary_cross_entropy(input, target, self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Module form of :func:`binary_cross_entropy_with_logits` (input: logits).

    Example:
        >>> round(BCEWithLogitsLoss()(Tensor([0.0]), Tensor([1.0])).item(), 4)
        0.6931
    """

    def forward(self, input: Any, target: Any) -> Tensor:
        return binary_cross_entropy_with_logits(input, target, self.reduction)


class CrossEntropyLoss(_Loss):
    """Module form of :func:`cross_entropy` (logits and class indices).

    Example:
        >>> round(CrossEntropyLoss()(Tensor([[2.0, 0.0]]), [0]).item(), 4)
        0.1269
    """

    def forward(self, input: Any, target: Any) -> Tensor:
        return cross_entropy(input, target, self.reduction)


class NLLLoss(_Loss):
    """Module form of :func:`nll_loss` (log-probabilities and class indices).

    Example:
        >>> NLLLoss()(Tensor([-1.0, -2.0]), 0).item()
        1.0
    """

    def forward(self, input: Any, target: Any) -> Tensor:
        return nll_loss(input, target, self.reduction)


class MarginLoss(Module):
    """Module form of :func:`max_margin_loss` (micrograd's SVM loss with L2 ``alpha``).

    Example:
        >>> MarginLoss(alpha=0.0)(Tensor([0.0]), [-1.0]).item()
        1.0
    """

    def __init__(self, alpha: float = 1e-4) -> None:
        super().__init__()
        self.alpha = alpha

    def forward(self, scores: Any, targets: Any, parameters: Any = None) -> Tensor:
        return max_margin_loss(scores, targets, parameters, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


__all__ = ["mse_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "nll_loss",
           "cross_entropy", "max_margin_loss", "MSELoss", "BCELoss", "BCEWithLogitsLoss",
           "CrossEntropyLoss", "NLLLoss", "MarginLoss"]
