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

import html
import math
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TextIO

from autograd import FLOAT, Tensor, Value, topological_order
from viz.model.names import node_names
from viz.numbers import factor, format_number, format_table, terminal_width, wrap_terms


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
    total_scale: float = math.inf  # size of what ``total`` was summed from (rounding noise)

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
    # id(node) -> sum of |contribution| sizes behind its gradient (see viz.numbers)
    grad_scales: dict[int, float] = field(default_factory=dict)

    def __repr__(self) -> str:
        count = len(self.steps)
        return (
            f"<BackwardSteps from {self.name(self.root)}: {count} step{'s' if count != 1 else ''}>"
        )

    def _repr_html_(self) -> str:
        """Notebooks show the steps as an HTML table (numbers as printed).

        Example:
            >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
            >>> backward_steps(y)._repr_html_().count("<tr>")
            3
        """
        return steps_html(self)

    def format(self, x: float, precision: int = 4, node: Value | None = None) -> str:
        """A number as the steps print it; ``node`` marks it as that node's gradient.

        Example:
            >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
            >>> backward_steps(y).format(6.0, 2, node=x)
            '6'
        """
        scale = self.grad_scales.get(id(node)) if node is not None else None
        return format_number(x, precision, scale)

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
            >>> x = Value(3.0, label="x"); y = x * -x; y.label = "y"
            >>> backward_steps(y).chain_rule(x, precision=2)
            '∂y/∂x = ∂(x * neg#1)/∂x + ∂y/∂neg#1 · ∂(-x)/∂x = 1 · (-3) + 3 · (-1) = -6'
        """
        return "".join(self._chain_rule_pieces(v, precision))

    def local(self, s: Step) -> str:
        """Step ``s``'s local derivative, written as one (see :func:`local_symbol`).

        Example:
            >>> w, x = Value(2.0, label="w"), Value(3.0, label="x"); y = w * x
            >>> steps = backward_steps(y)
            >>> steps.local(steps[0])
            '∂(w * x)/∂w'
        """
        names = {**self.names}
        names.setdefault(id(s.node), s.node_name)
        return local_symbol(s.node, s.parent_name, names)

    def _chain_rule_pieces(self, v: Value, precision: int) -> list[str]:
        f = lambda x, scale=None: format_number(x, precision, scale)
        out_name = self.name(self.root)
        here = self.name(v)
        head = f"∂{out_name}/∂{here}"
        if v is self.root:
            return [f"{head} = {f(self.seed)} (the seed)"]
        uses = [s for s in self.steps if s.parent is v]
        if not uses:
            return [f"{head} = 0 (not used on the way to {out_name})"]
        # the total written ∂L/∂v, the local derivative as the node's formula: ∂(a * b)/∂a
        symbols = [
            self.local(s)
            if s.node is self.root
            else f"∂{out_name}/∂{s.node_name} · {self.local(s)}"
            for s in uses
        ]
        numbers = []
        for s in uses:
            if s.local == 0.0 and s.contribution == 0.0 and s.upstream - s.upstream != 0.0:
                numbers.append("0 (not selected)")  # a selection's mask, not inf · 0 = nan
                continue
            upstream = f(s.upstream, self.grad_scales.get(id(s.node)))
            numbers.append(f"{factor(upstream)} · {factor(f(s.local))}")
        pieces = [f"{head} = {symbols[0]}"] + [f" + {t}" for t in symbols[1:]]
        pieces += [f" = {numbers[0]}"] + [f" + {t}" for t in numbers[1:]]
        return pieces + [f" = {f(self.grad(v), self.grad_scales.get(id(v)))}"]


def value_formula(
    v: Value, names: Mapping[int, str], numbers: bool = False, precision: int = 4
) -> str:
    """How ``v`` is computed from its inputs, by name or with the numbers put in.

    Example:
        >>> from autograd import topological_order
        >>> w, x = Value(2.0, label="w"), Value(3.0, label="x")
        >>> y = (w * x).tanh(); order = topological_order(y)
        >>> value_formula(order[2], node_names(order)), value_formula(y, node_names(order))
        ('w * x', 'tanh(mul#2)')
        >>> value_formula(order[2], node_names(order), numbers=True)
        '2 * 3'
        >>> z = -(Value(2.0) * Value(-3.0)); o = topological_order(z)
        >>> value_formula(o[2], node_names(o), numbers=True), value_formula(z, node_names(o))
        ('2 * (-3)', '-mul#2')
    """
    op = v.primitive
    args = [format_number(p.data, precision) if numbers else names[id(p)] for p in v.parents]
    # a negative number inside a formula reads as (-3), as in the step lines
    args = [f"({a})" if a.startswith("-") else a for a in args]
    if op.symbol in ("+", "-", "*", "/", "**") and len(args) == 2:
        return f"{args[0]} {op.symbol} {args[1]}"
    if op.name == "pow":
        return f"{args[0]}{op.symbol}"
    if op.name == "neg":
        return f"-{args[0]}"
    if op.params:  # leaky_relu(a, 0.1), elu(a, 1)
        return f"{op.name}({', '.join(args + [f'{x:g}' for x in op.params])})"
    if op.name == "dot":
        n = len(args) // 2
        terms = [f"{args[i]}·{args[n + i]}" for i in range(n)] + args[2 * n :]
        return " + ".join(terms)
    return f"{op.symbol}({', '.join(args)})"


LOCAL_FORMULA_WIDTH = 30  # longer node formulas name the node in a local derivative


def local_symbol(node: Value, input_name: str, names: Mapping[int, str]) -> str:
    """The local derivative of ``node`` by one input, written so it cannot be read as a
    total: the derivative of the node's own formula (``∂(w * x)/∂w``, ``∂tanh(b)/∂b``).

    A formula longer than ``LOCAL_FORMULA_WIDTH`` characters is named by the node,
    marked local: ``∂dot#9/∂w (local)``.

    Example:
        >>> b = Value(0.5, label="b"); t = b.tanh(); t.label = "L"; y = b * 3
        >>> names = node_names(topological_order([t, y]))
        >>> local_symbol(t, "b", names), local_symbol(y, "b", names)
        ('∂tanh(b)/∂b', '∂(b * 3)/∂b')
    """
    formula = value_formula(node, names)
    if len(formula) > LOCAL_FORMULA_WIDTH:
        return f"∂{names.get(id(node), node.primitive.name)}/∂{input_name} (local)"
    if node.primitive.name in ("pow", "neg") or " " in formula:
        formula = f"({formula})"
    return f"∂{formula}/∂{input_name}"


def backward_steps(root: Value, seed: float = 1.0, symbols: Mapping | None = None) -> BackwardSteps:
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
            + (
                f" of shape {root.shape}: reduce it first, e.g. t.sum()"
                if isinstance(root, Tensor)
                else ""
            )
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
    scales = {id(v): 0.0 for v in order}
    scales[id(root)] = abs(float(seed))
    result = BackwardSteps(root, float(seed), order, names, grads, grad_scales=scales)
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
            scales[id(p)] += scales[id(v)] * abs(d) if d != 0 else 0.0
            remaining[id(p)] -= 1
            result.steps.append(
                Step(
                    index=len(result.steps) + 1,
                    node=v,
                    node_name=names[id(v)],
                    parent=p,
                    parent_name=names[id(p)],
                    input_index=i,
                    op=op.symbol,
                    upstream=upstream,
                    formula=op.formula(i, len(parents), names=parent_names),
                    local=float(d),
                    contribution=contribution,
                    total=grads[id(p)],
                    final=remaining[id(p)] == 0,
                    total_scale=scales[id(p)],
                )
            )
    if symbols is not None:
        from autograd.symbolic import display_text, symbolic  # optional: needs sympy

        sym = symbolic(root, symbols)
        result.symbolic = {
            id(v): (display_text(sym.value[v]), display_text(sym.grad[v])) for v in order
        }
    return result


STEP_HEADER = [
    "step",
    "node → input",
    "upstream",
    "local derivative",
    "value",
    "contribution",
    "total",
    "status",
]


def step_rows(steps: BackwardSteps, precision: int = 4) -> list[list[str]]:
    """The table's cells, one list per step (numbers formatted, noise shown as 0).

    Example:
        >>> x = Value(2.0, label="x"); y = x * -3.0; y.label = "y"
        >>> step_rows(backward_steps(y))[0]
        ['1', 'y → x', '1', '-3', '-3', '-3', '-3', 'final']
    """
    rows = []
    for s in steps:
        up_scale = steps.grad_scales.get(id(s.node))
        contribution_scale = None if up_scale is None else up_scale * abs(s.local)
        rows.append(
            [
                str(s.index),
                f"{s.node_name} → {s.parent_name}",
                format_number(s.upstream, precision, up_scale),
                s.formula,
                format_number(s.local, precision),
                format_number(s.contribution, precision, contribution_scale),
                format_number(s.total, precision, s.total_scale),
                s.status,
            ]
        )
    return rows


def format_steps(steps: BackwardSteps, precision: int = 4, width: int | None = None) -> str:
    """The steps as a plain-text table followed by each node's chain-rule line.

    Numbers have ``precision`` significant figures, right-aligned on the decimal
    point. With ``width``, lines are fitted to that many columns: a table that
    does not fit becomes one block per step, and chain-rule lines wrap at ``+``/``=``.

    Example:
        >>> x = Value(2.0, label="x"); y = x.exp(); y.label = "y"
        >>> print(format_steps(backward_steps(y), precision=3))
        backward from y (seed ∂y/∂y = 1), 1 step
        step  node → input  upstream  local derivative  value  contribution  total  status
           1  y → x                1  exp(x)            7.39           7.39   7.39  final
        <BLANKLINE>
        chain rule:
          ∂y/∂y = 1 (the seed)
          ∂y/∂x = ∂exp(x)/∂x = 1 · 7.39 = 7.39
    """
    f = lambda x: format_number(x, precision)
    out = steps.name(steps.root)
    count = len(steps)
    lines = [
        f"backward from {out} (seed ∂{out}/∂{out} = {f(steps.seed)}), "
        f"{count} step{'s' if count != 1 else ''}"
    ]
    rows = step_rows(steps, precision)
    table = format_table([STEP_HEADER] + rows, numeric=(0, 2, 4, 5, 6))
    if width is None or max(len(line) for line in table) <= width:
        lines += table
    else:  # too wide for the terminal: one block per step
        digits = len(str(len(rows)))
        for r in rows:
            lines.append(f"{r[0].rjust(digits)}. {r[1]} ({r[7]})")
            pieces = [
                f"upstream {r[2]}",
                f" · local {r[3]} = {r[4]}",
                f" = contribution {r[5]}",
                f",  total {r[6]}",
            ]
            lines += wrap_terms(pieces, width, " " * (digits + 2), "    ")
    lines += ["", "chain rule:"]
    for v in reversed(steps.order):
        pieces = steps._chain_rule_pieces(v, precision)
        if width is None:
            lines.append("  " + "".join(pieces))
        else:
            head = pieces[0].split(" = ")[0]
            lines += wrap_terms(pieces, width, "  ", " " * (len(head) + 1), break_before=" = ")
        if steps.symbolic is not None:
            lines.append(f"      symbolic: ∂{out}/∂{steps.name(v)} = {steps.symbolic[id(v)][1]}")
    return "\n".join(lines)


def steps_html(steps: BackwardSteps, precision: int = 4) -> str:
    """The steps as an HTML table (what a notebook shows), every cell escaped.

    Example:
        >>> x = Value(2.0, label="x<1>"); y = x * 3
        >>> "x&lt;1&gt;" in steps_html(backward_steps(y))
        True
    """
    cells = lambda tag, row: "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in row)
    right = {0, 2, 4, 5, 6}
    body = "".join(
        "<tr>"
        + "".join(
            f'<td style="text-align:right">{html.escape(c)}</td>'
            if i in right
            else f"<td>{html.escape(c)}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in step_rows(steps, precision)
    )
    out = html.escape(steps.name(steps.root))
    return (
        f"<table><caption>backward from {out}, {len(steps)} steps</caption>"
        f"<tr>{cells('th', STEP_HEADER)}</tr>{body}</table>"
    )


def print_steps(
    root: Value,
    seed: float = 1.0,
    precision: int = 4,
    symbols: Mapping | None = None,
    file: TextIO | None = None,
    width: int | None = None,
) -> None:
    """Print the backward pass from ``root`` as a table (``backward_steps`` returns the steps).

    Lines fit ``width`` columns (default: ``COLUMNS``, else the terminal's width,
    else 100). Returns None, so a notebook prints nothing after the table.

    Example:
        >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
        >>> print_steps(y, precision=2)  # doctest: +ELLIPSIS
        backward from y (seed ∂y/∂y = 1), 2 steps
        ...
           2  y → x                1  x                    3             3      6  final
        ...
    """
    stream = file if file is not None else sys.stdout
    steps = backward_steps(root, seed, symbols)
    fit = width if width is not None else terminal_width(stream)
    print(format_steps(steps, precision, fit), file=stream)
