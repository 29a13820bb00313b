"""P5: a Conv2d layer is translation equivariant; 2x2 max-pooling adds some invariance.

K = [[1, 0, -1], [2, 0, -2], [1, 0, -1]] (a Sobel filter), bias 0, stride 1,
padding 1, then ReLU, then MaxPool2d(2, stride 2): all nn modules.
"""

from __future__ import annotations

import numpy as np

import nn
from autograd import Tensor
from demos.common import check, fmt, heading, save_graph, scalar, show, start

TITLE = "P5: Conv2d translation equivariance and max-pool invariance (Sobel filter, ReLU)"

KERNEL = [[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]]
X = [[0, 0, 1, 0], [0, 1, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0]]


def make_layers() -> tuple[nn.Conv2d, nn.ReLU, nn.MaxPool2d]:
    """The problem's Conv2d(1, 1, 3, padding=1) with the Sobel kernel, ReLU and MaxPool2d(2).

    Example:
        >>> conv, _, _ = make_layers()
        >>> conv.weight.shape
        (1, 1, 3, 3)
    """
    conv = nn.Conv2d(1, 1, 3, stride=1, padding=1)
    conv.load_state_dict({"weight": [[KERNEL]], "bias": [0.0]})
    conv.name("conv")
    return conv, nn.ReLU(), nn.MaxPool2d(2, stride=2)


def forward(x: np.ndarray | list) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """``(input, z, h = ReLU(z), pooled)`` for a (H, W) image, as Tensors of shape (1, H, W).

    Example:
        >>> _, z, h, p = forward(X)
        >>> p.data[0].tolist()
        [[0.0, 3.0], [0.0, 4.0]]
    """
    conv, relu, pool = make_layers()
    x = Tensor(np.asarray(x, dtype=float)[None], label="x")  # (C=1, H, W)
    z = conv(x)  # (1, H, W)
    h = relu(z)
    return x, z, h, pool(h)


def shift_right(x: np.ndarray | list, by: int = 1) -> np.ndarray:
    """The image moved ``by`` columns to the right, zeros coming in on the left.

    Example:
        >>> shift_right([[1, 2, 3]]).tolist()
        [[0.0, 1.0, 2.0]]
    """
    x = np.asarray(x, dtype=float)
    out = np.zeros_like(x)
    out[:, by:] = x[:, :-by]
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the P5 answer and write ``conv2d_equivariance.svg``."""
    out = start(argv, TITLE)
    heading("Givens")
    show("K", KERNEL)
    show("x", X)
    x, z, h, p = forward(X)
    heading("Conv2d (padding 1) then ReLU")
    show("z", z.data[0])
    show("h = ReLU(z)", h.data[0])
    xs = shift_right(X)
    _, zs, hs, ps = forward(xs)
    heading("The input shifted one column right")
    show("x'", xs)
    show("z'", zs.data[0])
    show("h'", hs.data[0])
    check(
        np.array_equal(zs.data[0][:, 1:], z.data[0][:, :-1]),
        "equivariance: z' is z shifted one column right (x's last column is 0)",
    )
    heading("2x2 max-pool, stride 2")
    show("pool(h)", p.data[0])
    show("pool(h')", ps.data[0])
    check(np.array_equal(p.data, ps.data), "invariance: both pool to [[0, 3], [0, 4]]")

    heading("The same on random inputs")
    rng = np.random.default_rng(0)
    r = rng.normal(size=(5, 6))
    r[:, -1] = 0.0  # nothing falls off the right edge
    _, zr, _, _ = forward(r)
    _, zrs, _, _ = forward(shift_right(r))
    gap = float(np.abs(zrs.data[0][:, 1:] - zr.data[0][:, :-1]).max())
    check(gap < 1e-12, f"random 5x6 image: conv(shift(x)) = shift(conv(x)), max gap {gap:.1e}")
    print("Max-pooling is invariant only while each maximum stays inside its window:")
    even = np.zeros((4, 6))
    even[:, ::2] = rng.uniform(0.1, 1.0, size=(4, 3))  # maxima in each window's left column
    pool = nn.MaxPool2d(2, stride=2)
    a = pool(Tensor(even[None])).data
    b = pool(Tensor(shift_right(even)[None])).data
    check(
        np.array_equal(a, b),
        f"features in the left column of each window: pool unchanged {fmt(a[0], 2)}",
    )
    odd = shift_right(even)
    c = pool(Tensor(shift_right(odd)[None])).data
    print(f"shifting once more crosses a window border: {fmt(c[0], 2)} (changed)")

    heading("Backward: d sum(pool(h)) / d K")
    total = scalar(p.sum(), "sum(pool)")
    total.backward()
    conv_weight_grad = [v.grad for v in z.values.flat[0].parents[:9]]
    show("dL/dK", np.reshape(conv_weight_grad, (3, 3)))
    save_graph(total, out, "conv2d_equivariance", title="P5: conv2d + ReLU + 2x2 max-pool, L = sum")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
