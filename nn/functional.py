"""Functional forms of the nn layers, like ``torch.nn.functional``.

Convolution, pooling and losses live with their modules (``conv.py``, ``pool.py``,
``loss.py``) and are gathered here; the activations are one-liners over Tensor
methods. The attention functions come from ``nn.attention``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, as_tensor, where
from autograd import linear as linear
from autograd.tensors.selection import whole_numbers
from nn import init
from nn.activation import softplus
from nn.conv import conv1d, conv2d, conv_matrix, conv_output_size, conv_toeplitz, im2col
from nn.cross_entropy import cross_entropy, nll_loss
from nn.loss import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    max_margin_loss,
    mse_loss,
)
from nn.pool import avg_pool1d, avg_pool2d, max_pool1d, max_pool2d


def relu(x: Any) -> Tensor:
    """max(0, x) elementwise.

    Example:
        >>> relu(Tensor([-1.0, 2.0])).data.tolist()
        [0.0, 2.0]
    """
    return as_tensor(x).relu()


def tanh(x: Any) -> Tensor:
    """tanh elementwise.

    Example:
        >>> tanh(Tensor([0.0])).data.tolist()
        [0.0]
    """
    return as_tensor(x).tanh()


def sigmoid(x: Any) -> Tensor:
    """1 / (1 + e^-x) elementwise.

    Example:
        >>> sigmoid(Tensor([0.0])).data.tolist()
        [0.5]
    """
    return as_tensor(x).sigmoid()


def elu(x: Any, alpha: float = 1.0) -> Tensor:
    """x if x > 0 else alpha (e^x - 1).

    Example:
        >>> elu(Tensor([1.0])).data.tolist()
        [1.0]
    """
    return as_tensor(x).elu(alpha)


def leaky_relu(x: Any, negative_slope: float = 0.01) -> Tensor:
    """x if x > 0 else negative_slope * x.

    Example:
        >>> leaky_relu(Tensor([-1.0]), 0.1).data.tolist()
        [-0.1]
    """
    return as_tensor(x).leaky_relu(negative_slope)


def gelu(x: Any, approximate: str = "none") -> Tensor:
    """x·Φ(x) = x (1 + erf(x/√2))/2 (PyTorch's default); ``approximate="tanh"`` too.

    Example:
        >>> [round(v, 6) for v in gelu(Tensor([-1.0, 1.0])).data.tolist()]
        [-0.158655, 0.841345]
    """
    return as_tensor(x).gelu(approximate)


def silu(x: Any) -> Tensor:
    """x·σ(x) elementwise.

    Example:
        >>> round(silu(Tensor([1.0])).item(), 6)
        0.731059
    """
    return as_tensor(x).silu()


def one_hot(tensor: Any, num_classes: int = -1) -> Tensor:
    """Class indices (whole numbers) as rows of 0s and a 1: shape ``(*, num_classes)``,
    constants (no gradient); ``num_classes=-1`` takes the largest index + 1.

    Example:
        >>> one_hot([0, 2], num_classes=3).data.tolist()
        [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    """
    index = whole_numbers("one_hot", tensor)
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)):
        raise TypeError(f"one_hot: num_classes must be an int, got {num_classes!r:.40}")
    if num_classes == -1:
        if index.size == 0:
            raise ValueError("one_hot: cannot infer num_classes from an empty input; give it")
        num_classes = int(index.max()) + 1
    if index.size and (index.min() < 0 or index.max() >= num_classes):
        raise ValueError(
            f"one_hot: class indices must be in [0, {num_classes}), got values from "
            f"{index.min()} to {index.max()}"
        )
    return Tensor(np.eye(num_classes)[index])


def softmax(x: Any, dim: int = -1) -> Tensor:
    """Stable softmax along ``dim``.

    Example:
        >>> softmax(Tensor([0.0, 0.0])).data.tolist()
        [0.5, 0.5]
    """
    return as_tensor(x).softmax(dim)


def log_softmax(x: Any, dim: int = -1) -> Tensor:
    """Stable log-softmax along ``dim``.

    Example:
        >>> [round(v, 4) for v in log_softmax(Tensor([0.0, 0.0])).data.tolist()]
        [-0.6931, -0.6931]
    """
    return as_tensor(x).log_softmax(dim)


def dropout(
    x: Any,
    p: float = 0.5,
    training: bool = True,
    rescale: bool = True,
    rng: np.random.Generator | None = None,
) -> Tensor:
    """Zero each element with probability p; kept ones scaled by 1/(1-p) if ``rescale``.

    Example:
        >>> dropout(Tensor([1.0, 2.0]), 0.5, training=False).data.tolist()
        [1.0, 2.0]
        >>> dropout(Tensor([1.0, 2.0]), 1.0).data.tolist()
        [0.0, 0.0]
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: p must be in [0, 1], got {p}")
    x = as_tensor(x)
    if not training or p == 0.0:
        return x
    keep = init.get_rng(rng).random(x.shape) >= p
    if rescale and p < 1.0:
        return where(keep, x * (1.0 / (1.0 - p)), 0.0)
    return where(keep, x, 0.0)


# Attention lives in nn/attention.py (written with the recurrent layers); re-exported here.
from nn.attention import (  # noqa: E402
    argmax_attention,
    causal_mask,
    local_mask,
    scaled_dot_product_attention,
)

__all__ = [
    "linear",
    "relu",
    "tanh",
    "sigmoid",
    "elu",
    "leaky_relu",
    "gelu",
    "silu",
    "softplus",
    "one_hot",
    "softmax",
    "log_softmax",
    "dropout",
    "conv_output_size",
    "conv1d",
    "conv2d",
    "conv_matrix",
    "im2col",
    "conv_toeplitz",
    "max_pool1d",
    "max_pool2d",
    "avg_pool1d",
    "avg_pool2d",
    "mse_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "nll_loss",
    "max_margin_loss",
    "scaled_dot_product_attention",
    "causal_mask",
    "local_mask",
    "argmax_attention",
]
