"""P17: gradient descent and momentum on y = x^2 / 4 from x_0 = 1, with nn.optim.SGD.

y' = x / 2. Plain GD with lr = 2: x_1 = 1 - 2 * 1/2 = 0 (one step).
Momentum V_t = beta V_{t-1} + g_t, x_t = x_{t-1} - lr V_t, lr = 1, beta = 1/2:
V_1 = 1/2, x_1 = 1/2; V_2 = 1/4 + 1/4 = 1/2, x_2 = 0 (two steps).
"""

from __future__ import annotations

import nn
from autograd import Value
from demos.common import check, heading, save_graph, show, start

TITLE = "P17: gradient descent vs momentum on y = x^2/4 (nn.optim.SGD)"


def run(
    lr: float, momentum: float, steps: int, x0: float = 1.0, verbose: bool = False
) -> tuple[list[float], Value]:
    """Minimise y = x^2 / 4 with ``nn.optim.SGD``; returns the iterates and the last y node.

    Example:
        >>> run(2.0, 0.0, 1)[0]
        [1.0, 0.0]
        >>> run(1.0, 0.5, 2)[0]
        [1.0, 0.5, 0.0]
    """
    x = Value(x0, label="x")
    opt = nn.optim.SGD([x], lr=lr, momentum=momentum)
    path = [x.data]
    y = None
    for _ in range(steps):
        opt.zero_grad()
        y = x * x / 4
        y.label = "y"
        y.backward()
        opt.step()
        if verbose:
            print(opt.report())
        path.append(x.data)
    return path, y


def main(argv: list[str] | None = None) -> int:
    """Print both runs step by step and write ``momentum.svg``."""
    out = start(argv, TITLE)
    heading("Givens")
    print("y = x^2 / 4, dy/dx = x / 2, x_0 = 1; V_t = beta V_{t-1} + g_t, x_t = x_{t-1} - lr V_t")
    heading("Plain gradient descent, lr = 2")
    path, _ = run(2.0, 0.0, 1, verbose=True)
    check(path[-1] == 0.0, "x_1 = 1 - 2 * (1/2) = 0: the minimum in one step")
    heading("Momentum, lr = 1, beta = 1/2")
    path, y = run(1.0, 0.5, 2, verbose=True)
    show("x_0, x_1, x_2", path)
    check(path[-1] == 0.0, "V_1 = 1/2, x_1 = 1/2; V_2 = 1/2 * 1/2 + 1/4 = 1/2, x_2 = 0")
    heading("Why beta = 1/2: x_2 as a function of beta (lr = 1)")
    for beta in (0.0, 0.25, 0.5, 0.75):
        p, _ = run(1.0, beta, 2)
        print(
            f"  beta = {beta:<4}: x_2 = {p[-1]:.4f}   (x_2 = (1/2)(1/2 - beta) = {0.5 * (0.5 - beta):.4f})"
        )
    save_graph(
        y, out, "momentum", title="P17: y = x*x/4 at the second momentum step", derivatives=True
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
