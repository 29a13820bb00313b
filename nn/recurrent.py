"""Recurrent nets over sequences: ``RNN``, ``LSTM``, ``GRU`` (the cells are in ``nn/cells.py``).

PyTorch's parameter names, layouts and calling convention, so a PyTorch
``state_dict`` loads unchanged and gives the same numbers: layer k has
``weight_ih_l{k}``, ``weight_hh_l{k}``, ``bias_ih_l{k}``, ``bias_hh_l{k}``, and with
``bidirectional=True`` the same again with the suffix ``_reverse`` for the
direction that reads the sequence backwards. Its outputs are concatenated after
the forward direction's (``output`` (T, N, 2H)), and ``h_n`` stacks layer 0
forward, layer 0 reverse, layer 1 forward, ...

Time steps count from 1 as in the homework: after each forward the module keeps
``hidden_states = [h_0, h_1, ..., h_T]`` (last layer, forward direction;
``cell_states`` for the LSTM), with the elements labelled ``h_1[0]``, ``h_1[0,2]``
(batched), or ``l1.h_1[0]`` for layer 1 of a stack. So d h_t / d h_1 is
``autograd.jacobian(lambda _: rnn.hidden_states[t], rnn.hidden_states[1])``.
The reverse direction's states are ``reverse_hidden_states`` in the order they
are computed, ``[h_0, state after x_T, ..., state after x_1]``, labelled
``reverse.h_t`` by the step t they have just read.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensors import Tensor, as_tensor
from nn.cells import (
    NONLINEARITIES,
    GateRows,
    GRUCell,
    LSTMCell,
    RNNCell,
    Row,
    _from_samples,
    _Recurrent,
    _samples,
    gru_step,
    lstm_step,
    rnn_step,
    state_pair,
)
from nn.options import TORCH_COMMON, check_int, reject_options

GATE_NAMES = {"LSTM": "ifgo", "GRU": "rzn"}  # PyTorch's gate names, named r_t z_t n_t
SEQUENCE_TORCH_DEFAULTS = {"dropout": 0.0, **TORCH_COMMON}
LSTM_TORCH_DEFAULTS = {"proj_size": 0, **SEQUENCE_TORCH_DEFAULTS}


class _Sequence(_Recurrent):
    """A stack of layers run over time, PyTorch's ``RNN``/``LSTM``/``GRU`` calling convention."""

    torch_defaults: dict[str, Any] = SEQUENCE_TORCH_DEFAULTS  # options accepted at their value

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        rng: np.random.Generator | None = None,
        **options: Any,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        reject_options(name, {"dropout": dropout, **options}, self.torch_defaults)
        self.input_size = check_int(name, "input_size", input_size, 1)
        self.hidden_size = check_int(name, "hidden_size", hidden_size, 1)
        self.num_layers = check_int(name, "num_layers", num_layers, 1)
        self.batch_first, self.bidirectional = bool(batch_first), bool(bidirectional)
        directions = 2 if bidirectional else 1
        for layer in range(num_layers):
            size = input_size if layer == 0 else directions * hidden_size
            for suffix in self._suffixes(layer):
                self._make_layer(suffix, size, hidden_size, bias, rng)
        self.hidden_states: list[Tensor] = []
        self.cell_states: list[Tensor] = []
        self.layer_hidden_states: list[list[Tensor]] = []
        self.reverse_hidden_states: list[Tensor] = []

    def _suffixes(self, layer: int) -> tuple[str, ...]:
        return (f"_l{layer}", f"_l{layer}_reverse") if self.bidirectional else (f"_l{layer}",)

    def _initial(self, state: Any, shape: tuple[int, ...], what: str) -> Tensor:
        if state is None:
            return Tensor(np.zeros(shape)).name(what)
        return self._check_state(state, shape, what)

    def _step(
        self, rows: GateRows, x: list[Row], h: list[Row], c: list[Row] | None, gates: list[Row]
    ) -> tuple[list[Row], list[Row] | None]:
        """One time step for every sample of the batch (an LSTM's gate rows go to ``gates``)."""
        if c is not None:
            steps = [lstm_step(rows, xs, hn, cn, gates) for xs, hn, cn in zip(x, h, c)]
            return [s[0] for s in steps], [s[1] for s in steps]
        if self.kind == "GRU":
            return [gru_step(rows, xs, hn, gates) for xs, hn in zip(x, h)], None
        return [rnn_step(rows, xs, hn, self.nonlinearity) for xs, hn in zip(x, h)], None

    def _direction(
        self,
        suffix: str,
        inputs: list[list[Row]],
        h0: Tensor,
        c0: Tensor | None,
        batched: bool,
        prefix: str,
    ) -> tuple[list[list[Row]], list[Tensor], list[Tensor]]:
        """Run one layer in one direction; returns per-step outputs (in time order) and states."""
        rows = self._rows(suffix)
        reverse = suffix.endswith("_reverse")
        prefix += "reverse." if reverse else ""
        h = _samples(h0)
        c = _samples(c0) if c0 is not None else None
        hs, cs = [h0], [c0] if c0 is not None else []
        outputs: list[list[Row]] = [[] for _ in inputs]
        T = len(inputs)
        for t in reversed(range(T)) if reverse else range(T):
            gates: list[Row] = []  # i, f, g, o (GRU: r, z, n) of sample 0, then of sample 1, ...
            h, c = self._step(rows, inputs[t], h, c, gates)
            names = GATE_NAMES.get(self.kind, "") if gates else ""
            for k, gate in enumerate(names):
                _from_samples(gates[k :: len(names)], batched).name(f"{prefix}{gate}_{t + 1}")
            if c is not None:
                cs.append(_from_samples(c, batched).name(f"{prefix}c_{t + 1}"))
            hs.append(_from_samples(h, batched).name(f"{prefix}h_{t + 1}"))
            outputs[t] = h
        return outputs, hs, cs

    def _run(self, x: Any, hx: Any) -> tuple[Tensor, Tensor, Tensor | None]:
        x = as_tensor(x)
        self._check_input(x.shape, sequence=True)
        batched = x.ndim == 3
        if batched and self.batch_first:
            x = x.transpose(0, 1)  # (T, N, input)
        if x.shape[0] == 0:
            raise ValueError(
                f"{type(self).__name__}: the input sequence has no time steps (shape "
                f"{x.shape}); give at least one step"
            )
        T, H, L = x.shape[0], self.hidden_size, self.num_layers
        D = 2 if self.bidirectional else 1
        state_shape = (D * L, x.shape[1], H) if batched else (D * L, H)
        lstm = self.kind == "LSTM"
        h0, c0 = state_pair(self, hx) if lstm else (hx, None)
        h0 = self._initial(h0, state_shape, "h_0")
        c0 = self._initial(c0, state_shape, "c_0") if lstm else None
        inputs = [_samples(x[t]) for t in range(T)]  # [t][n] -> tuple
        last_h, last_c = [], []
        self.layer_hidden_states = []
        for layer in range(L):
            prefix = f"l{layer}." if L > 1 else ""
            per_direction = []
            for d, suffix in enumerate(self._suffixes(layer)):
                k = layer * D + d
                outputs, hs, cs = self._direction(
                    suffix, inputs, h0[k], c0[k] if lstm else None, batched, prefix
                )
                per_direction.append(outputs)
                last_h.append(hs[-1])
                last_c.extend(cs[-1:])
                if d == 0:
                    self.layer_hidden_states.append(hs)
                    self.hidden_states, self.cell_states = hs, cs
                else:
                    self.reverse_hidden_states = hs
            # the next layer reads both directions: [forward h_t, reverse h_t]
            inputs = [
                [sum(rows, ()) for rows in zip(*(out[t] for out in per_direction))]
                for t in range(T)
            ]
        output = Tensor.wrap(np.stack([_from_samples(step, batched).values for step in inputs]))
        if batched and self.batch_first:
            output = output.transpose(0, 1)  # (N, T, D * H)
        h_n = Tensor.wrap(np.stack([t.values for t in last_h]))  # (D * L, [N,] H)
        c_n = Tensor.wrap(np.stack([t.values for t in last_c])) if lstm else None
        return output, h_n, c_n

    def extra_repr(self) -> str:
        text = (
            f"{self.input_size}, {self.hidden_size}, num_layers={self.num_layers}, "
            f"bias={self.bias_ih_l0 is not None}, batch_first={self.batch_first}"
        )
        return text + (", bidirectional=True" if self.bidirectional else "")


