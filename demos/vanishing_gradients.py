"""P11: vanishing and exploding gradients in a scalar ReLU RNN, and the LSTM's cell path.

h_t = ReLU(w h_{t-1} + u x_t) with every pre-activation positive: dh_t/dh_{t-1} = w,
so dh_3/dh_1 = w^2 and dh_20/dh_1 = w^19 (0.3: 1.2e-10; 3: 1.16e9).
LSTM c_t = f_t c_{t-1} + i_t c~_t with f_t = 0.99 (gates independent of c):
dc_20/dc_1 = 0.99^19 ≈ 0.83.
"""

from __future__ import annotations

import math

import numpy as np

import nn
from autograd import Tensor, jacobian
from demos.common import check, heading, save_graph, scalar, show, start

TITLE = "P11: vanishing/exploding gradients (ReLU RNN w^19) vs the LSTM cell (0.99^19)"


def rnn_derivative(w: float, t: int, steps: int = 20, u: float = 1.0) -> tuple[float, nn.RNN]:
    """dh_t/dh_1 of ``nn.RNN(1, 1, relu)`` with weight w on positive inputs (from the graph).

    Example:
        >>> round(rnn_derivative(0.3, 3)[0], 6)
        0.09
    """
    rnn = nn.RNN(1, 1, nonlinearity="relu", bias=False)
    rnn.set_weights(weight_ih_l0=[[u]], weight_hh_l0=[[w]])
    rnn(Tensor(np.ones((steps, 1)), label="x"))
    J = jacobian(lambda _: rnn.hidden_states[t], rnn.hidden_states[1])
    return float(J.ravel()[0]), rnn


def lstm_derivative(forget: float = 0.99, t: int = 20) -> float:
    """dc_t/dc_1 of an ``nn.LSTM(1, 1)`` whose forget gate is the constant ``forget``.

    All weights are 0; the forget-gate bias is logit(forget), so f_t = forget
    at every step and the gates do not depend on c (the only path is f).

    Example:
        >>> round(lstm_derivative(0.5, 3), 6)
        0.25
    """
    lstm = nn.LSTM(1, 1)
    bias = np.zeros(4)
    bias[1] = math.log(forget / (1.0 - forget))  # gate order i, f, g, o
    bias[2] = 1.0  # c~ = tanh(1)
    lstm.set_weights(
        weight_ih_l0=np.zeros((4, 1)),
        weight_hh_l0=np.zeros((4, 1)),
        bias_ih_l0=bias,
        bias_hh_l0=np.zeros(4),
    )
    lstm(Tensor(np.ones((t, 1))))
    J = jacobian(lambda _: lstm.cell_states[t], lstm.cell_states[1])
    return float(J.ravel()[0])


def main(argv: list[str] | None = None) -> int:
    """Print the derivatives for w = 0.3 and 3 and the LSTM; write ``vanishing_gradients.svg``."""
    out = start(argv, TITLE)
    heading("Scalar ReLU RNN, x_t = 1, u = 1 (all pre-activations positive)")
    print("dh_t/dh_{t-1} = ReLU'(w h_{t-1} + u x_t) * w = w, so dh_t/dh_1 = w^(t-1)")
    for w in (0.3, 3.0):
        d3, _ = rnn_derivative(w, 3)
        d20, _ = rnn_derivative(w, 20)
        show(f"w = {w:g}: dh_3/dh_1", d3, note=f"(w^2 = {w**2:g})")
        print(f"w = {w:g}: dh_20/dh_1 = {d20:.4g}  (w^19 = {w**19:.4g})")
    check(abs(rnn_derivative(0.3, 20)[0] - 1.162e-10) < 1e-13, "0.3^19 ≈ 1.16e-10: vanishes")
    check(abs(rnn_derivative(3.0, 20)[0] / 1.162261467e9 - 1) < 1e-9, "3^19 ≈ 1.16e9: explodes")
    heading("LSTM cell with forget gate f_t = 0.99")
    print("c_t = f_t c_{t-1} + i_t c~_t, so dc_t/dc_{t-1} = f_t when the gates ignore c")
    d = lstm_derivative()
    show("dc_20/dc_1", d, note=f"(0.99^19 = {0.99**19:.4f})")
    check(abs(d - 0.99**19) < 1e-12, "≈ 0.83: the cell state carries the gradient")
    _, rnn = rnn_derivative(3.0, 4, steps=4)
    last = scalar(rnn.hidden_states[4][0], "h_4")
    last.backward()
    save_graph(last, out, "vanishing_gradients", title="P11: ReLU RNN with w = 3, four steps")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
