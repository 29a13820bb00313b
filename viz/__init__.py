"""chalkgrad's pictures: draw graphs with data and gradients, and step through backprop.

Example:
    >>> from autograd import Value
    >>> from viz import draw
    >>> x = Value(3.0, label="x"); y = x * x; y.backward()
    >>> "grad 6" in draw(y).source
    True
"""

from viz.drawing import GraphPicture, draw, write_picture
from viz.escape import escape_html, escape_record, quote_dot
from viz.model.build import picture
from viz.model.picture import Box, Edge, Picture
from viz.output import render, to_svg, to_tikz
from viz.pages.explore import explore_html
from viz.pages.notebook import Explorer, explore
from viz.pages.practice_page import quiz_html
from viz.pages.stepper import stepper_html
from viz.practice.quiz import make_quiz, run_quiz
from viz.steps import BackwardSteps, Step, backward_steps, format_steps, print_steps
from viz.writers.graphviz_run import RenderError
from viz.writers.latex import steps_latex

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
    "explore",
    "Explorer",
    "steps_latex",
    "to_tikz",
    "quiz_html",
    "make_quiz",
    "run_quiz",
]
