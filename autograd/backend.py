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

import functools
import math
from typing import Any

import numpy as np

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
        """1 / (1 + e^-x) without overflow: 0 and 1 at ∓inf, nan for nan.

        Example:
            >>> FLOAT.sigmoid(0.0), FLOAT.sigmoid(-1000.0), FLOAT.sigmoid(1000.0)
            (0.5, 0.0, 1.0)
        """
        # Two branches so that exp never sees a large positive argument.
        if x >= 0.0:
            return 1.0 / (1.0 + math.exp(-x))
        if x != x:
            return NAN
        e = FloatMath.exp(x)
        return e / (1.0 + e)

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
        """a ** b with IEEE results: ±inf on overflow and for 0 to a negative power,
        nan for a negative base with a non-integer exponent.

        Example:
            >>> FLOAT.pow(2.0, 3.0), FLOAT.pow(0.0, -1.0), FLOAT.pow(-8.0, 0.5)
            (8.0, inf, nan)
        """
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
        """x * log(y), and 0 where x is 0 (the derivative of a**b in b at a = 0).

        Example:
            >>> FLOAT.xlogy(0.0, 0.0), FLOAT.xlogy(1.0, 0.0), FLOAT.xlogy(2.0, 1.0)
            (0.0, -inf, 0.0)
        """
        if x == 0.0 and y == y:
            return 0.0
        return x * FloatMath.log(y)

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
        """-1.0 or 1.0 by the sign of x; 0.0 and nan are returned unchanged.

        Example:
            >>> FLOAT.sign(-3.0), FLOAT.sign(0.0), FLOAT.sign(2.0), FLOAT.sign(NAN)
            (-1.0, 0.0, 1.0, nan)
        """
        if x > 0.0:
            return 1.0
        if x < 0.0:
            return -1.0
        return x  # 0.0 stays 0.0, nan stays nan

    @staticmethod
    def step(x: float) -> float:
        """1{x > 0}: the derivative of relu.

        Example:
            >>> FLOAT.step(2.0), FLOAT.step(0.0), FLOAT.step(-1.0)
            (1.0, 0.0, 0.0)
        """
        return 1.0 if x > 0.0 else 0.0

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
        """1 at the first maximum, 0 elsewhere: ties send the gradient to the first.

        Example:
            >>> FLOAT.onehot_max((1.0, 3.0, 3.0))
            (0.0, 1.0, 0.0)
        """
        best = 0
        for i, v in enumerate(values):
            if v > values[best]:
                best = i
        out = [0.0] * len(values)
        out[best] = 1.0
        return tuple(out)

    @staticmethod
    def onehot_min(values: tuple[float, ...]) -> tuple[float, ...]:
        """1 at the first minimum, 0 elsewhere.

        Example:
            >>> FLOAT.onehot_min((2.0, 1.0, 1.0))
            (0.0, 1.0, 0.0)
        """
        best = 0
        for i, v in enumerate(values):
            if v < values[best]:
                best = i
        out = [0.0] * len(values)
        out[best] = 1.0
        return tuple(out)

    @staticmethod
    def isfinite(x: float) -> bool:
        """True unless x is ±inf or nan.

        Example:
            >>> FLOAT.isfinite(1.0), FLOAT.isfinite(-INF), FLOAT.isfinite(NAN)
            (True, False, False)
        """
        return x - x == 0.0  # false for inf and nan


FLOAT = FloatMath()


class NumpyMath:
    """The same functions as :class:`FloatMath`, elementwise over whole numpy arrays.

    A Tensor op evaluates its primitive's forward rule once over the data of
    every element with this backend, then makes one node per element: the
    registry's rule, run vectorised. IEEE results, with numpy's warnings silenced.

    Example:
        >>> import numpy as np
        >>> NUMPY.log(np.array([1.0, 0.0, -1.0])).tolist()
        [0.0, -inf, nan]
        >>> NUMPY.sigmoid(np.array([-1000.0, 0.0, 1000.0])).tolist()
        [0.0, 0.5, 1.0]
    """

    name = "numpy"

    @staticmethod
    def _quiet(f: Any, *args: Any) -> Any:
        with np.errstate(all="ignore"):
            return f(*args)

    def exp(self, x: Any) -> Any:
        return self._quiet(np.exp, x)

    def log(self, x: Any) -> Any:
        return self._quiet(np.log, x)

    def sqrt(self, x: Any) -> Any:
        return self._quiet(np.sqrt, x)

    def tanh(self, x: Any) -> Any:
        return np.tanh(x)

    def sigmoid(self, x: Any) -> Any:
        # exp of -|x| only, so nothing overflows; the two branches as in FloatMath.
        e = self._quiet(np.exp, -np.abs(x))
        return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    def softplus(self, x: Any) -> Any:
        return np.maximum(x, 0.0) + np.log1p(self._quiet(np.exp, -np.abs(x)))

    def div(self, a: Any, b: Any) -> Any:
        return self._quiet(np.divide, a, b)

    def pow(self, a: Any, b: Any) -> Any:
        return self._quiet(np.power, np.asarray(a, float), np.asarray(b, float))

    def xlogy(self, x: Any, y: Any) -> Any:
        return np.where((x == 0) & (y == y), 0.0, x * self.log(y))

    def abs(self, x: Any) -> Any:
        return np.abs(x)

    def sign(self, x: Any) -> Any:
        return np.sign(x)

    def step(self, x: Any) -> Any:
        return np.where(x > 0, 1.0, 0.0)

    def where_positive(self, x: Any, if_positive: Any, otherwise: Any) -> Any:
        return np.where(x > 0, if_positive, otherwise)

    def max(self, values: tuple) -> Any:
        return functools.reduce(np.maximum, values)

    def min(self, values: tuple) -> Any:
        return functools.reduce(np.minimum, values)

    def onehot_max(self, values: tuple) -> tuple:
        """Per element, 1 in the column of the first maximum (FloatMath's rule), else 0.

        Example:
            >>> [c.tolist() for c in NUMPY.onehot_max((np.array([1.0, 5.0]), np.array([3.0, 5.0])))]
            [[0.0, 1.0], [1.0, 0.0]]
        """
        return self._onehot(values, np.greater)

    def onehot_min(self, values: tuple) -> tuple:
        """Per element, 1 in the column of the first minimum, else 0.

        Example:
            >>> [c.tolist() for c in NUMPY.onehot_min((np.array([1.0, 5.0]), np.array([3.0, 5.0])))]
            [[1.0, 1.0], [0.0, 0.0]]
        """
        return self._onehot(values, np.less)

    @staticmethod
    def _onehot(values: tuple, better: Any) -> tuple:
        # FloatMath's scan, one column at a time: a later column wins only if strictly better.
        values = np.broadcast_arrays(*values)
        best = values[0]
        chosen = np.zeros(best.shape, dtype=int)
        for i, v in enumerate(values[1:], 1):
            wins = better(v, best)
            chosen = np.where(wins, i, chosen)
            best = np.where(wins, v, best)
        return tuple(np.where(chosen == i, 1.0, 0.0) for i in range(len(values)))

    def isfinite(self, x: Any) -> Any:
        return np.isfinite(x)


NUMPY = NumpyMath()
