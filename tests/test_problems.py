"""The problem book (demos/PROBLEMS.md): every answer asserted to the stated precision.

Numbers are written here by hand from problems.md; property problems are also
checked on random inputs; symbolic answers at random points and, with sympy,
through autograd.symbolic / autograd.testing.assert_closed_form.
"""

import math

import numpy as np
import pytest

import nn
from autograd import Tensor, Value
from demos import (
    argmax_attention,
    attention_1d,
    conv2d_equivariance,
    conv_as_matmul,
    dropout_scaling,
    elu_gradient,
    funky_conv1d,
    hand_designed_transformer,
    linear_rnn_classifier,
    linear_rnn_closed_forms,
    local_attention,
    loglu_nan,
    momentum,
    positional_add_or_concat,
    red_panda_attention,
    residual_gradients,
    rnn_sentiment,
    shapes_and_params,
    softmax_is_sigmoid,
    softmax_shift,
    topological_order,
    transformer_language_model,
    two_heads,
    vanishing_gradients,
)

RNG = np.random.default_rng(2024)


# ----------------------------------------------------------------------- P1
def test_p1_projections_attention_and_output():
    head = attention_1d.attention(scale=1.0)
    y = head(Tensor(attention_1d.X))
    assert head.keys.data[:, 0].tolist() == [-1.0, 1.0]
    np.testing.assert_allclose(head.queries.data[:, 0], [math.sqrt(2), -math.sqrt(2)])
    np.testing.assert_allclose(head.values.data[:, 0], [0.3, 0.4])
    assert np.round(head.weights.data, 3).tolist() == [[0.056, 0.944], [0.944, 0.056]]
    assert np.round(y.data[:, 0], 4).tolist() == [0.3944, 0.3056]
    h = 1 / (1 + math.exp(2 * math.sqrt(2)))
    assert y.data[0, 0] == pytest.approx(0.3 * h + 0.4 * (1 - h), abs=1e-15)


def test_p1_scaled_variant():
    head = attention_1d.attention(scale=1 / math.sqrt(2))
    y = head(Tensor(attention_1d.X))
    assert np.round(head.weights.data, 2).tolist() == [[0.12, 0.88], [0.88, 0.12]]
    assert np.round(y.data[:, 0], 3).tolist() == [0.388, 0.312]


def test_p1_permutation_equivariance_on_random_inputs():
    for _ in range(5):
        x = RNG.normal(size=(4, 3))
        weights = {k: RNG.normal(size=(3, 2)) for k in ("W_Q", "W_K", "W_V")}
        perm = RNG.permutation(4)
        a = attention_1d.attention(1.0, weights, 3, 2)(Tensor(x)).data
        b = attention_1d.attention(1.0, weights, 3, 2)(Tensor(x[perm])).data
        np.testing.assert_allclose(b, a[perm], atol=1e-12)


def test_p1_positional_encoding_gives_the_swapped_output():
    from nn.positional import encode_positions

    xp = encode_positions(Tensor(attention_1d.X), attention_1d.POSITIONS)
    assert xp.data.tolist() == [[-1.0, 1.0], [0.0, 1.0]]
    y = attention_1d.attention()(xp)
    assert np.round(y.data[:, 0], 4).tolist() == [0.3056, 0.3944]


# ----------------------------------------------------------------------- P2
def test_p2_numbers():
    net = funky_conv1d.build()
    assert [v.data for v in net.z] == [1.0, -2.0, -3.0]
    assert net.z4.data == 6.0
    net.z4.backward(1.0)
    assert [v.grad for v in net.z] == [5.0, 1.0, 0.0]  # dL/dz1, dL/dz2, dL/dz3
    assert [v.grad for v in net.v] == [5.0, 10.0]  # w1, w2 times dL/dz4 = 1
    assert net.conv.weight.grad.ravel().tolist() == [14.0, -5.0, 1.0]
    assert net.conv.bias.grad.tolist() == [6.0]
    assert net.linear.bias.grad.tolist() == [1.0]  # c is a parameter


def test_p2_loss_gradient_closed_form_at_random_points():
    for _ in range(5):
        y = float(RNG.normal(scale=100.0))
        c = float(RNG.normal())
        net = funky_conv1d.build(c=c, y=y)
        net.loss.backward()
        e = math.exp(net.z4.data)
        assert net.z4.grad == pytest.approx(-(y - e) * e, rel=1e-12)
        assert net.v[0].grad == pytest.approx(-(y - e) * e * funky_conv1d.W[0], rel=1e-12)
        assert net.v[1].grad == pytest.approx(-(y - e) * e * funky_conv1d.W[1], rel=1e-12)


