"""hypothesis strategies for property-testing gradient code.

- :func:`values`: finite floats that hit the kinks on purpose (0, -0.0, ±1, ties).
- :func:`arrays` and :func:`tensors`: numpy arrays and chalkgrad Tensors of a shape.
- :func:`expressions`: random expression graphs over the op registry, with shared
  subexpressions, rebuilt afresh on each :meth:`Expression.build`.

Needs hypothesis (``pip install hypothesis``; it comes with ``chalkgrad[dev]``).

Example:
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20, database=None)
    ... @given(expressions(ops=["mul", "add", "tanh"]))
    ... def test_backward_is_finite(e):
    ...     root, leaves = e.build()
    ...     root.backward()
    ...     assert all(abs(x.grad) < 1e6 for x in leaves)
    >>> test_backward_is_finite()
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

try:
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError as error:  # pragma: no cover - hypothesis is a dev dependency
    raise ImportError(
        "autograd.testing.strategies needs hypothesis: pip install hypothesis "
        '(or pip install "chalkgrad[dev]")'
    ) from error

from autograd.ops import OPS, Op
from autograd.tensors import Tensor
from autograd.value import Value, apply

KINKS = (0.0, -0.0, 1.0, -1.0)
"""Values where piecewise rules switch (relu, abs, max/min ties, pow at 0)."""

# How many inputs a random node of each n-ary op takes, and sample parameters for
# ops that carry them. Every other registered op is used with its own arity.
_NARY_INPUTS = {
    "sum": (2, 4),
    "dot": (2, 5),
    "max": (2, 3),
    "min": (2, 3),
    "amax": (2, 3),
    "amin": (2, 3),
}
_PARAMETERS = {"pow": (2.0, 3.0, 0.5, -1.0, 0.0), "leaky_relu": (0.01, 0.1), "elu": (1.0, 0.5)}


def default_ops() -> tuple[str, ...]:
    """Every registered op except ``pow_value`` (``a**b`` of two nodes is nan for a < 0).

    Ops with parameters are included when this module knows values to sample.

    Example:
        >>> {"mul", "tanh", "relu", "dot"} <= set(default_ops())
        True
    """
    return tuple(
        name
        for name, op in OPS.items()
        if name != "pow_value" and (not op.param_names or name in _PARAMETERS)
    )


def values(
    min_value: float = -3.0,
    max_value: float = 3.0,
    *,
    kinks: bool = True,
    ties: Sequence[float] = (),
) -> st.SearchStrategy[float]:
    """Finite floats in ``[min_value, max_value]``; with ``kinks``, often exactly 0, -0.0 or ±1.

    ``ties`` adds values to hit on purpose (say the other argument of a max).

    Example:
        >>> from hypothesis import find
        >>> find(values(), lambda x: x == 0.0)
        0.0
    """
    if not min_value <= max_value:
        raise ValueError(f"values() needs min_value <= max_value, got {min_value} > {max_value}")
    finite = st.floats(min_value, max_value, allow_nan=False, allow_infinity=False)
    special = [x for x in (*KINKS, *ties) if min_value <= x <= max_value] if kinks else list(ties)
    return st.one_of(st.sampled_from(special), finite) if special else finite


def arrays(
    shape: tuple[int, ...], elements: st.SearchStrategy[float] | None = None
) -> st.SearchStrategy[np.ndarray]:
    """float64 numpy arrays of ``shape`` (elements from :func:`values` by default).

    Example:
        >>> from hypothesis import find
        >>> find(arrays((2, 3)), lambda a: True).shape
        (2, 3)
    """
    return hnp.arrays(np.float64, shape, elements=elements if elements is not None else values())


def tensors(
    shape: tuple[int, ...],
    elements: st.SearchStrategy[float] | None = None,
    label: str | None = None,
) -> st.SearchStrategy[Tensor]:
    """chalkgrad Tensors of leaves with ``shape``, labelled ``label[i,j]`` if given.

    Example:
        >>> from hypothesis import find
        >>> find(tensors((2,), label="w"), lambda t: True)[1].label
        'w[1]'
    """
    return arrays(shape, elements).map(lambda a: Tensor(a, label=label))


@dataclass(frozen=True)
class Expression:
    """A random expression graph as a recipe: leaf values and one step per node.

    Each step is ``(op name, parameters, input positions)``; positions count the
    leaves first, then earlier steps, so a position used twice is a shared
    subexpression. :meth:`build` makes a fresh graph; the last step is the root.

    Example:
        >>> e = Expression((2.0, 3.0), (("mul", (), (0, 1)), ("add", (), (2, 0))))
        >>> root, leaves = e.build(); root.data, str(e)
        (8.0, 'v2 = mul(x0, x1); v3 = add(v2, x0)')
    """

    leaves: tuple[float, ...]
    steps: tuple[tuple[str, tuple, tuple[int, ...]], ...]

    def build(self, leaves: Sequence[float] | None = None) -> tuple[Value, list[Value]]:
        """A fresh graph: (root, leaf Values labelled x0, x1, ...); ``leaves`` overrides values.

        Example:
            >>> e = Expression((2.0,), (("exp", (), (0,)),))
            >>> root, (x,) = e.build([0.0]); root.data, x.label
            (1.0, 'x0')
        """
        numbers = self.leaves if leaves is None else tuple(leaves)
        if len(numbers) != len(self.leaves):
            raise ValueError(
                f"this expression has {len(self.leaves)} leaves, got {len(numbers)} values"
            )
        nodes = [Value(float(x), label=f"x{k}") for k, x in enumerate(numbers)]
        leaf_nodes = list(nodes)
        for name, params, inputs in self.steps:
            op: Op = OPS[name].bind(*params) if params else OPS[name]
            nodes.append(apply(op, tuple(nodes[i] for i in inputs)))
        return nodes[-1], leaf_nodes

    def __str__(self) -> str:
        n = len(self.leaves)
        name = [f"x{k}" for k in range(n)] + [f"v{n + k}" for k in range(len(self.steps))]
        parts = []
        for k, (op, params, inputs) in enumerate(self.steps):
            args = ", ".join([name[i] for i in inputs] + [f"{p:g}" for p in params])
            parts.append(f"{name[n + k]} = {op}({args})")
        return "; ".join(parts)


def _arity(name: str) -> tuple[int, int]:
    op = OPS[name]
    if op.arity is None:
        return _NARY_INPUTS.get(name, (2, 3))
    return op.arity, op.arity


@st.composite
def _expression(
    draw: Any,
    ops: tuple[str, ...],
    leaf_values: st.SearchStrategy[float],
    max_leaves: int,
    max_steps: int,
) -> Expression:
    leaves = tuple(draw(st.lists(leaf_values, min_size=1, max_size=max_leaves)))
    steps = []
    for k in range(draw(st.integers(1, max_steps))):
        name = draw(st.sampled_from(ops))
        low, high = _arity(name)
        count = draw(st.integers(low, high))
        available = len(leaves) + k
        recent = st.integers(max(0, available - 3), available - 1)  # keep the graph connected
        inputs = [draw(recent)] + [draw(st.integers(0, available - 1)) for _ in range(count - 1)]
        params = tuple(draw(st.sampled_from(_PARAMETERS[name])) for _ in OPS[name].param_names)
        steps.append((name, params, tuple(inputs)))
    return Expression(leaves, tuple(steps))


def expressions(
    ops: Sequence[str] | None = None,
    *,
    leaves: st.SearchStrategy[float] | None = None,
    max_leaves: int = 4,
    max_steps: int = 8,
) -> st.SearchStrategy[Expression]:
    """Random :class:`Expression` graphs over the registry's ops (shared subexpressions included).

    ``ops`` names registry ops (default: all but ``pow_value``); leaves come from
    :func:`values` unless ``leaves`` is given. Results may be inf or nan (log of a
    negative number, say): filter with ``hypothesis.assume`` where that matters.

    Example:
        >>> from hypothesis import find
        >>> e = find(expressions(ops=["mul"]), lambda e: len(e.steps) >= 2)
        >>> [step[0] for step in e.steps]
        ['mul', 'mul']
    """
    names = default_ops() if ops is None else tuple(ops)
    unknown = [n for n in names if n not in OPS]
    if unknown or not names:
        raise ValueError(
            f"expressions(ops=...) got unknown ops {unknown or 'none at all'}; "
            f"registered ops: {sorted(OPS)}"
        )
    unbound = [n for n in names if OPS[n].param_names and n not in _PARAMETERS]
    if unbound:
        raise ValueError(f"expressions() has no sample parameters for {unbound}")
    if max_leaves < 1 or max_steps < 1:
        raise ValueError(
            f"max_leaves and max_steps must be at least 1, got {max_leaves}, {max_steps}"
        )
    return _expression(names, leaves if leaves is not None else values(), max_leaves, max_steps)
