"""Pooling: ``MaxPool1d/2d`` (one n-ary ``max`` node per output) and ``AvgPool1d/2d``.

Max-pool pads with a constant ``-inf`` leaf, so a padded position never wins and
never receives gradient; ``dilation`` spreads the window's taps apart. Ties send
the gradient to the first maximum (the op registry's rule). Average pooling is
one ``dot`` node Σ x_i · (1/n) per output; n counts the padded zeros
(PyTorch's default ``count_include_pad=True``) or only the input cells
(``count_include_pad=False``). With ``ceil_mode`` a last, partial window is
kept, as in PyTorch; its cells beyond the padding never count.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, as_tensor, as_value, ops
from autograd.value import apply
from nn.module import Module
from nn.options import reject_options
from nn.windows import as_tuple, check_input, padding_pairs, short, spatial_output, windows


def _geometry(
    name: str, nd: int, kernel_size: Any, stride: Any, padding: Any, dilation: Any
) -> tuple[tuple, tuple, tuple, tuple]:
    """Checked kernel, stride (the kernel when None), padding and dilation tuples."""
    kernel = as_tuple(kernel_size, nd, "kernel_size", name, 1)
    stride = kernel if stride is None else as_tuple(stride, nd, "stride", name, 1)
    padding = as_tuple(padding, nd, "padding", name, 0)
    dilation = as_tuple(dilation, nd, "dilation", name, 1)
    if any(2 * p > k for p, k in zip(padding, kernel)):
        raise ValueError(f"{name}: padding {padding} must be at most half the kernel size {kernel}")
    return kernel, stride, padding, dilation


def _divisors(
    x_spatial: tuple,
    out_spatial: tuple,
    kernel: tuple,
    stride: tuple,
    padding: tuple,
    count_include_pad: bool,
) -> np.ndarray:
    """How many cells each average divides by, PyTorch's rule, shape ``out_spatial``."""
    divisor = np.ones(())
    for n, size, k, s, p in zip(x_spatial, out_spatial, kernel, stride, padding):
        start = np.arange(size) * s - p
        end = np.minimum(start + k, n + p)  # a ceil_mode window stops at the padding
        counted = end - start if count_include_pad else np.minimum(end, n) - np.maximum(start, 0)
        divisor = np.multiply.outer(divisor, counted)
    return divisor


