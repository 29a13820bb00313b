"""Moving numbers between Values and float arrays in bulk (``banks.py``, ``replay.py``).

Plain loops, which CPython runs faster than map() over attrgetter or slot setters
(measured); every per-Value pass of a bank or a replay goes through these.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from autograd.value import Value


def read_data(values: Sequence[Value]) -> np.ndarray:
    """The ``data`` of every Value as a float array.

    Example:
        >>> read_data([Value(1.0), Value(2.5)]).tolist()
        [1.0, 2.5]
    """
    return np.array([v.data for v in values], dtype=float)


def read_grads(values: Sequence[Value]) -> np.ndarray:
    """The ``grad`` of every Value as a float array.

    Example:
        >>> v = Value(1.0); v.grad = 3.0; read_grads([v]).tolist()
        [3.0]
    """
    return np.array([v.grad for v in values], dtype=float)


def set_data(values: Sequence[Value], data: np.ndarray) -> None:
    """``v.data = d`` for every pair.

    Example:
        >>> a, b = Value(1.0), Value(2.0); set_data([a, b], np.array([5.0, 6.0])); b.data
        6.0
    """
    for v, d in zip(values, data.tolist()):
        v.data = d


def set_grads(values: Sequence[Value], grad: float) -> None:
    """``v.grad = grad`` for every Value (an optimizer's ``zero_grad``).

    Example:
        >>> a = Value(1.0); a.grad = 4.0; set_grads([a], 0.0); a.grad
        0.0
    """
    for v in values:
        v.grad = grad


def add_grads(values: Sequence[Value], grads: np.ndarray) -> None:
    """``v.grad += g`` for every pair: gradients accumulate, as in eager backward.

    Example:
        >>> a = Value(1.0); a.grad = 1.0; add_grads([a], np.array([2.5])); a.grad
        3.5
    """
    for v, g in zip(values, grads.tolist()):
        v.grad += g
