"""Renderers: registered functions that lay out DOT source and return SVG text.

Rendering DOT to SVG has several implementations, chosen by registration: the system
``dot`` and the bundled ``graphviz-pure`` (both run as a subprocess, registered by
:mod:`viz.writers.graphviz_run`), and in the browser Graphviz compiled to WebAssembly (viz.js),
which the playground's worker registers. ``to_svg``, ``render(..., "x.svg")`` and the
pages all ask :func:`dot_to_svg`, so one registration changes every picture.

A renderer is called as ``function(source, timeout)`` and returns SVG text; it raises
:class:`RenderError` with one line when it cannot. Unless :func:`use_renderer` picked
one, the first registered renderer whose ``available()`` answers True is used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

SvgFunction = Callable[[str, float], str]


class RenderError(RuntimeError):
    """Graphviz could not be found or failed on the graph.

    Example:
        >>> error = RenderError("dot failed on the graph: syntax error in line 3")
        >>> isinstance(error, RuntimeError), str(error)
        (True, 'dot failed on the graph: syntax error in line 3')
    """


@dataclass(frozen=True)
class Renderer:
    """One way from DOT source to SVG: its name, the function, and whether it can run here."""

    name: str
    to_svg: SvgFunction
    available: Callable[[], bool]


_REGISTERED: dict[str, Renderer] = {}
_CHOSEN: list[str] = []  # empty: the first available renderer, in registration order


def _always() -> bool:
    return True


def register_renderer(
    name: str, to_svg: SvgFunction, available: Callable[[], bool] = _always, use: bool = False
) -> None:
    """Register ``to_svg(source, timeout) -> svg`` under ``name``; ``use=True`` also picks it.

    Registering a name again replaces the earlier function (in its old place in the order).

    Example:
        >>> register_renderer("echo", lambda source, timeout: "<svg>" + source + "</svg>")
        >>> with chosen_renderer("echo"):
        ...     dot_to_svg("digraph {}")
        '<svg>digraph {}</svg>'
        >>> unregister_renderer("echo")
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"a renderer needs a non-empty name, got {name!r}")
    if not callable(to_svg):
        raise TypeError(f"renderer {name!r}: to_svg must be callable, got {type(to_svg).__name__}")
    _REGISTERED[name] = Renderer(name, to_svg, available)
    if use:
        use_renderer(name)


def unregister_renderer(name: str) -> None:
    """Forget the renderer ``name`` (and stop using it if it was chosen).

    Example:
        >>> register_renderer("spare", lambda source, timeout: "<svg/>")
        >>> unregister_renderer("spare"); "spare" in renderer_names()
        False
    """
    _REGISTERED.pop(name, None)
    if _CHOSEN and _CHOSEN[0] == name:
        _CHOSEN.clear()


def renderer_names() -> list[str]:
    """The registered renderers' names, in the order automatic choice tries them.

    Example:
        >>> import viz
        >>> renderer_names()[:2]
        ['dot', 'graphviz-pure']
    """
    return list(_REGISTERED)


def use_renderer(name: str | None) -> None:
    """Render with ``name`` from now on; ``None`` goes back to automatic choice.

    Example:
        >>> use_renderer("no-such-renderer")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        viz.writers.renderers.RenderError: no renderer named 'no-such-renderer' is registered ...
    """
    if name is not None and name not in _REGISTERED:
        raise RenderError(
            f"no renderer named {name!r} is registered (registered: "
            f"{', '.join(_REGISTERED) or 'none'})"
        )
    _CHOSEN[:] = [name] if name is not None else []


class chosen_renderer:  # noqa: N801 (used like a function: ``with chosen_renderer("dot"):``)
    """A ``with`` block that renders with ``name``, then restores the earlier choice.

    Example:
        >>> register_renderer("fixed", lambda source, timeout: "<svg>fixed</svg>")
        >>> with chosen_renderer("fixed"):
        ...     current_renderer().name
        'fixed'
        >>> unregister_renderer("fixed")
    """

    def __init__(self, name: str | None) -> None:
        self.name = name
        self.saved: list[str] = []

    def __enter__(self) -> None:
        self.saved = list(_CHOSEN)
        use_renderer(self.name)

    def __exit__(self, *exc: object) -> None:
        _CHOSEN[:] = self.saved


def current_renderer() -> Renderer:
    """The renderer :func:`dot_to_svg` uses now: the chosen one, else the first available.

    Example:
        >>> import viz
        >>> current_renderer().name in renderer_names()
        True
    """
    if _CHOSEN:
        return _REGISTERED[_CHOSEN[0]]
    for renderer in _REGISTERED.values():
        if renderer.available():
            return renderer
    raise RenderError(
        "no Graphviz renderer found: install Graphviz (dot) or `pip install graphviz-pure`"
    )


def dot_to_svg(source: str, timeout: float = 30.0) -> str:
    """Lay out DOT ``source`` with the current renderer and return the SVG text.

    Example:
        >>> import viz
        >>> "<svg" in dot_to_svg("digraph { a -> b }")
        True
    """
    return current_renderer().to_svg(source, timeout)
