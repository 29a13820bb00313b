"""Module system: dotted labels, traversal, state dicts and their errors, repr, modes."""

import numpy as np
import pytest

import nn
from autograd import Tensor, Value


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(1, 2, 2)
        self.fc = nn.Linear(2, 1, bias=False)

    def forward(self, x):
        return self.fc(self.conv(x).sum(axis=-1))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block()
        self.heads = nn.ModuleList([nn.Linear(1, 1), nn.Linear(1, 1)])

    def forward(self, x):
        h = self.block(x)
        return self.heads[0](h) + self.heads[1](h)


def test_named_parameters_are_dotted_and_label_values():
    net = Net()
    names = [n for n, _ in net.named_parameters()]
    assert names == [
        "block.conv.weight",
        "block.conv.bias",
        "block.fc.weight",
        "heads.0.weight",
        "heads.0.bias",
        "heads.1.weight",
        "heads.1.bias",
    ]
    assert net.block.conv.weight[1, 0, 1].label == "block.conv.weight[1,0,1]"
    assert net.heads[1].bias[0].label == "heads.1.bias[0]"
    assert net.num_parameters() == (4 + 2) + 2 + 2 + 2


def test_reassigned_parameter_gets_full_path():
    net = Net()
    net.block.fc.weight = nn.Parameter(np.ones((1, 2)))
    assert net.block.fc.weight[0, 1].label == "block.fc.weight[0,1]"


def test_named_modules_and_children_order():
    net = Net()
    assert [n for n, _ in net.named_modules()] == [
        "",
        "block",
        "block.conv",
        "block.fc",
        "heads",
        "heads.0",
        "heads.1",
    ]
    assert [n for n, _ in net.named_children()] == ["block", "heads"]


def test_state_dict_roundtrip_and_values_stay_the_same_nodes():
    a, b = Net(), Net()
    node = b.block.conv.weight[0, 0, 0]
    b.load_state_dict(a.state_dict())
    assert b.block.conv.weight[0, 0, 0] is node
    for (k1, v1), (k2, v2) in zip(a.state_dict().items(), b.state_dict().items()):
        assert k1 == k2
        np.testing.assert_array_equal(v1, v2)
    x = Tensor([[1.0, -2.0, 0.5]])
    assert a(x).data.tolist() == b(x).data.tolist()


def test_load_state_dict_missing_and_unexpected_keys():
    lin = nn.Linear(2, 1)
    with pytest.raises(KeyError, match=r"Linear.load_state_dict: missing keys \['bias'\]"):
        lin.load_state_dict({"weight": np.zeros((1, 2))})
    with pytest.raises(KeyError, match=r"unexpected keys \['extra'\]"):
        lin.load_state_dict({"weight": np.zeros((1, 2)), "bias": [0.0], "extra": [1.0]})
    result = lin.load_state_dict({"weight": [[3.0, 4.0]], "extra": [1.0]}, strict=False)
    assert result.missing_keys == ["bias"] and result.unexpected_keys == ["extra"]
    assert lin.weight.data.tolist() == [[3.0, 4.0]]


def test_load_state_dict_wrong_shape_names_expected_and_received():
    lin = nn.Linear(2, 1)
    before = lin.state_dict()
    with pytest.raises(
        ValueError,
        match=r"Linear.load_state_dict: shape mismatch for 'weight': "
        r"expected \(1, 2\), received \(2, 1\)",
    ):
        lin.load_state_dict({"weight": np.zeros((2, 1)), "bias": [5.0]})
    assert lin.bias.data.tolist() == before["bias"].tolist()  # nothing half-loaded


def test_zero_grad_train_eval():
    net = Net()
    out = net(Tensor([[1.0, 2.0, 3.0]]))
    out.sum().backward()
    assert any(abs(v.grad) > 0 for p in net.parameters() for v in p.values.flat)
    net.zero_grad()
    assert all(v.grad == 0.0 for p in net.parameters() for v in p.values.flat)
    net.eval()
    assert not net.training and not net.heads[0].training
    net.train()
    assert net.block.fc.training


def test_repr_like_pytorch():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Conv2d(1, 2, 3, padding=1))
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=3, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n"
        ")"
    )


def test_setattr_before_init_and_modulelist_errors():
    class Broken(nn.Module):
        def __init__(self):
            self.w = nn.Parameter([1.0])

    with pytest.raises(AttributeError, match=r"Broken: call super\(\).__init__\(\)"):
        Broken()
    with pytest.raises(TypeError, match="ModuleList.append takes a Module, got int"):
        nn.ModuleList([3])
    with pytest.raises(IndexError, match="ModuleList index 2 out of range for 2 modules"):
        nn.ModuleList([nn.ReLU(), nn.ReLU()])[2]
    with pytest.raises(NotImplementedError, match="Module does not define forward"):
        nn.Module()(1)


def test_manual_seed_makes_init_reproducible():
    nn.manual_seed(7)
    a = nn.Linear(3, 2).state_dict()
    nn.manual_seed(7)
    b = nn.Linear(3, 2).state_dict()
    np.testing.assert_array_equal(a["weight"], b["weight"])
    assert np.abs(a["weight"]).max() <= 1 / np.sqrt(3)


def test_parameters_and_zero_grad_are_cached_until_the_structure_changes():
    from nn import Linear, ModuleList, Parameter

    net = ModuleList([Linear(2, 2)])
    first = net.parameters()
    assert net.parameters() == first and net.parameters() is not first  # a new list each time
    net.append(Linear(2, 1))  # ModuleList.append
    assert [p.shape for p in net.parameters()] == [(2, 2), (2,), (1, 2), (1,)]
    net[1].bias = Parameter([5.0])  # setattr of a Parameter on a submodule
    assert net.parameters()[-1] is net[1].bias
    net[1].bias.values.flat[0].grad = 3.0
    net.zero_grad()
    assert net[1].bias.grad.tolist() == [0.0]
    del net[1].weight
    assert [p.shape for p in net.parameters()] == [(2, 2), (2,), (1,)]
    net[0].register_parameter("bias", None)
    assert [p.shape for p in net.parameters()] == [(2, 2), (1,)]
    net[0].add_module("inner", Linear(1, 1))
    assert len(net.parameters()) == 4
    w = net[0].weight
    w.values = np.array([[Value(1.0), Value(2.0)], [Value(3.0), Value(4.0)]], dtype=object)
    w.values.flat[0].grad = 7.0
    net.zero_grad()  # a Parameter given new Values: the cache notices
    assert w.values.flat[0].grad == 0.0
    net[0].note = "not a parameter"  # a plain attribute keeps the cache
    assert len(net.parameters()) == 4
