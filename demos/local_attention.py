"""P22: local self-attention: |i - j| <= k. Score evaluations counted from the graph.

Full attention evaluates T^2 scores; local attention evaluates
T(2k + 1) - k(k + 1) when k < T (each end loses 1 + 2 + ... + k pairs), about
T(2k + 1), a speedup of about T / (2k + 1). The counts below are the numbers of
score nodes in the graphs ``nn.functional.scaled_dot_product_attention`` builds.
With q_i = alpha, k_j = v_j = x_j (1-D) the windowed softmax tends to
max-pooling with window 2k + 1, stride 1, as alpha grows.
"""

from __future__ import annotations

import numpy as np

import nn
from autograd import Tensor
from demos.common import check, heading, save_graph, scalar, show, start
from nn.attention import count_scores, local_mask, local_score_count

TITLE = "P22: local attention: score nodes T^2 vs T(2k+1) - k(k+1), and the max-pool limit"


def counted(T: int, k: int | None) -> int:
    """Score nodes in the graph of (local, if k is given) attention over T random tokens.

    Example:
        >>> counted(6, None), counted(6, 1), counted(6, 10)
        (36, 16, 36)
    """
    x = Tensor(np.random.default_rng(T).normal(size=(T, 2)))
    mask = None if k is None else local_mask(T, k)
    out, _ = nn.functional.scaled_dot_product_attention(x, x, x, mask=mask)
    return count_scores(out)


def windowed_softmax_pool(x: list[float], k: int, alpha: float) -> Tensor:
    """Local attention with q_i = alpha, k_j = v_j = x_j (d = 1, unscaled).

    Example:
        >>> np.round(windowed_softmax_pool([0.0, 1.0, 0.0], 1, 100.0).data, 3).tolist()
        [1.0, 1.0, 1.0]
    """
    T = len(x)
    xs = Tensor(np.asarray(x, dtype=float)[:, None], label="x")
    q = Tensor(np.full((T, 1), alpha), label="alpha")
    out, _ = nn.functional.scaled_dot_product_attention(q, xs, xs, mask=local_mask(T, k), scale=1.0)
    return out[:, 0]


def main(argv: list[str] | None = None) -> int:
    """Print the count table and the max-pool limit; write ``local_attention.svg``."""
    out = start(argv, TITLE)
    heading("Score nodes counted in the graph")
    print("    T   k   full T^2   local (graph)   T(2k+1)-k(k+1)   T(2k+1)   speedup T^2/local")
    all_match = True
    for T in (1, 2, 5, 8, 12):
        for k in (0, 1, 2, 4, 12):
            if k > T:
                continue
            full, local = counted(T, None), counted(T, k)
            formula = local_score_count(T, k)
            all_match &= full == T * T and local == formula
            print(
                f"  {T:3d} {k:3d} {full:10d} {local:15d} {formula:16d} {T * (2 * k + 1):9d} "
                f"{full / local:10.2f}"
            )
    check(all_match, "the graph holds exactly T^2 and T(2k+1) - k(k+1) scores (k >= T: T^2)")
    heading("Max-pooling limit: q_i = alpha, k_j = v_j = x_j")
    x = [0.0, 3.0, -1.0, 2.0, 5.0, 1.0, -2.0]
    show("x", x)
    pooled = nn.functional.max_pool1d(Tensor([x]), 3, stride=1, padding=1).data[0]
    show("max_pool1d(x, window 3, stride 1, padding 1)", pooled)
    for alpha in (1.0, 5.0, 50.0):
        show(f"local attention k = 1, alpha = {alpha:g}", windowed_softmax_pool(x, 1, alpha))
    gap = np.abs(windowed_softmax_pool(x, 1, 50.0).data - pooled).max()
    check(gap < 1e-6, f"alpha = 50: within {gap:.1e} of max-pooling")
    y = windowed_softmax_pool(x[:5], 1, 2.0)
    total = scalar(y.sum(), "sum(out)")
    total.backward()
    save_graph(
        total,
        out,
        "local_attention",
        title="P22: local attention k = 1 on T = 5 (13 = 5*3 - 1*2 score nodes)",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
