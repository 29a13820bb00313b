"""Parameters kept in arrays: a :class:`Bank` holds the numbers of many leaf Values.

A compiled step reads every parameter's ``data`` and adds to every ``.grad`` on
each call, and an optimizer reads and writes them again. One Python attribute
access costs about 18 ns, so a layer of 13,520 weights spends more time moving
numbers between Values and arrays than numpy spends on the whole step. A bank
keeps those numbers in two float arrays instead, ``data`` and ``grad``: the
compiled step copies ``bank.data`` in one numpy call and adds into ``bank.grad``
in another, and the optimizer updates both in place.

The Values stay the user's own objects. While banked, a Value's class is
:class:`BankedValue`: ``data`` and ``grad`` are properties over its bank (as a
PyTorch tensor is a view into a storage), and its two slots hold its bank and index.
An access costs about 0.1 µs instead of 7 ns; ``unbank`` gives the numbers back.

Only ``compile`` banks; optimizers and ``Module.zero_grad`` use a bank when their
Values are all in one. An eager ``backward()`` that reaches a banked Value gives its
whole bank back first (:func:`unbank_reached`): one bulk move each way.

Example:
    >>> from autograd import Value
    >>> a, b = Value(1.0), Value(2.0)
    >>> bank = Bank([a, b])
    >>> bank.data += 10.0                # the numbers live in the bank now
    >>> a.data, type(a).__name__
    (11.0, 'BankedValue')
    >>> b.data = 5.0; bank.data.tolist()
    [11.0, 5.0]
    >>> unbank(bank); b.data, type(b).__name__
    (5.0, 'Value')
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Sequence

import numpy as np

from autograd.compiler.bulk import add_grads, read_data, read_grads, set_data, set_grads
from autograd.graph import BEFORE_BACKWARD
from autograd.value import Value

# The plain class's slot descriptors: a banked Value keeps its bank in the
# ``data`` slot and its index in the ``grad`` slot, behind the properties below.
_SLOT_DATA = Value.__dict__["data"]
_SLOT_GRAD = Value.__dict__["grad"]
_bank_of = _SLOT_DATA.__get__
_index_of = _SLOT_GRAD.__get__


LIVE: weakref.WeakSet = weakref.WeakSet()  # the valid banks; empty, eager code skips all this
# Held while Values move into or out of banks, so two threads never move the same ones.
BANKING = threading.RLock()


class BankedValue(Value):
    """A Value whose ``data`` and ``grad`` live in a :class:`Bank` (same layout as Value).

    Example:
        >>> v = Value(3.0); bank = Bank([v]); v.grad += 2.0
        >>> isinstance(v, Value), v.data, bank.grad.tolist()
        (True, 3.0, [2.0])
    """

    __slots__ = ()

    # The two slots under other names: plain member reads, faster than calling the slot
    # descriptors (a banked Value keeps its bank in ``data``'s slot, its index in ``grad``'s).
    _bank = _SLOT_DATA
    _index = _SLOT_GRAD

    # No lock here, though another thread may be moving this Value (under BANKING). A read
    # takes bank, index and bank again and goes the slow way (:func:`_settled`) unless they
    # agree. A write goes through a memoryview, then checks the bank is still valid with
    # that array; anything else (a move half done, a number refused) takes the lock.
    @property
    def data(self) -> float:  # type: ignore[override]
        try:
            bank = self._bank
            if bank.__class__ is Bank:
                index = self._index
                if index.__class__ is int and self._bank is bank:
                    return bank.data_view[index]
        except AttributeError:  # another thread gave it back just now: a plain Value again
            pass
        return _settled(self, "data")

    @data.setter
    def data(self, x: float) -> None:
        try:
            bank = self._bank
        except AttributeError:  # another thread gave it back just now: a plain Value again
            bank = None
        if bank.__class__ is Bank:
            view = bank.data_view
            try:
                view[self._index] = x
            except (TypeError, ValueError, OverflowError, AttributeError):
                pass
            else:
                if bank.valid and bank.data_view is view:
                    return
        _store(self, "data", x)

    @property
    def grad(self) -> float:  # type: ignore[override]
        try:
            bank = self._bank
            if bank.__class__ is Bank:
                index = self._index
                if index.__class__ is int and self._bank is bank:
                    return bank.grad_view[index]
        except AttributeError:  # another thread gave it back just now: a plain Value again
            pass
        return _settled(self, "grad")

    @grad.setter
    def grad(self, x: float) -> None:
        try:
            bank = self._bank
        except AttributeError:  # another thread gave it back just now: a plain Value again
            bank = None
        if bank.__class__ is Bank:
            view = bank.grad_view
            try:
                view[self._index] = x
            except (TypeError, ValueError, OverflowError, AttributeError):
                pass
            else:
                if bank.valid and bank.grad_view is view:
                    return
        _store(self, "grad", x)

    def __reduce_ex__(self, protocol: int) -> tuple:
        # A copy is a plain Value holding the numbers (its bank stays with the original).
        return _plain_value, (self.data, self.grad, self.label)


def _store(v: Value, which: str, x: float) -> None:
    """``v.data = x`` or ``v.grad = x`` under the banking lock: into the bank's array
    (numpy's conversion, errors included) while ``v`` is banked, else into its slot."""
    with BANKING:
        if v.__class__ is BankedValue:
            getattr(_bank_of(v), which)[_index_of(v)] = x
        else:
            (_SLOT_DATA if which == "data" else _SLOT_GRAD).__set__(v, x)


def _settled(v: Value, which: str) -> float:
    """``v.data`` or ``v.grad`` while another thread moves ``v`` into or out of a bank.

    Moving in writes the class, then the index, then the bank into the two slots;
    moving out writes the grad, then the data, then the class. So a number in the data
    slot is the one to read (its grad, while the index is there, is on its way to the
    bank), and a bank with a number beside it is a bank being emptied, which still holds
    this Value's numbers at its place in ``members``.
    """
    for _attempt in range(100_000):
        bank, index = _bank_of(v), _index_of(v)
        if _bank_of(v) is not bank:
            continue
        if bank.__class__ is not Bank:  # the numbers are back in the slots
            if which == "data":
                return bank
            if index.__class__ is not int or v.__class__ is not BankedValue:
                return index  # (an int beside a number and the class: an index on its way)
        elif index.__class__ is int:
            return getattr(bank, which).item(index)
        elif which == "grad":
            return index
        else:
            for k, member in enumerate(bank.members):
                if member is v:
                    return bank.data.item(k)
        time.sleep(0)  # let the moving thread finish
    raise RuntimeError(f"a banked Value's numbers could not be read: {v.label or '(unlabelled)'}")


BANKABLE = (Value, BankedValue)  # the classes a bank takes (it sets __class__ and back)


def _plain_value(data: float, grad: float, label: str | None) -> Value:
    v = Value(data, label)
    v.grad = grad
    return v


class Bank:
    """The ``data`` and ``grad`` of distinct leaf Values, as two float arrays.

    Making a bank moves the numbers in: a Value already in another bank first
    makes that whole bank give its numbers back (``valid`` turns False there).
    Holders of a bank check ``valid`` before using it.

    Example:
        >>> from autograd import Value
        >>> v = Value(1.0); first = Bank([v]); second = Bank([v])
        >>> first.valid, second.valid, second.data.tolist()
        (False, True, [1.0])
    """

    __slots__ = ("data", "grad", "data_view", "grad_view", "members", "valid", "__weakref__")

    def __init__(self, values: Sequence[Value]) -> None:
        members = list(values)
        if len(set(map(id, members))) != len(members):
            raise ValueError("a bank holds distinct Values; one was given twice")
        classes = set(map(type, members))
        for cls in classes - set(BANKABLE):
            v = next(v for v in members if v.__class__ is cls)
            if not isinstance(v, Value):
                raise TypeError(f"a bank holds Values, got {type(v).__name__}")
            raise TypeError(  # its class would be lost: refused
                f"a bank holds plain Values, got one of the subclass {type(v).__name__} "
                f"({v.label or 'unlabelled'}); a compiled step reads such parameters "
                "one by one instead"
            )
        with BANKING:
            if BankedValue in classes:  # checked first, so a refused bank changes nothing
                for v in members:
                    if v.__class__ is BankedValue:
                        unbank(_bank_of(v))
            _fill(self, read_data(members), read_grads(members))
            self.members = members
            self.valid = True
            LIVE.add(self)
            _move_in(self)

    def __repr__(self) -> str:
        state = "valid" if self.valid else "given back"
        return f"Bank({len(self.members)} Values, {state})"

    def __reduce__(self) -> tuple:
        # A copy holds plain Values (BankedValue.__reduce_ex__): a given-back bank of them.
        return _given_back, (self.members, self.data, self.grad)


def _fill(bank: Bank, data: np.ndarray, grad: np.ndarray) -> None:
    """New arrays for ``bank``, and the memoryviews through which Values read them."""
    bank.data, bank.grad = data, grad
    bank.data_view, bank.grad_view = memoryview(data), memoryview(grad)


def _given_back(members: list, data: np.ndarray, grad: np.ndarray) -> Bank:
    bank = Bank.__new__(Bank)
    _fill(bank, np.array(data, dtype=float), np.array(grad, dtype=float))
    bank.members, bank.valid = list(members), False
    return bank


def unbank(bank: Bank) -> None:
    """Give every member of ``bank`` its numbers back; the bank is no longer valid.

    Example:
        >>> from autograd import Value
        >>> v = Value(1.0); bank = Bank([v]); bank.grad[0] = 4.0; unbank(bank)
        >>> type(v).__name__, v.grad, bank.valid
        ('Value', 4.0, False)
    """
    with BANKING:
        if not bank.valid:
            return
        bank.valid = False
        LIVE.discard(bank)
        data, grad = bank.data.tolist(), bank.grad.tolist()
        if threading.active_count() == 1:  # nobody else reads: the class first, plain writes
            for v, d, g in zip(bank.members, data, grad):
                v.__class__ = Value
                v.data = d
                v.grad = g
            return
        for v, d, g in zip(bank.members, data, grad):  # the order _settled relies on
            _SLOT_GRAD.__set__(v, g)
            _SLOT_DATA.__set__(v, d)
            v.__class__ = Value


def _move_in(bank: Bank) -> None:
    """Make every member a :class:`BankedValue` of ``bank`` (its numbers are in the arrays).

    With other threads running, in the order :func:`_settled` relies on: the class, then
    the index and the bank through the slot descriptors. With none, the slots are written
    as plain attributes before the class changes, which is 4x faster (13,610 Values: about
    1 ms against 4.6 ms).
    """
    members = bank.members
    if threading.active_count() == 1:
        for i, v in enumerate(members):
            v.data = bank
            v.grad = i
            v.__class__ = BankedValue
        return
    for i, v in enumerate(members):
        v.__class__ = BankedValue
        _SLOT_GRAD.__set__(v, i)
        _SLOT_DATA.__set__(v, bank)


def rebank(bank: Bank) -> bool:
    """Move the numbers of a given-back bank's Values into it again; False if it cannot.

    It cannot when one of them is in another bank now. Holders of the bank (a
    :class:`Place`) find it valid again without looking for it, and no check of the
    Values is repeated: a compiled step that an eager backward interrupted costs one
    bulk move each way.

    Example:
        >>> from autograd import Value
        >>> a = Value(1.0); bank = Bank([a]); unbank(bank); a.data = 3.0
        >>> rebank(bank), bank.valid, bank.data.tolist(), type(a).__name__
        (True, True, [3.0], 'BankedValue')
    """
    with BANKING:
        if bank.valid:
            return True
        members = bank.members
        if set(map(type, members)) != {Value}:
            return False
        _fill(bank, read_data(members), read_grads(members))  # new arrays: see BankedValue
        bank.valid = True
        LIVE.add(bank)
        _move_in(bank)
        return True


def unbank_reached(nodes: Sequence[Value]) -> None:
    """Give back every bank that holds one of ``nodes`` (eager backward calls this).

    Example:
        >>> from autograd import Value
        >>> w = Value(2.0); bank = Bank([w]); y = w * 3.0
        >>> y.backward(); type(w).__name__, w.grad, bank.valid
        ('Value', 3.0, False)
    """
    for v in nodes:
        if v.__class__ is BankedValue:
            unbank(_bank_of(v))


def _give_back_before_backward(order: Sequence[Value]) -> None:
    if LIVE:  # no bank alive: eager code pays one truth test per backward
        unbank_reached(order)


BEFORE_BACKWARD.append(_give_back_before_backward)


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
    bank = _bank_of(values[0])
    if bank.__class__ is not Bank or not bank.valid:  # (or being moved by another thread)
        return None
    if len(values) == len(bank.members) and list(values) == bank.members:  # identity, in C
        return bank, slice(None)
    index = np.empty(len(values), dtype=int)
    for k, v in enumerate(values):
        if v.__class__ is not BankedValue or _bank_of(v) is not bank:
            return None
        index[k] = _index_of(v)
    return bank, index


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
        if _bank_of(first) is self._missed and self._missed.valid:
            return None
        self._found = found = locate(values)
        self._whole = found is not None and (
            found[1].__class__ is slice
            or np.unique(found[1]).size == len(found[1]) == len(found[0].members)
        )
        missed = _bank_of(first)
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