def test_p2_maxpool_and_kernel_closed_forms_at_random_points():
    for _ in range(5):
        x = RNG.normal(size=5).tolist()
        k = RNG.normal(size=3).tolist()
        net = funky_conv1d.build(x=x, kernel=k, bias=float(RNG.normal()))
        d1, d2 = RNG.normal(size=2)
        for u, g in zip(net.u, (d1, d2)):
            u.backward(float(g))  # seeds dL/du1 = d1, dL/du2 = d2
        z1, z2, z3 = (v.data for v in net.z)
        expected = [d1 * (z1 > z2), d1 * (z2 > z1) + d2 * (z2 > z3), d2 * (z3 > z2)]
        np.testing.assert_allclose([v.grad for v in net.z], expected, atol=1e-12)
        d = expected
        dk = [d[0] * x[j] + d[1] * x[j + 1] + d[2] * x[j + 2] for j in range(3)]
        np.testing.assert_allclose(net.conv.weight.grad.ravel(), dk, atol=1e-12)
        assert net.conv.bias.grad[0] == pytest.approx(sum(d), abs=1e-12)


def test_p2_kernel_gradient_symbolically():
    pytest.importorskip("sympy", reason="symbolic check needs the symbolic extra")
    from autograd.testing import assert_closed_form

    net = funky_conv1d.build()
    xs = {net.x.values[0, i]: f"x{i + 1}" for i in range(5)}
    ks = {net.conv.weight.values[0, 0, j]: f"k{j + 1}" for j in range(3)}
    assert_closed_form(
        net.z,
        {
            net.conv.weight.values[0, 0, 0]: "d1 x1 + d2 x2 + d3 x3",
            net.conv.weight.values[0, 0, 1]: "d1 x2 + d2 x3 + d3 x4",
            net.conv.weight.values[0, 0, 2]: "d1 x3 + d2 x4 + d3 x5",
            net.conv.bias.values[0]: "d1 + d2 + d3",
        },
        {**xs, **ks},
        seed=["d1", "d2", "d3"],
    )


# ----------------------------------------------------------------------- P3
def test_p3_constant_in_t_not_in_s_on_random_inputs():
    for _ in range(5):
        v = RNG.normal(size=4)
        ds, dt = softmax_shift.derivatives(v, float(RNG.normal()), float(RNG.normal(scale=5)))
        assert np.abs(dt).max() < 1e-12
        assert np.abs(ds).max() > 1e-3
        a = softmax_shift.g(v, Value(0.7), Value(-3.0)).data
        b = softmax_shift.g(v, Value(0.7), Value(8.0)).data
        np.testing.assert_allclose(a, b, atol=1e-12)


def test_p3_constant_v_direction_is_also_a_shift():
    ds, _ = softmax_shift.derivatives([2.0, 2.0, 2.0], 0.3, 0.0)
    assert np.abs(ds).max() < 1e-12  # v = 2 * 1_K: then s is a global shift too


def test_p3_symbolic_derivative_in_t_is_zero():
    pytest.importorskip("sympy", reason="symbolic check needs the symbolic extra")
    from autograd.symbolic import symbolic

    s, t = Value(1.0, label="s"), Value(2.0, label="t")
    y = softmax_shift.g([1.0, -2.0, 0.5], s, t)
    for i in range(3):
        result = symbolic(y.values[i], {"s": "s", "t": "t"})
        assert result.grad[t] == 0
        assert result.grad[s] != 0


# ----------------------------------------------------------------------- P4
def test_p4_elu_derivative_is_min_exp_one():
    for z0 in [-3.0, -0.5, 0.0, 0.25, 4.0] + RNG.normal(size=5).tolist():
        z = Value(z0)
        z.elu().backward()
        assert z.grad == pytest.approx(min(math.exp(z0), 1.0), abs=1e-15)


def test_p4_layer_backward_matches_formula_on_random_layers():
    for _ in range(5):
        w = RNG.normal(size=(3, 2)).tolist()
        b = RNG.normal(size=3).tolist()
        h_prev = RNG.normal(size=2).tolist()
        upstream = RNG.normal(size=3).tolist()
        h0, z, _ = elu_gradient.elu_layer(w, b, h_prev, upstream)
        W, u = np.array(w), np.array(upstream)
        z_np = W @ np.array(h_prev) + np.array(b)
        np.testing.assert_allclose(z.data, z_np, atol=1e-12)
        # problems.md P4: dL/dh^(l-1) = W^T (dL/dh^(l) ⊙ min(exp(z^(l)), 1))
        expected = W.T @ (u * np.minimum(np.exp(z_np), 1.0))
        np.testing.assert_allclose(h0.grad, expected, atol=1e-12)


