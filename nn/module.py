"""``Module`` and ``Parameter``: PyTorch's module habits over scalar Values.

A Module holds Parameters (Tensors of leaf Values) and submodules, declared as
attributes in ``__init__``. Attaching one records its dotted path, and every Value
of a Parameter is labelled ``<dotted name>[i,j]`` (``conv.weight[0,0,1]``), so a
graph drawing names the weights without knowing about nn. ``state_dict`` and
``load_state_dict`` (``nn/state.py``) use PyTorch's names and layouts, so weights
exported from a PyTorch model load unchanged; ``ModuleList`` is in ``nn/containers.py``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from itertools import chain
from typing import Any

import numpy as np

from autograd import Tensor
from autograd.compiler.assumptions import changed
from autograd.compiler.place import Place
from nn.state import StateDictMethods

# Bumped on every change to any module's Parameters or submodules; a module's cached
# parameter list (``Module.parameters``, ``zero_grad``) is valid while it is unchanged.
_STRUCTURE = [0]


class Parameter(Tensor):
    """A Tensor of leaf Values that a Module trains.

    Example:
        >>> w = Parameter([[1.0, 2.0]], label="w")
        >>> w[0, 1].label, w.shape
        ('w[0,1]', (1, 2))
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class Module(StateDictMethods):
    """Base class of every layer: parameters, submodules, train/eval, state dicts.

    Subclasses set Parameters and submodules as attributes in ``__init__`` and
    define ``forward``; calling the module calls ``forward``.

    Example:
        >>> class Scale(Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.weight = Parameter([2.0])
        ...     def forward(self, x):
        ...         return x * self.weight
        >>> class Net(Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.scale = Scale()
        ...     def forward(self, x):
        ...         return self.scale(x)
        >>> net = Net()
        >>> [name for name, _ in net.named_parameters()], net.scale.weight[0].label
        (['scale.weight'], 'scale.weight[0]')
        >>> net(Tensor([3.0])).data.tolist()
        [6.0]
    """

    # Every change of a module's attributes, mode or structure bumps the assumptions'
    # version (autograd/compiler/assumptions.py), so a compiled step re-checks its modules
    # only then. Attributes written around ``__setattr__`` (``object.__setattr__``,
    # ``vars(m)[k] = v``) are not seen.
    versioned_assumptions = True

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_prefix", "")
        object.__setattr__(self, "training", True)
        changed()

    # ------------------------------------------------------------ attributes
    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"{type(self).__name__}: call super().__init__() before assigning {name!r}"
            )
        removed_parameter = self._parameters.pop(name, None) is not None
        removed_module = self._modules.pop(name, None) is not None
        self._buffers.pop(name, None)
        if removed_parameter or removed_module or isinstance(value, (Parameter, Module)):
            _STRUCTURE[0] += 1  # cached parameter lists of every module are out of date
        if isinstance(value, Parameter):
            self._parameters[name] = value
            value.name((self._prefix or self._kind_prefix()) + name)
        elif isinstance(value, Module):
            self._modules[name] = value
            value._set_prefix(self._prefix + name + ".")
        object.__setattr__(self, name, value)
        changed()

    def __delattr__(self, name: str) -> None:
        for table in (self._parameters, self._modules, self._buffers):
            table.pop(name, None)
        _STRUCTURE[0] += 1
        object.__delattr__(self, name)
        changed()

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Attach ``param`` under ``name`` (``None`` records an absent one, like no bias).

        Example:
            >>> m = Module()
            >>> m.register_parameter("bias", None)
            >>> m.register_parameter("weight", Parameter([1.0, 2.0]))
            >>> m.bias, [n for n, _ in m.named_parameters()], m.weight[1].label
            (None, ['weight'], 'weight[1]')
        """
        if param is None:
            self._parameters.pop(name, None)
            _STRUCTURE[0] += 1
            object.__setattr__(self, name, None)
            changed()
        else:
            setattr(self, name, param)

    def register_buffer(self, name: str, value: Any) -> None:
        """A non-trained array saved in the state dict (e.g. running statistics).

        Example:
            >>> m = Module()
            >>> m.register_buffer("mean", [0.5, 1.5])
            >>> m.num_parameters(), dict(m.state_dict())["mean"].tolist()
            (0, [0.5, 1.5])
        """
        self._buffers[name] = np.asarray(value, dtype=float)
        object.__setattr__(self, name, self._buffers[name])
        changed()

    def add_module(self, name: str, module: Module) -> None:
        """Attach ``module`` under ``name`` (names such as ``"0"`` need this form).

        Example:
            >>> from nn import Linear
            >>> m = Module()
            >>> m.add_module("0", Linear(1, 1))
            >>> [n for n, _ in m.named_parameters()]
            ['0.weight', '0.bias']
        """
        setattr(self, name, module)

    def name(self, prefix: str) -> Module:
        """Name this module: its parameters' Values become ``prefix.weight[i,j]``; returns self.

        A submodule is named by its attribute path automatically; ``name`` is for
        a module used on its own, so that its drawing reads like the homework.

        Example:
            >>> from nn import Linear
            >>> Linear(2, 1).name("fc").weight[0, 1].label
            'fc.weight[0,1]'
        """
        if not isinstance(prefix, str):
            raise TypeError(
                f"{type(self).__name__}.name() takes a str, got {type(prefix).__name__}"
            )
        self._set_prefix(prefix + "." if prefix else "")
        return self

    def _kind_prefix(self) -> str:
        """``conv1d.``: what a module used on its own calls its parameters (none for a bare Module)."""
        if type(self) is Module:
            return ""
        return (getattr(type(self), "kind_name", None) or type(self).__name__.lower()) + "."

    def _set_prefix(self, prefix: str) -> None:
        """Record the dotted path of this module and relabel everything below it."""
        stack: list[tuple[Module, str]] = [(self, prefix)]
        while stack:
            module, path = stack.pop()
            object.__setattr__(module, "_prefix", path)
            for name, p in module._parameters.items():
                p.name(path + name)
            for name, child in module._modules.items():
                stack.append((child, path + name + "."))
        changed()

    # ------------------------------------------------------------- calling
    def _named(self, out: Tensor, noun: str, what: str = "out") -> Tensor:
        """Name what ``forward`` computed ``<module path>.<what>[i,j]``; returns ``out``.

        The path is the module's dotted name (``features.0`` becomes ``features.0.conv``:
        a bare index says nothing), or ``noun`` for a module used on its own, so a
        drawing can call ``conv.out[0,1,2]`` by name. Only unnamed computed elements
        are named (see :meth:`autograd.Tensor.name_new`).

        Example:
            >>> from nn import ReLU, Sequential
            >>> ReLU()(Tensor([1.0]))[0].label, Sequential(ReLU())(Tensor([1.0]))[0].label
            ('relu.out[0]', '0.relu.out[0]')
        """
        return out.name_new(f"{self._path(noun)}.{what}")

    def _path(self, noun: str) -> str:
        """The dotted name :meth:`_named` puts before what this module computes."""
        path = self._prefix[:-1] if self._prefix else noun
        return f"{path}.{noun}" if path.rsplit(".", 1)[-1].isdigit() else path

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The computation of the layer; call the module (``module(x)``) rather than this.

        Each layer's class docstring gives its input and output shapes.

        Example:
            >>> from nn import Linear
            >>> lin = Linear(2, 1)
            >>> _ = lin.load_state_dict({"weight": [[1.0, 2.0]], "bias": [0.0]})
            >>> lin(Tensor([1.0, 1.0])).data.tolist() == lin.forward(Tensor([1.0, 1.0])).data.tolist()
            True
        """
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    def _expect_shape(
        self,
        shape: tuple,
        ranks: tuple[int, ...],
        size: int,
        size_name: str,
        layout: str,
        what: str = "input",
    ) -> None:
        """Raise a ValueError naming this module unless ``shape`` has a rank in ``ranks``
        and last dimension ``size`` (batch dims may be None, as in ``summary``)."""
        shape = tuple(shape)
        if len(shape) not in ranks or shape[-1] != size:
            raise ValueError(
                f"{type(self).__name__}: expected {what} of shape {layout} with "
                f"{size_name}={size}, received shape {shape}"
            )

    def output_shape(self, input_shape: tuple) -> tuple:
        """The output shape for ``input_shape`` without building any graph (for summary).

        Non-int dims (``None`` or ``"N"``) are batch dims and pass through; a wrong
        rank or feature size raises the same ValueError as ``forward``.

        Example:
            >>> from nn import LSTM, Linear
            >>> LSTM(3, 4).output_shape((5, None, 3)), Linear(3, 2).output_shape((None, 3))
            ((5, None, 4), (None, 2))
        """
        raise NotImplementedError(
            f"{type(self).__name__} does not define output_shape(); nn.summary needs it"
        )

    def summary_name(self) -> str:
        """The layer column of :func:`nn.summary` (the class name unless a layer says more).

        Example:
            >>> from nn import Linear, ReLU
            >>> Linear(3, 2).summary_name(), ReLU().summary_name()
            ('Linear(3, 2)', 'ReLU')
        """
        return type(self).__name__

    # ---------------------------------------------------------- traversal
    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """This module and every submodule, depth first in declaration order, with dotted names.

        Example:
            >>> from nn import Linear, Sequential, ReLU
            >>> [n for n, _ in Sequential(Linear(1, 2), ReLU()).named_modules()]
            ['', '0', '1']
        """
        seen: set[int] = set()
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [(f"{name}.{k}" if name else k, m) for k, m in module._modules.items()]
            stack.extend(reversed(children))

    def modules(self) -> Iterator[Module]:
        """This module and all submodules.

        Example:
            >>> from nn import Linear, Sequential, ReLU
            >>> [type(m).__name__ for m in Sequential(Linear(1, 2), ReLU()).modules()]
            ['Sequential', 'Linear', 'ReLU']
        """
        for _, m in self.named_modules():
            yield m

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """Direct submodules with their attribute names.

        Example:
            >>> from nn import TransformerBlock
            >>> [n for n, _ in TransformerBlock(2, d_ff=4).named_children()]
            ['attention', 'norm1', 'norm2', 'feed_forward']
        """
        yield from self._modules.items()

    def children(self) -> Iterator[Module]:
        """Direct submodules.

        Example:
            >>> from nn import Linear, Sequential, ReLU
            >>> len(list(Sequential(Sequential(Linear(1, 1), ReLU()), ReLU()).children()))
            2
        """
        yield from self._modules.values()

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        """Every Parameter with its dotted name, each shared Parameter once.

        Example:
            >>> from nn import Linear
            >>> [(n, p.shape) for n, p in Linear(3, 2).named_parameters()]
            [('weight', (2, 3)), ('bias', (2,))]
        """
        seen: set[int] = set()
        for module_name, module in self.named_modules(prefix):
            for name, p in module._parameters.items():
                if id(p) in seen:
                    continue
                seen.add(id(p))
                yield (f"{module_name}.{name}" if module_name else name), p

    def parameters(self) -> list[Parameter]:
        """All Parameters (a new list, so it can be passed to an optimizer and reused).

        The walk over the submodules is cached until a module's structure changes
        (a Parameter or submodule set, replaced or deleted anywhere).

        Example:
            >>> from nn import Linear
            >>> [p.shape for p in Linear(3, 2).parameters()]
            [(2, 3), (2,)]
        """
        return list(self._parameter_cache()[1])

    def _parameter_cache(self) -> tuple:
        """(structure version, Parameters, their Values arrays, a Place for their Values)."""
        cache = self.__dict__.get("_cached_parameters")
        if cache is not None and cache[0] == _STRUCTURE[0]:
            for p, values in zip(cache[1], cache[2]):
                if p.values is not values:  # a Parameter given other Values
                    break
            else:
                return cache
        params = [p for _, p in self.named_parameters()]
        cache = (_STRUCTURE[0], params, [p.values for p in params], None)
        object.__setattr__(self, "_cached_parameters", cache)
        return cache

    def named_buffers(self) -> Iterator[tuple[str, np.ndarray]]:
        """Every buffer (non-trained array) with its dotted name.

        Example:
            >>> m = Module()
            >>> m.register_buffer("count", [3.0])
            >>> [(n, b.tolist()) for n, b in m.named_buffers()]
            [('count', [3.0])]
        """
        for module_name, module in self.named_modules():
            for name, b in module._buffers.items():
                yield (f"{module_name}.{name}" if module_name else name), b

    def num_parameters(self) -> int:
        """The number of trainable scalars.

        Example:
            >>> from nn import Linear
            >>> Linear(3, 2).num_parameters()
            8
        """
        return sum(p.size for p in self.parameters())

    # ------------------------------------------------------------ training
    def zero_grad(self) -> None:
        """Set the gradient of every parameter Value to 0.

        Example:
            >>> from nn import Linear
            >>> lin = Linear(2, 1)
            >>> lin(Tensor([1.0, 2.0])).sum().backward()
            >>> lin.weight.grad.tolist()
            [[1.0, 2.0]]
            >>> lin.zero_grad(); lin.weight.grad.tolist()
            [[0.0, 0.0]]
        """
        cache = self._parameter_cache()
        place = cache[3]
        if place is None:  # cached with the Parameters: a structure change makes a new one
            params = cache[1]
            place = Place(list(chain.from_iterable(p.values.ravel().tolist() for p in params)))
            cache = cache[:3] + (place,)
            object.__setattr__(self, "_cached_parameters", cache)
        place.fill_grads(0.0)  # one bulk write, once compile has banked them

    def train(self, mode: bool = True) -> Module:
        """Set ``training`` on this module and all submodules; returns self.

        Example:
            >>> from nn import Dropout, Sequential
            >>> net = Sequential(Dropout(0.5)).eval()
            >>> net.train()[0].training
            True
        """
        for m in self.modules():
            object.__setattr__(m, "training", bool(mode))
        changed()
        return self

    def eval(self) -> Module:
        """Evaluation mode (Dropout becomes the identity); returns self.

        Example:
            >>> from nn import Dropout, Sequential
            >>> net = Sequential(Dropout(0.5)).eval()
            >>> net.training, net[0].training, net(Tensor([1.0, 2.0])).data.tolist()
            (False, False, [1.0, 2.0])
        """
        return self.train(False)

    # ---------------------------------------------------------------- repr
    def extra_repr(self) -> str:
        """The arguments shown inside the parentheses of ``repr``.

        Example:
            >>> from nn import Linear
            >>> Linear(3, 2).extra_repr()
            'in_features=3, out_features=2, bias=True'
        """
        return ""

    def __repr__(self) -> str:
        lines = []
        for name, child in self._modules.items():
            body = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {body}")
        extra = self.extra_repr()
        if not lines:
            return f"{type(self).__name__}({extra})"
        head = f"{type(self).__name__}({extra}" if extra else f"{type(self).__name__}("
        return head + "\n" + "\n".join(lines) + "\n)"


__all__ = ["Module", "Parameter"]
