"""Checking an answer key: is each claimed gradient or value of an expression right?

A claim is a number (``30``, ``-0.1733``: checked at the ``--set`` point, to the
figures it was written with) or a closed form (``2*x*(w*x - 1)``, ``x 1{w x > 1}``:
checked as an identity in every input). A closed form is compared with the
engine's own closed form (the op registry over sympy) symbolically when sympy
can decide, otherwise at random points; the ``--set`` point, when given, is
tried first. A wrong claim comes with a counterexample: a point and both values.
"""

from __future__ import annotations

import cmath
import math
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from viz.expression import ExpressionError, Program, build, free_variables, parse
from viz.numbers import format_number, parse_number

POINTS = 12  # random points when sympy cannot decide an identity
LOW, HIGH = -2.0, 2.0  # where random points are drawn


class ClaimError(ValueError):
    """A claim that cannot be checked as written (a usage error: exit status 2).

    Example:
        >>> str(ClaimError("--grad q: no node named 'q'"))
        "--grad q: no node named 'q'"
    """


@dataclass
class Verdict:
    """The outcome for one claim; ``point``/``engine``/``claimed`` describe a counterexample.

    Example:
        >>> Verdict("grad", "w", "30", True, "at the --set point").line("L")
        'right  dL/dw = 30  (at the --set point)'
    """

    kind: str  # "grad" or "value"
    name: str
    claim: str
    right: bool
    how: str
    point: dict[str, float] = field(default_factory=dict)
    engine: float | None = None
    claimed: float | None = None

    def line(self, output: str, precision: int = 6) -> str:
        """One line for the terminal, numbers in ASCII."""
        what = f"d{output}/d{self.name}" if self.kind == "grad" else self.name
        head = f"{'right' if self.right else 'WRONG'}  {what} = {self.claim}  ({self.how})"
        if self.right or self.engine is None:
            return head
        f = lambda x: format_number(x, precision)
        where = ", ".join(f"{k} = {f(x)}" for k, x in self.point.items()) or "the --set point"
        return (
            f"{head}\n       counterexample: at {where}: the engine gives {f(self.engine)},"
            f" the claim gives {f(self.claimed)}"
        )


def _split_claim(option: str, item: str, output: str | None) -> tuple[str, str]:
    match = re.fullmatch(r"\s*([A-Za-z_]\w*)\s*=(?!=)(.*)", item, re.S)
    if match:
        return match.group(1), match.group(2).strip()
    if output is not None:  # --value EXPR: the output's value
        return output, item.strip()
    raise ClaimError(f'{option} {item!r}: expected NAME=CLAIM, e.g. {option} w="2*x"')


def _decimals_tolerance(text: str) -> float:
    """Half a unit in the last written figure: ``0.1733`` -> 5e-5, ``30`` -> 0.5."""
    mantissa, _, exponent = text.strip().lower().partition("e")
    decimals = len(mantissa.partition(".")[2]) if "." in mantissa else 0
    return 0.5 * 10.0 ** (-decimals + (int(exponent) if exponent else 0))


