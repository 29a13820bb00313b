"""Checking an answer key: is each claimed gradient or value of an expression right?

A claim is a number (``30``, ``-0.1733``, ``inf``: checked at the ``--set`` point, to
the figures it was written with) or a closed form (``2*x*(w*x - 1)``, ``x 1{w x > 1}``,
``a - 1`` where ``a`` is a name the expression assigns: checked as an identity in every
input). A closed form is compared with the engine's own closed form (the op registry
over sympy) at points spread over the whole input space (the ``--set`` point first,
then near it, then at scales from 0.001 to 10^6, both signs), then symbolically. A
wrong claim comes with a counterexample: a point and both values. A claim that cannot
be checked as written is refused with the reason; the other claims are still judged.
"""

from __future__ import annotations

import math
import random
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from autograd.limits import LimitError
from viz.expression import ExpressionError, Program, build, free_variables, parse
from viz.numbers import format_number, parse_number

POINTS = 12  # points where both forms must be defined before a claim is called right
DIGITS = 40  # working precision of the closed forms at a point
EXP_LIMIT = 1e5  # e^x past x = 10^5 counts as overflow (e^709 already passes the floats)
CLAIM_SECONDS = 10.0  # sympy's share of one closed-form claim; past it, the claim is refused
# (low, high): |input| drawn log-uniformly in [10**low, 10**high], either sign
SCALES = ((-3.0, 0.3), (-1.0, 1.0), (0.0, 2.0), (1.0, 3.0), (3.0, 6.0))


class ClaimError(ValueError):
    """A command line that cannot be checked at all (a usage error: exit status 2).

    Example:
        >>> str(ClaimError("--set q: the expression has no input 'q'"))
        "--set q: the expression has no input 'q'"
    """


@dataclass
class Verdict:
    """The outcome for one claim; ``point``/``engine``/``claimed`` describe a counterexample.

    ``refused`` claims could not be checked as written (``how`` says why).

    Example:
        >>> Verdict("grad", "w", "30", True, "at the --set point").line("L")
        'right  dL/dw = 30  (at the --set point)'
        >>> Verdict("grad", "q", "1", False, "no node named 'q'", refused=True).line("L")
        "refused  dL/dq = 1  (no node named 'q')"
    """

    kind: str  # "grad" or "value"
    name: str
    claim: str
    right: bool
    how: str
    point: dict[str, float] = field(default_factory=dict)
    engine: float | None = None
    claimed: float | None = None
    refused: bool = False

    def line(self, output: str, precision: int = 6) -> str:
        """One line for the terminal (two with a counterexample), numbers in ASCII."""
        what = f"d{output}/d{self.name}" if self.kind == "grad" else self.name
        word = "refused" if self.refused else "right" if self.right else "WRONG"
        head = f"{word}  {what} = {self.claim}  ({self.how})"
        if self.right or self.refused or self.engine is None:
            return head
        f = lambda x: format_number(x, precision)
        where = ", ".join(f"{k} = {f(x)}" for k, x in self.point.items()) or "the --set point"
        return (
            f"{head}\n       counterexample: at {where}: the engine gives {f(self.engine)},"
            f" the claim gives {f(self.claimed)}"
        )


def exit_status(verdicts: Sequence[Verdict]) -> int:
    """2 when any claim was refused, else 1 when any is wrong, else 0.

    Example:
        >>> exit_status([Verdict("grad", "w", "1", True, "symbolically")])
        0
    """
    if any(v.refused for v in verdicts):
        return 2
    return 0 if all(v.right for v in verdicts) else 1


def _split_claim(option: str, item: str, output: str | None) -> tuple[str, str] | None:
    match = re.fullmatch(r"\s*([A-Za-z_]\w*)\s*=(?!=)(.*)", item, re.S)
    if match:
        return match.group(1), match.group(2).strip()
    if output is not None:  # --value EXPR: the output's value
        return output, item.strip()
    return None


