"""Pooling: ``MaxPool1d/2d`` (one n-ary ``max`` node per output) and ``AvgPool1d/2d``.

Max-pool pads with a constant ``-inf`` leaf, so a padded position never wins and
never receives gradient. Ties send the gradient to the first maximum (the op
registry's rule). Average pooling counts padded zeros (PyTorch's default
``count_include_pad=True``) and is one ``dot`` node Σ x_i · (1/n) per output.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, as_tensor, as_value, ops
from autograd.value import apply
from nn.conv import as_tuple, check_input, spatial_output, windows
from nn.module import Module


def _pool(name: str, kind: str, x: Any, nd: int, kernel_size: Any, stride: Any,
          padding: Any) -> Tensor:
    x = as_tensor(x)
    check_input(name, x.shape, nd, None)
    kernel = as_tuple(kernel_size, nd, "kernel_size")
    stride = kernel if stride is None else as_tuple(stride, nd, "stride")
    padding = as_tuple(padding, nd, "padding")
    if any(2 * p > k for p, k in zip(padding, kernel)):
        raise ValueError(
            f"{name}: padding {padding} must be at most half the kernel size {kernel}"
        )
    dilation = (1,) * nd
    out_spatial = spatial_output(name, x.shape, nd, kernel, stride, padding, dilation)
    batched = x.ndim == nd + 2
    xb = x if batched else Tensor.wrap(x.values[None])
    fill = -float("inf") if kind == "max" else 0.0
    fields = windows(xb, nd, kernel, stride, padding, dilation, fill)
    # fields: (N, *out, C, *kernel) -> (N, C, positions, kernel volume)
    n_batch, channels = xb.shape[:2]
    order = (0, nd + 1) + tuple(range(1, nd + 1)) + tuple(range(nd + 2, 2 * nd + 2))
    fields = fields.transpose(order).reshape(n_batch, channels, -1, int(np.prod(kernel)))
    out = np.empty(fields.shape[:3], dtype=object)
    if kind == "max":
        op = ops.MAX
        for index in np.ndindex(out.shape):
            out[index] = apply(op, tuple(fields[index]))
    else:
        weight = as_value(1.0 / fields.shape[-1])
        weights = (weight,) * fields.shape[-1]
        for index in np.ndindex(out.shape):
            out[index] = apply(ops.DOT, tuple(fields[index]) + weights)
    out = out.reshape((n_batch, channels) + out_spatial)
    return Tensor.wrap(out if batched else out[0])


def max_pool1d(x: Any, kernel_size: int, stride: int | None = None, padding: int = 0) -> Tensor:
    """Max over windows of the last dim; x (C, L) or (N, C, L); stride defaults to kernel_size.

    Example:
        >>> max_pool1d(Tensor([[1.0, 3.0, 2.0, 0.0]]), 2).data.tolist()
        [[3.0, 2.0]]
    """
    return _pool("max_pool1d", "max", x, 1, kernel_size, stride, padding)


def max_pool2d(x: Any, kernel_size: int | tuple, stride: int | tuple | None = None,
               padding: int | tuple = 0) -> Tensor:
    """Max over 2-D windows; x (C, H, W) or (N, C, H, W); padded cells never win.

    Example:
        >>> x = Tensor([[[1.0, 2.0], [4.0, 3.0]]])
        >>> max_pool2d(x, 2).data.tolist(), max_pool2d(x, 2, padding=1).shape
        ([[[4.0]]], (1, 2, 2))
    """
    return _pool("max_pool2d", "max", x, 2, kernel_size, stride, padding)


def avg_pool1d(x: Any, kernel_size: int, stride: int | None = None, padding: int = 0) -> Tensor:
    """Mean over windows of the last dim (padded zeros count).

    Example:
        >>> avg_pool1d(Tensor([[1.0, 3.0, 2.0, 0.0]]), 2).data.tolist()
        [[2.0, 1.0]]
    """
    return _pool("avg_pool1d", "avg", x, 1, kernel_size, stride, padding)


def avg_pool2d(x: Any, kernel_size: int | tuple, stride: int | tuple | None = None,
               padding: int | tuple = 0) -> Tensor:
    """Mean over 2-D windows (padded zeros count, like PyTorch's default).

    Example:
        >>> avg_pool2d(Tensor([[[1.0, 2.0], [4.0, 3.0]]]), 2).data.tolist()
        [[[2.5]]]
    """
    return _pool("avg_pool2d", "avg", x, 2, kernel_size, stride, padding)


class _PoolNd(Module):
    nd, kind = 0, ""

    def __init__(self, kernel_size: int | tuple, stride: int | tuple | None = None,
                 padding: int | tuple = 0) -> None:
        super().__init__()
        self.kernel_size = as_tuple(kernel_size, self.nd, "kernel_size")
        self.stride = self.kernel_size if stride is None else as_tuple(stride, self.nd, "stride")
        self.padding = as_tuple(padding, self.nd, "padding")

    def forward(self, x: Any) -> Tensor:
        out = _pool(repr(self), self.kind, x, self.nd, self.kernel_size, self.stride,
                    self.padding)
        return self._named(out, "pool")

    def output_shape(self, input_shape: tuple) -> tuple:
        shape = tuple(input_shape)
        check_input(repr(self), shape, self.nd, None)
        spatial = spatial_output(repr(self), shape, self.nd, self.kernel_size, self.stride,
                                 self.padding, (1,) * self.nd)
        return shape[:-self.nd] + spatial

    @staticmethod
    def _short(values: tuple[int, ...]) -> str:
        return str(values[0]) if len(set(values)) == 1 else str(values)

    def summary_name(self) -> str:
        return (f"{type(self).__name__}(k={self._short(self.kernel_size)}, "
                f"s={self._short(self.stride)}, p={self._short(self.padding)})")

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxPool1d(_PoolNd):
    """Like ``torch.nn.MaxPool1d``.

    Example:
        >>> MaxPool1d(2)(Tensor([[1.0, 3.0, 2.0, 0.0]])).data.tolist()
        [[3.0, 2.0]]
    """

    nd, kind = 1, "max"


class MaxPool2d(_PoolNd):
    """Like ``torch.nn.MaxPool2d``.

    Example:
        >>> MaxPool2d(2, padding=1).output_shape((None, 32, 30, 30))
        (None, 32, 16, 16)
    """

    nd, kind = 2, "max"


class AvgPool1d(_PoolNd):
    """Like ``torch.nn.AvgPool1d`` (count_include_pad=True).

    Example:
        >>> AvgPool1d(2)(Tensor([[1.0, 3.0]])).data.tolist()
        [[2.0]]
    """

    nd, kind = 1, "avg"


class AvgPool2d(_PoolNd):
    """Like ``torch.nn.AvgPool2d`` (count_include_pad=True).

    Example:
        >>> AvgPool2d(2)(Tensor([[[1.0, 3.0], [5.0, 7.0]]])).data.tolist()
        [[[4.0]]]
    """

    nd, kind = 2, "avg"


__all__ = ["max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d", "MaxPool1d", "MaxPool2d",
           "AvgPool1d", "AvgPool2d"]
