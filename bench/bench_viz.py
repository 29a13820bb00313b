"""Drawing and rendering speed: a 5,000-node scalar graph and a 100,000-node graph.

Targets (issue 4): each finishes within 10 s on a 2-core machine with the
bundled renderer. Run: ``python bench/bench_viz.py``.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from autograd import Tensor, Value
from viz import draw, render
from viz.render import find_renderer


def scalar_graph(n_nodes: int) -> Value:
    """A small MLP-like web of scalars with about ``n_nodes`` nodes."""
    rng = np.random.default_rng(0)
    xs = [Value(float(rng.normal()), label=f"x{i}") for i in range(8)]
    layer = xs
    count = len(xs)
    while count < n_nodes - 20:
        nxt = []
        for j in range(8):
            a, b = layer[j], layer[(j + 3) % len(layer)]
            h = (a * float(rng.normal()) + b).tanh()
            nxt.append(h)
            count += 4  # constant, mul, add, tanh
        layer = nxt
    total = sum(layer[1:], layer[0])
    return total


def tensor_graph(n_nodes: int) -> Value:
    """Two labelled tensor layers whose scalar graph has about ``n_nodes`` nodes."""
    rng = np.random.default_rng(0)
    batch = max(1, n_nodes // 108)  # about 108 scalar nodes per row of x
    X = Tensor(rng.normal(size=(batch, 64)), label="x")
    W1 = Tensor(rng.normal(size=(64, 16)) * 0.1, label="fc1.weight")
    W2 = Tensor(rng.normal(size=(16, 4)) * 0.1, label="fc2.weight")
    h = (X @ W1).name("fc1.out").tanh()
    out = (h @ W2).name("fc2.out")
    loss = (out * out).sum()
    loss.label = "loss"
    return loss


def timed(what: str, fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    print(f"  {what:<34} {time.perf_counter() - start:7.2f} s")
    return result


def main() -> None:
    print(f"renderer: {find_renderer()}")
    out = Path(tempfile.mkdtemp())
    from autograd import topological_order

    for label, build, limit in (("scalar graph", lambda: scalar_graph(5_000), 300_000),
                                ("big tensor graph", lambda: tensor_graph(100_000), 300)):
        print(label)
        start = time.perf_counter()
        root = timed("build", build)
        n = len(topological_order(root))
        timed("backward", root.backward)
        picture = timed(f"draw ({n} nodes)", draw, root, max_nodes=limit)
        path = timed("render to SVG", render, picture, out / f"{label.replace(' ', '_')}.svg")
        total = time.perf_counter() - start
        print(f"  collapsed={picture.collapsed}, {path.stat().st_size / 1e6:.1f} MB SVG, "
              f"total {total:.2f} s (target < 10 s: {'ok' if total < 10 else 'SLOW'})")


if __name__ == "__main__":
    main()
