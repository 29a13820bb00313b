"""The backward pass told step by step, read from the real graph and the op registry.

One step per parent entry, in the order backward really runs: reverse
topological order (``autograd.topological_order``), parents in tuple order. Each
step says which node sends gradient to which parent, the upstream gradient, the
local derivative (its registry formula and value, from ``op.partials``), the
contribution, the parent's running total, and whether that total is final.

The steps come from a fresh pass kept in a private dict seeded with ``seed``:
no ``.grad`` of the graph is read or changed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TextIO

from autograd import FLOAT, Tensor, Value, topological_order
from viz.labels import format_number


@dataclass(frozen=True)
class Step:
    """One contribution ``upstream × local`` from ``node`` to its input ``parent``.

    Example:
        >>> a, b = Value(2.0, label="a"), Value(3.0, label="b")
        >>> y = a * b; y.label = "y"
        >>> s = backward_steps(y)[1]  # the second step: y sends 1 · dy/db = a = 2 to b
        >>> s.node_name, s.parent_name, s.formula, s.local, s.total, s.status
        ('y', 'b', 'a', 2.0, 2.0, 'final')
    """

    index: int  # 1-based position in the backward pass
    node: Value
    node_name: str
    parent: Value
    parent_name: str
    input_index: int  # position of ``parent`` in ``node.parents``
    op: str  # the op's drawing symbol
    upstream: float  # dL/d node, already final
    formula: str  # d node / d parent from the registry, e.g. "b"
    local: float
    contribution: float
    total: float  # dL/d parent after this step
    final: bool  # no more contributions will reach ``parent``

    @property
    def status(self) -> str:
        """``"final"`` or ``"pending"``: the parent's gradient after this step."""
        return "final" if self.final else "pending"


@dataclass
class BackwardSteps:
    """The steps of one backward pass, with every node's name and final gradient.

    Example:
        >>> a, b = Value(2.0, label="a"), Value(3.0, label="b")
        >>> steps = backward_steps(a * b)
        >>> len(steps), [s.parent_name for s in steps], steps.grad(a)
        (2, ['a', 'b'], 3.0)
    """

    root: Value
    seed: float
    order: list[Value]
    names: dict[int, str]
    grads: dict[int, float]
    steps: list[Step] = field(default_factory=list)
    symbolic: dict[int, tuple[str, str]] | None = None

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, i: int) -> Step:
        return self.steps[i]

    def name(self, v: Value) -> str:
        """The name this explanation uses for ``v``.

        Example:
            >>> x = Value(3.0, label="x")
            >>> backward_steps(x * 2).name(x)
            'x'
        """
        return self.names[id(v)]

    def grad(self, v: Value) -> float:
        """dL/dv from this pass.

        Example:
            >>> x = Value(3.0, label="x")
            >>> backward_steps(x * x).grad(x)
            6.0
        """
        return self.grads[id(v)]

    def chain_rule(self, v: Value, precision: int = 4) -> str:
        """dL/dv as the sum over its uses: symbols, then numbers, then the total.

        Example:
            >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
            >>> backward_steps(y).chain_rule(x, precision=1)
            '∂y/∂x = ∂y/∂y·∂y/∂x + ∂y/∂y·∂y/∂x = 1.0·3.0 + 1.0·3.0 = 6.0'
        """
        f = lambda x: format_number(x, precision)
        out_name = self.name(self.root)
        here = self.name(v)
        if v is self.root:
            return f"∂{out_name}/∂{here} = {f(self.seed)} (the seed)"
        uses = [s for s in self.steps if s.parent is v]
        if not uses:
            return f"∂{out_name}/∂{here} = 0 (not used on the way to {out_name})"
        symbols = " + ".join(f"∂{out_name}/∂{s.node_name}·∂{s.node_name}/∂{here}" for s in uses)
        numbers = " + ".join(f"{f(s.upstream)}·{f(s.local)}" for s in uses)
        return f"∂{out_name}/∂{here} = {symbols} = {numbers} = {f(self.grad(v))}"


def node_names(order: list[Value]) -> dict[int, str]:
    """A display name per node: its label, a constant's value, or ``op#k``.

    Example:
        >>> x = Value(2.0, label="x"); y = x * 3
        >>> list(node_names(topological_order(y)).values())
        ['x', '3', 'mul#2']
    """
    names = {}
    for k, v in enumerate(order):
        if v.label is not None:
            names[id(v)] = v.label
        elif not v.parents:
            names[id(v)] = f"{v.data:g}"
        else:
            names[id(v)] = f"{v.op}#{k}"
    return names


