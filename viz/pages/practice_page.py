"""``quiz_html``: one self-contained practice page, backprop by hand on any graph.

The page shows the graph drawn by :func:`viz.draw` with the gradients as
empty cells (and, with ``forward=True``, the computed values too), and one answer
box per blank. A box is ready when the chain rule allows it (every node using the
node is done); the page marks ready boxes in the list and in the picture. Typed
answers (numbers or small arithmetic) are checked in the page against the
engine's values from :func:`viz.practice.quiz.make_quiz`, with the same tolerance and the
same two levels of hints as the terminal quiz. Nothing is fetched from the network.

Testability contract: each answer box is an ``<input>`` whose ``data-node`` is
the node's display name (and ``data-kind`` is ``grad`` or ``data``); after a
check its ``data-state`` is ``correct`` or ``wrong`` (``revealed`` after
"reveal all").
"""

from __future__ import annotations

import html
import json
import math
import os
from pathlib import Path

from autograd import Value
from viz.drawing import draw, grads_computed
from viz.files import write_atomic
from viz.numbers import format_number
from viz.output import to_svg
from viz.practice.answers import TOLERANCE, ZERO
from viz.practice.quiz import MAX_QUESTIONS, Quiz, describe, make_quiz
from viz.writers.dot import is_blank_grad

ASSETS = Path(__file__).with_name("assets")
TALL_PREFIX = "tall-"  # ids in the top-to-bottom copy of the picture
LONG_DESCRIPTION = 240  # characters: a longer statement of the exercise starts folded

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
{css}
</style>
</head>
<body>
<h2>{title}</h2>
<details id="exercise"{open}><summary>the exercise</summary>{exercise}</details>
<p id="how">{how}</p>
<div id="status">
  <span id="progress"></span><span id="bar"><span id="progress-bar"></span></span>
  <span id="score"></span>
  <button id="reset" type="button">reset</button>
  <button id="reveal" type="button">reveal all</button>
</div>
<div id="finished" aria-live="polite"></div>
<div id="graph" class="fit"><div id="graph-wide">{svg}</div><div id="graph-tall">{svg_tall}</div></div>
<p class="legend">blue: ready now, green: done.
  <span class="zoom">zoom <button id="zoom-out" type="button" aria-label="zoom out">&#8722;</button>
  <button id="zoom-in" type="button" aria-label="zoom in">+</button>
  <button id="zoom-fit" type="button">fit</button></span></p>
<div id="questions">
{rows}
</div>
<script type="application/json" id="quiz-data">{data}</script>
<script>
{script}
</script>
</body>
</html>
"""

_ROW = """<div class="q" id="q{k}">
  <label for="a{k}">{prompt} =</label>
  <input id="a{k}" type="text" inputmode="text" autocomplete="off" spellcheck="false"
         data-node="{name}" data-kind="{kind}" aria-label="{prompt}">
  <button class="check" type="button">check</button>
  <button class="hint" type="button">hint</button>
  <div class="message" aria-live="polite"></div>
  <div class="hint-text" hidden></div>