def check_claims(
    expression: str,
    grads: Sequence[str] = (),
    values: Sequence[str] = (),
    settings: Mapping[str, float] | None = None,
    random_state: int = 0,
) -> tuple[Program, list[Verdict]]:
    """Check ``NAME=CLAIM`` gradient claims and value claims of ``expression``.

    Example:
        >>> _, verdicts = check_claims("L = (w*x - 1)**2", grads=["w=2*x*(w*x - 1)", "x=20"],
        ...                            settings={"w": 2, "x": 3})
        >>> [(v.name, v.right, v.how) for v in verdicts]
        [('w', True, 'symbolically'), ('x', True, 'at the --set point')]
    """
    settings = dict(settings or {})
    inputs = sorted(free_variables(parse(expression)))
    complete = all(name in settings for name in inputs)
    for name in settings:
        if name not in inputs:
            raise ClaimError(
                f"--set {name}: the expression has no input {name!r} (inputs: "
                f"{', '.join(inputs) or 'none'})"
            )
    program = build(expression, {n: settings.get(n, 0.5) for n in inputs})
    output = program.root.label or "output"
    claims = [("grad", *_split_claim("--grad", g, None)) for g in grads]
    claims += [("value", *_split_claim("--value", v, output)) for v in values]
    if not claims:
        raise ClaimError("nothing to check: give --grad NAME=CLAIM and/or --value CLAIM")
    for kind, name, _ in claims:
        if name not in program.names and name != output:
            raise ClaimError(
                f"--{kind} {name}: no node named {name!r} (names: "
                f"{', '.join(sorted(program.names))})"
            )
    program.root.backward()
    numeric = [(k, n, c) for k, n, c in claims if _is_number(c)]
    if numeric and not complete:
        missing = [n for n in inputs if n not in settings]
        raise ClaimError(
            "the number claims need every input set: missing --set "
            + " ".join(f"{n}=NUMBER" for n in missing)
        )
    verdicts = []
    result = None
    for kind, name, claim in claims:
        node = program.root if name == output else program.names[name]
        if _is_number(claim):
            engine = node.grad if kind == "grad" else node.data
            claimed = parse_number(claim)
            right = abs(engine - claimed) <= _decimals_tolerance(
                claim.replace("\u2212", "-")
            ) + 1e-12 * abs(engine)
            verdicts.append(
                Verdict(
                    kind,
                    name,
                    claim,
                    right,
                    "at the --set point",
                    {n: settings[n] for n in inputs},
                    engine,
                    claimed,
                )
            )
            continue
        if result is None:
            result = _symbolic(program, inputs)
        verdicts.append(
            _check_closed_form(
                result,
                kind,
                name,
                node,
                claim,
                inputs,
                settings if complete else None,
                random_state,
            )
        )
    return program, verdicts


def _is_number(text: str) -> bool:
    try:
        parse_number(text)
    except ValueError:
        return False
    return True


def _symbolic(program: Program, inputs: list[str]):
    try:
        from autograd.symbolic import require_sympy, symbolic

        require_sympy()
    except ImportError as error:
        raise ClaimError(f"closed-form claims need sympy: {error}") from None
    return symbolic(program.root, {n: n for n in inputs}, simplify=False)


def _check_closed_form(result, kind, name, node, claim, inputs, settings, random_state):
    import sympy as sp

    from autograd.symbolic import simplify_expression
    from autograd.symbolic.closed_form import parse_closed_form

    symbols = {str(s): s for s in result.symbol_of.values()}
    try:
        want = parse_closed_form(claim, symbols, allow_new_symbols=False)
    except ValueError as error:
        raise ClaimError(f"--{kind} {name}: {error}") from None
    got = result.grad.raw(node) if kind == "grad" else result.value.raw(node)
    rng = random.Random(random_state)
    points = [] if settings is None else [{n: float(settings[n]) for n in inputs}]
    points += [{n: rng.uniform(LOW, HIGH) for n in inputs} for _ in range(POINTS * 4)]
    checked = 0
    for point in points:
        a, b = _evaluate(sp, got, symbols, point), _evaluate(sp, want, symbols, point)
        if a is None or b is None:
            continue
        if abs(a - b) > 1e-9 + 1e-7 * max(abs(a), abs(b)):
            return Verdict(kind, name, claim, False, "differs", point, a, b)
        checked += 1
        if checked >= POINTS:
            break
    try:
        if simplify_expression(got - want) == 0:
            return Verdict(kind, name, claim, True, "symbolically")
    except (TypeError, ValueError, RecursionError):
        pass
    if checked == 0:
        raise ClaimError(
            f"--{kind} {name}: no point in [{LOW:g}, {HIGH:g}] where both forms "
            "are finite and real; check it with --set at a point where they are"
        )
    return Verdict(kind, name, claim, True, f"at {checked} random points; sympy could not decide")


def _evaluate(sp, expr, symbols: Mapping, point: Mapping[str, float]) -> float | None:
    from autograd.symbolic import exact

    try:
        value = exact(expr).xreplace(
            {symbols[n]: sp.Float(x, 30) for n, x in point.items() if n in symbols}
        )
        z = complex(value.evalf())
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not cmath.isfinite(z) or abs(z.imag) > 1e-12 * max(1.0, abs(z.real)):
        return None
    return z.real if math.isfinite(z.real) else None


__all__ = ["ClaimError", "Verdict", "check_claims", "ExpressionError"]
