"""The chalkgrad pytest plugin: gradient tests in three lines, failures that explain.

Installed with chalkgrad and registered through the ``pytest11`` entry point, so
it is active in any project's ``pytest`` run with no conftest. It gives:

- the ``chalkgrad`` fixture (:class:`GradientChecks`): ``chalkgrad.grad``,
  ``chalkgrad.backward``, ``chalkgrad.closed_form``, ``chalkgrad.gradcheck``;
- failure reports for :class:`GradientAssertionError` and
  :class:`autograd.GradcheckError` that show the test's line and the whole
  explanation (both sides, the point, the engine's chain rule) instead of a long
  traceback through chalkgrad's own code;
- ``--chalkgrad-seed N`` for the random inputs of ``chalkgrad.backward``, shown
  in the report header.

Example:
    >>> checks = GradientChecks(seed=0)
    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> checks.grad(x * x, {"x": 6.0})
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from autograd.check import GradcheckError, gradcheck
from autograd.testing.backward import assert_backward
from autograd.testing.explain import GradientAssertionError
from autograd.testing.gradients import assert_grad

_EXPLAINED = (GradientAssertionError, GradcheckError)


class GradientChecks:
    """What the ``chalkgrad`` fixture gives a test: the assertions, with the run's seed.

    Example:
        >>> import numpy as np
        >>> checks = GradientChecks(seed=1)
        >>> checks.backward(lambda x, d: 2 * x * d, lambda x: x * x, [np.array([1.0, 2.0])])
    """

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed

    def grad(self, graph: Any, expected: Mapping[Any, Any], **options: Any) -> None:
        """:func:`autograd.testing.assert_grad`.

        Example:
            >>> from autograd import Value
            >>> w = Value(2.0, label="w")
            >>> GradientChecks().grad(w.exp(), {"w": "exp(w)"})
        """
        assert_grad(graph, expected, **options)

    def backward(
        self,
        backward_fn: Callable[..., Any],
        forward_fn: Callable[..., Any],
        inputs: Sequence[Any] | Mapping[str, Any],
        upstream: Any = None,
        **options: Any,
    ) -> None:
        """:func:`autograd.testing.assert_backward`, seeded with ``--chalkgrad-seed``.

        Example:
            >>> import numpy as np
            >>> GradientChecks().backward(lambda x, d: d * np.cos(x), lambda x: x.tanh(),
            ...                           [np.array([0.0])])  # doctest: +ELLIPSIS
            Traceback (most recent call last):
            ...
            autograd.testing.explain.GradientAssertionError: gradient of input 'x' is wrong at index (0,) (random inputs, trial 2 of 3, seed=0)
            ...
        """
        options.setdefault("seed", self.seed)
        assert_backward(backward_fn, forward_fn, inputs, upstream, **options)

    def closed_form(self, graph: Any, expected: Any, symbols: Any = None, **options: Any) -> Any:
        """:func:`autograd.testing.assert_closed_form` (needs sympy).

        Example:
            >>> from autograd import Value
            >>> k, x = Value(2.0, label="k"), Value(3.0, label="x")
            >>> _ = GradientChecks().closed_form(k * x, {"k": "x"}, ["k", "x"])
        """
        from autograd.testing.closed_forms import assert_closed_form

        return assert_closed_form(graph, expected, symbols, **options)

    def gradcheck(self, f: Callable[..., Any], inputs: Any, **options: Any) -> bool:
        """:func:`autograd.gradcheck`: backward against central differences.

        Example:
            >>> from autograd import Tensor
            >>> GradientChecks().gradcheck(lambda t: (t * t).sum(), [Tensor([1.0, 2.0])])
            True
        """
        return gradcheck(f, inputs, **options)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--chalkgrad-seed`` (see the module docstring).

    Example:
        >>> pytest_addoption  # doctest: +ELLIPSIS
        <function pytest_addoption at ...>
    """
    group = parser.getgroup("chalkgrad", "chalkgrad gradient tests")
    group.addoption(
        "--chalkgrad-seed",
        default="0",
        metavar="N",
        help="seed for the random inputs of chalkgrad.backward (default 0)",
    )


MAX_SEED = 2**63 - 1


def parse_seed(text: object) -> int:
    """The ``--chalkgrad-seed`` value as an int in 0..2**63-1, or a one-line UsageError.

    Example:
        >>> parse_seed("7")
        7
        >>> parse_seed("-1")
        Traceback (most recent call last):
        ...
        pytest.UsageError: --chalkgrad-seed -1: expected a whole number from 0 to 9223372036854775807
    """
    try:
        seed = int(str(text).strip())
    except ValueError:
        seed = -1
    if not 0 <= seed <= MAX_SEED:
        raise pytest.UsageError(
            f"--chalkgrad-seed {text}: expected a whole number from 0 to {MAX_SEED}"
        )
    return seed


def pytest_configure(config: pytest.Config) -> None:
    """Check ``--chalkgrad-seed`` once, before any test: a bad seed is a usage error (exit 4).

    Example:
        >>> pytest_configure  # doctest: +ELLIPSIS
        <function pytest_configure at ...>
    """
    config.option.chalkgrad_seed = parse_seed(config.getoption("chalkgrad_seed"))


def pytest_report_header(config: pytest.Config) -> str:
    """One header line saying the plugin is active, with its seed.

    Example:
        >>> class Config:
        ...     def getoption(self, name): return 7
        >>> pytest_report_header(Config())
        'chalkgrad: gradient assertions explained (--chalkgrad-seed 7)'
    """
    return f"chalkgrad: gradient assertions explained (--chalkgrad-seed {config.getoption('chalkgrad_seed')})"


@pytest.fixture
def chalkgrad(request: pytest.FixtureRequest) -> GradientChecks:
    """The gradient assertions (:class:`GradientChecks`), seeded with ``--chalkgrad-seed``.

    Example:
        >>> def test_square(chalkgrad):  # pytest passes the fixture by its name
        ...     from autograd import Value
        ...     x = Value(3.0, label="x")
        ...     chalkgrad.grad(x * x, {"x": 6.0})
        >>> test_square(GradientChecks())
    """
    return GradientChecks(seed=request.config.getoption("chalkgrad_seed"))


def _failure_text(item: pytest.Item, excinfo: pytest.ExceptionInfo) -> str:
    """The explanation first, then the test's own failing line (no chalkgrad frames)."""
    test_file = Path(str(item.path))
    own = [entry for entry in excinfo.traceback if Path(str(entry.path)) == test_file]
    entry = own[-1] if own else excinfo.traceback[-1]
    try:
        statement = str(entry.statement).strip()
    except Exception:  # the source may be unavailable (a compiled or deleted file)
        statement = "(source unavailable)"
    path = Path(str(entry.path))
    try:
        path = path.relative_to(item.config.invocation_params.dir)
    except ValueError:
        pass  # outside the folder pytest was started in: keep the full path
    return (
        f"{type(excinfo.value).__name__}: {excinfo.value}\n\n{path}:{entry.lineno + 1}: {statement}"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    """Replace the traceback of a gradient failure with its explanation.

    Example:
        >>> pytest_runtest_makereport  # doctest: +ELLIPSIS
        <function pytest_runtest_makereport at ...>
    """
    outcome = yield
    report = outcome.get_result()
    excinfo = call.excinfo
    if report.failed and excinfo is not None and excinfo.errisinstance(_EXPLAINED):
        report.longrepr = _failure_text(item, excinfo)
