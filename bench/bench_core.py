"""Core engine benchmark: micrograd, chalkgrad eager, chalkgrad compiled and PyTorch, in one run.

    pip install micrograd   # only for this script (PyTorch too, for its rows)
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_core.py
    ... bench/bench_core.py --baseline /path/to/older/checkout   # also time an older engine

(a) one training step (forward, backward, update) of micrograd's MLP(2, [16, 16, 1])
    on 100 moons points, the way a user's training loop runs it: micrograd, chalkgrad
    with the same per-scalar loop code, chalkgrad's Tensor path (one n-ary dot node per
    neuron output), the Tensor path compiled (``autograd.compile`` with ``nn.optim.SGD``)
    and PyTorch float64 on one thread. Two columns: "training loop" (the collector on,
    as in any script) and "engine work" (the collector off in every engine: the work
    itself). With ``--baseline``, the chalkgrad rows are also timed on that checkout,
    in the same rounds, and the gradients of both are compared bit for bit.
(b) compiled against PyTorch: forward + backward alone, and the loop with an optimizer;
    the cost of tracing;
(c) bytes per graph node (tracemalloc while building the loss graph);
(d) backward over a chain of 10^6 nodes.

How the times are taken: each engine runs in its own worker process (a plain
interpreter: no ``gc.freeze``, no ``gc.collect`` before a timing, and no torch imported
beside the scalar engines, whose import leaves 150,000 objects for the collector to
scan). A worker keeps its model, as a training loop does, and times consecutive steps
in CPU time (``time.process_time``) when asked; the script asks every worker in turn,
round after round, and reports each engine's median over the rounds with its range.

Why micrograd's figure varies: 80 to 90% of its step is the cycle collector freeing
the reference cycles its closures make (``_backward`` refers to its own node), and
how often and how long that runs depends on the heap and the host. The "engine work"
column is steady.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from environment import rerun_without_openblas_variables  # noqa: E402

rerun_without_openblas_variables()  # before numpy loads OpenBLAS

MLP = (2, [16, 16, 1])
# engine -> (steps per timing, needs torch)
ENGINES = {
    "micrograd": 1,
    "chalkgrad, same loop code": 3,
    "chalkgrad, Tensor path (eager)": 20,
    "chalkgrad, Tensor path compiled": 300,
    "PyTorch float64, 1 thread": 300,
}
CHALKGRAD = [name for name in ENGINES if name.startswith("chalkgrad")]


# ------------------------------------------------------------------ the worker
def _model(engine: str):
    """The model and one training step of ``engine`` (imports only what it needs)."""
    from mlp_models import CompiledMLP, LoopMLP, TensorMLP, TorchMLP, make_moons

    X, y = make_moons(100)
    if engine == "micrograd":
        from micrograd.engine import Value as MicroValue

        model = LoopMLP(MicroValue, *MLP)
    elif engine == "chalkgrad, same loop code":
        from autograd import Value

        model = LoopMLP(Value, *MLP)
    elif engine == "chalkgrad, Tensor path (eager)":
        model = TensorMLP(*MLP)
    elif engine == "chalkgrad, Tensor path compiled":
        model = CompiledMLP(*MLP)
    else:
        import torch

        torch.set_num_threads(1)
        model = TorchMLP(TensorMLP(*MLP))
        X, y = torch.tensor(X), torch.tensor(y)
    return model, X, y


def _fingerprint(engine: str) -> list[str]:
    """Every parameter's data and grad after three steps of a fresh model, as hex."""
    model, X, y = _model(engine)
    for _ in range(3):
        model.step(X, y)
    return [f"{p.data.hex()} {p.grad.hex()}" for p in model.parameters()]


def worker(engine: str) -> None:
    """Serve timings of ``engine`` on stdin/stdout: ``steps collector`` -> CPU s per step."""
    model, X, y = _model(engine)
    model.step(X, y)  # a compiled model traces here
    print("ready", flush=True)
    for line in sys.stdin:
        command = line.split()
        if command[0] == "fingerprint":
            print(json.dumps(_fingerprint(engine)), flush=True)
            continue
        steps, collector = int(command[0]), command[1]
        if collector == "off":
            gc.disable()
        start = time.process_time()
        for _ in range(steps):
            model.step(X, y)
        spent = time.process_time() - start
        gc.enable()
        print(spent / steps, flush=True)


