"""Recurrent cells: one time step of ``RNNCell``, ``LSTMCell`` and ``GRUCell``.

PyTorch's parameter names, layouts and gate orders, so a PyTorch ``state_dict``
loads unchanged and gives the same numbers:

- ``weight_ih_l{k}`` (G*H, input), ``weight_hh_l{k}`` (G*H, H), ``bias_ih_l{k}``,
  ``bias_hh_l{k}`` (G*H,), with G = 1 (RNN), 4 (LSTM: i, f, g, o), 3 (GRU: r, z, n).
  The cells drop the ``_l0`` suffix, as PyTorch's do.
- The homework's column vectors ``h_t = phi(W_hx x_t + W_hh h_{t-1} + b)`` are
  exactly this layout: ``weight_ih`` is W_hx (hidden, input).

Each pre-activation is ONE ``dot`` node ``W_ih[r]·x + W_hh[r]·h + b_hh[r]·1 + b_ih[r]``
(the constant 1 lets both of PyTorch's biases sit in one node). The LSTM cell
state ``c_t = f_t c_{t-1} + i_t g_t`` is one ``dot`` node too; the GRU's
candidate is PyTorch's ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``.
The sequence modules (``RNN``, ``LSTM``, ``GRU``) in ``nn/recurrent.py`` run these
steps over time.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import ops
from autograd.tensors import Tensor, as_tensor
from autograd.value import Value, apply, apply1, apply2, as_value
from nn import init
from nn.module import Module, Parameter
from nn.options import TORCH_COMMON, check_int, reject_options

NONLINEARITIES = {"tanh": ops.TANH, "relu": ops.RELU, "identity": None}
GATES = {"RNN": 1, "LSTM": 4, "GRU": 3}

Row = tuple[Value, ...]


# ------------------------------------------------------------ one-step math
class GateRows:
    """The weight rows of one layer as tuples, ready to be joined with inputs into dot nodes."""

    def __init__(
        self, weight_ih: Tensor, weight_hh: Tensor, bias_ih: Tensor | None, bias_hh: Tensor | None
    ) -> None:
        w_ih = [tuple(r) for r in weight_ih.values]
        w_hh = [tuple(r) for r in weight_hh.values]
        b_ih = [(b,) for b in bias_ih.values] if bias_ih is not None else [()] * len(w_ih)
        b_hh = [(b,) for b in bias_hh.values] if bias_hh is not None else [()] * len(w_hh)
        one = (as_value(1.0),) if bias_hh is not None else ()
        self.size = len(w_ih)
        # a = (W_ih[r], W_hh[r], b_hh[r]), b = (x, h, 1), c = b_ih[r]
        self.joint = [(w_ih[r] + w_hh[r] + b_hh[r], one + b_ih[r]) for r in range(self.size)]
        self.input_only = [(w_ih[r], b_ih[r]) for r in range(self.size)]
        self.hidden_only = [(w_hh[r], b_hh[r]) for r in range(self.size)]

    def both(self, rows: range, x: Row, h: Row) -> list[Value]:
        """``W_ih[r]·x + W_hh[r]·h + biases`` for each r, one dot node each."""
        xh = x + h
        return [apply(ops.DOT, head + xh + tail) for head, tail in (self.joint[r] for r in rows)]

    def one_side(self, rows: range, inputs: Row, hidden: bool) -> list[Value]:
        table = self.hidden_only if hidden else self.input_only
        return [apply(ops.DOT, table[r][0] + inputs + table[r][1]) for r in rows]


def rnn_step(rows: GateRows, x: Row, h: Row, nonlinearity: str) -> Row:
    """h' = phi(W_ih x + b_ih + W_hh h + b_hh) for one sample."""
    pre = rows.both(range(rows.size), x, h)
    op = NONLINEARITIES[nonlinearity]
    return tuple(pre) if op is None else tuple(apply1(op, p) for p in pre)


