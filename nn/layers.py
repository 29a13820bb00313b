"""Dense layers and containers: ``Linear``, ``Sequential``, ``Flatten``, ``Dropout``, ``Embedding``.

Each output of ``Linear`` is one ``dot`` node Σ w_i x_i + b, the neuron the homework draws.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import numpy as np

from autograd import Tensor, as_tensor, linear, ops, where
from autograd.mode import note_derived
from nn import init
from nn.module import Module, Parameter
from nn.options import TORCH_COMMON, check_int, reject_options

EMBEDDING_TORCH_DEFAULTS = {
    "max_norm": None,
    "norm_type": 2.0,
    "scale_grad_by_freq": False,
    "sparse": False,
    "_weight": None,
    "_freeze": False,
    **TORCH_COMMON,
}


def _dim(value: Any) -> str:
    return str(value) if isinstance(value, (int, np.integer)) else "N"


def format_shape(shape: tuple) -> str:
    """``(N,16,64,64)``: a shape as the homework writes it; non-int dims print as N.

    Example:
        >>> format_shape((None, 16, 64, 64))
        '(N,16,64,64)'
    """
    return "(" + ",".join(_dim(d) for d in shape) + ")"


def check_features(module: Module, shape: tuple, axis: int, expected: int, what: str) -> None:
    """Raise if ``shape[axis]`` (an int) is not ``expected``, naming the module."""
    if len(shape) < (-axis if axis < 0 else axis + 1):
        raise ValueError(
            f"{module!r}: input of shape {tuple(shape)} has too few dims for {what} {expected}"
        )
    got = shape[axis]
    if isinstance(got, (int, np.integer)) and got != expected:
        raise ValueError(
            f"{module!r}: expected input with {what} {expected}, received shape {tuple(shape)}"
        )


class Linear(Module):
    """y = x W^T + b with weight (out_features, in_features), like ``torch.nn.Linear``.

    Weights start uniform in ±1/sqrt(in_features) (PyTorch's default bound).

    Example:
        >>> lin = Linear(2, 1)
        >>> _ = lin.load_state_dict({"weight": [[1.0, -1.0]], "bias": [0.5]})
        >>> y = lin(Tensor([3.0, 1.0]))
        >>> y.data.tolist(), y[0].op, len(y[0].parents)
        ([2.5], 'dot', 5)
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        rng: np.random.Generator | None = None,
        **options: Any,
    ) -> None:
        super().__init__()
        reject_options("Linear", options, TORCH_COMMON)
        self.in_features = check_int("Linear", "in_features", in_features, 0)
        self.out_features = check_int("Linear", "out_features", out_features, 0)
        bound = init.fan_in_bound(in_features)
        self.weight = Parameter(init.uniform((out_features, in_features), bound, rng))
        self.register_parameter(
            "bias", Parameter(init.uniform((out_features,), bound, rng)) if bias else None
        )

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        check_features(self, x.shape, -1, self.in_features, "last dim")
        return self._named(linear(x, self.weight, self.bias), "fc")  # (..., out_features)

    def output_shape(self, input_shape: tuple) -> tuple:
        check_features(self, input_shape, -1, self.in_features, "last dim")
        return tuple(input_shape[:-1]) + (self.out_features,)

    def summary_name(self) -> str:
        return f"Linear({self.in_features}, {self.out_features})"

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Sequential(Module):
    """Modules applied in order; submodules are named ``"0"``, ``"1"``, ... or by an OrderedDict.

    Example:
        >>> from nn import ReLU
        >>> net = Sequential(Linear(2, 3), ReLU(), Linear(3, 1))
        >>> net(Tensor([1.0, 2.0])).shape, [n for n, _ in net.named_parameters()][:2]
        ((1,), ['0.weight', '0.bias'])
    """

    def __init__(self, *modules: Module | OrderedDict) -> None:
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, m in modules[0].items():
                self.add_module(name, m)
        else:
            for i, m in enumerate(modules):
                if not isinstance(m, Module):
                    raise TypeError(
                        f"Sequential takes Modules, got {type(m).__name__} at position {i}"
                    )
                self.add_module(str(i), m)

    def forward(self, x: Any) -> Any:
        for m in self._modules.values():
            x = m(x)
        return x

    def output_shape(self, input_shape: tuple) -> tuple:
        shape = tuple(input_shape)
        for m in self._modules.values():
            shape = m.output_shape(shape)
        return shape

    def append(self, module: Module) -> Sequential:
        """Add ``module`` at the end (named by its index); returns self.

        Example:
            >>> from nn import ReLU
            >>> net = Sequential(Linear(2, 2)).append(ReLU())
            >>> len(net), net(Tensor([-1.0, 1.0])).shape
            (2, (2,))
        """
        self.add_module(str(len(self._modules)), module)
        return self

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(list(self._modules.values()))

    def __getitem__(self, index: int) -> Module:
        items = list(self._modules.values())
        if not -len(items) <= index < len(items):
            raise IndexError(f"Sequential index {index} out of range for {len(items)} modules")
        return items[index]


