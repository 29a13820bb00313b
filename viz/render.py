"""``render``: write a drawing to SVG, PNG, PDF, DOT or TikZ with whatever Graphviz is here.

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
from collections.abc import Callable, Sequence
from pathlib import Path

import graphviz

from viz.files import write_atomic
from viz.pdf import svg_to_pdf
from viz.renderers import RenderError, SvgFunction, dot_to_svg, register_renderer

FORMATS = ("svg", "png", "pdf", "dot", "gv", "tex")


def _system_dot() -> str | None:
    return os.environ.get("CHALKGRAD_DOT") or shutil.which("dot")


def _bundled_dot() -> str | None:
    found = shutil.which("graphviz-pure")
    if found:
        return found
    # pip puts scripts next to the interpreter, which may not be on PATH.
    scripts = Path(sys.executable).parent
    for name in ("graphviz-pure", "graphviz-pure.exe"):
        candidate = scripts / name
        if candidate.exists():
            return str(candidate)
    return None


def find_renderer() -> str:
    """Path of the Graphviz executable to use: system ``dot``, else ``graphviz-pure``.

    Example:
        >>> find_renderer().endswith(("dot", "graphviz-pure", "dot.exe", "graphviz-pure.exe"))
        True
    """
    found = _system_dot() or _bundled_dot()
    if found:
        return found
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


LAYOUT_TIMEOUT = 30.0  # seconds; CHALKGRAD_RENDER_TIMEOUT overrides it


def layout_timeout(timeout: float | None = None) -> float:
    """The layout time budget: ``timeout``, else ``$CHALKGRAD_RENDER_TIMEOUT``, else 30 s.

    Example:
        >>> layout_timeout(5), layout_timeout() > 0
        (5.0, True)
    """
    if timeout is None:
        text = os.environ.get("CHALKGRAD_RENDER_TIMEOUT", "")
        try:
            timeout = float(text) if text else LAYOUT_TIMEOUT
        except ValueError:
            raise ValueError(
                f"CHALKGRAD_RENDER_TIMEOUT must be a number of seconds, got {text!r}"
            ) from None
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    return float(timeout)


def run_graphviz(source: str, fmt: str, timeout: float | None = None, *options: str) -> bytes:
    """Lay out DOT ``source`` and return the output bytes in format ``fmt``.

    A layout that takes longer than the budget (:func:`layout_timeout`) is stopped and
    reported as a one-line RenderError.

    Example:
        >>> run_graphviz("digraph { a -> b }", "svg").startswith(b"<?xml")
        True
    """
    return _run_program(find_renderer(), source, fmt, layout_timeout(timeout), options)


def _run_program(exe: str, source: str, fmt: str, limit: float, options: Sequence[str]) -> bytes:
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


def to_svg(graph_or_root: object, *, timeout: float | None = None, **draw_kwargs: object) -> str:
    """The drawing as SVG text (used for Jupyter and the stepper page).

    Example:
        >>> from autograd import Value
        >>> "<svg" in to_svg(Value(1.0, label="x") * 2)
        True
    """
    return dot_to_svg(_source_of(graph_or_root, draw_kwargs), layout_timeout(timeout))


def _program_renderer(find: Callable[[], str | None], what: str) -> SvgFunction:
    def to_svg(source: str, timeout: float) -> str:
        exe = find()
        if exe is None:
            raise RenderError(f"renderer {what!r} is not installed here")
        return _run_program(exe, source, "svg", timeout, ()).decode("utf-8")

    return to_svg


# Automatic choice tries them in this order: the system's Graphviz, then the bundled one.
register_renderer("dot", _program_renderer(_system_dot, "dot"), lambda: bool(_system_dot()))
register_renderer(
    "graphviz-pure", _program_renderer(_bundled_dot, "graphviz-pure"), lambda: bool(_bundled_dot())
)


def render(
    graph_or_root: object,
    path: str | os.PathLike,
    *,
    timeout: float | None = None,
    **draw_kwargs: object,
) -> Path:
    """Write a drawing (or the drawing of a Value) to ``path``; the suffix picks the format.

    ``.svg``, ``.png`` and ``.pdf`` always work (with the bundled ``graphviz-pure``,
    which has no PDF writer, its SVG is converted to a vector PDF with svglib and
    reportlab: selectable text, page sized to the picture); ``.dot``/``.gv`` write
    the DOT source; ``.tex`` writes a standalone TikZ picture (``viz.to_tikz``). Extra
    keyword arguments go to ``draw`` when given a Value. ``timeout`` bounds the layout
    (default 30 s, see :func:`layout_timeout`). The file is written at once
    (:func:`viz.files.write_atomic`): a failure leaves an existing file as it was.

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
    elif fmt == "tex":  # a standalone TikZ picture from the renderer's layout
        from viz.tikz import to_tikz

        data = to_tikz(source).encode("utf-8")
    elif fmt == "pdf" and Path(find_renderer()).name.startswith("graphviz-pure"):
        data = svg_to_pdf(run_graphviz(source, "svg", timeout))
    elif fmt == "svg":  # the registered renderer (viz.renderers)
        data = dot_to_svg(source, layout_timeout(timeout)).encode("utf-8")
    else:
        data = run_graphviz(source, fmt, timeout)
    return write_atomic(out, data)
