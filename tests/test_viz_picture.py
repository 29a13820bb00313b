"""The picture model: default pictures of homework-size models, names, structure, JSON."""

import json

import numpy as np
import pytest

import nn
from autograd import Tensor, Value
from bench.viz_models import MODELS, conv_relu_pool
from viz import backward_steps, draw, picture
from viz.model.names import node_names


def _acyclic(model):
    """Kahn's algorithm over the box edges: True when every box gets a place."""
    incoming = {b.id: 0 for b in model.boxes}
    out = {b.id: [] for b in model.boxes}
    for e in model.edges:
        incoming[e.dst] += 1
        out[e.src].append(e.dst)
    ready = [b for b, n in incoming.items() if n == 0]
    seen = 0
    while ready:
        b = ready.pop()
        seen += 1
        for d in out[b]:
            incoming[d] -= 1
            if incoming[d] == 0:
                ready.append(d)
    return seen == len(model.boxes)


# (model, level, boxes, the names a student looks for)
DEFAULTS = [
    (
        "conv+relu+pool",
        "tensors",
        ["conv2d.weight", "x", "conv2d.bias", "conv.out", "relu.out", "pool.out", "loss"],
        [],
    ),
    (
        "lstm 5 steps",
        "steps",
        None,
        [
            "lstm.weight_ih_l0",
            "lstm.weight_hh_l0",
            "lstm.bias_ih_l0",
            "lstm.bias_hh_l0",
            "x",
            "h_0",
            "c_0",
            "t = 1",
            "t = 5",
            "loss",
        ],
    ),
    (
        "attention 4 tokens",
        "tensors",
        [
            "x",
            "attn.W_Q",
            "attn.Q",
            "attn.score",
            "attn.W_K",
            "attn.K",
            "attn.rowmax",
            "attn.A",
            "attn.W_V",
            "attn.V",
            "attn.out",
            "loss",
        ],
        [],
    ),
    (
        "P12 red panda",
        "tensors",
        None,
        ["X", "attn.Q", "attn.K", "attn.V", "attn.score", "attn.rowmax", "attn.A", "attn.out"],
    ),
    (
        "moons MLP 4 points",
        "tensors",
        None,
        [
            "net.0.weight",
            "net.0.fc.out",
            "net.1.relu.out",
            "net.2.fc.out",
            "net.3.relu.out",
            "net.4.fc.out",
            "loss",
        ],
    ),
]


@pytest.mark.parametrize("name, level, boxes, wanted", DEFAULTS)
def test_default_pictures_are_small_named_and_acyclic(name, level, boxes, wanted):
    model = picture(MODELS[name]())
    assert model.collapsed and model.level == level
    assert len(model.boxes) <= 40
    names = [b.name for b in model.boxes]
    if boxes is not None:
        assert names == boxes
    assert set(wanted) <= set(names)
    assert all(n and "#" not in n for n in names)  # every box has a person's name
    assert _acyclic(model)
    assert model.merged == []


def test_box_counts_of_the_defaults():
    counts = {name: len(picture(build()).boxes) for name, build in MODELS.items()}
    assert counts == {
        "conv+relu+pool": 7,
        "lstm 5 steps": 13,
        "attention 4 tokens": 12,
        "P12 red panda": 12,
        "moons MLP 4 points": 12,
    }


def test_small_graphs_stay_scalar():
    import demos.funky_conv1d as p2

    net = p2.build()
    assert picture(net.z4).level == "scalars"
    w, x, b, y = (Value(v, label=n) for v, n in ((2.0, "w"), (-1.0, "x"), (0.5, "b"), (1.0, "y")))
    z = w * x + b
    z.label = "z"
    loss = (y - z.exp()) ** 2 / 2
    model = picture(loss)
    assert model.level == "scalars" and len(model.boxes) == 11
    assert [b.name for b in model.boxes][:4] == ["y", "w", "x", "mul#3"]


def test_lstm_gates_and_states_are_named_per_step():
    model = picture(MODELS["lstm 5 steps"](), expand=["t = 3"])
    names = {model.names[k] for b in model.boxes if b.kind == "scalar" for k in b.members}
    for gate in "ifgoch":
        assert {f"{gate}_3[0]", f"{gate}_3[1]", f"{gate}_3[2]"} <= names
    assert _acyclic(model)


