"""Class losses: ``cross_entropy``/``CrossEntropyLoss`` and ``nll_loss``/``NLLLoss``.

PyTorch's options: ``weight`` (one constant per class), ``ignore_index``,
``label_smoothing`` and probability targets (cross-entropy), and K-dimensional
inputs (N, C, d1, ..., dK) with targets (N, d1, ..., dK). A ``mean`` divides by
the summed weights of the kept targets, as PyTorch does. Without options the
graph is the homework's: ``-mean`` of the chosen log-probabilities.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, as_tensor, where
from nn.loss import (
    LOSS_TORCH_DEFAULTS,
    _check_reduction,
    _constants,
    _reduce,
    _WeightedLoss,
)
from nn.options import reject_options


def _classes_last(name: str, input: Tensor) -> Tensor:
    """Scores (C,), (N, C) or (N, C, d1, ..., dK) with the class axis moved last."""
    if input.ndim < 1 or input.shape[-1 if input.ndim == 1 else 1] < 1:
        raise ValueError(
            f"{name}: expected input of shape (C,), (N, C) or (N, C, d1, ..., dK) with C >= 1, "
            f"received shape {input.shape}"
        )
    return input if input.ndim <= 2 else Tensor.wrap(np.moveaxis(input.values, 1, -1))


def _class_indices(
    name: str, input: Tensor, target: Any, ignore_index: int, probabilities: bool
) -> np.ndarray:
    """Integer targets checked against the input; shape (), (N,) or (N, d1, ..., dK).

    ``probabilities`` says whether the loss also takes probability targets (for the message).
    """
    raw = target.data if isinstance(target, Tensor) else np.asarray(target)
    shape = _index_shape(input)
    alternative = f" or {input.shape} (probabilities)" if probabilities else ""
    if raw.dtype.kind not in "iuf" or (raw.dtype.kind == "f" and (raw != np.round(raw)).any()):
        raise TypeError(
            f"{name}: target must hold class indices (ints) of shape {shape}{alternative}; "
            f"received {raw!r:.60}"
        )
    idx = raw.astype(int)
    if idx.shape != shape:
        raise ValueError(
            f"{name}: expected target of shape {shape} (class indices){alternative}, received "
            f"shape {idx.shape} for input of shape {input.shape}"
        )
    classes = input.shape[0 if input.ndim == 1 else 1]
    bad = (idx != ignore_index) & ((idx < 0) | (idx >= classes))
    if bad.any():
        raise IndexError(
            f"{name}: class indices must be in [0, {classes}) or equal ignore_index="
            f"{ignore_index}, received {idx[bad].tolist()}"
        )
    return idx


def _index_shape(input: Tensor) -> tuple[int, ...]:
    return () if input.ndim == 1 else input.shape[:1] + input.shape[2:]


def _nll(
    name: str,
    scores: Tensor,
    idx: np.ndarray,
    w: np.ndarray | None,
    ignore_index: int,
    reduction: str,
) -> Tensor:
    """-w[y] scores[y] per element (classes last); a mean divides by the kept weights."""
    kept = idx != ignore_index
    safe = np.where(kept, idx, 0)
    picked = Tensor.wrap(np.take_along_axis(scores.values, safe[..., None], -1)[..., 0])
    if w is None and kept.all():  # the plain case: -mean of the chosen log-probabilities
        return -picked if reduction == "none" else -_reduce(name, picked, reduction)
    coeff = np.where(kept, 1.0 if w is None else w[safe], 0.0)
    losses = where(kept, picked * -coeff, 0.0)  # ignored elements: a constant 0
    if reduction == "mean":
        return losses.sum() / float(coeff.sum())  # no kept element: 0/0 = nan, as PyTorch
    return _reduce(name, losses, reduction)


def nll_loss(
    input: Any,
    target: Any,
    weight: Any = None,
    *,
    ignore_index: int = -100,
    reduction: str = "mean",
    **options: Any,
) -> Tensor:
    """-w[t_n] input[n, t_n], averaged over n by Σ w[t_n]; input holds log-probabilities.

    Input (C,), (N, C) or (N, C, d1, ..., dK); target (), (N,) or (N, d1, ..., dK).
    ``weight`` has one entry per class; targets equal to ``ignore_index`` add nothing.

    Example:
        >>> nll_loss(Tensor([[-1.0, -2.0], [-3.0, -4.0]]), [1, 0]).item()
        2.5
        >>> nll_loss(Tensor([[-1.0, -2.0], [-3.0, -4.0]]), [1, 0], weight=[1.0, 3.0]).item()
        2.25
    """
    name = "nll_loss"
    reject_options(name, options, LOSS_TORCH_DEFAULTS)
    input = as_tensor(input)
    _check_reduction(name, reduction)
    scores = _classes_last(name, input)
    w = _constants(name, "weight", weight, (scores.shape[-1],))
    idx = _class_indices(name, input, target, ignore_index, probabilities=False)
    return _nll(name, scores, idx, w, ignore_index, reduction)


def cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    *,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
    **options: Any,
) -> Tensor:
    """-log softmax(logits)[target], from logits (C,), (N, C) or (N, C, d1, ..., dK).

    ``target`` holds class indices, or probabilities of the input's shape.
    ``label_smoothing`` e mixes the target with the uniform distribution:
    (1 - e) one_hot + e / C. ``weight`` and ``ignore_index`` as in :func:`nll_loss`.

    Example:
        >>> round(cross_entropy(Tensor([[0.0, 0.0]]), [1]).item(), 4)
        0.6931
        >>> round(cross_entropy(Tensor([1000.0, 0.0]), 1).item(), 1)
        1000.0
        >>> round(cross_entropy(Tensor([0.0, 0.0]), Tensor([0.25, 0.75])).item(), 4)
        0.6931
    """
    name = "cross_entropy"
    reject_options(name, options, LOSS_TORCH_DEFAULTS)
    input = as_tensor(input)
    _check_reduction(name, reduction)
    if not (isinstance(label_smoothing, (int, float)) and 0.0 <= label_smoothing <= 1.0):
        raise ValueError(f"{name}: label_smoothing must be in [0, 1], got {label_smoothing!r}")
    scores = _classes_last(name, input)
    classes = scores.shape[-1]
    w = _constants(name, "weight", weight, (classes,))
    logp = scores.log_softmax(axis=-1)  # (..., C)
    raw = target.data if isinstance(target, Tensor) else np.asarray(target)
    if raw.shape == input.shape:  # probability targets
        if raw.dtype.kind != "f":
            raise TypeError(f"{name}: probability targets must be floats, got dtype {raw.dtype}")
        # A Tensor target stays in the graph: d loss / d target = -log p (PyTorch's rule).
        probs = target.values if isinstance(target, Tensor) else raw
        probs = probs if input.ndim <= 2 else np.moveaxis(probs, 1, -1)
        if isinstance(target, Tensor):
            probs = Tensor.wrap(np.ascontiguousarray(probs))
        if label_smoothing != 0.0:
            probs = probs * (1.0 - label_smoothing) + label_smoothing / classes
        losses = -(logp * (probs if w is None else probs * w)).sum(axis=-1)
        return _reduce(name, losses, reduction)
    idx = _class_indices(name, input, target, ignore_index, probabilities=True)
    nll = _nll(name, logp, idx, w, ignore_index, reduction)
    if label_smoothing == 0.0:
        return nll
    # the uniform part: -Σ_c w_c log p_c per element, reduced like the nll part
    kept = idx != ignore_index
    smooth = where(kept, -(logp if w is None else logp * w).sum(axis=-1), 0.0)
    if reduction == "mean":
        total = w[np.where(kept, idx, 0)][kept].sum() if w is not None else kept.sum()
        smooth = smooth.sum() / float(total)
    else:
        smooth = _reduce(name, smooth, reduction)
    return nll * (1.0 - label_smoothing) + smooth * (label_smoothing / classes)


class CrossEntropyLoss(_WeightedLoss):
    """Module form of :func:`cross_entropy` (logits; class indices or probabilities).

    Example:
        >>> round(CrossEntropyLoss()(Tensor([[2.0, 0.0]]), [0]).item(), 4)
        0.1269
        >>> loss = CrossEntropyLoss(ignore_index=0, label_smoothing=0.1)
        >>> round(loss(Tensor([[2.0, 0.0], [0.0, 2.0]]), [0, 1]).item(), 4)
        0.2269
    """

    def __init__(
        self,
        weight: Any = None,
        *,
        ignore_index: int = -100,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
        **options: Any,
    ) -> None:
        super().__init__(weight, reduction, **options)
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing

    def forward(self, input: Any, target: Any) -> Tensor:
        return cross_entropy(
            input,
            target,
            self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class NLLLoss(_WeightedLoss):
    """Module form of :func:`nll_loss` (log-probabilities and class indices).

    Example:
        >>> NLLLoss()(Tensor([-1.0, -2.0]), 0).item()
        1.0
    """

    def __init__(
        self,
        weight: Any = None,
        *,
        ignore_index: int = -100,
        reduction: str = "mean",
        **options: Any,
    ) -> None:
        super().__init__(weight, reduction, **options)
        self.ignore_index = ignore_index

    def forward(self, input: Any, target: Any) -> Tensor:
        return nll_loss(
            input, target, self.weight, ignore_index=self.ignore_index, reduction=self.reduction
        )


__all__ = ["cross_entropy", "nll_loss", "CrossEntropyLoss", "NLLLoss"]
