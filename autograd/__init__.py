"""chalkgrad's engine: scalar reverse-mode autograd with one registry of primitives.

Example:
    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> y = (x * x + 1).log()
    >>> y.backward()
    >>> round(x.grad, 4)
    0.8
"""

from autograd.backend import FLOAT, FloatMath
from autograd.graph import backward, topological_order, zero_grad
from autograd.mode import AnomalyError, detect_anomaly, no_grad
from autograd.ops import OPS, Op, lookup
from autograd.value import Value, as_value

# The Value path needs no numpy (the browser has none); these need it, and load when used.
_NEEDS_NUMPY = {
    "autograd.check": ("GradcheckError", "gradcheck", "jacobian"),
    "autograd.compiler": ("Compiled", "Replayed", "TraceMismatchError", "compile"),
    "autograd.functional": ("cat", "concat", "linear", "pad", "stack", "where"),
    "autograd.tensors": ("Tensor", "as_tensor", "matmul"),
    "autograd.tensors.factories": (
        "arange",
        "eye",
        "full",
        "linspace",
        "manual_seed",
        "ones",
        "ones_like",
        "rand",
        "randn",
        "tensor",
        "zeros",
        "zeros_like",
    ),
}
_LAZY = {name: module for module, names in _NEEDS_NUMPY.items() for name in names}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'autograd' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # found once, then an ordinary attribute
    return value


def is_tensor(x: object) -> bool:
    """True for a :class:`Tensor`, without importing numpy (no Tensor exists before it is).

    Example:
        >>> is_tensor(Value(1.0)), is_tensor(2.0)
        (False, False)
    """
    import sys

    module = sys.modules.get("autograd.tensors.tensor")
    return module is not None and isinstance(x, module.Tensor)


__all__ = [
    "FLOAT",
    "FloatMath",
    "backward",
    "topological_order",
    "zero_grad",
    "AnomalyError",
    "detect_anomaly",
    "no_grad",
    "OPS",
    "Op",
    "lookup",
    "Value",
    "as_value",
    "is_tensor",
    *_LAZY,  # the names that load with numpy, listed once in _NEEDS_NUMPY
]
