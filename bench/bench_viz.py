"""Drawing and rendering speed: render time against node count, high fan-out, the models.

Targets (issues 4 and 13), on a 2-core machine with the bundled renderer:
- any graph drawn with the defaults lays out in a few seconds; a 20,000-node scalar
  graph (draw + render) in under 10 s;
- the 120-term ``x+x+...+x`` and the 100-statement chain ``a_i = a_(i-1)*x`` render in
  under 5 s (through the ``chalkgrad draw`` path: expression, table, picture);
- a 100,000-node tensor graph in under 10 s.
Every renderer found is timed: the bundled ``graphviz-pure`` and a system ``dot``.
Run: ``python bench/bench_viz.py`` (``--quick`` skips the 20,000-node and forced-scalar rows).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from autograd import Tensor, Value, topological_order
from viz import RenderError, draw, render
from viz.expression import build

BUDGET = 60.0  # seconds a single layout may take before it is stopped and reported


def scalar_graph(n_nodes: int) -> Value:
    """A web of unlabelled scalars (an MLP-like mesh) with about ``n_nodes`` nodes."""
    rng = np.random.default_rng(0)
    xs = [Value(float(rng.normal()), label=f"x{i}") for i in range(8)]
    layer = xs
    count = len(xs)
    while count < n_nodes - 20:
        nxt = []
        for j in range(8):
            a, b = layer[j], layer[(j + 3) % len(layer)]
            nxt.append((a * float(rng.normal()) + b).tanh())
            count += 4  # constant, mul, add, tanh
        layer = nxt
    return sum(layer[1:], layer[0])


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
    return loss.name("loss").values[()]


def program_root(source: str, values: dict[str, float]) -> Value:
    """The output of a ``chalkgrad draw`` expression, as the command builds it."""
    return build(source, values).root


def fan_out_sum(terms: int) -> Value:
    return program_root("L = " + "+".join(["x"] * terms), {"x": 1.0})


def chain(statements: int) -> Value:
    lines = ["a_1 = x*x"] + [f"a_{i} = a_{i - 1}*x" for i in range(2, statements + 1)]
    return program_root("; ".join(lines), {"x": 1.01})


def renderers() -> list[tuple[str, str]]:
    """(name, executable) of every renderer here: the bundled one first, then system dot."""
    found = []
    scripts = Path(sys.executable).parent
    for exe in (shutil.which("graphviz-pure"), str(scripts / "graphviz-pure"), shutil.which("dot")):
        if exe and Path(exe).exists() and exe not in [e for _, e in found]:
            found.append((Path(exe).name, exe))
    return found


def row(case: str, root: Value, out: Path, exe: str, **options: object) -> None:
    """Time draw and render of one case with one renderer; print one line."""
    os.environ["CHALKGRAD_DOT"] = exe
    n = len(topological_order(root))
    start = time.perf_counter()
    picture = draw(root, **options)
    drawn = time.perf_counter() - start
    model = picture.model
    try:
        path = render(picture, out / "bench.svg", timeout=BUDGET)
        rendered = time.perf_counter() - start - drawn
        size = f"{path.stat().st_size / 1e6:5.2f} MB"
        status = f"{rendered:6.2f} s"
    except RenderError as error:
        rendered, size, status = BUDGET, "    -   ", f"stopped ({error})"[:60]
    total = drawn + rendered
    print(
        f"  {case:<30} {n:>7} {model.level:>8} {len(model.boxes):>6} {drawn:7.2f} s "
        f"{status:>9} {total:7.2f} s {size}"
    )


def main() -> None:
    quick = "--quick" in sys.argv
    out = Path(tempfile.mkdtemp())
    from bench.viz_models import MODELS

    for name, exe in renderers():
        print(f"renderer: {name} ({exe}); layout budget {BUDGET:g} s")
        print(
            f"  {'case':<30} {'nodes':>7} {'level':>8} {'boxes':>6} {'draw':>9} "
            f"{'render':>9} {'total':>9} SVG"
        )
        sizes = (100, 300, 1_000, 3_000, 10_000) + (() if quick else (20_000,))
        for n in sizes:
            root = scalar_graph(n)
            root.backward()
            row("scalar web, defaults", root, out, exe)
        root = tensor_graph(100_000)
        root.backward()
        row("tensor graph, defaults", root, out, exe)
        for terms in (60, 90, 120):
            root = fan_out_sum(terms)
            root.backward()
            row(f"x+x+...+x, {terms} terms", root, out, exe)
            if not quick:
                row("  same, every scalar", root, out, exe, max_nodes=10_000)
        root = chain(100)
        root.backward()
        row("100-statement chain", root, out, exe)
        if not quick:
            row("  same, every scalar", root, out, exe, max_nodes=10_000)
        for model_name, make in MODELS.items():
            row(model_name, make(), out, exe)
    os.environ.pop("CHALKGRAD_DOT", None)


if __name__ == "__main__":
    main()