def test_p4_given_layer_numbers():
    h0, z, _ = elu_gradient.elu_layer(
        elu_gradient.W, elu_gradient.B, elu_gradient.H_PREV, elu_gradient.UPSTREAM
    )
    assert z.data.tolist() == [-1.5, 0.25, 0.0]
    assert np.round(h0.grad, 4).tolist() == [2.2231, 1.5537]


# ----------------------------------------------------------------------- P5
def test_p5_given_numbers():
    _, z, h, p = conv2d_equivariance.forward(conv2d_equivariance.X)
    assert z.data[0].tolist() == [[-1, -2, 1, 2], [-3, -1, 3, 1], [-4, 0, 4, 0], [-3, 0, 3, 0]]
    assert h.data[0].tolist() == [[0, 0, 1, 2], [0, 0, 3, 1], [0, 0, 4, 0], [0, 0, 3, 0]]
    xs = conv2d_equivariance.shift_right(conv2d_equivariance.X)
    assert xs.tolist() == [[0, 0, 0, 1], [0, 0, 1, 0], [0, 0, 1, 0], [0, 0, 1, 0]]
    _, zs, hs, ps = conv2d_equivariance.forward(xs)
    assert zs.data[0].tolist() == [[0, -1, -2, 1], [0, -3, -1, 3], [0, -4, 0, 4], [0, -3, 0, 3]]
    assert hs.data[0].tolist() == [[0, 0, 0, 1], [0, 0, 0, 3], [0, 0, 0, 4], [0, 0, 0, 3]]
    assert p.data[0].tolist() == ps.data[0].tolist() == [[0, 3], [0, 4]]


def test_p5_equivariance_and_pool_invariance_on_random_inputs():
    pool = nn.MaxPool2d(2, stride=2)
    for _ in range(3):
        x = RNG.normal(size=(5, 6))
        x[:, -1] = 0.0
        _, z, _, _ = conv2d_equivariance.forward(x)
        _, zs, _, _ = conv2d_equivariance.forward(conv2d_equivariance.shift_right(x))
        np.testing.assert_allclose(zs.data[0][:, 1:], z.data[0][:, :-1], atol=1e-12)
        h = np.zeros((4, 6))
        h[:, ::2] = RNG.uniform(size=(4, 3))  # each maximum in the left column of its window
        a = pool(Tensor(h[None])).data
        b = pool(Tensor(conv2d_equivariance.shift_right(h)[None])).data
        assert np.array_equal(a, b)


# ----------------------------------------------------------------------- P6
def test_p6_hidden_states_and_logits():
    model = rnn_sentiment.RNNLanguageModel()
    logits = model(list(range(8)))
    states = [h.data.tolist() for h in model.rnn.hidden_states[1:]]
    assert states == [[0, 0], [0, 5], [1, 5], [1, 5], [0, 5], [0, 5], [0, 5], [0, 5]]
    assert logits.data[8] == -5.0 and logits.data[9] == 5.0  # good, bad: negative


# ----------------------------------------------------------------------- P7
def test_p7_linear_rnn_is_linear_on_random_inputs():
    for _ in range(4):
        H, D, T = 2, 3, 4
        w_hx, w_hh = RNG.normal(size=(H, D)), RNG.normal(size=(H, H))
        h0, w_diff, x = RNG.normal(size=H), RNG.normal(size=H), RNG.normal(size=(T, D))
        xs, score, _ = linear_rnn_classifier.run_rnn(w_hx, w_hh, h0, w_diff, x)
        score.backward()
        # problems.md P7: a_0 = w^T W_hh^T h_0, a_j^T = w^T W_hh^(T-j) W_hx (j = 1..T)
        power = np.linalg.matrix_power
        a0 = w_diff @ power(w_hh, T) @ h0
        A = np.stack([w_diff @ power(w_hh, T - j) @ w_hx for j in range(1, T + 1)])
        assert score.data == pytest.approx(a0 + float(np.sum(A * x)), rel=1e-10, abs=1e-10)
        np.testing.assert_allclose(xs.grad, A, rtol=1e-10, atol=1e-10)