class Worker:
    """A worker process for one engine on one checkout of chalkgrad."""

    def __init__(self, engine: str, tree: str) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([tree, HERE])}
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--worker", engine],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tree,
        )
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the {engine} worker on {tree} did not start")

    def ask(self, command: str) -> str:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


# ------------------------------------------------------------------ the script
def _available(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def training_loop_table(rounds: int, baseline: str | None) -> dict:
    """(a): every engine's step, collector on and off, medians and ranges over ``rounds``."""
    trees = {"": os.path.dirname(HERE)}
    if baseline:
        trees[" [baseline]"] = os.path.abspath(baseline)
    engines = [e for e in ENGINES if e != "micrograd" or _available("micrograd")]
    if not _available("torch"):
        engines.remove("PyTorch float64, 1 thread")
    workers = {}
    for engine in engines:
        for suffix, tree in trees.items():
            if suffix and engine not in CHALKGRAD:
                continue
            workers[engine + suffix] = Worker(engine, tree)
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(rounds):
        for name, w in workers.items():
            steps = ENGINES[name.replace(" [baseline]", "")]
            for collector in ("on", "off"):
                times.setdefault((name, collector), []).append(float(w.ask(f"{steps} {collector}")))
    same = None
    if baseline:
        same = {
            engine: workers[engine].ask("fingerprint")
            == workers[engine + " [baseline]"].ask("fingerprint")
            for engine in CHALKGRAD
        }
    for w in workers.values():
        w.close()
    return {"times": times, "same": same, "names": list(workers)}


def _cell(samples: list[float]) -> str:
    ms = [t * 1e3 for t in samples]
    median = statistics.median(ms)
    digits = 3 if median < 1 else (2 if median < 100 else 0)
    return f"{median:.{digits}f} ({min(ms):.{digits}f}-{max(ms):.{digits}f})"


def print_training_loop(result: dict, rounds: int) -> None:
    times, names = result["times"], result["names"]
    print("(a) one training step of MLP(2, [16, 16, 1]) on 100 points (forward, backward, update)")
    print(f"    CPU ms per step, median (range) over {rounds} interleaved rounds")
    print(f"    {'engine':46s} {'training loop':>22s} {'engine work (gc off)':>22s}")
    for name in names:
        print(f"    {name:46s} {_cell(times[name, 'on']):>22s} {_cell(times[name, 'off']):>22s}")
    med = {key: statistics.median(t) for key, t in times.items()}
    if "micrograd" in names:
        print("    chalkgrad's speed-up over micrograd (medians):")
        for name in names:
            if name.startswith("chalkgrad"):
                print(
                    f"      {name:44s} {med['micrograd', 'on'] / med[name, 'on']:8.1f}x "
                    f"{med['micrograd', 'off'] / med[name, 'off']:21.1f}x"
                )
    torch_name = "PyTorch float64, 1 thread"
    compiled = "chalkgrad, Tensor path compiled"
    if torch_name in names and compiled in names:
        print(
            f"    compiled with nn.optim.SGD against PyTorch: "
            f"{med[compiled, 'on'] / med[torch_name, 'on']:.2f}x   target <= 1.5x"
        )
    if result["same"] is not None:
        print("    against the baseline checkout (medians, training loop; engine work):")
        targets = {
            "chalkgrad, same loop code": "target <= 0.8x",
            "chalkgrad, Tensor path (eager)": "target <= 0.65x",
        }
        for name in CHALKGRAD:
            old = name + " [baseline]"
            print(
                f"      {name:44s} {med[name, 'on'] / med[old, 'on']:6.2f}x "
                f"{med[name, 'off'] / med[old, 'off']:6.2f}x   "
                f"gradients bit for bit: {'same' if result['same'][name] else 'DIFFERENT'}"
                f"   {targets.get(name, '')}"
            )


def _tracing_cost(X: Any, y: Any) -> float:
    """The first compiled step's CPU time over an eager Tensor-path step's (medians)."""
    from mlp_models import CompiledMLP, TensorMLP

    eager = TensorMLP(*MLP)
    eager.step(X, y)
    steps = []
    for _ in range(10):
        start = time.process_time()
        eager.step(X, y)
        steps.append(time.process_time() - start)
    trace = []
    for _ in range(5):
        model = CompiledMLP(*MLP)
        start = time.process_time()
        model.step(X, y)
        trace.append(time.process_time() - start)
    return statistics.median(trace) / statistics.median(steps)


def compiled_against_torch(rounds: int) -> None:
    """(b) in this process: compiled forward + backward against PyTorch; tracing."""
    from mlp_models import CompiledMLP, TensorMLP, TorchMLP, make_moons

    X, y = make_moons(100)
    tracing = _tracing_cost(X, y)  # before torch is imported here: see the module docstring
    print("(b) compiled against PyTorch float64 on one thread (CPU ms, median of rounds)")
    if not _available("torch"):
        print("    (PyTorch is not installed: pip install torch)")
    else:
        import torch

        torch.set_num_threads(1)
        compiled = CompiledMLP(*MLP)
        compiled.step(X, y)
        reference = TorchMLP(TensorMLP(*MLP))
        Xt, yt = torch.tensor(X), torch.tensor(y)
        cases = {
            "compiled": lambda: compiled.forward_backward(X, y),
            "PyTorch": lambda: reference.forward_backward(Xt, yt),
        }
        times = {name: [] for name in cases}
        for _ in range(rounds):
            for name, fn in cases.items():
                start = time.process_time()
                for _ in range(300):
                    fn()
                times[name].append((time.process_time() - start) / 300)
        c, p = (statistics.median(times[k]) for k in ("compiled", "PyTorch"))
        check = CompiledMLP(*MLP)
        same = abs(check.forward_backward(X, y) - TorchMLP(check).forward_backward(Xt, yt))
        print(
            f"    forward + backward: compiled {c * 1e3:.3f} ms, PyTorch {p * 1e3:.3f} ms: "
            f"{c / p:.2f}x   target <= 2x; |loss compiled - loss PyTorch| = {same:.1e}"
        )
    print(
        f"    tracing (first compiled step) costs {tracing:.1f} eager Tensor-path steps"
        "   target <= 3"
    )


def bytes_and_chain() -> None:
    """(c) bytes per node and (d) the long chain, in this process."""
    import tracemalloc

    from mlp_models import LoopMLP, TensorMLP, make_moons

    from autograd import Value, topological_order

    X, y = make_moons(100)

    def count_nodes(root) -> int:
        if not hasattr(root, "_prev"):  # a chalkgrad Value or Tensor
            return len(topological_order(root))
        seen, stack = {id(root)}, [root]
        while stack:
            for p in stack.pop()._prev:
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

    row = []
    if _available("micrograd"):
        from micrograd.engine import Value as MicroValue

        micro = LoopMLP(MicroValue, *MLP)
        row.append(f"micrograd {bytes_per_node(lambda: micro.loss(X, y)):6.0f}")
    loop, tensor = LoopMLP(Value, *MLP), TensorMLP(*MLP)
    row.append(f"chalkgrad loop code {bytes_per_node(lambda: loop.loss(X, y)):6.0f}")
    row.append(f"chalkgrad Tensor path {bytes_per_node(lambda: tensor.loss(X, y)):6.0f}")
    print("(c) bytes per graph node (tracemalloc, building the loss graph, tape included)")
    print("    " + "   ".join(row) + "   target <= 150 (loop code)")

    n = 1_000_000
    x = v = Value(0.5)
    for i in range(n):
        v = v * 1.0000001 if i % 2 else v + 1e-7
    start = time.process_time()
    v.backward()
    spent = time.process_time() - start
    del x, v
    gc.collect()
    print(f"(d) backward over a {n:,}-node chain: chalkgrad {spent:.2f} s CPU", end="")
    if _available("micrograd"):
        from micrograd.engine import Value as MicroValue

        v = MicroValue(0.5)
        for i in range(n):
            v = v * 1.0000001 if i % 2 else v + 1e-7
        try:
            v.backward()
            print("; micrograd completed")
        except RecursionError:
            print("; micrograd: RecursionError")
    else:
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline", help="another chalkgrad checkout to time beside this one")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    if not _available("micrograd"):
        print("note: micrograd is not installed (pip install micrograd): its rows are left out")
    result = training_loop_table(args.rounds, args.baseline)
    print_training_loop(result, args.rounds)
    compiled_against_torch(args.rounds)
    bytes_and_chain()


if __name__ == "__main__":
    main()
