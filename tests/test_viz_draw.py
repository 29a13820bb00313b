"""viz.draw: DOT content (labels, edges, clusters, escaping, collapse) and rendering."""

import re

import pytest

from autograd import Tensor, Value
from viz.drawing import NOT_COMPUTED, GraphPicture, draw
from viz.output import render, to_svg


def _labelled(data, label):
    return Value(data, label=label)


def test_square_has_two_edges_and_shows_data_and_grad():
    x = _labelled(3.0, "x")
    y = x * x
    y.label = "y"
    y.backward()
    g = draw(y)
    assert isinstance(g, GraphPicture)
    src = g.source
    # x is v0, y is v1; both parent entries of the multiplication are drawn
    assert len(re.findall(r"\bv0 -> v1op\b", src)) == 2
    assert "<B>x</B></TD><TD>data 3</TD><TD>grad 6</TD>" in src
    assert "<B>y</B></TD><TD>data 9</TD><TD>grad 1</TD>" in src
    assert NOT_COMPUTED not in src


def test_precision_option():
    x = _labelled(1.0 / 3.0, "x")
    y = x * 2
    y.backward()
    assert "data 0.33</TD>" in draw(y, precision=2).source
    with pytest.raises(
        ValueError, match=r"precision \(significant figures\) must be an int in 1..17"
    ):
        draw(y, precision=-1)


def test_before_backward_the_picture_says_gradients_are_not_computed():
    x = _labelled(2.0, "x")
    src = draw(x.exp()).source
    assert "gradients not computed yet" in src
    assert "grad —" in src and "grad 0<" not in src


def test_edge_count_matches_parent_entries_for_a_bigger_graph():
    a, b = _labelled(1.0, "a"), _labelled(2.0, "b")
    c = a * b + a * a - b
    src = draw(c).source
    # a*b: 2, a*a: 2, +: 2, -: 2 parent edges; plus one op->value edge per op node (4)
    assert len(re.findall(r"-> v\d+op\b", src)) == 8
    assert len(re.findall(r"v\d+op -> v\d+\b", src)) == 4


def test_derivative_labels_on_edges_use_registry_formulas():
    a, b = _labelled(2.0, "a"), _labelled(-3.0, "b")
    c = a * b
    src = draw(c, derivatives=True).source
    # the real inputs' names, not the registry's placeholders: d(ab)/da = b = -3
    assert "label=<∂mul#2/∂a = b = -3>" in src
    assert "label=<∂mul#2/∂b = a = 2>" in src


def test_tensor_module_and_explicit_clusters():
    W = Tensor([[1.0, 2.0], [3.0, 4.0]], label="fc.weight")
    x = Tensor([1.0, -1.0], label="x")
    y = W @ x
    y.name("fc.out")
    loss = y.sum()
    loss.label = "loss"
    extra = _labelled(5.0, "extra")
    total = loss * extra
    src = draw(total, groups={"my group": [extra]}).source
    names = set(re.findall(r"subgraph cluster_\d+ \{\n\t*[^\n]* label=<([^>]*)>", src))
    assert {"fc", "fc.weight", "fc.out", "x", "my group"} <= names
    # fc.weight nested inside module fc
    fc = src.index("label=<fc>")
    assert src.index("label=<fc.weight>") > fc


def test_rnn_time_steps_become_clusters_but_plain_indices_do_not():
    xs = [_labelled(float(t), f"x_{t}") for t in (1, 2, 3)]
    h = _labelled(0.0, "h_0")
    for t in (1, 2, 3):
        h = (h * 0.5 + xs[t - 1]).tanh()
        h.label = f"h_{t}"
    src = draw(h).source
    for t in (0, 1, 2, 3):
        assert f"label=<t = {t}>" in src
    # inputs of a convolution named x_1..x_3 with no recurrence: no time clusters
    k = _labelled(2.0, "k")
    z = sum((k * x for x in [_labelled(1.0, f"x_{i}") for i in (1, 2, 3)]), Value(0.0))
    assert "t = 1" not in draw(z).source