# ----------------------------------------------------------------------- P8
def test_p8_attention_and_logits():
    model = transformer_language_model.OneHeadLanguageModel()
    logits = model(list(range(8)))
    p8 = model.attention.weights.data[-1]
    assert np.round(p8, 3).tolist() == [0.101, 0.136, 0.112, 0.118, 0.124, 0.130, 0.136, 0.143]
    assert np.round(model.z.data[-1], 3).tolist() == [-0.028, 0.436]
    assert np.round(logits.data[8:], 3).tolist() == [-0.464, 0.464]


# ----------------------------------------------------------------------- P9
def test_p9_heads_differ_on_random_inputs():
    for _ in range(5):
        x = RNG.normal(size=(4, 3))
        ws = [RNG.normal(size=(3, 2)) for _ in range(3)]
        h1, h2, z1, z2 = two_heads.two_heads(x, *ws)
        assert not np.allclose(h1.weights.data, h2.weights.data)
        assert not np.allclose(z1.data, z2.data)
        np.testing.assert_allclose(z2.data, h2.weights.data @ (x @ ws[2]) / 2, atol=1e-12)


def test_p9_equal_scores_make_equal_attention_but_half_output():
    x = RNG.normal(size=(3, 2))
    h1, h2, z1, z2 = two_heads.two_heads(
        x, np.zeros((2, 2)), RNG.normal(size=(2, 2)), RNG.normal(size=(2, 2))
    )
    np.testing.assert_allclose(h1.weights.data, h2.weights.data)
    np.testing.assert_allclose(z2.data, z1.data / 2)


# ---------------------------------------------------------------------- P10
def test_p10_table():
    rows = shapes_and_params.model_summary().rows
    got = [(nn.layers.format_shape(r.output_shape), r.params, r.fc_equivalent) for r in rows]
    assert got == [
        ("(N,16,64,64)", 448, 805371904),
        ("(N,16,32,32)", 0, None),
        ("(N,32,30,30)", 4640, 471888000),
        ("(N,32,16,16)", 0, None),
        ("(N,8,16,16)", 264, 16779264),
        ("(N,4,12,12)", 804, 1180224),
        ("(N,576)", 0, None),
        ("(N,10)", 5770, None),
    ]


# ---------------------------------------------------------------------- P11
def test_p11_rnn_powers_and_lstm():
    assert vanishing_gradients.rnn_derivative(0.3, 3)[0] == pytest.approx(0.09, rel=1e-12)
    assert vanishing_gradients.rnn_derivative(3.0, 3)[0] == pytest.approx(9.0, rel=1e-12)
    assert vanishing_gradients.rnn_derivative(0.3, 20)[0] == pytest.approx(1.162e-10, rel=1e-3)
    assert vanishing_gradients.rnn_derivative(3.0, 20)[0] == pytest.approx(1.16e9, rel=2e-3)
    assert vanishing_gradients.lstm_derivative() == pytest.approx(0.83, abs=0.005)
    assert vanishing_gradients.lstm_derivative() == pytest.approx(0.99**19, rel=1e-12)


# ---------------------------------------------------------------------- P12
def test_p12_red_panda():
    head, _, y = red_panda_attention.red_panda()
    assert head.queries.data.tolist() == [[0, 0, 0], [0, 0, 0], [1, 0, 0], [0, 0, 0], [0, 0, 0]]
    scores = head.queries.data @ head.keys.data.T / math.sqrt(3)
    np.testing.assert_allclose(scores[2], [0, math.log(80), 0, 0, math.log(17)], atol=1e-12)
    w = np.round(head.weights.data, 2)
    assert w[2].tolist() == [0.01, 0.80, 0.01, 0.01, 0.17]
    assert all(w[i].tolist() == [0.2] * 5 for i in (0, 1, 3, 4))
    out = np.round(y.data, 2)
    assert out[2].tolist() == [0.80, 0.01, 0.17]
    assert all(out[i].tolist() == [0.2] * 3 for i in (0, 1, 3, 4))


# ---------------------------------------------------------------------- P13
def test_p13_argmax_attention():
    q, k, v, out, weights = argmax_attention.hard(
        argmax_attention.QUERY, argmax_attention.KEYS, argmax_attention.VALUES
    )
    assert (np.array(argmax_attention.KEYS) @ np.array(argmax_attention.QUERY)).tolist() == [
        3,
        11,
        5,
        2,
    ]
    assert out.data.tolist() == [1.0, 4.0, 3.0]
    assert not q.grad.any() and not k.grad.any()
    assert v.grad.tolist() == [[0, 0, 0], [1, 1, 1], [0, 0, 0], [0, 0, 0]]


