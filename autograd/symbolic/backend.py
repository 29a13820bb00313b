"""The sympy math backend: the op registry's rules evaluated to closed forms.

:class:`SympyMath` has the same function names as :class:`autograd.backend.FloatMath`,
so every forward and partials rule in ``ops.py`` builds a sympy expression when
given this backend. Numbers become exact rationals by one rule (:func:`exact`);
indicators (relu's step, leaky_relu/elu's branches, max/min's one-hot) are
``Piecewise`` expressions, ties going to the first argument as in the float
backend. sympy is imported only when a function here is called.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from autograd.limits import check_power
from autograd.symbolic.special import SpecialFunctions

# Floats whose shortest repr has at most this many significant digits are read as
# that decimal; longer ones (1/3, 2**-30) keep their exact binary value.
SHORT_DECIMAL_DIGITS = 12
INSTALL_HINT = 'symbolic mode needs sympy: pip install "chalkgrad[symbolic]"'


def require_sympy() -> Any:
    """Import and return sympy, or raise ImportError naming the extra to install.

    Example:
        >>> require_sympy().__name__
        'sympy'
    """
    try:
        import sympy
    except ImportError as error:  # sys.modules["sympy"] = None also lands here
        raise ImportError(INSTALL_HINT) from error
    return sympy


def exact(x: Any) -> Any:
    """A number or expression with every float made an exact sympy Rational.

    A float whose shortest round-tripping decimal (``repr``) has at most
    12 significant digits becomes that decimal exactly (``0.1 -> 1/10``); a
    longer one becomes its exact binary value (``2**-30 -> 1/1073741824``).
    Infinities become ``oo``/``-oo``, nan ``nan``; sympy Floats inside an
    expression are replaced the same way.

    Only numbers are accepted: ``int``, ``float``, ``complex``, ``bool``, numpy
    numbers, :class:`fractions.Fraction` and sympy numbers/expressions.
    Anything else, strings included, raises TypeError: a string is never
    parsed (sympy's parser evaluates Python). Make names with
    ``sympy.Symbol("x")`` and read closed forms with
    :func:`autograd.symbolic.closed_form.parse_closed_form`.

    Example:
        >>> from fractions import Fraction
        >>> exact(0.5), exact(3.0), exact(0.1), exact(-2), exact(2**-30)
        (1/2, 3, 1/10, -2, 1/1073741824)
        >>> exact(Fraction(2, 6)), exact(np.float32(0.25)), exact(1 + 0.5j)
        (1/3, 1/4, 1 + I/2)
        >>> exact("x")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        TypeError: exact takes a number ... got str 'x'; strings are never parsed: ...
    """
    sp = require_sympy()
    if isinstance(x, sp.Basic):
        floats = x.atoms(sp.Float)
        if not floats:
            return x
        return x.xreplace({f: _float_to_rational(sp, float(f)) for f in floats})
    if isinstance(x, (bool, np.bool_, int, np.integer)):
        return sp.Integer(int(x))
    if isinstance(x, (float, np.floating)):
        return _float_to_rational(sp, float(x))
    if isinstance(x, Fraction):
        return sp.Rational(x.numerator, x.denominator)
    if isinstance(x, (complex, np.complexfloating)):
        z = complex(x)
        return _float_to_rational(sp, z.real) + sp.I * _float_to_rational(sp, z.imag)
    hint = (
        "; strings are never parsed: use sympy.Symbol(...) for a name"
        if isinstance(x, (str, bytes))
        else ""
    )
    raise TypeError(
        "exact takes a number (int, float, complex, numpy number, Fraction) or a "
        f"sympy expression, got {type(x).__name__} {x!r}{hint}"
    )


def _float_to_rational(sp: Any, x: float) -> Any:
    if math.isnan(x):
        return sp.nan
    if math.isinf(x):
        return sp.oo if x > 0 else -sp.oo
    text = repr(x)
    mantissa = text.lower().split("e", 1)[0].lstrip("-").replace(".", "").strip("0")
    if len(mantissa) <= SHORT_DECIMAL_DIGITS:
        return sp.Rational(text)  # the decimal the user typed: 0.1 -> 1/10
    return sp.Rational(x)  # a long decimal: the float's exact binary value


class SympyMath(SpecialFunctions):
    """The math backend of :mod:`autograd.backend` over sympy expressions.

    Same method names as :class:`autograd.backend.FloatMath`; every result is
    exact (floats become Rationals, see :func:`exact`).

    Example:
        >>> import sympy
        >>> from autograd.ops import RELU
        >>> m, z = SympyMath(), sympy.Symbol("z")
        >>> RELU.partials(m, RELU.forward(m, z), z)
        (Piecewise((1, z > 0), (0, True)),)
    """

    name = "sympy"

    def __init__(self) -> None:
        self.sp = require_sympy()

    def exp(self, x: Any) -> Any:
        """e**x.

        Example:
            >>> SympyMath().exp(0.5)
            exp(1/2)
        """
        return self.sp.exp(exact(x))

    def log(self, x: Any) -> Any:
        """The natural logarithm; log(0) is -oo, the float backend's -inf (sympy says zoo).

        Example:
            >>> SympyMath().log(1), SympyMath().log(0)
            (0, -oo)
        """
        x = exact(x)
        return -self.sp.oo if x == 0 else self.sp.log(x)

    def sqrt(self, x: Any) -> Any:
        """The principal square root.

        Example:
            >>> SympyMath().sqrt(0.25)
            1/2
        """
        return self.sp.sqrt(exact(x))

    def tanh(self, x: Any) -> Any:
        """The hyperbolic tangent.

        Example:
            >>> import sympy
            >>> SympyMath().tanh(sympy.Symbol("x"))
            tanh(x)
        """
        return self.sp.tanh(exact(x))

    def sigmoid(self, x: Any) -> Any:
        """1 / (1 + exp(-x)).

        Example:
            >>> import sympy
            >>> SympyMath().sigmoid(sympy.Symbol("x"))
            1/(1 + exp(-x))
        """
        return 1 / (1 + self.sp.exp(-exact(x)))

    def softplus(self, x: Any) -> Any:
        """log(1 + exp(x)).

        Example:
            >>> SympyMath().softplus(0)
            log(2)
        """
        return self.sp.log(1 + self.sp.exp(exact(x)))

    def div(self, a: Any, b: Any) -> Any:
        """a / b, exactly.

        Example:
            >>> SympyMath().div(1, 3.0)
            1/3
        """
        return exact(a) / exact(b)

    def pow(self, a: Any, b: Any) -> Any:
        """a ** b, exactly.

        Example:
            >>> import sympy
            >>> SympyMath().pow(sympy.Symbol("x"), 0.5)
            sqrt(x)
        """
        a, b = exact(a), exact(b)
        check_power(self.sp, a, b)  # 3**1000000000 would be computed to the last digit
        return a**b

    def pow_scalar(self, a: Any, n: Any) -> Any:
        """a ** n for a number n, exactly (the float backend's √ special cases are signs of
        zero and infinities, which exact numbers do not have).

        Example:
            >>> import sympy
            >>> SympyMath().pow_scalar(sympy.Symbol("x"), 3)
            x**3
        """
        a, n = exact(a), exact(n)
        check_power(self.sp, a, n)  # 3**1000000000 would be computed to the last digit
        return a**n

    def pow_log(self, out: Any, a: Any, b: Any) -> Any:
        """out * log(a), the derivative of a**b in b; 0 where a is the number 0 and b >= 0.

        Example:
            >>> import sympy
            >>> x, y = sympy.symbols("x y")
            >>> SympyMath().pow_log(1, 0, 0), SympyMath().pow_log(x**y, x, y)
            (0, x**y*log(x))
        """
        a, b = exact(a), exact(b)
        if a == 0 and b.is_nonnegative:
            return self.sp.Integer(0)
        return exact(out) * self.sp.log(a)

    def number(self, x: Any) -> Any:
        """A parameter as an exact number.

        Example:
            >>> SympyMath().number(0.5)
            1/2
        """
        return exact(x)

    def expm1(self, x: Any) -> Any:
        """exp(x) - 1.

        Example:
            >>> SympyMath().expm1(0)
            0
        """
        return self.sp.exp(exact(x)) - 1

    def log1p(self, x: Any) -> Any:
        """log(1 + x).

        Example:
            >>> SympyMath().log1p(0)
            0
        """
        return self.log(1 + exact(x))

    def abs(self, x: Any) -> Any:
        """|x|.

        Example:
            >>> SympyMath().abs(-0.5)
            1/2
        """
        return self.sp.Abs(exact(x))

    def sign(self, x: Any) -> Any:
        """-1, 0 or 1 (sympy's ``sign``).

        Example:
            >>> import sympy
            >>> SympyMath().sign(sympy.Symbol("x")), SympyMath().sign(-3)
            (sign(x), -1)
        """
        return self.sp.sign(exact(x))

    def step(self, x: Any) -> Any:
        """1{x > 0} as ``Piecewise((1, x > 0), (0, True))``.

        Example:
            >>> import sympy
            >>> SympyMath().step(sympy.Symbol("x"))
            Piecewise((1, x > 0), (0, True))
        """
        return self.where_positive(x, 1, 0)

    def where_positive(self, x: Any, if_positive: Any, otherwise: Any) -> Any:
        """``if_positive`` where x > 0, else ``otherwise``, as a Piecewise.

        Example:
            >>> import sympy
            >>> SympyMath().where_positive(sympy.Symbol("x"), 0.1, 1)
            Piecewise((1/10, x > 0), (1, True))
        """
        sp = self.sp
        return sp.Piecewise((exact(if_positive), exact(x) > 0), (exact(otherwise), True))

    def where(self, condition: Any, x: Any, y: Any) -> Any:
        """``x`` where ``condition`` holds, else ``y``, as a Piecewise (decided at once when
        the condition is a plain True or False).

        Example:
            >>> import sympy
            >>> z = sympy.Symbol("z")
            >>> SympyMath().where(z < 0, 0, z), SympyMath().where(True, 1, 0)
            (Piecewise((0, z < 0), (z, True)), 1)
        """
        sp = self.sp
        if condition is True or condition is False:
            return exact(x) if condition else exact(y)
        return sp.Piecewise((exact(x), condition), (exact(y), True))

    def max(self, values: Sequence[Any]) -> Any:
        """The largest of ``values`` (sympy ``Max``).

        Example:
            >>> import sympy
            >>> SympyMath().max([sympy.Symbol("x"), 0.5])
            Max(1/2, x)
        """
        return self.sp.Max(*[exact(v) for v in values])

    def min(self, values: Sequence[Any]) -> Any:
        """The smallest of ``values`` (sympy ``Min``).

        Example:
            >>> import sympy
            >>> SympyMath().min([sympy.Symbol("x"), 1])
            Min(1, x)
        """
        return self.sp.Min(*[exact(v) for v in values])

    def onehot_max(self, values: Sequence[Any]) -> tuple:
        """1{a_i is the first maximum}: a_i > every earlier a_j and >= every later one.

        Example:
            >>> import sympy
            >>> SympyMath().onehot_max(sympy.symbols("x y"))
            (Piecewise((1, x >= y), (0, True)), Piecewise((1, x < y), (0, True)))
        """
        return self._onehot(values, greater=True)

    def onehot_min(self, values: Sequence[Any]) -> tuple:
        """1{a_i is the first minimum}: a_i < every earlier a_j and <= every later one.

        Example:
            >>> import sympy
            >>> SympyMath().onehot_min(sympy.symbols("x y"))
            (Piecewise((1, x <= y), (0, True)), Piecewise((1, x > y), (0, True)))
        """
        return self._onehot(values, greater=False)

    def split_max(self, values: Sequence[Any]) -> tuple:
        """1{a_i = max} / (how many a_j equal the max): ties share the gradient evenly.

        Example:
            >>> import sympy
            >>> x, y = sympy.symbols("x y")
            >>> [d.subs({x: 2, y: 2}) for d in SympyMath().split_max((x, y))]
            [1/2, 1/2]
        """
        return self._split(values, self.max(values))

    def split_min(self, values: Sequence[Any]) -> tuple:
        """1{a_i = min} / (how many a_j equal the min): ties share the gradient evenly.

        Example:
            >>> import sympy
            >>> x, y = sympy.symbols("x y")
            >>> [d.subs({x: 1, y: 2}) for d in SympyMath().split_min((x, y))]
            [1, 0]
        """
        return self._split(values, self.min(values))

    def split_pair(self, a: Any, b: Any, larger: bool) -> tuple:
        """d/da, d/db of max(a, b) or min(a, b): ½ on a tie, 0 where strictly beaten, else 1.

        Example:
            >>> import sympy
            >>> x, y = sympy.symbols("x y")
            >>> [d.subs({x: 2, y: 2}) for d in SympyMath().split_pair(x, y, True)]
            [1/2, 1/2]
        """
        sp = self.sp
        a, b = exact(a), exact(b)
        half = sp.Rational(1, 2)
        if larger:
            da = sp.Piecewise((half, sp.Eq(a, b)), (0, a < b), (1, True))
            db = sp.Piecewise((half, sp.Eq(a, b)), (0, b < a), (1, True))
        else:
            da = sp.Piecewise((half, sp.Eq(a, b)), (0, a > b), (1, True))
            db = sp.Piecewise((half, sp.Eq(a, b)), (0, b > a), (1, True))
        return da, db

    def _split(self, values: Sequence[Any], best: Any) -> tuple:
        sp = self.sp
        ties = [sp.Piecewise((1, sp.Eq(exact(v), best)), (0, True)) for v in values]
        count = sp.Add(*ties)
        return tuple(tie / count for tie in ties)

    def _onehot(self, values: Sequence[Any], greater: bool) -> tuple:
        sp = self.sp
        xs = [exact(v) for v in values]
        out = []
        for i, a in enumerate(xs):
            conditions = []
            for j, b in enumerate(xs):
                if j == i:
                    continue
                if greater:
                    conditions.append(a > b if j < i else a >= b)
                else:
                    conditions.append(a < b if j < i else a <= b)
            out.append(sp.Piecewise((1, sp.And(*conditions)), (0, True)))
        return tuple(out)

    def chain(self, upstream: Any, local: Any, mask: Any) -> Any:
        """upstream * local, but exactly 0 where ``mask`` is true and ``local`` is the number 0
        (so ``oo`` upstream of an unselected input gives 0, not nan).

        Example:
            >>> import sympy
            >>> SympyMath().chain(sympy.oo, 0, True), SympyMath().chain(sympy.oo, 0, False)
            (0, nan)
        """
        if bool(mask) is True and exact(local) == 0:
            return self.sp.Integer(0)
        return exact(upstream) * exact(local)

    def isfinite(self, x: Any) -> bool:
        """Whether x is a finite number (False for oo, nan and undecided symbols).

        Example:
            >>> SympyMath().isfinite(0.5), SympyMath().isfinite(float("inf"))
            (True, False)
        """
        return bool(exact(x).is_finite)
