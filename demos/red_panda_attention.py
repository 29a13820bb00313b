"""P12: self-attention on "The red panda is cute." with hand-made weights.

X (5 tokens, d_model = 3) = [[0,0,0],[1,0,0],[0,1,0],[0,0,0],[0,0,1]];
W_Q = [[0,0,0],[1,0,0],[0,0,0]], W_K = [[sqrt3 ln 80, 0, 0], [0,0,0], [sqrt3 ln 17, 0, 0]],
W_V = I, scaled attention (1/sqrt(3)): "panda" attends to "red" (0.80) and "cute" (0.17).
"""

from __future__ import annotations

import math

import numpy as np

from autograd import Tensor
from demos.common import check, heading, save_graph, scalar, show, start
from nn.attention import SelfAttention

TITLE = 'P12: "The red panda is cute.": panda attends 0.80 to red, 0.17 to cute'

WORDS = ["The", "red", "panda", "is", "cute."]
X = [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
S3 = math.sqrt(3.0)
WEIGHTS = {
    "W_Q": [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]],
    "W_K": [[S3 * math.log(80), 0.0, 0.0], [0.0, 0.0, 0.0], [S3 * math.log(17), 0.0, 0.0]],
    "W_V": np.eye(3),
}


def red_panda() -> tuple[SelfAttention, Tensor, Tensor]:
    """``(head, X, output)`` of the P12 head (scale 1/sqrt(3)).

    Example:
        >>> head, _, y = red_panda()
        >>> np.round(y.data[2], 2).tolist()
        [0.8, 0.01, 0.17]
    """
    head = SelfAttention(3, 3)
    head.load_state_dict(WEIGHTS)
    x = Tensor(X, label="X")
    return head, x, head(x)


def main(argv: list[str] | None = None) -> int:
    """Print Q, scores, attention and output; write ``red_panda_attention.svg``."""
    out = start(argv, TITLE)
    heading("Givens")
    for w, row in zip(WORDS, X):
        print(f"  {w:6} {row}")
    show("W_K[:, 0]", np.array(WEIGHTS["W_K"])[:, 0], note="(sqrt3 ln 80, 0, sqrt3 ln 17)")
    head, x, y = red_panda()
    heading("Queries, scores, attention")
    show("Q = X W_Q", head.queries)
    scores = head.queries.data @ head.keys.data.T / S3
    show(
        "scores / sqrt(3), row 3",
        scores[2],
        note=f"= [0, ln 80 = {math.log(80):.4f}, 0, 0, ln 17 = {math.log(17):.4f}]",
    )
    show("attention", head.weights.data, digits=2)
    check(
        np.allclose(np.round(head.weights.data[2], 2), [0.01, 0.80, 0.01, 0.01, 0.17]),
        "row 3 = [0.01, 0.80, 0.01, 0.01, 0.17] = [1, 80, 1, 1, 17] / 100; other rows 0.2",
    )
    heading("Output = attention X W_V")
    show("output", y, digits=2)
    check(
        np.allclose(np.round(y.data, 2), [[0.2] * 3] * 2 + [[0.8, 0.01, 0.17]] + [[0.2] * 3] * 2),
        "rows [0.2, 0.2, 0.2] except row 3 = [0.80, 0.01, 0.17]",
    )
    panda = scalar(y[2].sum(), "sum(out[panda])")
    panda.backward()
    save_graph(panda, out, "red_panda_attention", title='P12: the output row of "panda"')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
