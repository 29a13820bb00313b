"""compile(): the contract holds as users write steps (issue 20's red team).

Arguments are known by position, never by identity; the leaves a step reads are
read again on every call; module modes, flags, parameters and buffers are part of
the trace key; softmax's shift is replayed as an operation; graph() and anomaly
reports write into the recorded graph only; banks keep Value subclasses and stay
readable from other threads; steps that train inside are refused; models pickle.
"""

import pickle
import threading

import numpy as np
import pytest

import nn
from autograd import AnomalyError, Tensor, Value, compile, detect_anomaly, no_grad

RNG = np.random.default_rng(20)


# ------------------------------------------------------- arguments by position
def test_the_same_tensor_as_two_arguments_then_different_ones():
    step = compile(lambda a, b: (a * b).sum())
    A, B = Tensor([1.0, 2.0]), Tensor([3.0, 4.0])
    assert step(A, A).item() == 5.0
    assert step(B, A).item() == 11.0  # 3·1 + 4·2, not A·A or B·B
    r = step(A, A)
    r.backward()
    assert A.grad.tolist() == [2.0, 4.0]  # both positions: 2a


def test_a_batch_with_repeated_rows_then_one_without():
    W = Tensor([[1.0, 2.0], [3.0, 4.0]], label="W")
    X = Tensor([[1.0, 2.0], [5.0, 6.0]])
    step = compile(lambda x: (x @ W).sum())
    repeated = Tensor.wrap(X.values[[0, 0]])  # the same Values twice
    assert step(repeated).item() == 2 * (1 + 2 * 3 + 2 + 2 * 4)
    Y = np.array([[1.0, 2.0], [7.0, 8.0]])
    assert step(Tensor(Y)).item() == (Y @ W.data).sum()


def test_an_argument_that_the_step_also_reads_as_a_parameter():
    W = Tensor([1.0, 2.0], label="W")
    step = compile(lambda x: (x * W).sum())
    r = step(W)  # W * W
    r.backward()
    assert r.item() == 5.0 and W.grad.tolist() == [2.0, 4.0]
    assert step(Tensor([5.0, 6.0])).item() == 17.0  # B * W, not B * B


