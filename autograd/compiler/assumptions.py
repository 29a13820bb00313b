"""What a trace assumes of the modules its function reaches, checked on every call.

A compiled step reads parameters as leaves of its plan, but a module's mode
(``train``/``eval``), its plain attributes (``p``, ``padding_idx``,
``label_smoothing``), which Parameter objects it holds and the numbers of its
buffers decide the graph itself. ``trace.py`` records them for every module
``fn`` can reach and traces again when one changes.

Example:
    >>> import nn
    >>> m = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
    >>> states = module_states(lambda x: m(x), ())
    >>> len(states), all(s.holds() for s in states)
    (3, True)
    >>> _ = m.eval(); all(s.holds() for s in states)
    False
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from typing import Any

import numpy as np

# Bumped by ``nn.Module`` on every change a trace could assume: an attribute set or deleted,
# train()/eval(), a parameter, buffer or submodule registered, a module renamed. A module
# whose class sets ``versioned_assumptions`` is checked in full only when this moved; its
# buffers' numbers, which can change in place, are compared on every call. Each bump writes
# a number never written before (after the change), so a check that saw one version and finds
# it again has missed no change, whichever threads bump.
VERSION = [0]
_TICKS = itertools.count(1)


def changed() -> None:
    """Note a change to some module (nn.Module calls this after each one)."""
    VERSION[0] = next(_TICKS)


def is_module(x: Any) -> bool:
    # nn.Module, by duck typing (autograd does not import nn)
    return hasattr(x, "named_parameters") and hasattr(x, "_buffers") and hasattr(x, "training")


class _ModuleState:
    """What a trace assumed of one module: its train/eval mode and other plain attributes
    (flags such as ``padding_idx``, ``p``, ``eps``), its parameter and submodule objects,
    its buffers' numbers."""

    __slots__ = ("module", "flags", "members", "buffers", "seen", "versioned")

    def __init__(self, module: Any) -> None:
        self.module = module
        self.seen = VERSION[0]
        self.flags = _flags(module)
        self.members = _members(module)
        self.buffers = [np.array(b, copy=True) for b in module._buffers.values()]
        self.versioned = getattr(type(module), "versioned_assumptions", False) is True

    def holds(self) -> bool:
        m = self.module
        version = VERSION[0]
        if version != self.seen or not self.versioned:
            if _flags(m) != self.flags:
                return False
            now = _members(m)
            if len(now) != len(self.members) or any(p is not q for p, q in zip(now, self.members)):
                return False  # a parameter or a layer was replaced: not the traced Values
            self.seen = version  # all as traced at this version
        if not self.buffers and not m._buffers:
            return True
        buffers = list(m._buffers.values())
        return len(buffers) == len(self.buffers) and all(
            np.array_equal(b, c, equal_nan=True) for b, c in zip(buffers, self.buffers)
        )


def _members(module: Any) -> list:
    return [*module._parameters.values(), *module._modules.values()]


_PLAIN = (bool, int, float, str, type(None))


def _flags(module: Any) -> tuple:
    return tuple(
        (k, v)
        for k, v in vars(module).items()
        if isinstance(v, _PLAIN) or (isinstance(v, tuple) and all(isinstance(x, _PLAIN) for x in v))
    )


def module_states(fn: Callable, args: tuple) -> list[_ModuleState]:
    """The modules ``fn`` can reach, found where Python keeps them: the arguments, ``fn``
    itself (a module, a bound method and its object, a partial), its closure, defaults
    and the globals its code names, through the functions it calls (three calls deep);
    then every submodule of those."""
    found: list = []
    visited: set[int] = set()

    def consider(x: Any, depth: int) -> None:
        if x is None or id(x) in visited:
            return
        visited.add(id(x))
        if is_module(x):
            found.append(x)
        elif isinstance(x, (list, tuple)):  # e.g. a list of models, one level down
            found.extend(y for y in x if is_module(y))
        elif isinstance(x, dict):
            found.extend(y for y in x.values() if is_module(y))
        elif callable(x) and depth > 0:
            search(x, depth - 1)

    def search(f: Any, depth: int) -> None:
        while isinstance(f, functools.partial):
            for a in (*f.args, *f.keywords.values()):
                consider(a, depth)
            f = f.func
        if is_module(f):
            consider(f, depth)
            return
        owner = getattr(f, "__self__", None)
        consider(owner, depth)
        if owner is not None and not is_module(owner) and hasattr(owner, "__dict__"):
            for a in vars(owner).values():  # e.g. a trainer object holding the model
                consider(a, 0)
        f = getattr(f, "__func__", f)
        for cell in getattr(f, "__closure__", None) or ():
            try:
                consider(cell.cell_contents, depth)
            except ValueError:  # an empty cell
                pass
        for a in getattr(f, "__defaults__", None) or ():
            consider(a, depth)
        code, names = getattr(f, "__code__", None), getattr(f, "__globals__", {})
        stack = [code] if code is not None else []
        while stack:  # the globals f's code names, nested functions included
            c = stack.pop()
            for name in c.co_names:
                consider(names.get(name), depth)
            stack.extend(k for k in c.co_consts if hasattr(k, "co_names"))

    for a in args:
        consider(a, 0)
    search(fn, 3)
    states, seen = [], set()
    for root in found:
        for m in root.modules():
            if id(m) not in seen:
                seen.add(id(m))
                states.append(_ModuleState(m))
    return states
