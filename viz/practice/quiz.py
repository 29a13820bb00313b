"""Practice backprop by hand: the questions, hints, answer checking and the terminal quiz.

A quiz asks for ``∂L/∂v`` of every node ``v`` below the output ``L`` except the
output itself (its gradient is the seed) and the number constants. The expected
answers, and the two levels of hints, come from :func:`viz.steps.backward_steps`,
so they are the engine's own gradients and the registry's own formulas. With
``forward=True`` the values of the computed nodes are asked for first.

A node's gradient is *ready* to be worked out when the gradients of all the nodes
that use it are known: that is the order the chain rule allows.

Answers are numbers or small arithmetic (``2*3 - 1``, ``-0.5``, ``1/4``,
``2^3``), parsed against a whitelist (never ``eval``), and accepted within a
relative tolerance (1% by default: room for working with the rounded numbers shown).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO

from autograd import Tensor, Value, topological_order
from viz.model.names import node_names
from viz.numbers import factor, format_number
from viz.practice.answers import TOLERANCE, AnswerError, is_close, parse_answer
from viz.steps import BackwardSteps, backward_steps, value_formula

MAX_QUESTIONS = 80  # above this many blanks a page or terminal quiz is refused


class QuizTooBigError(ValueError):
    """The graph has more blanks (``count``) than a quiz asks for (``limit``).

    The message is one line saying how to quiz a part of the graph.
    """

    def __init__(self, message: str, count: int = 0, limit: int = 0) -> None:
        super().__init__(message)
        self.count, self.limit = count, limit


def display_names(order: list[Value]) -> dict[int, str]:
    """The name each node goes by in the quiz, the same as in the pictures and step tables.

    (The one place the quiz looks names up: pictures and quiz must agree.)

    Example:
        >>> from autograd import topological_order
        >>> x = Value(2.0, label="x"); y = x * 3
        >>> list(display_names(topological_order(y)).values())
        ['x', '3', 'mul#2']
    """
    return node_names(order)


@dataclass
class Question:
    """One blank: the gradient (``kind="grad"``) or value (``"data"``) of one node.

    ``after`` holds the indices of the questions that must be done before this
    one is ready; ``hints`` is (with names and formulas, with numbers).
    """

    index: int
    node: Value
    name: str
    kind: str
    expected: float
    prompt: str
    after: list[int]
    hints: tuple[str, str]


@dataclass
class Quiz:
    """The questions of one graph, in an order the chain rule allows.

    Example:
        >>> w, x = Value(2.0, label="w"), Value(3.0, label="x")
        >>> y = w * x; y.label = "y"
        >>> quiz = make_quiz(y)
        >>> [(q.prompt, q.expected) for q in quiz.questions]
        [('∂y/∂x', 2.0), ('∂y/∂w', 3.0)]
        >>> quiz.questions[1].hints
        ('∂y/∂w = ∂(w * x)/∂w, local: ∂(w * x)/∂w = x', '∂y/∂w = 1·3')
    """

    root: Value
    steps: BackwardSteps
    names: dict[int, str]
    questions: list[Question] = field(default_factory=list)
    precision: int = 4
    tolerance: float = TOLERANCE

    @property
    def root_name(self) -> str:
        """The output's display name."""
        return self.names[id(self.root)]

    def check(self, question: Question, text: str) -> bool:
        """Whether the typed ``text`` answers ``question`` (AnswerError if unreadable).

        Example:
            >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
            >>> quiz = make_quiz(y)
            >>> quiz.check(quiz.questions[0], "2*3"), quiz.check(quiz.questions[0], "9")
            (True, False)
        """
        return is_close(parse_answer(text), question.expected, self.tolerance)


def _is_constant(v: Value) -> bool:
    return not v.parents and v.label is None