</div>"""


def _number(x: float) -> float | str:
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def page_data(quiz: Quiz, node_ids: dict[int, str], forward: bool) -> dict:
    """The JSON the page reads: each question's SVG node, blank cell, answer and hints.

    A computed node drawn with ``forward=True`` has two blanks (data is cell 0, grad
    cell 1); otherwise the grad is cell 0. ``given`` fills the blanks nobody is asked
    for: the seed at the output, a dash for constants.

    Example:
        >>> w = Value(2.0, label="w"); y = w * 3; y.label = "y"
        >>> d = page_data(make_quiz(y), {id(w): "v0", id(y.parents[1]): "v1", id(y): "v2"}, False)
        >>> [(q["name"], q["svg"], q["cell"], q["expected"]) for q in d["questions"]]
        [('w', 'v0', 0, 3.0)]
        >>> d["given"]  # the seed; the constant 3 is drawn with its own gradient cell
        [{'svg': 'v2', 'cell': 0, 'text': '1'}]
    """
    f = lambda x: format_number(x, quiz.precision)
    grad_cell = lambda v: 1 if forward and v.parents else 0
    questions = []
    for q in quiz.questions:
        questions.append(
            {
                "svg": node_ids[id(q.node)],
                "cell": 0 if q.kind == "data" else grad_cell(q.node),
                "kind": q.kind,
                "name": q.name,
                "prompt": q.prompt,
                "expected": _number(q.expected),
                "text": f(q.expected),
                "after": q.after,
                "hints": list(q.hints),
            }
        )
    asked = {(id(q.node), q.kind) for q in quiz.questions}
    computed = grads_computed(quiz.steps.order)
    given = []
    for v in quiz.steps.order:
        if (id(v), "grad") in asked or not is_blank_grad(v, v is quiz.root, computed):
            continue  # asked, or drawn with its number (a constant, a computed seed)
        text = f(quiz.steps.seed) if v is quiz.root else "—"
        given.append({"svg": node_ids[id(v)], "cell": grad_cell(v), "text": text})
    return {
        "questions": questions,
        "given": given,
        "tolerance": quiz.tolerance,
        "zero": ZERO,
        "precision": quiz.precision,
        "tallPrefix": TALL_PREFIX,
        "svgNodes": [node_ids[id(v)] for v in quiz.steps.order],
    }


def _script_json(data: dict) -> str:
    # "<" escaped so no label can close the <script> element early
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def _inline_svg(svg: str) -> str:
    start = svg.find("<svg")
    if start < 0:
        raise RuntimeError("the renderer returned no <svg> element")
    return svg[start:]


def quiz_html(
    root: Value,
    path: str | os.PathLike,
    precision: int = 4,
    seed: float = 1.0,
    forward: bool = False,
    tolerance: float = TOLERANCE,
    title: str | None = None,
    max_questions: int = MAX_QUESTIONS,
) -> Path:
    """Write a self-contained practice page for backprop by hand on ``root``'s graph.

    Every gradient below ``root`` (seeded with ``seed``) is a blank to fill in, in
    any order the chain rule allows; ``forward=True`` asks for the computed values
    first. Answers within ``tolerance`` (relative) count. More than
    ``max_questions`` blanks raise :class:`viz.practice.quiz.QuizTooBigError`, whose one-line
    message says how to quiz a part of the graph. The graph is not changed.

    Example:
        >>> import tempfile, os
        >>> w, x = Value(2.0, label="w"), Value(3.0, label="x")
        >>> y = w * x; y.label = "y"
        >>> page = quiz_html(y, os.path.join(tempfile.mkdtemp(), "practice.html"))
        >>> text = page.read_text(encoding="utf-8")
        >>> 'data-node="w"' in text and 'data-node="x"' in text and "grad 3.0000" not in text
        True
    """
    quiz = make_quiz(root, seed, forward, precision, tolerance, max_questions)
    hide = ("grad", "data") if forward else ("grad",)
    options = dict(precision=precision, hide=hide, max_nodes=max(300, len(quiz.steps.order)))
    picture = draw(quiz.root, **options)
    # A narrow screen shows the same graph laid out top to bottom; its ids get a prefix.
    tall = _inline_svg(to_svg(draw(quiz.root, rankdir="TB", **options)))
    out = quiz.root_name
    how = (
        f"Work out every blank of the graph. Start from the seed ∂{out}/∂{out} = "
        f"{format_number(quiz.steps.seed, precision)}; a box is ready when every node that "
        "uses it is done. Type a number or arithmetic such as 2*3 - 1 and press Enter; "
        f"answers within {tolerance:.0%} count. A wrong answer, or 'hint', shows the chain "
        "rule: first with names, then with numbers."
    )
    if forward:
        how = (
            "Forward first: fill in the value of each computed node, left to right, then "
            "the gradients. " + how
        )
    rows = "\n".join(
        _ROW.format(k=q.index, prompt=html.escape(q.prompt), name=html.escape(q.name), kind=q.kind)
        for q in quiz.questions
    )
    page = _PAGE.format(
        title=html.escape(title or f"practice: backprop by hand on {out}"),
        css=(ASSETS / "practice.css").read_text(encoding="utf-8"),
        exercise=html.escape(describe(quiz)),
        open=" open" if len(describe(quiz)) <= LONG_DESCRIPTION else "",
        how=html.escape(how),
        svg=_inline_svg(to_svg(picture)),
        svg_tall=tall.replace(' id="', f' id="{TALL_PREFIX}'),
        rows=rows,
        data=_script_json(page_data(quiz, picture.node_ids, forward)),
        script="\n".join(
            (ASSETS / name).read_text(encoding="utf-8") for name in ("answers.js", "practice.js")
        ),
    )
    return write_atomic(path, page)
