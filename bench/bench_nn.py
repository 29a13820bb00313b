"""nn benchmark: scalar graph nodes per second for forward + backward, in one run.

    python bench/bench_nn.py

Reference: the core engine's MLP(2, [16, 16, 1]) built from ``autograd.linear``
on 100 points (the Tensor path of bench_core.py). Each case reports
nodes/s = len(topological_order(loss)) / seconds(forward + backward), and its
ratio to the reference (target: >= 0.8, i.e. Tensor plumbing adds no hidden cost).

To add a case, write a function returning a scalar loss (a Value or 1-element
Tensor) built from fresh inputs and decorate it with ``@case("name")``; it is
timed the same way. The LSTM and attention cases go in the marked section below.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import numpy as np

import nn
from autograd import Tensor, Value, linear, topological_order

CASES: dict[str, Callable[[], Value | Tensor]] = {}


def case(name: str) -> Callable:
    """Register a benchmark case: a function building and returning a scalar loss."""
    def register(fn: Callable[[], Value | Tensor]) -> Callable[[], Value | Tensor]:
        CASES[name] = fn
        return fn
    return register


def _root(loss: Value | Tensor) -> Value:
    return loss.values.flat[0] if isinstance(loss, Tensor) else loss


def measure(build: Callable[[], Value | Tensor], repeats: int = 5) -> tuple[int, int, float]:
    """(nodes, edges, best seconds) for building the graph and running backward.

    Edges (parent entries) are reported too: an n-ary node with 67 inputs does
    67 edges' work, so nodes/s alone penalises the fat nodes of an LSTM gate.
    """
    best = float("inf")
    nodes = edges = 0
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        root = _root(build())
        root.backward()
        elapsed = time.perf_counter() - start
        best = min(best, elapsed)
        order = topological_order(root)
        nodes, edges = len(order), sum(len(v.parents) for v in order)
    return nodes, edges, best


# ------------------------------------------------------------------ reference
_rng = np.random.default_rng(0)
_MLP_X = _rng.normal(size=(100, 2))
_MLP_Y = np.where(_rng.random(100) > 0.5, 1.0, -1.0)
_MLP_W = [(_rng.uniform(-1, 1, (o, i)), _rng.uniform(-1, 1, o)) for i, o in [(2, 16), (16, 16),
                                                                              (16, 1)]]


def core_mlp() -> Tensor:
    """The core's MLP(2, [16, 16, 1]) on 100 points with micrograd's hinge loss."""
    h = Tensor(_MLP_X)
    for k, (w, b) in enumerate(_MLP_W):
        h = linear(h, Tensor(w), Tensor(b))
        if k < len(_MLP_W) - 1:
            h = h.relu()
    return (1.0 - h[:, 0] * _MLP_Y).relu().mean()


# ---------------------------------------------------------------------- cases
nn.manual_seed(0)
_CONV_NET = nn.Sequential(nn.Conv2d(1, 8, 3), nn.MaxPool2d(2), nn.Flatten(0), nn.Linear(8 * 13 * 13,
                                                                                         10))
_IMAGE = np.random.default_rng(1).normal(size=(1, 28, 28))


@case("Conv2d(1,8,3) + MaxPool2d(2) + Linear on 28x28")
def conv_net() -> Tensor:
    _CONV_NET.zero_grad()
    logits = _CONV_NET(Tensor(_IMAGE))
    return nn.functional.cross_entropy(logits, 3)


# ============ part 2 cases (LSTM over 32 steps of 16, one-head attention) below ============

_LSTM = nn.LSTM(16, 16)
_SEQUENCE = np.random.default_rng(2).normal(size=(32, 16))
_SELF_ATTENTION = nn.SelfAttention(16, 16)
_TOKENS = np.random.default_rng(3).normal(size=(32, 16))


@case("LSTM(16, 16) over 32 steps")
def lstm_sequence() -> Tensor:
    _LSTM.zero_grad()
    output, (h_n, c_n) = _LSTM(Tensor(_SEQUENCE))
    return h_n.sum()


@case("one-head SelfAttention(16, 16) over 32 tokens")
def self_attention() -> Tensor:
    _SELF_ATTENTION.zero_grad()
    return _SELF_ATTENTION(Tensor(_TOKENS)).sum()



# ==========================================================================================


def main() -> None:
    ref_nodes, ref_edges, ref_time = measure(core_mlp)
    ref_rate, ref_edge_rate = ref_nodes / ref_time, ref_edges / ref_time
    print(f"{'case':48s} {'nodes':>7s} {'edges':>7s} {'seconds':>8s} {'nodes/s':>9s} "
          f"{'vs MLP':>6s} {'edges/s':>9s} {'vs MLP':>6s}")
    print(f"{'core MLP(2,[16,16,1]) on 100 points (reference)':48s} {ref_nodes:7d} "
          f"{ref_edges:7d} {ref_time:8.4f} {ref_rate:9.0f} {1.0:6.2f} {ref_edge_rate:9.0f} "
          f"{1.0:6.2f}")
    for name, build in CASES.items():
        nodes, edges, seconds = measure(build)
        rate, edge_rate = nodes / seconds, edges / seconds
        print(f"{name:48s} {nodes:7d} {edges:7d} {seconds:8.4f} {rate:9.0f} "
              f"{rate / ref_rate:6.2f} {edge_rate:9.0f} {edge_rate / ref_edge_rate:6.2f}")


if __name__ == "__main__":
    main()