def test_conv_output_elements_are_named_in_index_order():
    rng = np.random.default_rng(0)
    conv = nn.Conv2d(1, 2, 3, rng=rng)
    out = conv(Tensor(rng.normal(size=(1, 4, 4)), label="x"))
    assert [v.label for v in out.values.flat][:3] == [
        "conv.out[0,0,0]",
        "conv.out[0,0,1]",
        "conv.out[0,1,0]",
    ]
    model = picture(out.sum(), max_nodes=10, expand=["conv2d.weight"])
    weights = [
        model.names[b.members[0]]
        for b in model.boxes
        if b.kind == "scalar" and model.names[b.members[0]].startswith("conv2d.weight")
    ]
    assert weights[:3] == [
        "conv2d.weight[0,0,0,0]",
        "conv2d.weight[0,0,0,1]",
        "conv2d.weight[0,0,0,2]",
    ]


def test_passthrough_layers_rename_nothing():
    x = Tensor([1.0, 2.0], label="x")
    assert nn.Dropout(0.5).eval()(x)[0].label == "x[0]"
    assert nn.Sequential(nn.ReLU(), nn.Tanh())(x)[1].label == "1.tanh.out[1]"


def test_softmax_shift_constant_is_named_rowmax():
    attn = nn.SelfAttention(2, 2, rng=np.random.default_rng(1))
    attn(Tensor([[1.0, 0.0], [0.0, 1.0]]))
    shifts = [
        p
        for v in attn.weights.values.flat
        for e in v.parents
        for s in e.parents
        for p in s.parents
        if not p.parents
    ]
    assert {p.label for p in shifts} == {"attn.rowmax[0]", "attn.rowmax[1]"}  # in the layer


def test_steps_and_pictures_use_the_same_names():
    x = Value(2.0, label="x")
    y = (x * 3).exp() + 1
    y.backward()
    steps = backward_steps(y)
    model = picture(y)
    assert [b.name for b in model.boxes] == ["x", "3", "mul#2", "exp#3", "1", "add#5"]
    assert [s.node_name for s in steps] == ["add#5", "add#5", "exp#3", "mul#2", "mul#2"]
    assert set(node_names(model.order).values()) == {b.name for b in model.boxes}
    source = draw(y).source
    assert "<B>mul#2</B>" in source and "<B>3</B>" in source  # constants show their value


def test_to_dict_is_json_with_members_and_edges():
    a = Value(float("nan"), label="a")
    y = a * 2
    y.label = "y"
    d = picture(y).to_dict()
    text = json.dumps(d, allow_nan=False)
    assert '"nan"' in text
    assert [b["name"] for b in d["boxes"]] == ["a", "2", "y"]
    assert [(e["src"], e["dst"], e["input_index"]) for e in d["edges"]] == [
        ("v0", "v2", 0),
        ("v1", "v2", 1),
    ]
    model = picture(MODELS["conv+relu+pool"]())
    boxes = {b["name"]: b for b in model.to_dict()["boxes"]}
    assert boxes["conv.out"]["shape"] == [2, 2, 2]
    assert [m["name"] for m in boxes["conv.out"]["members"]][:2] == [
        "conv.out[0,0,0]",
        "conv.out[0,0,1]",
    ]
    assert boxes["conv.out"]["members"][0]["index"] == [0, 0, 0]


def test_boxes_that_depend_on_each_other_are_merged():
    # tensor A's second element depends on B, B on A's first: A -> B -> A
    a0 = Value(1.0, label="A[0]")
    b0 = a0.exp()
    b0.label = "B[0]"
    a1 = b0.exp()
    a1.label = "A[1]"
    model = picture(a1 * a0, max_nodes=2)
    assert _acyclic(model)
    assert model.merged == [["A", "B"]]
    assert any("merged (they depend on each other): A + B" in n for n in model.notes)


