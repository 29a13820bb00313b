"""P4: the ELU gradient and backprop through an ELU layer.

g(z) = z for z >= 0, e^z - 1 for z < 0, so g'(z) = 1 for z >= 0 and e^z for
z < 0: g'(z) = min(e^z, 1). For h^(l) = g(z^(l)), z^(l) = W h^(l-1) + b:
dL/dh^(l-1) = W^T (dL/dh^(l) ⊙ min(exp(z^(l)), 1)).
"""

from __future__ import annotations

import numpy as np

import nn
from autograd import Tensor, Value
from demos.common import check, heading, save_graph, show, start

TITLE = "P4: ELU gradient g'(z) = min(e^z, 1) and dL/dh = W^T (dL/dh' ⊙ min(e^z, 1))"

W = [[1.0, -2.0], [0.5, 1.0], [-1.0, 0.0]]
B = [0.0, -1.0, 0.5]
H_PREV = [0.5, 1.0]
UPSTREAM = [1.0, 2.0, -1.0]  # dL/dh^(l), given


def elu_layer(w: list, b: list, h_prev: list, upstream: list) -> tuple[Tensor, Tensor, Tensor]:
    """Run ``nn.ELU(nn.Linear)`` on ``h_prev`` and backprop ``upstream``; returns (h_prev, z, h).

    Example:
        >>> h0, z, h = elu_layer([[1.0]], [0.0], [-1.0], [1.0])
        >>> round(float(h0.grad[0]), 4)  # min(e^-1, 1) * 1 * 1
        0.3679
    """
    layer = nn.Linear(len(h_prev), len(w))
    layer.load_state_dict({"weight": w, "bias": b})
    layer.name("layer")
    h0 = Tensor(h_prev, label="h_prev")
    z = layer(h0)
    z.name("z")
    h = nn.ELU()(z)
    h.name("h")
    h.backward(np.asarray(upstream, dtype=float))
    return h0, z, h


def by_formula(w: list, z: np.ndarray, upstream: list) -> np.ndarray:
    """``W^T (upstream ⊙ min(exp(z), 1))`` in numpy.

    Example:
        >>> by_formula([[1.0]], np.array([0.0]), [2.0]).tolist()
        [2.0]
    """
    return np.asarray(w).T @ (np.asarray(upstream) * np.minimum(np.exp(z), 1.0))


def main(argv: list[str] | None = None) -> int:
    """Print g', one layer's backward, and write ``elu_gradient.svg``."""
    out = start(argv, TITLE)
    heading("g'(z) from the engine vs min(e^z, 1)")
    worst = 0.0
    for z0 in (-3.0, -1.0, -0.1, 0.0, 0.5, 2.0):
        z = Value(z0, label="z")
        z.elu().backward()
        worst = max(worst, abs(z.grad - min(np.exp(z0), 1.0)))
        print(f"  z = {z0:5.2f}: g'(z) = {z.grad:.4f}, min(e^z, 1) = {min(np.exp(z0), 1.0):.4f}")
    check(worst < 1e-15, "g'(z) = min(exp(z), 1) (continuous at 0: both sides 1)")
    heading("Givens for one layer h = ELU(W h_prev + b)")
    show("W", W)
    show("b", B)
    show("h_prev", H_PREV)
    show("dL/dh (upstream)", UPSTREAM)
    h0, z, h = elu_layer(W, B, H_PREV, UPSTREAM)
    heading("Forward and backward")
    show("z = W h_prev + b", z)
    show("h = ELU(z)", h)
    show("min(exp(z), 1)", np.minimum(np.exp(z.data), 1.0))
    show("dL/dz = dL/dh ⊙ min(exp(z), 1)", z.grad)
    formula = by_formula(W, z.data, UPSTREAM)
    show("W^T (dL/dh ⊙ min(exp(z), 1))", formula)
    show("engine's dL/dh_prev", h0.grad)
    check(np.allclose(h0.grad, formula, atol=1e-12), "the engine matches the formula")
    save_graph(h, out, "elu_gradient", title="P4: h = ELU(W h_prev + b), seeded with dL/dh")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