def test_p13_zero_query_gradient_on_random_inputs():
    for _ in range(5):
        q, k, _, _, _ = argmax_attention.hard(
            RNG.normal(size=3).tolist(),
            RNG.normal(size=(4, 3)).tolist(),
            RNG.normal(size=(4, 3)).tolist(),
        )
        assert not q.grad.any() and not k.grad.any()


# ---------------------------------------------------------------------- P14
def test_p14_expansions_and_relative_bias():
    pytest.importorskip("sympy", reason="symbolic expansion needs the symbolic extra")
    import sympy as sp

    added, concatenated = positional_add_or_concat.score_expansions()
    a1, a2, b1, b2, p1, p2, r1, r2 = sp.symbols("a1 a2 b1 b2 p1 p2 r1 r2")
    x_dot = a1 * b1 + a2 * b2
    p_dot = p1 * r1 + p2 * r2
    assert sp.expand(concatenated - (x_dot + p_dot)) == 0
    cross = a1 * r1 + a2 * r2 + p1 * b1 + p2 * b2
    assert sp.expand(added - (x_dot + cross + p_dot)) == 0


def test_p14_concatenation_equals_relative_bias_on_random_inputs():
    for seed in range(3):
        a, b = positional_add_or_concat.concat_vs_bias(T=4, seed=seed)
        np.testing.assert_allclose(a.data, b.data, atol=1e-12)


# ---------------------------------------------------------------------- P15
def test_p15_hand_designed_weights_solve_both_tasks():
    for task in hand_designed_transformer.TASKS:
        head = hand_designed_transformer.model(hand_designed_transformer.hand_designed(task))
        assert hand_designed_transformer.accuracy(head, task) == 1.0


def test_p15_hand_designed_weights_attend_to_the_right_token():
    x, y = hand_designed_transformer.make_batch("content", 8, np.random.default_rng(3))
    for task, column in (("content", 3), ("position", 4)):  # features flag, pos0
        head = hand_designed_transformer.model(hand_designed_transformer.hand_designed(task))
        out = hand_designed_transformer.answer(head, x)
        # the last query scores the wanted key 10 and the others 0 (scale 1)
        wanted = x[:, :, column]
        expected = np.exp(10 * wanted) / np.exp(10 * wanted).sum(axis=1, keepdims=True)
        np.testing.assert_allclose(head.weights.data[:, -1, :], expected, atol=1e-12)
        target = y if task == "content" else x[:, 0, :3]
        assert (out.data.argmax(-1) == target.argmax(-1)).all()


def test_p15_training_reaches_the_accuracy_the_demo_claims():
    for task in hand_designed_transformer.TASKS:
        head, losses = hand_designed_transformer.train(task)
        assert len(losses) == 120
        assert losses[-1] < 1e-3 < losses[0]
        assert hand_designed_transformer.accuracy(head, task) >= 0.9  # demo: ">= 90%"
        wanted = 3 if task == "content" else 4  # flag / pos0 scores highest, as by hand
        assert int(np.argmax(hand_designed_transformer.query_row(head))) == wanted


def test_p15_bad_task_name():
    with pytest.raises(ValueError, match="task must be one of"):
        hand_designed_transformer.make_batch("colour", 2, RNG)


# ---------------------------------------------------------------------- P16
def test_p16_on_random_inputs():
    for z0, z1 in RNG.normal(scale=5.0, size=(20, 2)):
        soft, sig, zs, zg = softmax_is_sigmoid.both(float(z0), float(z1))
        assert soft.data == pytest.approx(sig.data, abs=1e-14)
        np.testing.assert_allclose(zs.grad, zg.grad, atol=1e-14)


# ---------------------------------------------------------------------- P17
def test_p17_gd_and_momentum():
    assert momentum.run(2.0, 0.0, 1)[0] == [1.0, 0.0]
    assert momentum.run(1.0, 0.5, 2)[0] == [1.0, 0.5, 0.0]
    assert momentum.run(1.0, 0.25, 2)[0][-1] == 0.125  # only beta = 1/2 lands in two steps


