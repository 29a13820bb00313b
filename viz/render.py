"""``render``: write a drawing to SVG, PNG, PDF or DOT with whatever Graphviz is here.

The system ``dot`` is used when it is on PATH; otherwise the ``graphviz-pure``
executable installed with chalkgrad (same command line as ``dot``), so rendering
works on a fresh machine with no system Graphviz. Renderer warnings on stderr
are not failures; a non-zero exit status is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import graphviz

from viz.files import write_atomic
from viz.pdf import jpeg_to_pdf

FORMATS = ("svg", "png", "pdf", "dot", "gv")
PDF_DPI = 144.0  # resolution of the raster PDF page written without a system Graphviz


class RenderError(RuntimeError):
    """Graphviz could not be found or failed on the graph.

    Example:
        >>> error = RenderError("dot failed on the graph: syntax error in line 3")
        >>> isinstance(error, RuntimeError), str(error)
        (True, 'dot failed on the graph: syntax error in line 3')
    """


def find_renderer() -> str:
    """Path of the Graphviz executable to use: system ``dot``, else ``graphviz-pure``.

    Example:
        >>> find_renderer().endswith(("dot", "graphviz-pure", "dot.exe", "graphviz-pure.exe"))
        True
    """
    override = os.environ.get("CHALKGRAD_DOT")
    if override:
        return override
    for name in ("dot", "graphviz-pure"):
        found = shutil.which(name)
        if found:
            return found
    # pip puts scripts next to the interpreter, which may not be on PATH.
    scripts = Path(sys.executable).parent
    for name in ("graphviz-pure", "graphviz-pure.exe"):
        candidate = scripts / name
        if candidate.exists():
            return str(candidate)
    raise RenderError(
        "no Graphviz renderer found: install Graphviz (dot) or `pip install graphviz-pure`"
    )


def _source_of(graph_or_root: object, draw_kwargs: dict) -> str:
    if isinstance(graph_or_root, graphviz.Digraph | graphviz.Graph):
        if draw_kwargs:
            raise TypeError(f"draw options {sorted(draw_kwargs)} need a Value, not a drawn graph")
        return graph_or_root.source
    if isinstance(graph_or_root, str):
        return graph_or_root
    from viz.draw import draw

    return draw(graph_or_root, **draw_kwargs).source


def run_graphviz(source: str, fmt: str, timeout: float = 300.0, *options: str) -> bytes:
    """Lay out DOT ``source`` and return the output bytes in format ``fmt``.

    Example:
        >>> run_graphviz("digraph { a -> b }", "svg").startswith(b"<?xml")
        True
    """
    exe = find_renderer()
    try:
        done = subprocess.run(
            [exe, f"-T{fmt}", *options], input=source.encode("utf-8"), capture_output=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise RenderError(f"{Path(exe).name} did not finish within {timeout:g} s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"exit status {done.returncode}"
        raise RenderError(f"{Path(exe).name} -T{fmt} failed: {detail}")
    return done.stdout


def to_svg(graph_or_root: object, **draw_kwargs: object) -> str:
    """The drawing as SVG text (used for Jupyter and the stepper page).

    Example:
        >>> from autograd import Value
        >>> "<svg" in to_svg(Value(1.0, label="x") * 2)
        True
    """
    return run_graphviz(_source_of(graph_or_root, draw_kwargs), "svg").decode("utf-8")


def render(graph_or_root: object, path: str | os.PathLike, **draw_kwargs: object) -> Path:
    """Write a drawing (or the drawing of a Value) to ``path``; the suffix picks the format.

    ``.svg``, ``.png`` and ``.pdf`` always work (with the bundled ``graphviz-pure``,
    which has no PDF writer, the PDF is a page holding the picture rendered at 144 dpi;
    a system Graphviz writes vector PDF); ``.dot``/``.gv`` write the DOT source. Extra
    keyword arguments go to ``draw`` when given a Value. The file is written at
    once (:func:`viz.files.write_atomic`): a failure leaves an existing file as it was.

    Example:
        >>> import tempfile, os
        >>> from autograd import Value
        >>> out = render(Value(2.0, label="x") * 3, os.path.join(tempfile.mkdtemp(), "g.svg"))
        >>> out.read_text().count("<svg")
        1
    """
    out = Path(path)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(
            f"cannot render to {out.name!r}: the suffix must be one of "
            + ", ".join("." + f for f in FORMATS)
        )
    source = _source_of(graph_or_root, draw_kwargs)
    if out.parent and not out.parent.exists():
        raise FileNotFoundError(f"directory {str(out.parent)!r} does not exist")
    # The whole picture is made in memory, then written at once (never half a file).
    if fmt in ("dot", "gv"):
        data = source.encode("utf-8")
    elif fmt == "pdf" and Path(find_renderer()).name.startswith("graphviz-pure"):
        data = jpeg_to_pdf(run_graphviz(source, "jpg", 300.0, f"-Gdpi={PDF_DPI:g}"), PDF_DPI)
    else:
        data = run_graphviz(source, fmt)
    return write_atomic(out, data)