def _decimals_tolerance(text: str) -> float:
    """Half a unit in the last written figure: ``0.1733`` -> 5e-5, ``30`` -> 0.5."""
    mantissa, _, exponent = text.strip().lower().partition("e")
    decimals = len(mantissa.partition(".")[2]) if "." in mantissa else 0
    try:
        return 0.5 * 10.0 ** (-decimals + (int(exponent) if exponent else 0))
    except (OverflowError, ValueError):
        return 0.0 if exponent.strip().startswith("-") else math.inf


def numbers_agree(engine: float, claimed: float, tolerance: float = 0.0) -> bool:
    """A number claim against the engine's value: nan only equals nan, inf only itself.

    Example:
        >>> numbers_agree(float("-inf"), float("-inf")), numbers_agree(float("-inf"), 3.0)
        (True, False)
        >>> numbers_agree(0.17334, 0.1733, 5e-5), numbers_agree(float("nan"), float("nan"))
        (True, True)
    """
    if math.isnan(engine) or math.isnan(claimed):
        return math.isnan(engine) and math.isnan(claimed)
    if math.isinf(engine) or math.isinf(claimed):
        return engine == claimed
    return abs(engine - claimed) <= tolerance + 1e-12 * abs(engine)


def check_claims(
    expression: str,
    grads: Sequence[str] = (),
    values: Sequence[str] = (),
    settings: Mapping[str, float] | None = None,
    random_state: int = 0,
) -> tuple[Program, list[Verdict]]:
    """Check ``NAME=CLAIM`` gradient claims and value claims of ``expression``.

    Every claim gets a :class:`Verdict`: right, wrong (with a counterexample) or
    refused (with the reason). Only a broken command line raises :class:`ClaimError`.

    Example:
        >>> _, verdicts = check_claims("L = (w*x - 1)**2", grads=["w=2*x*(w*x - 1)", "x=20"],
        ...                            settings={"w": 2, "x": 3})
        >>> [(v.name, v.right, v.how) for v in verdicts]
        [('w', True, 'symbolically'), ('x', True, 'at the --set point')]
        >>> _, [v] = check_claims("z = w*x; a = sigmoid(z); L = -log(a)", grads=["z=a - 1"])
        >>> v.right, v.how
        (True, 'symbolically')
    """
    settings = dict(settings or {})
    inputs = sorted(free_variables(parse(expression)))
    for name in settings:
        if name not in inputs:
            raise ClaimError(
                f"--set {name}: the expression has no input {name!r} (inputs: "
                f"{', '.join(inputs) or 'none'})"
            )
    if not grads and not values:
        raise ClaimError("nothing to check: give --grad NAME=CLAIM and/or --value CLAIM")
    program = build(expression, {n: settings.get(n, 0.5) for n in inputs})
    output = program.root.label or "output"
    program.root.backward()
    judge = _Judge(program, inputs, settings, random_state)
    verdicts = []
    for kind, option, items in (("grad", "--grad", grads), ("value", "--value", values)):
        for item in items:
            split = _split_claim(option, item, output if kind == "value" else None)
            if split is None:
                verdicts.append(
                    Verdict(
                        kind,
                        "?",
                        item,
                        False,
                        f'{option} {item!r}: expected NAME=CLAIM, e.g. {option} w="2*x"',
                        refused=True,
                    )
                )
                continue
            verdicts.append(judge.claim(kind, *split))
    return program, verdicts


