"""State dicts: a Module's parameters and buffers as named arrays, and loading them back.

Names and layouts are PyTorch's, so weights exported from a PyTorch model load
unchanged. The methods are mixed into :class:`~nn.module.Module`; they read the
module only through ``named_parameters`` and ``named_buffers``.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, NamedTuple

import numpy as np

from autograd import Tensor


def _as_array(where: str, key: str, value: Any) -> np.ndarray:
    """A float ndarray from real numbers, arrays, Tensors or torch tensors; else a TypeError."""
    if isinstance(value, Tensor):
        return value.data
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # a torch.Tensor
        value = value.detach().cpu()
        if value.is_floating_point():
            value = value.double()  # numpy has no bfloat16
        value = value.numpy() if not value.is_complex() else value.resolve_conj().numpy()
    try:
        array = np.asarray(value)
    except ValueError:
        raise ValueError(
            f"{where}: value for {key!r} is a ragged nested sequence; give a rectangular array"
        ) from None
    if (
        isinstance(value, (list, tuple))
        and array.dtype.kind in "iuf"
        and any(isinstance(x, (bool, np.bool_)) for x in np.asarray(value, dtype=object).flat)
    ):
        array = np.asarray(True)  # a bool mixed with numbers: numpy would make it 1.0
    if array.dtype.kind not in "iuf":
        kind = {"b": "booleans", "c": "complex numbers", "U": "strings", "S": "bytes"}.get(
            array.dtype.kind, f"{type(value).__name__} {value!r:.40}"
        )
        raise TypeError(
            f"{where}: value for {key!r} must be real numbers (ints or floats, as a number, "
            f"list, numpy array, Tensor or torch tensor), got {kind}"
        )
    return array.astype(float)


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` could not match.

    Example:
        >>> from nn import Linear
        >>> Linear(1, 1).load_state_dict({"weight": [[2.0]], "scale": 1.0}, strict=False)
        IncompatibleKeys(missing_keys=['bias'], unexpected_keys=['scale'])
    """

    missing_keys: list[str]
    unexpected_keys: list[str]


class StateDictMethods:
    """``state_dict`` and ``load_state_dict`` for :class:`~nn.module.Module`."""

    def state_dict(self) -> OrderedDict[str, np.ndarray]:
        """Parameters and buffers as float ndarrays under PyTorch's names and layouts.

        Example:
            >>> from nn import Linear
            >>> {k: v.shape for k, v in Linear(3, 2).state_dict().items()}
            {'weight': (2, 3), 'bias': (2,)}
        """
        out: OrderedDict[str, np.ndarray] = OrderedDict()
        for name, p in self.named_parameters():
            out[name] = p.data
        for name, b in self.named_buffers():
            out[name] = b.copy()
        return out

    def load_state_dict(self, state_dict: dict[str, Any], strict: bool = True) -> IncompatibleKeys:
        """Copy arrays (numpy, lists or torch tensors) into the parameters, in place.

        The parameter Values stay the same objects (labels and graph positions are
        kept); only their ``data`` changes. With ``strict`` (the default), missing or
        unexpected keys raise; a wrong shape always raises.

        Example:
            >>> from nn import Linear
            >>> lin = Linear(2, 1)
            >>> lin.load_state_dict({"weight": [[1.0, 2.0]], "bias": [0.5]})
            IncompatibleKeys(missing_keys=[], unexpected_keys=[])
            >>> lin.weight.data.tolist()
            [[1.0, 2.0]]
        """
        own_params = dict(self.named_parameters())
        own_buffers = dict(self.named_buffers())
        expected = list(own_params) + list(own_buffers)
        missing = [k for k in expected if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own_params and k not in own_buffers]
        name = type(self).__name__
        if strict and (missing or unexpected):
            raise KeyError(
                f"{name}.load_state_dict: missing keys {missing}, unexpected keys {unexpected}; "
                f"expected keys {expected}"
            )
        arrays = {}
        for key in expected:
            if key not in state_dict:
                continue
            array = _as_array(f"{name}.load_state_dict", key, state_dict[key])
            target = own_params[key].shape if key in own_params else own_buffers[key].shape
            if array.shape != tuple(target):
                raise ValueError(
                    f"{name}.load_state_dict: shape mismatch for {key!r}: expected "
                    f"{tuple(target)}, received {array.shape}"
                )
            arrays[key] = array
        for key, array in arrays.items():  # all checked first: no half-loaded module
            if key in own_params:
                for v, x in zip(own_params[key].values.flat, array.flat):
                    v.data = float(x)
            else:
                own_buffers[key][...] = array
        return IncompatibleKeys(missing, unexpected)


__all__ = ["IncompatibleKeys", "StateDictMethods"]
