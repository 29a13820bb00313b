"""P19: closed forms of the linear RNN with W_x = W_h = I, b = 0, h_0 = 0.

h_t = h_{t-1} + x_t, so h_t = sum_{i<=t} x_i. Differentiating h_t = W_h h_{t-1} + x_t
at W_h = I: d h_t / d W_h = (d/dW_h of W_h h_{t-1}) + d h_{t-1}/d W_h, i.e.
d(h_t)_a / d(W_h)_{bc} = delta_ab sum_{i=0}^{t-1} (h_i)_c.
"""

from __future__ import annotations

import numpy as np

import nn
from autograd import Tensor, jacobian
from demos.common import check, heading, save_graph, scalar, show, start

TITLE = "P19: linear RNN closed forms: h_t = sum x_i, dh_t/dW_h = delta_ab sum_i (h_i)_c"

X = [[1.0, 0.0], [2.0, -1.0], [0.5, 3.0], [-1.0, 1.0]]


def identity_rnn(dim: int) -> nn.RNN:
    """``nn.RNN`` with identity activation, W_x = W_h = I and no bias.

    Example:
        >>> out, _ = identity_rnn(1)(Tensor([[1.0], [2.0]]))
        >>> out.data.ravel().tolist()
        [1.0, 3.0]
    """
    rnn = nn.RNN(dim, dim, nonlinearity="identity", bias=False)
    rnn.set_weights(weight_ih_l0=np.eye(dim), weight_hh_l0=np.eye(dim))
    return rnn


def jacobian_wrt_w_h(x: np.ndarray, t: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """``(J, states)``: J[a, b, c] = d(h_t)_a / d(W_h)_{bc} and the states h_0..h_T.

    Example:
        >>> J, _ = jacobian_wrt_w_h(np.ones((2, 1)), 2)
        >>> J.ravel().tolist()   # h_0 + h_1 = 0 + 1
        [1.0]
    """
    x = np.asarray(x, dtype=float)
    rnn = identity_rnn(x.shape[1])
    rnn(Tensor(x))
    states = [h.data for h in rnn.hidden_states]
    J = jacobian(lambda _: rnn.hidden_states[t], rnn.weight_hh_l0)
    return J, states


def main(argv: list[str] | None = None) -> int:
    """Check both closed forms numerically; write ``linear_rnn_closed_forms.svg``."""
    out = start(argv, TITLE)
    x = np.array(X)
    heading("Givens")
    show("x_1..x_4", x)
    rnn = identity_rnn(2)
    output, _ = rnn(Tensor(x, label="x"))
    heading("h_t = sum_{i<=t} x_i")
    show("h_1..h_4 (engine)", output)
    show("cumulative sums", np.cumsum(x, axis=0))
    check(np.allclose(output.data, np.cumsum(x, axis=0)), "h_t = x_1 + ... + x_t")
    heading("d(h_t)_a / d(W_h)_{bc} at W_h = I")
    t = 4
    J, states = jacobian_wrt_w_h(x, t)
    total = np.sum(states[:t], axis=0)
    show(f"sum_(i=0..{t - 1}) h_i", total)
    expected = np.einsum("ab,c->abc", np.eye(2), total)
    show("engine J[a=0]", J[0])
    show("engine J[a=1]", J[1])
    check(np.allclose(J, expected), "J[a, b, c] = delta_ab * sum_{i<t} (h_i)_c")
    last = scalar(rnn.hidden_states[t].sum(), "sum(h_4)")
    last.backward()
    save_graph(last, out, "linear_rnn_closed_forms", title="P19: identity RNN, sum(h_4)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
