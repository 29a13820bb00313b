"""Symbolic mode: the op registry over sympy, closed forms of the problem book.

Every closed form here is *derived by the project* (symbolic() walks a graph
built from Values/Tensors and evaluates the registry's rules over sympy) and
asserted equal to the form written in demos/PROBLEMS.md.
"""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest

from autograd import Tensor, Value, concat, ops
from autograd.value import apply

sp = pytest.importorskip("sympy", reason="symbolic mode needs sympy (chalkgrad[symbolic])")

from autograd.symbolic import SympyMath, exact, symbolic  # noqa: E402
from autograd.testing import assert_closed_form, parse_closed_form  # noqa: E402


def sym(name: str):
    return sp.Symbol(name, real=True)


# ------------------------------------------------------------ exact numbers
@pytest.mark.parametrize(
    "number, expected",
    [
        (0.5, sp.Rational(1, 2)),
        (3.0, sp.Integer(3)),
        (0.1, sp.Rational(1, 10)),
        (-2, sp.Integer(-2)),
        (1e-3, sp.Rational(1, 1000)),
        (0.99, sp.Rational(99, 100)),
        (float("inf"), sp.oo),
        (-float("inf"), -sp.oo),
        (2.0**-30, sp.Rational(1, 2**30)),
        (1e300, sp.Integer(10) ** 300),
        (123456.789012, sp.Rational(123456789012, 10**6)),
        (1 / 3, sp.Rational(6004799503160661, 2**54)),  # long decimal: the exact float
    ],
)
def test_exact_turns_floats_into_the_decimal_written(number, expected):
    assert exact(number) == expected


def test_exact_leaves_give_exact_values_and_gradients():
    x, y = Value(0.1, label="x"), Value(0.2, label="y")
    s = x + y
    assert s.data != 0.3  # the float engine drifts...
    cube = x * x * x + x / 3
    r = symbolic([s, cube])
    assert r.value[s] == sp.Rational(3, 10)  # ...the symbolic mode does not
    assert r.value[cube] == sp.Rational(1, 1000) + sp.Rational(1, 30)
    # d/dx (x^3 + x/3) + d/dx s = 3x^2 + 1/3 + 1 at x = 1/10
    assert r.grad[x] == sp.Rational(3, 100) + sp.Rational(1, 3) + 1
    assert r.grad[y] == 1


# ------------------------------------------ every primitive vs sympy's diff
A, B, C = sym("a"), sym("b"), sym("c")
POSITIVE = {"a": (0.2, 3.0), "b": (0.2, 3.0), "c": (0.2, 3.0)}
ANY = {"a": (-3.0, 3.0), "b": (-3.0, 3.0), "c": (-3.0, 3.0)}

PRIMITIVES = [  # (op, parameters, number of inputs, domain of the inputs)
    ("add", (), 2, ANY),
    ("sub", (), 2, ANY),
    ("mul", (), 2, ANY),
    ("div", (), 2, POSITIVE),
    ("neg", (), 1, ANY),
    ("pow", (3,), 1, ANY),
    ("pow", (0.5,), 1, POSITIVE),
    ("pow", (-2.0,), 1, POSITIVE),
    ("pow_value", (), 2, POSITIVE),
    ("exp", (), 1, ANY),
    ("log", (), 1, POSITIVE),
    ("sqrt", (), 1, POSITIVE),
    ("tanh", (), 1, ANY),
    ("sigmoid", (), 1, ANY),
    ("softplus", (), 1, ANY),
    ("relu", (), 1, ANY),
    ("leaky_relu", (0.1,), 1, ANY),
    ("elu", (1.0,), 1, ANY),
    ("elu", (0.5,), 1, ANY),
    ("abs", (), 1, ANY),
    ("sum", (), 3, ANY),
    ("dot", (), 3, ANY),
    ("dot", (), 2, ANY),
    ("max", (), 3, ANY),
    ("min", (), 3, ANY),
    ("max", (), 2, ANY),
    ("maximum", (), 2, ANY),
    ("minimum", (), 2, ANY),
    ("amax", (), 3, ANY),
    ("amin", (), 2, ANY),
    ("binary_cross_entropy", (), 2, {"a": (0.05, 0.95), "b": (0.0, 1.0)}),
    ("sin", (), 1, ANY),
    ("cos", (), 1, ANY),
    ("erf", (), 1, ANY),
    ("log2", (), 1, POSITIVE),
    ("sign", (), 1, ANY),
    ("clamp", (-1.0, 1.0), 1, ANY),
]


