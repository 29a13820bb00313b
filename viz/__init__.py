"""chalkgrad's pictures: draw graphs with data and gradients, and step through backprop.

Example:
    >>> from autograd import Value
    >>> from viz import draw
    >>> x = Value(3.0, label="x"); y = x * x; y.backward()
    >>> "grad 6" in draw(y).source
    True
"""

from viz.draw import GraphPicture, draw, write_picture
from viz.escape import escape_html, escape_record, quote_dot
from viz.explore import explore_html
from viz.latex import steps_latex
from viz.picture import Box, Edge, Picture, picture
from viz.practice import quiz_html
from viz.quiz import make_quiz, run_quiz
from viz.render import RenderError, render, to_svg
from viz.stepper import stepper_html
from viz.steps import BackwardSteps, Step, backward_steps, format_steps, print_steps
from viz.tikz import to_tikz

__all__ = [
    "GraphPicture",
    "draw",
    "write_picture",
    "picture",
    "Picture",
    "Box",
    "Edge",
    "escape_html",
    "escape_record",
    "quote_dot",
    "RenderError",
    "render",
    "to_svg",
    "BackwardSteps",
    "Step",
    "backward_steps",
    "format_steps",
    "print_steps",
    "stepper_html",
    "explore_html",
    "steps_latex",
    "to_tikz",
    "quiz_html",
    "make_quiz",
    "run_quiz",
]
