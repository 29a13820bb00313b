"""The explorer page's data, escaping and errors (no browser needed), and `draw --html`."""

import json
import re

import pytest

from autograd import Tensor, Value
from viz.cli.command import main
from viz.pages.explore import explore_html, page_data


def _data(path):
    text = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'id="page-data">(.*?)</script>', text, re.S).group(1))


def _layer():
    # L = sum(relu(W @ x)) with W = [[1, 2], [3, -4]], x = [5, 6]: W @ x = [17, -9]
    W = Tensor([[1.0, 2.0], [3.0, -4.0]], label="W")
    x = Tensor([5.0, 6.0], label="x")
    root = (W @ x).name("h").relu().name("a").sum().values.flat[0]
    root.label = "L"
    return root, W, x


def test_small_graph_is_drawn_scalar_by_scalar_with_every_name():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    y = a * b + 1
    y.label = "y"
    d = page_data(y, precision=1)
    assert d["collapsed"] is False and d["boxes"] == [] and d["boxSteps"] == []
    assert [n[:4] for n in d["nodes"]] == [
        ["a", "", "2", "-3"],
        ["b", "", "-3", "2"],
        ["mul#2", "*", "-6", "1"],
        ["1", "", "1", "1"],
        ["y", "+", "-5", "1"],
    ]
    svg = d["picture"]["svg"]
    for k, name in enumerate(["a", "b", "mul#2", "1", "y"]):  # every box titled as the steps say
        assert re.search(
            rf'<g id="s{k}" class="node">.*?<text[^>]*>{re.escape(name)}</text>', svg, re.S
        )
    assert d["nodes"][2][6] == ["b = -3", "a = 2"]  # d(a*b)/da = b, d(a*b)/db = a


def test_collapsed_graph_has_boxes_box_steps_and_box_pictures():
    root, W, x = _layer()
    d = page_data(root, precision=2, max_nodes=6)
    names = [b["name"] for b in d["boxes"]]
    assert d["collapsed"] is True and names == ["W", "x", "h", "a", "L"]
    assert [b["picture"] is not None for b in d["boxes"]] == [True, True, True, True, False]
    assert d["boxes"][4]["why"] == "a single value"
    steps = [(names[s["from"]], names[s["to"]]) for s in d["boxSteps"]]
    assert steps == [("a", "L"), ("h", "a"), ("W", "h"), ("x", "h")]
    to_w, to_x = d["boxSteps"][2], d["boxSteps"][3]
    # dL/dW[i,j] = relu'(Wx)_i x_j = [[5, 6], [0, 0]]; dL/dx = W^T [1, 0] = [1, 2]
    assert to_w["contribution"] == "W[0,0] += 5\nW[0,1] += 6\nW[1,0] += 0\nW[1,1] += 0"
    assert to_x["total"] == "x[0] 1\nx[1] 2" and to_x["final"] is True
    # the tensor-level rule, then the registry's rule of each scalar edge
    assert to_w["rule"] == "∂L/∂W = ∂L/∂h xᵀ\n  ∂h/∂W = x, for each of the 4 scalar edges"
    assert to_x["rule"].startswith("∂L/∂x = Wᵀ ∂L/∂h\n")
    assert d["boxSteps"][1]["rule"].startswith("∂L/∂h = ∂L/∂a ⊙ 1{h > 0}\n")
    assert to_w["count"] == 4 and to_w["edge"] == f"{d['boxes'][0]['id']}->{d['boxes'][2]['id']}"
    assert W.grad.tolist() == [[0.0, 0.0], [0.0, 0.0]]  # the page leaves .grad alone


def test_box_pictures_show_their_inputs_as_stubs():
    root, _, _ = _layer()
    d = page_data(root, precision=2, max_nodes=6)
    dots = d["boxes"][2]["picture"]["svg"]
    # the dot box's inputs come from W and x: one grey stub per input scalar, named
    index = {n[0]: k for k, n in enumerate(d["nodes"])}
    for name in ("W[0,0]", "W[1,1]", "x[0]", "x[1]"):
        assert f'id="b2s{index[name]}"' in dots
    assert "→ a" in dots


def test_labels_are_escaped_everywhere(tmp_path):
    x = Value(1.0, label='<img src=x onerror="alert(1)">')
    y = x * 2
    y.label = "</script><b>"
    text = explore_html(y, tmp_path / "e.html").read_text(encoding="utf-8")
    assert "<img" not in text and "<b>" not in text and "</script><" not in text
    assert text.count("</script>") == 2
    data = _data(tmp_path / "e.html")
    assert data["nodes"][0][0] == '<img src=x onerror="alert(1)">'  # JSON keeps the text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in data["picture"]["svg"]


def test_page_works_offline(tmp_path):
    root, _, _ = _layer()
    text = explore_html(root, tmp_path / "p.html", max_nodes=6).read_text(encoding="utf-8")
    assert not re.search(r"(src|href)=\"?https?:", text)
    assert "fetch(" not in text and "XMLHttpRequest" not in text and "@import" not in text


def test_bad_input_is_refused(tmp_path):
    root, _, _ = _layer()
    with pytest.raises(
        ValueError, match=r"precision \(significant figures\) must be an int in 1..17, got 20"
    ):
        explore_html(root, tmp_path / "p.html", precision=20)
    with pytest.raises(FileNotFoundError, match="folder .* does not exist"):
        explore_html(root, tmp_path / "missing" / "p.html")
    with pytest.raises(TypeError, match="takes a Value or a one-element Tensor"):
        explore_html(Tensor([1.0, 2.0]), tmp_path / "p.html")
    assert not (tmp_path / "p.html").exists()  # nothing half-written


def test_draw_html_from_the_command_line(tmp_path, capsys):
    page = tmp_path / "g.html"
    assert main(["draw", "L = (w*x - 1)**2", "--set", "w=2", "x=3", "--html", str(page)]) == 0
    assert f"wrote {page}" in capsys.readouterr().out
    data = _data(page)
    assert [n[0] for n in data["nodes"]] == ["w", "x", "mul#2", "1", "sub#4", "L"]
    assert [n[3] for n in data["nodes"]] == [
        "30",
        "20",
        "10",
        "-10",
        "10",
        "1",
    ]
    assert main(["draw", "y = 2*x", "--set", "x=1", "--html", str(tmp_path / "g.svg")]) == 2
    assert "--html" in capsys.readouterr().err
    assert (
        main(["steps", "y = 2*x", "--set", "x=1", "--html", str(tmp_path / "nope" / "s.html")]) == 2
    )
    assert "does not exist" in capsys.readouterr().err


def test_demo_writes_its_page_with_html(tmp_path, capsys, monkeypatch):
    from demos import common

    monkeypatch.setitem(common._PRACTICE, "html", False)  # restored after the test
    assert main(["demo", "funky-conv1d", "--out", str(tmp_path), "--html"]) == 0
    assert f"wrote {tmp_path / 'funky_conv1d.html'}" in capsys.readouterr().out
    data = _data(tmp_path / "funky_conv1d.html")
    names = [n[0] for n in data["nodes"]]
    # P2: z_i = conv(x), u = maxpool(z), v = leaky_relu(u), z4 = fc(v), each named
    assert {
        "conv.weight[0,0,0]",
        "conv.bias[0]",
        "z1",
        "z3",
        "u1",
        "v2",
        "fc.bias[0]",
        "z4",
    } <= set(names)
