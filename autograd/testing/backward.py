"""Grading a hand-written backward function against the engine.

The most common homework is "write the backward pass of this layer": a numpy
function that receives the layer's inputs and the upstream gradient and returns
one gradient per input. :func:`assert_backward` writes the same layer's forward
with chalkgrad ops, lets the engine differentiate it, and compares, element by
element, on the given inputs and on random inputs of the same shapes.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from autograd.tensors import Tensor
from autograd.testing.explain import GradientAssertionError, explain_gradient
from autograd.value import Value


def _named_inputs(forward_fn: Callable, inputs: Any) -> list[tuple[str, np.ndarray]]:
    if isinstance(inputs, Mapping):
        items = list(inputs.items())
    else:
        if isinstance(inputs, (np.ndarray, Tensor)) or not isinstance(inputs, Sequence):
            raise TypeError(
                "inputs must be a sequence of arrays (one per argument of "
                f"forward_fn) or a dict {{name: array}}, got {type(inputs).__name__}"
            )
        try:
            params = list(inspect.signature(forward_fn).parameters)
        except (TypeError, ValueError):
            params = []
        names = params[: len(inputs)] if len(params) >= len(inputs) else []
        names += [f"inputs[{k}]" for k in range(len(names), len(inputs))]
        items = list(zip(names, inputs))
    out = []
    for name, x in items:
        array = x.data if isinstance(x, Tensor) else np.asarray(x)
        if array.dtype.kind not in "iufb":
            raise TypeError(f"input {name!r} must be numbers, got dtype {array.dtype}")
        out.append((name, array))
    return out


def _differentiable(array: np.ndarray) -> bool:
    """Float inputs get gradients; integer inputs (class labels, indices) are constants."""
    return array.dtype.kind == "f"


def _random_like(rng: np.random.Generator, array: np.ndarray) -> np.ndarray:
    if not _differentiable(array):
        return array.copy()
    return rng.standard_normal(array.shape)


def _engine(
    forward_fn: Callable,
    named: list[tuple[str, np.ndarray]],
    upstream: Any,
    rng: np.random.Generator,
) -> tuple[list, Any, Value | Tensor]:
    """Forward with chalkgrad, backward with ``upstream``; the leaves and the output."""
    leaves = [Tensor(a.astype(float), label=name) if _differentiable(a) else a for name, a in named]
    out = forward_fn(*leaves)
    if isinstance(out, Value):
        out = Tensor(out)
    if not isinstance(out, Tensor):
        raise TypeError(
            f"forward_fn must return a Tensor or Value built with chalkgrad ops, "
            f"got {type(out).__name__}"
        )
    if all(v.label is None for v in out.values.flat):
        out.name("out")  # so that hints read d out[i]/d x[j]
    if upstream is None:
        upstream = 1.0 if out.size == 1 and out.shape == () else rng.standard_normal(out.shape)
    upstream = np.broadcast_to(np.asarray(upstream, dtype=float), out.shape).copy()
    out.backward(grad=upstream)
    return leaves, upstream, out


def _not_an_array(value: Any) -> bool:
    """A dict, set, string, generator or other iterator: not a gradient array."""
    if isinstance(value, np.ndarray | Tensor | list | tuple | int | float | complex | np.number):
        return False
    return value is not None and (
        isinstance(value, Mapping | set | frozenset | str | bytes)
        or inspect.isgenerator(value)
        or hasattr(value, "__next__")
    )


def _as_list(result: Any, named: list[tuple[str, np.ndarray]]) -> list:
    one_per_input = (
        f"it must return one array per input ({', '.join(n for n, _ in named)}), as a tuple or list"
    )
    if _not_an_array(result):
        raise GradientAssertionError(
            f"backward_fn returned a {type(result).__name__}; {one_per_input}"
        )
    if isinstance(result, tuple | list):
        return list(result)
    floats = sum(_differentiable(a) for _, a in named)
    if floats == 1:
        return [result]  # one float input: its gradient alone is fine
    raise GradientAssertionError(
        f"backward_fn returned one {type(result).__name__}; it must "
        f"return a tuple of {len(named)} gradients, one per input"
    )


def _as_array(got: Any, name: str) -> np.ndarray:
    """backward_fn's gradient for input ``name`` as a float array, or a failure naming it."""
    why = f"a {type(got).__name__}" if _not_an_array(got) else ""
    if not why:
        try:
            return np.asarray(got, dtype=float)
        except (TypeError, ValueError) as error:
            why = f"{type(got).__name__} that is not an array of numbers ({error})"
    raise GradientAssertionError(
        f"backward_fn returned {why} as the gradient of input {name!r}; it must return "
        "one array of numbers per input"
    )


def _elementwise_failure(
    want: np.ndarray, got: np.ndarray, rtol: float, atol: float
) -> tuple | None:
    bad = ~np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
    if not bad.any():
        return None
    return tuple(int(i) for i in np.argwhere(bad)[0])


def _relative_error(want: np.ndarray, got: np.ndarray) -> float:
    scale = np.maximum(1e-8, np.abs(want) + np.abs(got))
    return float(np.nanmax(np.abs(want - got) / scale)) if want.size else 0.0


