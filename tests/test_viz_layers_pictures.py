"""Pictures of real layers (issue 22): grids in index order, every internal named, heads and
gates, no rounding noise, index order and short edges."""

import contextlib
import io
import json
import re

import numpy as np
import pytest

import nn
from autograd import Tensor, Value
from viz import draw, picture
from viz.writers.grids import grid_rows


def _box_rows(source: str, name: str, which: int = 0) -> list[list[str]]:
    """The rows of the ``which``-th inner grid (0 = data, 1 = grad) of the box called ``name``."""
    label = next(line for line in source.splitlines() if f"<B>{name}</B>" in line)
    grids = re.findall(r'<TABLE BORDER="0" CELLBORDER="1"[^>]*>(.*?)</TABLE>', label)
    return [
        re.findall(r"<TD[^>]*>([^<]*)</TD>", row)
        for row in re.findall(r"<TR>(.*?)</TR>", grids[which])
    ]


def _p5():
    from demos.conv2d_equivariance import X, forward

    _, _, _, pooled = forward(X)
    loss = pooled.sum().name("L")
    loss.backward()
    return loss


# ------------------------------------------------------------------------------ grids
def test_p5_image_and_kernel_are_drawn_as_the_homework_matrices():
    source = draw(_p5()).source
    assert _box_rows(source, "x") == [
        ["[0]"],
        ["0", "0", "1", "0"],
        ["0", "1", "0", "0"],
        ["0", "1", "0", "0"],
        ["0", "1", "0", "0"],
    ]
    assert _box_rows(source, "conv.out")[1:] == [
        ["-1", "-2", "1", "2"],
        ["-3", "-1", "3", "1"],
        ["-4", "0", "4", "0"],
        ["-3", "0", "3", "0"],
    ]
    assert _box_rows(source, "conv.weight")[1:] == [
        ["1", "0", "-1"],
        ["2", "0", "-2"],
        ["1", "0", "-1"],
    ]
    assert _box_rows(source, "pool.out")[1:] == [["0", "3"], ["0", "4"]]
    assert "(1, 4, 4) in the graph" in source and "elements used" not in source


def test_grids_show_up_to_8x8_then_say_how_many_more():
    assert grid_rows({(k,): str(k) for k in range(8)}) == [[str(k) for k in range(8)]]
    big = grid_rows({(r, c): f"{r}{c}" for r in range(10) for c in range(9)})
    assert big[0] == [f"0{c}" for c in range(8)] + ["… 1 more column"]
    assert len(big) == 9 and big[-1] == ["… 2 more rows"]
    five = grid_rows({(r, c): f"{r}{c}" for r in range(5) for c in range(5)})
    assert five == [[f"{r}{c}" for c in range(5)] for r in range(5)]  # the 5th row is there
    slices = grid_rows(
        {(a, b, r, c): "1" for a in range(2) for b in range(3) for r in range(2) for c in range(2)}
    )
    heads = [row[0] for row in slices if row and row[0].startswith(("[", "…"))]
    assert heads == ["[0,0]", "[0,1]", "[0,2]", "[1,0]", "… 2 more slices"]


def test_a_box_of_a_big_matrix_shows_its_first_rows_and_columns():
    W = Tensor(np.arange(120.0).reshape(10, 12), label="W")
    loss = (W * W).sum().name("L")
    loss.backward()
    rows = _box_rows(draw(loss, max_nodes=5).source, "W")
    assert (
        rows[0][:8] == ["0", "1", "2", "3", "4", "5", "6", "7"] and rows[0][8] == "… 4 more columns"
    )
    assert rows[1][:3] == ["12", "13", "14"] and rows[-1] == ["… 2 more rows"]


# ------------------------------------------------------------------------- the noise rule
NOISE_DEMOS = [
    "transformer-language-model",
    "two-heads",
    "red-panda-attention",
    "positional-add-or-concat",
    "local-attention",
]


@pytest.mark.parametrize("demo", NOISE_DEMOS)
def test_no_rounding_noise_in_pictures_or_page_data(demo, monkeypatch):
    """P8, P9, P12, P14, P22: no 1e-17 in any picture or the page data (info panels)."""
    import demos.common as common
    from viz.model.build import as_roots
    from viz.pages.explore import page_data

    texts = []

    def capture(roots, out, name, **options):
        texts.append(draw(roots, **options).source)
        found = as_roots(roots)
        if len(found) == 1:
            data = page_data(found[0])
            data.pop("picture")
            texts.append(json.dumps(data, ensure_ascii=False))

    monkeypatch.setattr(common, "save_graph", capture)
    module = common.load_demo(demo)
    monkeypatch.setattr(module, "save_graph", capture)
    with contextlib.redirect_stdout(io.StringIO()):
        module.main(["--out", "/tmp/chalkgrad-noise-test"])
    assert texts
    for text in texts:
        tiny = [m for m in re.findall(r"-?\d(?:\.\d+)?e-\d+", text) if abs(float(m)) < 1e-12]
        assert tiny == [], tiny[:5]


