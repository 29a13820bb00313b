"""Practice mode's core: answer parsing, tolerance, questions in chain-rule order, hints,
the terminal quiz, random exercises and worksheets (draw(hide=...))."""

import io
import math

import pytest
from hand_graphs import squared_error

from autograd import Tensor, Value, topological_order
from viz import draw
from viz.expression import build
from viz.practice.answers import AnswerError, is_close, parse_answer
from viz.practice.exercises import parse_ops, random_exercise
from viz.practice.quiz import QuizTooBigError, make_quiz, run_quiz


@pytest.mark.parametrize(
    "text, value",
    [
        ("2*3 - 1", 5.0),
        ("-0.5", -0.5),
        ("−0.5", -0.5),
        ("1/4", 0.25),
        ("2^3", 8.0),
        ("2**3", 8.0),
        ("-2^2", -4.0),
        ("(1 + 2) * 3", 9.0),
        ("3 × 2 · 2", 12.0),
        ("1e-3", 0.001),
        ("  7 ", 7.0),
        ("+3", 3.0),
        ("1/0", math.inf),
        ("-1/0", -math.inf),
        ("-inf", -math.inf),
        # overflow is an answer: inf, judged like any other (never an OverflowError)
        ("1e200^2", math.inf),
        ("1e200**2", math.inf),
        ("2 ** 100000", math.inf),
        ("(-10)^401", -math.inf),
        ("10^400", math.inf),
        ("1e400", math.inf),
        ("1e200*1e200", math.inf),
        ("10^-400", 0.0),
        ("2^3^2", 512.0),  # 2^(3^2), as on the page
        ("2^-1", 0.5),
        ("0/0 * 0", math.nan),
    ],
)
def test_answers_are_numbers_or_small_arithmetic(text, value):
    got = parse_answer(text)
    assert got == value or (math.isnan(got) and math.isnan(value))


@pytest.mark.parametrize(
    "text, why",
    [
        ("", "empty answer"),
        ("x", "is not a number"),
        ("__import__('os')", "is not a number"),
        ("(1).real", "is not a number"),
        ("2 +", "is not a number"),
        ("True", "is not a number"),
        ("'3'", "is not a number"),
        ("[1]", "is not a number"),
        ("0x10", "is not a number"),  # no hex, no underscores: the page refuses them too
        ("1_0", "is not a number"),
        ("0b1", "is not a number"),
        ("1j", "is not a number"),
        ("٣", "is not a number"),  # an Arabic-Indic digit: ASCII digits only
        ("infinity", "is not a number"),
        ("2(3)", "is not a number"),
        ("2 3", "is not a number"),
        ("(-8) ** 0.5", "not a real number"),
        ("1" * 201, "too long"),
    ],
)
def test_anything_else_is_refused_with_what_is_accepted(text, why):
    with pytest.raises(AnswerError, match=why):
        parse_answer(text)


def test_relative_tolerance_and_half_a_shown_digit():
    assert is_close(30.29, 30.0) and not is_close(30.31, 30.0)  # 1% of 30 is 0.3
    assert is_close(-3e-17, 0.0) and not is_close(1e-6, 0.0)  # rounding noise is 0
    assert is_close(0.762, 0.7616, tolerance=0.001) and not is_close(0.77, 0.7616, 0.001)
    assert is_close(math.inf, math.inf) and not is_close(1e308, math.inf)
    assert is_close(math.nan, math.nan) and not is_close(0.0, math.nan)


def test_questions_follow_the_chain_rule():
    quiz = make_quiz(squared_error()[0])
    got = [
        (q.prompt, q.expected, [quiz.questions[i].name for i in q.after]) for q in quiz.questions
    ]
    # the constant 1 is not asked; each node waits for the nodes that use it
    assert got == [
        ("∂L/∂d", 10.0, []),
        ("∂L/∂mul#2", 10.0, ["d"]),
        ("∂L/∂x", 20.0, ["mul#2"]),
        ("∂L/∂w", 30.0, ["mul#2"]),
    ]


def test_two_levels_of_hints_names_then_numbers():
    quiz = make_quiz(squared_error()[0], precision=1)
    w = quiz.questions[3]
    assert w.hints == ("∂L/∂w = ∂L/∂mul#2·∂(w * x)/∂w, local: ∂(w * x)/∂w = x", "∂L/∂w = 10·3")
    x = Value(3.0, label="x")
    y = x * x + x
    y.label = "y"
    q = make_quiz(y, precision=1).questions[-1]  # x is used three times
    assert q.expected == 7.0  # 2x + 1
    assert q.hints[1] == "∂y/∂x = 1·1 + 1·3 + 1·3"  # in the order backward runs


