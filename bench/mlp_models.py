"""The benchmark's models: micrograd's MLP written once over any Value class.

The per-scalar loop code is micrograd's own structure (a Neuron sums w_i * x_i
starting from its bias), so swapping the Value class compares the engines on
exactly the same graph. The Tensor path builds the same network from
``autograd.linear`` (one n-ary dot node per neuron output).
"""

from __future__ import annotations

import math
import random

import numpy as np


def make_moons(n: int = 100, noise: float = 0.1, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, labels -1/+1, as micrograd's demo uses (generated here)."""
    rng = np.random.default_rng(seed)
    n_out = n // 2
    n_in = n - n_out
    outer = np.stack(
        [np.cos(np.linspace(0, math.pi, n_out)), np.sin(np.linspace(0, math.pi, n_out))], 1
    )
    inner = np.stack(
        [
            1 - np.cos(np.linspace(0, math.pi, n_in)),
            1 - np.sin(np.linspace(0, math.pi, n_in)) - 0.5,
        ],
        1,
    )
    X = np.concatenate([outer, inner]) + rng.normal(0, noise, (n, 2))
    y = np.concatenate([-np.ones(n_out), np.ones(n_in)])
    return X, y


class LoopMLP:
    """micrograd's MLP(nin, nouts) over a given Value class, per-scalar loops."""

    def __init__(self, value_cls: type, nin: int, nouts: list[int], seed: int = 1337) -> None:
        rnd = random.Random(seed)
        sizes = [nin] + nouts
        self.V = value_cls
        self.layers = []
        for i in range(len(nouts)):
            neurons = [
                ([value_cls(rnd.uniform(-1, 1)) for _ in range(sizes[i])], value_cls(0.0))
                for _ in range(sizes[i + 1])
            ]
            self.layers.append((neurons, i != len(nouts) - 1))

    def parameters(self) -> list:
        return [p for neurons, _ in self.layers for w, b in neurons for p in (*w, b)]

    def __call__(self, x: list) -> object:
        for neurons, nonlin in self.layers:
            out = []
            for w, b in neurons:
                act = sum((wi * xi for wi, xi in zip(w, x)), b)
                out.append(act.relu() if nonlin else act)
            x = out
        return x[0]

    def loss(self, X: np.ndarray, y: np.ndarray, alpha: float = 1e-4) -> object:
        """micrograd's demo loss: mean max-margin (hinge) plus L2 regularisation."""
        V = self.V
        inputs = [list(map(V, row)) for row in X.tolist()]
        scores = list(map(self, inputs))
        losses = [(1 + -yi * si).relu() for yi, si in zip(y.tolist(), scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = alpha * sum(p * p for p in self.parameters())
        return data_loss + reg_loss

    def step(self, X: np.ndarray, y: np.ndarray, lr: float = 0.05) -> float:
        for p in self.parameters():
            p.grad = 0.0
        loss = self.loss(X, y)
        loss.backward()
        for p in self.parameters():
            p.data -= lr * p.grad
        return loss.data


class TensorMLP:
    """The same MLP with chalkgrad Tensors: one dot node per neuron output."""

    def __init__(self, nin: int, nouts: list[int], seed: int = 1337) -> None:
        from autograd import Tensor

        rng = np.random.default_rng(seed)
        sizes = [nin] + nouts
        self.params = []
        for i in range(len(nouts)):
            W = Tensor(rng.uniform(-1, 1, (sizes[i + 1], sizes[i])), label=f"W{i}")
            b = Tensor(np.zeros(sizes[i + 1]), label=f"b{i}")
            self.params.append((W, b))

    def parameters(self) -> list:
        return [v for W, b in self.params for t in (W, b) for v in t.values.flat]

    def loss(self, X: np.ndarray, y: np.ndarray, alpha: float = 1e-4) -> object:
        from autograd import Tensor, concat, linear

        h = Tensor(X)
        for i, (W, b) in enumerate(self.params):
            h = linear(h, W, b)
            if i != len(self.params) - 1:
                h = h.relu()
        scores = h.reshape(-1)
        data_loss = (1 - Tensor(y) * scores).relu().mean()
        params = concat([t.flatten() for W, b in self.params for t in (W, b)])
        reg_loss = alpha * (params * params).sum()
        return data_loss + reg_loss

    def step(self, X: np.ndarray, y: np.ndarray, lr: float = 0.05) -> float:
        params = self.parameters()
        for p in params:
            p.grad = 0.0
        loss = self.loss(X, y)
        loss.backward()
        for p in params:
            p.data -= lr * p.grad
        return loss.item()


class CompiledMLP(TensorMLP):
    """The Tensor path compiled: ``autograd.compile`` traces the loss once, then replays it.

    ``forward_backward`` is one compiled forward and backward; ``step`` is the
    whole training loop body with ``nn.optim.SGD`` (zero_grad, forward, backward, step).
    """

    def __init__(self, nin: int, nouts: list[int], seed: int = 1337, lr: float = 0.05) -> None:
        import nn
        from autograd import compile

        super().__init__(nin, nouts, seed)
        self.compiled = compile(self.loss)
        self.optimizer = nn.optim.SGD([t for W, b in self.params for t in (W, b)], lr=lr)

    def forward_backward(self, X: np.ndarray, y: np.ndarray) -> float:
        self.optimizer.zero_grad()
        loss = self.compiled(X, y)
        loss.backward()
        return loss.item()

    def step(self, X: np.ndarray, y: np.ndarray, lr: float = 0.05) -> float:
        self.optimizer.zero_grad()
        loss = self.compiled(X, y)
        loss.backward()
        self.optimizer.step()
        return loss.item()


class TorchMLP:
    """The same MLP and loss in PyTorch float64 (weights copied from a TensorMLP).

    The update is ``torch.optim.SGD``'s own rule for plain SGD (``p -= lr * grad``,
    then the gradients set to None), written out: constructing a ``torch.optim``
    optimizer imports ``torch._dynamo``, which makes every later pure-Python
    function in the process 25 to 65% slower (measured: micrograd and chalkgrad
    alike), so the engines beside it would be timed in a slowed interpreter.
    """

    def __init__(self, like: TensorMLP, lr: float = 0.05) -> None:
        import torch

        self.torch = torch
        self.lr = lr
        self.params = [
            (torch.tensor(W.data, requires_grad=True), torch.tensor(b.data, requires_grad=True))
            for W, b in like.params
        ]
        self.flat = [t for pair in self.params for t in pair]

    def loss(self, X, y, alpha: float = 1e-4):
        F = self.torch.nn.functional
        h = X
        for i, (W, b) in enumerate(self.params):
            h = F.linear(h, W, b)
            if i != len(self.params) - 1:
                h = self.torch.relu(h)
        data_loss = self.torch.relu(1 - y * h.reshape(-1)).mean()
        params = self.torch.cat([t.reshape(-1) for t in self.flat])
        return data_loss + alpha * (params * params).sum()

    def zero_grad(self) -> None:
        for p in self.flat:
            p.grad = None

    def forward_backward(self, X, y) -> float:
        self.zero_grad()
        loss = self.loss(X, y)
        loss.backward()
        return loss.item()

    def step(self, X, y) -> float:
        self.zero_grad()
        loss = self.loss(X, y)
        loss.backward()
        with self.torch.no_grad():
            for p in self.flat:
                p.add_(p.grad, alpha=-self.lr)
        return loss.item()
