"""Positional encodings: sinusoidal or learned, added or concatenated (P14), and relative bias.

Self-attention is permutation equivariant (P1); positions break the symmetry.
With ``q = k = z`` the score of an *added* encoding ``z = x + p`` expands to
``x_i·x_j + x_i·p_j + p_i·x_j + p_i·p_j`` (cross terms), while a *concatenated*
one ``z = [x, p]`` gives ``x_i·x_j + p_i·p_j``. When ``p_i·p_j`` depends only on
``i - j`` (sinusoids do), that term is a relative-position bias ``pi_{i-j}``
added to the scores: :func:`relative_bias_table` finds it and
:class:`RelativePositionBias` learns one.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.functional import concat
from autograd.tensors import Tensor, as_tensor
from nn import init
from nn.attention import relative_position_bias
from nn.module import Module, Parameter

MODES = ("add", "concat")


def sinusoidal_encoding(T: int, dim: int, base: float = 10000.0) -> np.ndarray:
    """The (T, dim) table ``P[t, 2i] = sin(t w_i)``, ``P[t, 2i+1] = cos(t w_i)``, ``w_i = base^(-2i/dim)``.

    Positions count from 0, as in "Attention is all you need".

    Example:
        >>> np.round(sinusoidal_encoding(2, 4), 4).tolist()
        [[0.0, 1.0, 0.0, 1.0], [0.8415, 0.5403, 0.01, 1.0]]
    """
    if T < 1 or dim < 1:
        raise ValueError(f"sinusoidal_encoding: need T >= 1 and dim >= 1, got T={T}, dim={dim}")
    frequencies = base ** (-(np.arange(0, dim, 2)) / dim)  # (ceil(dim/2),)
    angles = np.arange(T)[:, None] * frequencies[None, :]  # (T, ceil(dim/2))
    table = np.empty((T, dim))
    table[:, 0::2] = np.sin(angles)
    table[:, 1::2] = np.cos(angles[:, : dim // 2])
    return table


def encode_positions(x: Any, positions: Any, mode: str = "add") -> Tensor:
    """``x + P`` (``mode="add"``) or ``[x, P]`` along the last axis (``"concat"``).

    ``positions`` is (T, d_pos), broadcast over a leading batch axis of ``x``.
    Concatenation makes no nodes (it places the Values side by side).

    Example (P1: the positions turn X into the swapped input):
        >>> X = Tensor([[0.0, 1.0], [-1.0, 1.0]])
        >>> encode_positions(X, [[-1.0, 0.0], [1.0, 0.0]]).data.tolist()
        [[-1.0, 1.0], [0.0, 1.0]]
        >>> encode_positions(X, [[0.0], [1.0]], mode="concat").shape
        (2, 3)
    """
    x, p = as_tensor(x), as_tensor(positions)
    if mode not in MODES:
        raise ValueError(f"encode_positions: mode must be one of {MODES}, got {mode!r}")
    if x.ndim not in (2, 3) or p.ndim != 2 or p.shape[0] != x.shape[-2]:
        raise ValueError(
            f"encode_positions: need x of shape (T, d) or (N, T, d) and positions of shape "
            f"(T, d_pos) with the same T, got x {x.shape} and positions {p.shape}"
        )
    if mode == "add":
        if p.shape[1] != x.shape[-1]:
            raise ValueError(
                f"encode_positions: adding needs positions of shape {x.shape[-2:]}, got {p.shape}"
            )
        return x + p
    if x.ndim == 3:
        p = Tensor.wrap(np.broadcast_to(p.values, (x.shape[0],) + p.shape))
    return concat([x, p], axis=-1)


class _PositionalEncoding(Module):
    """Shared checks of both encodings: ``(d_model, max_len=512, mode="add")``."""

    def __init__(self, d_model: int, max_len: int, mode: str) -> None:
        super().__init__()
        name = type(self).__name__
        for what, size in (("d_model", d_model), ("max_len", max_len)):
            if not isinstance(size, (int, np.integer)) or size < 1:
                raise ValueError(f"{name}: {what} must be an int >= 1, got {size!r}")
        if mode not in MODES:
            raise ValueError(f"{name}: mode must be one of {MODES}, got {mode!r}")
        self.d_model, self.max_len, self.mode = int(d_model), int(max_len), mode

    def _table(self, T: int) -> Tensor:
        raise NotImplementedError

    def _check(self, shape: tuple) -> None:
        shape = tuple(shape)
        T = shape[-2] if len(shape) >= 2 else None
        if (
            len(shape) not in (2, 3)
            or (isinstance(T, (int, np.integer)) and T > self.max_len)
            or (self.mode == "add" and shape[-1] != self.d_model)
            or not isinstance(shape[-1], (int, np.integer))
        ):
            width = self.d_model if self.mode == "add" else "d"
            raise ValueError(
                f"{type(self).__name__}: expected input of shape (T, {width}) or (N, T, {width}) "
                f"with T <= max_len={self.max_len}, received shape {shape}"
            )

    def forward(self, x: Any) -> Tensor:
        """``x + P[:T]`` (``mode="add"``) or ``[x, P[:T]]`` along the last axis (``"concat"``).

        Example:
            >>> pe = SinusoidalPositionalEncoding(2, max_len=4, mode="concat")
            >>> pe(Tensor([[5.0], [6.0]])).data.tolist()
            [[5.0, 0.0, 1.0], [6.0, 0.8414709848078965, 0.5403023058681398]]
        """
        x = as_tensor(x)
        self._check(x.shape)
        return self._named(encode_positions(x, self._table(x.shape[-2]), self.mode), "pos")

    def output_shape(self, input_shape: tuple) -> tuple:
        """The input shape when adding; concatenating widens the last dim by d_model.

        Example:
            >>> pe = SinusoidalPositionalEncoding(4, max_len=10, mode="concat")
            >>> pe.output_shape((None, 3, 6)), SinusoidalPositionalEncoding(4).output_shape((3, 4))
            ((None, 3, 10), (3, 4))
        """
        self._check(input_shape)
        shape = tuple(input_shape)
        return shape if self.mode == "add" else shape[:-1] + (shape[-1] + self.d_model,)

    def summary_name(self) -> str:
        """``SinusoidalPositionalEncoding(d_model, max_len, mode)``.

        Example:
            >>> LearnedPositionalEncoding(4, 8, mode="concat").summary_name()
            'LearnedPositionalEncoding(4, 8, concat)'
        """
        return f"{type(self).__name__}({self.d_model}, {self.max_len}, {self.mode})"

    def extra_repr(self) -> str:
        return f"d_model={self.d_model}, max_len={self.max_len}, mode={self.mode!r}"


class SinusoidalPositionalEncoding(_PositionalEncoding):
    """Fixed sinusoids (constants, no parameters), added to or concatenated with the input.

    Arguments ``(d_model, max_len=512, mode="add", base=10000.0)``, in the same
    order as :class:`LearnedPositionalEncoding`; ``d_model`` is the width of the
    encoding (the input's width when adding).

    Example:
        >>> pe = SinusoidalPositionalEncoding(4, max_len=10)
        >>> np.round(pe(Tensor(np.zeros((2, 4)))).data[1], 2).tolist()
        [0.84, 0.54, 0.01, 1.0]
    """

    def __init__(
        self, d_model: int, max_len: int = 512, mode: str = "add", base: float = 10000.0
    ) -> None:
        super().__init__(d_model, max_len, mode)
        self.table = sinusoidal_encoding(self.max_len, self.d_model, base)

    def _table(self, T: int) -> Tensor:
        return Tensor(self.table[:T])


class LearnedPositionalEncoding(_PositionalEncoding):
    """A trained table ``weight`` (max_len, d_model), added to or concatenated with the input.

    Arguments ``(d_model, max_len=512, mode="add", std=0.02, rng=None)``, in the
    same order as :class:`SinusoidalPositionalEncoding`; the table starts N(0, std).

    Example:
        >>> pe = LearnedPositionalEncoding(2, 8, mode="concat")
        >>> pe(Tensor(np.zeros((3, 5)))).shape, pe.weight.shape, pe.weight[1, 0].label
        ((3, 7), (8, 2), 'learnedpositionalencoding.weight[1,0]')
    """

    def __init__(
        self,
        d_model: int,
        max_len: int = 512,
        mode: str = "add",
        std: float = 0.02,
        rng: np.random.Generator | None = None,
    ) -> None:
        super().__init__(d_model, max_len, mode)
        self.weight = Parameter(init.normal((self.max_len, self.d_model), std, rng))

    def _table(self, T: int) -> Tensor:
        return self.weight[:T]


class RelativePositionBias(Module):
    """A trained scalar ``pi_d`` per offset ``d = i - j``, returned as a (T, T) score bias.

    ``weight[d + max_len - 1] = pi_d`` for ``d = -(max_len - 1) .. max_len - 1``
    (zeros at first). ``forward(T)`` returns ``B[i, j] = pi_{i-j}`` built from
    the table's own Values; pass it as ``bias=`` to attention.

    Example:
        >>> rel = RelativePositionBias(3)
        >>> _ = rel.load_state_dict({"weight": [-2.0, -1.0, 0.0, 1.0, 2.0]})
        >>> rel(2).data.tolist(), rel(2)[1, 0].label
        ([[0.0, -1.0], [1.0, 0.0]], 'relativepositionbias.weight[3]')
    """

    def __init__(self, max_len: int) -> None:
        super().__init__()
        self.max_len = max_len
        self.weight = Parameter(np.zeros(2 * max_len - 1))

    def forward(self, T: int) -> Tensor:
        """The (T, T) bias ``B[i, j] = pi_{i-j}`` (the table's own Values, no new nodes).

        Example:
            >>> RelativePositionBias(4)(3).shape
            (3, 3)
        """
        if not 1 <= T <= self.max_len:
            raise ValueError(
                f"RelativePositionBias: need 1 <= T <= max_len={self.max_len}, got {T}"
            )
        start = self.max_len - T
        return relative_position_bias(self.weight[start : start + 2 * T - 1], T)

    def extra_repr(self) -> str:
        return f"max_len={self.max_len}"


def relative_bias_table(positions: Any, atol: float = 1e-9) -> np.ndarray:
    """The table ``pi_d`` (d = -(T-1)..T-1) with ``p_i·p_j = pi_{i-j}``, if one exists.

    Raises ValueError naming a pair of entries that differ when ``p_i·p_j``
    is not a function of ``i - j`` alone.

    Example (sinusoids: p_i·p_j = cos((i - j) w) for one frequency):
        >>> np.round(relative_bias_table(sinusoidal_encoding(3, 2)), 4).tolist()
        [-0.4161, 0.5403, 1.0, 0.5403, -0.4161]
    """
    P = as_tensor(positions).data
    if P.ndim != 2:
        raise ValueError(f"relative_bias_table: positions must be (T, d), got shape {P.shape}")
    T = P.shape[0]
    gram = P @ P.T
    table = np.empty(2 * T - 1)
    for d in range(-(T - 1), T):
        entries = np.diagonal(gram, offset=-d)  # pairs with i - j = d
        if np.ptp(entries) > atol:
            raise ValueError(
                f"relative_bias_table: p_i·p_j is not a function of i - j: offset {d} has "
                f"values from {entries.min():g} to {entries.max():g}"
            )
        table[d + T - 1] = entries[0]
    return table


__all__ = [
    "sinusoidal_encoding",
    "encode_positions",
    "SinusoidalPositionalEncoding",
    "LearnedPositionalEncoding",
    "RelativePositionBias",
    "relative_bias_table",
]
