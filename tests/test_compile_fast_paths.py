"""The fast paths of compiled steps give the slow paths' numbers, bit for bit (issue 24).

Max/min/rowmax groups replayed over rows, slots on a grid read and written as strided views,
the module version that spares re-checking unchanged modules, and the lock-free accessors
of banked Values.
"""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

import nn
from autograd import Tensor, Value, compile, ops
from autograd.backend import FLOAT
from autograd.backend_numpy import NUMPY
from autograd.compiler.banks import Bank, BankedValue, unbank
from autograd.compiler.groups import Gather, Scatter, _strided, make_group
from autograd.compiler.place import Place

RNG = np.random.default_rng(24)


def _awkward_rows(n: int, width: int) -> np.ndarray:
    X = RNG.integers(-2, 3, size=(n, width)).astype(float)
    X[RNG.random(X.shape) < 0.1] = np.nan
    X[RNG.random(X.shape) < 0.1] = -0.0
    X[RNG.random(X.shape) < 0.05] = np.inf
    return X


@pytest.mark.parametrize("op", [ops.MAX, ops.MIN, ops.ROW_MAX])
@pytest.mark.parametrize("width", [3, 4, 9, 40])
def test_row_rules_pick_the_element_the_scalar_rule_picks(op, width):
    X = _awkward_rows(500, width)
    rows = op.forward_rows(X)
    columns = [X[:, k] for k in range(width)]
    assert np.array_equal(rows, op.forward(NUMPY, *columns), equal_nan=True)
    assert np.array_equal(np.signbit(rows), np.signbit(op.forward(NUMPY, *columns)))
    local = op.partials_rows(rows, X)
    expected = np.stack(np.broadcast_arrays(rows, *op.partials(NUMPY, rows, *columns))[1:], 1)
    assert np.array_equal(local, expected)
    for r in range(0, 500, 97):  # and the float engine's scan
        assert np.array_equal(rows[r], op.forward(FLOAT, *X[r].tolist()), equal_nan=True)


def test_a_selection_over_rows_sends_exact_zeros_and_repeated_inputs_stay_elementwise():
    distinct = make_group(ops.MAX, [0, 1], np.array([[0, 1, 2], [3, 4, 5]]))
    repeated = make_group(ops.MAX, [0, 1], np.array([[0, 0, 2], [3, 4, 5]]))
    assert distinct.kind == "rows" and repeated.kind == "elementwise"
    g = make_group(ops.MAX, [0], np.array([[0, 1, 2]]))
    g.bind(np.arange(3))
    g.start, g.stop = 3, 4
    values = np.array([1.0, 5.0, 2.0, 0.0])
    saved = g.forward(values)
    grads = np.array([0.0, 0.0, 0.0, np.inf])
    g.backward(values, grads, saved)
    assert grads[:3].tolist() == [0.0, np.inf, 0.0]  # not 0 * inf = nan


def test_slots_on_a_grid_are_read_and_written_as_a_strided_view():
    index = 7 + np.arange(4)[:, None] * 25 + np.arange(20)[None, :]  # rows split by a bias slot
    assert _strided(index) is not None
    assert _strided(np.repeat(index[:, :1], 20, axis=1)) is None  # repeats: a bincount
    values = RNG.normal(size=200)
    assert np.array_equal(Gather(index)(values), values[index])
    a, b = np.zeros(200), np.zeros(200)
    contribution = RNG.normal(size=index.shape)
    Scatter(index)(a, contribution)
    b[index.ravel()] += contribution.ravel()
    assert a.tobytes() == b.tobytes()


def test_a_compiled_conv_step_matches_eager_after_the_fast_paths():
    nn.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 2, 3), nn.MaxPool2d(2), nn.Flatten(0), nn.Linear(2 * 3 * 3, 3)
    )
    image = RNG.normal(size=(1, 8, 8))
    image[0, :2, :2] = 0.5  # ties inside a pooling window
    step = compile(lambda x: nn.functional.cross_entropy(model(x), 1))
    step(image).backward()
    model.zero_grad()
    loss = step(image)
    loss.backward()
    compiled = [p.grad.copy() for p in model.parameters()]
    model.zero_grad()
    eager = nn.functional.cross_entropy(model(Tensor(image)), 1)
    eager.backward()
    assert loss.item() == pytest.approx(eager.item(), abs=1e-12)  # (matmul sums in other orders)
    for c, p in zip(compiled, model.parameters()):
        assert np.allclose(c, np.asarray(p.grad, float), rtol=1e-12, atol=1e-12)