def lstm_step(
    rows: GateRows, x: Row, h: Row, c: Row, gates: list[Row] | None = None
) -> tuple[Row, Row]:
    """i, f, g, o gates; c' = f c + i g (one dot node); h' = o tanh(c').

    ``gates``, when given, receives the gate rows ``i, f, g, o`` (to be named).
    """
    H = len(h)
    pre = rows.both(range(4 * H), x, h)
    new_h, new_c = [], []
    rows_ifgo: list[list[Value]] = [[], [], [], []]
    for r in range(H):
        i = apply1(ops.SIGMOID, pre[r])
        f = apply1(ops.SIGMOID, pre[H + r])
        g = apply1(ops.TANH, pre[2 * H + r])
        o = apply1(ops.SIGMOID, pre[3 * H + r])
        for row, gate in zip(rows_ifgo, (i, f, g, o)):
            row.append(gate)
        cell = apply(ops.DOT, (f, i, c[r], g))
        new_c.append(cell)
        new_h.append(apply2(ops.MUL, o, apply1(ops.TANH, cell)))
    if gates is not None:
        gates.extend(tuple(row) for row in rows_ifgo)
    return tuple(new_h), tuple(new_c)


def gru_step(rows: GateRows, x: Row, h: Row, gates_out: list[Row] | None = None) -> Row:
    """r, z gates; n = tanh(W_in x + b_in + r (W_hn h + b_hn)); h' = (1 - z) n + z h.

    ``gates_out``, when given, receives the rows ``r, z, n`` (to be named ``r_t z_t n_t``).
    """
    H = len(h)
    rows_rzn: list[list[Value]] = [[], [], []]
    gates = rows.both(range(2 * H), x, h)
    from_input = rows.one_side(range(2 * H, 3 * H), x, hidden=False)
    from_hidden = rows.one_side(range(2 * H, 3 * H), h, hidden=True)
    one = as_value(1.0)
    new_h = []
    for k in range(H):
        r = apply1(ops.SIGMOID, gates[k])
        z = apply1(ops.SIGMOID, gates[H + k])
        n = apply1(ops.TANH, apply(ops.DOT, (r, from_hidden[k], from_input[k])))
        keep = apply2(ops.SUB, one, z)
        new_h.append(apply(ops.DOT, (keep, z, n, h[k])))
        for row, gate in zip(rows_rzn, (r, z, n)):
            row.append(gate)
    if gates_out is not None:
        gates_out.extend(tuple(row) for row in rows_rzn)
    return tuple(new_h)


def state_pair(module: Module, hx: Any) -> tuple[Any, Any]:
    """An LSTM's ``(h_0, c_0)`` (both None when ``hx`` is None), or a TypeError saying so."""
    if hx is None:
        return None, None
    if not isinstance(hx, (tuple, list)) or len(hx) != 2:
        got = f"a {type(hx).__name__}" + (
            f" of {len(hx)} items" if isinstance(hx, (tuple, list)) else ""
        )
        raise TypeError(
            f"{type(module).__name__}: hx must be a tuple (h_0, c_0) of two tensors, or None; "
            f"got {got}"
        )
    return hx[0], hx[1]


def _samples(t: Tensor) -> list[Row]:
    """A (N, F) or (F,) Tensor as a list of per-sample tuples."""
    return [tuple(t.values)] if t.ndim == 1 else [tuple(r) for r in t.values]


def _from_samples(rows: list[Row], batched: bool) -> Tensor:
    out = np.empty((len(rows), len(rows[0])), dtype=object)
    for n, r in enumerate(rows):
        out[n, :] = r
    return Tensor.wrap(out if batched else out[0])


