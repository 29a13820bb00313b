"""Test helpers: gradients against closed forms, numbers and hand-written backward code.

- :func:`assert_grad`: ``d root / d node`` equals a number, an array or a closed form.
- :func:`assert_closed_form`: the engine's symbolic gradients equal closed forms
  (needs sympy).
- :func:`assert_backward`: grade a hand-written numpy backward function against
  the engine.
- :mod:`autograd.testing.strategies`: hypothesis strategies (values with kinks,
  Tensors, random expression graphs).
- :mod:`autograd.testing.plugin`: the pytest plugin, active whenever chalkgrad
  is installed (the ``chalkgrad`` fixture and readable failure reports).

Example:
    >>> from autograd import Value
    >>> x = Value(0.5, label="x")
    >>> assert_grad(x * x, {"x": 1.0})
"""

from autograd.names import node_names
from autograd.symbolic.closed_form import parse_closed_form
from autograd.testing.backward import assert_backward
from autograd.testing.closed_forms import assert_closed_form, closed_form_grad
from autograd.testing.explain import GradientAssertionError, explain_gradient
from autograd.testing.gradients import assert_grad

__all__ = [
    "GradientAssertionError",
    "assert_backward",
    "assert_closed_form",
    "assert_grad",
    "closed_form_grad",
    "node_names",
    "explain_gradient",
    "parse_closed_form",
]
