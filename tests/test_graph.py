"""The graph walk: ordered parents, topological order, accumulation, no_grad, deep chains."""

import pytest

from autograd import Tensor, Value, no_grad, topological_order, zero_grad


def test_parents_are_an_ordered_tuple_with_repeats():
    a = Value(3.0, label="a")
    y = a * a
    assert y.parents == (a, a)
    assert y.op == "mul" and a.op == ""
    y.backward()
    assert a.grad == 6.0


def test_topological_order_is_exact_and_deterministic():
    a, b, c = Value(1.0, label="a"), Value(2.0, label="b"), Value(3.0, label="c")
    d = a * b
    d.label = "d"
    e = d + c
    e.label = "e"
    f = e * d
    f.label = "f"
    assert [v.label for v in topological_order(f)] == ["a", "b", "d", "c", "e", "f"]


def test_every_node_gets_its_gradient_intermediates_included():
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    d = c + a
    d.backward()
    assert (d.grad, c.grad, a.grad, b.grad) == (1.0, 1.0, -2.0, 2.0)


def test_repeated_backward_accumulates_exactly_once_per_call():
    a, b = Value(2.0), Value(3.0)
    c = a * b
    L = c * c  # dL/da = 2 c b = 36
    L.backward()
    L.backward()
    assert a.grad == 72.0
    assert c.grad == 24.0


def test_zero_grad_resets_every_node():
    a = Value(2.0)
    y = (a * 3).exp()
    y.backward()
    zero_grad(y)
    assert all(v.grad == 0.0 for v in topological_order(y))


def test_no_grad_builds_no_graph():
    a = Value(2.0)
    with no_grad():
        y = a * 3 + 1
        t = Tensor([1.0, 2.0]) * 2
    assert y.data == 7.0 and y.parents == () and y.op == ""
    assert t[0].parents == ()
    z = a * 3
    assert z.parents[0] is a
    with pytest.raises(RuntimeError, match=r"backward\(\) from a result computed under no_grad"):
        y.backward()


def test_a_chain_of_a_million_nodes_backpropagates_without_recursion():
    x = Value(1.0)
    v = x
    for _ in range(1_000_000):
        v = v + 1.0
    v.backward()
    assert v.data == 1_000_001.0
    assert x.grad == 1.0
    assert len(topological_order(v)) == 2_000_001  # each + also adds a constant leaf


def test_backward_seed():
    x = Value(2.0)
    (x * x).backward(grad=0.5)
    assert x.grad == 2.0


def test_value_bad_input_errors():
    with pytest.raises(TypeError, match=r"Value\(\) takes a real number .* got str 'abc'"):
        Value("abc")
    with pytest.raises(TypeError, match="a Value is already a node"):
        Value(Value(1.0))
    with pytest.raises(TypeError, match="label must be a str"):
        Value(1.0, label=3)
    with pytest.raises(TypeError, match="got bool True"):
        Value(True)
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \+: 'Value' and 'str'"):
        Value(1.0) + "x"
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \*\* or pow\(\)"):
        Value(1.0) ** "2"
    with pytest.raises(TypeError, match="expected a Value, int or float, got str"):
        Value(1.0).max("x")
    with pytest.raises(TypeError, match="slope must be a real number"):
        Value(1.0).leaky_relu("big")
    with pytest.raises(TypeError, match="grad must be a real number"):
        Value(1.0).backward(grad="one")


def test_comparisons_return_plain_bools():
    a, b = Value(1.0), Value(2.0)
    assert (a < b) is True and (a >= b) is False and (a < 1.5) is True and (b > 1) is True


def test_repr_and_item():
    v = Value(2.5, label="w")
    assert repr(v) == "Value(data=2.5, grad=0, label='w')"
    assert v.item() == 2.5 and float(v) == 2.5