def test_unnamed_graphs_collapse_into_depth_bands():
    x = Value(0.5, label="x")
    layer = [x * (i + 1) for i in range(4)]
    for _ in range(30):
        layer = [(layer[i] + layer[(i + 1) % 4]).tanh() for i in range(4)]
    root = sum(layer[1:], layer[0])
    model = picture(root)
    assert model.level == "bands" and len(model.boxes) <= 40
    assert model.boxes[0].name.startswith("depth 0")
    assert _acyclic(model)


def test_expand_a_collapsed_box_by_its_name():
    model = picture(MODELS["attention 4 tokens"](), expand=["attn.A"])
    opened = [model.names[k] for b in model.boxes if b.kind == "scalar" for k in b.members]
    assert "attn.A[0,0]" in opened and "attn.A[3,3]" in opened
    assert "attn.A" in model.opened
    with pytest.raises(ValueError, match="expand: unknown box 'attn.Z'"):
        picture(MODELS["attention 4 tokens"](), expand=["attn.Z"])
    with pytest.raises(TypeError, match="expand takes box names"):
        picture(Value(1.0), expand=[3])
    with pytest.raises(ValueError, match="max_nodes must be a positive int"):
        picture(Value(1.0), max_nodes=0)


def test_high_fan_out_collapses_or_bundles_and_renders():
    from viz.expression import build

    root = build("L = " + "+".join(["x"] * 120), {"x": 1.0}).root
    root.backward()
    model = picture(root)
    assert [(b.name, len(b.members)) for b in model.boxes] == [("x", 1), ("L", 119)]
    assert [(e.src, e.dst, e.count) for e in model.edges] == [("g0", "g1", 120)]
    scalar = draw(root, max_nodes=1000)
    assert "concentrate=true" in scalar.source  # x has 120 out-edges: bundled
    assert "edges leaving one node are bundled" in scalar.source


def test_a_long_chain_of_named_statements_collapses_into_named_bands():
    from viz.expression import build

    lines = ["a_1 = x*x"] + [f"a_{i} = a_{i - 1}*x" for i in range(2, 101)]
    root = build("; ".join(lines), {"x": 1.01}).root
    model = picture(root)
    assert model.level == "bands" and len(model.boxes) <= 40
    names = [b.name for b in model.boxes]
    # the input keeps its box; each band holds whole named nodes (issue 22)
    assert names[:3] == ["x", "a_1 … a_3", "a_4 … a_6"] and names[-1] == "a_100"
    assert _acyclic(model)


def test_a_layout_over_budget_is_stopped_in_one_line(monkeypatch):
    from viz import RenderError, render
    from viz.writers.graphviz_run import layout_timeout

    x = Value(1.0, label="x")
    with pytest.raises(RenderError, match=r"^layout stopped after 1e-06 s: .* did not finish"):
        render(draw(x * 2), "/tmp/never.svg", timeout=1e-6)
    with pytest.raises(ValueError, match="timeout must be a positive number of seconds"):
        layout_timeout(0)
    monkeypatch.setenv("CHALKGRAD_RENDER_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="CHALKGRAD_RENDER_TIMEOUT must be a positive number"):
        layout_timeout()
    monkeypatch.setenv("CHALKGRAD_RENDER_TIMEOUT", "12.5")
    assert layout_timeout() == 12.5


def test_scalar_pictures_write_tensor_elements_in_index_order():
    W = Tensor([[1.0, 2.0], [3.0, 4.0]], label="W")
    y = (W[1, 1] * W[0, 1]) + (W[1, 0] * W[0, 0])
    source = draw(y).source
    positions = [source.index(f"<B>W[{i},{j}]</B>") for i in range(2) for j in range(2)]
    assert positions == sorted(positions)


def test_a_tensor_box_says_which_elements_reach_the_loss():
    # Conv2d(1, 2, 3) on a 5x5 image gives 3x3 maps; MaxPool2d(2) reads only their top-left
    # 2x2, which reach back to the image's top-left 4x4: the box must not claim x is 4x4.
    src = draw(conv_relu_pool()).source
    assert "(1, 4, 4) in the graph" in src and "(2, 2, 2) in the graph" in src
    assert "shape (1, 4, 4)" not in src
