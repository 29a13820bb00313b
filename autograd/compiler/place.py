"""Where a fixed list of Values keeps its numbers: a :class:`Place` reads and writes them in bulk.

The Values may sit in one bank (``banks.py``), which a compiled step made, or hold
their numbers themselves. Optimizers, ``Module.zero_grad`` and a compiled step's
replay go through a Place, so they never need to know which.

Example:
    >>> from autograd import Value
    >>> from autograd.compiler.banks import Bank
    >>> a, b = Value(1.0), Value(2.0); place = Place([a, b])
    >>> place.fill_grads(0.5); bank = Bank([a, b]); place.add_grads(np.array([1.0, 2.0]))
    >>> bank.grad.tolist(), a.grad
    ([1.5, 2.5], 1.5)
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

import numpy as np

from autograd.compiler.banks import BANKING, LIVE, Bank, BankedValue, bank_of
from autograd.compiler.bulk import add_grads, read_data, read_grads, set_data, set_grads
from autograd.nodes import BULK_READERS
from autograd.value import Value


def locate(values: Sequence[Value]) -> tuple[Bank, np.ndarray | slice] | None:
    """The valid bank holding all of ``values``, and their indices in it; else None.

    The indices are ``slice(None)`` when ``values`` are the whole bank in its own
    order. A first Value that is not banked answers None at once.

    Example:
        >>> from autograd import Value
        >>> a, b = Value(1.0), Value(2.0); bank = Bank([a, b])
        >>> locate([a, b]) == (bank, slice(None)), locate([b])[1].tolist(), locate([Value(0.0)])
        (True, [1], None)
    """
    if not values or values[0].__class__ is not BankedValue:
        return None
    bank = bank_of(values[0])
    if bank.__class__ is not Bank or not bank.valid:  # (or being moved by another thread)
        return None
    if len(values) == len(bank.members) and list(values) == bank.members:  # identity, in C
        return bank, slice(None)
    try:
        if set(map(_BANK, values)) != {bank}:  # a pass in C, not a loop over the Values
            return None
    except AttributeError:  # a plain Value among them: only BankedValue has ``_bank``
        return None
    return bank, np.fromiter(map(_INDEX, values), int, len(values))


_BANK, _INDEX = attrgetter("_bank"), attrgetter("_index")  # a BankedValue's two slots


def read_banked(flat: np.ndarray, which: str) -> np.ndarray | None:
    """``data`` or ``grad`` of Values that are all in one valid bank, in one numpy call;
    else None (``Tensor.data`` and ``Tensor.grad`` ask this first: ``nodes.BULK_READERS``).

    No access is counted: reading a Parameter never lets its bank go.

    Example:
        >>> from autograd import Value
        >>> a, b = Value(1.0), Value(2.0); bank = Bank([a, b]); bank.grad += 5.0
        >>> read_banked(np.array([b, a], dtype=object), "data").tolist()
        [2.0, 1.0]
        >>> read_banked(np.array([a, Value(3.0)], dtype=object), "grad") is None
        True
    """
    if not LIVE or not flat.size or flat[0].__class__ is not BankedValue:
        return None
    with BANKING:  # no Value moves meanwhile: banks and indices agree
        found = locate(flat.tolist())
        if found is None:
            return None
        bank, index = found
        return np.array(getattr(bank, which)[index])  # a copy, never a view of the bank


BULK_READERS.append(read_banked)


class Place:
    """Where a fixed list of Values keeps its numbers: a bank (found again when it
    goes invalid) or the Values themselves. Reads and writes them in bulk.

    Example:
        >>> from autograd import Value
        >>> a, b = Value(1.0), Value(2.0); place = Place([b, a])
        >>> place.read_data().tolist()
        [2.0, 1.0]
        >>> bank = Bank([a, b]); place.write_data(np.array([7.0, 8.0])); a.data, b.data
        (8.0, 7.0)
    """

    __slots__ = ("values", "_found", "_missed", "_whole")

    def __init__(self, values: Sequence[Value]) -> None:
        self.values = list(values)
        self._found: tuple[Bank, np.ndarray | slice] | None = None
        self._missed: Bank | None = None  # a bank that holds some, not all, of them
        self._whole = False  # the found indices are every member of the bank, in any order

    def bank(self) -> tuple[Bank, np.ndarray | slice] | None:
        """The bank and indices of the Values now, or None when they are not all in one.

        Example:
            >>> from autograd import Value
            >>> a = Value(1.0); place = Place([a]); place.bank() is None
            True
            >>> bank = Bank([a]); place.bank() == (bank, slice(None))
            True
        """
        found = self._found
        if found is not None and found[0].valid:
            return found
        values = self.values
        first = values[0] if values else None
        if first is None or first.__class__ is not BankedValue:
            return None  # (keep _found: ``rebank`` may make that bank valid again)
        if bank_of(first) is self._missed and self._missed.valid:
            return None
        self._found = found = locate(values)
        self._whole = found is not None and (
            found[1].__class__ is slice
            or np.unique(found[1]).size == len(found[1]) == len(found[0].members)
        )
        missed = bank_of(first)
        self._missed = missed if found is None and missed.__class__ is Bank else None
        return found

    def read_data(self) -> np.ndarray:
        """Every Value's ``data`` as a new float array.

        Example:
            >>> from autograd import Value
            >>> Place([Value(1.0), Value(2.0)]).read_data().tolist()
            [1.0, 2.0]
        """
        found = self.bank()
        if found is None:
            return read_data(self.values)
        bank, index = found
        return np.array(bank.data[index])

    def read_grads(self) -> np.ndarray:
        """Every Value's ``grad`` as a new float array.

        Example:
            >>> from autograd import Value
            >>> v = Value(1.0); v.grad = 3.0; Place([v]).read_grads().tolist()
            [3.0]
        """
        found = self.bank()
        if found is None:
            return read_grads(self.values)
        bank, index = found
        return np.array(bank.grad[index])

    def write_data(self, data: np.ndarray) -> None:
        """``v.data = d`` for every Value.

        Example:
            >>> from autograd import Value
            >>> v = Value(1.0); Place([v]).write_data(np.array([4.0])); v.data
            4.0
        """
        with BANKING:  # no other thread gives the bank back meanwhile
            found = self.bank()
            if found is None:
                set_data(self.values, data)
                if self._found is not None and self._found[0].loose:
                    self._found[0].wanted = True  # an optimizer: the next replay banks again
            else:
                found[0].data[found[1]] = data

    def fill_grads(self, grad: float) -> None:
        """``v.grad = grad`` for every Value (``zero_grad``).

        Example:
            >>> from autograd import Value
            >>> v = Value(1.0); v.grad = 2.0; Place([v]).fill_grads(0.0); v.grad
            0.0
        """
        with BANKING:  # no other thread gives the bank back meanwhile
            found = self.bank()
            if found is None:
                set_grads(self.values, grad)
            elif self._whole:  # the whole bank, in another order (a model's parameters)
                found[0].grad.fill(grad)
            else:
                found[0].grad[found[1]] = grad

    def add_grads(self, grads: np.ndarray) -> None:
        """``v.grad += g`` for every Value: gradients accumulate, as in eager backward.

        Example:
            >>> from autograd import Value
            >>> v = Value(1.0); v.grad = 1.0; Place([v]).add_grads(np.array([2.5])); v.grad
            3.5
        """
        with BANKING:  # no other thread gives the bank back meanwhile
            found = self.bank()
            if found is None:
                add_grads(self.values, grads)
            else:
                found[0].grad[found[1]] += grads  # distinct Values: no index repeats
