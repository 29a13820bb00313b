"""Math backends: the functions every primitive's forward and derivative rules use.

The op registry (``ops.py``) never calls ``math`` directly. It receives a backend
object ``m`` and writes ``m.exp(a)``, ``m.div(a, b)``, ``m.step(a)``. The engine
passes :data:`FLOAT`, whose functions follow IEEE float semantics (``log(0)`` is
``-inf``, ``1/0`` is ``inf``, ``0/0`` is ``nan``) instead of raising Python's
``ZeroDivisionError``, ``OverflowError`` or math domain errors. The symbolic mode
passes a sympy backend with the same function names, so the same rules give
closed forms.
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
        try:
            return math.exp(x)
        except OverflowError:
            return INF

    @staticmethod
    def log(x: float) -> float:
        if x > 0.0:
            return math.log(x) if x != INF else INF
        if x == 0.0:
            return -INF
        return NAN  # negative or nan

    @staticmethod
    def sqrt(x: float) -> float:
        if x >= 0.0:
            return math.sqrt(x) if x != INF else INF
        return NAN

    @staticmethod
    def tanh(x: float) -> float:
        return math.tanh(x)

    @staticmethod
    def sigmoid(x: float) -> float:
        # Two branches so that exp never sees a large positive argument.
        if x >= 0.0:
            return 1.0 / (1.0 + math.exp(-x))
        if x != x:
            return NAN
        e = FloatMath.exp(x)
        return e / (1.0 + e)

    @staticmethod
    def softplus(x: float) -> float:
        # log(1 + e^x) = max(x, 0) + log1p(e^-|x|), exact and overflow-free.
        if x != x:
            return NAN
        return max(x, 0.0) + math.log1p(math.exp(-abs(x)))

    @staticmethod
    def div(a: float, b: float) -> float:
        try:
            return a / b
        except ZeroDivisionError:
            if a == 0.0 or a != a:
                return NAN
            return math.copysign(INF, a) * math.copysign(1.0, b)

    @staticmethod
    def pow(a: float, b: float) -> float:
        try:
            return math.pow(a, b)
        except OverflowError:
            odd = a < 0.0 and float(b).is_integer() and int(b) % 2 == 1
            return -INF if odd else INF
        except ValueError:
            if a == 0.0:  # 0 to a negative power
                odd = float(b).is_integer() and int(b) % 2 == 1
                return math.copysign(INF, a) if odd else INF
            return NAN  # negative base, non-integer exponent

    @staticmethod
    def xlogy(x: float, y: float) -> float:
        """x * log(y), and 0 where x is 0 (the derivative of a**b in b at a = 0)."""
        if x == 0.0 and y == y:
            return 0.0
        return x * FloatMath.log(y)

    @staticmethod
    def abs(x: float) -> float:
        return abs(x)

    @staticmethod
    def sign(x: float) -> float:
        if x > 0.0:
            return 1.0
        if x < 0.0:
            return -1.0
        return x  # 0.0 stays 0.0, nan stays nan

    @staticmethod
    def step(x: float) -> float:
        """1{x > 0}: the derivative of relu."""
        return 1.0 if x > 0.0 else 0.0

    @staticmethod
    def where_positive(x: float, if_positive: float, otherwise: float) -> float:
        """``if_positive`` where x > 0, else ``otherwise`` (leaky_relu, elu)."""
        return if_positive if x > 0.0 else otherwise

    @staticmethod
    def max(values: tuple[float, ...]) -> float:
        best = values[0]
        for v in values:
            if v > best or v != v:
                best = v
                if v != v:
                    break
        return best

    @staticmethod
    def min(values: tuple[float, ...]) -> float:
        best = values[0]
        for v in values:
            if v < best or v != v:
                best = v
                if v != v:
                    break
        return best

    @staticmethod
    def onehot_max(values: tuple[float, ...]) -> tuple[float, ...]:
        """1 at the first maximum, 0 elsewhere: ties send the gradient to the first."""
        best = 0
        for i, v in enumerate(values):
            if v > values[best]:
                best = i
        out = [0.0] * len(values)
        out[best] = 1.0
        return tuple(out)

    @staticmethod
    def onehot_min(values: tuple[float, ...]) -> tuple[float, ...]:
        """1 at the first minimum, 0 elsewhere."""
        best = 0
        for i, v in enumerate(values):
            if v < values[best]:
                best = i
        out = [0.0] * len(values)
        out[best] = 1.0
        return tuple(out)

    @staticmethod
    def isfinite(x: float) -> bool:
        return x - x == 0.0  # false for inf and nan


FLOAT = FloatMath()