@pytest.mark.parametrize(
    "evil",
    [
        'x"]; evil [label="pwned',
        "<TABLE><TR><TD>x</TD></TR></TABLE>",
        "{a|b}<c>",
        "back\\slash \\N \\G",
        "two\nlines",
        "amp & <script>alert(1)</script>",
        "x>]; y [label=<z",
    ],
)
def test_injection_labels_are_escaped_and_render(evil):
    x = _labelled(1.0, evil)
    y = x * 2
    y.label = evil
    y.backward()
    g = draw(y, derivatives=True)
    src = g.source
    assert "<script>" not in src and '"]; evil' not in src and "<TABLE><TR><TD>x" not in src
    svg = to_svg(g)
    # exactly the drawn nodes: x, the constant 2, y and the * op node
    assert svg.count('class="node"') == 4
    assert "<script" not in svg


def test_nonfinite_nodes_are_marked():
    x = _labelled(0.0, "x")
    y = x.relu().log()
    y.backward()
    src = draw(y).source
    assert src.count("non-finite!") >= 2  # log(0) = -inf and its nan grad below
    assert "#fecaca" in src


def test_highlight_marks_the_path_to_the_root():
    a, b = _labelled(1.0, "a"), _labelled(2.0, "b")
    c = a * 3 + b
    src = draw(c, highlight="a").source
    red_edges = re.findall(r"(\S+ -> \S+) \[[^\]]*color=\"#dc2626\"", src)
    assert red_edges == ["v2op -> v2", "v4op -> v4", "v0 -> v2op", "v2 -> v4op"]
    with pytest.raises(ValueError, match="no node of the graph matches"):
        draw(c, highlight="nope")


def test_collapse_above_max_nodes_and_expand():
    W = Tensor([[0.1 * (i + j) for j in range(5)] for i in range(4)], label="fc.weight")
    x = Tensor([1.0, 2.0, 3.0, 4.0, 5.0], label="x")
    y = (W @ x).name("fc.out").tanh()
    loss = y.sum()
    loss.label = "loss"
    loss.backward()
    g = draw(loss, max_nodes=10)
    src = g.source
    assert g.collapsed
    assert "collapsed: " in src and "max_nodes=10" in src
    assert "fc.weight" in src and "(4, 5) in the graph" in src
    assert "label=<×20>" in src  # 20 weight entries feed the 4 dot nodes of fc.out
    assert "x[0]" not in src
    opened = draw(loss, max_nodes=10, expand=["x"]).source
    assert "<B>x[0]</B>" in opened and "fc.weight" in opened
    assert not draw(loss).collapsed


def test_bad_roots():
    with pytest.raises(TypeError, match="draw\\(\\) takes"):
        draw("x")
    with pytest.raises(ValueError, match="at least one root"):
        draw([])