def test_genuinely_small_values_still_print():
    # P11: a ReLU RNN with w = 0.3 over 20 steps: dh20/dh1 = 0.3^19, about 1.16e-10
    h1 = Value(1.0, label="h_1")
    h = h1
    for t in range(2, 21):
        h = (h * 0.3).relu()
        h.label = f"h_{t}"
    h.backward()
    assert "grad 1.162e-10" in draw(h).source
    assert "1.162e-10" in draw(h, max_nodes=5).source


def test_a_block_loss_of_layer_norm_outputs_is_zero_not_noise():
    rng = np.random.default_rng(0)
    block = nn.TransformerBlock(4, d_ff=8, rng=rng)
    loss = block(Tensor(rng.normal(size=(3, 4)), label="x")).sum().name("loss")
    loss.backward()
    source = draw(loss).source
    assert "data 0<" in source and not re.search(r"e-1[3-9]", source)


# ----------------------------------------------------------------------- index order
def test_scalar_pictures_constrain_each_tensor_to_index_order():
    W = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], label="W")
    y = W[1, 2] * W[0, 0] + W[0, 2] * W[1, 0] + W[0, 1] * W[1, 1]
    y.backward()
    source = draw(y).source
    group = re.search(r"\{rank=same; ([^}]*)\}", source).group(1)
    chain = re.findall(r"(v\d+) -> (v\d+) \[style=invis\]", group)
    ids = {
        name: i
        for i, name in re.findall(r"(v\d+) \[label=<<TABLE[^>]*><TR><TD><B>([^<]+)</B>", source)
    }
    names = {v: k for k, v in ids.items()}
    # drawn bottom to top in LR: each element points to the one before it
    assert [(names[b], names[a]) for a, b in chain] == [
        ("W[0,0]", "W[0,1]"),
        ("W[0,1]", "W[0,2]"),
        ("W[0,2]", "W[1,0]"),
        ("W[1,0]", "W[1,1]"),
        ("W[1,1]", "W[1,2]"),
    ]
    assert "remincross=false" in source


def test_p7_inputs_sit_in_their_step_and_shared_weights_are_referenced_per_step():
    from demos.linear_rnn_classifier import run_rnn

    rng = np.random.default_rng(0)
    _, score, _ = run_rnn(
        rng.normal(size=(2, 3)),
        rng.normal(size=(2, 2)),
        rng.normal(size=2),
        rng.normal(size=2),
        rng.normal(size=(4, 3)),
    )
    score.backward()
    model = picture(score)
    for t in range(4):
        for c in range(3):
            cluster = model.box(f"x[{t},{c}]").cluster
            assert cluster[0] == ("step", f"t = {t + 1}")
    source = draw(score).source
    assert source.count("rnn.weight_hh_l0 (shared)") == 4  # one reference per step
    refs = set(re.findall(r"(r\d+_\d+):p\d+_\d+ -> ", source))
    assert len(refs) == 8  # weight_ih and weight_hh in each of the 4 steps


# ----------------------------------------------------------------------------- names
def test_layers_name_what_they_compute():
    x = Tensor([[1.0, 2.0], [3.0, 5.0]], label="x")
    assert nn.LayerNorm(2)(x)[0, 1].label == "norm.out[0,1]"
    assert nn.MSELoss()(x, Tensor(np.zeros((2, 2)))).values[()].label == "mse"
    assert nn.CrossEntropyLoss()(x, [0, 1]).values[()].label == "cross_entropy"
    conv = nn.Conv1d(1, 1, 2)
    assert conv.weight[0, 0, 1].label == "conv1d.weight[0,0,1]"
    assert conv.name("edge").weight[0, 0, 1].label == "edge.weight[0,0,1]"

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc, self.criterion = nn.Linear(2, 1), nn.MSELoss()

    net = Net()
    assert net.criterion(net.fc(x), Tensor(np.zeros((2, 1)))).values[()].label == "criterion"


def test_gru_names_its_gates_and_its_picture_shows_them_per_step():
    rng = np.random.default_rng(0)
    gru = nn.GRU(2, 3, rng=rng)
    _, h_n = gru(Tensor(rng.normal(size=(2, 2)), label="x"))
    loss = h_n.sum().name("loss")
    loss.backward()
    names = [b.name for b in picture(loss, max_nodes=60).boxes]
    assert {"r_1", "z_1", "n_1", "h_1", "r_2", "z_2", "n_2", "h_2"} <= set(names)
    assert not any("#" in n for n in names)
    source = draw(loss, max_nodes=12).source  # one box per step, one grid per gate
    step = next(line for line in source.splitlines() if "<B>t = 1</B>" in line)
    assert [step.index(f"<B>{g}_1</B>") for g in "rznh"] == sorted(
        step.index(f"<B>{g}_1</B>") for g in "rznh"
    )


