"""Compiled training loops as users write them, against PyTorch; manual loops over parameters.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/bench_loop.py
    ... bench/bench_loop.py --baseline /path/to/older/checkout   # an older engine beside

(a) Conv2d(1,8,3) + MaxPool2d(2) + Linear on one 28x28 image, cross-entropy, compiled:
    the bare step ``step(x).backward()``; the loop ``model.zero_grad();
    step(x).backward()``; and that loop with one eager forward + backward every 20
    steps (to evaluate or draw), timing the 19 compiled steps after it. PyTorch float64
    on one thread runs ``net.zero_grad(); loss(x).backward()``. Target: the loops at
    most 2.5x PyTorch.
(b) a micrograd-style training loop over the compiled model's 13,610 parameter Values,
    which a compiled step keeps in a bank (``autograd/compiler/banks.py``) until they
    are used one by one: ``p.grad = 0``, the compiled step, ``p.data -= lr * p.grad``
    and a read-only ``total += p.grad``, ns per parameter, against the same loops over
    plain Values in the same steps. Target: at most 3x plain.

Each measurement runs in a fresh worker process (chalkgrad without torch imported, and
PyTorch in its own), CPU time, and the script reports the median and range over rounds,
the workers of each round run one after the other.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from environment import rerun_without_openblas_variables  # noqa: E402

rerun_without_openblas_variables()  # before numpy loads OpenBLAS

import numpy as np  # noqa: E402

IMAGE = np.random.default_rng(1).normal(size=(1, 28, 28))
TARGET = 3


def _per_step(fn, steps: int) -> float:
    start = time.process_time()
    for _ in range(steps):
        fn()
    return (time.process_time() - start) / steps


def chalkgrad_worker() -> dict:
    """Times of the compiled conv loops and of the per-parameter loops, in seconds."""
    import nn
    from autograd import Tensor, Value, compile

    nn.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.MaxPool2d(2), nn.Flatten(0), nn.Linear(8 * 13 * 13, 10)
    )

    def loss_of(x):
        return nn.functional.cross_entropy(model(x), TARGET)

    step = compile(loss_of)
    step(IMAGE).backward()  # traced
    out = {
        "bare step": _per_step(lambda: step(IMAGE).backward(), 200),
    }

    def loop_step():
        model.zero_grad()
        step(IMAGE).backward()

    out["loop with zero_grad"] = _per_step(loop_step, 200)
    compiled, eager = [], []
    for _ in range(4):
        start = time.process_time()
        model.zero_grad()
        loss_of(Tensor(IMAGE)).backward()  # the eager step: a new scalar graph
        eager.append(time.process_time() - start)
        compiled.append(_per_step(loop_step, 19))
    out["loop, one eager step in 20"] = statistics.median(compiled)
    out["the eager step itself"] = statistics.median(eager)

    params = [v for p in model.parameters() for v in p.values.flat]
    plain = [Value(v.data) for v in params]
    out.update(_micrograd_style(step, params, plain))
    out["parameters"] = len(params)
    return out


def _micrograd_style(step, params: list, plain: list, steps: int = 60) -> dict:
    """A micrograd-style training loop over the compiled model's parameter Values.

    Each step: ``for p in params: p.grad = 0``; the compiled step; ``for p in params:
    p.data -= lr * p.grad``; and a read-only pass ``total += p.grad``. The same three
    loops run over plain Values (never in a bank, given the same gradients untimed) within
    the same step, so both see the same machine. Times are totals over ``steps`` divided by the count (a bank tried
    again now and then, see ``banks.py``, is in the mean), after 5 steps of warm-up.
    """
    lr = 0.01

    def zero(values):
        for p in values:
            p.grad = 0

    def update(values):
        for p in values:
            p.data -= lr * p.grad

    def read(values):
        total = 0.0
        for p in values:
            total += p.grad
        return total

    loops = {"p.grad = 0": zero, "p.data -= lr * p.grad": update, "total += p.grad": read}
    clock = time.process_time
    for i in range(steps + 5):
        if i in (0, 5):  # (5: warmed up, count from here)
            times = {f"{name}, {kind}": 0.0 for name in loops for kind in ("banked", "plain")}
            stepping = 0.0
        for kind, values in (("banked", params), ("plain", plain)):
            start = clock()
            zero(values)
            times[f"p.grad = 0, {kind}"] += clock() - start
        start = clock()
        step(IMAGE).backward()
        stepping += clock() - start
        for p, g in zip(plain, params):  # (untimed) float gradients, as a step leaves them
            p.grad += g.grad
        for name in ("p.data -= lr * p.grad", "total += p.grad"):
            for kind, values in (("banked", params), ("plain", plain)):
                start = clock()
                loops[name](values)
                times[f"{name}, {kind}"] += clock() - start
    out = {key: t / steps / len(params) for key, t in times.items()}
    out["compiled step, micrograd-style loop"] = stepping / steps
    return out


def torch_worker() -> dict:
    """PyTorch float64, one thread: the same conv loop."""
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(0),
        torch.nn.Linear(8 * 13 * 13, 10),
    ).double()
    x, target = torch.tensor(IMAGE), torch.tensor(TARGET)

    def loop_step():
        net.zero_grad()
        torch.nn.functional.cross_entropy(net(x), target).backward()

    loop_step()
    return {"loop with zero_grad": _per_step(loop_step, 200)}


def _run(kind: str, tree: str) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([tree, HERE])}
    done = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--worker", kind],
        capture_output=True,
        text=True,
        env=env,
        cwd=tree,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def _cell(samples: list[float], scale: float, digits: int) -> str:
    x = [s * scale for s in samples]
    return f"{statistics.median(x):.{digits}f} ({min(x):.{digits}f}-{max(x):.{digits}f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", help="another chalkgrad checkout to time beside this one")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        result = chalkgrad_worker() if args.worker == "chalkgrad" else torch_worker()
        print(json.dumps(result))
        return
    trees = {"chalkgrad": os.path.dirname(HERE)}
    if args.baseline:
        trees["baseline"] = os.path.abspath(args.baseline)
    runs: dict[str, list[dict]] = {name: [] for name in [*trees, "PyTorch"]}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            runs[name].append(_run("chalkgrad", tree))
        runs["PyTorch"].append(_run("torch", trees["chalkgrad"]))

    torch_loop = statistics.median(r["loop with zero_grad"] for r in runs["PyTorch"])
    print("(a) Conv2d(1,8,3) + MaxPool2d(2) + Linear on 28x28, compiled, CPU ms per step,")
    print(f"    median (range) over {args.rounds} rounds; PyTorch float64, 1 thread, for the loop:")
    print(f"    {_cell([r['loop with zero_grad'] for r in runs['PyTorch']], 1e3, 3)} ms")
    rows = ["bare step", "loop with zero_grad", "loop, one eager step in 20"]
    for name in trees:
        print(f"    {name}:")
        for row in rows:
            samples = [r[row] for r in runs[name]]
            ratio = statistics.median(samples) / torch_loop
            target = "   target <= 2.5x" if row != "bare step" else ""
            print(
                f"      {row:30s} {_cell(samples, 1e3, 3):>24s} ms   {ratio:5.2f}x PyTorch{target}"
            )
        eager = [r["the eager step itself"] for r in runs[name]]
        print(f"      {'(the eager step itself)':30s} {_cell(eager, 1e3, 1):>24s} ms")
    print("(b) a micrograd-style loop over the compiled model's parameter Values, ns per")
    print("    parameter (mean over 60 steps), against the same loops over plain Values:")
    for name in trees:
        print(f"    {name} ({runs[name][0]['parameters']} Values):")
        for loop in ("p.grad = 0", "p.data -= lr * p.grad", "total += p.grad"):
            banked = [r[f"{loop}, banked"] for r in runs[name]]
            plain = [r[f"{loop}, plain"] for r in runs[name]]
            ratio = statistics.median(banked) / statistics.median(plain)
            target = "   target <= 3x" if loop != "total += p.grad" else ""
            print(
                f"      {loop:24s} banked {_cell(banked, 1e9, 0):>16s}   plain "
                f"{_cell(plain, 1e9, 0):>14s}   {ratio:5.1f}x{target}"
            )
        inside = [r["compiled step, micrograd-style loop"] for r in runs[name]]
        print(f"      {'the compiled step in it':24s} {_cell(inside, 1e3, 3):>23s} ms")
        whole = [
            r["compiled step, micrograd-style loop"]
            + r["parameters"] * (r["p.grad = 0, banked"] + r["p.data -= lr * p.grad, banked"])
            for r in runs[name]
        ]
        print(f"      {'the whole step':24s} {_cell(whole, 1e3, 3):>23s} ms")


if __name__ == "__main__":
    main()
