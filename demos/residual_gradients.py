"""P23: residual connections keep the gradient alive through a deep stack.

A stack of L blocks f_l(x) = tanh(W_l x + b_l) (nn.Linear + nn.Tanh), without
skips x_{l+1} = f_l(x_l), and with skips x_{l+1} = x_l + f_l(x_l). Without
skips dL/dx is a product of L Jacobians diag(tanh') W_l and shrinks
geometrically; with skips each factor is I + diag(tanh') W_l, whose identity
term carries the gradient straight to the input.
"""

from __future__ import annotations

import numpy as np

import nn
from autograd import Tensor
from demos.common import check, heading, save_graph, scalar, show, start

TITLE = "P23: gradient norm at the input of a deep stack, with and without skips"

WIDTH = 4
DEPTHS = (1, 5, 10, 20, 30)


class Stack(nn.Module):
    """``depth`` blocks tanh(Linear(x)), each optionally wrapped in a skip connection.

    Example:
        >>> net = Stack(3, width=2, residual=True)
        >>> net(Tensor([1.0, 2.0])).shape
        (2,)
    """

    def __init__(
        self, depth: int, width: int = WIDTH, residual: bool = False, seed: int = 0
    ) -> None:
        super().__init__()
        rng = np.random.default_rng(seed)
        self.residual = residual
        self.blocks = nn.ModuleList(
            nn.Sequential(nn.Linear(width, width, rng=rng), nn.Tanh()) for _ in range(depth)
        )

    def forward(self, x: Tensor) -> Tensor:
        for block in self.blocks:
            x = x + block(x) if self.residual else block(x)  # (width,)
        return x


def input_gradient_norm(depth: int, residual: bool, width: int = WIDTH, seed: int = 0) -> float:
    """||dL/dx|| with L = sum(output) for the same weights with or without skips.

    Example:
        >>> input_gradient_norm(20, True) > 100 * input_gradient_norm(20, False)
        True
    """
    net = Stack(depth, width, residual, seed)
    x = Tensor(np.linspace(-1.0, 1.0, width), label="x")
    net(x).sum().backward()
    return float(np.linalg.norm(x.grad))


def main(argv: list[str] | None = None) -> int:
    """Print the gradient norms over depth and write ``residual_gradients.svg``."""
    out = start(argv, TITLE)
    heading(f"Blocks tanh(Linear({WIDTH}, {WIDTH})), PyTorch's default init, L = sum(output)")
    print(" depth   ||dL/dx|| plain   ||dL/dx|| residual")
    plain, skip = [], []
    for depth in DEPTHS:
        plain.append(input_gradient_norm(depth, False))
        skip.append(input_gradient_norm(depth, True))
        print(f" {depth:5d}   {plain[-1]:15.3e}   {skip[-1]:18.3e}")
    check(plain[-1] < 1e-3 * plain[0], "without skips the gradient vanishes with depth")
    check(skip[-1] > 0.5 * skip[0], "with skips it stays of order 1 at every depth")
    heading("Why")
    print("plain:    dL/dx = J_1^T ... J_L^T 1,  J_l = diag(1 - tanh^2) W_l, each |J_l| < 1 here")
    print("residual: dL/dx = (I + J_1)^T ... (I + J_L)^T 1: the product contains the term I")
    net = Stack(3, width=2, residual=True)
    net.name("")
    x = Tensor([0.5, -0.5], label="x")
    y = scalar(net(x).sum(), "L")
    y.backward()
    show("3 residual blocks, width 2: dL/dx", x.grad)
    save_graph(y, out, "residual_gradients", title="P23: three residual blocks x + tanh(Wx + b)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
