"""No silent wrong numbers (issue 20): ties, transpose, empty products and float indices
give PyTorch's float64 numbers, or an error where PyTorch raises one."""

import numpy as np
import pytest

from autograd import Tensor, Value, compile

torch = pytest.importorskip("torch", reason="these rules are checked against PyTorch float64")

X = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0], [0.0, -1.0, 0.0]])  # integers: ties
Y = np.array([[3.0, 1.0, 3.0], [2.0, 0.0, 5.0], [0.0, 0.0, -1.0]])

# (name, chalkgrad on Tensors, torch on tensors): every value and gradient compared
TIES = [
    ("maximum", lambda a, b: a.maximum(b), torch.maximum),
    ("minimum", lambda a, b: a.minimum(b), torch.minimum),
    ("relu as maximum(0)", lambda a, b: a.maximum(0.0) * b, lambda a, b: a.clamp_min(0) * b),
    ("full max", lambda a, b: a.max() * b, lambda a, b: a.max() * b),
    ("full min", lambda a, b: a.min() * b, lambda a, b: a.min() * b),
    ("max over axis 1", lambda a, b: a.max(axis=1) * b[0], lambda a, b: a.max(1).values * b[0]),
    ("min over axis 0", lambda a, b: a.min(axis=0) * b[1], lambda a, b: a.min(0).values * b[1]),
    ("amax over both axes", lambda a, b: a.max(axis=(0, 1)) * b, lambda a, b: a.amax((0, 1)) * b),
]


@pytest.mark.parametrize("name, ours, theirs", TIES, ids=[t[0] for t in TIES])
def test_ties_follow_pytorch(name, ours, theirs):
    a, b = Tensor(X), Tensor(Y)
    ta, tb = (torch.tensor(v, requires_grad=True) for v in (X, Y))
    if name == "relu as maximum(0)":
        theirs = lambda p, q: torch.maximum(p, torch.zeros_like(p)) * q  # noqa: E731
    out, tout = ours(a, b), theirs(ta, tb)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=0, atol=1e-12)
    seed = np.random.default_rng(1).normal(size=tout.shape)
    out.backward(grad=seed)
    tout.backward(torch.tensor(seed))
    np.testing.assert_allclose(a.grad, ta.grad.numpy(), rtol=0, atol=1e-12, err_msg=name)
    np.testing.assert_allclose(b.grad, tb.grad.numpy(), rtol=0, atol=1e-12, err_msg=name)


def test_relu_by_maximum_at_zero_is_half_and_relu_itself_is_zero():
    x = Value(0.0)
    x.max(0.0).backward()
    assert x.grad == 0.5  # torch.maximum(x, 0) at x = 0
    y = Value(0.0)
    y.relu().backward()
    assert y.grad == 0.0  # torch.relu'(0)


def test_the_step_table_and_symbolic_mode_read_the_same_tie_rule():
    from viz.steps import backward_steps

    a, b = Value(2.0, label="a"), Value(2.0, label="b")
    m = a.max(b)
    m.backward()
    steps = backward_steps(m)
    assert [s.local for s in steps] == [0.5, 0.5] == [a.grad, b.grad]
    pytest.importorskip("sympy", reason="symbolic mode needs sympy")
    from autograd.symbolic import symbolic

    r = symbolic(m)
    assert [float(r.grad[a]), float(r.grad[b])] == [0.5, 0.5]


def test_compiled_replay_splits_ties_like_eager():
    step = compile(lambda x, y: (x.maximum(y) + x.max()).sum())
    step(np.array([1.0, 5.0]), np.array([2.0, 3.0]))  # traced without ties
    x, y = Tensor([2.0, 2.0]), Tensor([2.0, 1.0])
    step(x, y).backward()
    assert x.grad.tolist() == [1.5, 2.0] and y.grad.tolist() == [0.5, 0.0]


# -------------------------------------------------------------------- transpose
@pytest.mark.parametrize("axes", [(0, 1), (1, 0), (-2, -1), (-1, -2), (0, -1)])
def test_transpose_of_a_matrix_swaps_its_axes(axes):
    W = np.arange(6.0).reshape(2, 3)
    t = Tensor(W).transpose(*axes)
    np.testing.assert_array_equal(t.data, torch.tensor(W).transpose(*axes).numpy())


def test_attention_scores_with_square_matrices_use_the_transpose():
    q, k = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.0, 1.0], [2.0, 0.0]])
    scores = Tensor(q) @ Tensor(k).transpose(-2, -1)
    expected = torch.tensor(q) @ torch.tensor(k).transpose(-2, -1)
    np.testing.assert_array_equal(scores.data, expected.numpy())
    assert not np.array_equal(scores.data, q @ k)  # the bug computed q @ k


def test_transpose_of_3d_and_numpy_permutations_still_work():
    x = np.arange(24.0).reshape(2, 3, 4)
    assert Tensor(x).transpose(0, 2).shape == (4, 3, 2)
    assert Tensor(x).transpose(2, 0, 1).shape == (4, 2, 3)
    assert Tensor(x).transpose().shape == (4, 3, 2)


# ---------------------------------------------------------- zero-size products
@pytest.mark.parametrize(
    "left, right", [((8, 0), (0, 8)), ((0, 0), (0, 0)), ((0,), (0, 8)), ((5, 0), (0,))]
)
def test_an_empty_inner_dimension_gives_zeros(left, right):
    a, b = np.ones(left), np.ones(right)
    ours = Tensor(a) @ Tensor(b)
    theirs = torch.tensor(a) @ torch.tensor(b)
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_array_equal(ours.data, theirs.numpy())


def test_an_empty_product_with_a_bias_is_the_bias():
    from autograd import matmul

    bias = Tensor([1.0, 2.0])
    y = matmul(Tensor(np.ones((3, 0))), Tensor(np.ones((0, 2))), bias=bias)
    assert y.data.tolist() == [[1.0, 2.0]] * 3
    y.sum().backward()
    assert bias.grad.tolist() == [3.0, 3.0]


def test_mismatched_shapes_with_an_empty_operand_still_raise():
    with pytest.raises(ValueError):
        Tensor(np.ones((2, 0))) @ Tensor(np.ones((3, 2)))


# ---------------------------------------------------------------- float indices
def test_a_tensor_index_must_hold_whole_numbers():
    a = Tensor([1.0, 2.0, 3.0])
    with pytest.raises(IndexError):
        torch.tensor([1.0, 2.0, 3.0])[torch.tensor(1.1)]
    with pytest.raises(IndexError, match=r"whole numbers, got \[1\.1\]"):
        a[Tensor(1.1)]
    with pytest.raises(IndexError, match="whole numbers"):
        a[Tensor([0.0, np.nan])]
    assert a[Tensor(1.0)].data == 2.0  # a whole number is an index (Tensors hold floats)
    assert a[Tensor([2.0, 0.0])].data.tolist() == [3.0, 1.0]
