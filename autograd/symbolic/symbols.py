"""Which sympy symbol stands for which node: ``symbolic``'s ``symbols=`` argument.

A node is named by the Value itself, its label, or a Tensor (its elements become
``W_i_j``); a symbol is an identifier or a sympy expression. String names are never
parsed. :func:`resolve_symbols` turns such a specification into ``{node: symbol}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from autograd.symbolic.backend import require_sympy
from autograd.tensors import Tensor
from autograd.value import Value

SYMBOL_SPEC_HELP = (
    'a symbol is given as an identifier such as "w" or "x_1", or as a sympy Symbol/expression'
)


def _symbol(sp: Any, name_or_symbol: Any, what: str) -> Any:
    """A sympy Symbol from an identifier, or the given sympy expression; nothing is parsed."""
    if isinstance(name_or_symbol, str):
        if not name_or_symbol.isidentifier():
            raise ValueError(f"bad symbol {name_or_symbol!r} for {what}: {SYMBOL_SPEC_HELP}")
        return sp.Symbol(name_or_symbol)
    if isinstance(name_or_symbol, sp.Basic):
        return name_or_symbol
    raise TypeError(
        f"symbol for {what} must be a str or sympy expression, got "
        f"{type(name_or_symbol).__name__} {name_or_symbol!r}; {SYMBOL_SPEC_HELP}"
    )


def _name_from_label(label: str) -> str:
    """An identifier made from a node label: ``W[0,1] -> W_0_1``, ``h 1 -> h_1``."""
    name = re.sub(r"\W+", "_", label).strip("_")
    if not name.isidentifier():
        raise ValueError(
            f"the label {label!r} makes no symbol name: give its symbol explicitly "
            f"({SYMBOL_SPEC_HELP})"
        )
    return name


def _prefix(sp: Any, spec: Any, what: str) -> str:
    """A Tensor's element-name prefix from a str or a sympy Symbol."""
    if isinstance(spec, sp.Symbol):
        spec = spec.name
    if not isinstance(spec, str) or not spec.isidentifier():
        raise ValueError(
            f"bad symbol prefix {spec!r} for {what}: give an identifier such as "
            f'"W" (elements W_i_j), or one symbol per element'
        )
    return spec


def _tensor_symbols(sp: Any, t: Tensor, spec: Any) -> dict[Value, Any]:
    """Element symbols of a Tensor: ``prefix_i_j`` names or a same-shaped array."""
    if spec is None:
        spec = _tensor_prefix(t)
    if isinstance(spec, (str, sp.Symbol)):
        prefix = _prefix(sp, spec, "a Tensor")
        out = {}
        for index in np.ndindex(*t.shape):
            out[t.values[index]] = sp.Symbol(_element_symbol_name(prefix, index))
        return out
    array = np.array(spec.tolist() if hasattr(spec, "tolist") else spec, dtype=object)
    if array.shape != t.shape and array.size == t.size and hasattr(spec, "shape"):
        array = array.reshape(t.shape)  # a sympy column Matrix for a 1-D Tensor
    if array.shape != t.shape:
        raise ValueError(
            f"symbols for a Tensor of shape {t.shape} must have that shape, got shape {array.shape}"
        )
    return {
        t.values[index]: _symbol(sp, array[index], f"Tensor element {index}")
        for index in np.ndindex(*t.shape)
    }


def _element_symbol_name(prefix: str, index: tuple[int, ...]) -> str:
    suffix = "_".join(str(i) for i in index)
    return f"{prefix}_{suffix}" if suffix else prefix


def _tensor_prefix(t: Tensor) -> str:
    label = t.label
    if not label:
        first = t.values.flat[0] if t.size else None
        label = first.label.split("[", 1)[0] if first is not None and first.label else None
    if not label:
        raise ValueError("a Tensor in symbols needs a name: give {tensor: 'W'} or label it")
    return _name_from_label(label)


_ELEMENT_LABEL = re.compile(r"(.*)\[(\d+(?:,\d+)*)\]")


def _tensor_elements_by_label(order: list[Value], label: str) -> dict[tuple[int, ...], Value]:
    """The nodes labelled ``label[i,j]`` (a labelled Tensor's elements), by index."""
    out: dict[tuple[int, ...], Value] = {}
    for v in order:
        match = _ELEMENT_LABEL.fullmatch(v.label) if v.label else None
        if match and match.group(1) == label:
            out.setdefault(tuple(int(i) for i in match.group(2).split(",")), v)
    return out


