"""P1: self-attention with 1-D projections, its permutation equivariance, and positions.

X = [[0, 1], [-1, 1]] (rows are tokens), W_K = [-2, -1]^T, W_Q = [2 sqrt2, sqrt2]^T,
W_V = [-0.1, 0.3]^T, built as ``nn.attention.SelfAttention(2, 1)``.
"""

from __future__ import annotations

import math

import numpy as np

from autograd import Tensor
from demos.common import check, heading, save_graph, scalar, show, start
from nn.attention import SelfAttention
from nn.positional import encode_positions

TITLE = "P1: 1-D self-attention by hand, permutation equivariance, positional encoding"

S2 = math.sqrt(2.0)
X = [[0.0, 1.0], [-1.0, 1.0]]
WEIGHTS = {"W_Q": [[2 * S2], [S2]], "W_K": [[-2.0], [-1.0]], "W_V": [[-0.1], [0.3]]}
POSITIONS = [[-1.0, 0.0], [1.0, 0.0]]


def attention(
    scale: float = 1.0, weights: dict | None = None, d_model: int = 2, d_k: int = 1
) -> SelfAttention:
    """A ``SelfAttention`` head loaded with the P1 weights (or ``weights``).

    Example:
        >>> y = attention()(Tensor(X))
        >>> np.round(y.data[:, 0], 4).tolist()
        [0.3944, 0.3056]
    """
    head = SelfAttention(d_model, d_k, scale=scale)
    head.load_state_dict(weights if weights is not None else WEIGHTS)
    return head


def main(argv: list[str] | None = None) -> int:
    """Print the P1 answers and write ``attention_1d.svg``."""
    out = start(argv, TITLE)
    heading("Givens")
    show("X", X)
    for name, w in WEIGHTS.items():
        show(name, np.ravel(w))
    head = attention(scale=1.0)
    x = Tensor(X, label="X")
    y = head(x)
    heading("Projections")
    show("k = X W_K", head.keys.data[:, 0])
    show("q = X W_Q", head.queries.data[:, 0], note="(sqrt2, -sqrt2)")
    show("v = X W_V", head.values.data[:, 0])
    heading("Unscaled (d = 1): softmax(q k^T) v")
    print("scores q_i k_j: row 1 = [-sqrt2, sqrt2], row 2 = [sqrt2, -sqrt2]")
    show("attention", head.weights.data, digits=3)
    h = 1.0 / (1.0 + math.exp(2 * S2))
    show("h = 1/(1 + exp(2 sqrt2))", h)
    show(
        "y_1 = 0.3h + 0.4(1 - h), y_2 = 0.3(1 - h) + 0.4h",
        [0.3 * h + 0.4 * (1 - h), 0.3 * (1 - h) + 0.4 * h],
    )
    show("y (engine)", y.data[:, 0])
    check(np.allclose(np.round(y.data[:, 0], 4), [0.3944, 0.3056]), "y = [0.3944, 0.3056]")
    heading("Scaled by 1/sqrt(2)")
    scaled = attention(scale=1.0 / S2)
    ys = scaled(Tensor(X))
    show("attention", scaled.weights.data, digits=2)
    show("y", ys.data[:, 0], digits=3)
    heading("Swap the two tokens")
    swapped = attention()(Tensor(X[::-1]))
    show("y(swapped X)", swapped.data[:, 0])
    check(np.allclose(swapped.data[::-1], y.data), "the output rows swap too (equivariance)")
    rng = np.random.default_rng(0)
    Xr = rng.normal(size=(5, 3))
    perm = rng.permutation(5)
    weights = {k: rng.normal(size=(3, 2)) for k in ("W_Q", "W_K", "W_V")}
    a = attention(1.0, weights, 3, 2)(Tensor(Xr)).data
    b = attention(1.0, weights, 3, 2)(Tensor(Xr[perm])).data
    check(
        np.allclose(b, a[perm]),
        "random 5x3 X, random weights, random permutation: attention(X[perm]) = attention(X)[perm]",
    )
    heading("Add positional encoding P = [[-1, 0], [1, 0]]")
    with_positions = encode_positions(Tensor(X), POSITIONS)
    show("X + P", with_positions)
    yp = attention()(with_positions)
    show("y(X + P)", yp.data[:, 0])
    check(
        np.allclose(yp.data, swapped.data),
        "X + P is the swapped input, so the output is the swapped output: order matters",
    )
    total = scalar(y.sum(), "sum(y)")
    head.zero_grad()
    x.zero_grad()
    total.backward()
    save_graph(total, out, "attention_1d", title="P1: unscaled 1-D self-attention, L = y_1 + y_2")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
