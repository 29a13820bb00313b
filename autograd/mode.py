"""Global recording modes: ``no_grad`` and ``detect_anomaly``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class Mode:
    """What node creation does right now. ``plain`` is the fast path: record, no checks.

    Example:
        >>> MODE.recording, MODE.anomaly, MODE.plain
        (True, False, True)
        >>> with no_grad():
        ...     print(MODE.recording, MODE.plain)
        False False
    """

    __slots__ = ("recording", "anomaly", "plain")

    def __init__(self) -> None:
        self.recording = True
        self.anomaly = False
        self.plain = True

    def _update(self) -> None:
        self.plain = self.recording and not self.anomaly


MODE = Mode()


class AnomalyError(FloatingPointError):
    """A node's value or gradient became inf or nan under ``detect_anomaly()``.

    Example:
        >>> from autograd import Value
        >>> try:
        ...     with detect_anomaly():
        ...         y = Value(0.0).log()
        ... except AnomalyError as e:
        ...     print(isinstance(e, FloatingPointError), str(e).splitlines()[0])
        True forward: log produced -inf
    """


@contextmanager
def no_grad() -> Iterator[None]:
    """Build no graph inside the block: results are leaves with no parents.

    Example:
        >>> from autograd import Value, no_grad
        >>> with no_grad():
        ...     y = Value(2.0) * 3
        >>> y.data, y.parents
        (6.0, ())
    """
    before = MODE.recording
    MODE.recording = False
    MODE._update()
    try:
        yield
    finally:
        MODE.recording = before
        MODE._update()


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Raise :class:`AnomalyError` at the first node whose value or gradient is not finite.

    The message names the node (label, op, input values) and whether the
    problem appeared in the forward or the backward pass.

    Example:
        >>> from autograd import Value, detect_anomaly, AnomalyError
        >>> x = Value(-1.0, label="x")
        >>> try:
        ...     with detect_anomaly():
        ...         y = x.relu().log()
        ... except AnomalyError as e:
        ...     print(str(e).splitlines()[0])
        forward: log produced -inf
    """
    before = MODE.anomaly
    MODE.anomaly = True
    MODE._update()
    try:
        yield
    finally:
        MODE.anomaly = before
        MODE._update()