def test_the_primitive_table_covers_every_registered_op():
    assert {name for name, *_ in PRIMITIVES} == set(ops.OPS)


@pytest.mark.parametrize(
    "name, params, count, domain", PRIMITIVES, ids=[f"{p[0]}{p[1]}x{p[2]}" for p in PRIMITIVES]
)
def test_registry_derivative_equals_sympy_diff_of_its_forward(name, params, count, domain):
    op = ops.OPS[name].bind(*params) if params else ops.OPS[name]
    leaves = [Value(1.0, label=s) for s in "abc"[:count]]
    out = apply(op, tuple(leaves))
    r = symbolic(out, {leaf: sym(leaf.label) for leaf in leaves})
    forward = r.value[out]
    for leaf in leaves:
        expected = sp.diff(forward, sym(leaf.label))  # sympy's own derivative
        # random points: ties and kinks (measure zero) are never drawn
        assert_closed_form(r.grad[leaf], expected, domain=domain, points=8)


def test_sympy_backend_indicators_tie_to_the_first_argument():
    m, z1, z2 = SympyMath(), sym("z1"), sym("z2")
    first, second = m.onehot_max((z1, z2))
    assert first.subs({z1: 1, z2: 1}) == 1 and second.subs({z1: 1, z2: 1}) == 0
    assert second.subs({z1: 0, z2: 1}) == 1
    low, high = m.onehot_min((z1, z2))
    assert low.subs({z1: 2, z2: 2}) == 1 and high.subs({z1: 2, z2: 2}) == 0
    assert m.step(0) == 0 and m.step(sp.Rational(1, 3)) == 1
    # d a**b / db = a**b log a, and 0 at a = 0 for b >= 0 (PyTorch's rule)
    assert m.pow_log(1, 0, 0) == 0 and m.pow_log(z2, z1, 3) == z2 * sp.log(z1)


# --------------------------------------------------------------------- P2
def funky_convnet(z_leaves: bool = False):
    """P2's graph; with ``z_leaves`` the z_i are leaves (the numeric part)."""
    xs = [Value(float(i), label=f"x{i}") for i in range(1, 6)]
    k = [Value(v, label=f"k{j}") for j, v in zip((1, 2, 3), (0.5, -1.0, 2.0))]
    b = Value(0.25, label="b")
    if z_leaves:
        z = [Value(v, label=f"z{i}") for i, v in zip((1, 2, 3), (1.0, -2.0, -3.0))]
    else:
        z = []
        for i in range(3):
            zi = k[0] * xs[i] + k[1] * xs[i + 1] + k[2] * xs[i + 2] + b
            zi.label = f"z{i + 1}"
            z.append(zi)
    # max-pooling's primitive: the first maximum takes the gradient (Value.max splits ties)
    u1, u2 = apply(ops.MAX, (z[0], z[1])), apply(ops.MAX, (z[1], z[2]))
    u1.label, u2.label = "u1", "u2"
    v1, v2 = u1.leaky_relu(0.1), u2.leaky_relu(0.1)
    v1.label, v2.label = "v1", "v2"
    w1, w2, c = Value(5.0, label="w1"), Value(10.0, label="w2"), Value(3.0, label="c")
    y = Value(2.0, label="y")
    z4 = w1 * v1 + w2 * v2 + c
    yhat = z4.exp()
    loss = (y - yhat) ** 2 / 2
    z4.label, yhat.label, loss.label = "z4", "yhat", "L"
    return dict(x=xs, k=k, b=b, z=z, u=(u1, u2), v=(v1, v2), z4=z4, yhat=yhat, L=loss)


def test_p2_output_gradients():
    g = funky_convnet()
    # z4, y, w1, w2 symbolic: the gradients come out in the homework's letters
    assert_closed_form(
        g["L"],
        {
            "z4": "-(y - exp(z4)) exp(z4)",
            "v1": "-(y - exp(z4)) exp(z4) w1",
            "v2": "-(y - exp(z4)) exp(z4) w2",
        },
        ["z4", "y", "w1", "w2"],
        domain={"z4": (-1.0, 1.0)},
    )


