"""nn benchmark: forward + backward of layers, eager, compiled and PyTorch side by side in one run.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_nn.py

Each case is a function building a scalar loss from a fixed input. It is timed
three ways, forward and backward each time (and eager once more after compiling,
when the compiled step has put the parameters in a bank,
``autograd/compiler/banks.py``): chalkgrad eager (a new scalar graph per call),
chalkgrad compiled (``autograd.compile``: traced once, replayed with numpy) and the
same computation in PyTorch float64 on one thread. Times are CPU time per call, the
median of rounds, in a plain interpreter (torch's own objects frozen out of the cycle
collector); tracing is the median of three fresh compiles' first calls. The reference row
is the core engine's MLP(2, [16, 16, 1]) on 100 points, with micrograd beside it.
Targets: compiled within 5x of PyTorch for the layers; tracing at most 3 eager steps.

To add a case, decorate a function returning a scalar loss (a Value or 1-element
Tensor) with ``@case("name", torch_version)``, where ``torch_version`` returns a
function computing the same loss in PyTorch.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from collections.abc import Callable

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from environment import rerun_without_openblas_variables, torch_on_one_thread  # noqa: E402

rerun_without_openblas_variables()  # before numpy loads OpenBLAS

import numpy as np  # noqa: E402

import nn  # noqa: E402
from autograd import Tensor, compile, linear, topological_order  # noqa: E402

torch = torch_on_one_thread()
# torch's import leaves about 150,000 objects that every cycle collection would scan,
# a cost no chalkgrad user pays: keep them out of the collector's generations.
gc.freeze()
F = torch.nn.functional if torch is not None else None

CASES: dict[str, tuple[Callable, Callable, np.ndarray]] = {}


def case(name: str, torch_version: Callable, data: np.ndarray) -> Callable:
    """Register a benchmark case: ``fn(x)`` building a scalar loss from the input ``data``."""

    def register(fn: Callable) -> Callable:
        CASES[name] = (fn, torch_version, data)
        return fn

    return register


def timed(fn: Callable, calls: int, rounds: int = 5) -> float:
    """Median over ``rounds`` of the CPU time per call of ``calls`` consecutive calls.

    A plain interpreter, as a training loop runs: no ``gc.collect`` before a round.
    """
    times = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(calls):
            fn()
        times.append((time.process_time() - start) / calls)
    return statistics.median(times)


def _tensor(x: np.ndarray):
    return torch.tensor(x)


# ------------------------------------------------------------------ reference
_rng = np.random.default_rng(0)
_MLP_X = _rng.normal(size=(100, 2))
_MLP_Y = np.where(_rng.random(100) > 0.5, 1.0, -1.0)
_MLP_W = [
    (_rng.uniform(-1, 1, (o, i)), _rng.uniform(-1, 1, o)) for i, o in [(2, 16), (16, 16), (16, 1)]
]
_MLP_P = [(Tensor(w, label=f"W{k}"), Tensor(b, label=f"b{k}")) for k, (w, b) in enumerate(_MLP_W)]


def _torch_mlp():
    params = [
        (torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True))
        for w, b in _MLP_W
    ]
    y = torch.tensor(_MLP_Y)

    def loss(x):
        h = x
        for k, (w, b) in enumerate(params):
            h = F.linear(h, w, b)
            if k < len(params) - 1:
                h = torch.relu(h)
        return torch.relu(1.0 - h[:, 0] * y).mean()

    return loss


@case("core MLP(2,[16,16,1]) on 100 points (reference)", _torch_mlp, _MLP_X)
def core_mlp(x: Tensor) -> Tensor:
    """The core's MLP(2, [16, 16, 1]) on 100 points with micrograd's hinge loss."""
    h = x
    for k, (w, b) in enumerate(_MLP_P):
        h = linear(h, w, b)
        if k < len(_MLP_P) - 1:
            h = h.relu()
    return (1.0 - h[:, 0] * _MLP_Y).relu().mean()


# ---------------------------------------------------------------------- cases
nn.manual_seed(0)
_CONV_NET = nn.Sequential(
    nn.Conv2d(1, 8, 3), nn.MaxPool2d(2), nn.Flatten(0), nn.Linear(8 * 13 * 13, 10)
)


def _torch_conv():
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(0),
        torch.nn.Linear(8 * 13 * 13, 10),
    ).double()
    target = torch.tensor(3)
    return lambda x: F.cross_entropy(net(x), target)


@case(
    "Conv2d(1,8,3) + MaxPool2d(2) + Linear on 28x28",
    _torch_conv,
    np.random.default_rng(1).normal(size=(1, 28, 28)),
)
def conv_net(x: Tensor) -> Tensor:
    return nn.functional.cross_entropy(_CONV_NET(x), 3)


_LSTM = nn.LSTM(16, 16)


def _torch_lstm():
    lstm = torch.nn.LSTM(16, 16).double()
    return lambda x: lstm(x)[1][0].sum()


@case("LSTM(16, 16) over 32 steps", _torch_lstm, np.random.default_rng(2).normal(size=(32, 16)))
def lstm_sequence(x: Tensor) -> Tensor:
    output, (h_n, c_n) = _LSTM(x)
    return h_n.sum()


_SELF_ATTENTION = nn.SelfAttention(16, 16)


def _torch_attention():
    W = [torch.tensor(p.data, requires_grad=True) for p in _SELF_ATTENTION.parameters()]

    def loss(x):
        q, k, v = x @ W[0], x @ W[1], x @ W[2]
        return (torch.softmax(q @ k.T / 4.0, dim=-1) @ v).sum()

    return loss


@case(
    "one-head SelfAttention(16, 16) over 32 tokens",
    _torch_attention,
    np.random.default_rng(3).normal(size=(32, 16)),
)
def self_attention(x: Tensor) -> Tensor:
    return _SELF_ATTENTION(x).sum()


_BLOCKS = nn.Sequential(nn.TransformerBlock(16), nn.TransformerBlock(16))


def _torch_blocks():
    layer = {"d_model": 16, "nhead": 1, "dim_feedforward": 64, "dropout": 0.0}
    blocks = torch.nn.Sequential(
        torch.nn.TransformerEncoderLayer(**layer), torch.nn.TransformerEncoderLayer(**layer)
    ).double()
    return lambda x: blocks(x).sum()


@case(
    "two TransformerBlock(16) over 16 tokens",
    _torch_blocks,
    np.random.default_rng(4).normal(size=(16, 16)),
)
def transformer_blocks(x: Tensor) -> Tensor:
    return _BLOCKS(x).sum()


# ==========================================================================================


def _root(loss):
    return loss.values.flat[0] if isinstance(loss, Tensor) else loss


def measure(fn: Callable, torch_version: Callable, data: np.ndarray) -> dict:
    """Nodes, eager, tracing, compiled and PyTorch seconds for one forward + backward."""

    def eager():
        _root(fn(Tensor(data))).backward()

    eager_time = timed(eager, 2)
    nodes = len(topological_order(_root(fn(Tensor(data)))))
    traces = []
    for _ in range(3):  # a fresh compile each time: the first call traces
        start = time.process_time()
        step = compile(fn)
        step(data).backward()
        traces.append(time.process_time() - start)
    trace_time = statistics.median(traces)

    def compiled():
        step(data).backward()

    same = abs(step(data).item() - _root(fn(Tensor(data))).data)
    out = {
        "nodes": nodes,
        "eager": eager_time,
        "trace": trace_time,
        "compiled": timed(compiled, 50),
        "same": same,
        # The compiled step banked the parameters; eager backward gives them back first.
        "eager after": timed(eager, 2),
    }
    if torch is not None:
        loss, x = torch_version(), torch.tensor(data)
        out["torch"] = timed(lambda: loss(x).backward(), 50)
    return out


def micrograd_mlp() -> float | None:
    """micrograd's forward + backward of the same MLP and loss, seconds; None if missing."""
    try:
        from micrograd.engine import Value
    except ImportError:
        return None
    params = [
        ([[Value(w) for w in row] for row in W.tolist()], [Value(v) for v in b.tolist()])
        for W, b in _MLP_W
    ]

    def loss():
        total = Value(0.0)
        for x, y in zip(_MLP_X.tolist(), _MLP_Y.tolist()):
            h = [Value(v) for v in x]
            for k, (W, b) in enumerate(params):
                h = [sum((w * v for w, v in zip(row, h)), bias) for row, bias in zip(W, b)]
                if k < len(params) - 1:
                    h = [v.relu() for v in h]
            total = total + (1.0 - h[0] * y).relu()
        (total * (1.0 / len(_MLP_X))).backward()

    return timed(loss, 1, rounds=2)


