"""compile(): every registry op replayed equals eager mode (values and gradients, 1e-12).

Each case traces on ordinary numbers, then replays on the hard ones (kinks, ties,
signed zeros, inf, nan, huge values), so the replay itself is what is checked.
"""

import itertools

import numpy as np
import pytest

from autograd import OPS, Tensor, compile
from autograd.functional import linear
from autograd.value import apply

SPECIAL = [-2.0, -1.0, -0.0, 0.0, 0.5, 1.0, 3.0, np.inf, -np.inf, np.nan, 1e300, -1e-300]
PAIRS = [-1.5, -0.0, 0.0, 2.0, np.inf, -np.inf, np.nan]
# Upstream gradients: ordinary, negative, zero and infinite.
WEIGHTS = [1.0, -0.5, 0.0, 2.0, np.inf]


def _unary(op):
    return op, [np.array(SPECIAL)]


def _binary(op):
    a, b = zip(*itertools.product(PAIRS, PAIRS))
    return op, [np.array(a), np.array(b)]


def _nary(op, arity, rows):
    rng = np.random.default_rng(arity)
    data = rng.choice([-1.0, 0.0, 2.0, 2.0, np.nan, np.inf, -0.0, 0.5], size=(rows, arity))
    data[0] = 2.0  # all tied
    data[1, :] = rng.normal(size=arity)
    return op, [data[:, k].copy() for k in range(arity)]


CASES = {
    **{
        name: _unary(OPS[name])
        for name in ("neg", "exp", "log", "sqrt", "tanh", "sigmoid", "softplus", "relu", "abs")
    },
    **{name: _unary(OPS[name]) for name in ("sin", "cos", "erf", "log2", "sign")},
    "clamp(-1,0.5)": _unary(OPS["clamp"].bind(-1.0, 0.5)),
    "clamp(0,inf)": _unary(OPS["clamp"].bind(0.0, np.inf)),
    "leaky_relu(0.1)": _unary(OPS["leaky_relu"].bind(0.1)),
    "elu(1.5)": _unary(OPS["elu"].bind(1.5)),
    **{f"pow({n})": _unary(OPS["pow"].bind(n)) for n in (2, 3, 0.5, -1, 0, -2.5)},
    **{
        name: _binary(OPS[name])
        for name in ("add", "sub", "mul", "div", "pow_value", "maximum", "minimum")
    },
    "sum/3": _nary(OPS["sum"], 3, 20),
    "sum/40": _nary(OPS["sum"], 40, 6),
    "dot/4": _nary(OPS["dot"], 4, 20),
    "dot/5": _nary(OPS["dot"], 5, 20),
    "dot/33": _nary(OPS["dot"], 33, 6),
    **{
        f"{name}/{k}": _nary(OPS[name], k, 30)
        for name in ("max", "min", "amax", "amin")
        for k in (2, 3, 4)
    },
    "binary_cross_entropy": (  # probabilities 0 and 1 included, targets 0, 0.3, 1
        OPS["binary_cross_entropy"],
        [np.repeat([0.0, 1e-13, 0.25, 1.0, np.nan], 3), np.tile([0.0, 0.3, 1.0], 5)],
    ),
}


def test_the_table_covers_every_registry_op():
    covered = {op.name for op, _ in CASES.values()}
    assert covered == set(OPS), f"ops without a compiled test case: {set(OPS) - covered}"


def _step(op):
    def fn(*inputs):
        weights = Tensor(np.resize(WEIGHTS, inputs[0].size), label="w")
        outs = [apply(op, tuple(x.values.flat[i] for x in inputs)) for i in range(inputs[0].size)]
        return (Tensor.wrap(np.array(outs, dtype=object)) * weights).sum()

    return fn


def _values_and_grads(loss, inputs):
    return np.concatenate([[loss.item()]] + [x.grad.ravel() for x in inputs])


@pytest.mark.parametrize("name", sorted(CASES))
def test_compiled_equals_eager(name):
    op, columns = CASES[name]
    fn = _step(op)
    # Trace on ordinary numbers (a different value set, same shapes).
    rng = np.random.default_rng(0)
    ordinary = [np.abs(rng.normal(size=c.shape)) + 0.5 for c in columns]
    step = compile(fn)
    step(*[Tensor(c) for c in ordinary])
    # Eager on the hard numbers.
    eager_inputs = [Tensor(c) for c in columns]
    with np.errstate(all="ignore"):
        loss = fn(*eager_inputs)
        loss.backward()
    expected = _values_and_grads(loss, eager_inputs)
    # Replay on the same hard numbers.
    inputs = [Tensor(c) for c in columns]
    replayed = step(*inputs)
    replayed.backward()
    assert step.traces == 1
    np.testing.assert_allclose(
        _values_and_grads(replayed, inputs),
        expected,
        rtol=1e-12,
        atol=1e-12,
        equal_nan=True,
        err_msg=name,
    )


def test_matmul_groups_replay_as_matrix_products_and_match_eager():
    rng = np.random.default_rng(3)
    W, b = Tensor(rng.normal(size=(4, 3)), label="W"), Tensor(rng.normal(size=4), label="b")
    V = Tensor(rng.normal(size=(2, 4, 5)), label="V")
    # a linear layer (2, 3) -> (2, 4), then a batched product (2, 1, 4) @ (2, 4, 5)
    step = compile(lambda x: (linear(x, W, b).tanh()[:, None, :] @ V).sum())
    x = rng.normal(size=(2, 3))
    step(x)
    kinds = [(g.kind, g.op.name) for g in step.cache[next(iter(step.cache))][0].plan.groups]
    assert kinds.count(("matmul", "dot")) == 2
    x2 = rng.normal(size=(2, 3))
    replayed = step(x2)
    replayed.backward()
    compiled_grads = W.grad.copy(), V.grad.copy()
    for t in (W, b, V):
        t.zero_grad()
    eager = linear(Tensor(x2), W, b).tanh()[:, None, :] @ V
    eager = eager.sum()
    eager.backward()
    assert replayed.item() == pytest.approx(eager.item(), rel=1e-12)
    np.testing.assert_allclose(compiled_grads[0], W.grad, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(compiled_grads[1], V.grad, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", sorted(CASES))
def test_replay_work_does_not_grow_with_the_number_of_nodes(name):
    # Every op replays as whole-array calls per group: ten times the nodes, same groups.
    op, columns = CASES[name]
    counts = []
    for repeats in (1, 10):
        step = compile(_step(op))
        step(*[Tensor(np.tile(np.abs(c) + 0.5, repeats)) for c in columns])
        plan = next(iter(step.cache.values()))[0].plan
        counts.append([(g.kind, g.op.name) for g in plan.groups])
    assert counts[0] == counts[1]
    assert plan.size > 10 * len(columns[0])  # the larger graph really is larger
