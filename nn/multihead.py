"""``MultiHeadAttention``: several heads in parallel, with PyTorch's parameters and options.

Parameters are PyTorch's, so a ``torch.nn.MultiheadAttention`` state dict loads
unchanged: ``in_proj_weight`` (3E, E) and ``in_proj_bias`` (3E,), or, when the
keys or values have other sizes (``kdim``/``vdim``), ``q_proj_weight`` (E, E),
``k_proj_weight`` (E, kdim) and ``v_proj_weight`` (E, vdim); then ``out_proj``,
a Linear(E, E). Each head is :func:`~nn.attention.scaled_dot_product_attention`
on its slice of the projections.

Masks, combined: a pair (query i, key j) is scored only if every mask allows it.
- ``mask``: chalkgrad's boolean convention, True = may attend (as
  ``torch.nn.functional.scaled_dot_product_attention``);
- ``attn_mask`` and ``key_padding_mask``: PyTorch's ``nn.MultiheadAttention``
  convention, True = blocked (a padded key); a float mask is added to the scores;
- ``is_causal=True``: query i sees keys j <= i.
A query whose masks block every key raises ValueError (PyTorch returns nan).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.functional import linear
from autograd.tensors import Tensor, as_tensor
from nn import init
from nn.attention import scaled_dot_product_attention
from nn.layers import Linear
from nn.module import Module, Parameter
from nn.options import TORCH_COMMON, check_int, reject_options

MHA_TORCH_DEFAULTS = {"dropout": 0.0, "add_bias_kv": False, "add_zero_attn": False, **TORCH_COMMON}


class MultiHeadAttention(Module):
    """Several heads in parallel, like ``torch.nn.MultiheadAttention`` (same arguments).

    PyTorch's layout is ``x W^T``: in the ``Q = X W_Q`` convention of
    problems.md, head h has ``W_Q = in_proj_weight[:E].T[:, h*d:(h+1)*d]``
    with d = E / num_heads (likewise ``[E:2E]`` for K and ``[2E:]`` for V).

    ``forward(query, key=None, value=None, key_padding_mask=None, need_weights=True,
    attn_mask=None, average_attn_weights=True, is_causal=False, *, mask=None)``
    (key and value default to query: self-attention) returns ``(output, weights)``;
    weights are averaged over heads unless ``average_attn_weights=False``. Shapes
    follow PyTorch: (L, E), or (L, N, E) ((N, L, E) with ``batch_first``). See the
    module docstring for the three mask conventions.

    Example:
        >>> from nn.attention import causal_mask
        >>> mha = MultiHeadAttention(4, num_heads=2)
        >>> out, w = mha(Tensor(np.ones((3, 4))), mask=causal_mask(3))
        >>> out.shape, w.shape, np.round(w.data[0], 3).tolist()
        ((3, 4), (3, 3), [1.0, 0.0, 0.0])
        >>> out, w = mha(Tensor(np.ones((3, 4))), is_causal=True, key_padding_mask=[False, True, False])
        >>> np.round(w.data[2], 3).tolist()
        [0.5, 0.0, 0.5]
    """

    kind_name = "attn"  # alone, its parameters sit with what it computes: attn.W_Q, attn.Q

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        add_bias_kv: bool = False,
        add_zero_attn: bool = False,
        kdim: int | None = None,
        vdim: int | None = None,
        batch_first: bool = False,
        rng: np.random.Generator | None = None,
        **options: Any,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        reject_options(
            name,
            {
                "dropout": dropout,
                "add_bias_kv": add_bias_kv,
                "add_zero_attn": add_zero_attn,
                **options,
            },
            MHA_TORCH_DEFAULTS,
        )
        E = self.embed_dim = check_int(name, "embed_dim", embed_dim, 1)
        self.num_heads = check_int(name, "num_heads", num_heads, 1)
        if embed_dim % num_heads:
            raise ValueError(
                f"{name}: embed_dim {embed_dim} must be divisible by num_heads {num_heads}"
            )
        self.kdim = E if kdim is None else check_int(name, "kdim", kdim, 1)
        self.vdim = E if vdim is None else check_int(name, "vdim", vdim, 1)
        self.batch_first, self.head_dim = batch_first, E // num_heads
        if self.kdim == E and self.vdim == E:
            bound = math.sqrt(6.0 / (4 * E))  # xavier-uniform over (3E, E) as PyTorch
            self.in_proj_weight = Parameter(init.uniform((3 * E, E), bound, rng))
        else:
            for part, size in (("q", E), ("k", self.kdim), ("v", self.vdim)):
                bound = math.sqrt(6.0 / (E + size))
                setattr(self, f"{part}_proj_weight", Parameter(init.uniform((E, size), bound, rng)))
            self.register_parameter("in_proj_weight", None)
        self.register_parameter("in_proj_bias", Parameter(np.zeros(3 * E)) if bias else None)
        self.out_proj = Linear(E, E, bias=bias, rng=rng)

    def _check(self, shape: tuple, what: str, size: int) -> None:
        self._expect_shape(
            shape,
            (2, 3),
            size,
            "E" if what == "query" else f"{what[0]}dim",
            "(L, E) or (L, N, E)",
            what,
        )

    def output_shape(self, input_shape: tuple) -> tuple:
        """The attention output's shape, which is the query's: (L, E), (L, N, E) or (N, L, E).

        Example:
            >>> MultiHeadAttention(4, num_heads=2).output_shape((5, None, 4))
            (5, None, 4)
        """
        self._check(input_shape, "query", self.embed_dim)
        return tuple(input_shape)

    def summary_name(self) -> str:
        """``MultiHeadAttention(E, heads=h)``.

        Example:
            >>> MultiHeadAttention(4, num_heads=2).summary_name()
            'MultiHeadAttention(4, heads=2)'
        """
        return f"MultiHeadAttention({self.embed_dim}, heads={self.num_heads})"

    def _heads(self, x: Tensor, part: int) -> Tensor:
        """Project with the q, k or v weights and split into (..., heads, L, head_dim)."""
        E = self.embed_dim
        if self.in_proj_weight is not None:
            weight = self.in_proj_weight[part * E : (part + 1) * E]
        else:
            weight = getattr(self, "qkv"[part] + "_proj_weight")
        bias = None if self.in_proj_bias is None else self.in_proj_bias[part * E : (part + 1) * E]
        projected = linear(x, weight, bias)  # (..., L, E)
        split = projected.reshape(projected.shape[:-1] + (self.num_heads, self.head_dim))
        return split.transpose(
            *range(split.ndim - 3), split.ndim - 2, split.ndim - 3, split.ndim - 1
        )

    def _masks(
        self,
        batch: tuple,
        L: int,
        S: int,
        mask: Any,
        attn_mask: Any,
        key_padding_mask: Any,
        is_causal: bool,
    ) -> tuple[np.ndarray | None, Tensor | None]:
        """One boolean ``allowed`` and one additive float bias, shape batch + (heads, L, S)."""
        shape = batch + (self.num_heads, L, S)
        allowed, bias = np.ones(shape, dtype=bool), np.zeros(shape)
        if mask is not None:
            allowed &= _broadcast("mask", mask, shape, bool)
        if attn_mask is not None:
            a = _as_array("attn_mask", attn_mask)
            heads = (batch[0] if batch else 1) * self.num_heads
            if a.shape not in ((L, S), (heads, L, S)):  # PyTorch's two layouts, nothing else
                raise ValueError(
                    f"MultiHeadAttention: attn_mask must have shape (L, S) = {(L, S)} or "
                    f"(N * num_heads, L, S) = {(heads, L, S)}, received {a.shape}"
                )
            if a.ndim == 3:
                a = a.reshape(shape)  # PyTorch's (N * heads, L, S)
            a = _broadcast("attn_mask", a, shape)
            if a.dtype == bool:
                allowed &= ~a
            else:
                bias += a
        if key_padding_mask is not None:
            k = _as_array("key_padding_mask", key_padding_mask)
            if k.shape != batch + (S,):
                raise ValueError(
                    f"MultiHeadAttention: key_padding_mask must have shape {batch + (S,)} "
                    f"(batch, source length), received {k.shape}"
                )
            k = k[..., None, None, :]  # (..., 1, 1, S)
            if k.dtype == bool:
                allowed &= ~k
            else:
                bias = bias + k
        if is_causal:
            allowed &= np.tril(np.ones((L, S), dtype=bool))
        return (None if allowed.all() else allowed), (Tensor(bias) if bias.any() else None)

    def forward(
        self,
        query: Any,
        key: Any = None,
        value: Any = None,
        key_padding_mask: Any = None,
        need_weights: bool = True,
        attn_mask: Any = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
        *,
        mask: Any = None,
    ) -> tuple[Tensor, Tensor | None]:
        query = as_tensor(query)
        key = query if key is None else as_tensor(key)
        value = key if value is None else as_tensor(value)
        for x, what, size in (
            (query, "query", self.embed_dim),
            (key, "key", self.kdim),
            (value, "value", self.vdim),
        ):
            self._check(x.shape, what, size)
        _same_layout(query, key, value, self.batch_first)
        batched = query.ndim == 3
        if batched and not self.batch_first:  # work in (N, L, E)
            query, key, value = (t.transpose(0, 1) for t in (query, key, value))
        batch, L, S = query.shape[:-2], query.shape[-2], key.shape[-2]
        allowed, bias = self._masks(batch, L, S, mask, attn_mask, key_padding_mask, is_causal)
        q, k, v = (
            self._heads(t, part) for part, t in enumerate((query, key, value))
        )  # (..., H, L, d)
        out, weights = self._each_head(q, k, v, allowed, bias)  # (..., H, L, d), (..., H, L, S)
        out = out.transpose(*range(out.ndim - 3), out.ndim - 2, out.ndim - 3, out.ndim - 1)
        out = self.out_proj(out.reshape(out.shape[:-2] + (self.embed_dim,)))  # (..., L, E)
        if batched and not self.batch_first:
            out = out.transpose(0, 1)
        if not need_weights:
            return out, None
        if average_attn_weights:
            weights = weights.mean(axis=-3)
        return out, weights

    def _each_head(
        self, q: Tensor, k: Tensor, v: Tensor, allowed: Any, bias: Tensor | None
    ) -> tuple[Tensor, Tensor]:
        """Attention head by head, each named ``attn.head0.Q``, ``attn.head0.score``, ... ."""
        outs, weights = [], []
        for h in range(self.num_heads):
            name = f"{self._path('attn')}.head{h}."
            qh, kh, vh = (
                Tensor.wrap(t.values[..., h, :, :]).name_new(name + what)
                for t, what in ((q, "Q"), (k, "K"), (v, "V"))
            )  # (..., L, d)
            out, weight = scaled_dot_product_attention(
                qh,
                kh,
                vh,
                mask=None if allowed is None else allowed[..., h, :, :],
                bias=None if bias is None else Tensor.wrap(bias.values[..., h, :, :]),
                prefix=name,
            )
            outs.append(out.name_new(name + "out").values)
            weights.append(weight.name_new(name + "A").values)
        return Tensor.wrap(np.stack(outs, axis=-3)), Tensor.wrap(np.stack(weights, axis=-3))

    def extra_repr(self) -> str:
        text = f"embed_dim={self.embed_dim}, num_heads={self.num_heads}"
        if self.in_proj_weight is None:
            text += f", kdim={self.kdim}, vdim={self.vdim}"
        return text


MultiheadAttention = MultiHeadAttention  # PyTorch's spelling


def _same_layout(query: Tensor, key: Tensor, value: Tensor, batch_first: bool) -> None:
    """PyTorch's rule: all three unbatched (L, E) or all batched, one batch size; S shared."""
    shapes = f"query {query.shape}, key {key.shape}, value {value.shape}"
    if not query.ndim == key.ndim == value.ndim:
        raise ValueError(
            "MultiHeadAttention: query, key and value must be all unbatched (L, E) or all "
            f"batched ({'N, L, E' if batch_first else 'L, N, E'}), received {shapes}"
        )
    batched = query.ndim == 3
    axis = 0 if batch_first else 1
    if batched and not query.shape[axis] == key.shape[axis] == value.shape[axis]:
        raise ValueError(
            f"MultiHeadAttention: query, key and value need the same batch size N (axis "
            f"{axis}), received {shapes}"
        )
    seq = (1 - axis) if batched else 0
    if key.shape[seq] != value.shape[seq]:
        raise ValueError(
            f"MultiHeadAttention: key and value need the same source length S (axis {seq}), "
            f"received {shapes}"
        )


def _as_array(what: str, value: Any) -> np.ndarray:
    if isinstance(value, Tensor):
        return value.data
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # a torch.Tensor
        value = value.detach().cpu().numpy()
    array = np.asarray(value)
    if array.dtype != bool and array.dtype.kind != "f":
        raise TypeError(
            f"MultiHeadAttention: {what} must be boolean (a mask) or float (added to the "
            f"scores), got dtype {array.dtype}; integer 0/1 masks are ambiguous, as in PyTorch"
        )
    return array if array.dtype == bool else array.astype(float)


def _broadcast(what: str, value: Any, shape: tuple, dtype: type | None = None) -> np.ndarray:
    array = _as_array(what, value)
    if dtype is bool and array.dtype != bool:
        raise TypeError(
            f"MultiHeadAttention: {what} must be boolean (True = may attend), got dtype "
            f"{array.dtype}; pass a float mask as attn_mask= instead"
        )
    try:
        return np.broadcast_to(array, shape)
    except ValueError:
        raise ValueError(
            f"MultiHeadAttention: {what} of shape {array.shape} does not broadcast to the "
            f"scores' shape {shape} (batch, heads, L, S)"
        ) from None


__all__ = ["MultiHeadAttention", "MultiheadAttention"]
