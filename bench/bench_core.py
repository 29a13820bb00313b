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


def main(repeats: int = 5, rounds: int = 3, steps: int = 5) -> None:
    try:
        from micrograd.engine import Value as MicroValue
    except ImportError:
        sys.exit("this benchmark compares against micrograd: pip install micrograd")
    X, y = make_moons(100)
    engines = {
        "micrograd": LoopMLP(MicroValue, 2, [16, 16, 1]),
        "chalkgrad, same loop code": LoopMLP(Value, 2, [16, 16, 1]),
        "chalkgrad, Tensor path (n-ary dot)": TensorMLP(2, [16, 16, 1]),
    }
    micro = engines["micrograd"]
    loop = engines["chalkgrad, same loop code"]
    tensor = engines["chalkgrad, Tensor path (n-ary dot)"]
    # Training loop: consecutive steps as micrograd's demo runs them, the garbage
    # collector left to itself within a block, engines interleaved in rounds so that drift hits all alike.
    in_loop: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(rounds):
        for name, model in engines.items():
            gc.collect()  # each engine pays for its own garbage only
            start = time.perf_counter()
            for _ in range(steps):
                model.step(X, y)
            in_loop[name].append((time.perf_counter() - start) / steps)
    loop_time = {name: min(times) for name, times in in_loop.items()}
    # One step alone, after a full collection: no garbage of earlier steps to collect.
    alone = {name: best_time(lambda m=model: m.step(X, y), repeats) for name, model in engines.items()}
    nodes = {
        "micrograd": count_nodes(micro.loss(X, y)),
        "chalkgrad, same loop code": len(topological_order(loop.loss(X, y))),
        "chalkgrad, Tensor path (n-ary dot)": len(topological_order(tensor.loss(X, y))),
    }

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

    targets = {"chalkgrad, same loop code": "target >= 6x",
               "chalkgrad, Tensor path (n-ary dot)": "target >= 40x"}
    print("(a) one training step of MLP(2, [16, 16, 1]) on 100 points: seconds per step")
    print(f"    {'engine':36s} {'nodes':>7s} {'in a training loop':>19s} {'speedup':>8s}"
          f" {'one step alone':>15s} {'speedup':>8s}")
    for name in engines:
        ratio_loop = loop_time["micrograd"] / loop_time[name]
        ratio_alone = alone["micrograd"] / alone[name]
        print(f"    {name:36s} {nodes[name]:7d} {loop_time[name]:19.4f} {ratio_loop:7.1f}x"
              f" {alone[name]:15.4f} {ratio_alone:7.1f}x   {targets.get(name, '')}")
    print(f"    (training loop: best of {rounds} rounds of {steps} consecutive steps; "
          f"one step alone: best of {repeats}, after gc.collect())")
    print("(b) bytes per graph node (tracemalloc, building the loss graph)")
    print(f"    micrograd {b_micro:6.0f}   chalkgrad loop code {b_loop:6.0f}   "
          f"chalkgrad Tensor path {b_tensor:6.0f}   target <= 150")
    print(f"(c) backward over a {n:,}-node chain: chalkgrad {t_chain:.2f} s; micrograd: {micro_chain}")


if __name__ == "__main__":
    main()