def _grad_hints(
    steps: BackwardSteps, v: Value, out: str, name: str, precision: int
) -> tuple[str, str]:
    """(names, numbers): the total ∂L/∂v as a sum over v's uses of upstream total times
    local derivative. A local derivative is written as the derivative of the node's own
    formula, ``∂(w * x)/∂w``, never with the total's symbol; a use by the output itself
    has no ``∂L/∂L`` factor (the seed shows in the numbers)."""
    f = lambda x: factor(format_number(x, precision))
    uses = [s for s in steps if s.parent is v]
    if not uses:
        zero = f"∂{out}/∂{name} = 0: {name} is not used on the way to {out}"
        return zero, zero
    chain = " + ".join(
        steps.local(s) if s.node is steps.root else f"∂{out}/∂{s.node_name}·{steps.local(s)}"
        for s in uses
    )
    locals_ = []
    for s in uses:
        term = f"{steps.local(s)} = {s.formula}"
        if term not in locals_:
            locals_.append(term)
    numbers = " + ".join(f"{f(s.upstream)}·{f(s.local)}" for s in uses)
    return (
        f"∂{out}/∂{name} = {chain}, local: {' and '.join(locals_)}",
        f"∂{out}/∂{name} = {numbers}",
    )


def make_quiz(
    root: Value,
    seed: float = 1.0,
    forward: bool = False,
    precision: int = 4,
    tolerance: float = TOLERANCE,
    max_questions: int = MAX_QUESTIONS,
) -> Quiz:
    """The questions for ``root``'s graph: gradients in reverse topological order.

    ``forward=True`` first asks for the value of every computed node, left to right.
    A graph with more than ``max_questions`` blanks raises :class:`QuizTooBigError`.

    Example:
        >>> a = Value(2.0, label="a"); b = (a * a).exp(); b.label = "b"
        >>> [q.prompt for q in make_quiz(b, forward=True).questions]
        ['mul#1', 'b', '∂b/∂mul#1', '∂b/∂a']
    """
    if isinstance(root, Tensor) and root.size == 1:
        root = root.values.flat[0]
    if not isinstance(root, Value):
        raise TypeError(
            f"a quiz needs one scalar output (a Value or a one-element Tensor), got "
            f"{type(root).__name__}"
            + (
                f" of shape {root.shape}: reduce it first, e.g. t.sum()"
                if isinstance(root, Tensor)
                else ""
            )
        )
    if not isinstance(tolerance, int | float) or not 0 <= tolerance < 1:
        raise ValueError(f"tolerance must be a number in [0, 1), got {tolerance!r}")
    if isinstance(precision, bool) or not isinstance(precision, int) or not 1 <= precision <= 17:
        raise ValueError(
            f"precision (significant figures) must be an int in 1..17, got {precision!r}"
        )
    if not root.parents:
        raise ValueError(
            f"nothing to work out: the output {root.label or root.data!r} is a number, not "
            "computed from anything (its only gradient is the seed)"
        )
    order = topological_order(root)  # counted before any work: a big graph is refused fast
    data_nodes = [v for v in order if v.parents] if forward else []
    grad_nodes = [v for v in reversed(order) if v is not root and not _is_constant(v)]
    count = len(data_nodes) + len(grad_nodes)
    names = display_names(order)
    out = names[id(root)]
    if count > max_questions:
        raise QuizTooBigError(
            count=count,
            limit=max_questions,
            message=f"{count} blanks to fill in are more than a quiz asks for ({max_questions}): quiz a "
            f"part of the graph by passing an inner node as the output (e.g. an activation or "
            f"one output element instead of {out!r}), or raise max_questions",
        )
    steps = backward_steps(root, seed)
    quiz = Quiz(root, steps, names, precision=precision, tolerance=tolerance)
    data_index: dict[int, int] = {}
    for v in data_nodes:
        data_index[id(v)] = len(quiz.questions)
        quiz.questions.append(
            Question(
                len(quiz.questions),
                v,
                names[id(v)],
                "data",
                v.data,
                names[id(v)],
                sorted({data_index[id(p)] for p in v.parents if id(p) in data_index}),
                (
                    f"{names[id(v)]} = {value_formula(v, names)}",
                    f"{names[id(v)]} = {value_formula(v, names, True, precision)}",
                ),
            )
        )
    users: dict[int, list[Value]] = {}
    for v in order:
        for p in v.parents:
            users.setdefault(id(p), []).append(v)
    grad_index: dict[int, int] = {}
    everything_forward = list(data_index.values())
    for v in grad_nodes:
        name = names[id(v)]
        grad_index[id(v)] = len(quiz.questions)
        after = {grad_index[id(u)] for u in users.get(id(v), []) if u is not root}
        quiz.questions.append(
            Question(
                len(quiz.questions),
                v,
                name,
                "grad",
                steps.grad(v),
                f"∂{out}/∂{name}",
                sorted(after) + everything_forward,
                _grad_hints(steps, v, out, name, precision),
            )
        )
    return quiz


