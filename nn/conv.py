"""Convolution: ``Conv1d``, ``Conv2d`` and their functional forms, one ``dot`` node per output.

Each output element is a single n-ary node over its receptive field, with parents
``(w_1..w_n, x_1..x_n, b)``: z_i = k1 x_i + k2 x_{i+1} + k3 x_{i+2} + b, exactly as
the homework draws a convolution. Like PyTorch this is cross-correlation (the kernel
is not flipped); weights are (out_channels, in_channels, k) or (out, in, kh, kw).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, as_tensor, ops, pad
from autograd.value import apply
from nn import init
from nn.module import Module, Parameter

_ints = (int, np.integer)


def conv_output_size(n: int, kernel_size: int, padding: int = 0, stride: int = 1,
                     dilation: int = 1) -> int:
    """o = floor((n - f + 2p) / s) + 1, with f = dilation * (kernel_size - 1) + 1.

    Example:
        >>> conv_output_size(64, 3, padding=1), conv_output_size(30, 2, padding=1, stride=2)
        (64, 16)
    """
    span = dilation * (kernel_size - 1) + 1
    return (n - span + 2 * padding) // stride + 1


def as_tuple(value: int | tuple[int, ...], nd: int, what: str) -> tuple[int, ...]:
    """``value`` repeated ``nd`` times if it is an int, else checked to have ``nd`` entries."""
    out = (value,) * nd if isinstance(value, _ints) else tuple(value)
    if len(out) != nd or not all(isinstance(v, _ints) for v in out):
        raise ValueError(f"{what} must be an int or a tuple of {nd} ints, got {value!r}")
    return tuple(int(v) for v in out)


def spatial_output(name: str, shape: tuple, nd: int, kernel: tuple, stride: tuple,
                   padding: tuple, dilation: tuple) -> tuple[int, ...]:
    """Output spatial sizes; raises if the (dilated) kernel exceeds the padded input."""
    sizes = []
    for n, k, s, p, d in zip(shape[-nd:], kernel, stride, padding, dilation):
        if not isinstance(n, _ints):
            raise ValueError(f"{name}: spatial sizes must be ints, received shape {shape}")
        span = d * (k - 1) + 1
        if span > n + 2 * p:
            raise ValueError(
                f"{name}: kernel of size {kernel} (dilated extent {span}) is larger than the "
                f"padded input: received input shape {tuple(shape)} with padding {padding}"
            )
        sizes.append(conv_output_size(n, k, p, s, d))
    return tuple(sizes)


def check_input(name: str, shape: tuple, nd: int, channels: int | None) -> None:
    """Raise unless ``shape`` is (C, *spatial) or (N, C, *spatial) with C == channels."""
    if len(shape) not in (nd + 1, nd + 2):
        layout = ", ".join(["L"] if nd == 1 else ["H", "W"])
        raise ValueError(
            f"{name}: expected input of shape (C, {layout}) or (N, C, {layout}) "
            f"({nd + 1} or {nd + 2} dims), received shape {tuple(shape)}"
        )
    got = shape[-nd - 1]
    if channels is not None and isinstance(got, _ints) and got != channels:
        raise ValueError(
            f"{name}: expected {channels} input channels, received {got} "
            f"(input shape {tuple(shape)})"
        )


def windows(x: Tensor, nd: int, kernel: tuple, stride: tuple, padding: tuple,
            dilation: tuple, fill: float) -> np.ndarray:
    """Receptive fields as an object array (N, *out_spatial, C, *kernel) of the input's Values.

    ``x`` is batched (N, C, *spatial); padded cells are one shared constant leaf ``fill``.
    """
    if any(padding):
        x = pad(x, [(0, 0), (0, 0)] + [(p, p) for p in padding], value=fill)
    spans = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    axes = tuple(range(2, 2 + nd))
    view = np.lib.stride_tricks.sliding_window_view(x.values, spans, axis=axes)
    # view: (N, C, *positions, *spans); keep every stride-th position, every dilation-th tap
    picks = (slice(None), slice(None)) + tuple(slice(None, None, s) for s in stride)
    picks += tuple(slice(None, None, d) for d in dilation)
    view = view[picks]
    order = (0,) + tuple(range(2, 2 + nd)) + (1,) + tuple(range(2 + nd, 2 + 2 * nd))
    return view.transpose(order)


def _conv(name: str, x: Any, weight: Any, bias: Any, nd: int, stride: Any, padding: Any,
          dilation: Any) -> Tensor:
    x, weight = as_tensor(x), as_tensor(weight)
    if weight.ndim != nd + 2:
        raise ValueError(
            f"{name}: weight must have {nd + 2} dims (out_channels, in_channels, kernel...), "
            f"received shape {weight.shape}"
        )
    out_channels, in_channels, *kernel = weight.shape
    check_input(name, x.shape, nd, in_channels)
    stride, padding = as_tuple(stride, nd, "stride"), as_tuple(padding, nd, "padding")
    dilation = as_tuple(dilation, nd, "dilation")
    out_spatial = spatial_output(name, x.shape, nd, tuple(kernel), stride, padding, dilation)
    batched = x.ndim == nd + 2
    xb = x if batched else Tensor.wrap(x.values[None])
    fields = windows(xb, nd, tuple(kernel), stride, padding, dilation, 0.0)
    n_batch, positions = xb.shape[0], int(np.prod(out_spatial))
    fields = fields.reshape(n_batch, positions, -1)  # (N, positions, C * prod(kernel))
    kernels = [tuple(row) for row in weight.values.reshape(out_channels, -1)]
    if bias is not None:
        bias = as_tensor(bias)
        if bias.shape != (out_channels,):
            raise ValueError(
                f"{name}: bias must have shape ({out_channels},), received {bias.shape}"
            )
        kernels = [k_row + (b,) for k_row, b in zip(kernels, bias.values)]
    # parents of each output: (w..., x..., b) -- weights first, then the field, then the bias
    dot = ops.DOT
    out = np.empty((n_batch, out_channels, positions), dtype=object)
    for n in range(n_batch):
        block = out[n]
        for j in range(positions):
            field = tuple(fields[n, j])
            for o in range(out_channels):
                k_row = kernels[o]
                if bias is None:
                    block[o, j] = apply(dot, k_row + field)
                else:
                    block[o, j] = apply(dot, k_row[:-1] + field + k_row[-1:])
    out = out.reshape((n_batch, out_channels) + out_spatial)
    return Tensor.wrap(out if batched else out[0])


def conv1d(x: Any, weight: Any, bias: Any = None, stride: int = 1, padding: int = 0,
           dilation: int = 1) -> Tensor:
    """1-D cross-correlation like ``torch.nn.functional.conv1d``; x (C, L) or (N, C, L).

    Example:
        >>> x = Tensor([[1.0, 2.0, 3.0, 4.0]])            # (C=1, L=4)
        >>> k = Tensor([[[1.0, 10.0]]])                     # (out=1, in=1, k=2)
        >>> z = conv1d(x, k)
        >>> z.data.tolist(), z[0, 0].op, len(z[0, 0].parents)
        ([[21.0, 32.0, 43.0]], 'dot', 4)
    """
    return _conv("conv1d", x, weight, bias, 1, stride, padding, dilation)


def conv2d(x: Any, weight: Any, bias: Any = None, stride: int | tuple = 1,
           padding: int | tuple = 0, dilation: int | tuple = 1) -> Tensor:
    """2-D cross-correlation like ``torch.nn.functional.conv2d``; x (C, H, W) or (N, C, H, W).

    Example:
        >>> x = Tensor(np.arange(9.0).reshape(1, 3, 3))
        >>> conv2d(x, Tensor(np.ones((1, 1, 2, 2))), Tensor([1.0])).data.tolist()
        [[[9.0, 13.0], [21.0, 25.0]]]
    """
    return _conv("conv2d", x, weight, bias, 2, stride, padding, dilation)


def conv_matrix(x: Any, kernel_size: int | tuple, stride: int | tuple = 1,
                padding: int | tuple = 0, dilation: int | tuple = 1) -> Tensor:
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
    kernel = as_tuple(kernel_size, nd, "kernel_size")
    stride, padding = as_tuple(stride, nd, "stride"), as_tuple(padding, nd, "padding")
    dilation = as_tuple(dilation, nd, "dilation")
    spatial_output("conv_matrix", x.shape, nd, kernel, stride, padding, dilation)
    fields = windows(Tensor.wrap(x.values[None]), nd, kernel, stride, padding, dilation, 0.0)
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
        out[i, i * stride:i * stride + k] = kernel.values
    return Tensor.wrap(out)


class _ConvNd(Module):
    nd = 0

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | tuple,
                 stride: int | tuple = 1, padding: int | tuple = 0, dilation: int | tuple = 1,
                 bias: bool = True, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        nd = self.nd
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = as_tuple(kernel_size, nd, "kernel_size")
        self.stride, self.padding = as_tuple(stride, nd, "stride"), as_tuple(padding, nd, "padding")
        self.dilation = as_tuple(dilation, nd, "dilation")
        fan_in = in_channels * int(np.prod(self.kernel_size))
        bound = init.fan_in_bound(fan_in)
        shape = (out_channels, in_channels) + self.kernel_size
        self.weight = Parameter(init.uniform(shape, bound, rng))
        self.register_parameter(
            "bias", Parameter(init.uniform((out_channels,), bound, rng)) if bias else None
        )

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        check_input(repr(self), x.shape, self.nd, self.in_channels)
        out = _conv(repr(self), x, self.weight, self.bias, self.nd, self.stride,
                    self.padding, self.dilation)  # (N, out_channels, *out_spatial)
        return self._named(out, "conv")

    def output_shape(self, input_shape: tuple) -> tuple:
        shape = tuple(input_shape)
        check_input(repr(self), shape, self.nd, self.in_channels)
        spatial = spatial_output(repr(self), shape, self.nd, self.kernel_size, self.stride,
                                 self.padding, self.dilation)
        return shape[:-self.nd - 1] + (self.out_channels,) + spatial

    def _short(self, values: tuple[int, ...]) -> str:
        return str(values[0]) if len(set(values)) == 1 else str(values)

    def summary_name(self) -> str:
        text = (f"{type(self).__name__}({self.in_channels}, {self.out_channels}, "
                f"k={self._short(self.kernel_size)}, s={self._short(self.stride)}, "
                f"p={self._short(self.padding)}")
        if any(d != 1 for d in self.dilation):
            text += f", d={self._short(self.dilation)}"
        return text + ("" if self.bias is not None else ", bias=False") + ")"

    def extra_repr(self) -> str:
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if any(self.padding):
            text += f", padding={self.padding}"
        if any(d != 1 for d in self.dilation):
            text += f", dilation={self.dilation}"
        return text + ("" if self.bias is not None else ", bias=False")


class Conv1d(_ConvNd):
    """1-D convolution layer like ``torch.nn.Conv1d``; weight (out, in, k), input (C, L) or (N, C, L).

    Example:
        >>> conv = Conv1d(1, 1, 3)
        >>> _ = conv.load_state_dict({"weight": [[[1.0, 0.0, -1.0]]], "bias": [0.0]})
        >>> z = conv(Tensor([[1.0, 2.0, 4.0, 8.0]]))
        >>> z.data.tolist(), [p.label for p in z[0, 0].parents][:3]
        ([[-3.0, -6.0]], ['weight[0,0,0]', 'weight[0,0,1]', 'weight[0,0,2]'])
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


__all__ = ["conv_output_size", "conv1d", "conv2d", "conv_matrix", "im2col", "conv_toeplitz",
           "Conv1d", "Conv2d"]