def main() -> None:
    print(
        f"{'case':46s} {'nodes':>6s} {'eager ms':>9s} {'compiled':>9s} {'PyTorch':>8s} "
        f"{'eager/PT':>9s} {'compiled/PT':>11s} {'trace/eager':>11s} {'eager after compile':>19s}"
    )
    micro = micrograd_mlp()
    for name, (fn, torch_version, data) in CASES.items():
        r = measure(fn, torch_version, data)
        pt = r.get("torch")

        def ratio(t: float, pt: float | None = pt) -> str:
            return f"{t / pt:8.1f}x" if pt else f"{'-':>9s}"

        print(
            f"{name:46s} {r['nodes']:6d} {r['eager'] * 1e3:9.2f} {r['compiled'] * 1e3:9.3f} "
            f"{(pt or float('nan')) * 1e3:8.3f} {ratio(r['eager'])} {ratio(r['compiled']):>11s} "
            f"{r['trace'] / r['eager']:10.1f}x {r['eager after'] * 1e3:16.2f} ms"
            f"   (|compiled - eager| {r['same']:.0e})"
        )
        if micro is not None and name.startswith("core MLP"):
            print(
                f"{'  micrograd, same MLP and loss':46s} {'':6s} {micro * 1e3:9.1f} "
                f"{'':9s} {'':8s} {ratio(micro)}   eager is {micro / r['eager']:.0f}x "
                f"faster, compiled {micro / r['compiled']:.0f}x (forward + backward alone; "
                "the 60x target is bench_core's training loop)"
            )
    print("targets: compiled/PT <= 5x for the layers (<= 2x for the MLP), trace/eager <= 3x")


if __name__ == "__main__":
    main()
