"""Core engine benchmark: micrograd, chalkgrad eager, chalkgrad compiled and PyTorch, in one run.

    pip install micrograd   # only for this script (PyTorch too, for its rows)
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_core.py

(a) one training step (forward, backward, update) of micrograd's MLP(2, [16, 16, 1])
    on 100 moons points: micrograd, chalkgrad with the same per-scalar loop code,
    chalkgrad's Tensor path (one n-ary dot node per neuron output), the Tensor path
    compiled (``autograd.compile``: traced once, replayed with numpy) and PyTorch
    float64 on one thread, with ratios;
(b) compiled against PyTorch: forward + backward alone, and the loop with an optimizer
    (``nn.optim.SGD`` against PyTorch's plain-SGD update written out, see
    ``mlp_models.TorchMLP``: a ``torch.optim`` optimizer would import ``torch._dynamo``,
    which slows every pure-Python engine in the process); the cost of tracing;
(c) bytes per graph node (tracemalloc while building the loop-code graph);
(d) backward over a chain of 10^6 nodes.
Times are the best of several rounds of consecutive steps, engines interleaved, because
this machine is noisy. OpenBLAS variables of this machine slow numpy and torch down, so
the script runs itself again without them; ``gc.freeze()`` after importing torch keeps
its objects out of the scalar engines' garbage collections.
"""

from __future__ import annotations

import gc
import os
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from environment import rerun_without_openblas_variables, torch_on_one_thread  # noqa: E402

rerun_without_openblas_variables()  # before numpy loads OpenBLAS

from mlp_models import CompiledMLP, LoopMLP, TensorMLP, TorchMLP, make_moons  # noqa: E402

from autograd import Value, topological_order  # noqa: E402

torch = torch_on_one_thread()


def per_step(fn, steps: int) -> float:
    gc.collect()  # each engine pays for its own garbage only
    start = time.perf_counter()
    for _ in range(steps):
        fn()
    return (time.perf_counter() - start) / steps


