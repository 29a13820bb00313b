"""``chalkgrad check``: answer keys that check themselves (exit 0 right, 1 wrong, 2 refused)."""

import subprocess
import sys

import pytest

from viz.cli.command import main

pytest.importorskip("sympy", reason="closed-form claims are checked with sympy")

EXPR = "L = (w*x - 1)**2"


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_right_closed_forms_exit_0(capsys):
    status, out, err = run(
        capsys,
        "check",
        EXPR,
        "--grad",
        "w=2*x*(w*x - 1)",
        "x=2 w (w x - 1)",
        "--value",
        "(w x - 1)^2",
    )
    assert status == 0, err
    assert out.splitlines() == [
        "right  dL/dw = 2*x*(w*x - 1)  (symbolically)",
        "right  dL/dx = 2 w (w x - 1)  (symbolically)",
        "right  L = (w x - 1)^2  (symbolically)",
    ]


def test_a_wrong_closed_form_exits_1_with_a_counterexample_at_the_set_point(capsys):
    status, out, _ = run(
        capsys, "check", EXPR, "--grad", "w=2*x*(w*x - 1)", "x=2*w*(w*x + 1)", "--set", "w=2", "x=3"
    )
    assert status == 1
    lines = out.splitlines()
    assert lines[0].startswith("right  dL/dw")
    assert lines[1] == "WRONG  dL/dx = 2*w*(w*x + 1)  (differs)"
    # by hand at w = 2, x = 3: dL/dx = 2 w (w x - 1) = 20, the claim 2 w (w x + 1) = 28
    assert lines[2] == (
        "       counterexample: at w = 2, x = 3: the engine gives 20, the claim gives 28"
    )


def test_a_wrong_closed_form_without_a_point_gets_a_random_counterexample(capsys):
    status, out, _ = run(capsys, "check", "L = relu(w*x - 1)", "--grad", "w=x")
    assert status == 1
    point = out.split("counterexample: at ")[1].split(":")[0]
    values = dict(part.split(" = ") for part in point.split(", "))
    w, x = float(values["w"]), float(values["x"])  # printed numbers copy back with float()
    engine = float(out.split("the engine gives ")[1].split(",")[0])
    claimed = float(out.split("the claim gives ")[1])
    assert engine == pytest.approx(x if w * x > 1 else 0.0, abs=1e-5)
    assert claimed == pytest.approx(x, abs=1e-5) and engine != pytest.approx(claimed)


def test_number_claims_are_checked_to_the_figures_written(capsys):
    # the README example: dL/dw = 0.1733, dL/dx = -0.3467 (U+2212 accepted), L = 0.3018
    expr = "z = w*x + b; L = (y - exp(z))**2 / 2"
    point = ["--set", "w=2", "x=-1", "b=0.5", "y=1"]
    status, out, _ = run(
        capsys,
        "check",
        expr,
        "--grad",
        "w=0.1733",
        "x=\u22120.3467",
        "--value",
        "0.3018",
        "z=-1.5",
        *point,
    )
    assert status == 0, out
    status, out, _ = run(capsys, "check", expr, "--grad", "w=0.1734", *point)
    assert status == 1
    assert "the engine gives 0.173343, the claim gives 0.1734" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        ([], "nothing to check"),
        (["--grad", "w=1", "--set", "w=1", "x=1", "y=2"], "--set y: the expression has no input"),
    ],
)
def test_usage_errors_exit_2_with_one_line(capsys, argv, message):
    status, out, err = run(capsys, "check", EXPR, *argv)
    assert status == 2 and out == ""
    assert err.startswith("chalkgrad check: error: ") and message in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "claim, reason",
    [
        (
            "w=x Heaviside(w*x - 1)",
            "unknown function Heaviside(...); the accepted functions are Max, Min, abs, exp",
        ),
        ("w=2*q", "unknown symbol 'q' (the graph's symbols: L, w, x)"),
        ("q=1", "no node named 'q'; names: L, w, x"),
        ("w=30", "a number claim needs every input set: missing --set w=NUMBER x=NUMBER"),
        ("w", "--grad 'w': expected NAME=CLAIM"),
        ("w=10^10^10", "the limit for exact numbers is 10,000 digits"),
    ],
)
def test_an_unreadable_claim_is_refused_on_its_line_and_the_others_are_judged(
    capsys, claim, reason
):
    status, out, err = run(capsys, "check", EXPR, "--grad", "x=2*w*(w*x - 1)", claim, "w=2*x")
    assert status == 2 and err == ""
    lines = out.splitlines()
    assert lines[0] == "right  dL/dx = 2*w*(w*x - 1)  (symbolically)"
    assert lines[1].startswith("refused  dL/d") and reason in lines[1]
    assert lines[2] == "WRONG  dL/dw = 2*x  (differs)"  # judged after the refused one
    assert lines[3].startswith("       counterexample: at w = ")