def test_a_long_lstm_draws_one_box_per_time_step():
    rng = np.random.default_rng(0)
    lstm = nn.LSTM(4, 16, rng=rng)
    _, (h_n, _) = lstm(Tensor(rng.normal(size=(16, 4)), label="x"))
    loss = h_n.sum().name("loss")
    loss.backward()
    model = picture(loss)
    names = [b.name for b in model.boxes]
    assert model.level == "steps" and len(model.boxes) <= 24
    assert [n for n in names if n.startswith("t = ")] == [f"t = {t}" for t in range(1, 17)]
    assert {"x", "lstm.weight_ih_l0", "lstm.weight_hh_l0", "loss"} <= set(names)
    for b in model.boxes:  # a box never spans two time steps
        steps = {
            model.names[k].split("[")[0].rsplit("_", 1)[-1]
            for k in b.members
            if b.kind == "step" and model.order[k].label
        }
        assert len(steps) <= 1


def test_multi_head_attention_draws_each_head_as_its_own_grids():
    rng = np.random.default_rng(0)
    mha = nn.MultiHeadAttention(4, 2, rng=rng)
    out, _ = mha(Tensor(rng.normal(size=(3, 4)), label="x"))
    loss = out.sum().name("loss")
    loss.backward()
    model = picture(loss)
    for h in (0, 1):
        for what, shape in (
            ("Q", (3, 2)),
            ("K", (3, 2)),
            ("V", (3, 2)),
            ("score", (3, 3)),
            ("A", (3, 3)),
        ):
            box = model.box(f"attn.head{h}.{what}")
            assert box.shape == shape
            assert ("module", "attn") in box.cluster  # every attention internal in its cluster
    source = draw(loss).source
    assert len(_box_rows(source, "attn.head1.A")) == 3


def test_score_and_rowmax_sit_inside_the_attention_cluster():
    from bench.viz_models import one_head_attention

    model = picture(one_head_attention())
    for name in ("attn.score", "attn.rowmax", "attn.A"):
        assert model.box(name).cluster[:1] == (("module", "attn"),)


def test_transformer_block_default_picture_is_its_structure():
    rng = np.random.default_rng(0)
    block = nn.TransformerBlock(4, rng=rng)
    x = Tensor(rng.normal(size=(4, 4)), label="x")
    loss = nn.MSELoss()(block(x), Tensor(rng.normal(size=(4, 4))))
    loss.backward()
    model = picture(loss)
    assert model.merged == []
    computed = [b.name for b in model.boxes if b.role in ("group", "output")]
    assert computed == [
        "attention",
        "block.residual1",
        "norm1",
        "feed_forward",
        "block.residual2",
        "norm2",
        "mse",
    ]
    assert "score" in draw(loss).source.split("<B>attention</B>")[1].split("</TABLE>>")[0]


def test_page_pictures_keep_index_order_too():
    from viz.model.groups import assign_paths
    from viz.steps import backward_steps
    from viz.writers.scalar_dot import scalar_picture

    W = Tensor([[1.0, 2.0], [3.0, 4.0]], label="W")
    steps = backward_steps(W[1, 1] * W[0, 0] + W[0, 1] * W[1, 0])
    n = len(steps.order)
    source = scalar_picture(steps, ["1"] * n, ["1"] * n, assign_paths(steps.order)).source
    names = {f"s{k}": steps.name(v) for k, v in enumerate(steps.order)}
    chain = re.findall(
        r"(s\d+) -> (s\d+) \[style=invis\]", re.search(r"\{rank=same; ([^}]*)\}", source).group(1)
    )
    assert [(names[b], names[a]) for a, b in chain] == [
        ("W[0,0]", "W[0,1]"),
        ("W[0,1]", "W[1,0]"),
        ("W[1,0]", "W[1,1]"),
    ]


def test_a_stack_of_blocks_past_the_budget_stays_within_it():
    # six blocks: 66 parameter tensors alone exceed max_nodes, so each block's parameters
    # join the band of the block that uses them (bands of whole boxes, none merged)
    rng = np.random.default_rng(0)
    net = nn.Sequential(*[nn.TransformerBlock(4, d_ff=8, rng=rng) for _ in range(6)])
    loss = net(Tensor(rng.normal(size=(3, 4)), label="x")).sum().name("loss")
    loss.backward()
    model = picture(loss)
    assert len(model.boxes) <= 40 and model.merged == []
    assert [b.name for b in model.boxes] == ["0", "1", "2", "3", "4", "5", "loss"]
