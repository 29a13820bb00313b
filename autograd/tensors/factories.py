"""Tensor factories with PyTorch's names: zeros, ones, full, arange, linspace, eye,
zeros_like, ones_like, rand, randn, tensor; and the seedable generator they share with nn.

Each returns a Tensor of new leaves (one Value per element), takes ``label=`` (elements
then named ``label[i,j]``) and accepts PyTorch's ``requires_grad=`` and ``dtype=`` (every
Value is a float64 and takes a gradient, so a float dtype changes nothing). ``rand`` and
``randn`` draw from the generator that ``manual_seed`` (also ``nn.manual_seed``) seeds, or
from a numpy ``Generator`` passed as ``generator=`` or ``rng=``. They live in the Tensor
package so that the function ``autograd.tensor`` shadows no module.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd.tensors.tensor import Tensor

_STATE = {"rng": np.random.default_rng(0)}

Shape = int | Sequence[int]


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the generator that ``rand``, ``randn`` and nn's initialisers draw from.

    Example:
        >>> _ = manual_seed(3); a = randn(2)
        >>> _ = manual_seed(3); b = randn(2)
        >>> a.data.tolist() == b.data.tolist()
        True
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"manual_seed takes an int, got {type(seed).__name__} {seed!r:.40}")
    _STATE["rng"] = np.random.default_rng(seed)
    return _STATE["rng"]


def get_rng(rng: np.random.Generator | None = None) -> np.random.Generator:
    """``rng`` if given, else the shared generator set by :func:`manual_seed`.

    Example:
        >>> isinstance(get_rng(), np.random.Generator)
        True
    """
    if rng is None:
        return _STATE["rng"]
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"expected a numpy Generator (np.random.default_rng(seed)), got "
            f"{type(rng).__name__}; a torch.Generator cannot drive chalkgrad's numbers"
        )
    return rng


def zeros(*size: Shape, label: str | None = None, **torch_options: Any) -> Tensor:
    """A Tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``.

    Example:
        >>> zeros(2, 3).shape, zeros((2,), label="b")[1].label
        ((2, 3), 'b[1]')
    """
    return _filled("zeros", size, 0.0, label, torch_options)


def ones(*size: Shape, label: str | None = None, **torch_options: Any) -> Tensor:
    """A Tensor of ones: ``ones(2, 3)`` or ``ones((2, 3))``.

    Example:
        >>> ones(2).data.tolist()
        [1.0, 1.0]
    """
    return _filled("ones", size, 1.0, label, torch_options)


def full(
    size: Shape, fill_value: float, *, label: str | None = None, **torch_options: Any
) -> Tensor:
    """A Tensor of ``size`` holding ``fill_value`` everywhere.

    Example:
        >>> full((2, 2), 7.0).data.tolist()
        [[7.0, 7.0], [7.0, 7.0]]
    """
    return _filled("full", (size,), _number("full", "fill_value", fill_value), label, torch_options)


def zeros_like(t: Any, *, label: str | None = None, **torch_options: Any) -> Tensor:
    """Zeros of ``t``'s shape (``t`` a Tensor or an array).

    Example:
        >>> zeros_like(Tensor([[1.0, 2.0]])).data.tolist()
        [[0.0, 0.0]]
    """
    return _filled("zeros_like", (_shape_of("zeros_like", t),), 0.0, label, torch_options)


def ones_like(t: Any, *, label: str | None = None, **torch_options: Any) -> Tensor:
    """Ones of ``t``'s shape (``t`` a Tensor or an array).

    Example:
        >>> ones_like(Tensor([1.0, 2.0])).data.tolist()
        [1.0, 1.0]
    """
    return _filled("ones_like", (_shape_of("ones_like", t),), 1.0, label, torch_options)


def arange(
    start: float,
    end: float | None = None,
    step: float = 1,
    *,
    label: str | None = None,
    **torch_options: Any,
) -> Tensor:
    """``start, start + step, ...`` up to ``end`` (excluded); ``arange(n)`` is 0..n-1. The
    numbers are floats; as an index a Tensor of whole numbers works like PyTorch's long.

    Example:
        >>> arange(3).data.tolist(), arange(1, 2, 0.25).data.tolist()
        ([0.0, 1.0, 2.0], [1.0, 1.25, 1.5, 1.75])
    """
    _options("arange", torch_options)
    if end is None:
        start, end = 0, start
    numbers_ = [
        _number("arange", n, v) for n, v in (("start", start), ("end", end), ("step", step))
    ]
    if numbers_[2] == 0:
        raise ValueError("arange: step must not be 0")
    if not all(np.isfinite(numbers_)):
        raise ValueError(f"arange: start, end and step must be finite, got {numbers_}")
    return Tensor(np.arange(*numbers_, dtype=float), label)


def linspace(
    start: float, end: float, steps: int, *, label: str | None = None, **torch_options: Any
) -> Tensor:
    """``steps`` evenly spaced numbers from ``start`` to ``end``, both included.

    Example:
        >>> linspace(0, 1, 5).data.tolist()
        [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    _options("linspace", torch_options)
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"linspace: steps must be an int >= 0, got {steps!r:.40}")
    low, high = _number("linspace", "start", start), _number("linspace", "end", end)
    return Tensor(np.linspace(low, high, int(steps)), label)