def count_blanks(root: Value, forward: bool = False) -> int:
    """How many blanks a quiz on ``root`` has: every gradient but the output's and constants'.

    Example:
        >>> x = Value(2.0, label="x"); y = (x * 3).exp()
        >>> count_blanks(y), count_blanks(y, forward=True)
        (2, 4)
    """
    order = topological_order(root)
    grads = sum(1 for v in order if v is not root and not _is_constant(v))
    return grads + (sum(1 for v in order if v.parents) if forward else 0)


def run_quiz(
    quiz: Quiz, stdin: TextIO | None = None, stdout: TextIO | None = None, attempts: int = 3
) -> int:
    """Ask every question on ``stdout``, read answers line by line from ``stdin``.

    ``h`` or ``?`` asks for the next hint; a wrong answer shows it too. After
    ``attempts`` wrong answers the answer is shown and the quiz goes on. At the end
    of input the remaining questions count as unanswered. Prints ``score: K/N``
    and returns K, the number answered correctly.

    Example:
        >>> import io
        >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
        >>> run_quiz(make_quiz(y), io.StringIO("5\\n6\\n"))  # doctest: +ELLIPSIS
        y = x * x with x = 3, y = 9; seed ∂y/∂y = 1
        ∂y/∂x = ? 5
          wrong. hint: ∂y/∂x = ∂(x * x)/∂x + ∂(x * x)/∂x, local: ∂(x * x)/∂x = x
        ∂y/∂x = ? 6
          right: ∂y/∂x = 6
        score: 1/1
        1
    """
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    echo = not (hasattr(stdin, "isatty") and stdin.isatty())  # piped: show what was read
    f = lambda x: format_number(x, quiz.precision)
    say = lambda text="", end="\n": print(text, end=end, file=stdout, flush=True)
    say(describe(quiz))
    score, finished = 0, False
    for q in quiz.questions:
        if finished:
            break
        hints_shown, wrong = 0, 0
        while True:
            say(f"{q.prompt} = ? ", end="")
            line = stdin.readline()
            if not line:
                say("\n(end of input)")
                finished = True
                break
            text = line.strip()
            if echo:
                say(text)
            if text in ("h", "?", "hint"):
                say(f"  hint: {q.hints[min(hints_shown, 1)]}")
                hints_shown += 1
                continue
            try:
                right = quiz.check(q, text)
            except AnswerError as error:
                say(f"  {error}")
                continue
            if right:
                score += 1
                say(f"  right: {q.prompt} = {f(q.expected)}")
                break
            wrong += 1
            if wrong >= attempts:
                say(f"  wrong. the answer: {q.prompt} = {f(q.expected)}")
                break
            say(f"  wrong. hint: {q.hints[min(hints_shown, 1)]}")
            hints_shown += 1
    say(f"score: {score}/{len(quiz.questions)}")
    return score


def describe(quiz: Quiz) -> str:
    """One line that states the exercise: each computed node's rule, the inputs, the seed.

    Example:
        >>> w, x = Value(2.0, label="w"), Value(3.0, label="x")
        >>> y = w * x; y.label = "y"
        >>> describe(make_quiz(y))
        'y = w * x with w = 2, x = 3, y = 6; seed ∂y/∂y = 1'
    """
    f = lambda x: format_number(x, quiz.precision)
    order, names = quiz.steps.order, quiz.names
    rules = "; ".join(f"{names[id(v)]} = {value_formula(v, names)}" for v in order if v.parents)
    asked = {id(q.node) for q in quiz.questions if q.kind == "data"}
    known = [
        f"{names[id(v)]} = {f(v.data)}" for v in order if not v.parents and not _is_constant(v)
    ]
    known += [
        f"{names[id(v)]} = {f(v.data)}"
        for v in order
        if v.parents and id(v) not in asked and v is quiz.root
    ]
    out = quiz.root_name
    return f"{rules} with {', '.join(known)}; seed ∂{out}/∂{out} = {f(quiz.steps.seed)}"
