"""Convolution: ``Conv1d``, ``Conv2d`` and their functional forms, one ``dot`` node per output.

Each output element is a single n-ary node over its receptive field, with parents
``(w_1..w_n, x_1..x_n, b)``: z_i = k1 x_i + k2 x_{i+1} + k3 x_{i+2} + b, exactly as
the homework draws a convolution. Like PyTorch this is cross-correlation (the kernel
is not flipped); weights are (out_channels, in_channels, k) or (out, in, kh, kw).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, as_tensor, ops
from autograd.value import apply
from nn import init
from nn.module import Module, Parameter
from nn.options import TORCH_COMMON, check_choice, check_int, reject_options
from nn.windows import (
    PADDING_MODES,
    as_tuple,
    check_input,
    conv_output_size,
    padding_pairs,
    short,
    spatial_output,
    windows,
)

_ints = (int, np.integer)
CONV_TORCH_DEFAULTS = dict(TORCH_COMMON)


def _geometry(
    name: str, nd: int, kernel: Any, stride: Any, padding: Any, dilation: Any
) -> tuple[tuple, tuple, tuple, tuple]:
    """Checked (kernel, stride, (before, after) pairs, dilation) tuples."""
    kernel = as_tuple(kernel, nd, "kernel_size", name, 1)
    stride = as_tuple(stride, nd, "stride", name, 1)
    dilation = as_tuple(dilation, nd, "dilation", name, 1)
    return kernel, stride, padding_pairs(name, padding, nd, kernel, dilation, stride), dilation


def _conv(
    name: str,
    x: Any,
    weight: Any,
    bias: Any,
    nd: int,
    stride: Any,
    padding: Any,
    dilation: Any,
    groups: Any = 1,
    padding_mode: str = "zeros",
) -> Tensor:
    x, weight = as_tensor(x), as_tensor(weight)
    if weight.ndim != nd + 2:
        raise ValueError(
            f"{name}: weight must have {nd + 2} dims (out_channels, in_channels/groups, "
            f"kernel...), received shape {weight.shape}"
        )
    groups = check_int(name, "groups", groups, 1)
    out_channels, group_in, *kernel = weight.shape
    if out_channels % groups:
        raise ValueError(
            f"{name}: out_channels {out_channels} (weight shape {weight.shape}) must be "
            f"divisible by groups={groups}"
        )
    check_input(name, x.shape, nd, group_in * groups)
    kernel, stride, pairs, dilation = _geometry(name, nd, tuple(kernel), stride, padding, dilation)
    out_spatial = spatial_output(name, x.shape, nd, kernel, stride, pairs, dilation)
    batched = x.ndim == nd + 2
    xb = x if batched else Tensor.wrap(x.values[None])
    fields = windows(xb, nd, kernel, stride, pairs, dilation, 0.0, padding_mode, name)
    n_batch, positions = xb.shape[0], int(np.prod(out_spatial))
    fields = fields.reshape(n_batch, positions, groups, -1)  # (N, positions, G, C/G * kvol)
    kernels = [tuple(row) for row in weight.values.reshape(out_channels, -1)]
    if bias is not None:
        bias = as_tensor(bias)
        if bias.shape != (out_channels,):
            raise ValueError(
                f"{name}: bias must have shape ({out_channels},), received {bias.shape}"
            )
        biases = [(b,) for b in bias.values]
    else:
        biases = [()] * out_channels
    group_of = [o // (out_channels // groups) for o in range(out_channels)]
    # parents of each output: (w..., x..., b) -- weights first, then the field, then the bias
    dot = ops.DOT
    out = np.empty((n_batch, out_channels, positions), dtype=object)
    for n in range(n_batch):
        block = out[n]
        for j in range(positions):
            field = [tuple(f) for f in fields[n, j]]
            for o in range(out_channels):
                block[o, j] = apply(dot, kernels[o] + field[group_of[o]] + biases[o])
    out = out.reshape((n_batch, out_channels) + out_spatial)
    return Tensor.wrap(out if batched else out[0])


def conv1d(
    x: Any,
    weight: Any,
    bias: Any = None,
    stride: int = 1,
    padding: int | str = 0,
    dilation: int = 1,
    groups: int = 1,
) -> Tensor:
    """1-D cross-correlation like ``torch.nn.functional.conv1d``; x (C, L) or (N, C, L).

    ``padding`` is an int, ``'valid'`` (0) or ``'same'`` (output as long as the
    input; stride 1). With ``groups`` g, weight is (out, C/g, k) and output
    channel o sees only the input channels of its group.

    Example:
        >>> x = Tensor([[1.0, 2.0, 3.0, 4.0]])            # (C=1, L=4)
        >>> k = Tensor([[[1.0, 10.0]]])                     # (out=1, in=1, k=2)
        >>> z = conv1d(x, k)
        >>> z.data.tolist(), z[0, 0].op, len(z[0, 0].parents)
        ([[21.0, 32.0, 43.0]], 'dot', 4)
    """
    return _conv("conv1d", x, weight, bias, 1, stride, padding, dilation, groups)


def conv2d(
    x: Any,
    weight: Any,
    bias: Any = None,
    stride: int | tuple = 1,
    padding: int | tuple | str = 0,
    dilation: int | tuple = 1,
    groups: int = 1,
) -> Tensor:
    """2-D cross-correlation like ``torch.nn.functional.conv2d``; x (C, H, W) or (N, C, H, W).

    ``padding`` and ``groups`` as in :func:`conv1d`.

    Example:
        >>> x = Tensor(np.arange(9.0).reshape(1, 3, 3))
        >>> conv2d(x, Tensor(np.ones((1, 1, 2, 2))), Tensor([1.0])).data.tolist()
        [[[9.0, 13.0], [21.0, 25.0]]]
    """
    return _conv("conv2d", x, weight, bias, 2, stride, padding, dilation, groups)


def conv_matrix(
    x: Any,
    kernel_size: int | tuple,
    stride: int | tuple = 1,
    padding: int | tuple = 0,
    dilation: int | tuple = 1,
) -> Tensor:
    """The im2col matrix of P18: column j holds receptive field j, so conv = kernel · matrix.

    ``x`` is (L,) or (C, L) for 1-D, (C, H, W) for 2-D (an int ``kernel_size`` means
    1-D unless ``x`` has 3 dims). The result (C * kernel volume, output positions)
    holds the input's own Values, so ``weight.reshape(out, -1) @ conv_matrix(x, k)``
    builds the same dot nodes as the convolution.

    Example:
        >>> x = Tensor([1.0, 2.0, 3.0, 4.0], label="x")
        >>> m = conv_matrix(x, 2)
        >>> [[v.label for v in row] for row in m.values]
        [['x[0]', 'x[1]', 'x[2]'], ['x[1]', 'x[2]', 'x[3]']]
        >>> (Tensor([1.0, 10.0]) @ m).data.tolist()
        [21.0, 32.0, 43.0]
    """
    x = as_tensor(x)
    nd = 2 if (x.ndim == 3 or not isinstance(kernel_size, _ints)) else 1
    if nd == 1 and x.ndim == 1:
        x = Tensor.wrap(x.values[None])
    check_input("conv_matrix", x.shape, nd, None)
    if x.ndim != nd + 1:
        raise ValueError(f"conv_matrix: expects one unbatched input, received shape {x.shape}")
    kernel, stride, pairs, dilation = _geometry(
        "conv_matrix", nd, kernel_size, stride, padding, dilation
    )
    spatial_output("conv_matrix", x.shape, nd, kernel, stride, pairs, dilation)
    fields = windows(Tensor.wrap(x.values[None]), nd, kernel, stride, pairs, dilation, 0.0)
    columns = fields.reshape(-1, x.shape[0] * int(np.prod(kernel)))  # (positions, C*kvol)
    return Tensor.wrap(columns.T)


im2col = conv_matrix


def conv_toeplitz(kernel: Any, input_length: int, stride: int = 1) -> Tensor:
    """The Toeplitz matrix T (L_out, L) of a 1-D kernel: conv1d(x, k) == T @ x.

    Rows are the kernel's own Values shifted by ``stride``; other cells are one constant 0.

    Example:
        >>> T = conv_toeplitz(Tensor([1.0, 10.0]), 4)
        >>> T.data.tolist()
        [[1.0, 10.0, 0.0, 0.0], [0.0, 1.0, 10.0, 0.0], [0.0, 0.0, 1.0, 10.0]]
        >>> (T @ Tensor([1.0, 2.0, 3.0, 4.0])).data.tolist()
        [21.0, 32.0, 43.0]
    """
    kernel = as_tensor(kernel)
    if kernel.ndim != 1 or kernel.shape[0] > input_length:
        raise ValueError(
            f"conv_toeplitz: needs a 1-D kernel no longer than input_length={input_length}, "
            f"received shape {kernel.shape}"
        )
    k = kernel.shape[0]
    rows = conv_output_size(input_length, k, 0, stride)
    zero = as_tensor(0.0).values[()]
    out = np.full((rows, input_length), zero, dtype=object)
    for i in range(rows):
        out[i, i * stride : i * stride + k] = kernel.values
    return Tensor.wrap(out)


class _ConvNd(Module):
    nd = 0

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple,
        stride: int | tuple = 1,
        padding: int | tuple | str = 0,
        dilation: int | tuple = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        rng: np.random.Generator | None = None,
        **options: Any,
    ) -> None:
        super().__init__()
        name, nd = type(self).__name__, self.nd
        reject_options(name, options, CONV_TORCH_DEFAULTS)
        self.in_channels = check_int(name, "in_channels", in_channels, 1)
        self.out_channels = check_int(name, "out_channels", out_channels, 1)
        self.groups = check_int(name, "groups", groups, 1)
        if in_channels % groups or out_channels % groups:
            raise ValueError(
                f"{name}: in_channels ({in_channels}) and out_channels ({out_channels}) must "
                f"both be divisible by groups ({groups})"
            )
        self.padding_mode = check_choice(name, "padding_mode", padding_mode, tuple(PADDING_MODES))
        kernel, stride, pairs, dilation = _geometry(
            name, nd, kernel_size, stride, padding, dilation
        )
        self.kernel_size, self.stride, self.dilation = kernel, stride, dilation
        self.padding = padding if isinstance(padding, str) else tuple(p for p, _ in pairs)
        fan_in = in_channels // groups * int(np.prod(kernel))
        bound = init.fan_in_bound(fan_in)
        shape = (out_channels, in_channels // groups) + kernel
        self.weight = Parameter(init.uniform(shape, bound, rng))
        self.register_parameter(
            "bias", Parameter(init.uniform((out_channels,), bound, rng)) if bias else None
        )

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        check_input(repr(self), x.shape, self.nd, self.in_channels)
        out = _conv(
            repr(self),
            x,
            self.weight,
            self.bias,
            self.nd,
            self.stride,
            self.padding,
            self.dilation,
            self.groups,
            self.padding_mode,
        )  # (N, out_channels, *out_spatial)
        return self._named(out, "conv")

    def output_shape(self, input_shape: tuple) -> tuple:
        shape = tuple(input_shape)
        check_input(repr(self), shape, self.nd, self.in_channels)
        pairs = padding_pairs(
            repr(self), self.padding, self.nd, self.kernel_size, self.dilation, self.stride
        )
        spatial = spatial_output(
            repr(self), shape, self.nd, self.kernel_size, self.stride, pairs, self.dilation
        )
        return shape[: -self.nd - 1] + (self.out_channels,) + spatial

    def _options(self, dilation: str) -> str:
        """The non-default options, as ``repr`` (dilation=(2,)) and ``summary`` (d=2) show them."""
        text = f", {dilation}" if any(d != 1 for d in self.dilation) else ""
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode!r}"
        return text + ("" if self.bias is not None else ", bias=False")

    def summary_name(self) -> str:
        padding = repr(self.padding) if isinstance(self.padding, str) else short(self.padding)
        return (
            f"{type(self).__name__}({self.in_channels}, {self.out_channels}, "
            f"k={short(self.kernel_size)}, s={short(self.stride)}, p={padding}"
            + self._options(f"d={short(self.dilation)}")
            + ")"
        )

    def extra_repr(self) -> str:
        text = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}"
        )
        if isinstance(self.padding, str) or any(self.padding):
            text += f", padding={self.padding!r}"
        return text + self._options(f"dilation={self.dilation}")


class Conv1d(_ConvNd):
    """1-D convolution layer like ``torch.nn.Conv1d``; weight (out, in, k), input (C, L) or (N, C, L).

    Example:
        >>> conv = Conv1d(1, 1, 3)
        >>> _ = conv.load_state_dict({"weight": [[[1.0, 0.0, -1.0]]], "bias": [0.0]})
        >>> z = conv(Tensor([[1.0, 2.0, 4.0, 8.0]]))
        >>> z.data.tolist(), [p.label for p in z[0, 0].parents][:3]
        ([[-3.0, -6.0]], ['conv1d.weight[0,0,0]', 'conv1d.weight[0,0,1]', 'conv1d.weight[0,0,2]'])
    """

    nd = 1


class Conv2d(_ConvNd):
    """2-D convolution layer like ``torch.nn.Conv2d``; weight (out, in, kh, kw).

    Example:
        >>> conv = Conv2d(3, 16, 3, padding=1)
        >>> conv.output_shape((None, 3, 64, 64)), conv.num_parameters()
        ((None, 16, 64, 64), 448)
    """

    nd = 2


__all__ = [
    "conv_output_size",
    "conv1d",
    "conv2d",
    "conv_matrix",
    "im2col",
    "conv_toeplitz",
    "Conv1d",
    "Conv2d",
]
