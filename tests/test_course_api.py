"""The rest of the course API (issue 25): factories, pairs, masks, compiled and symbolic
replay of the new primitives, and the errors bad input gets (each names what was wrong
and what is accepted). The ops themselves: tests/test_course_ops.py."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor, Value, compile


# ------------------------------------------------------------------ factories
@pytest.mark.parametrize(
    "made, shape, numbers",
    [
        (lambda: autograd.zeros(2, 3), (2, 3), np.zeros((2, 3))),
        (lambda: autograd.zeros((2, 3)), (2, 3), np.zeros((2, 3))),
        (lambda: autograd.zeros([4]), (4,), np.zeros(4)),
        (lambda: autograd.ones(3), (3,), np.ones(3)),
        (lambda: autograd.full((2, 2), 7.5), (2, 2), np.full((2, 2), 7.5)),
        (lambda: autograd.full(3, -1), (3,), -np.ones(3)),
        (lambda: autograd.arange(4), (4,), [0.0, 1.0, 2.0, 3.0]),
        (lambda: autograd.arange(1, 7, 2), (3,), [1.0, 3.0, 5.0]),
        (lambda: autograd.arange(1.0, 0.0, -0.25), (4,), [1.0, 0.75, 0.5, 0.25]),
        (lambda: autograd.linspace(0, 1, 3), (3,), [0.0, 0.5, 1.0]),
        (lambda: autograd.eye(2), (2, 2), [[1.0, 0.0], [0.0, 1.0]]),
        (lambda: autograd.eye(2, 3), (2, 3), np.eye(2, 3)),
        (lambda: autograd.zeros_like(Tensor([[1.0, 2.0]])), (1, 2), [[0.0, 0.0]]),
        (lambda: autograd.ones_like(np.zeros((2, 1))), (2, 1), [[1.0], [1.0]]),
        (lambda: autograd.tensor([[1, 2]], requires_grad=True), (1, 2), [[1.0, 2.0]]),
        (lambda: autograd.zeros(2, dtype="float64", device="cpu"), (2,), [0.0, 0.0]),
    ],
)
def test_factories_make_new_leaves(made, shape, numbers):
    t = made()
    assert isinstance(t, Tensor) and t.shape == shape
    assert t.data.tolist() == np.asarray(numbers, float).tolist()
    assert all(v.op == "" for v in t.values.flat)
    assert len({id(v) for v in t.values.flat}) == t.size  # one leaf per element


def test_factories_take_a_label_and_the_shared_generator():
    assert autograd.zeros(2, 2, label="W")[1, 0].label == "W[1,0]"
    assert autograd.randn(2, label="z")[1].label == "z[1]"
    nn.manual_seed(5)
    a = autograd.randn(3, 2)
    autograd.manual_seed(5)  # nn.manual_seed and autograd.manual_seed seed one generator
    assert autograd.randn(3, 2).data.tolist() == a.data.tolist()
    rng = np.random.default_rng(1)
    same = np.random.default_rng(1).standard_normal((2,))
    assert autograd.randn(2, generator=rng).data.tolist() == same.tolist()
    u = autograd.rand(100, rng=np.random.default_rng(0)).data
    assert (0 <= u).all() and (u < 1).all()
    # autograd.tensor is the function; no module autograd/tensor.py hides behind it
    assert callable(autograd.tensor) and importlib.util.find_spec("autograd.tensor") is None


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: autograd.zeros(2, -1), ValueError, "sizes must be ints >= 0"),
        (lambda: autograd.zeros(2.5), ValueError, "sizes must be ints"),
        (lambda: autograd.ones(2, dtype="int64"), TypeError, "every Value holds a float64"),
        (lambda: autograd.ones(2, device="cuda"), TypeError, "runs on cpu"),
        (lambda: autograd.ones(2, pin_memory=True), TypeError, "unexpected keyword 'pin_memory'"),
        (lambda: autograd.arange(0, 3, 0), ValueError, "step must not be 0"),
        (lambda: autograd.arange("3"), TypeError, "arange: end must be a number"),
        (lambda: autograd.full((2,), "x"), TypeError, "fill_value must be a number"),
        (lambda: autograd.randn(2, rng=3), TypeError, "expected a numpy Generator"),
        (
            lambda: autograd.randn(
                2, rng=np.random.default_rng(), generator=np.random.default_rng()
            ),
            TypeError,
            "not both",
        ),
        (lambda: autograd.manual_seed(1.5), TypeError, "manual_seed takes an int"),
        (lambda: autograd.linspace(0, 1, -2), ValueError, "steps must be an int >= 0"),
    ],
)
def test_factory_errors_name_the_argument(call, error, words):
    with pytest.raises(error, match=words):
        call()


# ----------------------------------------------------- pairs, masks, aliases
def test_max_and_min_with_dim_give_values_and_indices():
    t = Tensor([[1.0, 5.0, 2.0], [7.0, 3.0, 7.0]])
    values, indices = t.max(1)
    assert values.data.tolist() == [5.0, 7.0] and indices.tolist() == [1, 0]
    pair = t.min(dim=0, keepdim=True)
    assert pair.values.shape == (1, 3) and pair.indices.tolist() == [[0, 1, 0]]
    assert t.max(axis=1).data.tolist() == [5.0, 7.0]  # numpy's keyword: the values only
    assert t.max(Tensor([[6.0, 0.0, 0.0]] * 2)).data.tolist() == [[6.0, 5.0, 2.0], [7.0, 3.0, 7.0]]
    assert t.argmin(dim=1).tolist() == [0, 1] and t.argmax() == 3
    # PyTorch reads dim=() as every dim, numpy's axis=() as none
    assert t.sum(dim=()).item() == 25.0 and t.sum(axis=()).shape == (2, 3)


def test_masks_multiply_index_select_and_convert():
    t = Tensor([-1.0, 0.0, 2.0], label="t")
    mask = t > 0
    assert isinstance(mask, np.ndarray) and mask.dtype == bool
    assert (mask.float().tolist(), mask.long().tolist()) == ([0.0, 0.0, 1.0], [0, 0, 1])
    assert (mask * t).data.tolist() == [-0.0, 0.0, 2.0]
    assert (~mask & (t < 1)).tolist() == [True, True, False]
    assert t[mask][0] is t[2] and autograd.where(mask, t, 0.0)[2] is t[2]
    assert t.masked_fill(~mask, 0.0).data.tolist() == [0.0, 0.0, 2.0]


def test_aliases_build_the_operator_nodes():
    a, b = Tensor([1.0, 2.0]), Tensor([3.0, 4.0])
    assert a.mul(b)[0].op == "mul" and a.add(b)[0].op == "add" and a.sub(b)[0].op == "sub"
    assert a.div(b)[0].op == "div" and a.neg()[0].op == "neg" and a.pow(2)[0].op == "pow"
    assert a.float() is a and a.double() is a and a.contiguous() is a
    assert a.long().tolist() == [1, 2] and a.dim() == 1 and a.numel() == 2
    assert a.clone()[0] is a[0] and a.tolist() == [1.0, 2.0]


def test_new_elementwise_functions_are_on_value_too():
    x = Value(0.5)
    for name in ("sin", "cos", "erf", "log2", "sign", "rsqrt", "gelu", "silu"):
        assert isinstance(getattr(x, name)(), Value), name
    assert Value(3.0).clamp(0.0, 1.0).op == "clamp" and Value(-3.0).clip(min=0).data == 0.0
    assert Value(2.0).sin().primitive.formula(0, 1) == "cos(a)"


def test_makemore_style_code_ports():
    import pickle

    X = autograd.randn(4, 3, rng=np.random.default_rng(0))
    ys = autograd.tensor([0.0, 2.0, 1.0, 1.0])
    W = autograd.randn(3, 3, rng=np.random.default_rng(1))
    W.requires_grad = True
    logits = X @ W
    picked = logits[autograd.arange(4), ys]  # a tuple of Tensors indexes as whole numbers
    assert picked.shape == (4,) and picked[2] is logits[2, 1]
    loss = -logits.log_softmax(1)[autograd.arange(4), ys].mean()
    assert loss.item() == pytest.approx(nn.functional.cross_entropy(logits, ys).item())
    loss.backward()
    before, step = W.data, -0.1 * W.grad
    W.data += step  # PyTorch's update outside the graph writes every element
    assert np.allclose(W.data, before + step)
    W.grad = None
    assert (W.grad == 0).all()
    assert (X.size(), X.size(0), X.size(-1), X.size) == ((4, 3), 4, 3, 12)
    assert pickle.loads(pickle.dumps(X.size))() == (4, 3)
    with pytest.raises(ValueError, match="expected numbers of shape \\(3, 3\\)"):
        W.data = [1.0, 2.0]
    with pytest.raises(IndexError, match="out of range for shape"):
        X.size(2)


# ------------------------------------------- compiled replay and symbolic mode
def test_a_compiled_step_replays_the_new_primitives():
    w = Tensor([0.3, -0.8, 1.7], label="w")

    def loss(x):
        h = (x * w).sin() + (x - w).cos() * x.erf() + x.clamp(-0.5, 0.5) + (x * x + 1).log2()
        return (h.gelu() + h.silu() + h.sign() * h).logsumexp(dim=0)

    step = compile(loss)
    for data in ([0.1, 0.9, -1.3], [2.0, -0.2, 0.4], [-0.6, 0.6, 0.0]):
        x = np.array(data)
        w.zero_grad()
        compiled = step(x)
        compiled.backward()
        compiled_grad = w.grad
        w.zero_grad()
        eager = loss(Tensor(x))
        eager.backward()
        assert compiled.item() == pytest.approx(eager.item(), rel=1e-12)
        np.testing.assert_allclose(compiled_grad, w.grad, rtol=1e-12, atol=1e-15)
    assert step.traces == 1


def test_symbolic_mode_gets_the_new_primitives():
    sp = pytest.importorskip("sympy", reason="symbolic mode needs sympy")
    from autograd.symbolic import symbolic

    x = Value(0.5, label="x")
    y = x.sin() * x.erf() + x.log2() + x.clamp(0.0, 1.0)
    r = symbolic(y, {x: sp.Symbol("x")})
    s = sp.Symbol("x")
    assert (
        sp.simplify(
            r.value[y] - (sp.sin(s) * sp.erf(s) + sp.log(s) / sp.log(2) + sp.Min(sp.Max(s, 0), 1))
        )
        == 0
    )
    assert float(r.grad[x].subs(s, 0.5)) == pytest.approx(
        float(sp.diff(r.value[y], s).subs(s, 0.5))
    )


# --------------------------------------------------------------- bad input
T = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: T.sum(dim=2), IndexError, "dim/axis 2 is out of range .* shape \\(2, 3\\)"),
        (lambda: T.sum(dim=1, axis=1), TypeError, "give dim= .* or axis= .*not both"),
        (lambda: T.mean(dim="1"), TypeError, "dim must be an int, a tuple of ints or None"),
        (lambda: T.sum(1, keepdim="yes"), TypeError, "keepdim must be True or False"),
        (lambda: T.argmax(dim=(0, 1)), TypeError, "dim must be one int"),
        (
            lambda: T.var(unbiased=True, correction=0),
            TypeError,
            "correction= or unbiased=, not both",
        ),
        (lambda: T.var(correction="1"), TypeError, "correction must be a number"),
        (lambda: T.cumsum(1.0), TypeError, "cumsum: dim must be an int"),
        (lambda: T.permute(0, 0), ValueError, "not an ordering of the 2 dims"),
        (lambda: T.permute(0, 2), IndexError, "permute: dim 2 is out of range"),
        (lambda: T.expand(2, 4), ValueError, "only a size-1 dim can grow"),
        (lambda: T.expand(3), ValueError, "fewer dims"),
        (lambda: T.repeat(2), ValueError, "one per dim"),
        (lambda: T.flip(5), IndexError, "flip: dim 5 is out of range"),
        (lambda: T.roll((1, 2), 0), ValueError, "2 shifts for 1 dims"),
        (lambda: T.unsqueeze(4), IndexError, "unsqueeze: dim 4 is out of range"),
        (lambda: T.squeeze(3), IndexError, "squeeze: dim 3 is out of range"),
        (lambda: Tensor([1.0]).tril(), ValueError, "at least 2 dims"),
        (lambda: T.masked_fill([1, 0, 1], 0.0), TypeError, "must hold bools"),
        (lambda: T.masked_fill(np.ones((3, 3), bool), 0.0), ValueError, "does not broadcast"),
        (lambda: T.masked_fill(T > 2, "x"), TypeError, "value must be a number"),
        (lambda: T.gather(1, [[3]]), IndexError, "index values must be in \\[0, 3\\)"),
        (lambda: T.gather(1, [1, 0]), ValueError, "as many dims as the Tensor"),
        (lambda: T.gather(1, [[0.5]]), TypeError, "whole numbers"),
        (lambda: T.topk(4), ValueError, "k must be an int in \\[0, 3\\]"),
        (lambda: T.clamp(), ValueError, "clamp needs min=, max= or both"),
        (lambda: T.clamp(min=T), TypeError, "use maximum\\(\\)/minimum\\(\\)"),
        (lambda: T.gelu(approximate="fast"), ValueError, "'none' or 'tanh'"),
        (lambda: T.div(2.0, rounding_mode="floor"), ValueError, "rounding_mode"),
        (lambda: Tensor([np.inf]).long(), ValueError, "inf or nan"),
        (lambda: nn.functional.one_hot([0, 3], num_classes=3), ValueError, "in \\[0, 3\\)"),
        (lambda: nn.functional.one_hot([0.5]), TypeError, "whole numbers"),
        (lambda: nn.functional.softplus(T, beta="2"), TypeError, "beta must be a number"),
        (lambda: nn.GELU(approximate="x"), ValueError, "'none' or 'tanh'"),
    ],
)
def test_bad_input_names_what_was_wrong(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_one_hot_and_squeeze_of_a_dim_that_is_not_one():
    assert nn.functional.one_hot(Tensor([2.0, 0.0])).data.tolist() == [[0, 0, 1], [1, 0, 0]]
    assert nn.functional.one_hot(np.array([[1]]), 2).shape == (1, 1, 2)
    assert T.squeeze(0).shape == (2, 3)  # PyTorch: a no-op, not an error
