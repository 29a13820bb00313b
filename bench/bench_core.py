"""Core engine benchmark: chalkgrad against micrograd, measured side by side in one run.

    pip install micrograd   # only for this script
    python bench/bench_core.py

(a) one training step (forward, backward, update) of micrograd's MLP(2, [16, 16, 1])
    on 100 moons points: micrograd, chalkgrad with the same per-scalar loop code,
    chalkgrad's Tensor path (one n-ary dot node per neuron output);
(b) bytes per graph node (tracemalloc while building the loop-code graph);
(c) backward over a chain of 10^6 nodes.
Times are the best of several runs, interleaved, because this machine is noisy.
"""

from __future__ import annotations

import gc
import os
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from mlp_models import LoopMLP, TensorMLP, make_moons  # noqa: E402

from autograd import Value, topological_order  # noqa: E402


def best_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def count_nodes(root) -> int:
    """Nodes of a graph, for either engine, without recursion."""
    if not hasattr(root, "_prev"):  # a chalkgrad Value or Tensor
        return len(topological_order(root))
    seen, stack = {id(root)}, [root]
    while stack:
        v = stack.pop()
        for p in v._prev:
            if id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
    return len(seen)


def bytes_per_node(build) -> tuple[float, int]:
    gc.collect()
    tracemalloc.start()
    root = build()
    current, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return current / count_nodes(root), count_nodes(root)


def chain(value_cls, n: int):
    x = value_cls(0.5)
    v = x
    for i in range(n):
        v = v * 1.0000001 if i % 2 else v + 1e-7
    return x, v


def main(repeats: int = 5) -> None:
    try:
        from micrograd.engine import Value as MicroValue
    except ImportError:
        sys.exit("this benchmark compares against micrograd: pip install micrograd")
    X, y = make_moons(100)
    micro = LoopMLP(MicroValue, 2, [16, 16, 1])
    loop = LoopMLP(Value, 2, [16, 16, 1])
    tensor = TensorMLP(2, [16, 16, 1])
    t_micro, t_loop, t_tensor = [], [], []
    for _ in range(repeats):  # interleaved, so drift hits all three alike
        t_micro.append(best_time(lambda: micro.step(X, y), 1))
        t_loop.append(best_time(lambda: loop.step(X, y), 1))
        t_tensor.append(best_time(lambda: tensor.step(X, y), 1))
    tm, tl, tt = min(t_micro), min(t_loop), min(t_tensor)
    n_micro = count_nodes(micro.loss(X, y))
    n_loop = len(topological_order(loop.loss(X, y)))
    n_tensor = len(topological_order(tensor.loss(X, y)))

    b_micro, _ = bytes_per_node(lambda: micro.loss(X, y))
    b_loop, _ = bytes_per_node(lambda: loop.loss(X, y))
    b_tensor, _ = bytes_per_node(lambda: tensor.loss(X, y))

    n = 1_000_000
    x, root = chain(Value, n)
    start = time.perf_counter()
    root.backward()
    t_chain = time.perf_counter() - start
    del x, root
    gc.collect()
    try:
        _, mroot = chain(MicroValue, n)
        mroot.backward()
        micro_chain = "completed"
    except RecursionError:
        micro_chain = "RecursionError"
    gc.collect()

    print(f"(a) one training step of MLP(2, [16, 16, 1]) on 100 points (best of {repeats})")
    print(f"    {'engine':34s} {'seconds':>9s} {'nodes':>8s} {'speedup':>8s}")
    print(f"    {'micrograd':34s} {tm:9.4f} {n_micro:8d} {1.0:8.1f}x")
    print(f"    {'chalkgrad, same loop code':34s} {tl:9.4f} {n_loop:8d} {tm / tl:8.1f}x   target >= 6x")
    print(f"    {'chalkgrad, Tensor path (n-ary dot)':34s} {tt:9.4f} {n_tensor:8d} {tm / tt:8.1f}x   target >= 40x")
    print("(b) bytes per graph node (tracemalloc, building the loss graph)")
    print(f"    micrograd {b_micro:6.0f}   chalkgrad loop code {b_loop:6.0f}   "
          f"chalkgrad Tensor path {b_tensor:6.0f}   target <= 150")
    print(f"(c) backward over a {n:,}-node chain: chalkgrad {t_chain:.2f} s; micrograd: {micro_chain}")


if __name__ == "__main__":
    main()