# ------------------------------------------------------------------ modules
class _Recurrent(Module):
    """Shared parameter creation and shape checks of every cell and sequence module."""

    kind = "RNN"

    def _make_layer(
        self,
        suffix: str,
        input_size: int,
        hidden_size: int,
        bias: bool,
        rng: np.random.Generator | None,
    ) -> None:
        rows = GATES[self.kind] * hidden_size
        bound = init.fan_in_bound(hidden_size)
        setattr(self, f"weight_ih{suffix}", Parameter(init.uniform((rows, input_size), bound, rng)))
        setattr(
            self, f"weight_hh{suffix}", Parameter(init.uniform((rows, hidden_size), bound, rng))
        )
        for name in (f"bias_ih{suffix}", f"bias_hh{suffix}"):
            self.register_parameter(
                name, Parameter(init.uniform((rows,), bound, rng)) if bias else None
            )

    def _rows(self, suffix: str) -> GateRows:
        return GateRows(
            getattr(self, f"weight_ih{suffix}"),
            getattr(self, f"weight_hh{suffix}"),
            getattr(self, f"bias_ih{suffix}"),
            getattr(self, f"bias_hh{suffix}"),
        )

    def set_weights(self, **arrays: Any) -> Module:
        """Set parameters by name from arrays (e.g. the homework's W_hx as ``weight_ih``).

        Unlike ``load_state_dict`` the other parameters are left as they are;
        unknown names and wrong shapes raise. Returns self.

        Example:
            >>> from nn import RNN
            >>> rnn = RNN(1, 1).set_weights(weight_hh_l0=[[0.5]])
            >>> rnn.weight_hh_l0.data.tolist()
            [[0.5]]
        """
        known = dict(self.named_parameters())
        unknown = sorted(set(arrays) - set(known))
        if unknown:
            raise KeyError(
                f"{type(self).__name__}.set_weights: unknown parameter names {unknown}; "
                f"known names {list(known)}"
            )
        self.load_state_dict(arrays, strict=False)
        return self

    def _check_input(self, shape: tuple, sequence: bool) -> None:
        """Raise unless ``shape`` is a valid input shape (batch dims may be None)."""
        ranks = (2, 3) if sequence else (1, 2)
        layout = (
            (
                "(T, input_size) or (T, N, input_size)"
                if not getattr(self, "batch_first", False)
                else "(T, input_size) or (N, T, input_size)"
            )
            if sequence
            else "(input_size,) or (N, input_size)"
        )
        self._expect_shape(shape, ranks, self.input_size, "input_size", layout)

    def output_shape(self, input_shape: tuple) -> tuple:
        """The shape of the first returned tensor: ``output`` (sequences) or ``h'`` (cells).

        The input's last dim becomes hidden_size in every layout: (L, N, H),
        (N, L, H) with ``batch_first``, (L, H) unbatched; (N, H) or (H,) for a cell.

        Example:
            >>> from nn import LSTM
            >>> LSTM(3, 4, batch_first=True).output_shape((None, 5, 3)), GRUCell(3, 2).output_shape((3,))
            ((None, 5, 4), (2,))
            >>> LSTM(3, 4, bidirectional=True).output_shape((5, 3))
            (5, 8)
        """
        self._check_input(input_shape, sequence=not isinstance(self, _Cell))
        directions = 2 if getattr(self, "bidirectional", False) else 1
        return tuple(input_shape)[:-1] + (directions * self.hidden_size,)

    def summary_name(self) -> str:
        """``LSTM(3, 4)``, with ``num_layers`` when there are several.

        Example:
            >>> from nn import RNN
            >>> RNN(3, 4, num_layers=2).summary_name(), RNNCell(3, 4).summary_name()
            ('RNN(3, 4, num_layers=2)', 'RNNCell(3, 4)')
        """
        layers = getattr(self, "num_layers", 1)
        extra = f", num_layers={layers}" if layers > 1 else ""
        extra += ", bidirectional=True" if getattr(self, "bidirectional", False) else ""
        return f"{type(self).__name__}({self.input_size}, {self.hidden_size}{extra})"

    def _check_state(self, state: Any, expected: tuple[int, ...], what: str) -> Tensor:
        state = as_tensor(state)
        if state.shape != expected:
            raise ValueError(
                f"{type(self).__name__}: expected {what} of shape {expected}, "
                f"received shape {state.shape}"
            )
        return state


class _Cell(_Recurrent):
    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool,
        rng: np.random.Generator | None,
        options: dict[str, Any],
    ) -> None:
        super().__init__()
        name = type(self).__name__
        reject_options(name, options, TORCH_COMMON)
        self.input_size = check_int(name, "input_size", input_size, 1)
        self.hidden_size = check_int(name, "hidden_size", hidden_size, 1)
        self._make_layer("", input_size, hidden_size, bias, rng)

    def _start(self, x: Any, hx: Any, what: str = "hx") -> tuple[Tensor, Tensor, bool]:
        x = as_tensor(x)
        self._check_input(x.shape, sequence=False)
        batched = x.ndim == 2
        shape = (x.shape[0], self.hidden_size) if batched else (self.hidden_size,)
        hx = Tensor(np.zeros(shape)) if hx is None else self._check_state(hx, shape, what)
        return x, hx, batched

    def extra_repr(self) -> str:
        return f"{self.input_size}, {self.hidden_size}, bias={self.bias_ih is not None}"


