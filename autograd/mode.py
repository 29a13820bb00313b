"""Recording modes, per thread: ``no_grad`` and ``detect_anomaly``.

As in PyTorch, a mode belongs to the thread that entered it: an evaluation
thread inside ``no_grad()`` does not stop a training thread from recording,
and ``detect_anomaly()`` in one thread raises nothing in another.

Node creation is the hot path, so it first reads one process-wide flag,
``MODE.plain``, which is True while no thread at all is inside a mode block;
only when it is False does it look up the calling thread's own modes.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class _ThreadModes(threading.local):
    # Class attributes are each new thread's starting values.
    recording = True
    anomaly = False
    new_leaves: list | None = None  # inside recording_leaves(): the leaves made so far
    derived: dict | None = None  # inside recording_derived(): constants computed from nodes


class Mode:
    """What node creation does right now in the calling thread.

    ``recording`` and ``anomaly`` are the calling thread's modes; ``plain`` is
    True while no thread is inside ``no_grad``/``detect_anomaly`` (then every
    thread records with no checks: the fast path).

    Example:
        >>> MODE.recording, MODE.anomaly, MODE.plain
        (True, False, True)
        >>> with no_grad():
        ...     print(MODE.recording, MODE.plain)
        False False
    """

    __slots__ = ("plain", "logging_leaves", "_thread", "_active", "_logging", "_lock")

    def __init__(self) -> None:
        self.plain = True
        self.logging_leaves = False  # True while any thread is inside recording_leaves()
        self._thread = _ThreadModes()
        self._active = 0  # mode blocks open in all threads
        self._logging = 0  # recording_leaves() blocks open in all threads
        self._lock = threading.Lock()

    def log_leaf(self, leaf: object) -> None:
        """Note a new leaf Value, if the calling thread is inside ``recording_leaves()``."""
        log = self._thread.new_leaves
        if log is not None:
            log.append(leaf)

    @property
    def recording(self) -> bool:
        """Whether the calling thread records parents (False inside ``no_grad``)."""
        return self._thread.recording

    @property
    def anomaly(self) -> bool:
        """Whether the calling thread checks values (True inside ``detect_anomaly``)."""
        return self._thread.anomaly

    def _enter(self) -> None:
        with self._lock:
            self._active += 1
            self.plain = False

    def _exit(self) -> None:
        with self._lock:
            self._active -= 1
            self.plain = self._active == 0


MODE = Mode()


@contextmanager
def recording_leaves() -> Iterator[list]:
    """Collect the leaf Values this thread creates inside the block, in creation order.

    ``compile`` traces a step inside it: the leaves made during the trace are the
    step's own constants (the ``1`` of ``1 - x``, a zero initial state), which
    eager mode would make afresh on every call, unlike the parameters that existed before.

    Example:
        >>> from autograd import Value
        >>> w = Value(2.0)
        >>> with recording_leaves() as made:
        ...     y = 1 - w * Value(3.0)
        >>> [v.data for v in made]
        [3.0, 1.0]
    """
    state = MODE._thread
    before = state.new_leaves
    made: list = []
    with MODE._lock:
        MODE._logging += 1
        MODE.logging_leaves = True
    state.new_leaves = made
    try:
        yield made
    finally:
        state.new_leaves = before
        with MODE._lock:
            MODE._logging -= 1
            MODE.logging_leaves = MODE._logging > 0


@contextmanager
def recording_derived() -> Iterator[dict]:
    """Collect the constants this thread computes from other nodes' numbers, by id.

    ``compile`` traces inside it. A constant such as softmax's row max is a leaf in
    eager mode (no gradient flows through it), but its number depends on the step's
    inputs: :func:`note_derived` records how to compute it, so a replay computes it
    again instead of reusing the traced number. ``tracing()`` is True inside.

    Example:
        >>> from autograd import Value, ops
        >>> x = Value(3.0)
        >>> with recording_derived() as derived:
        ...     shift = note_derived(Value(x.data), ops.DETACHED, (x,))
        >>> [(op.name, [p.data for p in parents]) for _, op, parents in derived.values()]
        [('detached', [3.0])]
    """
    state = MODE._thread
    before = state.derived
    state.derived = derived = {}
    try:
        yield derived
    finally:
        state.derived = before


def note_derived(leaf: Any, op: Any, sources: tuple) -> Any:
    """Say that the constant ``leaf`` is ``op`` applied to ``sources`` (see
    :func:`recording_derived`); returns ``leaf``. Outside a trace it does nothing."""
    derived = MODE._thread.derived
    if derived is not None:
        derived[id(leaf)] = (leaf, op, tuple(sources))
    return leaf


def tracing() -> bool:
    """Whether ``compile`` is tracing a step in the calling thread.

    Example:
        >>> tracing()
        False
    """
    return MODE._thread.derived is not None


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
    """Build no graph inside the block, in this thread: results are leaves with no parents.

    Other threads keep recording.

    Example:
        >>> from autograd import Value, no_grad
        >>> with no_grad():
        ...     y = Value(2.0) * 3
        >>> y.data, y.parents
        (6.0, ())
    """
    state = MODE._thread
    before = state.recording
    MODE._enter()
    state.recording = False
    try:
        yield
    finally:
        state.recording = before
        MODE._exit()


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Raise :class:`AnomalyError` at the first node whose value or gradient is not finite.

    The message names the node (label, op, input values) and whether the
    problem appeared in the forward or the backward pass. The check applies to
    the thread that entered the block only.

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
    state = MODE._thread
    before = state.anomaly
    MODE._enter()
    state.anomaly = True
    try:
        yield
    finally:
        state.anomaly = before
        MODE._exit()


class _CollectorPause:
    """``with COLLECTOR_PAUSED:`` runs its block with the cycle collector paused.

    Backward and the node bursts of Tensor ops (``nodes.in_one_burst``) make no
    cycles, and a collection meanwhile would scan their nodes for nothing. Pauses
    nest and overlap across threads: one count under a lock, the collector turned
    off by the first pause and back on by the last, and only if it was on when the
    first began (a caller's ``gc.disable()`` is kept). Checking ``gc.isenabled()``
    in each pause instead would race: a pause could see another one's "off" and
    leave the collector off for good.

    Example:
        >>> import gc
        >>> with COLLECTOR_PAUSED:
        ...     with COLLECTOR_PAUSED:
        ...         inside = gc.isenabled()
        >>> inside, gc.isenabled()
        (False, True)
    """

    __slots__ = ("depth", "was_on", "lock")

    def __init__(self) -> None:
        self.depth = 0
        self.was_on = False
        self.lock = threading.Lock()

    def __enter__(self) -> None:
        with self.lock:
            if self.depth == 0:
                self.was_on = gc.isenabled()
                gc.disable()
            self.depth += 1

    def __exit__(self, *exc: Any) -> None:
        with self.lock:
            self.depth -= 1
            if self.depth == 0 and self.was_on:
                gc.enable()


COLLECTOR_PAUSED = _CollectorPause()
