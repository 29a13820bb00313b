"""P21: LogLU = log(ReLU(x)) gives -inf forward and an infinite gradient backward for x <= 0.

Forward: ReLU(x) = 0 so log(0) = -inf. Backward: d log/d a = 1/a = inf reaches
ReLU. The chain rule's product ReLU'(x) * inf = 0 * inf is NaN, as the problem
says; PyTorch, and chalkgrad with it, treat ReLU's backward as a mask, so x gets
exactly 0: the inf stops silently at ReLU. ``autograd.detect_anomaly()`` stops
at the first non-finite value and names the node, forward or backward.
"""

from __future__ import annotations

import nn
from autograd import AnomalyError, Tensor, Value, detect_anomaly
from demos.common import check, heading, save_graph, show, start

TITLE = (
    "P21: LogLU = log(ReLU(x)) gives -inf, then an inf gradient that ReLU masks; "
    "detect_anomaly names the first bad node"
)


def loglu(x: Value) -> tuple[Value, Value]:
    """``(relu, y)`` with ``relu = ReLU(x)`` and ``y = log(relu)``, labelled.

    Example:
        >>> _, y = loglu(Value(2.0, label="x"))
        >>> round(y.data, 4)
        0.6931
    """
    r = x.relu()
    r.label = "relu"
    y = r.log()
    y.label = "y"
    return r, y


def forward_anomaly(x0: float) -> str | None:
    """The message of the AnomalyError raised while building LogLU at ``x0`` (None if finite).

    Example:
        >>> print(forward_anomaly(-1.0))
        forward: log produced -inf
          node: (unlabelled) = log(relu=0)
          its inputs are finite, so this is the first non-finite value
    """
    try:
        with detect_anomaly():
            loglu(Value(x0, label="x"))
    except AnomalyError as error:
        return str(error)
    return None


def backward_anomaly(x0: float) -> str | None:
    """Build LogLU at ``x0`` normally, then run backward under detect_anomaly.

    Example:
        >>> print(backward_anomaly(-1.0))
        backward: log sends gradient inf to its input 1 of 1
          node: y = log(relu=0)
          upstream gradient 1.0 × local derivative 1/relu = inf
          receiving node: relu = ReLU(x=-1)
    """
    _, y = loglu(Value(x0, label="x"))
    try:
        with detect_anomaly():
            y.backward()
    except AnomalyError as error:
        return str(error)
    return None


def layer_anomaly() -> str | None:
    """The AnomalyError message of log(ReLU(Linear(x))) with one unit below zero, labelled.

    The pre-activations are named ``z``, the ReLU outputs ``relu``, so the message
    says which element of which tensor fed the log.

    Example:
        >>> print(layer_anomaly())
        forward: log produced -inf
          node: (unlabelled) = log(relu[2]=0)
          its inputs are finite, so this is the first non-finite value
    """
    layer = nn.Linear(2, 3)
    layer.load_state_dict({"weight": [[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]], "bias": [0.0] * 3})
    try:
        with detect_anomaly():
            z = layer(Tensor([1.0, 2.0], label="x")).name("z")
            relu = z.relu().name("relu")
            relu.log()
    except AnomalyError as error:
        return str(error)
    return None


def main(argv: list[str] | None = None) -> int:
    """Show the -inf, the NaN, where detect_anomaly stops; write ``loglu_nan.svg``."""
    out = start(argv, TITLE)
    heading("Without anomaly detection, x = -1")
    x = Value(-1.0, label="x")
    r, y = loglu(x)
    y.backward()
    show("relu = ReLU(-1)", r.data)
    show("y = log(0)", y.data)
    show("dy/drelu = 1/relu", r.grad, note="(1/0 = inf)")
    show("the chain rule's product ReLU'(-1) * inf = 0 * inf", 0.0 * r.grad)
    show("dy/dx, ReLU's backward being a mask (PyTorch)", x.grad)
    check(
        x.grad == 0.0 and r.grad == float("inf"),
        "x gets exactly 0, not the product's NaN, as in PyTorch: the inf stops silently at ReLU",
    )
    heading("Forward under detect_anomaly()")
    message = forward_anomaly(-1.0)
    print(message)
    check(
        message is not None and message.startswith("forward: log") and "log(relu=0)" in message,
        "stops at the log node: its input relu = 0 is finite, its output -inf is not",
    )
    heading("Backward under detect_anomaly() (graph built without it)")
    message = backward_anomaly(-1.0)
    print(message)
    check(
        message is not None
        and message.startswith("backward: log")
        and "receiving node: relu" in message,
        "stops where 1/relu = inf first flows backward into relu, before ReLU's mask hides it",
    )
    heading("For x > 0 LogLU is just log(x)")
    xp = Value(2.0, label="x")
    _, yp = loglu(xp)
    yp.backward()
    show("y(2), dy/dx(2) = 1/2", [yp.data, xp.grad])
    check(forward_anomaly(2.0) is None and backward_anomaly(2.0) is None, "no anomaly for x = 2")
    heading("In a layer: log(ReLU(Linear(x)))")
    print(layer_anomaly())
    print("(the third unit: z[2] = -1 - 2 < 0, so relu[2] = 0 and log gives -inf)")
    save_graph(
        y,
        out,
        "loglu_nan",
        highlight=r,
        title="P21: y = log(ReLU(x)) at x = -1. First non-finite values: forward "
        "y = log(relu=0) = -inf; backward relu.grad = 1/relu = inf "
        "(path in red); ReLU's mask then sends x exactly 0, not 0 * inf = NaN",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
