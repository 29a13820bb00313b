"""The pytest plugin, run the way a course runs it: plain pytest, no conftest.

``pytester`` makes a fresh folder per test and runs pytest in it; the plugin is
loaded through chalkgrad's ``pytest11`` entry point, as in any project.
"""

import shutil
from importlib.metadata import entry_points
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

GRADING = Path(__file__).resolve().parent.parent / "demos" / "grading"


def test_the_plugin_is_registered_as_a_pytest11_entry_point():
    found = {e.name: e.value for e in entry_points(group="pytest11")}
    assert found.get("chalkgrad") == "autograd.testing.plugin"


def test_the_header_says_the_plugin_is_active(pytester):
    pytester.makepyfile("def test_nothing():\n    pass\n")
    result = pytester.runpytest("--chalkgrad-seed", "5")
    result.stdout.fnmatch_lines(["chalkgrad: gradient assertions explained (--chalkgrad-seed 5)"])
    result.assert_outcomes(passed=1)


@pytest.mark.parametrize("seed", ["-1", "abc", "1.5", "", str(2**63)])
def test_a_bad_seed_is_a_usage_error_in_one_line(pytester, seed):
    pytester.makepyfile("def test_nothing():\n    pass\n")
    result = pytester.runpytest_subprocess(f"--chalkgrad-seed={seed}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR == 4
    assert [line for line in result.stderr.lines if line.strip()] == [
        f"ERROR: --chalkgrad-seed {seed}: expected a whole number from 0 to {2**63 - 1}"
    ]
    assert "passed" not in result.stdout.str() and "failed" not in result.stdout.str()


def test_a_gradient_test_in_three_lines_passes_and_a_wrong_one_explains(pytester):
    pytester.makepyfile(
        """
        from autograd import Value

        def test_right(chalkgrad):
            w, x = Value(2.0, label="w"), Value(3.0, label="x")
            chalkgrad.grad((w * x - 1) ** 2, {"w": 30.0, "x": 20.0})

        def test_wrong(chalkgrad):
            w, x = Value(2.0, label="w"), Value(3.0, label="x")
            chalkgrad.grad((w * x - 1) ** 2, {"w": 29.0})
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "GradientAssertionError: gradient of pow#5 with respect to w is wrong",
            "  expected: 29",
            "  engine:   30",
            "  at:       w = 2, x = 3",
            "chain rule in the engine:",
            "dpow#5/dw = 30",
            "  = dpow#5/dmul#2 · dmul#2/dw = 10 · [x = 3]",
            "path: pow#5 <- sub#4 <- mul#2 <- w",
            "test_a_gradient_test_in_three_lines_passes_and_a_wrong_one_explains.py:9: "
            'chalkgrad.grad((w * x - 1) ** 2, {"w": 29.0})',
        ]
    )
    # The report replaces chalkgrad's own frames: no traceback into the package.
    assert "autograd/testing/gradients.py" not in result.stdout.str()


def test_a_closed_form_shows_both_sides_and_its_value_at_the_point(pytester):
    pytest.importorskip("sympy", reason="closed forms need sympy")
    pytester.makepyfile(
        """
        from autograd import Value

        def test_closed_form(chalkgrad):
            w, x = Value(2.0, label="w"), Value(3.0, label="x")
            chalkgrad.grad((w * x - 1) ** 2, {"w": "2 w (w x - 1)"})
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "GradientAssertionError: gradient of pow#5 with respect to w is wrong",
            "  expected: 2 w (w x - 1)  (= 20 here)",
            "  engine:   30",
        ]
    )


def test_the_worked_example_a_correct_backward_passes_the_buggy_one_fails(pytester):
    for name in ("layers.py", "test_layers.py"):
        shutil.copy(GRADING / name, pytester.path / name)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*FAILED test_layers.py::test_softmax_loss_backward - GradientAssertionError*",
        ]
    )
    out = result.stdout.str()
    assert "gradient of input 'x' is wrong at index (0, 0) (the given inputs)" in out
    assert "  expected (chalkgrad): d out/d x[0,0] = -0.15523" in out
    assert "  received (backward_fn): -0.776149" in out  # 5 times too big: N = 5
    assert "chain rule for x[0,0] in the engine" in out


def test_the_seed_option_reaches_the_random_trials(pytester):
    pytester.makepyfile(
        """
        import numpy as np

        def test_tanh(chalkgrad):
            chalkgrad.backward(lambda x, d: d * np.cos(x), lambda x: x.tanh(),
                               [np.array([0.0, 0.0])])
        """
    )
    result = pytester.runpytest("--chalkgrad-seed", "11")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*(random inputs, trial 2 of 3, seed=11)*"])


def test_ordinary_failures_keep_pytests_own_report(pytester):
    pytester.makepyfile("def test_plain():\n    assert 1 + 1 == 3\n")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*assert (1 + 1) == 3*"])


def test_the_plugin_runs_in_a_fresh_process_too(pytester):
    pytester.makepyfile(
        "from autograd import Value\n\n"
        "def test_square(chalkgrad):\n"
        "    x = Value(3.0, label='x')\n"
        "    chalkgrad.grad(x * x, {'x': 5.0})\n"
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["GradientAssertionError: gradient of mul#1 with respect to x*"])