class RNNCell(_Cell):
    """One step ``h' = phi(W_ih x + b_ih + W_hh h + b_hh)``, like ``torch.nn.RNNCell``.

    ``nonlinearity`` is ``"tanh"``, ``"relu"`` or ``"identity"`` (the linear RNN of P7, P19).

    Example:
        >>> cell = RNNCell(2, 1, bias=False, nonlinearity="relu")
        >>> _ = cell.set_weights(weight_ih=[[1.0, 1.0]], weight_hh=[[0.5]])
        >>> cell(Tensor([1.0, 2.0]), Tensor([2.0])).data.tolist()
        [4.0]
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        rng: np.random.Generator | None = None,
        **options: Any,
    ) -> None:
        if nonlinearity not in NONLINEARITIES:
            raise ValueError(
                f"RNNCell: nonlinearity must be one of {list(NONLINEARITIES)}, got {nonlinearity!r}"
            )
        super().__init__(input_size, hidden_size, bias, rng, options)
        self.nonlinearity = nonlinearity

    def forward(self, x: Any, hx: Any = None) -> Tensor:
        x, hx, batched = self._start(x, hx)  # (N, input), (N, H) or unbatched
        rows = self._rows("")
        out = [
            rnn_step(rows, xs, hs, self.nonlinearity) for xs, hs in zip(_samples(x), _samples(hx))
        ]
        return _from_samples(out, batched)

    def extra_repr(self) -> str:
        return super().extra_repr() + f", nonlinearity={self.nonlinearity!r}"


class LSTMCell(_Cell):
    """One LSTM step, like ``torch.nn.LSTMCell``: returns ``(h', c')``.

    Example:
        >>> cell = LSTMCell(1, 1, bias=False)
        >>> _ = cell.set_weights(weight_ih=[[0.0], [0.0], [1.0], [0.0]], weight_hh=[[0.0]] * 4)
        >>> h, c = cell(Tensor([100.0]))   # i = f = o = 0.5, g = tanh(100) = 1
        >>> round(c.item(), 6), round(h.item(), 6)
        (0.5, 0.231059)
    """

    kind = "LSTM"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        rng: np.random.Generator | None = None,
        **options: Any,
    ) -> None:
        super().__init__(input_size, hidden_size, bias, rng, options)

    def forward(self, x: Any, hx: tuple[Any, Any] | None = None) -> tuple[Tensor, Tensor]:
        h0, c0 = state_pair(self, hx)
        x, h0, batched = self._start(x, h0, "h_0")
        _, c0, _ = self._start(x, c0, "c_0")
        rows = self._rows("")
        steps = [
            lstm_step(rows, xs, hs, cs)
            for xs, hs, cs in zip(_samples(x), _samples(h0), _samples(c0))
        ]
        return (
            _from_samples([s[0] for s in steps], batched),
            _from_samples([s[1] for s in steps], batched),
        )


class GRUCell(_Cell):
    """One GRU step, like ``torch.nn.GRUCell`` (gate order r, z, n).

    Example:
        >>> cell = GRUCell(1, 1, bias=False)
        >>> _ = cell.set_weights(weight_ih=[[0.0], [0.0], [0.0]], weight_hh=[[0.0]] * 3)
        >>> cell(Tensor([1.0]), Tensor([0.8])).data.tolist()  # z = 0.5, n = 0: h' = 0.4
        [0.4]
    """

    kind = "GRU"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        rng: np.random.Generator | None = None,
        **options: Any,
    ) -> None:
        super().__init__(input_size, hidden_size, bias, rng, options)

    def forward(self, x: Any, hx: Any = None) -> Tensor:
        x, hx, batched = self._start(x, hx)
        rows = self._rows("")
        out = [gru_step(rows, xs, hs) for xs, hs in zip(_samples(x), _samples(hx))]
        return _from_samples(out, batched)


__all__ = [
    "RNNCell",
    "LSTMCell",
    "GRUCell",
    "GateRows",
    "rnn_step",
    "lstm_step",
    "gru_step",
    "state_pair",
]
