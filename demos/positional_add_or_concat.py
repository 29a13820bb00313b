"""P14: positional encodings added or concatenated, and the relative-position bias.

With q = k = z: adding, z_i = x_i + p_i, gives the score
x_i.x_j + x_i.p_j + p_i.x_j + p_i.p_j (cross terms mix content and position);
concatenating, z_i = [x_i, p_i], gives x_i.x_j + p_i.p_j. When p_i.p_j depends
only on i - j (sinusoids), that term is a bias pi_{i-j} added to the content
scores, so attention with concatenated positions equals content attention with
a relative-position bias.
"""

from __future__ import annotations

import numpy as np

import nn
from autograd import Tensor
from demos.common import check, heading, save_graph, scalar, show, start
from nn.attention import relative_position_bias
from nn.positional import encode_positions, relative_bias_table, sinusoidal_encoding

TITLE = "P14: positions added (cross terms) or concatenated (= relative bias pi_{i-j})"


def score_expansions() -> tuple[object, object]:
    """Symbolic scores z_1 . z_2 for added and concatenated positions (autograd.symbolic).

    Example:
        >>> added, concatenated = score_expansions()
        >>> str(concatenated)
        'a1*b1 + a2*b2 + p1*r1 + p2*r2'
    """
    from autograd.symbolic import symbolic

    x = Tensor([[1.0, 2.0], [3.0, 4.0]], label="x")
    p = Tensor([[0.5, -0.5], [1.0, 0.0]], label="p")
    names = {x: [["a1", "a2"], ["b1", "b2"]], p: [["p1", "p2"], ["r1", "r2"]]}
    results = []
    for mode in ("add", "concat"):
        z = encode_positions(x, p, mode=mode)
        score = z[0] @ z[1]
        results.append(symbolic(score, names).value[score].expand())
    return results[0], results[1]


def concat_vs_bias(T: int = 5, d: int = 3, d_pos: int = 4, seed: int = 0) -> tuple[Tensor, Tensor]:
    """Unscaled attention with q = k = [x, p] vs content attention plus bias pi_{i-j}.

    Example:
        >>> a, b = concat_vs_bias()
        >>> bool(np.allclose(a.data, b.data))
        True
    """
    rng = np.random.default_rng(seed)
    x = Tensor(rng.normal(size=(T, d)), label="x")
    v = Tensor(rng.normal(size=(T, 2)), label="v")
    positions = sinusoidal_encoding(T, d_pos)
    z = encode_positions(x, positions, mode="concat")
    concatenated, _ = nn.functional.scaled_dot_product_attention(z, z, v, scale=1.0)
    table = Tensor(relative_bias_table(positions), label="pi")
    bias = relative_position_bias(table, T)
    biased, _ = nn.functional.scaled_dot_product_attention(x, x, v, scale=1.0, bias=bias)
    return concatenated, biased


def main(argv: list[str] | None = None) -> int:
    """Show both expansions and the relative-bias equivalence; write the SVG."""
    out = start(argv, TITLE)
    heading(
        "Symbolic scores z_1 . z_2 (x_1 = [a1, a2], x_2 = [b1, b2], p_1 = [p1, p2], p_2 = [r1, r2])"
    )
    try:
        added, concatenated = score_expansions()
        print(f"added:        {added}")
        print(f"concatenated: {concatenated}")
        check(
            str(concatenated) == "a1*b1 + a2*b2 + p1*r1 + p2*r2",
            "concatenation: content . content + position . position only",
        )
        check(
            len(added.args) == 8, "adding: 8 terms, the 4 cross terms x.p mix content and position"
        )
    except ImportError as error:
        print(f"(skipped: {error})")
    heading("Sinusoidal positions: p_i . p_j depends only on i - j")
    positions = sinusoidal_encoding(5, 4)
    show("P P^T", positions @ positions.T, digits=3)
    table = relative_bias_table(positions)
    show("pi_d for d = -4..4", table, digits=3)
    heading("Attention with concatenated positions vs content attention + bias pi_{i-j}")
    a, b = concat_vs_bias()
    show("softmax([x,p][x,p]^T) V", a, digits=4)
    show("softmax(x x^T + B) V, B_ij = pi_{i-j}", b, digits=4)
    check(np.allclose(a.data, b.data, atol=1e-12), "identical: concatenation = relative bias")
    total = scalar(b.sum(), "sum(out)")
    total.backward()
    save_graph(
        total,
        out,
        "positional_add_or_concat",
        title="P14: content attention with relative bias pi_{i-j} (T = 5)",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
