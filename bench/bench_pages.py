"""How long the explorer/stepper page takes to write, and how big it is, for the
homework-size models of issue 13 and for big graphs (every box picture is laid out
by the renderer while writing, so this is the page's whole cost).

Run: python bench/bench_pages.py [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from viz_models import MODELS  # noqa: E402

from autograd import Value  # noqa: E402
from viz.pages.explore import page_data, page_html  # noqa: E402


def chain(n: int) -> Value:
    """About ``n`` scalar nodes in one long chain of mul/add/tanh (5 nodes a link)."""
    x = Value(0.5, label="x")
    v = x
    for _ in range(n // 5):
        v = (v * 1.01 + 0.1).tanh()
    v.label = "L"
    return v


def measure(name: str, root: Value, out: Path) -> None:
    start = time.perf_counter()
    data = page_data(root)
    text = page_html(data)
    seconds = time.perf_counter() - start
    path = out / f"{name.replace(' ', '_').replace('+', '_')}.html"
    path.write_text(text, encoding="utf-8")
    boxes = data["boxes"]
    opened = sum(1 for b in boxes if b["picture"])
    print(
        f"{name:24s} {len(data['nodes']):6d} scalars {len(boxes):4d} boxes "
        f"({opened:3d} open) {seconds:6.2f} s {len(text) / 1e6:6.2f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=None, help="folder for the pages (default: a temp dir)")
    args = parser.parse_args()
    out = Path(args.out or tempfile.mkdtemp())
    out.mkdir(parents=True, exist_ok=True)
    print(f"pages written to {out}")
    for name, build in MODELS.items():
        measure(name, build(), out)
    for n in (300, 3000, 20000):
        measure(f"chain {n}", chain(n), out)


if __name__ == "__main__":
    main()
