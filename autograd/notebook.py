"""How Values and Tensors show in a notebook: small HTML tables (``_repr_html_``).

Numbers are written as ``repr`` writes them (``6g`` for a Value, ``4g`` in a
Tensor's grid): ASCII, so a number copied from the table pastes back into Python.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np

# Reached by duck typing: a Value has label/op/data/grad, a Tensor has shape/data/grad.
Value = Any
Tensor = Any

_STYLE = 'style="text-align:right;font-family:monospace"'


def _number(x: float, digits: int) -> str:
    text = f"{float(x):.{digits}g}"
    return "0" if text in ("-0", "0") else text


def value_html(v: Value) -> str:
    """One row: label, op, data, grad (every cell escaped).

    Example:
        >>> from autograd import Value
        >>> x = Value(-2.5, label="x<1>"); y = x * x; y.backward()
        >>> value_html(x)
        '<table><tr><th>label</th><th>op</th><th>data</th><th>grad</th></tr><tr><td>x&lt;1&gt;</td><td>leaf</td><td style="text-align:right;font-family:monospace">-2.5</td><td style="text-align:right;font-family:monospace">-5</td></tr></table>'
    """
    cells = [html.escape(v.label or ""), html.escape(v.op or "leaf")]
    numbers = [_number(v.data, 6), _number(v.grad, 6)]
    row = "".join(f"<td>{c}</td>" for c in cells) + "".join(
        f"<td {_STYLE}>{n}</td>" for n in numbers
    )
    return (
        f"<table><tr><th>label</th><th>op</th><th>data</th><th>grad</th></tr><tr>{row}</tr></table>"
    )


def _grid(values: np.ndarray) -> str:
    if values.ndim == 0:
        values = values.reshape(1, 1)
    elif values.ndim == 1:
        values = values.reshape(1, -1)
    elif values.ndim > 2:
        values = values.reshape(-1, values.shape[-1])
    rows = "".join(
        "<tr>" + "".join(f"<td {_STYLE}>{_number(x, 4)}</td>" for x in row) + "</tr>"
        for row in values
    )
    return f"<table>{rows}</table>"


def tensor_html(t: Tensor) -> str:
    """A caption (label and shape) and two grids side by side: data and grad.

    Tensors of more than two dimensions show their last axis as columns.

    Example:
        >>> from autograd import Tensor
        >>> W = Tensor([[1.0, -2.0]], label="W")
        >>> html_text = tensor_html(W)
        >>> html_text.count("<td style"), "W, shape (1, 2)" in html_text
        (4, True)
    """
    grads = np.array([v.grad for v in t.values.flat], dtype=float).reshape(t.shape)
    caption = html.escape(f"{t.label + ', ' if t.label else ''}shape {t.shape}")
    return (
        f"<table><caption>{caption}</caption><tr><th>data</th><th>grad</th></tr>"
        f"<tr><td>{_grid(np.asarray(t.data, dtype=float))}</td>"
        f"<td>{_grid(grads)}</td></tr></table>"
    )