def test_render_svg_png_and_dot(tmp_path):
    x = _labelled(2.0, "x")
    y = (x * x).exp()
    y.backward()
    svg = render(y, tmp_path / "g.svg")
    text = svg.read_text()
    assert text.count("<svg") == 1 and "data 2<" in text
    png = render(draw(y), tmp_path / "g.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dot = render(y, tmp_path / "g.dot", precision=1)
    assert dot.read_text().startswith("digraph") and "data 2<" in dot.read_text()
    with pytest.raises(ValueError, match="suffix must be one of"):
        render(y, tmp_path / "g.txt")


def test_jupyter_repr_is_svg():
    bundle = draw(_labelled(1.0, "x") + 1)._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")


def test_compact_mode_puts_the_op_in_the_box_and_keeps_every_edge():
    x = _labelled(3.0, "x")
    y = x * x
    src = draw(y, compact=True).source
    assert "v1op" not in src and "<TD>= *</TD>" in src
    assert len(re.findall(r"\bv0 -> v1 \[id=e1_[01]\]", src)) == 2


def _big_matvec():
    # 400 weights + 20 inputs + 20 dots + 1 sum = 441 scalars > max_nodes=300
    W = Tensor([[0.01 * (i - j) for j in range(20)] for i in range(20)], label="W")
    x = Tensor([1.0] * 20)
    z = (W @ x).sum()
    z.backward()
    return z


def test_expand_keeps_a_group_at_scalar_level_in_every_collapse_pass():
    z = _big_matvec()
    closed = draw(z)
    assert closed.collapsed and closed.source.count("<B>W[") == 0
    # W is named; the unlabelled inputs fold into the dots, the dots into the sum they feed
    assert [b.name for b in closed.model.boxes] == ["W", "sum#440"]
    assert len(set(closed.node_ids.values())) == 2
    opened = draw(z, expand=["W"])
    src = opened.source
    assert opened.collapsed
    assert src.count("<B>W[") == 400
    assert "<B>W[19,3]</B>" in src and "grad 1<" in src  # dz/dW[i,j] = x[j] = 1
    # opened scalars do not count against max_nodes: W's 400 scalars and the sum's box
    assert len(set(opened.node_ids.values())) == 401
    assert "expanded to scalars: W" in src
    # a single labelled node can be opened too
    one = draw(z, expand="W[0,1]").source
    assert one.count("<B>W[") == 1 and "<B>W[0,1]</B>" in one


def test_expand_too_big_a_group_says_why(monkeypatch):
    import viz.model.collapse

    monkeypatch.setattr(viz.model.collapse, "EXPAND_LIMIT", 100)
    src = draw(_big_matvec(), expand=["W"]).source
    assert src.count("<B>W[") == 0
    assert "expand: &#39;W&#39; not expanded: 400 scalars &gt; 100 (too many to lay out)" in src


def test_unknown_expand_names_are_errors_in_both_modes():
    z = _big_matvec()
    with pytest.raises(ValueError, match=r"unknown box 'V' \(boxes: W, sum#440; or a node name"):
        draw(z, expand=["W", "V"])
    a = _labelled(1.0, "a")
    with pytest.raises(ValueError, match=r"unknown box 'fc' \(boxes: none; or a node name"):
        draw(a * 2, expand="fc")


def test_highlight_in_a_collapsed_picture():
    z = _big_matvec()
    g = draw(z, highlight="W[0,0]")
    assert g.collapsed
    assert [b.name for b in g.model.boxes if b.on_path] == ["W", "sum#440"]
    src = g.source
    assert re.search(r"g0 \[label=<<TABLE BORDER=\"3\" COLOR=\"#dc2626\"", src)
    red_edges = re.findall(r"(g\d+ -> g\d+) \[label=<([^>]*)> color=\"#dc2626\"", src)
    assert [label for _, label in red_edges] == ["×400 (1 on the path)"]
    with pytest.raises(ValueError, match="highlight: no node of the graph matches \\['nope'\\]"):
        draw(z, highlight="nope")


def _cluster_members(source):
    """{cluster label: names of the nodes directly inside it} from DOT source."""
    members, stack = {}, []
    for line in source.splitlines():
        line = line.strip()
        if line.startswith("subgraph cluster_"):
            stack.append(None)
        elif line == "}" and stack:
            stack.pop()
        elif stack and stack[-1] is None and " label=<" in line and "[" not in line:
            stack[-1] = re.search(r" label=<([^>]*)>", line).group(1)
            members[stack[-1]] = set()
        elif stack and re.match(r"v\d+(op)? \[", line):
            members[stack[-1]].add(line.split(" ")[0])
    return members


def test_unlabelled_pre_activations_join_the_cluster_of_the_state_they_feed():
    # a 2-unit ReLU RNN unrolled 3 steps, states labelled h1[i], h2[i], h3[i] (no underscore)
    w = Tensor([[1.0, 0.5], [-0.5, 1.0]], label="rnn.weight_hh_l0")
    h = Tensor([1.0, 2.0], label="h0")
    for t in (1, 2, 3):
        h = (w @ h).relu().name(f"h{t}")
    loss = h.sum()
    loss.label = "loss"
    loss.backward()
    g = draw(loss)
    members = _cluster_members(g.source)
    for t in (1, 2, 3):
        states = [v for v in g.order if v.label in (f"h{t}[0]", f"h{t}[1]")]
        dots = [s.parents[0] for s in states]
        assert [d.op for d in dots] == ["dot", "dot"] and all(d.label is None for d in dots)
        names = {g.node_ids[id(v)] for v in states + dots}
        names |= {n + "op" for n in names}  # the dot and ReLU op ellipses
        assert members[f"h{t}"] == names  # 2 dots + 2 ReLUs, each a box and an op node
