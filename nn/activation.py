"""Activation modules: one node per element through the op registry (Softmax composes)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, as_tensor, where
from nn.module import Module
from nn.options import reject_options

INPLACE = {"inplace": False}  # PyTorch's in-place flag: only its default is accepted


class _Elementwise(Module):
    """Base of the shape-preserving activations."""

    torch_defaults: dict[str, Any] = {}

    def __init__(self, **options: Any) -> None:
        super().__init__()
        reject_options(type(self).__name__, options, self.torch_defaults)

    def output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    def summary_name(self) -> str:
        return type(self).__name__


class ReLU(_Elementwise):
    """max(0, x) elementwise (derivative 0 at x = 0, like PyTorch).

    Example:
        >>> ReLU()(Tensor([-1.0, 2.0])).data.tolist()
        [0.0, 2.0]
    """

    torch_defaults = INPLACE

    def forward(self, x: Any) -> Tensor:
        return self._named(as_tensor(x).relu(), type(self).__name__.lower())


class Tanh(_Elementwise):
    """tanh(x) elementwise.

    Example:
        >>> Tanh()(Tensor([0.0])).data.tolist()
        [0.0]
    """

    def forward(self, x: Any) -> Tensor:
        return self._named(as_tensor(x).tanh(), type(self).__name__.lower())


class Sigmoid(_Elementwise):
    """1 / (1 + e^-x) elementwise.

    Example:
        >>> Sigmoid()(Tensor([0.0])).data.tolist()
        [0.5]
    """

    def forward(self, x: Any) -> Tensor:
        return self._named(as_tensor(x).sigmoid(), type(self).__name__.lower())


class ELU(_Elementwise):
    """x for x > 0, alpha (e^x - 1) otherwise.

    Example:
        >>> round(ELU(alpha=2.0)(Tensor([-1.0])).item(), 4)
        -1.2642
    """

    torch_defaults = INPLACE

    def __init__(self, alpha: float = 1.0, **options: Any) -> None:
        super().__init__(**options)
        self.alpha = alpha

    def forward(self, x: Any) -> Tensor:
        return self._named(as_tensor(x).elu(self.alpha), type(self).__name__.lower())

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class LeakyReLU(_Elementwise):
    """x for x > 0, negative_slope * x otherwise.

    Example:
        >>> LeakyReLU(0.1)(Tensor([-2.0, 3.0])).data.tolist()
        [-0.2, 3.0]
    """

    torch_defaults = INPLACE

    def __init__(self, negative_slope: float = 0.01, **options: Any) -> None:
        super().__init__(**options)
        self.negative_slope = negative_slope

    def forward(self, x: Any) -> Tensor:
        return self._named(
            as_tensor(x).leaky_relu(self.negative_slope), type(self).__name__.lower()
        )

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class GELU(_Elementwise):
    """x·Φ(x), PyTorch's default erf form; ``approximate="tanh"`` for the tanh form.
    Composed of ``mul``, ``erf`` (or ``tanh``) and ``add`` nodes.

    Example:
        >>> round(GELU()(Tensor([1.0])).item(), 6), GELU(approximate="tanh")
        (0.841345, GELU(approximate='tanh'))
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, x: Any) -> Tensor:
        return self._named(as_tensor(x).gelu(self.approximate), type(self).__name__.lower())

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class SiLU(_Elementwise):
    """x·σ(x) (swish), composed of ``sigmoid`` and ``mul`` nodes.

    Example:
        >>> round(SiLU()(Tensor([1.0])).item(), 6)
        0.731059
    """

    torch_defaults = INPLACE

    def forward(self, x: Any) -> Tensor:
        return self._named(as_tensor(x).silu(), type(self).__name__.lower())


class Softplus(_Elementwise):
    """log(1 + e^(βx))/β, and x itself where βx > ``threshold``, as :func:`softplus`.

    Example:
        >>> Softplus(beta=2.0)(Tensor([0.0, 30.0])).data.round(4).tolist()
        [0.3466, 30.0]
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, x: Any) -> Tensor:
        return self._named(softplus(x, self.beta, self.threshold), type(self).__name__.lower())

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


def softplus(x: Any, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + e^(βx))/β, and x itself where βx > ``threshold``, as PyTorch's.

    The log part is the exact ``softplus`` node (after a ``mul`` by β and before a
    ``div`` by β when β ≠ 1); above the threshold the input element is picked as it is.

    Example:
        >>> softplus(Tensor([0.0, 30.0])).data.round(4).tolist()
        [0.6931, 30.0]
        >>> softplus(Tensor([1.0]), beta=2.0, threshold=1.0).item()
        1.0
    """
    for name, value in (("beta", beta), ("threshold", threshold)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
            raise TypeError(f"softplus: {name} must be a number, got {value!r:.40}")
    t = as_tensor(x)
    scaled = t if beta == 1 else t * float(beta)
    smooth = scaled.softplus() if beta == 1 else scaled.softplus() / float(beta)
    return where(scaled.data > threshold, t, smooth)


class Softmax(_Elementwise):
    """exp(x_i) / Σ_j exp(x_j) along ``dim`` (stable: the row max is subtracted first).

    Example:
        >>> Softmax(dim=-1)(Tensor([0.0, 0.0])).data.tolist()
        [0.5, 0.5]
    """

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Any) -> Tensor:
        return self._named(as_tensor(x).softmax(self.dim), type(self).__name__.lower())

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


__all__ = ["ReLU", "Tanh", "Sigmoid", "ELU", "LeakyReLU", "GELU", "SiLU", "Softplus", "Softmax"]