def test_p2_max_pool_indicator_forms():
    g = funky_convnet()
    r = assert_closed_form(
        g["u"],
        {
            "z1": "d1 1{z1 > z2}",
            "z2": "d1 1{z2 > z1} + d2 1{z2 > z3}",
            "z3": "d2 1{z3 > z2}",
        },
        ["z1", "z2", "z3"],
        seed=["d1", "d2"],
    )
    z1, z2, z3 = g["z"]
    shown = str(r.grad[z2])  # indicators stay as factors, as in the homework
    assert shown == "d1*Piecewise((1, z1 < z2), (0, True)) + d2*Piecewise((1, z2 >= z3), (0, True))"
    assert "Piecewise((1, z1 >= z2), (0, True))" in str(r.grad[z1])


def test_p2_kernel_and_bias_gradients():
    g = funky_convnet()
    r = assert_closed_form(
        g["z"],
        {
            "k1": "d1 x1 + d2 x2 + d3 x3",
            "k2": "d1 x2 + d2 x3 + d3 x4",
            "k3": "d1 x3 + d2 x4 + d3 x5",
            "b": "d1 + d2 + d3",
        },
        ["x1", "x2", "x3", "x4", "x5"],
        seed=["d1", "d2", "d3"],
    )
    d1, d2, d3 = sp.symbols("d1 d2 d3")
    x1, x2, x3 = sp.symbols("x1 x2 x3")
    assert r.grad[g["k"][0]] == d1 * x1 + d2 * x2 + d3 * x3  # decided symbolically
    assert r.latex(g["k"][0]) == (
        r"k_{1} = \frac{1}{2}, \quad \frac{\partial L}{\partial k_{1}} = "
        r"d_{1} x_{1} + d_{2} x_{2} + d_{3} x_{3}"
    )


def test_p2_numeric_part_is_exact():
    g = funky_convnet(z_leaves=True)
    r = symbolic(g["z4"])
    z1, z2, z3 = g["z"]
    assert r.value[g["z4"]] == 6
    assert (r.grad[z1], r.grad[z2], r.grad[z3]) == (5, 1, 0)


# --------------------------------------------------------------------- P4
def test_p4_elu_derivative_is_min_exp_one():
    z = Value(0.0, label="z")
    assert_closed_form(z.elu(1.0), {"z": "Min(exp(z), 1)"}, ["z"], low=-4.0, high=4.0)


def test_p4_elu_layer_backward_is_w_transpose_form():
    h = Tensor([0.0, 0.0, 0.0], label="h")
    w = Tensor(np.zeros((2, 3)), label="W")
    z = w @ h
    out = z.elu()
    r = symbolic(list(out.values.flat), {h: "h", w: "W"}, seed=["g_0", "g_1"], simplify=False)
    W = sp.Matrix(2, 3, lambda i, j: sp.Symbol(f"W_{i}_{j}"))
    hs = sp.Matrix([sp.Symbol(f"h_{j}") for j in range(3)])
    gs = sp.Matrix([sp.Symbol("g_0"), sp.Symbol("g_1")])
    zs = W * hs
    local = sp.Matrix([gs[i] * sp.Min(sp.exp(zs[i]), 1) for i in range(2)])  # g ⊙ min(e^z, 1)
    expected = W.T * local
    for j in range(3):
        assert_closed_form(r, {h.values[j]: expected[j]}, points=6)


# --------------------------------------------------------------------- P7
def linear_rnn(t: int):
    """h_t = W_hh h_{t-1} + W_hx x_t, identity activation, 2 hidden, 2 inputs."""
    w_hh, w_hx = Tensor(np.eye(2), label="U"), Tensor(np.eye(2), label="V")
    h0 = Tensor([0.0, 0.0], label="h0")
    xs = [Tensor([0.0, 0.0], label=f"x{j}") for j in range(1, t + 1)]
    w_diff = Tensor([0.0, 0.0], label="w")  # w_good - w_bad
    h = h0
    for x in xs:
        h = w_hh @ h + w_hx @ x
    score = (w_diff * h).sum()
    return dict(U=w_hh, V=w_hx, h0=h0, x=xs, w=w_diff, h=h, score=score)