# ---------------------------------------------------------------------- P18
def test_p18_three_products_agree_on_random_inputs():
    x, k = [1.0, 2.0, 3.0, 4.0], [10.0, 100.0]
    _, _, a, b, c = conv_as_matmul.three_ways(x, k)
    assert a.data.tolist() == b.data.tolist() == c.data.tolist() == [210.0, 320.0, 430.0]
    for _ in range(3):
        _, _, a, b, c = conv_as_matmul.three_ways(
            RNG.normal(size=6).tolist(), RNG.normal(size=3).tolist()
        )
        np.testing.assert_allclose(a.data, b.data, atol=1e-12)
        np.testing.assert_allclose(a.data, c.data, atol=1e-12)


# ---------------------------------------------------------------------- P19
def test_p19_closed_forms_on_random_inputs():
    for _ in range(3):
        x = RNG.normal(size=(5, 2))
        for t in (1, 3, 5):
            J, states = linear_rnn_closed_forms.jacobian_wrt_w_h(x, t)
            np.testing.assert_allclose(states[t], x[:t].sum(axis=0), atol=1e-12)
            expected = np.einsum("ab,c->abc", np.eye(2), np.sum(states[:t], axis=0))
            np.testing.assert_allclose(J, expected, atol=1e-12)


# ---------------------------------------------------------------------- P20
def test_p20_monte_carlo_says_one_minus_p():
    h, w, p = [1.0, 2.0, -1.0], [[0.5, -1.0, 2.0], [1.0, 1.0, 1.0]], 0.5
    mc = dropout_scaling.monte_carlo(h, w, p, 3000, seed=1)
    right = (1 - p) * np.array(w) @ np.array(h)  # [-1.75, 1.0]
    np.testing.assert_allclose(mc, right, atol=0.1)
    assert np.abs(mc - np.array(w) @ np.array(h) / (1 - p)).max() > 2.0


# ---------------------------------------------------------------------- P21
def test_p21_forward_and_backward_anomalies():
    x = Value(-1.0, label="x")
    r, y = loglu_nan.loglu(x)
    y.backward()
    # log sends inf to relu; ReLU's backward is a mask, so x gets exactly 0 (PyTorch), not
    # the chain rule's product 0 * inf = NaN that the problem statement computes by hand
    assert y.data == -math.inf and r.grad == math.inf and x.grad == 0.0
    forward = loglu_nan.forward_anomaly(-1.0)
    assert forward.startswith("forward: log produced -inf")
    assert "log(relu=0)" in forward  # the failing op names its labelled, finite input
    backward = loglu_nan.backward_anomaly(0.0)
    assert backward.startswith("backward: log sends gradient inf to its input 1 of 1")
    assert "1/relu = inf" in backward
    assert "receiving node: relu = ReLU(x=0)" in backward
    assert loglu_nan.forward_anomaly(2.0) is None
    assert loglu_nan.backward_anomaly(2.0) is None
    layer = loglu_nan.layer_anomaly()
    assert layer.startswith("forward: log produced -inf") and "log(relu[2]=0)" in layer


# ---------------------------------------------------------------------- P22
@pytest.mark.parametrize("T, k", [(1, 0), (3, 0), (5, 1), (5, 2), (6, 5), (9, 3), (9, 8)])
def test_p22_score_counts_from_the_graph(T, k):
    assert local_attention.counted(T, None) == T * T
    assert local_attention.counted(T, k) == T * (2 * k + 1) - k * (k + 1)


def test_p22_max_pool_limit_on_random_inputs():
    for k in (1, 2):
        x = RNG.normal(size=8).tolist()
        pooled = nn.functional.max_pool1d(Tensor([x]), 2 * k + 1, stride=1, padding=k).data[0]
        out = local_attention.windowed_softmax_pool(x, k, 400.0).data
        np.testing.assert_allclose(out, pooled, atol=1e-3)


# ---------------------------------------------------------------------- P23
def test_p23_skips_keep_the_gradient():
    plain = residual_gradients.input_gradient_norm(30, False)
    skip = residual_gradients.input_gradient_norm(30, True)
    assert plain < 1e-8 and skip > 1.0


# ------------------------------------------------------- topological order
def test_naive_pass_is_wrong_and_engine_is_right():
    x, a, f = topological_order.build()
    grads, steps = topological_order.naive_backward(f)
    assert grads[id(x)] == 12.0 and grads[id(a)] == 8.0
    assert [(s.node, s.parent) for s in steps][:3] == [("f", "c"), ("f", "d"), ("c", "b")]
    f.backward()
    assert x.grad == 32.0 and a.grad == 8.0
