"""The playground page's Python: one exercise in, the picture, the steps and the practice out.

The browser playground (``chalkgrad web``) runs this module in Pyodide, in a Web Worker,
with viz.js registered as the renderer (:func:`use_browser_renderer`). The same code runs
under CPython, where the tests check it. An exercise is what the command line takes: an
expression in :mod:`viz.expression`'s language and ``NAME=VALUE`` settings, here one
comma-separated string (``w=2,x=-1``) as in the page's URL.

A bad exercise is never an exception here: the answer carries one line in ``"error"``.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable

from autograd.limits import LimitError
from viz.drawing import draw
from viz.expression import ExpressionError, build, parse_settings
from viz.output import to_svg
from viz.pages.practice_page import quiz_html
from viz.practice.quiz import QuizTooBigError
from viz.steps import backward_steps, format_steps
from viz.writers.renderers import RenderError, register_renderer

MODES = ("explore", "practice")
PRECISION = 4
STEPS_WIDTH = 100  # columns of the steps' text, as on a terminal of that width
MAX_SOURCE = 2000  # characters of expression or settings a page may send


def split_settings(text: str) -> list[str]:
    """The page's ``set`` string as ``NAME=VALUE`` items: commas, semicolons or spaces.

    Example:
        >>> split_settings("w=2,x=-1, b = 0.5;y=1 z=3")
        ['w=2', 'x=-1', 'b=0.5', 'y=1', 'z=3']
        >>> split_settings("")
        []
    """
    joined = re.sub(r"\s*=\s*", "=", text)  # "b = 0.5" is one item
    return [item for item in re.split(r"[,;\s]+", joined) if item]


def exercise(expression: str, values: str, mode: str = "explore") -> dict:
    """The page's answer for one exercise: picture SVG, steps text and, in practice, the page.

    Keys: ``svg`` (the picture ``chalkgrad draw`` makes, with each node's value and
    gradient), ``svg_tall`` (the same laid out top to bottom, for a phone), ``steps`` (``chalkgrad steps``'s text), ``practice`` (the page
    ``viz.quiz_html`` writes, in practice mode; else None), ``output`` (the output's name)
    and ``error`` (one line, or None; then the rest is empty).

    Example:
        >>> from viz.writers.renderers import register_renderer, chosen_renderer
        >>> register_renderer("count", lambda source, timeout: f"<svg>{source.count('->')}</svg>")
        >>> with chosen_renderer("count"):
        ...     answer = exercise("L = (w*x - 1)**2", "w=2,x=3")
        >>> answer["error"], answer["svg"], answer["steps"].splitlines()[0]
        (None, '<svg>9</svg>', 'backward from L (seed ∂L/∂L = 1), 5 steps')
        >>> exercise("L = (w*x - 1", "w=2")["error"]
        "line 1, column 5: syntax error: '(' was never closed"
    """
    try:
        return _exercise(expression, values, mode)
    except (ExpressionError, LimitError, QuizTooBigError, RenderError, ValueError) as error:
        return _failed(str(error))
    except RecursionError:
        return _failed("the expression is nested too deeply")


def _failed(message: str) -> dict:
    line = " ".join(message.split()) or "failed"
    return {"svg": "", "svg_tall": "", "steps": "", "practice": None, "output": None, "error": line}


def _exercise(expression: str, values: str, mode: str) -> dict:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    if len(expression) > MAX_SOURCE or len(values) > MAX_SOURCE:
        raise ValueError(f"the expression and the values may have {MAX_SOURCE} characters each")
    if not expression.strip():
        raise ValueError("type an expression, e.g. L = (w*x - 1)**2")
    settings = parse_settings(split_settings(values))
    program = build(expression, settings)
    root = program.root
    root.backward()
    svg = to_svg(draw(root, precision=PRECISION))
    svg_tall = to_svg(draw(root, precision=PRECISION, rankdir="TB"))  # for a narrow screen
    steps = format_steps(backward_steps(root), PRECISION, STEPS_WIDTH)
    practice = None
    if mode == "practice":
        fresh = build(expression, settings).root  # a graph nobody ran backward on
        with tempfile.TemporaryDirectory() as folder:
            page = quiz_html(fresh, os.path.join(folder, "practice.html"), precision=PRECISION)
            practice = page.read_text(encoding="utf-8")
    return {
        "svg": svg,
        "svg_tall": svg_tall,
        "steps": steps,
        "practice": practice,
        "output": root.label,
        "error": None,
    }


def exercise_json(expression: str, values: str, mode: str = "explore") -> str:
    """:func:`exercise` as JSON text (what the worker hands the page).

    Example:
        >>> json.loads(exercise_json("y = x +", "x=1"))["error"]
        'line 1, column 8: syntax error: invalid syntax'
    """
    return json.dumps(exercise(expression, values, mode), ensure_ascii=False)


def use_browser_renderer(render_svg: Callable[[str], str]) -> None:
    """Register the browser's Graphviz (viz.js's ``renderString``) and render with it.

    Example:
        >>> from viz.writers.renderers import current_renderer, use_renderer
        >>> use_browser_renderer(lambda source: "<svg/>")
        >>> current_renderer().name
        'viz.js'
        >>> use_renderer(None)
    """

    def to_svg_in_browser(source: str, timeout: float) -> str:
        # The worker's own time limit stops a runaway layout; viz.js takes no timeout.
        try:
            return str(render_svg(source))
        except Exception as error:  # a JavaScript error from viz.js, as Pyodide raises it
            message = str(error).strip().splitlines()
            raise RenderError(f"viz.js failed: {message[-1] if message else error}") from None

    register_renderer("viz.js", to_svg_in_browser, use=True)