def matrix(name: str, rows: int, cols: int):
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}_{i}_{j}"))


def vector(name: str, n: int):
    return sp.Matrix([sp.Symbol(f"{name}_{i}") for i in range(n)])


@pytest.mark.parametrize("t", [1, 2, 3])
def test_p7_linear_rnn_state_and_linear_classifier(t):
    g = linear_rnn(t)
    mapping = {g["U"]: "U", g["V"]: "V", g["h0"]: "h0", g["w"]: "w"}
    mapping.update({x: f"x{j}" for j, x in enumerate(g["x"], start=1)})
    U, V, h0, w = matrix("U", 2, 2), matrix("V", 2, 2), vector("h0", 2), vector("w", 2)
    xs = [vector(f"x{j}", 2) for j in range(1, t + 1)]
    # h_t = W_hh^t h_0 + sum_j W_hh^{t-j} W_hx x_(j)
    h_t = U**t * h0 + sum((U ** (t - j) * V * xs[j - 1] for j in range(1, t + 1)), sp.zeros(2, 1))
    r = symbolic(g["score"], mapping, simplify=False)
    for i in range(2):
        assert sp.expand(r.value[g["h"].values[i]] - h_t[i]) == 0
    # score = a_0 + sum_j a_j^T x_(j): a_0 = w^T U^t h0, a_j^T = w^T U^{t-j} V
    a0 = (w.T * U**t * h0)[0]
    for j in range(1, t + 1):
        a_j = (w.T * U ** (t - j) * V).T
        for i in range(2):
            assert sp.expand(r.grad[g["x"][j - 1].values[i]] - a_j[i]) == 0
    linear = a0 + sum(((w.T * U ** (t - j) * V * xs[j - 1])[0] for j in range(1, t + 1)), 0)
    assert sp.expand(r.value[g["score"]] - linear) == 0


# -------------------------------------------------------------------- P11
def relu_rnn(w: float, steps: int, h1: Value):
    h = h1
    wv, u = Value(w, label="w"), Value(1.0, label="u")
    for t in range(2, steps + 1):
        h = (wv * h + u * Value(1.0, label=f"x{t}")).relu()
    h.label = f"h{steps}"
    return h


def test_p11_relu_rnn_dh3_dh1_is_w_squared_when_preactivations_are_positive():
    h1 = Value(1.0, label="h1")
    h3 = relu_rnn(0.3, 3, h1)
    positive = {s: (0.1, 2.0) for s in ("w", "u", "h1", "x2", "x3")}
    assert_closed_form(h3, {"h1": "w^2"}, ["w", "u", "h1", "x2", "x3"], domain=positive)


@pytest.mark.parametrize(
    "w, steps, expected",
    [
        (0.3, 3, sp.Rational(9, 100)),
        (3.0, 3, sp.Integer(9)),
        (0.3, 20, sp.Rational(3, 10) ** 19),
        (3.0, 20, sp.Integer(3) ** 19),
    ],
)
def test_p11_relu_rnn_gradient_is_exactly_w_to_the_steps(w, steps, expected):
    h1 = Value(1.0, label="h1")
    r = symbolic(relu_rnn(w, steps, h1), simplify=False)
    assert r.grad[h1] == expected  # exact: no float drift over 19 steps
    assert float(expected) == pytest.approx(
        {(0.3, 20): 1.1622614670e-10, (3.0, 20): 1.162261467e9}.get((w, steps), float(expected))
    )


def test_p11_lstm_cell_state_gradient_is_0_99_to_the_19():
    c1 = Value(0.5, label="c1")
    forget = Value(0.99, label="f")
    c = c1
    for t in range(2, 21):
        x = Value(0.1 * t, label=f"x{t}")
        i_t, c_tilde = x.sigmoid(), (x * 2.0).tanh()  # input gate, candidate: not of c
        c = forget * c + i_t * c_tilde
    r = symbolic(c, simplify=False)
    assert r.grad[c1] == sp.Rational(99, 100) ** 19
    assert float(r.grad[c1]) == pytest.approx(0.8261686238355866)


