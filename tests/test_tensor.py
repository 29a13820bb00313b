"""Tensor: construction, views that share nodes, broadcasting, @, reductions, softmax."""

import math

import numpy as np
import pytest
from pytest import approx

from autograd import Tensor, Value, concat, gradcheck, linear, matmul, pad, stack, where


def test_construction_labels_and_shape():
    W = Tensor([[1, 2, 3], [4, 5, 6]], label="W")
    assert W.shape == (2, 3) and W.ndim == 2 and W.size == 6
    assert W[0, 1].label == "W[0,1]"
    assert W.data.tolist() == [[1, 2, 3], [4, 5, 6]]
    assert W.grad.tolist() == [[0, 0, 0], [0, 0, 0]]
    assert Tensor(3.0).item() == 3.0
    a = Value(1.0)
    t = Tensor([a, 2.0])
    assert t[0] is a


def test_indexing_and_views_return_the_same_nodes():
    W = Tensor(np.arange(6.0).reshape(2, 3))
    row = W[1]
    assert isinstance(row, Tensor) and row[2] is W[1, 2]
    assert W.T[2, 1] is W[1, 2]
    assert W.reshape(3, 2)[2, 1] is W[1, 2]
    assert W.flatten()[5] is W[1, 2]
    assert [r[0] for r in W] == [W[0, 0], W[1, 0]]


def test_bad_construction():
    with pytest.raises(ValueError, match="rectangular"):
        Tensor([[1, 2], [3]])
    with pytest.raises(TypeError, match="takes numbers or Values, got an array of dtype <U3"):
        Tensor("abc")
    with pytest.raises(TypeError, match="got NoneType None"):
        Tensor([1.0, None])


def test_broadcasting_binary_ops_and_their_gradients():
    x = Tensor([[1.0, 2.0], [3.0, 4.0]])
    b = Tensor([10.0, 20.0])
    y = x * b + 1
    assert y.data.tolist() == [[11, 41], [31, 81]]
    y.sum().backward()
    assert b.grad.tolist() == [4.0, 6.0]  # summed over the broadcast axis
    assert x.grad.tolist() == [[10, 20], [10, 20]]


def test_values_and_numpy_numbers_on_the_left_give_tensors():
    t = Tensor([1.0, 2.0])
    for result in (Value(2.0) * t, np.float64(2.0) * t, np.sqrt(4.0) * t, np.ones(2) + t + 1.0):
        assert isinstance(result, Tensor)
    assert (Value(2.0) * t).data.tolist() == [2.0, 4.0]
    assert (np.ones(2) + t).data.tolist() == [2.0, 3.0]
    assert (Value(1.0) - t).data.tolist() == [0.0, -1.0]


def test_bools_are_not_numbers():
    with pytest.raises(TypeError, match="got an array of dtype bool"):
        Tensor([True, False])


def test_a_zero_d_tensor_names_its_value_like_itself():
    assert Tensor(3.0, label="s").values[()].label == "s"
    total = Tensor([1.0, 2.0]).sum()
    total.label = "L"
    assert total.values[()].label == "L"


def test_broadcast_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"add: cannot broadcast shapes \(2, 3\) and \(2,\)"):
        Tensor(np.ones((2, 3))) + Tensor([1.0, 2.0])


def test_matmul_builds_one_dot_node_per_output_element():
    A = Tensor([[1.0, 2.0], [3.0, 4.0]], label="A")
    x = Tensor([5.0, 6.0], label="x")
    y = A @ x
    assert y.data.tolist() == [17.0, 39.0]
    assert y[0].op == "dot" and len(y[0].parents) == 4
    assert y[0].parents == (A[0, 0], A[0, 1], x[0], x[1])
    y.backward(grad=[1.0, 2.0])
    assert A.grad.tolist() == [[5, 6], [10, 12]]
    assert x.grad.tolist() == [7.0, 10.0]


def test_matmul_shapes_1d_2d_batched():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 3, 4)), rng.normal(size=(4, 5))
    assert np.allclose((Tensor(a) @ Tensor(b)).data, a @ b)
    v = rng.normal(size=4)
    assert (Tensor(v) @ Tensor(v)).item() == approx(v @ v)
    assert np.allclose((Tensor(b.T) @ Tensor(v)).data, b.T @ v)
    with pytest.raises(ValueError, match=r"matmul: shapes \(2, 3\) and \(4, 5\) do not match"):
        Tensor(np.ones((2, 3))) @ Tensor(np.ones((4, 5)))


