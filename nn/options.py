"""Checks of layer options: clear errors for unsupported PyTorch keywords and bad sizes.

A layer that lacks one of PyTorch's options (LSTM ``proj_size``, Embedding
``max_norm``, ...) takes it through ``**options`` and calls :func:`reject_options`:
the option's PyTorch default is accepted (it changes nothing), any other value
raises :class:`UnsupportedOptionError` naming the layer and the option.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# PyTorch keywords every layer has and chalkgrad ignores at their defaults.
TORCH_COMMON = {"device": None, "dtype": None}


class UnsupportedOptionError(TypeError):
    """A PyTorch option (or an unknown keyword) that a chalkgrad layer does not support.

    It is a TypeError, as Python's own error for an unexpected keyword is.

    Example:
        >>> from nn import LSTM
        >>> LSTM(2, 3, proj_size=2)
        Traceback (most recent call last):
        ...
        nn.options.UnsupportedOptionError: LSTM: option proj_size=2 is not supported in chalkgrad (only PyTorch's default proj_size=0 is accepted)
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)


def _is_default(value: Any, default: Any) -> bool:
    if default is None or isinstance(default, bool):
        return value is default
    return (
        isinstance(value, (int, float, np.integer, np.floating))
        and not isinstance(value, bool)
        and value == default
    )


def reject_options(layer: str, options: dict[str, Any], torch_defaults: dict[str, Any]) -> None:
    """Raise UnsupportedOptionError for any option not at PyTorch's default.

    ``torch_defaults`` maps the PyTorch options the layer leaves out to their
    defaults; a keyword that is not among them is unknown to PyTorch as well.

    Example:
        >>> reject_options("Conv2d", {"device": None}, TORCH_COMMON)  # the default: fine
        >>> reject_options("Conv2d", {"strides": 2}, TORCH_COMMON)
        Traceback (most recent call last):
        ...
        nn.options.UnsupportedOptionError: Conv2d: unknown option 'strides' (neither chalkgrad nor PyTorch's Conv2d has it)
    """
    for name, value in options.items():
        if name not in torch_defaults:
            raise UnsupportedOptionError(
                f"{layer}: unknown option {name!r} (neither chalkgrad nor PyTorch's {layer} has it)"
            )
        default = torch_defaults[name]
        if not _is_default(value, default):
            raise UnsupportedOptionError(
                f"{layer}: option {name}={value!r} is not supported in chalkgrad "
                f"(only PyTorch's default {name}={default!r} is accepted)"
            )


def check_int(layer: str, name: str, value: Any, minimum: int) -> int:
    """``value`` as an int, or a ValueError naming the layer, the argument and the bound.

    Example:
        >>> check_int("Conv2d", "stride", 2, 1)
        2
        >>> check_int("Conv2d", "stride", 0, 1)
        Traceback (most recent call last):
        ...
        ValueError: Conv2d: stride must be an int >= 1, got 0
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{layer}: {name} must be an int >= {minimum}, got {value!r}")
    return int(value)


def check_choice(layer: str, name: str, value: Any, choices: tuple) -> Any:
    """``value`` if it is one of ``choices``, else a ValueError listing them.

    Example:
        >>> check_choice("Conv1d", "padding_mode", "edge", ("zeros", "reflect"))
        Traceback (most recent call last):
        ...
        ValueError: Conv1d: padding_mode must be one of ('zeros', 'reflect'), got 'edge'
    """
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{layer}: {name} must be one of {choices}, got {value!r}")
    return value


__all__ = ["UnsupportedOptionError", "reject_options", "check_int", "check_choice", "TORCH_COMMON"]