class _Judge:
    """Judges the claims of one expression, building its closed forms once."""

    def __init__(
        self, program: Program, inputs: list[str], settings: dict, random_state: int
    ) -> None:
        self.program, self.inputs, self.settings = program, inputs, settings
        self.random_state = random_state
        self.result: Any = None
        self.output = program.root.label or "output"

    def claim(self, kind: str, name: str, claim: str) -> Verdict:
        refuse = lambda why: Verdict(kind, name, claim, False, why, refused=True)
        if name not in self.program.names and name != self.output:
            names = ", ".join(sorted(self.program.names))
            return refuse(f"no node named {name!r}; names: {names}")
        node = self.program.root if name == self.output else self.program.names[name]
        if _is_number(claim):
            missing = [n for n in self.inputs if n not in self.settings]
            if missing:
                return refuse(
                    "a number claim needs every input set: missing --set "
                    + " ".join(f"{n}=NUMBER" for n in missing)
                )
            engine = node.grad if kind == "grad" else node.data
            claimed = parse_number(claim)
            tolerance = _decimals_tolerance(claim.replace("\u2212", "-"))
            point = {n: float(self.settings[n]) for n in self.inputs}
            right = numbers_agree(engine, claimed, tolerance)
            return Verdict(kind, name, claim, right, "at the --set point", point, engine, claimed)
        from autograd.limits import time_limit

        try:
            with time_limit(CLAIM_SECONDS, "checking this claim at points (sympy)"):
                found = self._at_points(kind, name, node, claim)
        except ImportError as error:
            return refuse(f"closed-form claims need sympy: {error}")
        except (LimitError, ValueError, TypeError, ArithmeticError, RecursionError) as error:
            return refuse(_one_line(error))
        if isinstance(found, Verdict):
            return found
        got, want, checked = found
        from autograd.symbolic import simplify_expression

        try:  # sympy's simplify has no bound of its own: the points above stand without it
            with time_limit(CLAIM_SECONDS, "sympy's simplify"):
                if simplify_expression(got - want) == 0:
                    return Verdict(kind, name, claim, True, "symbolically")
        except (LimitError, TypeError, ValueError, RecursionError, ArithmeticError):
            pass
        if checked < POINTS:
            return refuse(
                f"defined at only {checked} of the points tried; check it with --set at a "
                "point where both forms are finite and real"
            )
        return Verdict(kind, name, claim, True, f"at {checked} points; sympy could not decide")

    def _at_points(self, kind: str, name: str, node: Any, claim: str) -> Verdict | tuple:
        """A wrong verdict with its counterexample, or (engine form, claim, points checked)."""
        import sympy as sp

        from autograd.symbolic.closed_form import parse_closed_form

        result = self._symbolic()
        symbols = {str(s): s for s in result.symbol_of.values()}
        inner = {  # names the expression assigns, replaced by their closed forms
            n: sp.Symbol(n) for n in self.program.names if n not in symbols
        }
        if self.output not in symbols:
            inner.setdefault(self.output, sp.Symbol(self.output))
        want = parse_closed_form(claim, {**inner, **symbols}, allow_new_symbols=False)
        forms = {
            inner[n]: result.value.raw(self.program.names.get(n, self.program.root)) for n in inner
        }
        want = want.xreplace(forms)
        got = result.grad.raw(node) if kind == "grad" else result.value.raw(node)
        engine, claimed = _numeric(sp, got, symbols), _numeric(sp, want, symbols)
        domain = _numeric(sp, result.value.raw(self.program.root), symbols)
        checked = 0
        for point in self._points():
            if domain(point) is None:
                continue  # outside the domain of the expression (log of a negative, ...)
            a, b = engine(point), claimed(point)
            if a is None or b is None or (math.isinf(a) and math.isinf(b)):
                continue  # a kink or pole of a form, or both beyond the floats
            if not _agree(a, b):
                return Verdict(kind, name, claim, False, "differs", point, float(a), float(b))
            checked += 1
        return got, want, checked

    def _symbolic(self) -> Any:
        if self.result is None:
            from autograd.symbolic import require_sympy, symbolic

            require_sympy()
            self.result = symbolic(self.program.root, {n: n for n in self.inputs}, simplify=False)
        return self.result

    def _points(self) -> Iterator[dict[str, float]]:
        """The --set point, points near it, then points at every scale and sign."""
        rng = random.Random(self.random_state)
        names = self.inputs
        if all(n in self.settings for n in names):
            center = {n: float(self.settings[n]) for n in names}
            yield center
            for _ in range(POINTS // 2):
                yield {n: x + rng.uniform(-1, 1) * max(1.0, abs(x)) / 4 for n, x in center.items()}
        for _ in range(POINTS):
            yield {n: rng.uniform(-2.0, 2.0) for n in names}
        for low, high in SCALES:  # each input its own sign; all at one scale, then mixed
            for _ in range(POINTS):
                yield {n: rng.choice((-1, 1)) * 10 ** rng.uniform(low, high) for n in names}
        for _ in range(POINTS):
            yield {n: rng.choice((-1, 1)) * 10 ** rng.uniform(*rng.choice(SCALES)) for n in names}


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _is_number(text: str) -> bool:
    try:
        parse_number(text)
    except ValueError:
        return False
    return True


def _agree(a: float, b: float) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= 1e-9 + 1e-7 * max(abs(a), abs(b))


def _guarded_exp(x: Any) -> Any:
    import mpmath

    if isinstance(x, mpmath.mpf) and abs(x) > EXP_LIMIT:  # e^(10^5): past any float already
        return mpmath.inf if x > 0 else mpmath.mpf(0)
    return mpmath.exp(x)


def _guarded_power(a: Any, b: Any) -> Any:
    import mpmath

    if isinstance(a, mpmath.mpf) and isinstance(b, mpmath.mpf) and a and mpmath.isfinite(a):
        size = b * mpmath.log(abs(a))
        if mpmath.isfinite(b) and abs(size) > EXP_LIMIT:
            if size < 0:
                return mpmath.mpf(0)
            if a > 0:
                return mpmath.inf
            if b == int(b):
                return -mpmath.inf if int(b) % 2 else mpmath.inf
            return mpmath.nan  # a negative number to a fractional power: not real
    return a**b


def _numeric(sp: Any, expr: Any, symbols: Mapping[str, Any]) -> Any:
    """``expr`` as a function of a point: its real value (±inf past the floats), or None.

    Evaluated with mpmath at :data:`DIGITS` digits; ``exp`` and powers whose result
    would pass e^(10^5) give inf (or 0) at once instead of computing a number with a
    million digits, so an overflowing claim is judged, not left running.
    """
    import mpmath

    from autograd.symbolic import exact

    names = sorted(symbols)
    guarded = exact(expr)
    power, exponential = sp.Function("_chalk_power"), sp.Function("_chalk_exp")
    guarded = guarded.replace(lambda n: isinstance(n, sp.Pow), lambda n: power(*n.args))
    guarded = guarded.replace(lambda n: isinstance(n, sp.exp), lambda n: exponential(*n.args))
    function = sp.lambdify(
        [symbols[n] for n in names],
        guarded,
        modules=[{"_chalk_power": _guarded_power, "_chalk_exp": _guarded_exp}, "mpmath"],
    )

    def value(point: Mapping[str, float]) -> float | None:
        try:
            with mpmath.workdps(DIGITS):
                z = function(*[mpmath.mpf(point[n]) for n in names])
                z = mpmath.mpc(z)
        except OverflowError:
            return math.inf  # too large for the arithmetic: beyond any float
        except (TypeError, ValueError, NameError, ArithmeticError, RecursionError):
            return None  # undefined here (0/0, log of a negative, ...)
        if mpmath.isnan(z.real) or mpmath.isnan(z.imag) or mpmath.isinf(z.imag):
            return None
        if abs(z.imag) > 1e-12 * max(1, abs(z.real)):
            return None  # not real here
        if mpmath.isinf(z.real) or abs(z.real) > sys.float_info.max:
            return math.copysign(math.inf, float(mpmath.sign(z.real)))
        return float(z.real)

    return value


__all__ = [
    "ClaimError",
    "Verdict",
    "check_claims",
    "exit_status",
    "numbers_agree",
    "ExpressionError",
]