def test_linear_folds_the_bias_into_the_dot_node():
    y = linear(Tensor([1.0, 2.0]), Tensor([[3.0, 4.0], [1.0, 0.0]]), Tensor([0.5, -1.0]))
    assert y.data.tolist() == [11.5, 0.0]
    assert len(y[0].parents) == 5
    assert matmul(Tensor([[1.0]]), Tensor([[2.0]]), bias=3.0).item() == 5.0


def test_reductions():
    x = Tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
    assert x.sum().item() == 21.0
    assert x.sum(axis=0).data.tolist() == [5.0, 7.0, 9.0]
    assert x.sum(axis=1, keepdims=True).shape == (2, 1)
    assert x.mean(axis=1).data.tolist() == [3.0, 4.0]
    assert x.max(axis=1).data.tolist() == [5.0, 6.0]
    assert x.min().item() == 1.0
    assert x.argmax(axis=1).tolist() == [1, 2]
    x.max(axis=1).sum().backward()
    assert x.grad.tolist() == [[0, 1, 0], [0, 0, 1]]
    assert x[0, 0].grad == 0.0
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        x.sum(axis=2)


def test_full_max_splits_a_tie_and_max_over_an_axis_picks_the_first():
    x = Tensor([2.0, 2.0, 1.0, 2.0])
    x.max().backward()  # torch.max(): the tied maxima share the gradient
    assert x.grad.tolist() == [1 / 3, 1 / 3, 0.0, 1 / 3]
    x = Tensor([2.0, 2.0, 1.0])
    x.max(axis=0).backward()  # torch.max(dim): one index
    assert x.grad.tolist() == [1.0, 0.0, 0.0]


def test_softmax_and_log_softmax_are_stable_and_correct():
    x = Tensor([1.0, 2.0, 3.0])
    e = np.exp([1.0, 2.0, 3.0])
    assert np.allclose(x.softmax().data, e / e.sum())
    assert np.allclose(x.log_softmax().data, np.log(e / e.sum()))
    big = Tensor([1000.0, 1000.0, -1000.0])
    assert big.softmax().data.tolist() == approx([0.5, 0.5, 0.0])
    assert big.log_softmax().data[0] == approx(-math.log(2))
    assert gradcheck(lambda t: t.softmax()[0] * 2 + t.log_softmax()[2], [Tensor([0.1, -0.4, 0.7])])


def test_elementwise_forms_match_value_ops():
    x = Tensor([-1.0, 0.5, 2.0])
    assert np.allclose(x.exp().data, np.exp(x.data))
    assert np.allclose(x.relu().data, [0.0, 0.5, 2.0])
    assert np.allclose(x.leaky_relu(0.1).data, [-0.1, 0.5, 2.0])
    assert np.allclose(x.abs().data, [1.0, 0.5, 2.0])
    assert np.allclose((x**2).data, [1.0, 0.25, 4.0])
    assert np.allclose(x.maximum(0.7).data, [0.7, 0.7, 2.0])
    assert (x > 0).tolist() == [False, True, True]


def test_concat_stack_pad_where_route_existing_nodes():
    a, b = Tensor([1.0, 2.0]), Tensor([3.0])
    c = concat([a, b])
    assert c[2] is b[0]
    s = stack([a, Tensor([5.0, 6.0])], axis=1)
    assert s.shape == (2, 2) and s[1, 0] is a[1]
    p = pad(a, (1, 2), value=-1.0)
    assert p.data.tolist() == [-1.0, 1.0, 2.0, -1.0, -1.0] and p[1] is a[0]
    w = where(a > 1.5, a, b)
    assert w[0] is b[0] and w[1] is a[1]
    with pytest.raises(ValueError, match="stack needs Tensors of one shape"):
        stack([a, b])
    with pytest.raises(ValueError, match="concat along axis 1"):
        concat([a, b], axis=1)


def test_backward_on_tensors():
    x = Tensor([1.0, 2.0])
    y = x * x
    with pytest.raises(ValueError, match=r"needs grad=, an array of shape \(2,\)"):
        y.backward()
    with pytest.raises(ValueError, match=r"got shape \(3,\), the Tensor has shape \(2,\)"):
        y.backward(grad=[1.0, 1.0, 1.0])
    y.backward(grad=[1.0, 0.5])
    assert x.grad.tolist() == [2.0, 2.0]
    with pytest.raises(ValueError, match=r"item\(\) needs a one-element Tensor"):
        x.item()


def test_setitem_and_name():
    t = Tensor([0.0, 0.0])
    v = Value(3.0)
    t[1] = v
    assert t[1] is v
    t.name("h")
    assert v.label == "h[1]"
