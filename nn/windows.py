"""Sliding windows shared by convolution and pooling: sizes, padding, receptive fields.

A window over an input of size n has extent ``span = dilation (kernel - 1) + 1``;
padding adds ``before`` cells on the left and ``after`` on the right of each
spatial dim (PyTorch's ``padding='same'`` can differ on the two sides), and the
output size is ``floor((n + before + after - span) / stride) + 1`` (``ceil`` for
pools with ``ceil_mode``). The windows themselves are views of the input's own
Values, so no node is made here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, pad
from nn.options import check_choice

_ints = (int, np.integer)
Pairs = tuple[tuple[int, int], ...]

# PyTorch's padding_mode names and numpy.pad's modes for them
PADDING_MODES = {"zeros": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def conv_output_size(
    n: int, kernel_size: int, padding: int = 0, stride: int = 1, dilation: int = 1
) -> int:
    """o = floor((n - f + 2p) / s) + 1, with f = dilation * (kernel_size - 1) + 1.

    Example:
        >>> conv_output_size(64, 3, padding=1), conv_output_size(30, 2, padding=1, stride=2)
        (64, 16)
    """
    span = dilation * (kernel_size - 1) + 1
    return (n - span + 2 * padding) // stride + 1


def as_tuple(
    value: int | tuple[int, ...], nd: int, what: str, layer: str = "", minimum: int | None = None
) -> tuple[int, ...]:
    """``value`` repeated ``nd`` times if it is an int, else checked to have ``nd`` ints.

    With ``minimum``, every entry must be at least that (kernel sizes, strides and
    dilations >= 1, paddings >= 0); the error names ``layer`` and ``what``.

    Example:
        >>> as_tuple(3, 2, "kernel_size"), as_tuple((1, 2), 2, "stride", "Conv2d", 1)
        ((3, 3), (1, 2))
        >>> as_tuple(0, 1, "stride", "MaxPool1d", 1)
        Traceback (most recent call last):
        ...
        ValueError: MaxPool1d: stride must be an int >= 1 or a tuple of 1 such ints, got 0
    """
    head = f"{layer}: " if layer else ""
    out = (value,) * nd if isinstance(value, _ints) else value
    ok = (
        isinstance(out, (tuple, list))
        and len(out) == nd
        and all(isinstance(v, _ints) and not isinstance(v, bool) for v in out)
    )
    if ok and minimum is not None:
        ok = all(v >= minimum for v in out)
    if not ok:
        bound = f" >= {minimum}" if minimum is not None else ""
        raise ValueError(
            f"{head}{what} must be an int{bound} or a tuple of {nd} such ints, got {value!r}"
        )
    return tuple(int(v) for v in out)


def padding_pairs(
    layer: str, padding: Any, nd: int, kernel: tuple, dilation: tuple, stride: tuple
) -> Pairs:
    """(before, after) per spatial dim from an int, a tuple, ``'valid'`` or ``'same'``.

    ``'same'`` pads ``dilation (kernel - 1)`` cells in all, the extra one on the
    right when that is odd, and needs stride 1, as in PyTorch.

    Example:
        >>> padding_pairs("Conv1d", "same", 1, (4,), (1,), (1,))
        ((1, 2),)
        >>> padding_pairs("Conv2d", 1, 2, (3, 3), (1, 1), (1, 1))
        ((1, 1), (1, 1))
    """
    if isinstance(padding, str):
        check_choice(layer, "padding", padding, ("same", "valid"))
        if padding == "valid":
            return ((0, 0),) * nd
        if any(s != 1 for s in stride):
            raise ValueError(
                f"{layer}: padding='same' needs stride 1 (as in PyTorch), got stride {stride}"
            )
        totals = [d * (k - 1) for k, d in zip(kernel, dilation)]
        return tuple((t // 2, t - t // 2) for t in totals)
    return tuple((p, p) for p in as_tuple(padding, nd, "padding", layer, 0))


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


def spatial_output(
    name: str,
    shape: tuple,
    nd: int,
    kernel: tuple,
    stride: tuple,
    pairs: Pairs,
    dilation: tuple,
    ceil_mode: bool = False,
) -> tuple[int, ...]:
    """Output spatial sizes; raises if the (dilated) kernel exceeds the padded input.

    With ``ceil_mode`` (pools) a last, partial window is kept if it starts inside
    the input or its left padding, as PyTorch does; so a kernel one stride wider
    than the padded input still gives one window.
    """
    sizes = []
    for n, k, s, (before, after), d in zip(shape[-nd:], kernel, stride, pairs, dilation):
        if not isinstance(n, _ints):
            raise ValueError(f"{name}: spatial sizes must be ints, received shape {shape}")
        span = d * (k - 1) + 1
        room = n + before + after - span
        size = (-(-room // s) if ceil_mode else room // s) + 1
        if ceil_mode and (size - 1) * s >= n + before:
            size -= 1  # that window would start in the right padding
        if size < 1:
            raise ValueError(
                f"{name}: kernel of size {kernel} (dilated extent {span}) is larger than the "
                f"padded input: received input shape {tuple(shape)} with padding "
                f"{tuple(p for p in pairs)}"
            )
        sizes.append(size)
    return tuple(sizes)


def pad_spatial(layer: str, x: Tensor, pairs: Pairs, mode: str, fill: float) -> Tensor:
    """Pad the spatial dims of a batched (N, C, *spatial) Tensor.

    ``zeros`` pads with one shared constant leaf ``fill``; ``reflect``,
    ``replicate`` and ``circular`` pad with the input's own Values, so their
    gradients add up in the cells they copy.
    """
    if not any(a or b for a, b in pairs):
        return x
    widths = [(0, 0), (0, 0)] + [tuple(p) for p in pairs]
    if mode == "zeros":
        return pad(x, widths, value=fill)
    # reflect mirrors inside the input and circular wraps once; replicate fits any width
    rule = {"reflect": "smaller than", "circular": "at most"}.get(mode)
    for n, (before, after) in zip(x.shape[2:], pairs):
        widest = max(before, after)
        if rule and (widest >= n if mode == "reflect" else widest > n):
            raise ValueError(
                f"{layer}: padding_mode={mode!r} needs padding {rule} the input size, got "
                f"padding {tuple(pairs)} for input spatial shape {x.shape[2:]}"
            )
    return Tensor.wrap(np.pad(x.values, widths, mode=PADDING_MODES[mode]))


def windows(
    x: Tensor,
    nd: int,
    kernel: tuple,
    stride: tuple,
    pairs: Pairs,
    dilation: tuple,
    fill: float,
    mode: str = "zeros",
    layer: str = "",
) -> np.ndarray:
    """Receptive fields as an object array (N, *out_spatial, C, *kernel) of the input's Values.

    ``x`` is batched (N, C, *spatial); ``pairs`` is the (before, after) padding of
    each spatial dim, filled as ``mode`` says (padded constants hold ``fill``).
    """
    x = pad_spatial(layer, x, pairs, mode, fill)
    spans = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    axes = tuple(range(2, 2 + nd))
    view = np.lib.stride_tricks.sliding_window_view(x.values, spans, axis=axes)
    # view: (N, C, *positions, *spans); keep every stride-th position, every dilation-th tap
    picks = (slice(None), slice(None)) + tuple(slice(None, None, s) for s in stride)
    picks += tuple(slice(None, None, d) for d in dilation)
    view = view[picks]
    order = (0,) + tuple(range(2, 2 + nd)) + (1,) + tuple(range(2 + nd, 2 + 2 * nd))
    return view.transpose(order)


def short(values: tuple[int, ...]) -> str:
    """``3`` for (3, 3), ``(1, 2)`` otherwise: how summaries print sizes."""
    return str(values[0]) if len(set(values)) == 1 else str(values)


__all__ = [
    "conv_output_size",
    "as_tuple",
    "padding_pairs",
    "check_input",
    "spatial_output",
    "pad_spatial",
    "windows",
    "short",
    "PADDING_MODES",
]
