"""P7: an RNN with identity activation is a linear classifier of its inputs.

h_t = W_hh h_{t-1} + W_hx x_t unrolls to h_t = W_hh^t h_0 + sum_j W_hh^{t-j} W_hx x_(j),
so the good-vs-bad score (w_good - w_bad)^T h_t = a_0 + sum_j a_j^T x_(j) with
a_0 = (w_good - w_bad)^T W_hh^t h_0 and a_j^T = (w_good - w_bad)^T W_hh^{t-j} W_hx:
yhat = sign(a_0 + sum_j a_j^T x_(j)). The a_j are exactly the engine's d score/d x_j.
"""

from __future__ import annotations

import numpy as np

import nn
from autograd import Tensor
from demos.common import check, heading, save_graph, scalar, show, start

TITLE = "P7: a linear RNN is a linear classifier: score = a_0 + sum_j a_j . x_j"


def closed_form(
    w_hx: np.ndarray, w_hh: np.ndarray, h0: np.ndarray, w_diff: np.ndarray, T: int
) -> tuple[float, np.ndarray]:
    """``(a_0, A)`` with row j-1 of A holding a_j (j = 1..T).

    Example:
        >>> a0, A = closed_form(np.eye(1), 2 * np.eye(1), np.ones(1), np.ones(1), 2)
        >>> a0, A.ravel().tolist()
        (4.0, [2.0, 1.0])
    """
    power = np.linalg.matrix_power
    a0 = float(w_diff @ power(w_hh, T) @ h0)
    A = np.stack([w_diff @ power(w_hh, T - j) @ w_hx for j in range(1, T + 1)])
    return a0, A


def run_rnn(
    w_hx: np.ndarray, w_hh: np.ndarray, h0: np.ndarray, w_diff: np.ndarray, x: np.ndarray
) -> tuple[Tensor, object, nn.RNN]:
    """The score (w_good - w_bad)^T h_T of an identity ``nn.RNN``; returns (x, score, rnn).

    Example:
        >>> _, s, _ = run_rnn(np.eye(1), np.eye(1), np.zeros(1), np.ones(1), np.ones((3, 1)))
        >>> s.data
        3.0
    """
    H, D = w_hx.shape
    rnn = nn.RNN(D, H, nonlinearity="identity", bias=False)
    rnn.set_weights(weight_ih_l0=w_hx, weight_hh_l0=w_hh)
    xs = Tensor(x, label="x")
    _, h_n = rnn(xs, Tensor(h0[None], label="h0"))
    score = scalar(h_n[0] @ Tensor(w_diff, label="w_diff"), "score")
    return xs, score, rnn


def main(argv: list[str] | None = None) -> int:
    """Compare the RNN's score with the closed form; write ``linear_rnn_classifier.svg``."""
    out = start(argv, TITLE)
    rng = np.random.default_rng(0)
    H, D, T = 2, 3, 4
    w_hx, w_hh = rng.normal(size=(H, D)), rng.normal(size=(H, H)) * 0.7
    h0, w_diff, x = rng.normal(size=H), rng.normal(size=H), rng.normal(size=(T, D))
    heading("Givens (random)")
    show("W_hx", w_hx)
    show("W_hh", w_hh)
    show("h_0", h0)
    show("w_good - w_bad", w_diff)
    show("x_1..x_4", x)
    xs, score, _ = run_rnn(w_hx, w_hh, h0, w_diff, x)
    score.backward()
    a0, A = closed_form(w_hx, w_hh, h0, w_diff, T)
    heading("Closed form")
    show(f"a_0 = (w_good - w_bad)^T W_hh^{T} h_0", a0)
    for j in range(T):
        show(f"a_{j + 1} = (W_hh^{T - j - 1} W_hx)^T (w_good - w_bad)", A[j])
    linear = a0 + float(np.sum(A * x))
    show("a_0 + sum_j a_j . x_j", linear)
    show("RNN score", score.data)
    check(abs(linear - score.data) < 1e-12, "the RNN's score is this linear function of the x_j")
    check(np.allclose(xs.grad, A, atol=1e-12), "the engine's d score / d x_j equals a_j")
    show("prediction sign(score)", np.sign(score.data))
    save_graph(score, out, "linear_rnn_classifier", title="P7: identity RNN, score = w_diff . h_4")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
