"""``summary(model, input_shape)``: per-layer output shapes and parameter counts (P10).

Shapes are propagated with each module's ``output_shape`` method, so no scalar
graph is built: a (N, 3, 64, 64) network summarises instantly. Each row's
params is the layer's ``num_parameters()``.

The "fully connected equivalent" (P10) asks what weight sharing saves: the
parameter count (in + 1) * out of a dense layer between the layer's flattened
input and output (batch dims left out). It is given for layers that are a
weight-shared linear map of their input (Conv1d, Conv2d, and any other module
with parameters that is not listed below) and left blank for:

- parameter-free layers (activations, pooling, Flatten, Dropout);
- Linear, which already is fully connected;
- Embedding (a table lookup) and LayerNorm (an elementwise scale and shift);
- recurrent layers and cells, attention, positional encodings and transformer
  blocks: their outputs are not a linear map of the flattened input, and their
  weights are shared over time steps or positions of any length, so a dense
  layer between fixed flattened shapes is not a comparable model.

Recurrent and attention layers summarise with the shape of the tensor they
return first: ``output`` for RNN/GRU/LSTM ((L, N, H), (N, L, H) with
``batch_first``, (L, H) unbatched), ``h'`` for the cells, the attention output
for MultiHeadAttention (not the weights).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nn.attention import SelfAttention
from nn.layers import Embedding, Linear, Sequential, format_shape
from nn.module import Module
from nn.multihead import MultiHeadAttention
from nn.normalization import LayerNorm
from nn.positional import RelativePositionBias, _PositionalEncoding
from nn.recurrent import _Recurrent
from nn.transformer import TransformerBlock

# Layers with parameters whose "fully connected equivalent" is left blank (see above).
NO_DENSE_EQUIVALENT: tuple[type, ...] = (
    Linear,
    Embedding,
    LayerNorm,
    _Recurrent,
    SelfAttention,
    MultiHeadAttention,
    _PositionalEncoding,
    RelativePositionBias,
    TransformerBlock,
)


@dataclass
class SummaryRow:
    """One layer of a summary: its name, output shape, parameter count and dense equivalent.

    Example:
        >>> from nn import Conv1d
        >>> row = summary(Conv1d(1, 2, 3), (None, 1, 5)).rows[0]
        >>> row.layer, row.output_shape, row.params, row.fc_equivalent  # (5 + 1) * 6
        ('Conv1d(1, 2, k=3, s=1, p=0)', (None, 2, 3), 8, 36)
    """

    layer: str
    output_shape: tuple
    params: int
    fc_equivalent: int | None


@dataclass
class Summary:
    """Rows, the input shape and totals; ``str()`` gives the table of P10 and the totals.

    Example:
        >>> from nn import ReLU
        >>> s = summary(Sequential(Linear(3, 2), ReLU()), (None, 3))
        >>> print(s)
        input (N,3)
        | layer | output shape | params | fully connected equivalent |
        |---|---|---|---|
        | Linear(3, 2) | (N,2) | 8 | |
        | ReLU | (N,2) | 0 | |
        total params: 8
        total fully connected equivalent: 0
    """

    input_shape: tuple
    rows: list[SummaryRow] = field(default_factory=list)

    @property
    def total_params(self) -> int:
        """The sum of the params column.

        Example:
            >>> summary(Sequential(Linear(3, 2), Linear(2, 1)), (3,)).total_params
            11
        """
        return sum(r.params for r in self.rows)

    @property
    def total_fc_equivalent(self) -> int:
        """The sum of the fully connected equivalent column (blanks count 0).

        Example:
            >>> from nn import Conv1d
            >>> summary(Conv1d(1, 1, 2), (1, 3)).total_fc_equivalent  # (3 + 1) * 2
            8
        """
        return sum(r.fc_equivalent or 0 for r in self.rows)

    @property
    def output_shape(self) -> tuple:
        """The shape the last layer returns (the input shape for an empty model).

        Example:
            >>> summary(Linear(3, 2), (None, 3)).output_shape
            (None, 2)
        """
        return self.rows[-1].output_shape if self.rows else self.input_shape

    def table(self) -> str:
        """The markdown table (header, rule, one line per layer), as problems.md prints it.

        Example:
            >>> from nn import LSTM
            >>> print(summary(LSTM(3, 4), (5, None, 3)).table())
            | layer | output shape | params | fully connected equivalent |
            |---|---|---|---|
            | LSTM(3, 4) | (5,N,4) | 144 | |
        """
        lines = [
            "| layer | output shape | params | fully connected equivalent |",
            "|---|---|---|---|",
        ]
        for r in self.rows:
            fc = "" if r.fc_equivalent is None else str(r.fc_equivalent)
            lines.append(
                f"| {r.layer} | {format_shape(r.output_shape)} | {r.params} | {fc} |".replace(
                    "|  |", "| |"
                )
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return (
            f"input {format_shape(self.input_shape)}\n{self.table()}\n"
            f"total params: {self.total_params}\n"
            f"total fully connected equivalent: {self.total_fc_equivalent}"
        )


def _flat_size(shape: tuple) -> int:
    return int(np.prod([d for d in shape if isinstance(d, (int, np.integer))]))


def _layers(model: Module) -> list[Module]:
    """The leaf layers in order: Sequential containers are opened, other modules kept whole."""
    out: list[Module] = []
    stack = [model]
    while stack:
        m = stack.pop()
        if isinstance(m, Sequential):
            stack.extend(reversed(list(m)))
        else:
            out.append(m)
    return out


def summary(model: Module, input_shape: tuple) -> Summary:
    """Output shape, parameter count and fully-connected-equivalent count of every layer.

    Non-int dims of ``input_shape`` (``None`` or ``"N"``) are batch dims, printed as N.

    Example:
        >>> from nn import Conv2d, MaxPool2d, Flatten
        >>> s = summary(Sequential(Conv2d(3, 16, 3, padding=1), MaxPool2d(2), Flatten()),
        ...             (None, 3, 64, 64))
        >>> print(s.table())
        | layer | output shape | params | fully connected equivalent |
        |---|---|---|---|
        | Conv2d(3, 16, k=3, s=1, p=1) | (N,16,64,64) | 448 | 805371904 |
        | MaxPool2d(k=2, s=2, p=0) | (N,16,32,32) | 0 | |
        | Flatten | (N,16384) | 0 | |
    """
    if not isinstance(model, Module):
        raise TypeError(f"summary: expected a Module, got {type(model).__name__}")
    shape = tuple(input_shape)
    result = Summary(shape)
    for layer in _layers(model):
        out = tuple(layer.output_shape(shape))
        params = layer.num_parameters()
        fc = None
        if params and not isinstance(layer, NO_DENSE_EQUIVALENT):
            fc = (_flat_size(shape) + 1) * _flat_size(out)
        result.rows.append(SummaryRow(layer.summary_name(), out, params, fc))
        shape = out
    return result


__all__ = ["summary", "Summary", "SummaryRow", "NO_DENSE_EQUIVALENT"]
