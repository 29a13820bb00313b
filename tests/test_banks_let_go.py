"""A bank lets go of Values used one at a time (autograd/compiler/banks.py): micrograd-style
loops over a compiled model's parameters run on plain slots, and the numbers stay right."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, compile
from autograd.compiler.banks import (
    Bank,
    BankedValue,
    bank_of,
    let_go,
    replay_banked,
    unbank,
)
from autograd.compiler.place import Place, read_banked

X = np.array([1.0, -2.0, 0.5, 0.25, 3.0, -1.0, 0.0, 2.0])


def _model_and_step():
    # Linear(8, 4): 36 parameter Values, so a bank lets go after 16 accesses.
    nn.manual_seed(0)
    model = nn.Linear(8, 4)
    step = compile(lambda x: (model(x) ** 2).sum())
    return model, step


def _values(model) -> list:
    return [v for p in model.parameters() for v in p.values.flat]


def _banked(values) -> bool:
    return all(type(v) is BankedValue for v in values)


def test_a_micrograd_style_zero_loop_lets_the_bank_go_and_leaves_plain_values():
    model, step = _model_and_step()
    step(X).backward()
    step(X).backward()  # the first replay banked them
    values = _values(model)
    bank = bank_of(values[0])
    assert _banked(values) and bank.allowed == 16
    for p in values:
        p.grad = 0
    assert all(type(v) is Value for v in values)
    assert not bank.valid and bank.loose
    assert [v.grad for v in values] == [0.0] * 36


def test_replays_over_a_loose_bank_read_and_add_one_by_one_with_the_same_numbers():
    # loss = sum((W x + b)^2): dL/dW = 2 (W x + b) x^T, dL/db = 2 (W x + b).
    model, step = _model_and_step()
    values = _values(model)
    lr = 0.01
    for _ in range(2):
        step(X).backward()
    for p in values:  # micrograd's zero_grad, on the banked Values: lets go
        p.grad = 0
    for k in range(3):
        W, b = model.weight.data.copy(), model.bias.data.copy()
        out = W @ X + b
        loss = step(X)
        assert loss.item() == pytest.approx(float(out @ out), rel=1e-14)
        loss.backward()
        assert all(type(v) is Value for v in values), f"re-banked at step {k}"
        np.testing.assert_allclose(model.weight.grad, 2 * np.outer(out, X), rtol=1e-14)
        np.testing.assert_allclose(model.bias.grad, 2 * out, rtol=1e-14)
        for p in values:
            p.data -= lr * p.grad
        for p in values:
            p.grad = 0
        np.testing.assert_allclose(model.bias.data, b - lr * 2 * out, rtol=1e-14)


def test_a_micrograd_style_loop_trains_the_compiled_model_as_the_eager_one():
    def train(compiled: bool) -> list[float]:
        nn.manual_seed(5)
        model = nn.Linear(8, 4)
        loss_fn = lambda x: ((model(x) - 1.0) ** 2).mean()  # noqa: E731
        step = compile(loss_fn) if compiled else None
        for _ in range(6):
            for p in _values(model):
                p.grad = 0
            (step(X) if compiled else loss_fn(Tensor(X))).backward()
            for p in _values(model):
                p.data -= 0.1 * p.grad
        return [v.data for v in _values(model)]

    np.testing.assert_allclose(train(True), train(False), rtol=1e-13, atol=1e-15)


def test_a_loose_bank_is_tried_again_after_its_retry_count():
    model, step = _model_and_step()
    values = _values(model)
    for _ in range(2):
        step(X).backward()
    bank = bank_of(values[0])
    for p in values:
        p.grad = 0
    assert bank.loose and bank.retry == 8  # 4, doubled by the loose let-go
    for _ in range(8):
        step(X)
    assert all(type(v) is Value for v in values)
    step(X)  # the ninth: banked again
    assert bank.valid and not bank.loose and _banked(values)


def test_an_optimizer_step_over_loose_values_wants_the_bank_back():
    model, step = _model_and_step()
    optimizer = nn.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(2):
        step(X).backward()
    optimizer.step()  # its Place finds the bank
    values = _values(model)
    for p in values:
        p.grad = 0
    bank = bank_of(values[0]) if type(values[0]) is BankedValue else None
    assert bank is None and all(type(v) is Value for v in values)
    before = model.bias.data.copy()
    out = model.weight.data @ X + model.bias.data
    step(X).backward()  # loose: plain Values, the gradient added one by one
    assert all(type(v) is Value for v in values)
    optimizer.step()  # a bulk write: the next replay banks again
    np.testing.assert_allclose(model.bias.data, before - 0.5 * 2 * out, rtol=1e-14)
    step(X)
    assert _banked(values)


def test_reads_now_and_then_give_the_bank_back_and_the_next_replay_banks_again():
    model, step = _model_and_step()
    values = _values(model)
    for _ in range(4):
        step(X).backward()
    bank = bank_of(values[0])
    total = sum(v.data for v in values)  # read-only, three replays after the bank was made
    assert total == pytest.approx(float(model.weight.data.sum() + model.bias.data.sum()))
    assert not bank.valid and not bank.loose
    step(X)
    assert bank.valid and _banked(values)


def test_a_few_accesses_keep_the_bank():
    model, step = _model_and_step()
    for _ in range(2):
        step(X).backward()
    values = _values(model)
    model.zero_grad()  # in bulk: no per-Value access
    for v in values[:15]:  # fewer than the 16 accesses allowed
        v.grad = 1.0
    assert _banked(values)
    step(X)  # a replay counts afresh
    assert [v.grad for v in values[:15]] == [1.0] * 15  # 15 reads
    assert _banked(values) and bank_of(values[0]).grad.sum() == 15.0  # the rest zeroed


def test_let_go_and_replay_banked_on_a_bank_made_by_hand():
    values = [Value(float(i)) for i in range(40)]
    bank = Bank(values)
    assert replay_banked(bank)  # valid and not loose: a replay may use it
    let_go(bank)  # let go before any replay: loose
    assert bank.loose and bank.retry == 8 and not replay_banked(bank) and bank.replays == 1
    let_go(bank)  # already given back: nothing
    assert bank.replays == 1
    place = Place(values)
    place.write_data(np.arange(40.0) * 2)
    assert values[3].data == 6.0
    unbank(bank)


def test_reads_of_every_value_beside_an_optimizer_stop_bringing_the_bank_back():
    # Each step: the optimizer's zero_grad, the compiled step, from the fourth step on a
    # read of every Value (36, more than the 16 allowed), the optimizer's step.
    def train(compiled: bool):
        nn.manual_seed(2)
        model = nn.Linear(8, 4)
        optimizer = nn.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = lambda x: ((model(x) - 1.0) ** 2).sum()  # noqa: E731
        step = compile(loss_fn) if compiled else None
        norms, banked = [], []
        for k in range(8):
            optimizer.zero_grad()
            (step(X) if compiled else loss_fn(Tensor(X))).backward()
            first = _values(model)[0]
            banked.append(bank_of(first) if type(first) is BankedValue else None)
            if k >= 3:
                norms.append(sum(v.grad * v.grad for v in _values(model)))
            optimizer.step()
        return model, norms, banked

    model, norms, banked = train(True)
    _, eager_norms, _ = train(False)
    np.testing.assert_allclose(norms, eager_norms, rtol=1e-12)
    bank = banked[0]
    # The first call banks (it traces, then replays); step 3's reads give the bank back,
    # step 4 banks again and its reads, right after, make it loose; the optimizer's bulk
    # write brings it back for step 5, whose reads let it go at once again: from then on
    # only the retry count does.
    assert banked == [bank] * 6 + [None, None]
    assert bank.loose and not bank.heed and bank.retry == 16
    assert all(type(v) is Value for v in _values(model))


def test_tensor_data_and_grad_read_the_bank_in_bulk_and_keep_it():
    model, step = _model_and_step()
    values = _values(model)
    for _ in range(3):
        step(X).backward()
    bank = bank_of(values[0])
    out = model.weight.data @ X + model.bias.data
    for _ in range(3):  # 3 x 36 elements read, far over the 16 accesses allowed
        np.testing.assert_allclose(model.weight.grad, 3 * 2 * np.outer(out, X), rtol=1e-14)
        np.testing.assert_allclose(model.bias.grad, 3 * 2 * out, rtol=1e-14)
    assert bank.valid and _banked(values)


def test_read_banked_refuses_values_outside_one_valid_bank():
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    first, second = Bank([a]), Bank([b])
    assert read_banked(np.array([a], dtype=object), "data").tolist() == [1.0]
    assert read_banked(np.array([a, b], dtype=object), "data") is None  # two banks
    assert read_banked(np.array([a, c], dtype=object), "data") is None  # c is plain
    assert read_banked(np.array([c, a], dtype=object), "data") is None  # c first
    unbank(first)
    assert read_banked(np.array([a], dtype=object), "data") is None  # given back
    assert read_banked(np.array([], dtype=object), "grad") is None
    assert Tensor([1.0]).data.tolist() == [1.0]  # plain Values: read one by one
    unbank(second)