class RNN(_Sequence):
    """An Elman RNN over a sequence, like ``torch.nn.RNN``: returns ``(output, h_n)``.

    Input (T, input_size), or (T, N, input_size) ((N, T, input_size) with
    ``batch_first``); ``hx`` (D * num_layers, [N,] H) with D = 2 when
    ``bidirectional``. ``nonlinearity`` is ``"tanh"``, ``"relu"`` or ``"identity"``.

    Example (P19: identity RNN with W_x = W_h = I sums its inputs):
        >>> rnn = RNN(1, 1, nonlinearity="identity", bias=False)
        >>> _ = rnn.set_weights(weight_ih_l0=[[1.0]], weight_hh_l0=[[1.0]])
        >>> output, h_n = rnn(Tensor([[1.0], [2.0], [3.0]]))
        >>> output.data[:, 0].tolist(), h_n.shape, rnn.hidden_states[2][0].label
        ([1.0, 3.0, 6.0], (1, 1), 'h_2[0]')
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        nonlinearity: str = "tanh",
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        rng: np.random.Generator | None = None,
        **options: Any,
    ) -> None:
        if nonlinearity not in NONLINEARITIES:
            raise ValueError(
                f"RNN: nonlinearity must be one of {list(NONLINEARITIES)}, got {nonlinearity!r}"
            )
        super().__init__(
            input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, rng,
            **options,
        )  # fmt: skip
        self.nonlinearity = nonlinearity

    def forward(self, x: Any, hx: Any = None) -> tuple[Tensor, Tensor]:
        output, h_n, _ = self._run(x, hx)
        return output, h_n

    def extra_repr(self) -> str:
        return super().extra_repr() + f", nonlinearity={self.nonlinearity!r}"


class LSTM(_Sequence):
    """An LSTM over a sequence, like ``torch.nn.LSTM``: returns ``(output, (h_n, c_n))``.

    ``hx`` is None or a tuple ``(h_0, c_0)``; ``proj_size`` is not supported.

    Example:
        >>> lstm = LSTM(2, 3, num_layers=2, batch_first=True)
        >>> output, (h_n, c_n) = lstm(Tensor(np.ones((4, 5, 2))))
        >>> output.shape, h_n.shape, c_n.shape, len(lstm.cell_states)
        ((4, 5, 3), (2, 4, 3), (2, 4, 3), 6)
        >>> output, (h_n, c_n) = LSTM(2, 3, bidirectional=True)(Tensor(np.ones((5, 2))))
        >>> output.shape, h_n.shape
        ((5, 6), (2, 3))
    """

    kind = "LSTM"
    torch_defaults = LSTM_TORCH_DEFAULTS

    def forward(
        self, x: Any, hx: tuple[Any, Any] | None = None
    ) -> tuple[Tensor, tuple[Tensor, Tensor]]:
        output, h_n, c_n = self._run(x, hx)
        return output, (h_n, c_n)


class GRU(_Sequence):
    """A GRU over a sequence, like ``torch.nn.GRU``: returns ``(output, h_n)``.

    Example:
        >>> gru = GRU(2, 3)
        >>> output, h_n = gru(Tensor(np.ones((5, 2))))
        >>> output.shape, h_n.shape
        ((5, 3), (1, 3))
    """

    kind = "GRU"

    def forward(self, x: Any, hx: Any = None) -> tuple[Tensor, Tensor]:
        output, h_n, _ = self._run(x, hx)
        return output, h_n


__all__ = [
    "RNNCell",
    "RNN",
    "LSTMCell",
    "LSTM",
    "GRUCell",
    "GRU",
    "GateRows",
    "rnn_step",
    "lstm_step",
    "gru_step",
]
