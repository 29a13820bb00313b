"""Losses: MSE, binary cross-entropy and micrograd's max-margin loss (the class losses,
cross-entropy and NLL, are in ``nn/cross_entropy.py``).

Each loss has a function (``mse_loss``, ...) and a Module (``MSELoss``, ...) with
PyTorch's ``reduction`` in {"mean", "sum", "none"}. The cross-entropies are stable:
``log_softmax`` subtracts the row max, and the logits form of BCE uses softplus.
BCE with logits takes PyTorch's ``weight`` and ``pos_weight``; weights are constants
(no gradient flows to them).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, as_tensor, ops
from autograd.tensors import elementwise
from nn.module import Module
from nn.options import reject_options

_REDUCTIONS = ("mean", "sum", "none")
# PyTorch's deprecated reduction flags: accepted only at their default, None
LOSS_TORCH_DEFAULTS = {"size_average": None, "reduce": None}


def _reduce(name: str, losses: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    if reduction == "none":
        return losses
    raise ValueError(f"{name}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def _check_reduction(name: str, reduction: Any) -> None:
    if not isinstance(reduction, str) or reduction not in _REDUCTIONS:
        raise ValueError(f"{name}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def _constants(name: str, what: str, value: Any, shape: tuple | None = None) -> np.ndarray | None:
    """A float array of weights (numbers, arrays, Tensors' data or torch tensors), or None."""
    if value is None:
        return None
    if isinstance(value, str):
        raise TypeError(
            f"{name}: {what} must be numbers, got the string {value!r}; PyTorch's argument order "
            f"is (input, target, weight, ...): pass reduction={value!r} by keyword"
        )
    if isinstance(value, Tensor):
        value = value.data
    elif hasattr(value, "detach") and hasattr(value, "cpu"):  # a torch.Tensor
        value = value.detach().cpu().numpy()
    array = np.asarray(value)
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name}: {what} must be real numbers, got dtype {array.dtype}")
    array = array.astype(float)
    if shape is not None and array.shape != shape:
        raise ValueError(f"{name}: {what} must have shape {shape}, received {array.shape}")
    return array


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


def binary_cross_entropy_with_logits(
    input: Any,
    target: Any,
    weight: Any = None,
    *,
    reduction: str = "mean",
    pos_weight: Any = None,
    **options: Any,
) -> Tensor:
    """softplus(x) - t x: BCE of sigmoid(x), with no overflow for any x.

    ``pos_weight`` p (one per class, the last dim) weighs the positive term:
    (1 - t) x + (1 + (p - 1) t) softplus(-x); ``weight`` scales each element.

    Example:
        >>> round(binary_cross_entropy_with_logits(Tensor([1000.0]), Tensor([0.0])).item(), 4)
        1000.0
        >>> x, t = Tensor([0.0, 0.0]), Tensor([1.0, 1.0])
        >>> round(binary_cross_entropy_with_logits(x, t, pos_weight=[1.0, 3.0]).item(), 4)
        1.3863
    """
    name = "binary_cross_entropy_with_logits"
    reject_options(name, options, LOSS_TORCH_DEFAULTS)
    input, target = as_tensor(input), as_tensor(target)
    _same_shape(name, input, target)
    _check_reduction(name, reduction)
    w = _constants(name, "weight", weight)
    p = _constants(name, "pos_weight", pos_weight)
    for what, array in (("weight", w), ("pos_weight", p)):
        try:
            fits = array is None or np.broadcast_shapes(array.shape, input.shape) == input.shape
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(
                f"{name}: {what} of shape {array.shape} does not broadcast to the input's "
                f"shape {input.shape}"
            )
    if p is None:
        losses = input.softplus() - target * input
    else:  # PyTorch's form: (1 - t) x + (1 + (p - 1) t) softplus(-x)
        losses = (1.0 - target) * input + (1.0 + (p - 1.0) * target) * (-input).softplus()
    if w is not None:
        losses = losses * w
    return _reduce(name, losses, reduction)


def max_margin_loss(
    scores: Any, targets: Any, parameters: Any = None, alpha: float = 1e-4
) -> Tensor:
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


# What a loss module used on its own calls its output (inside a model: its module path).
LOSS_NAMES = {
    "MSELoss": "mse",
    "BCELoss": "bce",
    "BCEWithLogitsLoss": "bce_with_logits",
    "CrossEntropyLoss": "cross_entropy",
    "NLLLoss": "nll",
}


class _Loss(Module):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """The loss, named ``mse`` / ``cross_entropy`` (or the module's path) for pictures."""
        out = super().__call__(*args, **kwargs)
        noun = LOSS_NAMES.get(type(self).__name__, type(self).__name__.lower())
        return out.name_new(self._prefix[:-1] or noun) if isinstance(out, Tensor) else out

    def __init__(self, reduction: str = "mean", **options: Any) -> None:
        super().__init__()
        reject_options(type(self).__name__, options, LOSS_TORCH_DEFAULTS)
        if not isinstance(reduction, str) or reduction not in _REDUCTIONS:
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


class _WeightedLoss(_Loss):
    """A loss with PyTorch's per-class ``weight`` (and the options of its subclass)."""

    def __init__(self, weight: Any = None, reduction: str = "mean", **options: Any) -> None:
        super().__init__(reduction, **options)
        self.weight = _constants(type(self).__name__, "weight", weight)

    def extra_repr(self) -> str:
        text = super().extra_repr()
        if self.weight is not None:
            text += (", " if text else "") + f"weight={self.weight.tolist()}"
        return text


class BCEWithLogitsLoss(_WeightedLoss):
    """Module form of :func:`binary_cross_entropy_with_logits` (input: logits).

    Example:
        >>> round(BCEWithLogitsLoss()(Tensor([0.0]), Tensor([1.0])).item(), 4)
        0.6931
        >>> round(BCEWithLogitsLoss(pos_weight=[2.0])(Tensor([0.0]), Tensor([1.0])).item(), 4)
        1.3863
    """

    def __init__(
        self, weight: Any = None, *, reduction: str = "mean", pos_weight: Any = None, **options: Any
    ) -> None:
        super().__init__(weight, reduction, **options)
        self.pos_weight = _constants("BCEWithLogitsLoss", "pos_weight", pos_weight)

    def forward(self, input: Any, target: Any) -> Tensor:
        return binary_cross_entropy_with_logits(
            input, target, self.weight, reduction=self.reduction, pos_weight=self.pos_weight
        )


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


__all__ = [
    "mse_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "max_margin_loss",
    "MSELoss",
    "BCELoss",
    "BCEWithLogitsLoss",
    "MarginLoss",
]