# -------------------------------------------------------------------- P14
def test_p14_added_positions_make_cross_terms_concatenated_do_not():
    xi, xj = Tensor([0.0, 0.0], label="xi"), Tensor([0.0, 0.0], label="xj")
    pi, pj = Tensor([0.0, 0.0], label="pi"), Tensor([0.0, 0.0], label="pj")
    added = ((xi + pi) * (xj + pj)).sum()  # q = k = z = x + p
    concatenated = (concat([xi, pi]) * concat([xj, pj])).sum()
    names = {xi: "xi", xj: "xj", pi: "pi", pj: "pj"}
    r = symbolic([added, concatenated], names, simplify=False)
    X_i, X_j, P_i, P_j = (vector(n, 2) for n in ("xi", "xj", "pi", "pj"))

    def dot(a, b):
        return (a.T * b)[0]

    cross = dot(X_i, P_j) + dot(P_i, X_j)
    assert sp.expand(r.value[added] - (dot(X_i, X_j) + cross + dot(P_i, P_j))) == 0
    assert sp.expand(r.value[concatenated] - (dot(X_i, X_j) + dot(P_i, P_j))) == 0
    assert sp.expand(r.value[added] - r.value[concatenated] - cross) == 0
    assert cross != 0


# -------------------------------------------------------------------- P16
def test_p16_two_logit_softmax_is_a_sigmoid():
    z = Tensor([0.0, 0.0], label="z")
    p0 = z.softmax()[0]
    p0.label = "p0"
    assert_closed_form(
        p0,
        {"z_0": "sigmoid(z_0 - z_1) (1 - sigmoid(z_0 - z_1))"},
        {z: "z"},
        values={p0: "1 / (1 + exp(-(z_0 - z_1)))"},
        low=-3.0,
        high=3.0,
    )


# -------------------------------------------------------------------- P19
@pytest.mark.parametrize("t", [2, 3])
def test_p19_linear_rnn_sum_and_derivative_in_w_h_at_identity(t):
    w_h, w_x = Tensor(np.eye(2), label="Wh"), Tensor(np.eye(2), label="Wx")
    xs = [Tensor([0.0, 0.0], label=f"x{i}") for i in range(1, t + 1)]
    h = Tensor([0.0, 0.0], label="h0")
    states = [h]
    for x in xs:
        h = w_h @ h + w_x @ x
        states.append(h)
    mapping = {x: f"x{i}" for i, x in enumerate(xs, start=1)}  # Wh stays the number I
    X = [vector(f"x{i}", 2) for i in range(1, t + 1)]
    for a in range(2):
        r = symbolic(h.values[a], mapping, simplify=False)
        assert sp.expand(r.value[h.values[a]] - sum(x[a] for x in X)) == 0  # h_t = sum x_i
        h_sym = [sum(X[:i], sp.zeros(2, 1)) for i in range(t)]  # h_0 .. h_{t-1}
        for b in range(2):
            for c in range(2):
                want = (1 if a == b else 0) * sum(hi[c] for hi in h_sym)
                assert sp.expand(r.grad[w_h.values[b, c]] - want) == 0


# ------------------------------------------------------ the result object
def test_result_table_latex_and_lookup():
    x = Value(2.0, label="x")
    y = (x * x).tanh()
    y.label = "y"
    r = symbolic(y, {"x": "x"})
    text = repr(r)
    assert text.splitlines()[0] == "SymbolicResult(3 nodes)"
    assert text.splitlines()[1:] == [
        "node  op    value       grad",
        "x     leaf  x           2*x/cosh(x**2)**2",
        "v1    mul   x**2        cosh(x**2)**(-2)",
        "y     tanh  tanh(x**2)  1",
    ]
    assert r.latex(y).startswith(r"y = \tanh{\left(x^{2} \right)}")
    with pytest.raises(KeyError, match="not a node of this symbolic result"):
        r.value[Value(1.0)]


def test_tensor_symbols_given_as_a_sympy_matrix():
    w = Tensor([[1.0, 2.0]], label="W")
    out = (w * w).sum()
    a, b = sp.symbols("alpha beta")
    r = symbolic(out, {w: sp.Matrix([[a, b]])})
    assert r.value[out] == a**2 + b**2
    assert r.grad[w.values[0, 1]] == 2 * b


