"""P9: two heads with W_Q2 = 2 W_Q1, W_K2 = W_K1, W_V2 = W_V1 / 2.

Head 2's scores are twice head 1's, so its attention P2 = softmax(2 S) is
sharper than P1 = softmax(S) (equal only when every row of S is constant), and
Z2 = P2 (X W_V1) / 2, which differs from Z1 = P1 X W_V1 in general: doubling
the query does not cancel halving the value, because the softmax is not linear.
"""

from __future__ import annotations

import numpy as np

from autograd import Tensor
from demos.common import check, heading, save_graph, scalar, show, start
from nn.attention import SelfAttention

TITLE = "P9: W_Q doubled and W_V halved: P1 != P2 and Z1 != Z2 in general"


def two_heads(
    x: np.ndarray, w_q: np.ndarray, w_k: np.ndarray, w_v: np.ndarray
) -> tuple[SelfAttention, SelfAttention, Tensor, Tensor]:
    """Head 1 with (W_Q, W_K, W_V) and head 2 with (2 W_Q, W_K, W_V / 2) on the same X.

    Example:
        >>> x = np.array([[1.0, 0.0], [0.0, 1.0]]); w = np.eye(2)
        >>> h1, h2, z1, z2 = two_heads(x, w, w, w)
        >>> bool(np.allclose(h1.weights.data, h2.weights.data))
        False
    """
    d_model, d_k = w_q.shape
    heads = []
    for factor_q, factor_v in ((1.0, 1.0), (2.0, 0.5)):
        head = SelfAttention(d_model, d_k, w_v.shape[1])
        head.load_state_dict({"W_Q": factor_q * w_q, "W_K": w_k, "W_V": factor_v * w_v})
        heads.append(head)
    xs = Tensor(x, label="X")
    z1, z2 = heads[0](xs), heads[1](xs)
    return heads[0], heads[1], z1, z2


def main(argv: list[str] | None = None) -> int:
    """Compare both heads on an example and random inputs; write ``two_heads.svg``."""
    out = start(argv, TITLE)
    rng = np.random.default_rng(0)
    x = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    w_q = np.array([[1.0, 0.0], [0.0, 1.0]])
    w_k = np.array([[1.0, 1.0], [0.0, 1.0]])
    w_v = np.array([[1.0, -1.0], [2.0, 0.0]])
    heading("Givens")
    show("X", x)
    show("W_Q1", w_q)
    show("W_K1 = W_K2", w_k)
    show("W_V1", w_v)
    h1, h2, z1, z2 = two_heads(x, w_q, w_k, w_v)
    heading("Head 1 vs head 2 (scale 1/sqrt(d_k) in both)")
    show("P1", h1.weights.data, digits=3)
    show("P2", h2.weights.data, digits=3, note="(scores doubled: sharper)")
    show("Z1", z1, digits=3)
    show("Z2", z2, digits=3)
    check(not np.allclose(h1.weights.data, h2.weights.data), "P1 != P2")
    check(not np.allclose(z1.data, z2.data), "Z1 != Z2")
    check(np.allclose(z2.data, h2.weights.data @ (x @ w_v) / 2), "Z2 = P2 (X W_V1) / 2")
    heading("Random inputs")
    differ = 0
    for _ in range(20):
        x = rng.normal(size=(4, 3))
        ws = [rng.normal(size=(3, 2)) for _ in range(3)]
        a1, a2, y1, y2 = two_heads(x, *ws)
        differ += not np.allclose(a1.weights.data, a2.weights.data) and not np.allclose(
            y1.data, y2.data
        )
    check(differ == 20, f"{differ} of 20 random (X, W) give P1 != P2 and Z1 != Z2")
    print("The exception: if all scores of a row are equal (e.g. W_Q = 0), P1 = P2 and Z2 = Z1/2.")
    total = scalar(z2.sum(), "sum(Z2)")
    total.backward()
    save_graph(total, out, "two_heads", title="P9: head 2 (2 W_Q, W_K, W_V / 2), L = sum(Z2)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