def backward_steps(
    root: Value, seed: float = 1.0, symbols: Mapping | None = None
) -> BackwardSteps:
    """The backward pass from ``root`` (seeded with ``seed``) as an ordered list of steps.

    ``symbols`` (a mapping for ``autograd.symbolic``) adds symbolic values and grads.

    Example:
        >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
        >>> c = a * b; c.label = "c"
        >>> [(s.parent_name, s.formula, s.local, s.total) for s in backward_steps(c)]
        [('a', 'b', -3.0, -3.0), ('b', 'a', 2.0, 2.0)]
    """
    if isinstance(root, Tensor) and root.size == 1:
        root = root.values.flat[0]  # a scalar loss such as t.sum() is a 0-d Tensor
    if not isinstance(root, Value):
        raise TypeError(
            f"backward_steps() takes a Value or a one-element Tensor, got {type(root).__name__}"
            + (f" of shape {root.shape}: reduce it first, e.g. t.sum()"
               if isinstance(root, Tensor) else "")
        )
    if isinstance(seed, bool) or not isinstance(seed, int | float):
        raise TypeError(f"seed must be a number, got {type(seed).__name__} {seed!r}")
    order = topological_order(root)
    names = node_names(order)
    remaining: dict[int, int] = {}
    for v in order:
        for p in v.parents:
            remaining[id(p)] = remaining.get(id(p), 0) + 1
    grads = {id(v): 0.0 for v in order}
    grads[id(root)] = float(seed)
    result = BackwardSteps(root, float(seed), order, names, grads)
    for v in reversed(order):
        if not v.parents:
            continue
        op = v.primitive
        parents = v.parents
        inputs = [p.data for p in parents]
        local = op.partials(FLOAT, v.data, *inputs, *op.params)
        upstream = grads[id(v)]
        sent = op.contributions(FLOAT, upstream, local, v.data, inputs)  # masks: exact 0
        parent_names = [names[id(p)] for p in parents]
        for i, (p, d, contribution) in enumerate(zip(parents, local, sent)):
            grads[id(p)] += contribution
            remaining[id(p)] -= 1
            result.steps.append(Step(
                index=len(result.steps) + 1, node=v, node_name=names[id(v)], parent=p,
                parent_name=names[id(p)], input_index=i, op=op.symbol, upstream=upstream,
                formula=op.formula(i, len(parents), names=parent_names), local=float(d),
                contribution=contribution, total=grads[id(p)], final=remaining[id(p)] == 0,
            ))
    if symbols is not None:
        from autograd.symbolic import symbolic  # optional: needs sympy

        sym = symbolic(root, symbols)
        result.symbolic = {id(v): (str(sym.value[v]), str(sym.grad[v])) for v in order}
    return result


def format_steps(steps: BackwardSteps, precision: int = 4) -> str:
    """The steps as a plain-text table followed by each node's chain-rule line.

    Example:
        >>> x = Value(2.0, label="x"); y = x.exp(); y.label = "y"
        >>> print(format_steps(backward_steps(y), precision=2))  # doctest: +ELLIPSIS
        backward from y (seed ∂y/∂y = 1.00), 1 step
        step  node → input  upstream  local derivative  contribution  total  status
        1     y → x         1.00      exp(x) = 7.39     7.39          7.39   final
        <BLANKLINE>
        chain rule:
          ∂y/∂y = 1.00 (the seed)
          ∂y/∂x = ∂y/∂y·∂y/∂x = 1.00·7.39 = 7.39
    """
    f = lambda x: format_number(x, precision)
    out = steps.name(steps.root)
    header = ["step", "node → input", "upstream", "local derivative", "contribution", "total",
              "status"]
    rows = [header]
    for s in steps:
        rows.append([
            str(s.index), f"{s.node_name} → {s.parent_name}", f(s.upstream),
            f"{s.formula} = {f(s.local)}", f(s.contribution), f(s.total), s.status,
        ])
    widths = [max(len(r[c]) for r in rows) for c in range(len(header))]
    count = len(steps)
    lines = [f"backward from {out} (seed ∂{out}/∂{out} = {f(steps.seed)}), "
             f"{count} step{'s' if count != 1 else ''}"]
    for r in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    lines += ["", "chain rule:"]
    for v in reversed(steps.order):
        lines.append("  " + steps.chain_rule(v, precision))
        if steps.symbolic is not None:
            lines.append(f"      symbolic: ∂{out}/∂{steps.name(v)} = {steps.symbolic[id(v)][1]}")
    return "\n".join(lines)


def print_steps(
    root: Value,
    seed: float = 1.0,
    precision: int = 4,
    symbols: Mapping | None = None,
    file: TextIO | None = None,
) -> BackwardSteps:
    """Print the backward pass from ``root`` as a table; returns the steps.

    Example:
        >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
        >>> _ = print_steps(y, precision=1)  # doctest: +ELLIPSIS
        backward from y (seed ∂y/∂y = 1.0), 2 steps
        ...
        2     y → x         1.0       x = 3.0           3.0           6.0    final
        ...
    """
    steps = backward_steps(root, seed, symbols)
    print(format_steps(steps, precision), file=file if file is not None else sys.stdout)
    return steps