def _pool(
    name: str,
    kind: str,
    x: Any,
    nd: int,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    dilation: Any = 1,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> Tensor:
    x = as_tensor(x)
    check_input(name, x.shape, nd, None)
    kernel, stride, padding, dilation = _geometry(name, nd, kernel_size, stride, padding, dilation)
    pairs = tuple((p, p) for p in padding)
    out_spatial = spatial_output(
        name, x.shape, nd, kernel, stride, pairs, dilation, bool(ceil_mode)
    )
    # a ceil_mode window may run past the padding: pad that overhang too (it never counts)
    pairs = tuple(
        (p, max(p, (o - 1) * s + d * (k - 1) + 1 - n - p))
        for n, o, s, d, k, p in zip(x.shape[-nd:], out_spatial, stride, dilation, kernel, padding)
    )
    batched = x.ndim == nd + 2
    xb = x if batched else Tensor.wrap(x.values[None])
    fill = -float("inf") if kind == "max" else 0.0
    fields = windows(xb, nd, kernel, stride, pairs, dilation, fill)
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
        divisors = _divisors(
            x.shape[-nd:], out_spatial, kernel, stride, padding, count_include_pad
        ).ravel()
        weights = {d: (as_value(1.0 / d),) * fields.shape[-1] for d in set(divisors.tolist())}
        for index in np.ndindex(out.shape):
            out[index] = apply(ops.DOT, tuple(fields[index]) + weights[divisors[index[2]]])
    out = out.reshape((n_batch, channels) + out_spatial)
    return Tensor.wrap(out if batched else out[0])


def max_pool1d(
    x: Any,
    kernel_size: int,
    stride: int | None = None,
    padding: int = 0,
    dilation: int = 1,
    ceil_mode: bool = False,
    **options: Any,
) -> Tensor:
    """Max over windows of the last dim; x (C, L) or (N, C, L); stride defaults to kernel_size.

    Example:
        >>> max_pool1d(Tensor([[1.0, 3.0, 2.0, 0.0]]), 2).data.tolist()
        [[3.0, 2.0]]
        >>> max_pool1d(Tensor([[1.0, 3.0, 2.0]]), 2, ceil_mode=True).data.tolist()
        [[3.0, 2.0]]
    """
    reject_options("max_pool1d", options, MAX_TORCH_DEFAULTS)
    return _pool("max_pool1d", "max", x, 1, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool2d(
    x: Any,
    kernel_size: int | tuple,
    stride: int | tuple | None = None,
    padding: int | tuple = 0,
    dilation: int | tuple = 1,
    ceil_mode: bool = False,
    **options: Any,
) -> Tensor:
    """Max over 2-D windows; x (C, H, W) or (N, C, H, W); padded cells never win.

    Example:
        >>> x = Tensor([[[1.0, 2.0], [4.0, 3.0]]])
        >>> max_pool2d(x, 2).data.tolist(), max_pool2d(x, 2, padding=1).shape
        ([[[4.0]]], (1, 2, 2))
    """
    reject_options("max_pool2d", options, MAX_TORCH_DEFAULTS)
    return _pool("max_pool2d", "max", x, 2, kernel_size, stride, padding, dilation, ceil_mode)


def avg_pool1d(
    x: Any,
    kernel_size: int,
    stride: int | None = None,
    padding: int = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> Tensor:
    """Mean over windows of the last dim (padded zeros count unless ``count_include_pad=False``).

    Example:
        >>> avg_pool1d(Tensor([[1.0, 3.0, 2.0, 0.0]]), 2).data.tolist()
        [[2.0, 1.0]]
        >>> avg_pool1d(Tensor([[2.0, 4.0]]), 2, padding=1, count_include_pad=False).data.tolist()
        [[2.0, 4.0]]
    """
    return _pool(
        "avg_pool1d", "avg", x, 1, kernel_size, stride, padding, 1, ceil_mode, count_include_pad
    )


def avg_pool2d(
    x: Any,
    kernel_size: int | tuple,
    stride: int | tuple | None = None,
    padding: int | tuple = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    **options: Any,
) -> Tensor:
    """Mean over 2-D windows (padded zeros count, like PyTorch's default).

    Example:
        >>> avg_pool2d(Tensor([[[1.0, 2.0], [4.0, 3.0]]]), 2).data.tolist()
        [[[2.5]]]
    """
    reject_options("avg_pool2d", options, AVG2D_TORCH_DEFAULTS)
    return _pool(
        "avg_pool2d", "avg", x, 2, kernel_size, stride, padding, 1, ceil_mode, count_include_pad
    )


MAX_TORCH_DEFAULTS = {"return_indices": False}
AVG2D_TORCH_DEFAULTS = {"divisor_override": None}


class _PoolNd(Module):
    nd, kind = 0, ""

    def _setup(
        self,
        kernel_size: Any,
        stride: Any,
        padding: Any,
        dilation: Any,
        ceil_mode: bool,
        count_include_pad: bool,
        options: dict,
        torch_defaults: dict,
    ) -> None:
        name = type(self).__name__
        reject_options(name, options, torch_defaults)
        self.kernel_size, self.stride, self.padding, self.dilation = _geometry(
            name, self.nd, kernel_size, stride, padding, dilation
        )
        self.ceil_mode, self.count_include_pad = bool(ceil_mode), bool(count_include_pad)

    def forward(self, x: Any) -> Tensor:
        out = _pool(
            repr(self),
            self.kind,
            x,
            self.nd,
            self.kernel_size,
            self.stride,
            self.padding,
            self.dilation,
            self.ceil_mode,
            self.count_include_pad,
        )
        return self._named(out, "pool")

    def output_shape(self, input_shape: tuple) -> tuple:
        shape = tuple(input_shape)
        check_input(repr(self), shape, self.nd, None)
        pairs = padding_pairs(
            repr(self), self.padding, self.nd, self.kernel_size, self.dilation, self.stride
        )
        spatial = spatial_output(
            repr(self),
            shape,
            self.nd,
            self.kernel_size,
            self.stride,
            pairs,
            self.dilation,
            self.ceil_mode,
        )
        return shape[: -self.nd] + spatial

    def _options(self) -> str:
        text = ", ceil_mode=True" if self.ceil_mode else ""
        if any(d != 1 for d in self.dilation):
            text += f", dilation={self.dilation}"
        return text + ("" if self.count_include_pad else ", count_include_pad=False")

    def summary_name(self) -> str:
        return (
            f"{type(self).__name__}(k={short(self.kernel_size)}, "
            f"s={short(self.stride)}, p={short(self.padding)}{self._options()})"
        )

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, "
            f"padding={self.padding}{self._options()}"
        )


class _MaxPoolNd(_PoolNd):
    kind = "max"

    def __init__(
        self,
        kernel_size: int | tuple,
        stride: int | tuple | None = None,
        padding: int | tuple = 0,
        dilation: int | tuple = 1,
        return_indices: bool = False,
        ceil_mode: bool = False,
        **options: Any,
    ) -> None:
        super().__init__()
        options["return_indices"] = return_indices
        self._setup(
            kernel_size, stride, padding, dilation, ceil_mode, True, options, MAX_TORCH_DEFAULTS
        )


class _AvgPoolNd(_PoolNd):
    kind = "avg"

    def __init__(
        self,
        kernel_size: int | tuple,
        stride: int | tuple | None = None,
        padding: int | tuple = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        **options: Any,
    ) -> None:
        super().__init__()
        defaults = AVG2D_TORCH_DEFAULTS if self.nd == 2 else {}
        self._setup(
            kernel_size, stride, padding, 1, ceil_mode, count_include_pad, options, defaults
        )


class MaxPool1d(_MaxPoolNd):
    """Like ``torch.nn.MaxPool1d`` (``dilation`` and ``ceil_mode`` too; no ``return_indices``).

    Example:
        >>> MaxPool1d(2)(Tensor([[1.0, 3.0, 2.0, 0.0]])).data.tolist()
        [[3.0, 2.0]]
        >>> MaxPool1d(2, stride=1, dilation=2)(Tensor([[1.0, 3.0, 2.0, 0.0]])).data.tolist()
        [[2.0, 3.0]]
    """

    nd = 1


class MaxPool2d(_MaxPoolNd):
    """Like ``torch.nn.MaxPool2d``.

    Example:
        >>> MaxPool2d(2, padding=1).output_shape((None, 32, 30, 30))
        (None, 32, 16, 16)
        >>> MaxPool2d(2, ceil_mode=True).output_shape((None, 32, 5, 5))
        (None, 32, 3, 3)
    """

    nd = 2


class AvgPool1d(_AvgPoolNd):
    """Like ``torch.nn.AvgPool1d`` (``ceil_mode``, ``count_include_pad``).

    Example:
        >>> AvgPool1d(2)(Tensor([[1.0, 3.0]])).data.tolist()
        [[2.0]]
        >>> AvgPool1d(2, padding=1, count_include_pad=False)(Tensor([[1.0, 3.0]])).data.tolist()
        [[1.0, 3.0]]
    """

    nd = 1


class AvgPool2d(_AvgPoolNd):
    """Like ``torch.nn.AvgPool2d`` (no ``divisor_override``).

    Example:
        >>> AvgPool2d(2)(Tensor([[[1.0, 3.0], [5.0, 7.0]]])).data.tolist()
        [[[4.0]]]
    """

    nd = 2


__all__ = [
    "max_pool1d",
    "max_pool2d",
    "avg_pool1d",
    "avg_pool2d",
    "MaxPool1d",
    "MaxPool2d",
    "AvgPool1d",
    "AvgPool2d",
]
