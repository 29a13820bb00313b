"""``summary(model, input_shape)``: per-layer output shapes and parameter counts (P10).

Shapes are propagated with each module's ``output_shape`` method, so no scalar
graph is built: a (N, 3, 64, 64) network summarises instantly. The "fully
connected equivalent" of a layer with parameters is (in + 1) * out, the size of a
dense layer between its flattened input and output (batch dims left out); it is
left blank for parameter-free layers and for Linear (already fully connected).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nn.layers import Linear, Sequential, format_shape
from nn.module import Module


@dataclass
class SummaryRow:
    """One layer of a summary."""

    layer: str
    output_shape: tuple
    params: int
    fc_equivalent: int | None


@dataclass
class Summary:
    """Rows, the input shape and totals; ``str()`` gives the table of P10 and the totals."""

    input_shape: tuple
    rows: list[SummaryRow] = field(default_factory=list)

    @property
    def total_params(self) -> int:
        return sum(r.params for r in self.rows)

    @property
    def total_fc_equivalent(self) -> int:
        return sum(r.fc_equivalent or 0 for r in self.rows)

    @property
    def output_shape(self) -> tuple:
        return self.rows[-1].output_shape if self.rows else self.input_shape

    def table(self) -> str:
        """The markdown table (header, rule, one line per layer), as problems.md prints it."""
        lines = ["| layer | output shape | params | fully connected equivalent |",
                 "|---|---|---|---|"]
        for r in self.rows:
            fc = "" if r.fc_equivalent is None else str(r.fc_equivalent)
            lines.append(f"| {r.layer} | {format_shape(r.output_shape)} | {r.params} | {fc} |"
                         .replace("|  |", "| |"))
        return "\n".join(lines)

    def __str__(self) -> str:
        return (f"input {format_shape(self.input_shape)}\n{self.table()}\n"
                f"total params: {self.total_params}\n"
                f"total fully connected equivalent: {self.total_fc_equivalent}")


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
        if params and not isinstance(layer, Linear):
            fc = (_flat_size(shape) + 1) * _flat_size(out)
        name = layer.summary_name() if hasattr(layer, "summary_name") else type(layer).__name__
        result.rows.append(SummaryRow(name, out, params, fc))
        shape = out
    return result


__all__ = ["summary", "Summary", "SummaryRow"]
