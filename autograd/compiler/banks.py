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

Code that walks the Values one at a time (micrograd's ``p.grad = 0`` and
``p.data -= lr * p.grad``, a picture, an eager forward) would pay that on every
access, so a bank counts them: after ``allowed`` accesses since the last replay it
lets go (:func:`let_go`) and the Values are plain again, 7 ns an access. A bank let
go while being *written* one by one, or let go again right after a replay made it,
turns ``loose``: the next replays read and add to its Values one by one (about 0.09 µs
a parameter) instead of moving them back in (0.25 µs a parameter, both ways), and
try the bank again after ``retry`` replays, or at once after an optimizer's bulk
write (until such a return is let go at once: then a loop reads every Value beside the
optimizer, and staying loose is cheaper). A bank let go once in a while (an eager
step to evaluate or draw) is made again by the next replay. ``Tensor.data`` and
``Tensor.grad`` are not per-Value accesses: they read the bank in one numpy call
(``place.read_banked``) and never let it go.

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
from operator import attrgetter

import numpy as np

from autograd.compiler.bulk import read_data, read_grads
from autograd.graph import BEFORE_BACKWARD
from autograd.value import Value

# The plain class's slot descriptors: a banked Value keeps its bank in the
# ``data`` slot and its index in the ``grad`` slot, behind the properties below.
_SLOT_DATA = Value.__dict__["data"]
_SLOT_GRAD = Value.__dict__["grad"]
bank_of = _SLOT_DATA.__get__
index_of = _SLOT_GRAD.__get__


LIVE: weakref.WeakSet = weakref.WeakSet()  # the valid banks; empty, eager code skips all this
# Held while Values move into or out of banks, so two threads never move the same ones.
BANKING = threading.RLock()


def _banked_number(which: str) -> property:
    """The property ``data`` or ``grad`` of a :class:`BankedValue`: its place in the bank.

    No lock here, though another thread may be moving the Value (under BANKING). A read
    takes bank, index and bank again and goes the slow way (:func:`_settled`) unless they
    agree. A write goes through a memoryview, then checks the bank is still valid with
    that array; anything else (a move half done, a number refused) takes the lock. Each
    access counts toward the bank's ``allowed`` (:func:`let_go`).
    """
    view_of = attrgetter(f"{which}_view")

    def read(self: BankedValue) -> float:
        try:
            bank = self._bank
            if bank.__class__ is Bank:
                index = self._index
                if index.__class__ is int and self._bank is bank:
                    touches = bank.touches + 1
                    bank.touches = touches
                    if touches < bank.allowed:
                        return view_of(bank)[index]
                    let_go(bank)  # read one by one: plain slots from here on
        except AttributeError:  # another thread gave it back just now: a plain Value again
            pass
        return _settled(self, which)

    def write(self: BankedValue, x: float) -> None:
        try:
            bank = self._bank
        except AttributeError:  # another thread gave it back just now: a plain Value again
            bank = None
        if bank.__class__ is Bank:
            touches = bank.touches + 1
            bank.touches = touches
            bank.writes += 1
            if touches >= bank.allowed:
                let_go(bank)  # written one by one: plain slots from here on
                bank = None
        if bank.__class__ is Bank:
            view = view_of(bank)
            try:
                view[self._index] = x
            except (TypeError, ValueError, OverflowError, AttributeError):
                pass
            else:
                if bank.valid and view_of(bank) is view:
                    return
        _store(self, which, x)

    return property(read, write)


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

    data = _banked_number("data")  # type: ignore[assignment]
    grad = _banked_number("grad")  # type: ignore[assignment]

    def __reduce_ex__(self, protocol: int) -> tuple:
        # A copy is a plain Value holding the numbers (its bank stays with the original).
        return _plain_value, (self.data, self.grad, self.label)


def _store(v: Value, which: str, x: float) -> None:
    """``v.data = x`` or ``v.grad = x`` under the banking lock: into the bank's array
    (numpy's conversion, errors included) while ``v`` is banked, else into its slot."""
    with BANKING:
        if v.__class__ is BankedValue:
            getattr(bank_of(v), which)[index_of(v)] = x
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
        bank, index = bank_of(v), index_of(v)
        if bank_of(v) is not bank:
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

    __slots__ = (
        "data", "grad", "data_view", "grad_view", "members", "valid",  # the numbers
        "touches", "writes", "allowed", "loose", "wanted", "replays", "retry",  # when to let go
        "heed", "by_wanted",  # whether an optimizer's bulk write brings the bank back at once
        "__weakref__",
    )  # fmt: skip

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
                        unbank(bank_of(v))
            _fill(self, read_data(members), read_grads(members))
            self.members = members
            self.valid = True
            _start_counting(self, retry=4)
            self.heed, self.by_wanted = True, False
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
    _start_counting(bank, retry=4)
    bank.heed, bank.by_wanted = True, False
    return bank


def _start_counting(bank: Bank, retry: int) -> None:
    """Per-Value accesses counted from zero; the bank is neither loose nor wanted."""
    bank.touches = bank.writes = bank.replays = 0
    bank.allowed = max(16, min(256, len(bank.members) // 4))
    bank.loose = bank.wanted = False
    bank.retry = retry


def let_go(bank: Bank) -> None:
    """Give ``bank`` back because its Values are being used one at a time (see above).

    Example:
        >>> from autograd import Value
        >>> values = [Value(float(i)) for i in range(20)]; bank = Bank(values)
        >>> for v in values: v.grad = 1.0      # 16 writes allowed, then plain slots
        >>> bank.valid, bank.loose, type(values[-1]).__name__, values[0].grad
        (False, True, 'Value', 1.0)
    """
    with BANKING:
        if not bank.valid:
            return
        # Written one by one (micrograd's update: 2 reads, 1 write), or let go again in
        # the first replay's wake since it was made: per-Value use is the pattern.
        loose = bank.writes * 4 >= bank.touches or bank.replays == 0
        if loose and bank.replays == 0 and bank.by_wanted:
            # An optimizer's write brought it back and it was let go at once: a loop that
            # reads every Value each step beside the optimizer. Moving it in and out each
            # step costs more than staying loose, so from now on only ``retry`` counts.
            bank.heed = False
        bank.by_wanted = False
        unbank(bank)
        if loose:
            bank.loose, bank.wanted, bank.replays = True, False, 0
            bank.retry = min(2 * bank.retry, 64)  # let go again soon after: wait longer


def replay_banked(bank: Bank) -> bool:
    """Whether a replay should move a given-back ``bank``'s Values in again (it counts).

    Not while it is loose, until it has waited ``retry`` replays or an optimizer
    wrote its Values in bulk (``wanted``, heeded until such a return was let go at once).

    Example:
        >>> from autograd import Value
        >>> bank = Bank([Value(1.0)]); unbank(bank); replay_banked(bank)
        True
        >>> bank.loose = True; replay_banked(bank), bank.replays
        (False, 1)
    """
    if not bank.loose:
        return True
    bank.replays += 1
    if bank.wanted and bank.heed:
        bank.by_wanted = True
        return True
    return bank.replays > bank.retry


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
        _start_counting(bank, retry=bank.retry)
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
            unbank(bank_of(v))


def _give_back_before_backward(order: Sequence[Value]) -> None:
    if LIVE:  # no bank alive: eager code pays one truth test per backward
        unbank_reached(order)


BEFORE_BACKWARD.append(_give_back_before_backward)