def test_custom_seed_and_inner_node_as_symbol():
    x = Value(3.0, label="x")
    y = x.exp()
    y.label = "yhat"
    loss = y * y
    r = symbolic(loss, {"yhat": "yhat"}, seed="s")
    s, yhat = sp.symbols("s yhat")
    assert r.grad[y] == 2 * s * yhat
    # exp's partial is its own value, which is now the symbol yhat
    assert r.grad[x] == 2 * s * yhat**2


# ----------------------------------------------------------------- errors
def test_bad_symbol_specifications_are_named():
    x = Value(1.0, label="x")
    y = x * 2
    with pytest.raises(ValueError, match="no node labelled 'q'"):
        symbolic(y, {"q": "q"})
    with pytest.raises(ValueError, match="is not a node of the graph"):
        symbolic(y, {Value(1.0, label="other"): "o"})
    with pytest.raises(TypeError, match="symbols keys must be Values, labels"):
        symbolic(y, {3: "x"})
    with pytest.raises(ValueError, match=r"must have that shape, got shape \(3,\)"):
        symbolic(Tensor([1.0, 2.0]).sum(), {Tensor([1.0, 2.0]): ["a", "b", "c"]})
    with pytest.raises(ValueError, match="got 2 seeds for 1 roots"):
        symbolic(y, seed=[1, 2])
    with pytest.raises(TypeError, match="symbolic root must be a Value"):
        symbolic(3.0)
    with pytest.raises(ValueError, match="has no label: give its symbol"):
        symbolic(y, [y])


# ------------------------------------- strings are never evaluated (issue 6 review)
def test_exact_refuses_strings_and_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    attack = f"__import__('pathlib').Path({str(marker)!r}).write_text('x')"
    with pytest.raises(TypeError, match=r"got str .*strings are never parsed"):
        exact(attack)
    assert not marker.exists()
    for bad, name in [(b"1", "bytes"), (None, "NoneType"), ([1], "list"), (object(), "object")]:
        with pytest.raises(TypeError, match=rf"exact takes a number .* got {name} "):
            exact(bad)


def test_exact_takes_every_kind_of_number():
    from fractions import Fraction

    assert exact(Fraction(2, 6)) == sp.Rational(1, 3)
    assert exact(np.int64(-7)) == -7 and isinstance(exact(np.int64(-7)), sp.Integer)
    assert exact(np.float32(0.25)) == sp.Rational(1, 4)
    assert exact(np.float64(0.1)) == sp.Rational(1, 10)
    assert exact(True) == 1
    assert exact(1.5 - 0.5j) == sp.Rational(3, 2) - sp.I / 2
    assert exact(sp.Float(0.5) * sp.Symbol("x")) == sp.Symbol("x") / 2


def test_seeds_and_closed_forms_never_evaluate_strings(tmp_path):
    marker = tmp_path / "pwned"
    attack = f"__import__('pathlib').Path({str(marker)!r}).write_text('x')"
    x = Value(1.0, label="x")
    y = x * x
    with pytest.raises(
        ValueError,
        match=r"bad symbol .* for a seed: a symbol is given as an "
        r"identifier",
    ):
        symbolic(y, seed=attack)
    with pytest.raises(
        TypeError, match="seed must be a number, identifier or sympy expression, got object"
    ):
        symbolic(y, seed=object())
    with pytest.raises(ValueError, match="cannot read closed form"):
        assert_closed_form(y, {"x": attack}, ["x"])
    with pytest.raises(ValueError, match="cannot read closed form"):
        assert_closed_form(sp.Symbol("x") ** 2, attack)
    assert not marker.exists()
    from fractions import Fraction

    assert symbolic(y, {"x": "x"}, seed=Fraction(1, 2)).grad[x] == sp.Symbol("x")


@pytest.mark.parametrize("spec", ["x + y", "a b", "", "1x", "__import__('os').getcwd()", "x.y"])
def test_symbol_names_must_be_identifiers(spec):
    w, x = Value(3.0, label="w"), Value(2.0, label="x")
    y = w * x
    message = (
        rf"bad symbol {re.escape(repr(spec))} for node 'w': a symbol is given as an "
        r"identifier such as \"w\" or \"x_1\", or as a sympy Symbol/expression"
    )
    with pytest.raises(ValueError, match=message):
        symbolic(y, {"w": spec})
    with pytest.raises(ValueError, match=message):
        symbolic(y, {w: spec})


