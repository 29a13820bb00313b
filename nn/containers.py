"""Containers: modules that hold other modules (``ModuleList``).

``Sequential`` is in ``nn/layers.py``, beside the layers it chains.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from nn.module import Module


class ModuleList(Module):
    """A list of submodules named ``"0"``, ``"1"``, ... (for stacks and heads).

    Example:
        >>> from nn import Linear
        >>> layers = ModuleList([Linear(2, 2), Linear(2, 1)])
        >>> len(layers), [n for n, _ in layers.named_parameters()]
        (2, ['0.weight', '0.bias', '1.weight', '1.bias'])
    """

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        for m in modules or ():
            self.append(m)

    def append(self, module: Module) -> ModuleList:
        """Add ``module`` under the next index; returns self.

        Example:
            >>> from nn import Linear
            >>> layers = ModuleList().append(Linear(1, 1))
            >>> layers[0].weight[0, 0].label
            '0.weight[0,0]'
        """
        if not isinstance(module, Module):
            raise TypeError(f"ModuleList.append takes a Module, got {type(module).__name__}")
        self.add_module(str(len(self._modules)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        """Append each of ``modules``; returns self.

        Example:
            >>> from nn import Linear, ReLU
            >>> len(ModuleList([Linear(1, 1)]).extend([ReLU(), Linear(1, 1)]))
            3
        """
        for m in modules:
            self.append(m)
        return self

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(list(self._modules.values()))

    def __getitem__(self, index: int | slice) -> Any:
        items = list(self._modules.values())
        if isinstance(index, slice):
            return items[index]  # a plain list: re-attaching would rename the modules
        if not -len(items) <= index < len(items):
            raise IndexError(f"ModuleList index {index} out of range for {len(items)} modules")
        return items[index]


__all__ = ["ModuleList"]
