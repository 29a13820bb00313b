"""The numpy math backend: :class:`autograd.backend.FloatMath`'s functions over whole arrays.

A Tensor op runs its primitive's forward rule once over the data of all its
elements with :data:`NUMPY`; the partials, masks and :meth:`NumpyMath.chain` run
the same way, so a vectorised replay of a graph gives the float engine's numbers,
edge cases included (nan, ±0, ties, powers): ``tests/test_backends.py`` checks it.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from autograd.backend import FLOAT, INF


class NumpyMath:
    """The same functions as :class:`FloatMath`, elementwise over whole numpy arrays.

    A Tensor op evaluates its primitive's forward rule once over the data of
    every element with this backend, then makes one node per element: the
    registry's rule, run vectorised. Partials and masks run the same way. IEEE
    results, with numpy's warnings silenced; the edge cases (nan, ±0, ties) are
    FloatMath's.

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

    def expm1(self, x: Any) -> Any:
        return self._quiet(np.expm1, x)

    def log(self, x: Any) -> Any:
        return self._quiet(np.log, x)

    def log1p(self, x: Any) -> Any:
        return self._quiet(np.log1p, x)

    def sqrt(self, x: Any) -> Any:
        return self._quiet(np.sqrt, x)

    def tanh(self, x: Any) -> Any:
        return np.tanh(x)

    def sigmoid(self, x: Any) -> Any:
        return self._quiet(lambda v: 1.0 / (1.0 + np.exp(-v)), x)

    def softplus(self, x: Any) -> Any:
        return np.maximum(x, 0.0) + np.log1p(self._quiet(np.exp, -np.abs(x)))

    pi = np.pi

    def sin(self, x: Any) -> Any:
        return self._quiet(np.sin, x)

    def cos(self, x: Any) -> Any:
        return self._quiet(np.cos, x)

    def erf(self, x: Any) -> Any:
        # numpy has no erf (scipy is not a dependency): math.erf per element.
        return np.asarray(_ERF(np.asarray(x, float)), float)

    def log2(self, x: Any) -> Any:
        return self._quiet(np.log2, x)

    def div(self, a: Any, b: Any) -> Any:
        return self._quiet(np.divide, a, b)

    def pow(self, a: Any, b: Any) -> Any:
        a = np.asarray(a, float)
        if isinstance(b, int) and FLOAT.number(b) in (INF, -INF):
            magnitude = self._quiet(np.power, np.abs(a), FLOAT.number(b))
            return np.where(np.signbit(a) & bool(b % 2), -magnitude, magnitude)
        return self._quiet(np.power, a, np.asarray(b, float))

    def pow_scalar(self, a: Any, n: Any) -> Any:
        if n == 0.5:
            return self.sqrt(a)
        if n == -0.5:
            return self.div(1.0, self.sqrt(a))
        return self.pow(a, n)

    def pow_log(self, out: Any, a: Any, b: Any) -> Any:
        return np.where((a == 0) & (b >= 0), 0.0, out * self.log(a))

    def number(self, x: Any) -> float:
        return FLOAT.number(x)

    def abs(self, x: Any) -> Any:
        return np.abs(x)

    def sign(self, x: Any) -> Any:
        return np.where(x != x, 0.0, np.sign(x))

    def step(self, x: Any) -> Any:
        return np.where(x <= 0, 0.0, 1.0)

    def where(self, condition: Any, x: Any, y: Any) -> Any:
        return np.where(condition, x, y)

    def where_positive(self, x: Any, if_positive: Any, otherwise: Any) -> Any:
        return np.where(x > 0, if_positive, otherwise)

    def max(self, values: tuple) -> Any:
        return functools.reduce(
            lambda best, v: np.where(_better(v, best, np.greater), v, best), values
        )

    def min(self, values: tuple) -> Any:
        return functools.reduce(
            lambda best, v: np.where(_better(v, best, np.less), v, best), values
        )

    def onehot_max(self, values: tuple) -> tuple:
        """Per element, 1 for the input :meth:`max` returns (first maximum or first nan).

        Example:
            >>> [c.tolist() for c in NUMPY.onehot_max((np.array([1.0, 5.0]), np.array([3.0, 5.0])))]
            [[0.0, 1.0], [1.0, 0.0]]
        """
        return _onehot(values, np.greater)

    def onehot_min(self, values: tuple) -> tuple:
        """Per element, 1 for the input :meth:`min` returns (first minimum or first nan).

        Example:
            >>> [c.tolist() for c in NUMPY.onehot_min((np.array([1.0, 5.0]), np.array([3.0, 5.0])))]
            [[1.0, 1.0], [0.0, 0.0]]
        """
        return _onehot(values, np.less)

    def split_max(self, values: tuple) -> tuple:
        """Per element, 1/k for each of the k inputs tied at the maximum (or nan), else 0.

        Example:
            >>> [c.tolist() for c in NUMPY.split_max((np.array([1.0, 5.0]), np.array([3.0, 5.0])))]
            [[0.0, 0.5], [1.0, 0.5]]
        """
        return _split(values, self.max(values))

    def split_min(self, values: tuple) -> tuple:
        """Per element, 1/k for each of the k inputs tied at the minimum (or nan), else 0.

        Example:
            >>> [c.tolist() for c in NUMPY.split_min((np.array([1.0, 5.0]), np.array([3.0, 5.0])))]
            [[1.0, 0.5], [0.0, 0.5]]
        """
        return _split(values, self.min(values))

    def split_pair(self, a: Any, b: Any, larger: bool) -> tuple:
        """Per element, FloatMath's rule: 0.5 on a tie, 0 where strictly beaten, else 1.

        Example:
            >>> [d.tolist() for d in NUMPY.split_pair(np.array([2.0, 1.0]), 2.0, True)]
            [[0.5, 0.0], [0.5, 1.0]]
        """
        a, b = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float))
        beaten = np.less if larger else np.greater
        with np.errstate(invalid="ignore"):
            tie = a == b
            da = np.where(tie, 0.5, np.where(beaten(a, b), 0.0, 1.0))
            db = np.where(tie, 0.5, np.where(beaten(b, a), 0.0, 1.0))
        return da, db

    def chain(self, upstream: Any, local: Any, mask: Any) -> Any:
        return np.where(
            np.asarray(mask, bool) & (local == 0), 0.0, self._quiet(np.multiply, upstream, local)
        )

    def isfinite(self, x: Any) -> Any:
        return np.isfinite(x)


