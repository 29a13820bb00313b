"""P2: backpropagation through the "funky" 1-D ConvNet, built from nn layers.

x (1 channel, length 5) -> Conv1d(1, 1, 3) -> MaxPool1d(2, stride 1) -> LeakyReLU(0.1)
-> Linear(2, 1) = z4 -> yhat = exp(z4) -> L = (y - yhat)^2 / 2.

The numbers of the problem (z = [1, -2, -3], w = [5, 10], c = 3, seed dL/dz4 = 1)
come from the input x = [3, -1, 0, 1, 5] and the kernel k = [1, 2, -1], b = 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import nn
from autograd import Tensor, Value
from demos.common import check, heading, save_graph, show, start
from viz import backward_steps, print_steps

TITLE = "P2: funky 1-D ConvNet backprop (conv, max-pool, leaky ReLU, linear, exp)"

X = [3.0, -1.0, 0.0, 1.0, 5.0]
KERNEL = [1.0, 2.0, -1.0]
BIAS = 0.0
W = [5.0, 10.0]
C = 3.0


@dataclass
class FunkyNet:
    """The nodes of the funky ConvNet after one forward pass."""

    x: Tensor  # (1, 5)
    conv: nn.Conv1d
    linear: nn.Linear
    z: list[Value]  # z1, z2, z3
    u: list[Value]  # after max-pool
    v: list[Value]  # after leaky ReLU
    z4: Value
    yhat: Value | None = None
    loss: Value | None = None


def build(
    x: Sequence[float] = X,
    kernel: Sequence[float] = KERNEL,
    bias: float = BIAS,
    w: Sequence[float] = W,
    c: float = C,
    y: float | None = None,
) -> FunkyNet:
    """Run the funky net forward with nn.Conv1d, nn.MaxPool1d, nn.LeakyReLU and nn.Linear.

    With ``y`` given the graph continues to yhat = exp(z4) and L = (y - yhat)^2 / 2.

    Example:
        >>> net = build()
        >>> [v.data for v in net.z], net.z4.data
        ([1.0, -2.0, -3.0], 6.0)
    """
    conv = nn.Conv1d(1, 1, 3)
    conv.load_state_dict({"weight": [[list(kernel)]], "bias": [bias]})
    linear = nn.Linear(2, 1)
    linear.load_state_dict({"weight": [list(w)], "bias": [c]})
    conv.name("conv")
    linear.name("fc")
    xs = Tensor([list(x)], label="x")  # (C=1, L=5)
    z = conv(xs)  # (1, 3)
    u = nn.MaxPool1d(2, stride=1)(z)  # (1, 2)
    v = nn.LeakyReLU(0.1)(u)  # (1, 2)
    z4 = linear(v.flatten())  # (1,)
    for name, t in (("z", z), ("u", u), ("v", v)):
        for i, node in enumerate(t.values.flat):
            node.label = f"{name}{i + 1}"
    out = z4.values[0]
    out.label = "z4"
    net = FunkyNet(
        xs, conv, linear, list(z.values.flat), list(u.values.flat), list(v.values.flat), out
    )
    if y is not None:
        net.yhat = out.exp()
        net.yhat.label = "yhat"
        net.loss = (y - net.yhat) ** 2 / 2
        net.loss.label = "L"
    return net


def main(argv: list[str] | None = None) -> int:
    """Print the P2 answer and write ``funky_conv1d.svg``."""
    out = start(argv, TITLE)
    net = build()
    heading("Givens")
    show("x", X)
    show("kernel k1 k2 k3", KERNEL)
    show("b", BIAS)
    show("w1 w2", W)
    show("c", C)
    heading("Forward pass")
    show("z = conv1d(x, k) + b", [v.data for v in net.z], note="(z1 = 1, z2 = -2, z3 = -3)")
    show("u = maxpool(z), window 2, stride 1", [v.data for v in net.u])
    show("v = leaky_relu(u, 0.1)", [v.data for v in net.v])
    show("z4 = w1 v1 + w2 v2 + c", net.z4.data)
    heading("Backward from z4 with seed dL/dz4 = 1 (the engine's steps)")
    print_steps(net.z4, seed=1.0)
    steps = backward_steps(net.z4, seed=1.0)
    net.z4.backward(1.0)
    d = [v.grad for v in net.z]
    heading("The problem's closed forms, evaluated")
    show("dL/dv1 = dL/dz4 w1", net.v[0].grad)
    show("dL/dv2 = dL/dz4 w2", net.v[1].grad)
    show("d1 = dL/du1 = dL/dv1 * 1{u1 > 0} (+ 0.1 otherwise)", net.u[0].grad)
    show("d2 = dL/du2 = dL/dv2 * 0.1 (u2 = -2 < 0)", net.u[1].grad)
    z1, z2, z3 = (v.data for v in net.z)
    d1, d2 = net.u[0].grad, net.u[1].grad
    show("dL/dz1 = d1 1{z1 > z2}", d1 * (z1 > z2))
    show("dL/dz2 = d1 1{z2 > z1} + d2 1{z2 > z3}", d1 * (z2 > z1) + d2 * (z2 > z3))
    show("dL/dz3 = d2 1{z3 > z2}", d2 * (z3 > z2))
    check(d == [5.0, 1.0, 0.0], "engine: dL/dz = [5, 1, 0]  (problems.md)")
    x = X
    dk = [sum(d[i] * x[i + j] for i in range(3)) for j in range(3)]
    show("dL/dk_j = d1 x_j + d2 x_{j+1} + d3 x_{j+2}", dk)
    engine_dk = [float(g) for g in net.conv.weight.grad.flatten()]
    check(engine_dk == dk, f"engine's conv.weight.grad = {engine_dk}")
    check(net.conv.bias.grad[0] == sum(d), f"dL/db = d1 + d2 + d3 = {sum(d)}")
    check(steps.grad(net.z[0]) == 5.0, "viz.backward_steps agrees: dL/dz1 = 5")

    heading("With the loss: yhat = exp(z4), L = (y - yhat)^2 / 2, y = 400")
    full = build(y=400.0)
    full.loss.backward()
    yhat = full.yhat.data
    show("yhat = e^6", yhat)
    show("L", full.loss.data)
    show("dL/dz4 = -(y - yhat) e^{z4}", -(400.0 - yhat) * yhat, note=f"engine: {full.z4.grad:.4f}")
    show("dL/dc (c is a parameter)", full.linear.bias.grad[0])
    save_graph(net.z4, out, "funky_conv1d", title="P2 funky ConvNet, seed dL/dz4 = 1")
    save_graph(full.loss, out, "funky_conv1d_loss", title="P2 with yhat = exp(z4), L, y = 400")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