def _labelled_tensor_symbols(
    sp: Any, label: str, elements: dict[tuple[int, ...], Value], spec: Any
) -> dict[Value, Any]:
    """Symbols for the elements ``label[i,j]`` of a Tensor given by its label."""
    if spec is None or isinstance(spec, (str, sp.Symbol)):
        prefix = _prefix(
            sp, _name_from_label(label) if spec is None else spec, f"the Tensor labelled {label!r}"
        )
        return {v: sp.Symbol(_element_symbol_name(prefix, index)) for index, v in elements.items()}
    array = np.array(spec.tolist() if hasattr(spec, "tolist") else spec, dtype=object)
    out = {}
    for index, v in elements.items():
        if len(index) != array.ndim or any(i >= n for i, n in zip(index, array.shape)):
            raise ValueError(
                f"symbols for the Tensor labelled {label!r} have shape "
                f"{array.shape}, which has no element {index}"
            )
        out[v] = _symbol(sp, array[index], f"{label}{list(index)}")
    return out


def resolve_symbols(order: list[Value], symbols: Any) -> dict[Value, Any]:
    """Map the graph's nodes to sympy symbols from a ``symbols`` specification.

    ``symbols`` is a dict whose keys are Values, labels (str) or Tensors and
    whose values are sympy symbols/expressions or identifiers (for a Tensor: a
    name prefix, giving ``name_i_j``, or a same-shaped array/Matrix of
    symbols), or an iterable of such keys, each named after its label. A label
    ``"W"`` that no node has, while nodes ``W[0,0]``, ``W[0,1]``... exist,
    stands for the Tensor labelled ``W``. String names are never parsed: they
    must be identifiers (``"w"``, ``"x_1"``).

    Example:
        >>> from autograd import Tensor, Value
        >>> from autograd.graph import topological_order
        >>> W = Tensor([[1.0, 2.0]], label="W"); b = Value(0.5, label="b")
        >>> out = W[0, 0] * W[0, 1] + b
        >>> order = topological_order(out)
        >>> sorted(str(s) for s in resolve_symbols(order, {"W": "W", b: "beta"}).values())
        ['W_0_0', 'W_0_1', 'beta']
        >>> resolve_symbols(order, {"b": "x + y"})  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ValueError: bad symbol 'x + y' for node 'b': a symbol is given as an identifier ...
    """
    sp = require_sympy()
    if symbols is None:
        return {}
    if isinstance(symbols, (str, Value, Tensor)):
        symbols = [symbols]
    if not isinstance(symbols, Mapping):
        if not isinstance(symbols, Iterable):
            raise TypeError(
                f"symbols must be a dict or a list of labels/Values/Tensors, got "
                f"{type(symbols).__name__}"
            )
        symbols = {key: None for key in symbols}
    in_graph = {id(v) for v in order}
    by_label: dict[str, list[Value]] = {}
    for v in order:
        if v.label:
            by_label.setdefault(v.label, []).append(v)
    out: dict[Value, Any] = {}
    for key, spec in symbols.items():
        if isinstance(key, Tensor):
            for v, s in _tensor_symbols(sp, key, spec).items():
                if id(v) in in_graph:
                    out[v] = s
            continue
        if isinstance(key, Value):
            if id(key) not in in_graph:
                raise ValueError(f"symbols key {key!r} is not a node of the graph")
            nodes = [key]
            default = key.label
        elif isinstance(key, str):
            nodes = by_label.get(key)
            if not nodes:
                elements = _tensor_elements_by_label(order, key)
                if elements:  # the label of a Tensor: its elements key[i,j]
                    out.update(_labelled_tensor_symbols(sp, key, elements, spec))
                    continue
                raise ValueError(
                    f"no node labelled {key!r} in the graph; labels: {sorted(by_label)}"
                )
            default = key
        else:
            raise TypeError(
                f"symbols keys must be Values, labels (str) or Tensors, got "
                f"{type(key).__name__} {key!r}"
            )
        if spec is None:
            if not default:
                raise ValueError(f"node {key!r} has no label: give its symbol explicitly")
            spec = _name_from_label(default)
        for v in nodes:
            out[v] = _symbol(sp, spec, f"node {default or key!r}")
    return out
