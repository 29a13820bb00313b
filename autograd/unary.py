"""Elementwise functions that Value and Tensor share, with PyTorch's names, and the
primitives they need.

``sin cos erf log2 sign clamp`` are primitives: their registry entries (forward rule,
partials, formula, over the math backend ``m``, as in ``ops.py``) are the table below,
registered into the same registry ``ops.OPS`` (``ops.py`` is at its size limit, and here
each entry sits beside the method that uses it). ``rsqrt``, ``gelu`` and ``silu`` are
composed from primitives, so a drawing shows what they are made of (``silu`` is
``a * σ(a)``). Mixed into :class:`~autograd.value.Value` (one node) and
:class:`~autograd.tensors.tensor.Tensor` (one node per element), which each supply
``_apply_unary(op)``; this module imports neither.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from autograd import ops

SQRT_HALF = math.sqrt(0.5)  # 1/√2, GELU's scale inside erf
SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)  # the tanh approximation's scale
GELU_TANH_CUBIC = 0.044715

# The primitives, one entry each, read as a table as in ops.py.
# fmt: off
SIN = ops.register(ops.Op(
    "sin", "sin", 1,
    forward=lambda m, a: m.sin(a),
    partials=lambda m, out, a: (m.cos(a),),
    formulas=("cos(a)",),
))
COS = ops.register(ops.Op(
    "cos", "cos", 1,
    forward=lambda m, a: m.cos(a),
    partials=lambda m, out, a: (-m.sin(a),),
    formulas=("-sin(a)",),
))
ERF = ops.register(ops.Op(  # GELU's Φ(x) = (1 + erf(x/√2))/2
    "erf", "erf", 1,
    forward=lambda m, a: m.erf(a),
    partials=lambda m, out, a: (m.div(2.0 * m.exp(-(a * a)), m.sqrt(m.pi)),),
    formulas=("2·exp(-a²)/√π",),
))
LOG2 = ops.register(ops.Op(  # a primitive, not log(a)/log(2): exact at powers of two (bits)
    "log2", "log2", 1,
    forward=lambda m, a: m.log2(a),
    partials=lambda m, out, a: (m.div(1.0, a * m.log(2.0)),),
    formulas=("1/(a·ln 2)",),
))
SIGN = ops.register(ops.Op(  # flat everywhere: PyTorch sends exactly 0 back, even for inf upstream
    "sign", "sign", 1,
    forward=lambda m, a: m.sign(a),
    partials=lambda m, out, a: (0.0,),
    formulas=("0",),
    masks=lambda m, out, a: (True,),
))
CLAMP = ops.register(ops.Op(  # min(max(a, low), high); inside [low, high] (ends included) d/da = 1
    "clamp", "clamp({low:g},{high:g})", 1,
    forward=lambda m, a, low, high: m.min((m.max((a, m.number(low))), m.number(high))),
    partials=lambda m, out, a, low, high: (
        m.where((a >= m.number(low)) & (a <= m.number(high)), 1.0, 0.0),),
    formulas=("1{{{low} ≤ a ≤ {high}}}",),
    param_names=("low", "high"),
    masks=lambda m, out, a, low, high: (True,),
))
# fmt: on


class UnaryFunctions:
    """``sin cos erf log2 sign rsqrt clamp/clip gelu silu`` for Values and Tensors."""

    __slots__ = ()

    def _apply_unary(self, op: ops.Op) -> Any:  # pragma: no cover - each class has its own
        raise NotImplementedError

    def sin(self) -> Any:
        """sin a.  d/da = cos a.

        Example:
            >>> from autograd import Value
            >>> x = Value(0.0); y = x.sin(); y.backward(); y.data, x.grad
            (0.0, 1.0)
        """
        return self._apply_unary(SIN)

    def cos(self) -> Any:
        """cos a.  d/da = -sin a.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([0.0]).cos().data.tolist()
            [1.0]
        """
        return self._apply_unary(COS)

    def erf(self) -> Any:
        """The error function.  d/da = 2 exp(-a²)/√π.

        Example:
            >>> from autograd import Value
            >>> x = Value(0.0); y = x.erf(); y.backward(); y.data, round(x.grad, 6)
            (0.0, 1.128379)
        """
        return self._apply_unary(ERF)

    def log2(self) -> Any:
        """Base-2 logarithm, exact at powers of two.  d/da = 1/(a ln 2).

        Example:
            >>> from autograd import Tensor
            >>> Tensor([8.0, 0.5]).log2().data.tolist()
            [3.0, -1.0]
        """
        return self._apply_unary(LOG2)

    def sign(self) -> Any:
        """-1, 0 or 1 (0 for nan, as ``torch.sign``).  d/da = 0.

        Example:
            >>> from autograd import Tensor
            >>> Tensor([-2.0, 0.0, 3.0]).sign().data.tolist()
            [-1.0, 0.0, 1.0]
        """
        return self._apply_unary(SIGN)

    def rsqrt(self) -> Any:
        """1/√a, the node ``a ** -0.5``.  d/da = -0.5 a^(-1.5).

        Example:
            >>> from autograd import Value
            >>> x = Value(4.0); y = x.rsqrt(); y.backward(); y.data, x.grad, y.op
            (0.5, -0.0625, 'pow')
        """
        return self**-0.5

    def clamp(self, min: float | None = None, max: float | None = None) -> Any:  # noqa: A002
        """min(max(a, min), max), PyTorch's ``clamp``: one ``clamp`` node per element.
        d/da = 1 on [min, max], ends included, else 0.

        Example:
            >>> from autograd import Tensor
            >>> x = Tensor([-1.0, 0.0, 0.5, 2.0]); y = x.clamp(0.0, 1.0)
            >>> y.sum().backward(); y.data.tolist(), x.grad.tolist()
            ([0.0, 0.0, 0.5, 1.0], [0.0, 1.0, 1.0, 0.0])
        """
        if min is None and max is None:
            raise ValueError("clamp needs min=, max= or both (numbers), got neither")
        low = -math.inf if min is None else _bound(min, "min")
        high = math.inf if max is None else _bound(max, "max")
        return self._apply_unary(CLAMP.bind(low, high))

    def clip(self, min: float | None = None, max: float | None = None) -> Any:  # noqa: A002
        """Alias of :meth:`clamp`, as in PyTorch.

        Example:
            >>> from autograd import Value
            >>> Value(3.0).clip(max=1.0).data
            1.0
        """
        return self.clamp(min, max)

    def silu(self) -> Any:
        """a·σ(a) (SiLU, swish), composed of ``sigmoid`` and ``mul``.
        d/da = σ(a) + a σ(a)(1 - σ(a)).

        Example:
            >>> from autograd import Value
            >>> x = Value(1.0); y = x.silu(); y.backward()
            >>> round(y.data, 6), round(x.grad, 6)
            (0.731059, 0.927671)
        """
        return self * self.sigmoid()

    def gelu(self, approximate: str = "none") -> Any:
        """GELU, PyTorch's default erf form a·Φ(a) = a (1 + erf(a/√2))/2, composed of
        ``mul``, ``erf`` and ``add``; ``approximate="tanh"`` is
        a (1 + tanh(√(2/π)(a + 0.044715 a³)))/2.

        Example:
            >>> from autograd import Value
            >>> x = Value(1.0); y = x.gelu(); y.backward()
            >>> round(y.data, 6), round(x.grad, 6)
            (0.841345, 1.083315)
            >>> round(Value(1.0).gelu(approximate="tanh").data, 6)
            0.841192
        """
        if approximate == "none":
            return self * ((self * SQRT_HALF).erf() + 1.0) * 0.5
        if approximate == "tanh":
            inner = (self + self**3 * GELU_TANH_CUBIC) * SQRT_2_OVER_PI
            return self * (inner.tanh() + 1.0) * 0.5
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def _bound(x: Any, what: str) -> float:
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return float(x)
    raise TypeError(
        f"clamp: {what} must be a number or None, got {type(x).__name__} {x!r:.40}; for "
        "bounds that are Tensors use maximum()/minimum()"
    )
