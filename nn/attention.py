"""Attention: scores, masks, softmax weights and weighted values, one node per step.

Conventions (problems.md): rows are queries, ``softmax(Q K^T * scale) V`` with
``scale = 1/sqrt(d_k)`` by default, and ``Q = X W_Q`` with ``W_Q`` of shape
(d_model, d_k). Boolean masks use PyTorch's ``scaled_dot_product_attention``
convention: True means "may attend".

Graph shape of :func:`scaled_dot_product_attention`, per query row i:

- the query is scaled once, ``q_i * scale`` (skipped when scale is 1);
- each *evaluated* score is one ``dot`` node labelled ``score[i,j]`` (with the
  batch index first when batched, ``score[n,i,j]``), plus the additive bias
  ``b_ij`` folded into the same node when ``bias=`` is given;
- a masked pair (i, j) is never scored: its weight is a constant 0 leaf, which
  is what ``-inf`` before the softmax would give, and its value gets no edge,
  so masked positions have exactly zero weight and zero gradient;
- the softmax is ``exp(s - max) / Σ exp(s - max)`` over the allowed keys only;
- each output element is one ``dot`` node over the allowed weights and values.

So the number of score evaluations (P22) is :func:`count_scores` of the
output: ``T^2`` for full attention and :func:`local_score_count` for a local
window.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import ops
from autograd.graph import topological_order
from autograd.mode import note_derived
from autograd.tensors import Tensor, as_tensor
from autograd.value import Value, apply, apply1, apply2, as_value
from nn import init
from nn.module import Module, Parameter

SCORE_PREFIX = "score["


# ---------------------------------------------------------------------- masks
def causal_mask(T: int) -> np.ndarray:
    """A (T, T) boolean mask: query i may attend to keys j <= i.

    Example:
        >>> causal_mask(3).astype(int).tolist()
        [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
    """
    _check_length(T, "causal_mask")
    return np.tril(np.ones((T, T), dtype=bool))


def local_mask(T: int, k: int) -> np.ndarray:
    """A (T, T) boolean mask: query i may attend to keys with ``|i - j| <= k`` (P22).

    Example:
        >>> local_mask(4, 1).astype(int).tolist()
        [[1, 1, 0, 0], [1, 1, 1, 0], [0, 1, 1, 1], [0, 0, 1, 1]]
    """
    _check_length(T, "local_mask")
    if not isinstance(k, (int, np.integer)) or k < 0:
        raise ValueError(f"local_mask: window half-width k must be an int >= 0, got {k!r}")
    index = np.arange(T)
    return np.abs(index[:, None] - index[None, :]) <= k


def local_score_count(T: int, k: int) -> int:
    """Exact number of pairs with ``|i - j| <= k`` among T positions, boundaries included.

    It is ``T (2k + 1) - k (k + 1)`` when ``k < T``: each of the two ends loses
    ``1 + 2 + ... + k`` pairs.

    Example:
        >>> local_score_count(10, 2), 10 * (2 * 2 + 1)
        (44, 50)
    """
    _check_length(T, "local_score_count")
    k = min(int(k), T - 1)
    return T * (2 * k + 1) - k * (k + 1)


def count_scores(roots: Tensor | Value | list) -> int:
    """How many score nodes (labels starting ``score[``) the graph below ``roots`` holds.

    Example:
        >>> x = Tensor(np.ones((5, 2)))
        >>> out, _ = scaled_dot_product_attention(x, x, x, mask=local_mask(5, 1))
        >>> count_scores(out), local_score_count(5, 1)
        (13, 13)
    """
    if isinstance(roots, Tensor):
        roots = list(roots.values.flat)
    return sum(1 for v in topological_order(roots) if _is_score(v.label))


def _is_score(label: str | None) -> bool:
    """``score[i,j]``, or a layer's ``attn.score[i,j]``."""
    return label is not None and (label.startswith(SCORE_PREFIX) or f".{SCORE_PREFIX}" in label)


def _check_length(T: Any, where: str) -> None:
    if not isinstance(T, (int, np.integer)) or T < 1:
        raise ValueError(f"{where}: sequence length T must be an int >= 1, got {T!r}")


# ---------------------------------------------------------- relative position
def relative_position_bias(table: Any, T_q: int, T_k: int | None = None) -> Tensor:
    """The (T_q, T_k) matrix ``B[i, j] = pi_{i-j}`` read from a table of ``pi`` values.

    ``table`` holds ``pi_d`` for ``d = -(T_k - 1) .. T_q - 1`` in that order
    (length ``T_q + T_k - 1``), so ``pi_0`` sits at index ``T_k - 1``. No nodes
    are made: each entry is the table's own Value, so its gradient collects
    every (i, j) with that offset. Pass the result as ``bias=`` to
    :func:`scaled_dot_product_attention` (P14).

    Example:
        >>> pi = Tensor([-2.0, -1.0, 0.0, 1.0, 2.0], label="pi")  # d = -2..2
        >>> relative_position_bias(pi, 3).data.tolist()
        [[0.0, -1.0, -2.0], [1.0, 0.0, -1.0], [2.0, 1.0, 0.0]]
    """
    T_k = T_q if T_k is None else T_k
    table = as_tensor(table)
    if table.ndim != 1 or table.shape[0] != T_q + T_k - 1:
        raise ValueError(
            f"relative_position_bias: table must have shape ({T_q + T_k - 1},) for "
            f"T_q={T_q}, T_k={T_k} (offsets {-(T_k - 1)}..{T_q - 1}), got {table.shape}"
        )
    offsets = np.arange(T_q)[:, None] - np.arange(T_k)[None, :] + (T_k - 1)
    return Tensor.wrap(table.values[offsets])


# ----------------------------------------------------------------- attention
def _shapes(name: str, q: Tensor, k: Tensor, v: Tensor) -> tuple[int, ...]:
    """Check ranks and sizes; return the broadcast batch shape."""
    if q.ndim < 1 or k.ndim < 2 or v.ndim < 2:
        raise ValueError(
            f"{name}: need q of shape (..., T_q, d_k) or (d_k,), k of shape (..., T_k, d_k) and "
            f"v of shape (..., T_k, d_v); got q {q.shape}, k {k.shape}, v {v.shape}"
        )
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(
            f"{name}: queries and keys need the same last size d_k, got q {q.shape} and k {k.shape}"
        )
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(
            f"{name}: keys and values need the same number of rows T_k, "
            f"got k {k.shape} and v {v.shape}"
        )
    try:
        return np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    except ValueError:
        raise ValueError(
            f"{name}: batch shapes of q {q.shape}, k {k.shape}, v {v.shape} do not broadcast"
        ) from None


def _broadcast_extra(name: str, what: str, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    if x.ndim < 2 or x.shape[-2:] != shape[-2:]:
        raise ValueError(
            f"{name}: {what} of shape {x.shape} does not match the scores' shape "
            f"(T_q, T_k) = {shape[-2:]}"
        )
    try:
        return np.broadcast_to(x, shape)
    except ValueError:
        raise ValueError(
            f"{name}: {what} of shape {x.shape} does not broadcast to the scores' shape {shape}"
        ) from None


def _as_mask(name: str, mask: Any, shape: tuple[int, ...]) -> np.ndarray:
    m = np.asarray(mask)
    if m.dtype != bool:
        raise TypeError(
            f"{name}: mask must be boolean (True = may attend), got dtype {m.dtype}; "
            "pass an additive float matrix as bias= instead"
        )
    return _broadcast_extra(name, "mask", m, shape)


def _softmax_row(scores: list[Value], row: str = "", prefix: str = "") -> list[Value]:
    """exp(s - max) / Σ exp(s - max); the max is a constant, so nothing overflows.

    The constant is the leaf ``rowmax[row]`` (``attn.rowmax[row]`` with a prefix), so a
    drawing says what it is.
    """
    top = max(s.data for s in scores)
    top = Value(top if math.isfinite(top) else 0.0, label=f"{prefix}rowmax[{row}]")
    note_derived(top, ops.ROW_MAX, scores)  # compile replays it from this call's scores
    exps = [apply1(ops.EXP, apply2(ops.SUB, s, top)) for s in scores]
    total = apply(ops.SUM, tuple(exps)) if len(exps) > 1 else exps[0]
    return [apply2(ops.DIV, e, total) for e in exps]


def scaled_dot_product_attention(
    q: Any,
    k: Any,
    v: Any,
    mask: Any = None,
    scale: float | None = None,
    bias: Any = None,
    prefix: str = "",
) -> tuple[Tensor, Tensor]:
    """``softmax(Q K^T * scale + bias) V`` with rows as queries; returns ``(output, weights)``.

    Shapes: q (..., T_q, d_k) or a single query (d_k,); k (..., T_k, d_k);
    v (..., T_k, d_v); output (..., T_q, d_v); weights (..., T_q, T_k).
    ``scale`` defaults to ``1/sqrt(d_k)``. ``mask`` is boolean, True = may
    attend, broadcast to (..., T_q, T_k); masked pairs are never scored (see
    the module docstring). A query row whose mask allows no key raises
    ValueError (its softmax would be 0/0). ``bias`` is an additive score
    matrix, e.g. :func:`relative_position_bias`. ``prefix`` goes before the names of the
    scores and row maxima (a layer passes ``"attn."``: ``attn.score[i,j]``).

    Example (P1, unscaled):
        >>> X = Tensor([[0.0, 1.0], [-1.0, 1.0]])
        >>> s2 = math.sqrt(2)
        >>> q = X @ Tensor([[2 * s2], [s2]]); k = X @ Tensor([[-2.0], [-1.0]])
        >>> v = X @ Tensor([[-0.1], [0.3]])
        >>> y, w = scaled_dot_product_attention(q, k, v, scale=1.0)
        >>> np.round(y.data[:, 0], 4).tolist(), np.round(w.data, 3).tolist()
        ([0.3944, 0.3056], [[0.056, 0.944], [0.944, 0.056]])
    """
    name = "scaled_dot_product_attention"
    q, k, v = as_tensor(q), as_tensor(k), as_tensor(v)
    single = q.ndim == 1
    if single:
        q = q.unsqueeze(0)
    batch = _shapes(name, q, k, v)
    T_q, T_k, d_k = q.shape[-2], k.shape[-2], q.shape[-1]
    score_shape = batch + (T_q, T_k)
    scale = 1.0 / math.sqrt(d_k) if scale is None else float(scale)
    if scale != 1.0:
        q = q * scale  # (..., T_q, d_k): T_q d_k nodes instead of T_q T_k
    allowed = None if mask is None else _as_mask(name, mask, score_shape)
    biases = None
    if bias is not None:
        biases = _broadcast_extra(name, "bias", as_tensor(bias).values, score_shape)
    qs = np.broadcast_to(q.values, batch + q.shape[-2:])
    ks = np.broadcast_to(k.values, batch + k.shape[-2:])
    vs = np.broadcast_to(v.values, batch + v.shape[-2:])
    out = np.empty(batch + (T_q, v.shape[-1]), dtype=object)
    weights = np.empty(score_shape, dtype=object)
    zero = as_value(0.0)  # the weight of every masked pair
    for b in np.ndindex(batch):
        key_rows = [tuple(r) for r in ks[b]]
        value_cols = [tuple(c) for c in vs[b].T]
        batch_index = "".join(f"{i}," for i in b)
        for i, query in enumerate(qs[b]):
            query = tuple(query)
            js = range(T_k) if allowed is None else np.flatnonzero(allowed[b + (i,)]).tolist()
            if not js:
                raise ValueError(
                    f"{name}: the mask lets query row {b + (i,)} attend to no key; a fully "
                    "masked row has no softmax (it would be nan); allow at least one key per row"
                )
            scores = []
            for j in js:
                parents = query + key_rows[j]
                if biases is not None:
                    parents += (as_value(biases[b + (i, j)]),)
                s = apply(ops.DOT, parents)
                s.label = f"{prefix}{SCORE_PREFIX}{batch_index}{i},{j}]"
                scores.append(s)
            row = _softmax_row(scores, f"{batch_index}{i}", prefix)
            weights[b + (i,)] = zero
            for j, w in zip(js, row):
                weights[b + (i, j)] = w
            row = tuple(row)
            full = len(js) == T_k
            for c, column in enumerate(value_cols):
                picked = column if full else tuple(column[j] for j in js)
                out[b + (i, c)] = apply(ops.DOT, row + picked)
    output, weights = Tensor.wrap(out), Tensor.wrap(weights)
    if single:
        output, weights = output.squeeze(-2), weights.squeeze(-2)
    return output, weights


def argmax_attention(q: Any, k: Any, v: Any) -> tuple[Tensor, Tensor]:
    """Hard attention (P13): each query returns the value row of its highest score.

    Returns ``(output, weights)``. The output's elements *are* the chosen
    value's Values (no new nodes), so backward gives the chosen value the
    upstream gradient and the queries and keys exactly zero: argmax is
    piecewise constant. ``weights`` is a one-hot Tensor of constants. Ties
    pick the first maximum. Shapes as in :func:`scaled_dot_product_attention`.

    Example (P13):
        >>> keys = Tensor([[1, 2, 0], [0, 3, 4], [5, 0, 0], [0, 0, 1]])
        >>> values = Tensor([[2, 0, 1], [1, 4, 3], [0, -1, 4], [1, 0, -1]])
        >>> out, w = argmax_attention(Tensor([1, 1, 2]), keys, values)
        >>> out.data.tolist(), w.data.tolist()
        ([1.0, 4.0, 3.0], [0.0, 1.0, 0.0, 0.0])
    """
    q, k, v = as_tensor(q), as_tensor(k), as_tensor(v)
    single = q.ndim == 1
    if single:
        q = q.unsqueeze(0)
    batch = _shapes("argmax_attention", q, k, v)
    scores = np.matmul(q.data, np.swapaxes(k.data, -1, -2))  # plain floats: no graph
    chosen = np.broadcast_to(np.argmax(scores, axis=-1), batch + (q.shape[-2],))
    vs = np.broadcast_to(v.values, batch + v.shape[-2:])
    out = np.empty(batch + (q.shape[-2], v.shape[-1]), dtype=object)
    for index in np.ndindex(chosen.shape):
        out[index] = vs[index[:-1] + (chosen[index],)]
    onehot = (np.arange(k.shape[-2]) == chosen[..., None]).astype(float)
    output, weights = Tensor.wrap(out), Tensor(onehot)
    if single:
        output, weights = output.squeeze(-2), weights.squeeze(-2)
    return output, weights


# ------------------------------------------------------------------- modules
class SelfAttention(Module):
    """One head: ``Q = X W_Q``, ``K = X W_K``, ``V = X W_V``, ``softmax(Q K^T * scale) V``.

    ``W_Q``, ``W_K`` are (d_model, d_k) and ``W_V`` is (d_model, d_v) (``d_v``
    defaults to ``d_k``): the convention of problems.md, so the homework's
    matrices load directly with ``load_state_dict({"W_Q": ..., ...})``. ``scale``
    defaults to ``1/sqrt(d_k)``; ``scale=1.0`` is unscaled attention. Input
    (T, d_model) or (N, T, d_model); returns the output (T, d_v) and keeps the
    last ``weights``, ``queries``, ``keys`` and ``values`` for inspection.

    Example (P1, scaled by 1/sqrt(2)):
        >>> s2 = math.sqrt(2)
        >>> att = SelfAttention(2, 1, scale=1 / s2)
        >>> _ = att.load_state_dict({"W_Q": [[2 * s2], [s2]], "W_K": [[-2.0], [-1.0]],
        ...                          "W_V": [[-0.1], [0.3]]})
        >>> y = att(Tensor([[0.0, 1.0], [-1.0, 1.0]]))
        >>> np.round(y.data[:, 0], 3).tolist(), np.round(att.weights.data[0], 2).tolist()
        ([0.388, 0.312], [0.12, 0.88])
    """

    kind_name = "attn"  # alone, its parameters sit with what it computes: attn.W_Q, attn.Q

    def __init__(
        self,
        d_model: int,
        d_k: int,
        d_v: int | None = None,
        scale: float | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        d_v = d_k if d_v is None else d_v
        self.d_model, self.d_k, self.d_v, self.scale = d_model, d_k, d_v, scale
        bound = init.fan_in_bound(d_model)
        self.W_Q = Parameter(init.uniform((d_model, d_k), bound, rng))
        self.W_K = Parameter(init.uniform((d_model, d_k), bound, rng))
        self.W_V = Parameter(init.uniform((d_model, d_v), bound, rng))
        self.weights = self.queries = self.keys = self.values = None

    def forward(self, x: Any, mask: Any = None, bias: Any = None) -> Tensor:
        x = as_tensor(x)
        self._check(x.shape)
        self.queries = self._named(x @ self.W_Q, "attn", "Q")  # (T, d_k)
        self.keys = self._named(x @ self.W_K, "attn", "K")  # (T, d_k)
        self.values = self._named(x @ self.W_V, "attn", "V")  # (T, d_v)
        out, self.weights = scaled_dot_product_attention(
            self.queries,
            self.keys,
            self.values,
            mask=mask,
            scale=self.scale,
            bias=bias,
            prefix=self._path("attn") + ".",  # attn.score, attn.rowmax: inside the layer
        )
        self._named(self.weights, "attn", "A")  # (T, T): row i says where query i looks
        return self._named(out, "attn")  # (T, d_v)

    def _check(self, shape: tuple) -> None:
        self._expect_shape(
            shape, (2, 3), self.d_model, "d_model", "(T, d_model) or (N, T, d_model)"
        )

    def output_shape(self, input_shape: tuple) -> tuple:
        """(T, d_v) or (N, T, d_v): the output, one row per query.

        Example:
            >>> SelfAttention(4, 2, d_v=3).output_shape((None, 5, 4))
            (None, 5, 3)
        """
        self._check(input_shape)
        return tuple(input_shape)[:-1] + (self.d_v,)

    def summary_name(self) -> str:
        """``SelfAttention(d_model, d_k, d_v)``.

        Example:
            >>> SelfAttention(4, 2).summary_name()
            'SelfAttention(4, 2, 2)'
        """
        return f"SelfAttention({self.d_model}, {self.d_k}, {self.d_v})"

    def extra_repr(self) -> str:
        scale = "1/sqrt(d_k)" if self.scale is None else f"{self.scale:g}"
        return f"d_model={self.d_model}, d_k={self.d_k}, d_v={self.d_v}, scale={scale}"