def _compare(
    named: list,
    leaves: list,
    grads: list,
    trial: str,
    upstream: np.ndarray,
    out: Tensor,
    rtol: float,
    atol: float,
) -> None:
    wanted = [k for k, (_, a) in enumerate(named) if _differentiable(a)]
    if len(grads) == len(wanted) and len(grads) != len(named):
        grads = [grads[wanted.index(k)] if k in wanted else None for k in range(len(named))]
    if len(grads) != len(named):
        raise GradientAssertionError(
            f"backward_fn returned {len(grads)} gradients; expected {len(named)} (one per input: "
            f"{', '.join(n for n, _ in named)}) or {len(wanted)} (one per float input)"
        )
    for k in wanted:
        name, array = named[k]
        got = grads[k]
        if got is None:
            raise GradientAssertionError(
                f"backward_fn returned None for input {name!r}, "
                "which is a float input and needs a gradient"
            )
        got = _as_array(got, name)
        want = leaves[k].grad
        if got.shape != want.shape:
            raise GradientAssertionError(
                f"gradient of input {name!r} has shape {got.shape}; {name!r} has shape "
                f"{want.shape} ({trial})"
            )
        index = _elementwise_failure(want, got, rtol, atol)
        if index is None:
            continue
        element = leaves[k].values[index] if index else leaves[k].values.flat[0]
        where = f"{name}[{','.join(map(str, index))}]" if index else name
        raise GradientAssertionError(
            f"gradient of input {name!r} is wrong at index {index} ({trial})\n"
            f"  expected (chalkgrad): d out/d {where} = {want[index]:.6g}\n"
            f"  received (backward_fn): {got[index]:.6g}\n"
            f"  largest relative error over {name!r}: {_relative_error(want, got):.3g}\n"
            f"  upstream gradient dL/d out: {_shown(upstream)}\n"
            f"chain rule for {where} in the engine (L = sum(upstream * out)):\n"
            + _hint(out, upstream, element)
        )


def _shown(upstream: np.ndarray) -> str:
    return (
        f"{upstream.flat[0]:.6g}" if upstream.size == 1 else f"an array of shape {upstream.shape}"
    )


def _hint(out: Tensor, upstream: np.ndarray, element: Value) -> str:
    """The chain rule at one element, from a loss ``L = Σ upstream · out``."""
    from autograd.graph import backward, zero_grad

    loss = (out * Tensor(upstream)).sum()
    root = loss.values.flat[0]
    root.label = "L"
    zero_grad(root)
    backward([root], [1.0])
    return explain_gradient(root, element)


def assert_backward(
    backward_fn: Callable[..., Any],
    forward_fn: Callable[..., Any],
    inputs: Sequence[Any] | Mapping[str, Any],
    upstream: Any = None,
    *,
    seed: int = 0,
    trials: int = 3,
    rtol: float = 1e-6,
    atol: float = 1e-8,
) -> None:
    """Assert a hand-written numpy ``backward_fn`` matches the engine on ``forward_fn``.

    ``forward_fn(*tensors)`` is the layer written with chalkgrad ops over
    Tensors; ``backward_fn(*arrays, upstream)`` is the code under test, returning
    one gradient per input (integer inputs such as class labels are constants:
    return ``None`` for them, or return gradients for the float inputs only).
    ``inputs`` is a list of arrays (named after ``forward_fn``'s parameters) or
    a dict ``{name: array}``. ``upstream`` (``dL/d out``) defaults to 1 for a
    scalar output and to a random array otherwise. The check runs on the given
    inputs, then on ``trials - 1`` random inputs of the same shapes (repeatable
    with ``seed``). A failure names the input, the first wrong element, both
    values and the engine's chain rule there; different shapes are reported.

    Example:
        >>> import numpy as np
        >>> def relu_forward(x):
        ...     return x.relu()
        >>> def relu_backward(x, dout):
        ...     return dout * (x > 0)
        >>> assert_backward(relu_backward, relu_forward, [np.array([[1.0, -2.0]])])
        >>> def wrong_backward(x, dout):
        ...     return dout
        >>> assert_backward(wrong_backward, relu_forward, [np.array([[1.0, -2.0]])],
        ...                 upstream=np.array([[0.5, 0.5]]))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        autograd.testing.explain.GradientAssertionError: gradient of input 'x' is wrong at index (0, 1) (the given inputs)
          expected (chalkgrad): d out/d x[0,1] = 0
          received (backward_fn): 0.5
        ...
    """
    if trials < 1:
        raise ValueError(f"trials must be at least 1, got {trials}")
    named = _named_inputs(forward_fn, inputs)
    rng = np.random.default_rng(seed)
    for trial in range(trials):
        if trial == 0:
            arrays = [a.copy() for _, a in named]
            label = "the given inputs"
            trial_upstream = upstream
        else:
            arrays = [_random_like(rng, a) for _, a in named]
            label = f"random inputs, trial {trial + 1} of {trials}, seed={seed}"
            trial_upstream = None if upstream is None else rng.standard_normal(np.shape(upstream))
        trial_named = [(n, a) for (n, _), a in zip(named, arrays)]
        leaves, up, out = _engine(forward_fn, trial_named, trial_upstream, rng)
        received = backward_fn(*[a.copy() for a in arrays], up.copy())
        grads = _as_list(received, named)
        _compare(trial_named, leaves, grads, label, up, out, rtol, atol)
