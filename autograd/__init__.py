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
from autograd.check import GradcheckError, gradcheck, jacobian
from autograd.compiler import Compiled, Replayed, TraceMismatchError, compile
from autograd.functional import cat, concat, linear, pad, stack, where
from autograd.graph import backward, topological_order, zero_grad
from autograd.mode import AnomalyError, detect_anomaly, no_grad
from autograd.ops import OPS, Op, lookup
from autograd.tensors import Tensor, as_tensor, matmul
from autograd.tensors.factories import (
    arange,
    eye,
    full,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    randn,
    tensor,
    zeros,
    zeros_like,
)
from autograd.value import Value, as_value

__all__ = [
    "FLOAT",
    "FloatMath",
    "GradcheckError",
    "gradcheck",
    "jacobian",
    "cat",
    "concat",
    "linear",
    "pad",
    "stack",
    "where",
    "backward",
    "topological_order",
    "zero_grad",
    "AnomalyError",
    "detect_anomaly",
    "no_grad",
    "OPS",
    "Op",
    "lookup",
    "Tensor",
    "as_tensor",
    "matmul",
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
    "Value",
    "as_value",
    "compile",
    "Compiled",
    "Replayed",
    "TraceMismatchError",
]