def test_forward_mode_asks_for_values_left_to_right_first():
    quiz = make_quiz(squared_error()[0], forward=True)
    head = [(q.kind, q.name, q.expected, q.hints[0]) for q in quiz.questions[:3]]
    assert head == [
        ("data", "mul#2", 6.0, "mul#2 = w * x"),
        ("data", "d", 5.0, "d = mul#2 - 1"),
        ("data", "L", 25.0, "L = d**2"),
    ]
    assert quiz.questions[1].hints[1] == "d = 6 - 1"
    assert quiz.questions[3].after == [0, 1, 2]  # gradients wait for every value


def test_seed_scales_every_answer():
    quiz = make_quiz(squared_error()[0], seed=0.5)
    assert [q.expected for q in quiz.questions] == [5.0, 5.0, 10.0, 15.0]


def test_bad_roots_and_big_graphs_are_refused():
    with pytest.raises(TypeError, match=r"shape \(2,\): reduce it first"):
        make_quiz(Tensor([1.0, 2.0], label="t"))
    x = Value(0.5, label="x")
    y = x
    for _ in range(100):
        y = y.tanh()
    with pytest.raises(QuizTooBigError, match="100 blanks .* passing an inner node as the output"):
        make_quiz(y)
    assert len(make_quiz(y, max_questions=100).questions) == 100
    with pytest.raises(ValueError, match="tolerance"):
        make_quiz(squared_error()[0], tolerance=2)


def test_terminal_quiz_hints_score_and_end_of_input():
    out = io.StringIO()
    score = run_quiz(make_quiz(squared_error()[0]), io.StringIO("2*6\nh\n10\n10\n1\n2\n3\n"), out)
    lines = out.getvalue().splitlines()
    assert score == 2
    assert lines[1:6] == [
        "∂L/∂d = ? 2*6",
        "  wrong. hint: ∂L/∂d = ∂(d**2)/∂d, local: ∂(d**2)/∂d = 2·d^(2-1)",
        "∂L/∂d = ? h",
        "  hint: ∂L/∂d = 1·10",
        "∂L/∂d = ? 10",
    ]
    assert "  wrong. the answer: ∂L/∂x = 20" in lines  # three wrong answers: shown
    assert lines[-2:] == ["(end of input)", "score: 2/4"]


def test_random_exercises_are_reproducible_and_hand_sized():
    a, b = random_exercise(seed=11, size="medium"), random_exercise(seed=11, size="medium")
    assert a.source == b.source and a.settings == b.settings
    assert (
        random_exercise(seed=12).source != random_exercise(seed=11).source
        or random_exercise(seed=12).settings != random_exercise(seed=11).settings
    )
    for seed in range(30):
        e = random_exercise(seed=seed, ops="mul,add,sub")
        assert set(e.source.replace("L", "").split()) <= {"=", "*", "+", "-", ";"} | set(
            "xyabcdefghjkmnpqrs"
        ) | {f"{c};" for c in "xyabcdefghjkmnpqrs"}
        for v in e.settings.values():
            assert v != 0 and abs(v) <= 3 and round(v, 1) == v


@pytest.mark.parametrize("seed", range(8))
def test_random_exercise_answers_match_central_differences(seed):
    e = random_exercise(seed=seed, size="medium", ops="mul,add,sub,tanh,exp,div,pow")
    quiz = make_quiz(e.program.root)
    leaves = {q.name: q.expected for q in quiz.questions if q.name in e.settings}
    for name, grad in leaves.items():
        h = 1e-6
        up = build(e.source, {**e.settings, name: e.settings[name] + h}).root.data
        down = build(e.source, {**e.settings, name: e.settings[name] - h}).root.data
        assert grad == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-6)


def test_ops_are_checked_against_the_registry():
    assert parse_ops("tanh") == ("tanh", "add")  # a binary op joins the inputs
    with pytest.raises(ValueError, match="unknown op 'matmul'; ops for exercises: add, sub"):
        parse_ops("mul,matmul")
    with pytest.raises(ValueError, match="'dot' is in the registry but takes a variable"):
        parse_ops("dot")
    with pytest.raises(ValueError, match="--size must be one of small, medium"):
        random_exercise(seed=1, size="huge")


def test_worksheet_hides_cells_as_empty_boxes():
    L = squared_error()[0]
    L.backward()
    source = draw(L, hide=("grad",)).source
    assert "grad 30" not in source and "grad 10" not in source
    # every grad but the seed's (L) and the constant 1's
    assert source.count('<TD WIDTH="64" BGCOLOR="white">\u00a0</TD>') == 4
    assert "grad 1<" in source  # the seed, filled in
    assert "data 6<" in source  # values stay
    both = draw(L, hide=("grad", "data")).source
    assert "data 6<" not in both and "data 2<" in both  # leaves keep their values
    assert both.count("\u00a0</TD>") == 4 + 3
    assert L.grad == 1.0 and topological_order(L)[0].grad == 30.0  # nothing changed
    with pytest.raises(ValueError, match="hide: unknown cell 'grads'; cells that can be hidden"):
        draw(L, hide=("grads",))
