"""P16: a two-logit softmax is a sigmoid: softmax([z0, z1])_0 = sigmoid(z0 - z1).

e^{z0} / (e^{z0} + e^{z1}) = 1 / (1 + e^{-(z0 - z1)}). The gradients agree too:
d/dz0 = s(1 - s) = -d/dz1 with s = sigmoid(z0 - z1).
"""

from __future__ import annotations

import numpy as np

import nn
from autograd import Tensor, Value
from demos.common import check, heading, save_graph, scalar, show, start

TITLE = "P16: softmax([z0, z1])_0 = sigmoid(z0 - z1), values and gradients"


def both(z0: float, z1: float) -> tuple[Value, Value, Tensor, Tensor]:
    """``(softmax_0, sigmoid, z_softmax, z_sigmoid)`` built on separate leaves.

    Example:
        >>> a, b, _, _ = both(2.0, -1.0)
        >>> round(a.data, 6) == round(b.data, 6)
        True
    """
    zs = Tensor([z0, z1], label="z")
    soft = scalar(nn.functional.softmax(zs)[0], "softmax_0")
    zg = Tensor([z0, z1], label="w")
    sig = scalar(nn.functional.sigmoid(zg[0] - zg[1]), "sigmoid")
    soft.backward()
    sig.backward()
    return soft, sig, zs, zg


def main(argv: list[str] | None = None) -> int:
    """Compare both forms at given and random points; write ``softmax_is_sigmoid.svg``."""
    out = start(argv, TITLE)
    heading("softmax([z0, z1])_0 vs sigmoid(z0 - z1)")
    for z0, z1 in ((0.0, 0.0), (2.0, -1.0), (-3.0, 4.0), (10.0, 9.5)):
        soft, sig, zs, zg = both(z0, z1)
        print(
            f"  z = ({z0:5.1f}, {z1:5.1f}): softmax_0 = {soft.data:.6f}, "
            f"sigmoid = {sig.data:.6f}; grads {np.round(zs.grad, 6).tolist()} "
            f"vs {np.round(zg.grad, 6).tolist()}"
        )
    heading("On 200 random points")
    rng = np.random.default_rng(0)
    worst_value = worst_grad = 0.0
    for z0, z1 in rng.normal(scale=5.0, size=(200, 2)):
        soft, sig, zs, zg = both(float(z0), float(z1))
        worst_value = max(worst_value, abs(soft.data - sig.data))
        worst_grad = max(worst_grad, float(np.abs(zs.grad - zg.grad).max()))
    check(worst_value < 1e-12, f"values agree (max gap {worst_value:.1e})")
    check(worst_grad < 1e-12, f"gradients agree (max gap {worst_grad:.1e})")
    s = both(2.0, -1.0)[1].data
    show("at (2, -1): s(1 - s)", s * (1 - s), note="= d/dz0 = -d/dz1")
    soft, sig, _, _ = both(2.0, -1.0)
    save_graph(
        [soft, sig],
        out,
        "softmax_is_sigmoid",
        title="P16: softmax([z0, z1])_0 and sigmoid(w0 - w1) at (2, -1)",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