# -------------------------------------------------- leaves read on every call
def test_a_replaced_parameter_traces_again():
    nn.manual_seed(0)
    m = nn.Sequential(nn.Linear(2, 2))
    step = compile(lambda x: m(x).sum())
    X = np.ones((1, 2))
    step(X), step(X)
    m[0].weight = nn.Parameter(np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert step(X).item() == pytest.approx(m(Tensor(X)).sum().item(), abs=1e-12)
    assert step.traces == 2


def test_embedding_padding_row_after_load_state_dict():
    e = nn.Embedding(4, 2, padding_idx=0)
    step = compile(lambda i: e(i).sum())
    idx = np.array([0, 1])
    step(idx), step(idx)
    e.load_state_dict({"weight": np.arange(8.0).reshape(4, 2)})
    assert step(idx).item() == e(idx).sum().item() == 6.0


def test_eval_after_tracing_in_train_mode_drops_dropout():
    nn.manual_seed(0)
    m = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
    step = compile(lambda x: m(x).sum())
    X = RNG.normal(size=(2, 4))
    step(X), step(X)
    m.eval()
    assert step(X).item() == pytest.approx(m(Tensor(X)).sum().item(), abs=1e-12)
    m.train()
    assert step.traces == 2
    step(X)
    assert step.traces == 2  # the train-mode trace is found again


def test_a_changed_module_flag_traces_again():
    loss = nn.CrossEntropyLoss()
    step = compile(lambda x, y: loss(x, y))
    x, y = RNG.normal(size=(3, 4)), np.array([0, 1, 2])
    step(x, y)
    loss.label_smoothing = 0.2
    expected = nn.functional.cross_entropy(Tensor(x), y, label_smoothing=0.2).item()
    assert step(x, y).item() == pytest.approx(expected, abs=1e-12)


def test_a_module_argument_is_a_fixed_input_traced_once():
    m = nn.Linear(2, 1)
    step = compile(lambda model, x: model(x).sum())
    X = np.ones((1, 2))
    for _ in range(3):
        step(m, X)
    assert step.traces == 1
    other = nn.Linear(2, 1)
    assert step(other, X).item() == pytest.approx(other(Tensor(X)).sum().item(), abs=1e-12)
    assert step.traces == 2


# -------------------------------------------- value-dependent shifts replayed
@pytest.mark.parametrize(
    "make",
    [
        lambda: lambda x: x.softmax().sum(),
        lambda: lambda x: (x.log_softmax() * x).sum(),
        lambda: lambda x: nn.functional.cross_entropy(x, np.array([0, 1])),
        lambda: (lambda a: lambda x: a(x)[0].sum())(nn.SelfAttention(2, 2)),
    ],
    ids=["softmax", "log_softmax", "cross_entropy", "attention"],
)
def test_softmax_traced_on_small_logits_replays_large_ones(make):
    fn = make()
    step = compile(fn)
    small = np.array([[1.0, 2.0], [0.5, 0.1]])
    step(small)
    large = np.array([[1000.0, 2.0], [0.5, 1001.0]])
    x = Tensor(large)
    eager = fn(x)
    eager.backward()
    r = step(large)
    assert np.isfinite(r.item())
    assert r.item() == pytest.approx(eager.item(), rel=1e-12, abs=1e-12)
    xt = Tensor(large)
    step(xt).backward()
    np.testing.assert_allclose(xt.grad, x.grad, rtol=1e-12, atol=1e-12)


def test_check_mode_raises_no_false_alarm_through_cross_entropy():
    nn.manual_seed(0)
    m, loss = nn.Linear(3, 2), nn.CrossEntropyLoss()
    step = compile(lambda x, y: loss(m(x), y), check=True)
    y = np.array([0, 1, 1])
    for _ in range(4):
        step(RNG.normal(size=(3, 3)) * 10, y)
    assert step.traces == 1


# --------------------------------------------- the caller's Tensors untouched
def test_graph_writes_into_the_recorded_graph_not_the_callers_tensor():
    w = Tensor([2.0], label="w")
    step = compile(lambda x: (w * x).sum())
    A = Tensor([3.0])
    step(A)
    r = step(Tensor([5.0]))
    r.backward()
    g = r.graph()
    assert g.item() == 10.0
    assert A.data.tolist() == [3.0] and A.grad.tolist() == [0.0]


def test_detect_anomaly_on_a_replay_leaves_the_callers_tensor_alone():
    step = compile(lambda x: x.log().sum())
    A = Tensor([3.0])
    step(A)
    with pytest.raises(AnomalyError), detect_anomaly():
        step(Tensor([0.0]))
    assert A.data.tolist() == [3.0]


# ------------------------------------------------------------ Value subclasses
class Tagged(Value):
    """A subclass with a __dict__ (its own attributes)."""


class Slotted(Value):
    __slots__ = ()


@pytest.mark.parametrize("cls", [Tagged, Slotted])
def test_value_subclass_parameters_keep_their_class_and_eager_backward_works(cls):
    w = Tensor.wrap(np.array([cls(2.0, label="w")], dtype=object))
    step = compile(lambda x: (w * x).sum())
    for _ in range(2):
        r = step(np.array([3.0]))
        r.backward()
    assert type(w[0]) is cls and w.grad.tolist() == [6.0]
    v = Value(4.0)
    (v * w[0]).backward()
    assert w.grad.tolist() == [10.0]


# --------------------------------------------------------------------- threads
def test_an_eval_thread_reads_parameters_while_another_trains_compiled():
    import sys

    nn.manual_seed(0)
    m = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
    opt = nn.optim.SGD(m.parameters(), lr=0.01)
    step = compile(lambda x: (m(x) ** 2).mean())
    X = RNG.normal(size=(8, 4))
    errors, done = [], threading.Event()

    def trainer():
        try:
            for k in range(300):
                opt.zero_grad()
                step(X).backward()
                opt.step()
                if k % 5 == 0:  # an eager backward gives the bank back: Values move
                    (m(Tensor(X)) ** 2).mean().backward()
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            done.set()

    def evaluator():
        try:
            while not done.is_set():
                with no_grad():
                    out = m(Tensor(X)).data
                assert np.isfinite(out).all()
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)
            done.set()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often: moves and reads interleave
    try:
        threads = [threading.Thread(target=trainer), threading.Thread(target=evaluator)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    finally:
        sys.setswitchinterval(interval)
    assert not errors, repr(errors[0])


# ------------------------------------------------------- refused at tracing
def test_a_step_that_calls_backward_inside_is_refused():
    m = nn.Linear(2, 1)
    opt = nn.optim.SGD(m.parameters(), lr=0.1)

    def train_step(x):
        opt.zero_grad()
        loss = (m(x) ** 2).sum()
        loss.backward()
        opt.step()
        return loss

    with pytest.raises(RuntimeError, match=r"(?s)calls backward\(\).*compile\(lambda X, y"):
        compile(train_step)(np.ones((1, 2)))


def test_a_step_that_calls_optimizer_step_inside_is_refused():
    m = nn.Linear(2, 1)
    opt = nn.optim.Adam(m.parameters())

    def train_step(x):
        opt.step()
        return m(x).sum()

    with pytest.raises(RuntimeError, match=r"Adam.step\(\) inside a function compile"):
        compile(train_step)(np.ones((1, 2)))


# ---------------------------------------------------------------------- pickle
def test_plain_and_compiled_models_pickle():
    lin = nn.Linear(2, 3)
    back = pickle.loads(pickle.dumps(lin))
    np.testing.assert_array_equal(back.weight.data, lin.weight.data)
    step = compile(lambda x: lin(x).sum())
    step(np.ones((1, 2))), step(np.ones((1, 2)))  # banked
    again = pickle.loads(pickle.dumps(lin))
    np.testing.assert_array_equal(again.weight.data, lin.weight.data)
    y = (Value(2.0) * 3).relu()
    assert pickle.loads(pickle.dumps(y)).data == 6.0


MODEL = nn.Sequential(nn.Linear(3, 3), nn.Dropout(0.5))


def _global_loss(x):
    return MODEL(x).sum()


def test_modules_reached_through_called_functions_and_objects_are_watched():
    step = compile(lambda x: _global_loss(x))  # the model is a global of another function
    x = RNG.normal(size=(2, 3))
    MODEL.train()
    step(x)
    MODEL.eval()
    assert step(x).item() == pytest.approx(MODEL(Tensor(x)).sum().item(), abs=1e-12)

    class Trainer:
        def __init__(self):
            self.net = nn.Sequential(nn.Linear(3, 3), nn.Dropout(0.5))

        def loss(self, x):
            return self.net(x).sum()

    trainer = Trainer()
    step = compile(trainer.loss)
    step(x)
    trainer.net.eval()
    assert step(x).item() == pytest.approx(trainer.net(Tensor(x)).sum().item(), abs=1e-12)


def test_a_replaced_layer_traces_again():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc, self.act = nn.Linear(2, 2), nn.Tanh()

        def forward(self, x):
            return self.act(self.fc(x))

    m = Net()
    step = compile(lambda x: m(x).sum())
    x = np.ones((1, 2))
    step(x)
    m.act = nn.ReLU()
    assert step(x).item() == pytest.approx(m(Tensor(x)).sum().item(), abs=1e-12)
