"""``compile(fn)``: trace a step once, then replay it forward and backward with numpy.

The first call runs ``fn`` eagerly and records its scalar graph; ``replay.py``
turns that graph into groups of alike nodes. Later calls with arguments of the
same shapes replay the groups (a few numpy calls each) instead of building
nodes, and ``backward()`` on the result fills every parameter's ``.grad`` as
eager mode would. ``result.graph()`` writes the replayed numbers back into the
recorded graph, so a compiled step can still be drawn and stepped through.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd.compiler.assumptions import is_module, module_states
from autograd.compiler.bulk import add_grads, read_data
from autograd.compiler.replay import Plan
from autograd.graph import BEFORE_BACKWARD
from autograd.mode import MODE, recording_derived, recording_leaves, tracing
from autograd.tensors import Tensor
from autograd.value import Value

MAX_TRACES = 16  # per compiled function; the oldest trace is dropped beyond this


class TraceMismatchError(RuntimeError):
    """``compile(fn, check=True)``: this call's graph differs from the traced one.

    Example:
        >>> issubclass(TraceMismatchError, RuntimeError)
        True
    """


def compile(fn: Callable[..., Any], check: bool = False) -> Compiled:  # noqa: A001
    """Trace ``fn`` on its first call, then replay its graph vectorised on later calls.

    ``fn`` takes Tensors (and, optionally, other arguments) and returns a Value,
    a Tensor, or a tuple of them. The contract::

        step = compile(lambda X, y: loss_fn(model(X), y))
        for X, y in batches:
            optimizer.zero_grad()
            loss = step(X, y)    # replayed forward: the value fn would give
            loss.backward()      # replayed backward: every parameter's .grad as eager
            optimizer.step()     # parameters are read fresh on every call

    Arguments: float numpy arrays and Tensors are traced inputs, known by
    position: ``fn`` is traced on new leaves holding their numbers, so the same
    Tensor given twice or one ``fn`` also reads as a parameter replays right;
    anything else (ints, integer arrays, strings, a Module) is a fixed argument.
    Parameters are the other leaves of the graph: their ``data`` is read on
    every call, so optimizer updates count.

    What is baked in at tracing, as in ``torch.jit.trace`` and tinygrad's
    TinyJit: Python control flow that depends on values (``if x.data > 0``,
    dropout masks, numbers a function reads from ``.data``). Softmax's row max
    and Embedding's padding row are recomputed on every call
    (:func:`autograd.mode.note_derived`). A new argument shape, a different
    fixed argument, a traced argument that ``fn`` only read as numbers (never
    through the graph) whose values changed, or a change to a module ``fn``
    reaches (train/eval mode, a flag, a replaced parameter, a buffer) each trace
    ``fn`` again (at most ``MAX_TRACES`` kept). A ``fn`` that calls
    ``backward()`` or an optimizer's ``step()`` is refused.
    Leaves created inside ``fn`` (the ``1`` of ``1 - x``, a zero initial state)
    are the step's constants: recorded once, their values are baked in, and, as
    eager mode makes them afresh on every call, a replay adds no gradient to
    them (``graph()`` shows the replayed call's gradient). So parameters must
    exist before the first call: one created inside ``fn`` would be a constant.
    From the first replay on, the parameters' numbers live in two float arrays
    (``autograd/compiler/banks.py``), so a replay and an optimizer step move them with a
    few numpy calls instead of one Python access per scalar; ``p.data``,
    ``p.grad`` and ``p.data = ...`` work as before, and an eager ``backward()``
    over them first gives the numbers back to the Values.
    ``check=True`` runs ``fn`` eagerly on every call as well, compares the
    graphs and the results, and raises :class:`TraceMismatchError` naming the
    first difference: use it to debug a step whose replay looks wrong.

    Example:
        >>> from autograd import Tensor
        >>> w = Tensor([1.0, -2.0], label="w")
        >>> step = compile(lambda x: (w * x).relu().sum())
        >>> loss = step(np.array([3.0, 1.0]))
        >>> loss.item()
        3.0
        >>> loss.backward(); w.grad.tolist()
        [3.0, 0.0]
        >>> w[1].data = 5.0                      # parameters are read fresh
        >>> step(np.array([3.0, 1.0])).item()
        8.0
    """
    if not callable(fn):
        raise TypeError(f"compile() takes a function, got {type(fn).__name__} {fn!r:.60}")
    return Compiled(fn, check=check)


class Trace:
    """One recorded call: its plan, its outputs and the fixed arguments it assumed."""

    def __init__(self, fn: Callable, args: tuple, kinds: list[str]) -> None:
        # Arguments are traced as new leaves, one per element: a call is known by the
        # positions of its arguments, never by which Values it was given, so the same
        # Tensor twice, repeated rows, or a Tensor fn also reads as a parameter replay right.
        traced_args, leaves = [], []
        for k, (a, kind) in enumerate(zip(args, kinds)):
            if kind == "static":
                traced_args.append(a)
                continue
            t = _as_leaf_tensor(a, k)
            traced_args.append(t if kind != "value" else t.values[()])
            leaves.append(list(t.values.flat))
        if not MODE.recording:
            raise RuntimeError(
                "compile: the first call of a shape traces the function, and under no_grad() "
                "there is no graph to record; call the step once outside no_grad() first"
            )
        # The modules fn reaches (closure, globals, arguments): their mode, flags,
        # parameters and buffers are assumed too, and a change traces again.
        self.modules = module_states(fn, args)
        with recording_leaves() as made, recording_derived() as derived:
            result = fn(*traced_args)  # made: the step's own constants
        self.outputs, self.single = _outputs(result)
        flat = [v for out in self.outputs for v in _flat_values(out)]
        self.plan = Plan(flat, leaves, made, derived)
        self.output_slices = []
        cursor = 0
        for out in self.outputs:
            size = 1 if isinstance(out, Value) else out.size
            self.output_slices.append((cursor, cursor + size))
            cursor += size
        # Fixed arguments, and traced ones fn only read as numbers: their values are assumed.
        self.kinds = list(kinds)
        self.assumed: dict[int, Any] = {}
        traced = 0
        for k, kind in enumerate(kinds):
            if kind == "static":
                self.assumed[k] = _snapshot(args[k])
            else:
                if self.plan.inputs_used[traced] == 0:
                    self.assumed[k] = _snapshot(args[k])
                    self.kinds[k] = "read"
                traced += 1

    def fits(self, args: tuple) -> bool:
        return all(_same(args[k], value) for k, value in self.assumed.items()) and all(
            state.holds() for state in self.modules
        )


class Compiled:
    """A traced function; call it like ``fn``. ``traces`` counts how often it traced.

    Example:
        >>> from autograd import Tensor
        >>> step = compile(lambda x: (x * x).sum())
        >>> step(np.ones(3)).item(), step(np.ones(3)).item(), step.traces
        (3.0, 3.0, 1)
        >>> step(np.ones(4)).item(), step.traces   # a new shape traces again
        (4.0, 2)
    """

    def __init__(self, fn: Callable, check: bool = False) -> None:
        self.fn, self.check = fn, bool(check)
        self.cache: dict[tuple, list[Trace]] = {}
        self.traces = 0
        self._lock = threading.RLock()  # one thread traces or picks a trace at a time

    def __repr__(self) -> str:
        name = getattr(self.fn, "__name__", type(self.fn).__name__)
        return f"compile({name}, check={self.check}) with {self.traces} trace(s)"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            raise TypeError(
                f"a compiled step takes its arguments by position, got keywords {sorted(kwargs)}; "
                "call step(X, y), not step(X=X, y=y)"
            )
        kinds = [_kind(a) for a in args]
        signature = tuple(
            (kind, np.shape(a) if kind != "static" else None) for kind, a in zip(kinds, args)
        )
        with self._lock:
            candidates = self.cache.setdefault(signature, [])
            trace = next((t for t in candidates if t.fits(args)), None)
            if trace is None:
                trace = Trace(self.fn, args, kinds)
                self.traces += 1
                candidates.append(trace)
                if len(candidates) > MAX_TRACES:
                    candidates.pop(0)
            elif self.check:
                _compare(trace, Trace(self.fn, args, kinds), args)
        return Run(trace, args).results()


class Run:
    """One replayed call: the values of every slot, later the gradients."""

    def __init__(self, trace: Trace, args: tuple) -> None:
        self.trace, self.grads = trace, None
        self.recording = MODE.recording
        self.tensors = []  # (Tensor argument, its input index): they receive gradients
        data = []
        for a, kind in zip(args, trace.kinds):
            if kind == "static":
                continue
            if kind == "read":  # fn used only its numbers, which this trace assumed
                data.append(np.empty(0))
            elif kind == "array":
                data.append(np.asarray(a, float).ravel())
            else:
                values = a.values.ravel() if kind == "tensor" else np.array([a], dtype=object)
                data.append(read_data(values))
                self.tensors.append((values, len(data) - 1))
        self.values, self.saved = trace.plan.forward(data)

    def results(self) -> Any:
        out = [Replayed(self, i) for i in range(len(self.trace.outputs))]
        return out[0] if self.trace.single else tuple(out)

    def backward(self, index: int, grad: Any) -> None:
        if not self.recording:
            raise RuntimeError(
                "backward() from a compiled result computed under no_grad(): "
                "it has no graph to differentiate; call the step outside it"
            )
        plan = self.trace.plan
        seeds = np.zeros(len(plan.output_slots))
        start, stop = self.trace.output_slices[index]
        seeds[start:stop] = grad
        grads = plan.backward(self.values, self.saved, seeds)
        for values, k in self.tensors:
            begin, end = plan.input_slices[k]
            add_grads(values[plan.input_positions[k]].tolist(), grads[begin:end])
        self.grads = grads if self.grads is None else self.grads + grads


class Replayed:
    """The result of a compiled call: ``data``, ``item()``, ``backward()``, ``graph()``.

    Example:
        >>> from autograd import Tensor
        >>> w = Tensor([2.0], label="w")
        >>> loss = compile(lambda x: (w * x).sum().name("loss"))(np.array([3.0]))
        >>> loss
        Replayed(6.0)
        >>> loss.backward(); g = loss.graph()     # the recorded graph, replayed numbers
        >>> g.values[()].label, g.item(), g.values[()].grad
        ('loss', 6.0, 1.0)
    """

    __slots__ = ("run", "index")

    def __init__(self, run: Run, index: int) -> None:
        self.run, self.index = run, index

    @property
    def _traced(self) -> Value | Tensor:
        return self.run.trace.outputs[self.index]

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of the output (``()`` for a Value or a 0-d Tensor)."""
        out = self._traced
        return () if isinstance(out, Value) else out.shape

    @property
    def data(self) -> np.ndarray | float:
        """The replayed numbers: an array of ``shape`` (a float for a Value output)."""
        run = self.run
        start, stop = run.trace.output_slices[self.index]
        flat = run.values[run.trace.plan.output_slots[start:stop]]
        if isinstance(self._traced, Value):
            return float(flat[0])
        return flat.reshape(self.shape)

    def item(self) -> float:
        """The one number of a one-element result, as a Python float."""
        data = np.asarray(self.data)
        if data.size != 1:
            raise ValueError(f"item() needs a one-element result, this one has shape {self.shape}")
        return float(data.ravel()[0])

    def numpy(self) -> np.ndarray:
        """The replayed numbers as a numpy array."""
        return np.array(self.data, dtype=float)

    def __float__(self) -> float:
        return self.item()

    def __repr__(self) -> str:
        data = self.data
        return f"Replayed({data!r})" if isinstance(data, float) else f"Replayed({data.tolist()!r})"

    def backward(self, grad: Any = None) -> None:
        """Replay backward from this result; gradients accumulate into the leaves' ``.grad``."""
        if grad is None:
            if int(np.prod(self.shape)) != 1:
                raise ValueError(
                    f"backward() on a compiled result of shape {self.shape} needs grad=, an "
                    f"array of shape {self.shape}; or reduce inside the step, e.g. .sum()"
                )
            seeds = np.ones(1)
        else:
            seeds = np.asarray(grad, dtype=float)
            if seeds.shape != self.shape:
                raise ValueError(
                    f"backward(grad=...) got shape {seeds.shape}, the result has shape {self.shape}"
                )
        self.run.backward(self.index, seeds.ravel())

    def graph(self) -> Value | Tensor:
        """The recorded graph with this call's values and gradients written into its nodes.

        Draw it with ``viz.draw``, step through it with ``viz.print_steps``. Leaves
        that are parameters keep their own accumulated ``.grad``.
        """
        run = self.run
        run.trace.plan.write_back(run.values, run.grads)
        return self._traced


# ---------------------------------------------------------------- helpers
def _refuse_backward_while_tracing(order: list) -> None:
    if tracing():
        raise RuntimeError(
            "compile: the traced function calls backward(); a compiled step computes the "
            "loss only. Compile the forward pass and train outside it:\n"
            "    step = compile(lambda X, y: loss_fn(model(X), y))\n"
            "    optimizer.zero_grad(); loss = step(X, y); loss.backward(); optimizer.step()"
        )


BEFORE_BACKWARD.insert(0, _refuse_backward_while_tracing)  # before anything moves


def _kind(a: Any) -> str:
    if isinstance(a, Tensor):
        return "tensor"
    if isinstance(a, Value):
        return "value"
    if isinstance(a, np.ndarray) and a.dtype.kind == "f":
        return "array"
    return "static"


def _as_leaf_tensor(a: Any, k: int) -> Tensor:
    """New leaves standing for argument ``k``: its numbers and labels, none of its Values."""
    if isinstance(a, np.ndarray):
        return Tensor(a)
    t = Tensor.wrap(np.array(a, dtype=object)) if isinstance(a, Value) else a
    if any(v.parents for v in t.values.flat):
        raise ValueError(
            f"compile: argument {k + 1} is computed by a graph (its Values have parents); a "
            "compiled step takes leaves: pass numpy arrays, new Tensors, or .detach() it"
        )
    copies = np.empty(t.shape, dtype=object)
    copies.ravel()[:] = [Value(v.data, label=v.label) for v in t.values.flat]
    return Tensor.wrap(copies)


def _outputs(result: Any) -> tuple[list, bool]:
    single = isinstance(result, (Value, Tensor))
    outs = [result] if single else result
    if (
        not isinstance(outs, (tuple, list))
        or not outs
        or not all(isinstance(o, (Value, Tensor)) for o in outs)
    ):
        raise TypeError(
            "compile: the function must return a Value, a Tensor or a tuple of them, got "
            f"{type(result).__name__} {result!r:.60}"
        )
    return list(outs), single


def _flat_values(out: Value | Tensor) -> list[Value]:
    return [out] if isinstance(out, Value) else list(out.values.flat)


def _snapshot(a: Any) -> Any:
    if isinstance(a, Tensor):
        return a.data
    if isinstance(a, Value):
        return a.data
    if is_module(a):  # a fixed input, known by identity (its state: _ModuleState)
        return a
    try:
        return copy.deepcopy(a)
    except Exception:  # an object that cannot be copied is compared by identity
        return a


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (Tensor, Value)):
        a = a.data
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return (
            a.shape == b.shape
            and a.dtype == b.dtype
            and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        )
    try:
        return a is b or bool(a == b)
    except Exception:
        return False


