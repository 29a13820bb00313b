"""``LayerNorm``: normalise over the trailing dims, then scale and shift."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, as_tensor
from nn.module import Module, Parameter
from nn.options import TORCH_COMMON, reject_options


class LayerNorm(Module):
    """y = (x - mean) / sqrt(var + eps) * weight + bias over the last ``normalized_shape`` dims.

    The variance is the biased one (divide by n), as PyTorch uses.

    Example:
        >>> ln = LayerNorm(2)
        >>> [round(v, 4) for v in ln(Tensor([1.0, 3.0])).data.tolist()]
        [-1.0, 1.0]
    """

    def __init__(
        self,
        normalized_shape: int | tuple[int, ...],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        **options: Any,
    ) -> None:
        super().__init__()
        reject_options("LayerNorm", options, TORCH_COMMON)
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape
        self.normalized_shape, self.eps = tuple(shape), eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(np.ones(self.normalized_shape))
            self.register_parameter(
                "bias", Parameter(np.zeros(self.normalized_shape)) if bias else None
            )
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def _check(self, shape: tuple) -> None:
        k = len(self.normalized_shape)
        tail = tuple(shape[-k:]) if len(shape) >= k else None
        if tail != self.normalized_shape:
            raise ValueError(
                f"{self!r}: expected input whose last dims are {self.normalized_shape}, "
                f"received shape {tuple(shape)}"
            )

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        self._check(x.shape)
        axes = tuple(range(x.ndim - len(self.normalized_shape), x.ndim))
        centred = x - x.mean(axis=axes, keepdims=True)
        variance = (centred * centred).mean(axis=axes, keepdims=True)
        y = centred / (variance + self.eps).sqrt()
        if self.weight is not None:
            y = y * self.weight
        if self.bias is not None:
            y = y + self.bias
        return self._named(y, "norm")  # norm1.out: what a picture calls it

    def output_shape(self, input_shape: tuple) -> tuple:
        self._check(tuple(input_shape))
        return tuple(input_shape)

    def summary_name(self) -> str:
        return f"LayerNorm({', '.join(map(str, self.normalized_shape))})"

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
        )


__all__ = ["LayerNorm"]