def eye(n: int, m: int | None = None, *, label: str | None = None, **torch_options: Any) -> Tensor:
    """The identity matrix, ``n`` by ``m`` (default ``n``).

    Example:
        >>> eye(2).data.tolist(), eye(2, 3).shape
        ([[1.0, 0.0], [0.0, 1.0]], (2, 3))
    """
    _options("eye", torch_options)
    rows = _sizes("eye", (n,))[0]
    cols = rows if m is None else _sizes("eye", (m,))[0]
    return Tensor(np.eye(rows, cols), label)


def rand(
    *size: Shape,
    generator: np.random.Generator | None = None,
    rng: np.random.Generator | None = None,
    label: str | None = None,
    **torch_options: Any,
) -> Tensor:
    """Uniform numbers in [0, 1), from the shared generator or ``generator=``/``rng=``.

    Example:
        >>> t = rand(2, 3, rng=np.random.default_rng(0)); t.shape, bool((t.data < 1).all())
        ((2, 3), True)
    """
    _options("rand", torch_options)
    shape = _sizes("rand", size)
    return Tensor(_generator("rand", generator, rng).random(shape), label)


def randn(
    *size: Shape,
    generator: np.random.Generator | None = None,
    rng: np.random.Generator | None = None,
    label: str | None = None,
    **torch_options: Any,
) -> Tensor:
    """Standard normal numbers, from the shared generator or ``generator=``/``rng=``.

    Example:
        >>> _ = manual_seed(0); a = randn(3, label="w")
        >>> _ = manual_seed(0); a.data.tolist() == randn(3).data.tolist(), a[0].label
        (True, 'w[0]')
    """
    _options("randn", torch_options)
    shape = _sizes("randn", size)
    return Tensor(_generator("randn", generator, rng).standard_normal(shape), label)


def tensor(data: Any, *, label: str | None = None, **torch_options: Any) -> Tensor:
    """A Tensor of new leaves from numbers, nested lists, an array or a torch tensor
    (``torch.tensor``'s name; the class is :class:`Tensor`).

    Example:
        >>> t = tensor([[1.0, 2.0]], requires_grad=True, label="x"); t.shape, t[0, 1].label
        ((1, 2), 'x[0,1]')
    """
    _options("tensor", torch_options)
    return Tensor(data, label)


# -------------------------------------------------------------------- helpers
def _filled(name: str, size: tuple, value: float, label: str | None, options: dict) -> Tensor:
    _options(name, options)
    return Tensor(np.full(_sizes(name, size), value), label)


def _sizes(name: str, size: tuple) -> tuple[int, ...]:
    """``f(2, 3)``, ``f((2, 3))`` and ``f([2, 3])`` alike, as a checked shape."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for n in size:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(
                f"{name}: sizes must be ints >= 0, as {name}(2, 3) or {name}((2, 3)); got "
                f"{n!r:.40} in {size!r:.60}"
            )
    return tuple(int(n) for n in size)


def _shape_of(name: str, t: Any) -> tuple[int, ...]:
    shape = getattr(t, "shape", None)
    if shape is None:
        try:
            shape = np.shape(t)
        except ValueError:
            raise ValueError(f"{name}: expected a Tensor or an array, got {t!r:.60}") from None
    return tuple(shape)


def _number(name: str, what: str, x: Any) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name}: {what} must be a number, got {type(x).__name__} {x!r:.40}")
    return float(x)


def _generator(name: str, generator: Any, rng: Any) -> np.random.Generator:
    if generator is not None and rng is not None:
        raise TypeError(f"{name}: give generator= or rng= (the same thing), not both")
    return get_rng(generator if generator is not None else rng)


TORCH_OPTIONS = ("requires_grad", "dtype", "device")


def _options(name: str, options: dict) -> None:
    """Accept PyTorch's keywords where they change nothing; refuse the rest by name."""
    for key, value in options.items():
        if key not in TORCH_OPTIONS:
            raise TypeError(
                f"{name}() got an unexpected keyword {key!r}; it takes label= and PyTorch's "
                f"{', '.join(TORCH_OPTIONS)} (at float64 and cpu)"
            )
        if key == "requires_grad" and not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{name}: requires_grad must be True or False, got {value!r:.40}")
        if key == "dtype" and value is not None and "float" not in str(value).lower():
            raise TypeError(
                f"{name}: dtype={value} is not supported: every Value holds a float64 "
                "(leave dtype out, or give a float type)"
            )
        if key == "device" and value is not None and str(value) != "cpu":
            raise TypeError(f"{name}: device={value!r} is not supported; chalkgrad runs on cpu")
