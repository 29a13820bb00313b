"""Random backprop exercises built from the op registry, small enough to do by hand.

An exercise is a program of the ``chalkgrad`` expression language, one op per
statement (``a = w * x; b = tanh(a); L = b + y``), with inputs that are small
integers or one-decimal numbers. The same seed gives the same exercise. Draws
that would put a kink (ReLU or abs at 0, a tie in max/min), a non-finite value
or a huge number in the graph are thrown away and drawn again from the same
random stream, so the result is still a function of the seed alone.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from autograd import OPS, Value, topological_order
from viz.expression import Program, build

# Registry op name -> how a statement applies it (``{0}``, ``{1}`` are operands).
TEMPLATES: dict[str, str] = {
    "add": "{0} + {1}",
    "sub": "{0} - {1}",
    "mul": "{0} * {1}",
    "div": "{0} / {1}",
    "neg": "-{0}",
    "pow": "{0}**2",
    "exp": "exp({0})",
    "log": "log({0})",
    "sqrt": "sqrt({0})",
    "tanh": "tanh({0})",
    "sigmoid": "sigmoid({0})",
    "softplus": "softplus({0})",
    "relu": "relu({0})",
    "leaky_relu": "leaky_relu({0}, 0.1)",
    "elu": "elu({0})",
    "abs": "abs({0})",
    "sin": "sin({0})",
    "cos": "cos({0})",
    "erf": "erf({0})",
    "log2": "log2({0})",
    "max": "max({0}, {1})",
    "min": "min({0}, {1})",
}
BINARY = {"add", "sub", "mul", "div", "max", "min"}
DEFAULT_OPS = ("add", "sub", "mul", "pow", "relu", "max", "tanh")
SIZES = {"small": (3, 2), "medium": (6, 3)}  # ops, inputs
INPUT_NAMES = ("x", "y", "w", "b", "u", "v")
STEP_NAMES = "abcdefghjkmnpqrs"
MAX_DRAWS = 500


@dataclass
class Exercise:
    """A random exercise: its program text, input values, seed and built graph.

    Example:
        >>> e = random_exercise(seed=7)
        >>> e.seed, e.program.root.label
        (7, 'L')
        >>> random_exercise(seed=7).source == e.source
        True
    """

    source: str
    settings: dict[str, float]
    seed: int
    program: Program

    @property
    def command(self) -> str:
        """The ``chalkgrad`` command that builds the same graph."""
        values = " ".join(f"{k}={v:g}" for k, v in self.settings.items())
        return f'chalkgrad quiz "{self.source}" --set {values}'


def parse_ops(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """``"mul,add,tanh"`` as registry op names, checked; None gives the default set.

    Example:
        >>> parse_ops("mul, add,tanh")
        ('mul', 'add', 'tanh')
        >>> parse_ops("mul,matmul")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: --ops: unknown op 'matmul'; ops for exercises: add, sub, mul, div, ...
    """
    if text is None:
        return DEFAULT_OPS
    names = [n.strip() for n in (text.split(",") if isinstance(text, str) else text)]
    names = [n for n in names if n]
    if not names:
        raise ValueError("--ops needs op names, e.g. --ops mul,add,tanh")
    usable = ", ".join(TEMPLATES)
    for name in names:
        if name not in TEMPLATES:
            why = (
                "is in the registry but takes a variable number of inputs"
                if name in OPS
                else "unknown op"
            )
            raise ValueError(
                f"--ops: {why} {name!r}; ops for exercises: {usable}"
                if why == "unknown op"
                else f"--ops: {name!r} {why}; ops for exercises: {usable}"
            )
    if not any(n in BINARY for n in names) and len(names) > 0:
        names.append("add")  # something must join the inputs into one output
    return tuple(dict.fromkeys(names))


def _number(rng: random.Random) -> float:
    if rng.random() < 0.6:
        return float(rng.choice([-3, -2, -1, 1, 2, 3]))
    return round(rng.choice([-1, 1]) * rng.randint(1, 25) / 10, 1)


def _draft(
    rng: random.Random, ops: Sequence[str], n_ops: int, n_inputs: int
) -> tuple[str, dict[str, float]]:
    inputs = list(INPUT_NAMES[:n_inputs])
    settings = {name: _number(rng) for name in inputs}
    unused = list(inputs)  # nodes no statement has read yet
    available = list(inputs)
    lines: list[str] = []
    for k in range(n_ops):
        op = rng.choice(ops)
        if op in BINARY:
            first = unused.pop(rng.randrange(len(unused))) if unused else rng.choice(available)
            pool = [n for n in available if n != first]
            second = (
                unused.pop(rng.randrange(len(unused))) if unused else rng.choice(pool or [first])
            )
            operands = [first, second]
        else:
            latest = [n for n in unused if n not in inputs]
            pick = latest[-1] if latest else (unused[-1] if unused else available[-1])
            if pick in unused:
                unused.remove(pick)
            operands = [pick]
        name = STEP_NAMES[k]
        lines.append(f"{name} = " + TEMPLATES[op].format(*operands))
        available.append(name)
        unused.append(name)
    joins = [o for o in ops if o in BINARY] or ["add"]
    while len(unused) > 1:
        a, b = unused.pop(0), unused.pop(0)
        name = STEP_NAMES[len(lines)]
        lines.append(f"{name} = " + TEMPLATES[rng.choice(joins)].format(a, b))
        unused.append(name)
    last = lines.pop()
    lines.append("L" + last[last.index(" =") :])
    return "; ".join(lines), settings


def _acceptable(root: Value) -> bool:
    root.backward()
    order = topological_order(root)
    if 2 * sum(v.grad == 0 for v in order) > len(order):
        return False  # mostly dead (ReLU off, max routing away): little to work out
    for v in order:
        if not (math.isfinite(v.data) and math.isfinite(v.grad)) or abs(v.data) > 200:
            return False
        if abs(v.grad) > 1000 or 0 < abs(v.grad) < 1e-3:
            return False  # too big, or so small a hand calculation rounds it away
        name = v.op
        inputs = [p.data for p in v.parents]
        if name in ("relu", "leaky_relu", "elu", "abs") and inputs[0] == 0:
            return False  # a kink: the derivative there is a convention, not arithmetic
        if name in ("max", "min") and len(set(inputs)) < len(inputs):
            return False  # a tie
        if name in ("log", "log2", "sqrt") and inputs[0] <= 0:
            return False
        if name in ("tanh", "sigmoid", "exp") and abs(inputs[0]) > 2:
            return False  # saturated: every derivative below it is almost 0
    for v in order:
        v.grad = 0.0  # the quiz computes its own answers; leave the graph as built
    return True


def random_exercise(
    seed: int | None = None, ops: str | Sequence[str] | None = None, size: str = "small"
) -> Exercise:
    """A random expression graph over ``ops`` (registry names) with small inputs.

    ``size`` is ``small`` (3 ops on 2 inputs, plus joins) or ``medium`` (6 ops on 3).
    Without ``seed`` one is drawn, and kept in the result so the exercise can be replayed.

    Example:
        >>> e = random_exercise(seed=1, ops="mul,add")
        >>> "L = " in e.source and set(e.settings) <= {"x", "y"}
        True
        >>> all(v * 10 == int(v * 10) for v in e.settings.values())  # one decimal at most
        True
    """
    if size not in SIZES:
        raise ValueError(f"--size must be one of {', '.join(SIZES)}, got {size!r}")
    if seed is None:
        seed = random.SystemRandom().randrange(10_000)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__} {seed!r}")
    names = parse_ops(ops)
    n_ops, n_inputs = SIZES[size]
    rng = random.Random(seed)
    for _ in range(MAX_DRAWS):
        source, settings = _draft(rng, names, n_ops, n_inputs)
        program = build(source, settings)
        if _acceptable(program.root):
            return Exercise(source, settings, seed, program)
    raise ValueError(
        f"no exercise with ops {', '.join(names)} stays finite and free of kinks "
        f"after {MAX_DRAWS} draws; add ops such as add or mul"
    )
