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


# ------------------------------------------------------------ display for people
def _indicator_condition(sp: Any, expr: Any) -> Any:
    """The condition of ``Piecewise((1, cond), (0, True))``, else None."""
    if isinstance(expr, sp.Piecewise) and len(expr.args) == 2:
        (one, cond), (zero, otherwise) = expr.args
        if one == 1 and zero == 0 and otherwise == sp.true:
            return cond
    return None


def _split_indicators(sp: Any, expr: Any) -> Any:
    """``Piecewise((a, cond), (0, True))`` as the product ``a * 1{cond}``."""

    def is_gated(e: Any) -> bool:
        return (
            isinstance(e, sp.Piecewise)
            and len(e.args) == 2
            and e.args[1][0] == 0
            and e.args[1][1] == sp.true
            and e.args[0][0] != 1
        )

    def split(e: Any) -> Any:
        value, cond = e.args[0]
        return sp.Mul(value, sp.Piecewise((1, cond), (0, True)), evaluate=False)

    return sp.sympify(expr).replace(is_gated, split)


def _condition_parts(sp: Any, cond: Any) -> list[Any]:
    return list(cond.args) if isinstance(cond, sp.And) else [cond]


def display_text(expr: Any) -> str:
    """``expr`` as text for people: indicators as ``1{w x > 1}``, not ``Piecewise``.

    Inside an indicator a product is written as juxtaposition and the parts of
    a conjunction are separated by commas; the rest is sympy's ``str``.
    :func:`autograd.symbolic.closed_form.parse_closed_form` reads the result back.

    Example:
        >>> import sympy
        >>> w, x, d = sympy.symbols("w x d")
        >>> display_text(d * sympy.Piecewise((1, w * x > 1), (0, True)))
        'd*1{w x > 1}'
        >>> display_text(sympy.Piecewise((1, sympy.And(x >= w, x > d)), (0, True)))
        '1{w <= x, d < x}'
        >>> display_text(sympy.Piecewise((w * x - 1, w * x > 1), (0, True)))  # relu's value
        '(w*x - 1)*1{w x > 1}'
    """
    import re

    sp = require_sympy()
    from sympy.printing.str import StrPrinter

    class Printer(StrPrinter):
        def _print_Piecewise(self, e: Any) -> str:  # noqa: N802 - sympy's printer API
            cond = _indicator_condition(sp, e)
            if cond is None:  # a general Piecewise: sympy's own text
                return self._print_Basic(e)
            parts = [
                re.sub(r"(?<!\*)\*(?!\*)", " ", self._print(c)) for c in _condition_parts(sp, cond)
            ]
            return "1{" + ", ".join(parts) + "}"

    return Printer().doprint(_split_indicators(sp, expr))


def display_latex(expr: Any) -> str:
    r"""``expr`` as LaTeX with indicators as ``\mathbb{1}[w x > 1]``.

    Example:
        >>> import sympy
        >>> w, x = sympy.symbols("w x")
        >>> display_latex(2 * sympy.Piecewise((1, w * x > 1), (0, True)))
        '2 \\mathbb{1}[w x > 1]'
    """
    sp = require_sympy()
    expr = _split_indicators(sp, expr)
    # Each indicator is printed in place of a placeholder symbol, so that sympy's
    # products do not wrap it in parentheses as they would a Piecewise.
    texts: dict[str, str] = {}

    def stand_in(e: Any) -> Any:
        cond = _indicator_condition(sp, e)
        name = f"zzindicator{chr(ord('a') + len(texts) % 26) * (1 + len(texts) // 26)}zz"
        texts[name] = (
            r"\mathbb{1}[" + ", ".join(display_latex(c) for c in _condition_parts(sp, cond)) + "]"
        )
        return sp.Symbol(name)

    replaced = expr.replace(lambda e: _indicator_condition(sp, e) is not None, stand_in)
    out = sp.latex(replaced)
    for name, text in texts.items():
        out = out.replace(name, text)
    return out
