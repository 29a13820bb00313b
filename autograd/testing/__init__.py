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
    >>> from autograd.testing import assert_grad
    >>> x = Value(0.5, label="x")
    >>> assert_grad(x * x, {"x": 1.0})
"""

from autograd.names import node_names
from autograd.testing.explain import GradientAssertionError, explain_gradient

# Explaining a gradient needs no numpy (the browser has none); these need it (or sympy).
_LAZY = {
    "parse_closed_form": "autograd.symbolic.closed_form",
    "assert_backward": "autograd.testing.backward",
    "assert_closed_form": "autograd.testing.closed_forms",
    "closed_form_grad": "autograd.testing.closed_forms",
    "assert_grad": "autograd.testing.gradients",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'autograd.testing' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


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