def test_symbol_specs_that_are_accepted():
    w, x = Value(3.0, label="w"), Value(2.0, label="x")
    y = w * x
    assert symbolic(y, {"w": "x_1"}).value[y] == 2 * sp.Symbol("x_1")
    a, b = sp.symbols("a b")
    assert symbolic(y, {"w": a + b}).value[y] == 2 * a + 2 * b  # an expression, not a string
    with pytest.raises(
        TypeError, match="symbol for node 'w' must be a str or sympy expression, got int 3"
    ):
        symbolic(y, {"w": 3})
    t = Tensor([1.0, 2.0], label="t")
    with pytest.raises(ValueError, match=r"bad symbol prefix 't 1' for a Tensor"):
        symbolic(t.sum(), {t: "t 1"})
    with pytest.raises(ValueError, match=r"bad symbol 'a\+b' for Tensor element \(1,\)"):
        symbolic(t.sum(), {t: ["a", "a+b"]})


def test_names_made_from_labels_are_identifiers():
    w = Tensor([[1.0, 2.0]], label="W")
    h = Value(4.0, label="hidden 1")
    out = w[0, 1] * h
    r = symbolic(out, ["W[0,1]", "hidden 1"])  # symbols named after non-identifier labels
    assert r.value[out] == sp.Symbol("W_0_1") * sp.Symbol("hidden_1")
    odd = Value(1.0, label="+")
    with pytest.raises(
        ValueError,
        match=r"the label '\+' makes no symbol name: give its symbol "
        r"explicitly",
    ):
        symbolic(odd * 2, ["+"])


def test_a_tensor_given_by_its_label():
    W = Tensor([[1.0, 2.0], [3.0, 4.0]], label="W")
    x = Tensor([1.0, -1.0], label="x")
    out = (W @ x).sum()
    w00, w01, w10, w11 = sp.symbols("W_0_0 W_0_1 W_1_0 W_1_1")
    r = symbolic(out, {"W": "W"})
    assert r.value[out] == w00 - w01 + w10 - w11  # x = (1, -1)
    assert [r.grad[v] for v in W.values.flat] == [1, -1, 1, -1]
    assert r.symbol_of[W.values[1, 0]] == w10
    r = symbolic(out, ["W", "x"])  # a list of labels: same names
    assert r.value[out] == w00 * sp.Symbol("x_0") + w01 * sp.Symbol("x_1") + w10 * sp.Symbol(
        "x_0"
    ) + w11 * sp.Symbol("x_1")
    r = symbolic(out, {"W": "A"})  # another prefix
    assert r.value[out] == sp.Symbol("A_0_0") - sp.Symbol("A_0_1") + sp.Symbol("A_1_0") - sp.Symbol(
        "A_1_1"
    )
    a, b, c, d = sp.symbols("a b c d")
    r = symbolic(out, {"W": [[a, b], [c, d]]})  # one symbol per element
    assert r.value[out] == a - b + c - d
    half = W[1] @ x  # only row 1 is in this graph
    assert symbolic(half, {"W": "W"}).value[half] == w10 - w11
    with pytest.raises(
        ValueError,
        match=r"symbols for the Tensor labelled 'W' have shape "
        r"\(1, 2\), which has no element \(1, 0\)",
    ):
        symbolic(out, {"W": [[a, b]]})
    with pytest.raises(ValueError, match=r"bad symbol prefix 'W 2' for the Tensor labelled 'W'"):
        symbolic(out, {"W": "W 2"})
    with pytest.raises(ValueError, match="no node labelled 'V'"):
        symbolic(out, {"V": "V"})


def test_an_exact_label_wins_over_tensor_elements():
    W = Tensor([1.0, 2.0], label="W")
    total = W.sum().name("W")  # its one Value is labelled exactly "W"
    r = symbolic(total, {"W": "s"})
    assert r.value[total] == sp.Symbol("s")
    assert r.grad[W.values[0]] == 1


