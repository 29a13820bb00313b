"""P18: a 1-D convolution is a matrix product, two ways (im2col and Toeplitz).

[x1 x2 x3 x4] * [k1 k2] = [x1k1 + x2k2, x2k1 + x3k2, x3k1 + x4k2]
                        = [k1 k2] . [[x1, x2, x3], [x2, x3, x4]]   (nn.functional.conv_matrix)
                        = T x with T = [[k1, k2, 0, 0], [0, k1, k2, 0], [0, 0, k1, k2]].
"""

from __future__ import annotations

import numpy as np

import nn
from autograd import Tensor
from demos.common import check, heading, save_graph, scalar, show, start

TITLE = "P18: convolution as a matrix product (im2col and Toeplitz, same gradients)"

X = [1.0, 2.0, 3.0, 4.0]
K = [0.5, -1.0]


def three_ways(x: list[float], k: list[float]) -> tuple[Tensor, Tensor, Tensor, Tensor, Tensor]:
    """``(x, k, conv1d, k @ conv_matrix(x), conv_toeplitz(k) @ x)`` on shared leaves.

    Example:
        >>> _, _, a, b, c = three_ways([1.0, 2.0, 3.0, 4.0], [1.0, 10.0])
        >>> a.data.tolist(), b.data.tolist(), c.data.tolist()
        ([21.0, 32.0, 43.0], [21.0, 32.0, 43.0], [21.0, 32.0, 43.0])
    """
    xs = Tensor(x, label="x")
    ks = Tensor(k, label="k")
    conv = nn.functional.conv1d(xs.reshape(1, -1), ks.reshape(1, 1, -1))[0]  # (L_out,)
    matrix = nn.functional.conv_matrix(xs, len(k))  # (k, L_out)
    im2col = ks @ matrix
    toeplitz = nn.functional.conv_toeplitz(ks, len(x)) @ xs
    return xs, ks, conv, im2col, toeplitz


def main(argv: list[str] | None = None) -> int:
    """Print the three products and their gradients; write ``conv_as_matmul.svg``."""
    out = start(argv, TITLE)
    xs, ks, conv, im2col, toeplitz = three_ways(X, K)
    heading("Givens")
    show("x", X)
    show("k", K)
    heading("The matrix of receptive fields (im2col), its entries are x's own Values")
    matrix = nn.functional.conv_matrix(xs, 2)
    for row in matrix.values:
        print("  [" + ", ".join(v.label for v in row) + "]")
    heading("Three products")
    show("conv1d(x, k)", conv)
    show("k . [[x1, x2, x3], [x2, x3, x4]]", im2col)
    show("Toeplitz(k) x", toeplitz)
    check(
        np.array_equal(conv.data, im2col.data) and np.array_equal(conv.data, toeplitz.data),
        "all three are [x1k1 + x2k2, x2k1 + x3k2, x3k1 + x4k2]",
    )
    heading("Gradients of sum(output) agree too")
    grads = []
    for y in (conv, im2col, toeplitz):
        xs.zero_grad()
        ks.zero_grad()
        y.sum().backward()
        grads.append((xs.grad.copy(), ks.grad.copy()))
    show("d/dx", grads[0][0], note="(x1 and x4 are in one window, x2 and x3 in two)")
    show("d/dk", grads[0][1], note="(k1 sees x1+x2+x3, k2 sees x2+x3+x4)")
    check(
        all(np.array_equal(g[0], grads[0][0]) and np.array_equal(g[1], grads[0][1]) for g in grads),
        "conv1d, im2col and Toeplitz give the same gradients",
    )
    total = scalar(im2col.sum(), "sum")
    xs.zero_grad()
    ks.zero_grad()
    total.backward()
    save_graph(total, out, "conv_as_matmul", title="P18: k @ conv_matrix(x), summed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
