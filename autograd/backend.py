"""Math backends: the functions every primitive's forward and derivative rules use.

The op registry (``ops.py``) never calls ``math`` directly. It receives a backend
object ``m`` and writes ``m.exp(a)``, ``m.div(a, b)``, ``m.step(a)``. The engine
passes :data:`FLOAT`, whose functions follow IEEE float semantics (``log(0)`` is
``-inf``, ``1/0`` is ``inf``, ``0/0`` is ``nan``) instead of raising Python's
``ZeroDivisionError``, ``OverflowError`` or math domain errors. Tensor ops pass
:data:`NUMPY` (``backend_numpy.py``), the same functions over whole arrays; the
symbolic mode passes a sympy backend (``backend_sympy.py``) with the same function
names, so the same rules give closed forms.

Selections. relu, max and min (and ``x ** 0``) *select*: in backward an input
they did not select receives exactly 0, even when the upstream gradient is inf
or nan, as PyTorch's masked backward does. :meth:`FloatMath.chain` is that rule:
``upstream * local``, except exactly 0 where the op's mask holds and the local
derivative is 0. Every other zero multiplies, so ``0 * inf`` is nan there, as in
PyTorch.
"""

from __future__ import annotations

import math

INF = math.inf
NAN = math.nan


class FloatMath:
    """IEEE-safe scalar math on Python floats.

    Example:
        >>> FLOAT.log(0.0), FLOAT.div(1.0, 0.0), FLOAT.exp(1000.0)
        (-inf, inf, inf)
    """

    name = "float"

    @staticmethod
    def exp(x: float) -> float:
        """e ** x, with inf on overflow instead of OverflowError.

        Example:
            >>> FLOAT.exp(0.0), FLOAT.exp(1000.0)
            (1.0, inf)
        """
        try:
            return math.exp(x)
        except OverflowError:
            return INF

    @staticmethod
    def log(x: float) -> float:
        """Natural log of x: -inf for x = 0, nan for x < 0 or nan.

        Example:
            >>> FLOAT.log(1.0), FLOAT.log(0.0), FLOAT.log(-1.0)
            (0.0, -inf, nan)
        """
        if x > 0.0:
            return math.log(x) if x != INF else INF
        if x == 0.0:
            return -INF
        return NAN  # negative or nan

    @staticmethod
    def sqrt(x: float) -> float:
        """√x: inf for x = inf, nan for x < 0 or nan.

        Example:
            >>> FLOAT.sqrt(4.0), FLOAT.sqrt(INF), FLOAT.sqrt(-1.0)
            (2.0, inf, nan)
        """
        if x >= 0.0:
            return math.sqrt(x) if x != INF else INF
        return NAN

    @staticmethod
    def tanh(x: float) -> float:
        """tanh x: ±1 for large |x| (never overflows), nan for nan.

        Example:
            >>> FLOAT.tanh(0.0), FLOAT.tanh(-1000.0)
            (0.0, -1.0)
        """
        return math.tanh(x)

    @staticmethod
    def sigmoid(x: float) -> float:
        """1 / (1 + e^-x), PyTorch's formula: 0 and 1 at ∓inf (and below -709), nan for nan.

        Example:
            >>> FLOAT.sigmoid(0.0), FLOAT.sigmoid(-1000.0), FLOAT.sigmoid(1000.0)
            (0.5, 0.0, 1.0)
        """
        return 1.0 / (1.0 + FloatMath.exp(-x))  # e^-x = inf gives 1/inf = 0, no error

    @staticmethod
    def expm1(x: float) -> float:
        """e ** x - 1, accurate near 0 (ELU's negative branch); inf on overflow.

        Example:
            >>> FLOAT.expm1(0.0), FLOAT.expm1(-0.0), FLOAT.expm1(-INF), FLOAT.expm1(1000.0)
            (0.0, -0.0, -1.0, inf)
        """
        try:
            return math.expm1(x)
        except OverflowError:
            return INF

    @staticmethod
    def log1p(x: float) -> float:
        """log(1 + x), accurate near 0: -inf at x = -1, nan below -1 or for nan.

        Example:
            >>> FLOAT.log1p(0.0), FLOAT.log1p(-1.0), FLOAT.log1p(-2.0)
            (0.0, -inf, nan)
        """
        if x > -1.0:
            return math.log1p(x) if x != INF else INF
        if x == -1.0:
            return -INF
        return NAN

    @staticmethod
    def softplus(x: float) -> float:
        """log(1 + e^x) without overflow: x for large x, 0 at -inf, nan for nan.

        Example:
            >>> round(FLOAT.softplus(0.0), 4), FLOAT.softplus(1000.0), FLOAT.softplus(-INF)
            (0.6931, 1000.0, 0.0)
        """
        # log(1 + e^x) = max(x, 0) + log1p(e^-|x|), exact and overflow-free.
        if x != x:
            return NAN
        return max(x, 0.0) + math.log1p(math.exp(-abs(x)))

    # Course functions (issue 25): sin, cos, erf and log2, IEEE-safe.
    pi = math.pi

    @staticmethod
    def sin(x: float) -> float:
        """sin x; nan for ±inf and nan (Python raises there).

        Example:
            >>> FLOAT.sin(0.0), FLOAT.sin(INF)
            (0.0, nan)
        """
        return math.sin(x) if x - x == 0.0 else NAN

    @staticmethod
    def cos(x: float) -> float:
        """cos x; nan for ±inf and nan.

        Example:
            >>> FLOAT.cos(0.0), FLOAT.cos(-INF)
            (1.0, nan)
        """
        return math.cos(x) if x - x == 0.0 else NAN

    @staticmethod
    def erf(x: float) -> float:
        """The error function 2/√π ∫₀ˣ e^(-t²) dt: ±1 at ±inf, nan for nan.

        Example:
            >>> FLOAT.erf(0.0), FLOAT.erf(INF), round(FLOAT.erf(1.0), 6)
            (0.0, 1.0, 0.842701)
        """
        return math.erf(x)

    @staticmethod
    def log2(x: float) -> float:
        """Base-2 log, exact at powers of two: -inf at 0, nan below 0 or for nan.

        Example:
            >>> FLOAT.log2(8.0), FLOAT.log2(0.0), FLOAT.log2(-1.0)
            (3.0, -inf, nan)
        """
        if x > 0.0:
            return math.log2(x) if x != INF else INF
        if x == 0.0:
            return -INF
        return NAN

    @staticmethod
    def div(a: float, b: float) -> float:
        """a / b with IEEE results for b = 0: ±inf, or nan for 0/0.

        Example:
            >>> FLOAT.div(1.0, 0.0), FLOAT.div(-1.0, 0.0), FLOAT.div(0.0, 0.0)
            (inf, -inf, nan)
        """
        try:
            return a / b
        except ZeroDivisionError:
            if a == 0.0 or a != a:
                return NAN
            return math.copysign(INF, a) * math.copysign(1.0, b)

    @staticmethod
    def pow(a: float, b: float) -> float:
        """a ** b with IEEE results (C's ``pow``, as ``torch.pow`` of two tensors): ±inf on
        overflow and for 0 to a negative power, nan for a negative base with a non-integer
        exponent. An int exponent too large for a float keeps its parity.

        Example:
            >>> FLOAT.pow(2.0, 3.0), FLOAT.pow(0.0, -1.0), FLOAT.pow(-8.0, 0.5)
            (8.0, inf, nan)
            >>> FLOAT.pow(-2.0, 10**400), FLOAT.pow(-2.0, 10**400 + 1), FLOAT.pow(0.5, 10**400)
            (inf, -inf, 0.0)
        """
        try:
            return math.pow(a, b)
        except OverflowError:
            if type(b) is int and FloatMath.number(b) in (INF, -INF):
                # |b| beyond any float: |a| ** ±inf, with the sign of a for an odd b.
                magnitude = FloatMath.pow(abs(a), FloatMath.number(b))
                return -magnitude if b % 2 and math.copysign(1.0, a) < 0.0 else magnitude
            odd = a < 0.0 and float(b).is_integer() and int(b) % 2 == 1
            return -INF if odd else INF
        except ValueError:
            if a == 0.0:  # 0 to a negative power
                odd = float(b).is_integer() and int(b) % 2 == 1
                return math.copysign(INF, a) if odd else INF
            return NAN  # negative base, non-integer exponent

    @staticmethod
    def pow_scalar(a: float, n: float) -> float:
        """a ** n for a number n, as ``torch.pow(tensor, number)``: n = 0.5 is √a and
        n = -0.5 is 1/√a (so ``(-0.0) ** 0.5 = -0.0`` and ``(-inf) ** 0.5 = nan``),
        any other n is :meth:`pow`.

        Example:
            >>> FLOAT.pow_scalar(4.0, 0.5), FLOAT.pow_scalar(-0.0, 0.5), FLOAT.pow_scalar(-INF, 0.5)
            (2.0, -0.0, nan)
            >>> FLOAT.pow_scalar(-0.0, -0.5), FLOAT.pow(-0.0, -0.5)
            (-inf, inf)
        """
        if n == 0.5:
            return FloatMath.sqrt(a)
        if n == -0.5:
            return FloatMath.div(1.0, FloatMath.sqrt(a))
        return FloatMath.pow(a, n)

    @staticmethod
    def pow_log(out: float, a: float, b: float) -> float:
        """out · log(a), the derivative of ``out = a ** b`` in b; 0 where a = 0 and b >= 0
        (PyTorch's rule; elsewhere ``0 * log`` gives nan as usual).

        Example:
            >>> FLOAT.pow_log(8.0, 2.0, 3.0) == 8.0 * math.log(2.0)
            True
            >>> FLOAT.pow_log(1.0, 0.0, 0.0), FLOAT.pow_log(INF, 0.0, -1.0), FLOAT.pow_log(0.0, -0.5, INF)
            (0.0, -inf, nan)
        """
        if a == 0.0 and b >= 0.0:
            return 0.0
        return out * FloatMath.log(a)

    @staticmethod
    def number(x: float) -> float:
        """A parameter (an exponent, a slope) as a float; an int too large is ±inf.

        Example:
            >>> FLOAT.number(3), FLOAT.number(10**400), FLOAT.number(-(10**400))
            (3.0, inf, -inf)
        """
        try:
            return float(x)
        except OverflowError:
            return INF if x > 0 else -INF

    @staticmethod
    def abs(x: float) -> float:
        """|x|; nan stays nan.

        Example:
            >>> FLOAT.abs(-2.5), FLOAT.abs(-INF)
            (2.5, inf)
        """
        return abs(x)

    @staticmethod
    def sign(x: float) -> float:
        """-1.0 or 1.0 by the sign of x; 0.0 for ±0 and for nan (as ``torch.sign``).

        Example:
            >>> FLOAT.sign(-3.0), FLOAT.sign(-0.0), FLOAT.sign(2.0), FLOAT.sign(NAN)
            (-1.0, 0.0, 1.0, 0.0)
        """
        if x > 0.0:
            return 1.0
        if x < 0.0:
            return -1.0
        return 0.0

    @staticmethod
    def step(x: float) -> float:
        """relu's mask: 0 where x <= 0, else 1. A nan passes (1), as PyTorch's relu does.

        Example:
            >>> FLOAT.step(2.0), FLOAT.step(0.0), FLOAT.step(-1.0), FLOAT.step(NAN)
            (1.0, 0.0, 0.0, 1.0)
        """
        return 0.0 if x <= 0.0 else 1.0

    @staticmethod
    def where(condition: bool, x: float, y: float) -> float:
        """``x`` where ``condition`` holds, else ``y``: ``where(a < 0, 0.0, a)`` is relu.

        Example:
            >>> FLOAT.where(-1.0 < 0, 0.0, -1.0), FLOAT.where(NAN < 0, 0.0, NAN)
            (0.0, nan)
        """
        return x if condition else y

    @staticmethod
    def where_positive(x: float, if_positive: float, otherwise: float) -> float:
        """``if_positive`` where x > 0, else ``otherwise`` (leaky_relu, elu).

        Example:
            >>> FLOAT.where_positive(2.0, 1.0, 0.1), FLOAT.where_positive(-2.0, 1.0, 0.1)
            (1.0, 0.1)
        """
        return if_positive if x > 0.0 else otherwise

    @staticmethod
    def max(values: tuple[float, ...]) -> float:
        """The largest of ``values``; any nan makes the result nan (as ``torch.max``).

        Example:
            >>> FLOAT.max((1.0, 3.0, 2.0)), FLOAT.max((1.0, NAN, 2.0))
            (3.0, nan)
        """
        best = values[0]
        for v in values:
            if v > best or v != v:
                best = v
                if v != v:
                    break
        return best

    @staticmethod
    def min(values: tuple[float, ...]) -> float:
        """The smallest of ``values``; any nan makes the result nan (as ``torch.min``).

        Example:
            >>> FLOAT.min((3.0, 1.0, 2.0)), FLOAT.min((1.0, NAN, 2.0))
            (1.0, nan)
        """
        best = values[0]
        for v in values:
            if v < best or v != v:
                best = v
                if v != v:
                    break
        return best

    @staticmethod
    def onehot_max(values: tuple[float, ...]) -> tuple[float, ...]:
        """1 at the value :meth:`max` returns (the first maximum, or the first nan), else 0.

        Example:
            >>> FLOAT.onehot_max((1.0, 3.0, 3.0)), FLOAT.onehot_max((1.0, NAN, 3.0))
            ((0.0, 1.0, 0.0), (0.0, 1.0, 0.0))
        """
        best = 0
        for i, v in enumerate(values):
            if v != v:
                best = i
                break
            if v > values[best]:
                best = i
        out = [0.0] * len(values)
        out[best] = 1.0
        return tuple(out)

    @staticmethod
    def onehot_min(values: tuple[float, ...]) -> tuple[float, ...]:
        """1 at the value :meth:`min` returns (the first minimum, or the first nan), else 0.

        Example:
            >>> FLOAT.onehot_min((2.0, 1.0, 1.0)), FLOAT.onehot_min((2.0, 1.0, NAN))
            ((0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
        """
        best = 0
        for i, v in enumerate(values):
            if v != v:
                best = i
                break
            if v < values[best]:
                best = i
        out = [0.0] * len(values)
        out[best] = 1.0
        return tuple(out)

    @staticmethod
    def split_max(values: tuple[float, ...]) -> tuple[float, ...]:
        """1/k at each of the k values equal to the maximum (the nans if there is one), else 0.

        Example:
            >>> FLOAT.split_max((1.0, 3.0, 3.0)), FLOAT.split_max((1.0, NAN, 3.0))
            ((0.0, 0.5, 0.5), (0.0, 1.0, 0.0))
        """
        return _split(values, FLOAT.max(values))

    @staticmethod
    def split_min(values: tuple[float, ...]) -> tuple[float, ...]:
        """1/k at each of the k values equal to the minimum (the nans if there is one), else 0.

        Example:
            >>> FLOAT.split_min((2.0, 1.0, 1.0)), FLOAT.split_min((-0.0, 0.0))
            ((0.0, 0.5, 0.5), (0.5, 0.5))
        """
        return _split(values, FLOAT.min(values))

    @staticmethod
    def split_pair(a: float, b: float, larger: bool) -> tuple[float, float]:
        """d/da, d/db of max(a, b) (``larger``) or min(a, b), as torch.maximum/minimum:
        0.5 each on a tie, 0 for the input strictly beaten, else 1 (nans are never beaten).

        Example:
            >>> FLOAT.split_pair(2.0, 2.0, True), FLOAT.split_pair(1.0, 2.0, True)
            ((0.5, 0.5), (0.0, 1.0))
            >>> FLOAT.split_pair(1.0, NAN, False)
            (1.0, 1.0)
        """
        if a == b:
            return 0.5, 0.5
        if larger:
            return (0.0 if a < b else 1.0), (0.0 if b < a else 1.0)
        return (0.0 if a > b else 1.0), (0.0 if b > a else 1.0)

    @staticmethod
    def chain(upstream: float, local: float, mask: bool) -> float:
        """What an input receives in backward: ``upstream * local``, but exactly 0 where
        ``mask`` holds and ``local`` is 0 (an input a selection did not take).

        Example:
            >>> FLOAT.chain(INF, 0.0, True), FLOAT.chain(INF, 0.0, False), FLOAT.chain(2.0, 3.0, True)
            (0.0, nan, 6.0)
        """
        if mask and local == 0.0:
            return 0.0
        return upstream * local

    @staticmethod
    def isfinite(x: float) -> bool:
        """True unless x is ±inf or nan.

        Example:
            >>> FLOAT.isfinite(1.0), FLOAT.isfinite(-INF), FLOAT.isfinite(NAN)
            (True, False, False)
        """
        return x - x == 0.0  # false for inf and nan


def _split(values: tuple[float, ...], best: float) -> tuple[float, ...]:
    # The ties of a selection: the values equal to its result, or the nans when it is nan.
    ties = [v != v for v in values] if best != best else [v == best for v in values]
    share = 1.0 / sum(ties)
    return tuple(share if tie else 0.0 for tie in ties)


FLOAT = FloatMath()
