"""Symbolic mode: closed-form values and gradients of any graph, from the op registry.

Every primitive in ``ops.py`` is written over a math backend ``m``. The engine
passes :data:`autograd.backend.FLOAT`; this module passes :class:`SympyMath`,
whose functions build sympy expressions, so the *same* forward and partials
rules give closed forms. No derivative rule lives here.

Exact numbers: a leaf that is not mapped to a symbol keeps its number as a
sympy Rational, by one rule (:func:`exact`): a float whose shortest repr has at
most 12 significant digits is read as that decimal (``0.5 -> 1/2``, ``3.0 -> 3``,
``0.1 -> 1/10``: the number the user typed, not the binary float
0.1000000000000000055...); a longer one (``1/3``, ``2**-30``) keeps the float's
exact binary value, which is exact for every binary fraction. The same rule
applies to numbers inside the rules (``1.0 - out*out``) and to op parameters
(leaky_relu's slope ``0.1 -> 1/10``).

Indicators (relu's step, leaky_relu/elu's branches, max-pooling's one-hot) are
sympy ``Piecewise`` expressions, so ``d max(z1, z2) / d z2`` for max-pooling's
``max`` is ``Piecewise((1, z2 > z1), (0, True))``; ``table()``, ``latex()`` and the
command show it as the homework writes it, ``1{z2 > z1}`` and
``\\mathbb{1}[z_2 > z_1]`` (:func:`display_text`, :func:`display_latex`). Ties follow
the registry, as in the float backend: ``max`` picks the first, ``maximum`` (``Value.max``)
gives ½ to each of two tied inputs, ``amax`` 1/k to each of k.

sympy is an optional extra: ``pip install "chalkgrad[symbolic]"``. It is
imported only when a function of this module is called.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from autograd.graph import topological_order
from autograd.limits import LimitError, check_graph, check_number
from autograd.symbolic.backend import SympyMath, exact, require_sympy
from autograd.symbolic.display import display_latex, display_text
from autograd.symbolic.symbols import _symbol, resolve_symbols
from autograd.tensors import Tensor
from autograd.value import Value

# What symbolic() walks from: one root, a Tensor of roots, or a list of roots.
Roots = Value | Tensor | Sequence[Value]


class LazySimplified(Mapping):
    """A read-only dict Value -> sympy expression, simplified on first access.

    Indexing with a Tensor gives an object array of its elements' expressions;
    :meth:`raw` gives an expression as the rules built it, unsimplified.

    Example:
        >>> from autograd import Value
        >>> x = Value(2.0, label="x")
        >>> y = (x + 1) * (x + 1) - x * x
        >>> values = symbolic(y, {"x": "x"}).value
        >>> type(values).__name__, values[y]
        ('LazySimplified', 2*x + 1)
    """

    def __init__(self, raw: dict[Value, Any], simplify: bool) -> None:
        self._raw = raw
        self._simplify = simplify
        self._done: dict[Value, Any] = {}

    def __getitem__(self, v: Value) -> Any:
        if isinstance(v, Tensor):  # a Tensor gives an array of its elements' expressions
            out = np.empty(v.shape, dtype=object)
            for index in np.ndindex(*v.shape):
                out[index] = self[v.values[index]]
            return out[()] if out.ndim == 0 else out
        if v in self._done:
            return self._done[v]
        if v not in self._raw:
            name = v.label if isinstance(v, Value) and v.label else repr(v)
            raise KeyError(f"{name} is not a node of this symbolic result's graph")
        expr = self._raw[v]
        if self._simplify:
            expr = simplify_expression(expr)
        self._done[v] = expr
        return expr

    def __iter__(self) -> Iterator[Value]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def raw(self, v: Value) -> Any:
        """The unsimplified expression (as the rules built it).

        Example:
            >>> from autograd import Value
            >>> x = Value(2.0, label="x")
            >>> y = (x + 1) * (x + 1) - x * x
            >>> symbolic(y, {"x": "x"}).value.raw(y)
            -x**2 + (x + 1)**2
        """
        return self._raw[v]


def simplify_expression(expr: Any) -> Any:
    """sympy's simplify, keeping indicators (Piecewise) and Max/Min as written.

    Piecewise, Max and Min sub-expressions are simplified inside but kept as
    opaque factors of the rest, so ``d1*1{z2 > z1} + d2*1{z2 >= z3}`` stays in
    that form instead of being folded into one large case analysis (which is
    both slow and unlike the homework's answers).

    Example:
        >>> import sympy
        >>> x, d = sympy.symbols("x d")
        >>> simplify_expression(x * (1 - x) + x**2)
        x
        >>> step = sympy.Piecewise((1, x > 0), (0, True))
        >>> simplify_expression(d * step * (x + 1) - d * step * x)
        d*Piecewise((1, x > 0), (0, True))
    """
    sp = require_sympy()
    expr = exact(expr)
    hidden: list[tuple[Any, Any]] = []
    seen: dict[Any, Any] = {}

    def hide(e: Any) -> Any:
        if e in seen:  # the same indicator twice must be the same factor
            return seen[e]
        original = e
        if isinstance(e, sp.Piecewise):
            e = sp.Piecewise(*[(sp.simplify(a), c) for a, c in e.args])
        elif isinstance(e, (sp.Max, sp.Min)):
            e = e.func(*[sp.simplify(a) for a in e.args])
        if not isinstance(e, (sp.Piecewise, sp.Max, sp.Min)):
            return e
        d = sp.Dummy()
        hidden.append((d, e))
        seen[original] = d
        return d

    body = expr.replace(lambda e: isinstance(e, (sp.Piecewise, sp.Max, sp.Min)), hide)
    body = sp.simplify(body)
    for d, e in reversed(hidden):  # outer ones were hidden last and hold inner dummies
        body = body.xreplace({d: e})
    return exact(body)


class SymbolicResult:
    """Closed-form ``value[v]`` and ``grad[v]`` of every node ``v`` of a graph.

    ``value`` and ``grad`` are dicts keyed by the nodes themselves (identity).
    ``grad[v]`` is d(seeded roots)/dv. ``symbol_of[v]`` is the sympy symbol of
    every mapped node. ``latex(v)`` gives both as LaTeX; ``table()`` (and
    ``repr``) lists every node in topological order.

    Example:
        >>> from autograd import Value
        >>> x = Value(2.0, label="x"); y = x * x + x; y.label = "y"
        >>> r = symbolic(y, {"x": "x"})
        >>> r.value[y], r.grad[x], r.symbol_of[x]
        (x*(x + 1), 2*x + 1, x)
    """

    def __init__(
        self,
        order: list[Value],
        roots: list[Value],
        seeds: list[Any],
        values: dict[Value, Any],
        grads: dict[Value, Any],
        symbol_of: dict[Value, Any],
        simplify: bool,
    ) -> None:
        self.order = order
        self.roots = roots
        self.seeds = seeds
        self.symbol_of = symbol_of
        self.value: Mapping[Value, Any] = LazySimplified(values, simplify)
        self.grad: Mapping[Value, Any] = LazySimplified(grads, simplify)

    def name(self, v: Value) -> str:
        """How the result names a node: its symbol, else its label, else ``v<index>``.

        Example:
            >>> from autograd import Value
            >>> x = Value(2.0, label="x"); y = x * x + x; y.label = "y"
            >>> r = symbolic(y, {"x": "w"})
            >>> r.name(x), r.name(y), r.name(y.parents[0])
            ('w', 'y', 'v1')
        """
        if v in self.symbol_of:
            return str(self.symbol_of[v])
        if v.label:
            return v.label
        return f"v{self._index(v)}"

    def _index(self, v: Value) -> int:
        for i, u in enumerate(self.order):
            if u is v:
                return i
        raise KeyError(f"{v!r} is not a node of this symbolic result's graph")

    def latex(self, v: Value) -> str:
        r"""``name = value, \quad \frac{\partial root}{\partial name} = grad`` as LaTeX.

        Example:
            >>> x = Value(2.0, label="x"); y = x * x; y.label = "y"
            >>> symbolic(y, {"x": "x"}).latex(x)
            'x = x, \\quad \\frac{\\partial y}{\\partial x} = 2 x'
        """
        sp = require_sympy()
        name = self.name(v)
        root = self.name(self.roots[0]) if len(self.roots) == 1 else "L"
        value = display_latex(self.value[v])
        grad = display_latex(self.grad[v])
        lname, lroot = _latex_name(sp, name), _latex_name(sp, root)
        return (
            f"{lname} = {value}, \\quad \\frac{{\\partial {lroot}}}{{\\partial {lname}}} = {grad}"
        )

    def table(self) -> str:
        """One line per node (topological order): name, op, value, gradient.

        Example:
            >>> from autograd import Value
            >>> x = Value(2.0, label="x"); y = x * x + x; y.label = "y"
            >>> print(symbolic(y, {"x": "x"}).table())
            node  op    value      grad
            x     leaf  x          2*x + 1
            v1    mul   x**2       1
            y     add   x*(x + 1)  1
        """
        rows = [("node", "op", "value", "grad")]
        for v in self.order:
            rows.append(
                (
                    self.name(v),
                    v.op or "leaf",
                    display_text(self.value[v]),
                    display_text(self.grad[v]),
                )
            )
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        return "\n".join(
            "  ".join(cell.ljust(w) for cell, w in zip(r[:3], widths)) + "  " + r[3] for r in rows
        ).rstrip()

    def __repr__(self) -> str:
        return f"SymbolicResult({len(self.order)} nodes)\n{self.table()}"

    def _repr_latex_(self) -> str:
        r"""Jupyter shows the result as a LaTeX table: node, value, gradient.

        Example:
            >>> from autograd import Value
            >>> x = Value(2.0, label="x"); y = x * x; y.label = "y"
            >>> print(symbolic(y, {"x": "x"})._repr_latex_())
            $\begin{array}{lll}
            \text{node} & \text{value} & \partial y / \partial\,\text{node} \\ \hline
            x & x & 2 x \\
            y & x^{2} & 1
            \end{array}$
        """
        sp = require_sympy()
        root = self.name(self.roots[0]) if len(self.roots) == 1 else "L"
        header = (
            r"\text{node} & \text{value} & \partial "
            + _latex_name(sp, root)
            + r" / \partial\,\text{node}"
        )
        rows = [
            f"{_latex_name(sp, self.name(v))} & {display_latex(self.value[v])} & "
            f"{display_latex(self.grad[v])}"
            for v in self.order
        ]
        body = " \\\\\n".join(rows)
        return f"$\\begin{{array}}{{lll}}\n{header} \\\\ \\hline\n{body}\n\\end{{array}}$"


def _latex_name(sp: Any, name: str) -> str:
    try:
        return sp.latex(sp.Symbol(name))
    except Exception:  # noqa: BLE001 - a label sympy cannot typeset stays as text
        return f"\\text{{{name}}}"


def _roots_list(root: Roots) -> list[Value]:
    if isinstance(root, Value):
        return [root]
    if isinstance(root, Tensor):
        return list(root.values.flat)
    if isinstance(root, Iterable) and not isinstance(root, (str, bytes)):
        roots = []
        for r in root:
            if isinstance(r, Tensor):
                roots.extend(r.values.flat)
            else:
                roots.append(r)
        for r in roots:
            if not isinstance(r, Value):
                raise TypeError(
                    f"symbolic roots must be Values or Tensors, got {type(r).__name__} {r!r}"
                )
        if not roots:
            raise ValueError("symbolic needs at least one root node")
        return roots
    raise TypeError(
        f"symbolic root must be a Value, Tensor or list of Values, got "
        f"{type(root).__name__} {root!r}"
    )


def symbolic(
    root: Roots, symbols: Any = None, *, seed: Any = None, simplify: bool = True
) -> SymbolicResult:
    """Closed-form value and gradient of every node of the graph below ``root``.

    Forward and partial rules come from the op registry evaluated over
    :class:`SympyMath`; gradients are reverse-accumulated from ``root`` (seeded
    with 1, or ``seed``: a number, symbol name or expression, one per root when
    ``root`` is a list or Tensor). Nodes in ``symbols`` (see
    :func:`resolve_symbols`) take their symbol as value; a mapped inner node is
    treated as an input (its value is the symbol, gradients still flow below
    it). Other leaves keep their numbers as exact rationals (:func:`exact`).
    ``simplify`` runs sympy's simplify on each expression when first read.

    Example:
        >>> from autograd import Value
        >>> w, x = Value(3.0, label="w"), Value(0.5, label="x")
        >>> y = (w * x + 1).tanh(); y.label = "y"
        >>> r = symbolic(y, {"w": "w"})
        >>> r.value[y], r.grad[w]
        (tanh(w/2 + 1), 1/2 - tanh(w/2 + 1)**2/2)
        >>> symbolic(y).grad[x]  # no symbols: exact numbers
        3/cosh(5/2)**2
    """
    sp = require_sympy()
    roots = _roots_list(root)
    order = topological_order(roots)
    symbol_of = resolve_symbols(order, symbols)
    seeds = _seeds(sp, roots, seed)
    # Refuse graphs sympy cannot handle before any sympy work (autograd.limits).
    check_graph(order, {id(v) for v in symbol_of})
    m = SympyMath()
    try:
        values, grads = _closed_forms(sp, m, order, roots, seeds, symbol_of)
    except RecursionError:
        raise LimitError(
            f"symbolic: sympy ran out of stack on this graph ({len(order)} nodes); "
            "keep fewer inputs symbolic or use a smaller graph"
        ) from None
    return SymbolicResult(order, roots, seeds, values, grads, symbol_of, simplify)


def _closed_forms(
    sp: Any,
    m: SympyMath,
    order: list[Value],
    roots: list[Value],
    seeds: list[Any],
    symbol_of: dict[Value, Any],
) -> tuple[dict, dict]:
    """Every node's value (forward rules) and gradient (partials), over sympy."""
    values: dict[Value, Any] = {}
    for v in order:
        if v in symbol_of:
            values[v] = symbol_of[v]
        elif not v.parents:
            values[v] = exact(v.data)
        else:
            op = v.primitive
            params = [exact(p) for p in op.params]
            values[v] = exact(op.forward(m, *[values[p] for p in v.parents], *params))
            check_number(sp, values[v], f"symbolic: the value of {_node_name(v)}")

    grads: dict[Value, Any] = {v: sp.Integer(0) for v in order}
    for r, s in zip(roots, seeds):
        grads[r] = grads[r] + s
    for v in reversed(order):
        if not v.parents:
            continue
        g = grads[v]
        if g == 0:
            continue  # nothing flows back through this node
        op = v.primitive
        params = [exact(p) for p in op.params]
        inputs = [values[p] for p in v.parents]
        local = op.partials(m, values[v], *inputs, *params)
        sent = op.contributions(m, g, local, values[v], inputs)
        for p, c in zip(v.parents, sent):
            grads[p] = grads[p] + c
            check_number(sp, grads[p], f"symbolic: the gradient of {_node_name(p)}")
    return values, grads


def _node_name(v: Value) -> str:
    return repr(v.label) if v.label else f"an unlabelled {v.op or 'leaf'} node"


def _seeds(sp: Any, roots: list[Value], seed: Any) -> list[Any]:
    if seed is None:
        return [sp.Integer(1)] * len(roots)
    if isinstance(seed, Tensor):
        raise TypeError("seed must be numbers, names or sympy expressions, not a Tensor")
    if len(roots) == 1 and isinstance(
        seed, (str, int, float, complex, Fraction, np.number, sp.Basic)
    ):
        seed = [seed]
    seeds = list(np.asarray(seed, dtype=object).flat) if not isinstance(seed, list) else seed
    if len(seeds) != len(roots):
        raise ValueError(f"got {len(seeds)} seeds for {len(roots)} roots")
    out = []
    for s in seeds:
        if isinstance(s, str):
            out.append(_symbol(sp, s, "a seed"))
            continue
        try:
            out.append(exact(s))
        except TypeError:
            raise TypeError(
                f"seed must be a number, identifier or sympy expression, got "
                f"{type(s).__name__} {s!r}"
            ) from None
    return out