class _Duck:
    """A module by duck typing, outside nn: checked in full on every call."""

    def __init__(self):
        self._buffers, self._parameters, self._modules = {}, {}, {}
        self.training, self.scale = True, 2.0

    def named_parameters(self):
        return iter(())

    def modules(self):
        return iter([self])


def test_changes_seen_without_a_full_check_until_a_module_changes():
    m = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
    step = compile(lambda x: m(x).sum())
    x = RNG.normal(size=(1, 2))
    for _ in range(3):
        step(x)
    m[1].p = 0.0  # through Module.__setattr__: a new version
    assert step.traces == 1 and step(x) is not None and step.traces == 2
    m.eval()
    step(x)
    assert step.traces == 3
    duck = _Duck()
    step = compile(lambda x, d=duck: (x * d.scale).sum())
    step(x)
    duck.scale = 3.0  # no version here: its flags are compared on every call
    assert step(x).item() == pytest.approx(3.0 * x.sum())
    assert step.traces == 2


def test_banked_accessors_read_and_write_the_bank_and_refused_numbers_take_numpy_s_way():
    values = [Value(float(i)) for i in range(5)]
    bank = Bank(values)
    v = values[3]
    v.grad = 0  # an int, as micrograd loops write
    v.data -= 0.5 * 2.0
    assert type(v) is BankedValue and bank.grad[3] == 0.0 and bank.data[3] == 2.0
    assert type(v.data) is float and type(v.grad) is float
    v.data = None  # numpy's conversion (nan), as before the fast path
    assert np.isnan(bank.data[3])
    with pytest.raises(OverflowError):
        v.grad = 10**400
    unbank(bank)
    v.grad = 7.0
    assert type(v) is Value and v.grad == 7.0


def test_a_bank_copied_or_pickled_with_its_values_is_given_back():
    values = [Value(1.0), Value(2.0)]
    bank = Bank(values)
    place = Place(values)
    place.fill_grads(3.0)
    copied_place, copied_bank = pickle.loads(pickle.dumps((place, bank)))
    assert not copied_bank.valid and type(copied_place.values[0]) is Value
    assert copied_place.read_grads().tolist() == [3.0, 3.0]
    copied_place.fill_grads(0.0)
    assert copy.deepcopy(values)[0].grad == 3.0 and bank.grad.tolist() == [3.0, 3.0]


def test_zero_grad_over_a_whole_bank_in_another_order_fills_it():
    nn.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
    step = compile(lambda x: model(x).sum())
    step(RNG.normal(size=(4, 3))).backward()
    step(RNG.normal(size=(4, 3))).backward()
    assert any(np.any(p.grad != 0) for p in model.parameters())
    model.zero_grad()
    assert all(np.all(p.grad == 0) for p in model.parameters())


def test_a_grid_whose_steps_overlap_is_not_strided_and_scatters_with_sums():
    # Slots origin + 1*i + 2*j for i < 3, j < 40: step 2 does not clear the span 2 of the
    # step-1 axis, so slots repeat (0+1*2 == 0+2*1); the scatter must sum them.
    index = 5 + np.arange(3)[:, None] * 1 + np.arange(40)[None, :] * 2
    assert _strided(index) is None
    grads = np.zeros(100)
    Scatter(index)(grads, np.ones(index.shape))
    # Slot 5 + k is reached by every (i, j) with i + 2j = k: slot 9 (k = 4) by (0, 2) and
    # (2, 1), slot 7 (k = 2) by (0, 1) and (2, 0); slots 5 and 6 once each.
    assert grads[5] == 1.0 and grads[9] == 2.0 and grads[6] == 1.0 and grads[7] == 2.0
    assert grads.sum() == index.size


def test_a_nested_grid_with_a_gap_is_strided():
    # A weight matrix of 8 rows of 10, each row followed by a bias slot: steps 11 and 1.
    index = 3 + np.arange(8)[:, None] * 11 + np.arange(10)[None, :]
    assert _strided(index) == (3 * 8, (8, 10), (88, 8))
    grads = np.zeros(100)
    Scatter(index)(grads, np.arange(80.0).reshape(8, 10))
    assert grads[3 + 11 * 2 + 4] == 24.0 and grads[13] == 0.0  # row 2, column 4; a gap slot