def _compare(old: Trace, new: Trace, args: tuple) -> None:
    """Raise TraceMismatchError at the first difference between two traces of one step."""

    def fail(what: str) -> None:
        raise TraceMismatchError(
            f"compile(check=True): this call's graph differs from the traced one: {what}. "
            "Python control flow that depends on values is baked in at tracing; make the step "
            "not depend on values, or call the function eagerly"
        )

    a, b = old.plan, new.plan
    if a.size != b.size or len(a.groups) != len(b.groups):
        fail(f"{b.size} nodes in {len(b.groups)} groups now, {a.size} in {len(a.groups)} traced")
    for i, (g, h) in enumerate(zip(a.groups, b.groups)):
        if (
            g.op is not h.op
            or g.start != h.start
            or g.stop != h.stop
            or not np.array_equal(g.parent_slots, h.parent_slots)
        ):
            fail(
                f"group {i + 1} is {h.stop - h.start} x {h.op.name!r} now, "
                f"{g.stop - g.start} x {g.op.name!r} traced (or wired differently)"
            )
    for v, w in zip(a.fresh, b.fresh):
        if v is not w and not (v.data == w.data or (v.data != v.data and w.data != w.data)):
            fail(
                f"the constant {w.label or '(unlabelled)'} is {w.data} now, {v.data} traced "
                "(a number computed from data at tracing)"
            )
    replayed = Run(old, args).values[a.output_slots]
    eager = np.array([v.data for out in new.outputs for v in _flat_values(out)])
    if not np.allclose(replayed, eager, rtol=1e-12, atol=1e-12, equal_nan=True):
        fail(f"the replay gives {replayed.tolist()[:4]}, eager {eager.tolist()[:4]}")