def interleaved(cases: dict, rounds: int) -> dict[str, float]:
    """Best per-step time of each case over ``rounds`` rounds, cases interleaved."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, (fn, steps) in cases.items():
            times[name].append(per_step(fn, steps))
    return {name: min(t) for name, t in times.items()}


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


def bytes_per_node(build) -> float:
    gc.collect()
    tracemalloc.start()
    root = build()
    current, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return current / count_nodes(root)


def chain(value_cls, n: int):
    x = value_cls(0.5)
    v = x
    for i in range(n):
        v = v * 1.0000001 if i % 2 else v + 1e-7
    return x, v


def tracing_cost(X, y, eager_step: float, repeats: int = 3) -> float:
    """Seconds of the first compiled step (trace + replay), in eager Tensor-path steps."""
    best = float("inf")
    for _ in range(repeats):
        model = CompiledMLP(2, [16, 16, 1])
        gc.collect()
        start = time.perf_counter()
        model.step(X, y)
        best = min(best, time.perf_counter() - start)
    return best / eager_step


def main(rounds: int = 3) -> None:
    try:
        from micrograd.engine import Value as MicroValue
    except ImportError:
        sys.exit("this benchmark compares against micrograd: pip install micrograd")
    X, y = make_moons(100)
    micro = LoopMLP(MicroValue, 2, [16, 16, 1])
    loop = LoopMLP(Value, 2, [16, 16, 1])
    tensor = TensorMLP(2, [16, 16, 1])
    compiled = CompiledMLP(2, [16, 16, 1])
    compiled.step(X, y)  # traced here, replayed from now on
    engines = {
        "micrograd": (lambda: micro.step(X, y), 2),
        "chalkgrad, same loop code": (lambda: loop.step(X, y), 5),
        "chalkgrad, Tensor path (eager)": (lambda: tensor.step(X, y), 10),
        "chalkgrad, Tensor path compiled": (lambda: compiled.step(X, y), 300),
    }
    pairs = {}
    if torch is not None:
        reference = TorchMLP(TensorMLP(2, [16, 16, 1]))
        Xt, yt = torch.tensor(X), torch.tensor(y)
        engines["PyTorch float64, 1 thread"] = (lambda: reference.step(Xt, yt), 300)
        check = CompiledMLP(2, [16, 16, 1])
        same = abs(check.forward_backward(X, y) - TorchMLP(check).forward_backward(Xt, yt))
        pairs = {
            "compiled forward + backward": (lambda: compiled.forward_backward(X, y), 300),
            "PyTorch forward + backward": (lambda: reference.forward_backward(Xt, yt), 300),
        }
    times = interleaved({**engines, **pairs}, rounds)
    if "torch._dynamo" in sys.modules:  # see mlp_models.TorchMLP
        print("warning: torch._dynamo was imported during timing; Python ran slowed for all")

    print("(a) one training step of MLP(2, [16, 16, 1]) on 100 points (forward, backward, update)")
    print(
        f"    {'engine':34s} {'nodes':>7s} {'ms/step':>9s} {'vs micrograd':>13s} "
        f"{'vs PyTorch':>11s}"
    )
    nodes = {
        "micrograd": count_nodes(micro.loss(X, y)),
        "chalkgrad, same loop code": len(topological_order(loop.loss(X, y))),
        "chalkgrad, Tensor path (eager)": len(topological_order(tensor.loss(X, y))),
    }
    nodes["chalkgrad, Tensor path compiled"] = nodes["chalkgrad, Tensor path (eager)"]
    torch_time = times.get("PyTorch float64, 1 thread")
    targets = {
        "chalkgrad, Tensor path (eager)": "target >= 60x micrograd",
        "chalkgrad, Tensor path compiled": "target <= 2.5x PyTorch (with nn.optim.SGD)",
    }
    for name in engines:
        speedup = times["micrograd"] / times[name]
        versus = f"{times[name] / torch_time:10.1f}x" if torch_time else f"{'-':>11s}"
        count = f"{nodes[name]:7d}" if name in nodes else f"{'-':>7s}"
        print(
            f"    {name:34s} {count} {times[name] * 1e3:9.3f} {speedup:12.0f}x {versus}"
            f"   {targets.get(name, '')}"
        )
    print(
        f"    (best of {rounds} rounds of consecutive steps; the compiled step and PyTorch "
        "use SGD optimizers, the others micrograd's per-Value update loop)"
    )

    eager_step = times["chalkgrad, Tensor path (eager)"]
    print("(b) compiled against PyTorch float64 on one thread")
    if pairs:
        ratio = times["compiled forward + backward"] / times["PyTorch forward + backward"]
        print(
            f"    forward + backward: compiled {times['compiled forward + backward'] * 1e3:.3f}"
            f" ms, PyTorch {times['PyTorch forward + backward'] * 1e3:.3f} ms: {ratio:.2f}x"
            "   target <= 2x"
        )
        ratio = times["chalkgrad, Tensor path compiled"] / torch_time
        print(
            f"    loop with SGD (zero_grad, forward, backward, step): {ratio:.2f}x   target <= 2.5x"
        )
        print(f"    same numbers: |loss compiled - loss PyTorch| = {same:.1e}")
    else:
        print("    (PyTorch is not installed: pip install torch)")
    print(
        f"    tracing (first compiled step) costs {tracing_cost(X, y, eager_step):.1f} eager "
        "Tensor-path steps   target <= 3"
    )

    b_micro = bytes_per_node(lambda: micro.loss(X, y))
    b_loop = bytes_per_node(lambda: loop.loss(X, y))
    b_tensor = bytes_per_node(lambda: tensor.loss(X, y))
    print("(c) bytes per graph node (tracemalloc, building the loss graph)")
    print(
        f"    micrograd {b_micro:6.0f}   chalkgrad loop code {b_loop:6.0f}   "
        f"chalkgrad Tensor path {b_tensor:6.0f}   target <= 150"
    )

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
    print(
        f"(d) backward over a {n:,}-node chain: chalkgrad {t_chain:.2f} s; micrograd: {micro_chain}"
    )


if __name__ == "__main__":
    main()
