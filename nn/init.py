"""Random initialisation with PyTorch's default distributions, from one seedable generator.

PyTorch initialises ``Linear``, ``Conv`` and recurrent weights uniformly in
``[-1/sqrt(fan_in), 1/sqrt(fan_in)]`` (kaiming-uniform with a = sqrt(5) works out
to exactly this bound), and ``Embedding`` from N(0, 1). The numbers differ from
PyTorch's (different generator); the distributions are the same.
"""

from __future__ import annotations

import math

import numpy as np

from autograd.tensors import factories
from autograd.tensors.factories import get_rng


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the one generator nn's initialisers and autograd's ``rand``/``randn`` draw from.

    Example:
        >>> _ = manual_seed(3); a = uniform((2,), 1.0)
        >>> _ = manual_seed(3); b = uniform((2,), 1.0)
        >>> bool((a == b).all())
        True
    """
    return factories.manual_seed(seed)


def uniform(
    shape: tuple[int, ...], bound: float, rng: np.random.Generator | None = None
) -> np.ndarray:
    """Numbers drawn uniformly from ``[-bound, bound]``.

    Example:
        >>> bool((abs(uniform((3, 3), 0.5)) <= 0.5).all())
        True
    """
    return get_rng(rng).uniform(-bound, bound, size=shape)


def normal(
    shape: tuple[int, ...], std: float = 1.0, rng: np.random.Generator | None = None
) -> np.ndarray:
    """Numbers drawn from N(0, std^2).

    Example:
        >>> normal((2, 3)).shape
        (2, 3)
    """
    return get_rng(rng).normal(0.0, std, size=shape)


def fan_in_bound(fan_in: int) -> float:
    """PyTorch's default bound 1/sqrt(fan_in) (0 when fan_in is 0).

    Example:
        >>> fan_in_bound(4)
        0.5
    """
    return 1.0 / math.sqrt(fan_in) if fan_in > 0 else 0.0


__all__ = ["manual_seed", "get_rng", "uniform", "normal", "fan_in_bound"]