@pytest.mark.parametrize(
    "expression, claims, lines, status",
    [
        # log(0) = -inf in the engine: 3 is wrong (the engine's value shown), -inf is right
        (
            "L = log(x)",
            ["--value", "3", "--set", "x=0"],
            [
                "WRONG  L = 3  (at the --set point)",
                "       counterexample: at x = 0: the engine gives -inf, the claim gives 3",
            ],
            1,
        ),
        (
            "L = log(x)",
            ["--value=-inf", "--set", "x=0"],
            ["right  L = -inf  (at the --set point)"],
            0,
        ),
        # d log(x)/dx = 1/x = inf at 0
        (
            "L = log(x)",
            ["--grad", "x=inf", "--set", "x=0"],
            ["right  dL/dx = inf  (at the --set point)"],
            0,
        ),
        (
            "L = log(x)",
            ["--grad", "x=1e9", "--set", "x=0"],
            [
                "WRONG  dL/dx = 1e9  (at the --set point)",
                "       counterexample: at x = 0: the engine gives inf, the claim gives 1e9",
            ],
            1,
        ),
        # sqrt(-1) = nan, and so is its gradient
        (
            "L = sqrt(x)",
            ["--grad", "x=nan", "--value", "nan", "--set", "x=-1"],
            ["right  dL/dx = nan  (at the --set point)", "right  L = nan  (at the --set point)"],
            0,
        ),
        (
            "L = sqrt(x)",
            ["--grad", "x=0", "--set", "x=-1"],
            [
                "WRONG  dL/dx = 0  (at the --set point)",
                "       counterexample: at x = -1: the engine gives nan, the claim gives 0",
            ],
            1,
        ),
        # 1e400 overflows to inf: a claim like any other, wrong against dL/dw = x = 2
        (
            "L = w*x",
            ["--grad", "w=1e400", "--set", "w=1", "x=2"],
            [
                "WRONG  dL/dw = 1e400  (at the --set point)",
                "       counterexample: at w = 1, x = 2: the engine gives 2, the claim gives inf",
            ],
            1,
        ),
    ],
)
def test_infinite_and_nan_values_are_judged_like_any_other(
    capsys, expression, claims, lines, status
):
    got, out, err = run(capsys, "check", expression, *claims)
    assert (got, out.splitlines(), err) == (status, lines, "")


def test_a_closed_form_right_only_near_the_set_point_is_caught(capsys):
    # relu(x - 5) has gradient 0 for x < 5 and 1 for x > 5: "x*0" is right near x = 1 only
    status, out, _ = run(capsys, "check", "L = relu(x - 5)", "--grad", "x=x*0", "--set", "x=1")
    assert status == 1
    assert out.splitlines()[0] == "WRONG  dL/dx = x*0  (differs)"
    x = float(out.split("counterexample: at x = ")[1].split(":")[0])
    assert x > 5 and "the engine gives 1, the claim gives 0" in out
    # the same for a kink far away: relu(x - 500) differs from 0 only past x = 500
    status, out, _ = run(capsys, "check", "L = relu(x - 500)", "--grad", "x=0")
    assert status == 2 and "needs every input set" in out  # a number needs --set
    status, out, _ = run(capsys, "check", "L = relu(x - 500)", "--grad", "x=0*x")
    assert status == 1 and float(out.split("at x = ")[1].split(":")[0]) > 500
    status, out, _ = run(capsys, "check", "L = relu(x - 500)", "--grad", "x=1{x > 500}")
    assert (status, out) == (0, "right  dL/dx = 1{x > 500}  (symbolically)\n")


def test_claims_may_use_the_names_the_expression_assigns(capsys):
    expr = "z = w*x; a = sigmoid(z); L = -log(a)"
    status, out, _ = run(
        capsys,
        "check",
        expr,
        "--grad",
        "z=a - 1",
        "w=x*(a - 1)",
        "a=-1/a",
        "--value",
        "a=sigmoid(z)",
    )
    assert status == 0, out
    assert out.splitlines() == [
        "right  dL/dz = a - 1  (symbolically)",
        "right  dL/dw = x*(a - 1)  (symbolically)",
        "right  dL/da = -1/a  (symbolically)",
        "right  a = sigmoid(z)  (symbolically)",
    ]
    status, out, _ = run(capsys, "check", expr, "--grad", "z=a", "--set", "w=1", "x=0")
    # at z = 0: a = sigmoid(0) = 1/2, dL/dz = a - 1 = -1/2
    assert status == 1 and out.splitlines()[1] == (
        "       counterexample: at w = 1, x = 0: the engine gives -0.5, the claim gives 0.5"
    )


def test_a_claim_that_overflows_gets_a_verdict_not_a_traceback(capsys):
    status, out, err = run(
        capsys, "check", "L = w*x", "--grad", "w=exp(exp(exp(exp(exp(x+3)))))", "x=w"
    )
    assert status == 1 and err == ""
    assert out.splitlines()[0] == "WRONG  dL/dw = exp(exp(exp(exp(exp(x+3)))))  (differs)"
    assert out.splitlines()[1].endswith("the claim gives inf")
    assert out.splitlines()[2] == "right  dL/dx = w  (symbolically)"
    # the true derivative of a tower that overflows is still right
    tower = "exp(exp(exp(exp(exp(x+3)))))"
    derivative = "*".join(
        ["exp(x+3)", "exp(exp(x+3))", "exp(exp(exp(x+3)))", "exp(exp(exp(exp(x+3))))", tower]
    )
    status, out, err = run(capsys, "check", f"L = {tower}", "--grad", f"x={derivative}")
    assert (status, err) == (0, "") and out.startswith("right  dL/dx = ")


def test_a_closed_form_is_judged_on_the_domain_of_the_expression(capsys):
    # log(x) takes x > 0 only; there 1/abs(x) is 1/x
    status, out, _ = run(capsys, "check", "L = log(x)", "--grad", "x=1/abs(x)")
    assert status == 0 and out.startswith("right  dL/dx = 1/abs(x)  (at ")


def test_exit_codes_from_the_installed_command():
    command = [sys.executable, "-m", "viz.cli", "check", EXPR]
    right = subprocess.run([*command, "--grad", "w=2*x*(w*x-1)"], capture_output=True, timeout=120)
    wrong = subprocess.run([*command, "--grad", "w=2*x"], capture_output=True, timeout=120)
    usage = subprocess.run([*command, "--grad", "w=f(x)"], capture_output=True, timeout=120)
    assert (right.returncode, wrong.returncode, usage.returncode) == (0, 1, 2)
