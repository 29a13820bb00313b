"""A small transformer block (P15): attention, feed-forward, residuals, LayerNorm.

Post-norm, as in "Attention is all you need" (``norm_first=False``)::

    x = LN1(x + Attention(x))
    x = LN2(x + FeedForward(x))         FeedForward = Linear(d, d_ff), ReLU, Linear(d_ff, d)

or pre-norm (``norm_first=True``): ``x = x + Attention(LN1(x))``, ``x = x + FF(LN2(x))``.
Each piece can be switched off (``residual``, ``layer_norm``, ``feed_forward``),
so the bare one-head model of P8 (no feed-forward, no residual) and the
hand-designed model of P15 are the same class. With one head the attention is a
:class:`~nn.attention.SelfAttention` whose ``W_Q W_K W_V`` follow problems.md's
``Q = X W_Q`` layout, with ``W_V`` of shape (d_model, d_model) so the residual
fits; with several heads it is a :class:`~nn.attention.MultiHeadAttention`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensors import Tensor, as_tensor
from nn.activation import ReLU
from nn.attention import SelfAttention, causal_mask
from nn.layers import Linear, Sequential
from nn.module import Module
from nn.multihead import MultiHeadAttention
from nn.normalization import LayerNorm


class TransformerBlock(Module):
    """One transformer layer on (T, d_model) or (N, T, d_model) input.

    ``d_k`` (one head only) defaults to ``d_model``; ``d_ff`` defaults to
    ``4 d_model``; ``causal=True`` applies :func:`~nn.attention.causal_mask`;
    ``forward(x, mask=None)`` also takes an explicit boolean mask (True = may
    attend). The last attention weights are kept in ``attention_weights``.

    Example:
        >>> block = TransformerBlock(4, d_ff=8, causal=True)
        >>> y = block(Tensor(np.eye(3, 4)))
        >>> y.shape, [n for n, _ in block.named_parameters()][:3]
        ((3, 4), ['attention.W_Q', 'attention.W_K', 'attention.W_V'])
    """

    def __init__(
        self,
        d_model: int,
        num_heads: int = 1,
        d_k: int | None = None,
        d_ff: int | None = None,
        causal: bool = False,
        residual: bool = True,
        layer_norm: bool = True,
        feed_forward: bool = True,
        norm_first: bool = False,
        scale: float | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__()
        self.d_model, self.num_heads, self.causal = d_model, num_heads, causal
        self.residual, self.norm_first = residual, norm_first
        if num_heads == 1:
            self.attention = SelfAttention(d_model, d_k or d_model, d_model, scale=scale, rng=rng)
        else:
            if d_k is not None or scale is not None:
                raise ValueError("TransformerBlock: d_k and scale apply to one head only")
            self.attention = MultiHeadAttention(d_model, num_heads, batch_first=True, rng=rng)
        if layer_norm:
            self.norm1, self.norm2 = LayerNorm(d_model), LayerNorm(d_model)
        else:
            self.norm1 = self.norm2 = None
        d_ff = 4 * d_model if d_ff is None else d_ff
        self.feed_forward = (
            Sequential(Linear(d_model, d_ff, rng=rng), ReLU(), Linear(d_ff, d_model, rng=rng))
            if feed_forward
            else None
        )
        self.attention_weights: Tensor | None = None

    def _attend(self, x: Tensor, mask: Any) -> Tensor:
        if isinstance(self.attention, SelfAttention):
            out = self.attention(x, mask=mask)
            self.attention_weights = self.attention.weights
            return out
        out, self.attention_weights = self.attention(x, mask=mask)
        return out

    def _sublayer(self, x: Tensor, norm: Module | None, f: Any, n: int) -> Tensor:
        # the residual sum is the block's own: block.residual1, block.residual2
        if self.norm_first:
            y = f(norm(x) if norm is not None else x)
            return self._named(x + y, "block", f"residual{n}") if self.residual else y
        y = f(x)
        y = self._named(x + y, "block", f"residual{n}") if self.residual else y
        return norm(y) if norm is not None else y

    def forward(self, x: Any, mask: Any = None) -> Tensor:
        x = as_tensor(x)
        self._check(x.shape)
        if mask is None and self.causal:
            mask = causal_mask(x.shape[-2])
        x = self._sublayer(x, self.norm1, lambda t: self._attend(t, mask), 1)  # (T, d_model)
        if self.feed_forward is not None:
            x = self._sublayer(x, self.norm2, self.feed_forward, 2)  # (T, d_model)
        return self._named(x, "block")

    def _check(self, shape: tuple) -> None:
        self._expect_shape(
            shape, (2, 3), self.d_model, "d_model", "(T, d_model) or (N, T, d_model)"
        )

    def output_shape(self, input_shape: tuple) -> tuple:
        """The input shape: every sublayer maps (T, d_model) to (T, d_model).

        Example:
            >>> TransformerBlock(4, d_ff=8).output_shape((None, 3, 4))
            (None, 3, 4)
        """
        self._check(input_shape)
        return tuple(input_shape)

    def summary_name(self) -> str:
        """``TransformerBlock(d_model, heads=h)``.

        Example:
            >>> TransformerBlock(4, num_heads=2).summary_name()
            'TransformerBlock(4, heads=2)'
        """
        return f"TransformerBlock({self.d_model}, heads={self.num_heads})"

    def extra_repr(self) -> str:
        return (
            f"d_model={self.d_model}, num_heads={self.num_heads}, causal={self.causal}, "
            f"residual={self.residual}, norm_first={self.norm_first}"
        )


__all__ = ["TransformerBlock"]