def test_assert_closed_form_failure_shows_both_forms_and_a_point():
    k, x = Value(2.0, label="k"), Value(3.0, label="x")
    z = k * x + k
    with pytest.raises(
        AssertionError,
        match=r"(?s)gradient of .* with respect to k.*"
        r"engine:   x \+ 1.*expected: x.*at x = [-0-9.]+: engine",
    ):
        assert_closed_form(z, {"k": "x"}, ["k", "x"])
    with pytest.raises(ValueError, match="cannot read closed form"):
        assert_closed_form(z, {"k": "x +* )"}, ["k", "x"])
    with pytest.raises(ValueError, match="no node labelled 'nope'"):
        assert_closed_form(z, {"nope": "x"}, ["k", "x"])
    with pytest.raises(AssertionError, match="only 0 of 12 random points"):
        assert_closed_form(sp.log(-sp.Abs(sp.Symbol("a")) - 1), "a")


def test_assert_closed_form_leaves_the_graph_as_it_was():
    k, x = Value(2.0, label="k"), Value(3.0, label="x")
    z = k * x
    z.backward()
    assert_closed_form(z, {"k": "x", "x": "k"}, ["k", "x"], values={z: "k x"})
    assert (k.data, x.data, z.data) == (2.0, 3.0, 6.0)
    assert (k.grad, x.grad, z.grad) == (3.0, 2.0, 1.0)


def test_assert_closed_form_catches_a_float_engine_that_disagrees(monkeypatch):
    import autograd.testing.closed_forms as testing

    real_backward = testing.backward

    def off_by_one(roots, seeds):  # a float engine with a wrong rule somewhere
        real_backward(roots, seeds)
        k.grad += 1.0

    monkeypatch.setattr(testing, "backward", off_by_one)
    k, x = Value(2.0, label="k"), Value(3.0, label="x")
    z = k * x
    with pytest.raises(
        AssertionError,
        match=r"(?s)with respect to k: the float engine differs"
        r".*expected: x.*engine .* vs expected",
    ):
        assert_closed_form(z, {"k": "x"}, ["k", "x"])
    assert_closed_form(z, {"k": "x"}, ["k", "x"], check_engine=False)  # symbolic part agrees


def test_parse_closed_form_reads_homework_notation():
    d1, z1, z2 = sp.symbols("d1 z1 z2")
    assert parse_closed_form("d1 1{z2 > z1}") == d1 * sp.Piecewise((1, z2 > z1), (0, True))
    assert parse_closed_form("z1^2") == z1**2


# ------------------------------------------------------- without sympy
def test_without_sympy_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sympy", None)
    x = Value(1.0, label="x")
    with pytest.raises(ImportError, match=r'pip install "chalkgrad\[symbolic\]"'):
        symbolic(x * x, {"x": "x"})
    with pytest.raises(ImportError, match=r'pip install "chalkgrad\[symbolic\]"'):
        assert_closed_form(x * x, {"x": "2 x"}, ["x"])


def test_importing_autograd_does_not_need_sympy():
    code = (
        "import sys; sys.modules['sympy'] = None\n"
        "import autograd, autograd.symbolic, autograd.testing\n"
        "print('imported')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "imported"


# --------------------------------------------- the public API is documented
def _public_callables():
    import importlib
    import inspect

    for modname in (
        "autograd.symbolic",
        "autograd.symbolic.backend",
        "autograd.testing.closed_forms",
        "autograd.testing.gradients",
        "autograd.testing.backward",
        "autograd.testing.explain",
        "autograd.testing.plugin",
        "autograd.testing.strategies",
        "autograd.symbolic.closed_form",
    ):
        module = importlib.import_module(modname)
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != modname:
                continue
            if not callable(obj):
                continue
            yield f"{modname}.{name}", obj
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if not attr.startswith("_") and callable(member):
                        yield f"{modname}.{name}.{attr}", member


@pytest.mark.parametrize("name, obj", list(_public_callables()), ids=lambda x: str(x)[:60])
def test_public_api_has_hints_and_a_doctest(name, obj):
    import inspect

    assert ">>>" in (inspect.getdoc(obj) or ""), f"{name} has no doctest example"
    function = obj.__init__ if inspect.isclass(obj) else obj
    if inspect.isclass(obj) and function is object.__init__:
        return
    signature = inspect.signature(function)
    missing = [
        p.name
        for p in signature.parameters.values()
        if p.name != "self" and p.annotation is inspect.Parameter.empty
    ]
    assert not missing, f"{name}: parameters without type hints: {missing}"
    assert signature.return_annotation is not inspect.Signature.empty, f"{name}: no return hint"