class Flatten(Module):
    """Merge dims ``start_dim..end_dim`` into one (PyTorch's defaults keep the batch dim).

    Example:
        >>> Flatten()(Tensor(np.zeros((2, 3, 4)))).shape
        (2, 12)
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x: Any) -> Tensor:
        return as_tensor(x).flatten(self.start_dim, self.end_dim)

    def output_shape(self, input_shape: tuple) -> tuple:
        shape = tuple(input_shape)
        n = len(shape)
        start, end = self.start_dim % n, self.end_dim % n
        merged = shape[start : end + 1]
        if all(isinstance(d, (int, np.integer)) for d in merged):
            size: Any = int(np.prod(merged))
        else:
            size = None
        return shape[:start] + (size,) + shape[end + 1 :]

    def summary_name(self) -> str:
        return "Flatten"

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Dropout(Module):
    """Zero each input with probability ``p`` while training; the identity in eval mode.

    ``rescale=True`` (PyTorch) multiplies the kept inputs by 1/(1-p) so the
    expected output equals the input. ``rescale=False`` is the variant of P20: kept
    inputs pass unchanged (no new nodes), so E[h'] = (1-p) h and the next layer's
    weights must be scaled by (1-p) at test time.

    Example:
        >>> drop = Dropout(0.5, rescale=False, rng=np.random.default_rng(0))
        >>> drop(Tensor([1.0, 2.0, 3.0, 4.0])).data.tolist()
        [1.0, 0.0, 0.0, 0.0]
        >>> drop.eval()(Tensor([1.0, 2.0])).data.tolist()
        [1.0, 2.0]
    """

    def __init__(
        self,
        p: float = 0.5,
        rescale: bool = True,
        rng: np.random.Generator | None = None,
        **options: Any,
    ) -> None:
        super().__init__()
        reject_options("Dropout", options, {"inplace": False})
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout: p must be in [0, 1], got {p}")
        self.p, self.rescale, self.rng = p, rescale, rng

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        if not self.training or self.p == 0.0:
            return x
        keep = init.get_rng(self.rng).random(x.shape) >= self.p  # True: the unit survives
        if self.rescale and self.p < 1.0:
            return self._named(where(keep, x * (1.0 / (1.0 - self.p)), 0.0), "dropout")
        return self._named(where(keep, x, 0.0), "dropout")

    def output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    def summary_name(self) -> str:
        return f"Dropout(p={self.p})"

    def extra_repr(self) -> str:
        return f"p={self.p}" + ("" if self.rescale else ", rescale=False")


class Embedding(Module):
    """A lookup table: row ``i`` of ``weight`` (num_embeddings, embedding_dim) for index ``i``.

    The output holds the very Values of the table (no new nodes), so gradients of
    repeated indices add up in the table row. Initialised from N(0, 1) like PyTorch.
    With ``padding_idx`` that row starts at zeros and gets no gradient: its lookups
    are constant copies of the row, as in PyTorch.

    Example:
        >>> emb = Embedding(3, 2)
        >>> _ = emb.load_state_dict({"weight": [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]})
        >>> emb([2, 0]).data.tolist(), emb([1])[0, 1].label
        ([[4.0, 5.0], [0.0, 1.0]], 'embedding.weight[1,1]')
        >>> pad = Embedding(3, 2, padding_idx=0)
        >>> pad.weight.data[0].tolist(), pad([0, 1])[0, 0].label is None
        ([0.0, 0.0], True)
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        rng: np.random.Generator | None = None,
        **options: Any,
    ) -> None:
        super().__init__()
        reject_options("Embedding", options, EMBEDDING_TORCH_DEFAULTS)
        self.num_embeddings = check_int("Embedding", "num_embeddings", num_embeddings, 1)
        self.embedding_dim = check_int("Embedding", "embedding_dim", embedding_dim, 0)
        if padding_idx is not None:
            if (
                isinstance(padding_idx, bool)
                or not isinstance(padding_idx, (int, np.integer))
                or not -num_embeddings <= padding_idx < num_embeddings
            ):
                raise ValueError(
                    f"Embedding: padding_idx must be an int in [-{num_embeddings}, "
                    f"{num_embeddings}) or None, got {padding_idx!r}"
                )
            padding_idx = int(padding_idx) % num_embeddings
        self.padding_idx = padding_idx
        table = init.normal((num_embeddings, embedding_dim), 1.0, rng)
        if padding_idx is not None:
            table[padding_idx] = 0.0
        self.weight = Parameter(table)

    def forward(self, indices: Any) -> Tensor:
        if isinstance(indices, Tensor):
            indices = indices.data
        raw = np.asarray(indices)
        if raw.dtype.kind not in "iu" and not (
            raw.dtype.kind == "f" and (raw == raw.round()).all()
        ):
            raise TypeError(f"{self!r}: indices must be integers, received dtype {raw.dtype}")
        idx = raw.astype(int)
        if idx.size and (idx.min() < 0 or idx.max() >= self.num_embeddings):
            raise IndexError(
                f"{self!r}: indices must be in [0, {self.num_embeddings}), received min "
                f"{idx.min()} and max {idx.max()}"
            )
        out = self.weight.values[idx]  # idx.shape + (embedding_dim,)
        if self.padding_idx is not None and (idx == self.padding_idx).any():
            weights = self.weight.values[self.padding_idx]
            row = Tensor(self.weight.data[self.padding_idx]).values  # constants: no gradient
            for copy, weight in zip(row, weights):  # compile replays them from the weights
                note_derived(copy, ops.DETACHED, (weight,))
            out[idx == self.padding_idx] = row
        return Tensor.wrap(out)

    def output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape) + (self.embedding_dim,)

    def summary_name(self) -> str:
        return f"Embedding({self.num_embeddings}, {self.embedding_dim})"

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        return text + ("" if self.padding_idx is None else f", padding_idx={self.padding_idx}")


__all__ = [
    "Linear",
    "Sequential",
    "Flatten",
    "Dropout",
    "Embedding",
    "format_shape",
    "check_features",
]
