"""P20: dropout without rescaling, and which test-time weight scaling is right.

Training: h'_i = 0 with probability p, h_i with probability 1 - p
(``nn.Dropout(p, rescale=False)``), then a dense layer W. E[h'] = (1 - p) h, so
E[W h'] = (1 - p) W h: at test time (no dropout) the weights must become
W' = (1 - p) W. The source's written answer W / (1 - p) is inverted; a
Monte-Carlo average of the training output settles it.
"""

from __future__ import annotations

import numpy as np

import nn
from autograd import Tensor, no_grad
from demos.common import check, fmt, heading, save_graph, scalar, show, start

TITLE = "P20: dropout without rescaling: test weights (1-p) W, not W/(1-p) (Monte Carlo)"

P = 0.5
H = [1.0, 2.0, -1.0]
W = [[0.5, -1.0, 2.0], [1.0, 1.0, 1.0]]


def monte_carlo(
    h: list[float], w: list[list[float]], p: float, samples: int, seed: int = 0
) -> np.ndarray:
    """The average of ``Linear(Dropout(h, p, rescale=False))`` over ``samples`` draws.

    Example:
        >>> np.round(monte_carlo([1.0, 1.0], [[1.0, 1.0]], 0.5, 4000), 1).tolist()
        [1.0]
    """
    drop = nn.Dropout(p, rescale=False, rng=np.random.default_rng(seed))
    dense = nn.Linear(len(h), len(w), bias=False)
    dense.load_state_dict({"weight": w})
    x = Tensor(h)
    total = np.zeros(len(w))
    with no_grad():
        for _ in range(samples):
            total += dense(drop(x)).data
    return total / samples


def main(argv: list[str] | None = None) -> int:
    """Print the Monte-Carlo check and write ``dropout_scaling.svg``."""
    out = start(argv, TITLE)
    heading("Givens")
    show("p", P)
    show("h", H)
    show("W", W)
    w, h = np.array(W), np.array(H)
    heading("Expectation by hand")
    print("E[h'_i] = p * 0 + (1 - p) h_i = (1 - p) h_i, so E[W h'] = (1 - p) W h")
    show("W h (test time, no dropout)", w @ h)
    show("(1 - p) W h", (1 - P) * w @ h)
    show("W h / (1 - p)", w @ h / (1 - P))
    heading("Monte Carlo: 4000 forward passes through nn.Dropout(p, rescale=False) and Linear")
    mc = monte_carlo(H, W, P, 4000)
    show("average training output", mc)
    right = np.abs(mc - (1 - P) * w @ h).max()
    wrong = np.abs(mc - w @ h / (1 - P)).max()
    check(right < 0.1, f"matches (1 - p) W h (max gap {right:.3f})")
    check(wrong > 1.0, f"far from W h / (1 - p) (max gap {wrong:.3f})")
    print("So the test-time weights are W' = (1 - p) W; the source's W / (1 - p) is inverted")
    print("(W / (1 - p) is what *inverted dropout* does to the kept activations while training,")
    print(" nn.Dropout(p) with rescale=True, so that test time needs no change at all).")
    show("W' = (1 - p) W", (1 - P) * w)

    heading("One training pass, drawn")
    drop = nn.Dropout(P, rescale=False, rng=np.random.default_rng(3))
    dense = nn.Linear(3, 2, bias=False)
    dense.load_state_dict({"weight": W})
    dense.name("W")
    x = Tensor(H, label="h")
    dropped = drop(x)
    print("kept mask:", fmt([v is x.values[i] for i, v in enumerate(dropped.values)]))
    y = dense(dropped)
    y.name("y")
    loss = scalar(y.sum(), "sum(y)")
    loss.backward()
    show("y", y)
    show("dL/dh (zero where dropped)", x.grad)
    save_graph(loss, out, "dropout_scaling", title="P20: dropout (no rescale) then dense")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
