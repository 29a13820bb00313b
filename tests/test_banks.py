"""Parameters kept in arrays (autograd/compiler/banks.py): a compiled step banks its parameters,
and every way of reading and writing them still means what it meant."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, compile
from autograd.compiler.banks import LIVE, Bank, BankedValue, unbank
from autograd.compiler.place import Place, locate


def _linear_step():
    nn.manual_seed(0)
    model = nn.Linear(3, 2)
    step = compile(lambda x: (model(x) ** 2).sum())
    return model, step


def _values(model):
    return [v for p in model.parameters() for v in p.values.flat]


def test_a_replay_banks_the_parameters_and_reads_and_writes_go_through_the_bank():
    model, step = _linear_step()
    x = np.array([1.0, -2.0, 0.5])
    out = model.weight.data @ x + model.bias.data
    assert step(x).item() == pytest.approx(out[0] ** 2 + out[1] ** 2, rel=1e-14)
    assert all(type(v) is BankedValue for v in _values(model))
    weight = model.weight.values[0, 0]
    weight.data = weight.data + 1.0  # a hand write, as the compile docstring shows
    # out_0 = w_00 x_0 + ...: raising w_00 by 1 raises out_0 by x_0 = 1.
    assert step(x).item() == pytest.approx((out[0] + 1.0) ** 2 + out[1] ** 2, rel=1e-14)


def test_compiled_gradients_accumulate_in_the_bank_and_read_back_per_value():
    # loss = sum((W x + b)^2): dL/dW = 2 (W x + b) x^T, dL/db = 2 (W x + b).
    model, step = _linear_step()
    x = np.array([1.0, -2.0, 0.5])
    W, b = model.weight.data, model.bias.data
    out = W @ x + b
    for _ in range(2):
        step(x).backward()
    np.testing.assert_allclose(model.weight.grad, 2 * 2 * np.outer(out, x), rtol=1e-14)
    np.testing.assert_allclose(model.bias.grad, 2 * 2 * out, rtol=1e-14)
    model.zero_grad()
    assert model.weight.grad.tolist() == [[0.0] * 3] * 2
    assert all(type(v) is BankedValue for v in _values(model))  # zeroed in the bank


def test_an_optimizer_over_banked_parameters_matches_one_over_plain_values():
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])

    def train(compiled: bool) -> list[float]:
        nn.manual_seed(3)
        model = nn.Linear(3, 1)
        optimizer = nn.optim.Adam(model.parameters(), lr=0.05)

        def loss_fn(x):
            return ((model(x) - 1.0) ** 2).mean()

        step = compile(loss_fn) if compiled else None
        for _ in range(5):
            optimizer.zero_grad()
            loss = step(x) if compiled else loss_fn(Tensor(x))
            loss.backward()
            optimizer.step()
        return [v.data for v in _values(model)]

    np.testing.assert_allclose(train(True), train(False), rtol=1e-12, atol=1e-14)


def test_an_eager_backward_gives_the_bank_back_and_adds_to_the_same_gradients():
    model, step = _linear_step()
    x = np.array([1.0, -2.0, 0.5])
    step(x).backward()
    compiled_grad = model.bias.grad.copy()
    (model(Tensor(x)) ** 2).sum().backward()  # eager, on the banked parameters
    assert all(type(v) is Value for v in _values(model))
    np.testing.assert_allclose(model.bias.grad, 2 * compiled_grad, rtol=1e-14)
    step(x).backward()  # the next replay banks them again
    assert all(type(v) is BankedValue for v in _values(model))
    np.testing.assert_allclose(model.bias.grad, 3 * compiled_grad, rtol=1e-14)


def test_a_step_over_some_of_the_parameters_uses_the_bank_that_holds_them():
    nn.manual_seed(1)
    model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
    train = compile(lambda x: model(x).sum())
    head = compile(lambda h: model[1](h).sum())  # the last layer's parameters only
    x = np.array([1.0, 2.0])
    train(x).backward()
    bank = locate(_values(model))[0]
    result = head(np.array([3.0, -1.0]))
    assert bank.valid and locate(_values(model[1]))[0] is bank
    w, b = model[1].weight.data, model[1].bias.data
    assert result.item() == pytest.approx(float((w @ [3.0, -1.0])[0] + b[0]), rel=1e-14)


def test_steps_over_overlapping_parameters_stay_right_when_called_in_turn():
    a, b, c = Tensor([1.0], label="a"), Tensor([2.0], label="b"), Tensor([3.0], label="c")
    first = compile(lambda x: (a * b * x).sum())
    second = compile(lambda x: (b * c * x).sum())
    for k in range(3):
        assert first(np.array([1.0])).item() == a.item() * b.item()
        assert second(np.array([1.0])).item() == b.item() * c.item()
        b.values[0].data = 2.0 + k  # a hand write between calls, whichever bank holds b
    first(np.array([1.0])).backward()
    second(np.array([1.0])).backward()
    assert (a.grad.item(), b.grad.item(), c.grad.item()) == (4.0, 1.0 + 3.0, 4.0)


def test_a_value_from_the_right_and_a_copy_behave_as_plain_values():
    v = Value(2.0, label="w")
    bank = Bank([v])
    y = Value(3.0) * v  # Value.__mul__ sees a BankedValue on the right
    y.backward()
    assert y.data == 6.0 and v.grad == 3.0 and bank.grad.tolist() == [0.0]  # unbanked
    Bank([v])
    twin = copy.deepcopy(v)
    assert type(twin) is Value and (twin.data, twin.grad, twin.label) == (2.0, 3.0, "w")
    twin.data = 9.0
    assert v.data == 2.0


def test_a_bank_refuses_a_value_twice_or_a_non_value_and_changes_nothing():
    v, w = Value(1.0), Value(2.0)
    held = Bank([w])
    with pytest.raises(ValueError, match="distinct Values; one was given twice"):
        Bank([v, v])
    with pytest.raises(TypeError, match="a bank holds Values, got float"):
        Bank([w, v, 1.0])
    assert type(v) is Value and v.data == 1.0
    assert held.valid and type(w) is BankedValue and w.data == 2.0  # left in its bank


def test_a_place_reads_and_writes_plain_and_banked_values_alike():
    values = [Value(1.0), Value(2.0), Value(3.0)]
    place = Place(values[::-1])
    for banked in (False, True):
        if banked:
            bank = Bank(values)
        place.write_data(np.array([6.0, 5.0, 4.0]))
        place.fill_grads(0.5)
        place.add_grads(np.array([1.0, 2.0, 3.0]))
        assert [v.data for v in values] == [4.0, 5.0, 6.0]
        assert place.read_grads().tolist() == [1.5, 2.5, 3.5]
        assert place.read_data().tolist() == [6.0, 5.0, 4.0]
    unbank(bank)
    assert not bank.valid and bank not in LIVE and [v.grad for v in values] == [3.5, 2.5, 1.5]


@pytest.mark.parametrize("seed", range(6))
def test_any_mix_of_compiled_eager_optimizer_and_hand_steps_matches_a_plain_twin(seed):
    # Two identical models: one trained through compiled steps (its parameters banked and
    # given back as the actions come), its twin only ever eagerly. Every action is applied
    # to both; their parameters and gradients must agree throughout.
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(4, 3))

    def make():
        nn.manual_seed(seed)
        model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
        return model, nn.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

    def loss_fn(model, x):
        return (model(x) ** 2).mean()

    def head_fn(model, x):
        return model[2](x).sum()

    banked, opt_b = make()
    plain, opt_p = make()
    full = compile(lambda x: loss_fn(banked, x))
    head = compile(lambda h: head_fn(banked, h))
    h = rng.normal(size=(2, 4))
    for _ in range(40):
        action = rng.integers(6)
        if action == 0:  # compiled step against an eager one
            full(x).backward()
            loss_fn(plain, Tensor(x)).backward()
        elif action == 1:  # a step over the head's parameters only
            head(h).backward()
            head_fn(plain, Tensor(h)).backward()
        elif action == 2:  # eager on both: the banked model gives its bank back
            loss_fn(banked, Tensor(x)).backward()
            loss_fn(plain, Tensor(x)).backward()
        elif action == 3:
            opt_b.step()
            opt_p.step()
        elif action == 4 and rng.random() < 0.5:
            opt_b.zero_grad()
            opt_p.zero_grad()
        elif action == 4:
            banked.zero_grad()
            plain.zero_grad()
        else:  # a hand write to one weight
            i, j, value = rng.integers(4), rng.integers(3), float(rng.normal())
            banked[0].weight.values[i, j].data = value
            plain[0].weight.values[i, j].data = value
        for p, q in zip(banked.parameters(), plain.parameters()):
            np.testing.assert_allclose(p.data, q.data, rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(p.grad, q.grad, rtol=1e-11, atol=1e-13)


def test_rebank_moves_the_numbers_back_into_the_same_bank():
    from autograd.compiler.banks import Bank, rebank, unbank
    from autograd.compiler.place import Place

    a, b = Value(1.0), Value(2.0)
    bank = Bank([a, b])
    place = Place([b, a])
    assert place.bank()[0] is bank
    (a * b).backward()  # eager backward gives the bank back
    assert not bank.valid and (a.grad, b.grad) == (2.0, 1.0)
    a.data = 5.0
    assert place.bank() is None
    assert rebank(bank) and bank.valid
    assert bank.data.tolist() == [5.0, 2.0] and bank.grad.tolist() == [2.0, 1.0]
    assert place.bank()[0] is bank  # found again without looking
    place.fill_grads(0.0)
    assert (a.grad, b.grad) == (0.0, 0.0)
    unbank(bank)
    Bank([a])  # a is in another bank now: the old one cannot come back
    assert not rebank(bank) and not bank.valid and a.data == 5.0


def test_compiled_steps_around_an_eager_step_give_eager_gradients():
    import nn
    from autograd import Tensor, compile

    nn.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]])

    def loss_of(inputs):
        return (model(inputs) ** 2).mean()

    step = compile(loss_of)
    grads = []
    for k in range(4):
        model.zero_grad()
        if k == 2:
            loss_of(Tensor(x)).backward()  # eager between compiled steps
        else:
            step(x).backward()
        grads.append([p.grad.tolist() for p in model.parameters()])
    for g in grads[1:]:
        np.testing.assert_allclose(
            np.concatenate([np.ravel(a) for a in g]),
            np.concatenate([np.ravel(a) for a in grads[0]]),
            rtol=1e-12,
        )
