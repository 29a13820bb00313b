"""Run Graphviz over DOT source: SVG, PNG, PDF, DOT or TikZ with whatever Graphviz is here.

The system ``dot`` is used when it is on PATH; otherwise the ``graphviz-pure``
executable installed with chalkgrad (same command line as ``dot``), so rendering
works on a fresh machine with no system Graphviz. Renderer warnings on stderr
are not failures; a non-zero exit status is.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from viz.files import write_atomic
from viz.writers.pdf import svg_to_pdf
from viz.writers.tikz import tikz_from_layout

FORMATS = ("svg", "png", "pdf", "dot", "gv", "tex")


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


LAYOUT_TIMEOUT = 30.0  # seconds; CHALKGRAD_RENDER_TIMEOUT overrides it
MAX_TIMEOUT = 86400.0  # a day: past it (or inf) a budget is a typo, not a budget


def layout_timeout(timeout: float | None = None) -> float:
    """The layout time budget: ``timeout``, else ``$CHALKGRAD_RENDER_TIMEOUT``, else 30 s.

    A budget is a number of seconds above 0 and at most a day; anything else
    (``inf``, ``-1``, ``abc``) is a one-line ValueError naming where it came from.

    Example:
        >>> layout_timeout(5), layout_timeout() > 0
        (5.0, True)
        >>> layout_timeout(float("inf"))
        Traceback (most recent call last):
        ...
        ValueError: timeout must be a positive number of seconds, at most 86400, got inf
    """
    source, shown = "timeout", repr(timeout)
    if timeout is None:
        text = os.environ.get("CHALKGRAD_RENDER_TIMEOUT", "").strip()
        source, shown = "CHALKGRAD_RENDER_TIMEOUT", repr(text)
        try:
            timeout = float(text) if text else LAYOUT_TIMEOUT
        except ValueError:
            timeout = None
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, int | float)
        or not 0 < timeout <= MAX_TIMEOUT
    ):
        raise ValueError(
            f"{source} must be a positive number of seconds, at most {MAX_TIMEOUT:g}, got {shown}"
        )
    return float(timeout)


def run_graphviz(source: str, fmt: str, timeout: float | None = None, *options: str) -> bytes:
    """Lay out DOT ``source`` and return the output bytes in format ``fmt``.

    A layout that takes longer than the budget (:func:`layout_timeout`) is stopped and
    reported as a one-line RenderError.

    Example:
        >>> run_graphviz("digraph { a -> b }", "svg").startswith(b"<?xml")
        True
    """
    exe = find_renderer()
    limit = layout_timeout(timeout)
    try:
        done = subprocess.run(
            [exe, f"-T{fmt}", *options],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=limit,
        )
    except subprocess.TimeoutExpired:
        nodes = source.count("[label=")
        raise RenderError(
            f"layout stopped after {limit:g} s: {Path(exe).name} did not finish a picture of "
            f"about {nodes} nodes; draw fewer (a smaller max_nodes) or allow more time "
            "(timeout= or CHALKGRAD_RENDER_TIMEOUT)"
        ) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"exit status {done.returncode}"
        raise RenderError(f"{Path(exe).name} -T{fmt} failed: {detail}")
    return done.stdout


def svg_of(source: str, timeout: float | None = None) -> str:
    """DOT ``source`` laid out as SVG text.

    Example:
        >>> "<svg" in svg_of("digraph { a -> b }")
        True
    """
    return run_graphviz(source, "svg", timeout).decode("utf-8")


def tikz_of(source: str, standalone: bool = True, timeout: float | None = None) -> str:
    r"""DOT ``source`` as TikZ, from the renderer's own layout (``-Tjson``).

    Example:
        >>> tikz_of("digraph { a -> b }").startswith("\\documentclass[tikz")
        True
    """
    layout = json.loads(run_graphviz(source, "json", timeout).decode("utf-8"))
    return tikz_from_layout(layout, standalone)


def format_of(path: str | os.PathLike) -> str:
    """The format a path's suffix picks; a ValueError names the suffixes that work.

    Example:
        >>> format_of("graph.SVG")
        'svg'
    """
    out = Path(path)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(
            f"cannot render to {out.name!r}: the suffix must be one of "
            + ", ".join("." + f for f in FORMATS)
        )
    return fmt


def write_source(source: str, path: str | os.PathLike, timeout: float | None = None) -> Path:
    """Write DOT ``source`` to ``path`` laid out in the format its suffix picks.

    ``.svg``, ``.png`` and ``.pdf`` always work (with the bundled ``graphviz-pure``,
    which has no PDF writer, its SVG is converted to a vector PDF with svglib and
    reportlab); ``.dot``/``.gv`` write the source; ``.tex`` a standalone TikZ picture.
    The file is written at once (:func:`viz.files.write_atomic`).

    Example:
        >>> import tempfile, os
        >>> out = write_source("digraph { a -> b }", os.path.join(tempfile.mkdtemp(), "g.dot"))
        >>> out.read_text()
        'digraph { a -> b }'
    """
    out = Path(path)
    fmt = format_of(out)
    if out.parent and not out.parent.exists():
        raise FileNotFoundError(f"directory {str(out.parent)!r} does not exist")
    # The whole picture is made in memory, then written at once (never half a file).
    if fmt in ("dot", "gv"):
        data = source.encode("utf-8")
    elif fmt == "tex":  # a standalone TikZ picture from the renderer's layout
        data = tikz_of(source, timeout=timeout).encode("utf-8")
    elif fmt == "pdf" and Path(find_renderer()).name.startswith("graphviz-pure"):
        data = svg_to_pdf(run_graphviz(source, "svg", timeout))
    else:
        data = run_graphviz(source, fmt, timeout)
    return write_atomic(out, data)
