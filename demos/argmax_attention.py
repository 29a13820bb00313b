"""P13: argmax (hard) attention returns one value row and passes no gradient to q or k.

Keys [1,2,0], [0,3,4], [5,0,0], [0,0,1]; values [2,0,1], [1,4,3], [0,-1,4], [1,0,-1];
query [1,1,2]: scores 3, 11, 5, 2, so the output is value 2 = [1, 4, 3]. argmax is
piecewise constant, so d output / d query = d output / d keys = 0 everywhere: the
query and key weights cannot be learned. Only the chosen value gets gradient.
"""

from __future__ import annotations

import numpy as np

import nn
from autograd import Tensor
from demos.common import check, heading, save_graph, scalar, show, start

TITLE = "P13: argmax attention: output [1, 4, 3]; zero gradient for query and keys"

KEYS = [[1.0, 2.0, 0.0], [0.0, 3.0, 4.0], [5.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
VALUES = [[2.0, 0.0, 1.0], [1.0, 4.0, 3.0], [0.0, -1.0, 4.0], [1.0, 0.0, -1.0]]
QUERY = [1.0, 1.0, 2.0]


def hard(query: list, keys: list, values: list) -> tuple[Tensor, Tensor, Tensor, Tensor, Tensor]:
    """``(q, k, v, output, weights)`` of ``nn.functional.argmax_attention``, after backward of sum.

    Example:
        >>> q, k, v, out, _ = hard(QUERY, KEYS, VALUES)
        >>> out.data.tolist(), q.grad.tolist()
        ([1.0, 4.0, 3.0], [0.0, 0.0, 0.0])
    """
    q, k, v = Tensor(query, label="q"), Tensor(keys, label="k"), Tensor(values, label="v")
    out, weights = nn.functional.argmax_attention(q, k, v)
    out.sum().backward()
    return q, k, v, out, weights


def main(argv: list[str] | None = None) -> int:
    """Print scores, output and gradients (hard vs soft); write ``argmax_attention.svg``."""
    out = start(argv, TITLE)
    heading("Givens")
    show("keys", KEYS)
    show("values", VALUES)
    show("query", QUERY)
    q, k, v, y, weights = hard(QUERY, KEYS, VALUES)
    heading("Argmax attention")
    show("scores q . k_j", np.array(KEYS) @ np.array(QUERY))
    show("one-hot weights", weights)
    show("output", y)
    check(y.data.tolist() == [1.0, 4.0, 3.0], "output = value 2 = [1, 4, 3]")
    heading("Gradients of sum(output)")
    show("d/d query", q.grad)
    show("d/d keys", k.grad)
    show("d/d values", v.grad)
    check(not q.grad.any() and not k.grad.any(), "query and keys get exactly zero gradient")
    check(
        v.grad[1].tolist() == [1.0, 1.0, 1.0] and v.grad.sum() == 3.0,
        "only the chosen value row gets gradient",
    )
    heading("Soft attention on the same inputs (unscaled) for contrast")
    qs, ks, vs = Tensor(QUERY, label="q"), Tensor(KEYS, label="k"), Tensor(VALUES, label="v")
    soft, w = nn.functional.scaled_dot_product_attention(qs, ks, vs, scale=1.0)
    soft.sum().backward()
    show("softmax weights", w, digits=5)
    show("output", soft, digits=4)
    show("d/d query", qs.grad, digits=5, note="(small but not zero: learnable)")
    total = scalar(y.sum(), "sum(out)")
    v.zero_grad()
    total.backward()
    save_graph(
        total,
        out,
        "argmax_attention",
        title="P13: argmax attention routes value 2 itself: no path to q or k",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