_ERF = np.frompyfunc(math.erf, 1, 1)


def _better(v: Any, best: Any, compare: Any) -> Any:
    # FloatMath's scan: a later value wins if strictly better, or if it is the first nan.
    with np.errstate(invalid="ignore"):
        return (compare(v, best) | (v != v)) & (best == best)


def _onehot(values: tuple, compare: Any) -> tuple:
    values = np.broadcast_arrays(*[np.asarray(v, float) for v in values])
    best = values[0]
    chosen = np.zeros(best.shape, dtype=int)
    for i, v in enumerate(values[1:], 1):
        wins = _better(v, best, compare)
        chosen = np.where(wins, i, chosen)
        best = np.where(wins, v, best)
    return tuple(np.where(chosen == i, 1.0, 0.0) for i in range(len(values)))


def _split(values: tuple, best: Any) -> tuple:
    # FloatMath's rule per element: the values equal to the result, or the nans when it is nan.
    values = np.broadcast_arrays(*[np.asarray(v, float) for v in values])
    best = np.asarray(best, float)
    with np.errstate(invalid="ignore"):
        ties = [np.where(best != best, v != v, v == best) for v in values]
        count = sum(t.astype(float) for t in ties)
        return tuple(np.where(t, 1.0 / count, 0.0) for t in ties)


NUMPY = NumpyMath()


class RowRules:
    """max, min and softmax's shift over a matrix, one row per node (compile's row groups).

    numpy's argmax (argmin) gives the first maximum (minimum) or the first nan: the element
    FloatMath's scan keeps, so the numbers are :meth:`NumpyMath.max`'s.

    Example:
        >>> X = np.array([[1.0, 3.0, 3.0], [np.nan, 2.0, np.nan]])
        >>> ROWS.max(X).tolist()[0], ROWS.onehot_max(None, X).tolist()
        (3.0, [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    """

    @staticmethod
    def max(X: np.ndarray) -> np.ndarray:
        return X[np.arange(X.shape[0]), X.argmax(axis=1)]

    @staticmethod
    def min(X: np.ndarray) -> np.ndarray:
        return X[np.arange(X.shape[0]), X.argmin(axis=1)]

    @staticmethod
    def onehot_max(out: Any, X: np.ndarray) -> np.ndarray:
        return (np.arange(X.shape[1]) == X.argmax(axis=1)[:, None]).astype(float)

    @staticmethod
    def onehot_min(out: Any, X: np.ndarray) -> np.ndarray:
        return (np.arange(X.shape[1]) == X.argmin(axis=1)[:, None]).astype(float)

    @staticmethod
    def shift(X: np.ndarray) -> np.ndarray:  # the row max, 0 where it is not finite
        best = RowRules.max(X)
        return np.where(np.isfinite(best), best, 0.0)

    @staticmethod
    def nothing(out: Any, X: np.ndarray) -> np.ndarray:
        return np.zeros_like(X)


ROWS = RowRules()
