"""The tensor-level rule of one edge between two boxes, read off its scalar edges.

A collapsed step says how the gradient of a whole tensor box ``B`` reaches a whole
box ``A``. The scalar edges already say it element by element (the registry's
formula on each); when their element indices form a known pattern the rule is
also written as a tensor formula, the way a homework solution writes it:

- a matrix product (``dot`` nodes): ``∂L/∂W = (∂L/∂out)ᵀ x`` for ``out = x Wᵀ``,
  ``∂L/∂W = ∂L/∂h xᵀ`` for ``h = W x``, ``∂L/∂x = Wᵀ ∂L/∂h``, a bias as a sum;
- elementwise ops (one edge per element, same index): ``∂L/∂h ⊙ 1{h > 0}``;
- a reduction to one value: every element gets ``∂L/∂s`` times its local derivative.

The indices come from the names (``W[0,1]``, ``fc.out[2,0]``), so nothing here
knows about nn. Anything else gets no tensor formula (``None``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from viz.model.groups import parse_label

Index = tuple[int, ...]
# (a's index, b's index, partner's index) -> does the pattern hold for this edge?
Pattern = Callable[[Index, Index, Index], bool]

_MATMUL: list[tuple[Pattern, str]] = [
    # out[..., r] = Σ_c x[..., c] W[r, c]  (nn.Linear: out = x Wᵀ), gradient to W
    (
        lambda a, b, p: (
            len(a) == 2
            and len(b) >= 2
            and len(p) == len(b)
            and a == (b[-1], p[-1])
            and b[:-1] == p[:-1]
        ),
        "(∂L/∂{B})ᵀ {P}",
    ),
    (
        lambda a, b, p: len(a) == 2 and len(b) == 1 and len(p) == 1 and a == (b[0], p[0]),
        "∂L/∂{B} {P}ᵀ",
    ),
    # out[r, m] = Σ_c W[r, c] X[c, m], gradient to W and to X
    (
        lambda a, b, p: len(a) == len(b) == len(p) == 2 and a == (b[0], p[0]) and b[1] == p[1],
        "∂L/∂{B} {P}ᵀ",
    ),
    (
        lambda a, b, p: len(a) == len(b) == len(p) == 2 and a == (p[1], b[1]) and b[0] == p[0],
        "{P}ᵀ ∂L/∂{B}",
    ),
    # out[..., r] = Σ_c x[..., c] W[r, c], gradient to x
    (
        lambda a, b, p: (
            len(p) == 2 and len(a) == len(b) >= 2 and a[:-1] == b[:-1] and p == (b[-1], a[-1])
        ),
        "∂L/∂{B} {P}",
    ),
    (lambda a, b, p: len(p) == 2 and len(a) == len(b) == 1 and p == (b[0], a[0]), "{P}ᵀ ∂L/∂{B}"),
]


def _index(v: object) -> Index | None:
    return parse_label(getattr(v, "label", None)).index


def _partner(step: object) -> object | None:
    """The other factor of a ``dot`` input (None for its bias)."""
    parents = step.node.parents
    n = len(parents) // 2
    i = step.input_index
    if i < n:
        return parents[i + n]
    if i < 2 * n:
        return parents[i - n]
    return None


def _matmul(parts: Sequence, a_name: str, b_name: str, names: Callable) -> str | None:
    if any(s.node.op != "dot" for s in parts):
        return None
    if all(_partner(s) is None for s in parts):  # a bias: out[..., r] = ... + b[r]
        pairs = [(_index(s.parent), _index(s.node)) for s in parts]
        if all(a is not None and b is not None and a == b[-1:] for a, b in pairs):
            if all(len(b) == 1 for _, b in pairs):
                return f"∂L/∂{a_name} = ∂L/∂{b_name}"
            return f"∂L/∂{a_name} = ∂L/∂{b_name} summed over all but its last axis"
        return None
    partners = {names(_partner(s)) for s in parts if _partner(s) is not None}
    if len(partners) != 1:
        return None
    triples = [(_index(s.parent), _index(s.node), _index(_partner(s))) for s in parts]
    if any(x is None for t in triples for x in t):
        return None
    for holds, form in _MATMUL:
        if all(holds(*t) for t in triples):
            return f"∂L/∂{a_name} = " + form.format(B=b_name, P=partners.pop())
    return None


def tensor_rule(
    parts: Sequence,
    a_name: str,
    b_name: str,
    names: Callable,
    formula: str,
    b_size: int,
    root: str = "L",
) -> str | None:
    """The tensor formula of the gradient sent from box ``b_name`` to box ``a_name``.

    ``parts`` are the scalar steps of the box edge (:class:`viz.steps.Step`), ``names``
    gives a Value's box name, ``formula`` the registry formula written with box
    names when all edges share one, ``b_size`` the number of scalars in box B, ``root``
    the name of the output whose gradient flows.

    Example:
        >>> from autograd import Tensor
        >>> from viz.steps import backward_steps
        >>> W = Tensor([[1.0, 2.0], [3.0, 4.0]], label="W"); x = Tensor([5.0, 6.0], label="x")
        >>> h = (W @ x).name("h")
        >>> steps = backward_steps(h.sum())
        >>> box = lambda v: (v.label or "L").split("[")[0]
        >>> to_w = [s for s in steps if box(s.parent) == "W"]
        >>> tensor_rule(to_w, "W", "h", box, "x", 2)
        '∂L/∂W = ∂L/∂h xᵀ'
        >>> tensor_rule([s for s in steps if box(s.parent) == "x"], "x", "h", box, "W", 2)
        '∂L/∂x = Wᵀ ∂L/∂h'
    """
    rule = _elementwise(parts, a_name, b_name, names, formula, b_size)
    return None if rule is None else rule.replace("∂L/", f"∂{root}/")


def _elementwise(parts, a_name, b_name, names, formula, b_size) -> str | None:
    rule = _matmul(parts, a_name, b_name, names)
    if rule is not None:
        return rule
    senders = [id(s.node) for s in parts]
    receivers = [id(s.parent) for s in parts]
    one_to_one = len(set(senders)) == len(parts) == len(set(receivers)) == b_size
    same_index = all(_index(s.parent) == _index(s.node) for s in parts)
    if one_to_one and same_index and formula:
        return f"∂L/∂{a_name} = ∂L/∂{b_name}" + ("" if formula == "1" else f" ⊙ {formula}")
    if b_size == 1 and len(set(receivers)) == len(parts) and formula:
        each = "" if formula == "1" else f" · {formula}"
        return f"∂L/∂{a_name} = ∂L/∂{b_name}{each} for every element of {a_name}"
    return None
