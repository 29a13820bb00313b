"""The practice parts of the ``chalkgrad`` command: ``quiz``, ``steps --quiz``, worksheets.

``chalkgrad quiz EXPR --set ...`` asks for each gradient on the terminal (answers
from standard input, so it works piped); ``--random`` makes up the exercise;
``--html FILE`` writes the practice page instead. ``chalkgrad draw ... --blank
grad`` draws a worksheet and ``--answers FILE`` writes its key.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from autograd import Value
from viz.cli.options import add_settings
from viz.expression import Program
from viz.files import write_atomic
from viz.practice.quiz import QuizTooBigError, count_blanks

ANSWER_TABLES = ("txt", "md", "csv")


class QuizCommandError(Exception):
    """A one-line command-line error (the caller turns it into exit status 2)."""


def add_quiz_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``chalkgrad quiz`` to the command's subparsers.

    Example:
        >>> p = argparse.ArgumentParser(); s = p.add_subparsers(dest="command")
        >>> args = p.parse_args(["quiz", "--random", "--seed", "3"]) if add_quiz_parser(s) else 0
        >>> args.random, args.seed, args.expression
        (True, 3, None)
    """
    quiz = sub.add_parser(
        "quiz",
        help="backprop by hand: asks for each gradient, checks the answers",
        description="Asks for each gradient in reverse topological order; answers come from "
        "standard input (a number or arithmetic such as 2*3 - 1; h for a hint). "
        "Ends with 'score: K/N'.",
    )
    quiz.add_argument(
        "expression",
        metavar="EXPR",
        nargs="?",
        help='statements separated by ";" as for draw, e.g. "L = (w*x - 1)**2"',
    )
    add_settings(quiz, "input values, e.g. --set w=2 x=3")
    quiz.add_argument(
        "--random",
        action="store_true",
        help="make up an exercise from the registry's ops instead of EXPR",
    )
    quiz.add_argument(
        "--seed",
        type=int,
        default=None,
        help="with --random: the same seed gives the same exercise",
    )
    quiz.add_argument(
        "--ops",
        metavar="OPS",
        default=None,
        help="with --random: registry ops to use, e.g. mul,add,tanh "
        "(default: add,sub,mul,pow,relu,max,tanh)",
    )
    quiz.add_argument(
        "--size",
        choices=("small", "medium"),
        default=None,
        help="with --random: small (3 ops) or medium (6 ops); default small",
    )
    quiz.add_argument("--precision", type=int, default=4, help="significant figures (default: 4)")
    quiz.add_argument(
        "--html", metavar="FILE", help="write the practice page to FILE instead of asking here"
    )
    quiz.add_argument(
        "--forward",
        action="store_true",
        help="ask for the computed values first, then the gradients",
    )
    quiz.add_argument(
        "--root",
        metavar="NAME",
        default=None,
        help="quiz only the part of the graph below the node NAME (an assigned name)",
    )
    return quiz


def add_practice_options(draw: argparse.ArgumentParser, steps: argparse.ArgumentParser) -> None:
    """``draw --blank/--answers`` and ``steps --quiz/--forward``.

    Example:
        >>> d, s = argparse.ArgumentParser(), argparse.ArgumentParser()
        >>> add_practice_options(d, s)
        >>> d.parse_args(["--blank", "grad", "--blank", "data"]).blank
        ['grad', 'data']
    """
    draw.add_argument(
        "--blank",
        action="append",
        choices=("grad", "data"),
        default=None,
        help="worksheet: draw these cells empty to fill in (repeatable)",
    )
    draw.add_argument(
        "--answers",
        metavar="FILE",
        help="write the key: a picture (.svg .png .pdf .dot .gv) with every "
        "number, or a table (.txt .md .csv)",
    )
    steps.add_argument(
        "--quiz",
        metavar="FILE",
        help="also write the practice page: gradients hidden, checked as you go",
    )
    steps.add_argument(
        "--forward",
        action="store_true",
        help="with --quiz: values hidden too, filled in left to right first",
    )


def check_answers_path(path: str) -> None:
    """Refuse an ``--answers`` path before any work.

    Example:
        >>> check_answers_path("key.doc")
        Traceback (most recent call last):
        ...
        viz.cli.quiz.QuizCommandError: --answers key.doc: the suffix must be one of .svg, .png, .pdf, .dot, .gv, .tex, .txt, .md, .csv
    """
    from viz.writers.graphviz_run import FORMATS

    out = Path(path)
    allowed = FORMATS + ANSWER_TABLES
    if out.suffix.lower().lstrip(".") not in allowed:
        raise QuizCommandError(
            f"--answers {path}: the suffix must be one of " + ", ".join("." + f for f in allowed)
        )
    if not out.parent.is_dir():
        raise QuizCommandError(f"--answers {path}: folder {str(out.parent)!r} does not exist")


def write_answers(
    root: Value,
    path: str,
    table: str,
    precision: int,
    page: str | None = None,
    layout: str | None = None,
    **draw_options,
) -> Path:
    """Write the key of a worksheet: the full picture, ``table`` as text, or a CSV.

    Example:
        >>> import tempfile, os
        >>> x = Value(3.0, label="x"); y = x * -1.0; y.backward()
        >>> out = write_answers(y, os.path.join(tempfile.mkdtemp(), "k.csv"), "", 2)
        >>> print(out.read_text().strip())
        node,op,data,grad
        x,leaf,3,-1
        -1,const,-1,3
        mul#2,*,-3,1
    """
    out = Path(path)
    fmt = out.suffix.lower().lstrip(".")
    if fmt == "csv":
        import csv

        from autograd import topological_order
        from viz.numbers import format_number
        from viz.practice.quiz import display_names

        order = topological_order(root)
        names = display_names(order)
        number = lambda x: format_number(x, precision)  # ASCII: spreadsheets read it back
        rows = io.StringIO(newline="")  # all rows first, then one atomic write
        writer = csv.writer(rows, lineterminator="\n")
        writer.writerow(["node", "op", "data", "grad"])
        for v in order:
            kind = "leaf" if v.label is not None else "const"
            writer.writerow(
                [names[id(v)], v.primitive.symbol or kind, number(v.data), number(v.grad)]
            )
        write_atomic(out, rows.getvalue())
    elif fmt in ANSWER_TABLES:
        write_atomic(out, table + "\n")
    else:
        from viz.drawing import draw
        from viz.output import render

        render(draw(root, precision=precision, **draw_options), out, page=page, layout=layout)
    return out


def build_quiz_graph(args: argparse.Namespace) -> tuple[Value, Program]:
    """The graph of ``chalkgrad quiz``: EXPR with --set, or a random exercise (printed)."""
    from viz.expression import build, parse_settings
    from viz.practice.exercises import random_exercise

    if not 1 <= args.precision <= 17:
        raise QuizCommandError(
            f"--precision (significant figures) must be in 1..17, got {args.precision}"
        )
    if args.random:
        if args.expression is not None or args.settings:
            raise QuizCommandError("give either EXPR (with --set) or --random, not both")
        try:
            exercise = random_exercise(args.seed, args.ops, args.size or "small")
        except ValueError as error:
            raise QuizCommandError(str(error)) from None
        replay = f"chalkgrad quiz --random --seed {exercise.seed}"
        replay += f" --ops {args.ops}" if args.ops else ""
        replay += f" --size {args.size}" if args.size else ""
        print(f"random exercise, seed {exercise.seed} (replay: {replay})")
        return _pick_root(exercise.program, args.root), exercise.program
    for option in ("seed", "ops", "size"):
        if getattr(args, option) is not None:
            raise QuizCommandError(f"--{option} goes with --random")
    if args.expression is None:
        raise QuizCommandError(
            'give an expression, e.g. chalkgrad quiz "L = (w*x - 1)**2" --set w=2 x=3, or --random'
        )
    program = build(args.expression, parse_settings(args.settings))
    return _pick_root(program, args.root), program


def _pick_root(program: Program, name: str | None) -> Value:
    if name is None:
        return program.root
    computed = [n for n, v in program.names.items() if v.parents]
    if name not in program.names:
        raise QuizCommandError(
            f"--root {name}: no node of the expression has that name (named nodes: "
            f"{', '.join(computed) or 'none'})"
        )
    return program.names[name]


def too_big(error: QuizTooBigError, program: Program | None) -> QuizCommandError:
    """The one-line refusal of a graph too big to quiz, naming a part that fits.

    Example:
        >>> from viz.expression import build
        >>> p = build("a = tanh(x); b = tanh(a); L = b * b", {"x": 1})
        >>> str(too_big(QuizTooBigError("3 blanks", count=3, limit=2), p))
        '3 blanks to fill in are more than a quiz asks for (2): quiz a part with --root NAME, e.g. --root b (2 blanks)'
    """
    message = f"{error.count} blanks to fill in are more than a quiz asks for ({error.limit})"
    fits = []
    for name, v in program.names.items() if program is not None else []:
        if v.parents and v is not program.root:
            blanks = count_blanks(v)
            if blanks <= error.limit:
                fits.append((blanks, name))
    if not fits:
        return QuizCommandError(
            message + ": write a smaller expression, or quiz it in Python "
            "with make_quiz(node, max_questions=...)"
        )
    blanks, name = max(fits)
    return QuizCommandError(
        f"{message}: quiz a part with --root NAME, e.g. --root {name} ({blanks} blanks)"
    )


def command_quiz(args: argparse.Namespace) -> int:
    """``chalkgrad quiz``: the terminal quiz (or ``--html`` page); exit status 0.

    Example:
        >>> import io, contextlib
        >>> parser = argparse.ArgumentParser(); add_quiz_parser(parser.add_subparsers())
        ... # doctest: +ELLIPSIS
        ArgumentParser(...)
        >>> args = parser.parse_args(["quiz", "y = 2*x", "--set", "x=1"])
        >>> sys.stdin = io.StringIO("2\\n"); command_quiz(args); sys.stdin = sys.__stdin__
        y = 2 * x with x = 1, y = 2; seed ∂y/∂y = 1
        ∂y/∂x = ? 2
          right: ∂y/∂x = 2
        score: 1/1
        0
    """
    from viz.practice.quiz import make_quiz, run_quiz

    if args.html:
        _check_folder("--html", args.html)
    root, program = build_quiz_graph(args)
    try:
        if args.html:
            from viz.pages.practice_page import quiz_html

            out = quiz_html(root, args.html, precision=args.precision, forward=args.forward)
            print(f"wrote {out}")
            return 0
        quiz = make_quiz(root, precision=args.precision, forward=args.forward)
    except QuizTooBigError as error:
        raise too_big(error, program) from None
    except ValueError as error:  # e.g. an output that is not computed from anything
        raise QuizCommandError(str(error)) from None
    run_quiz(quiz, sys.stdin, sys.stdout)
    return 0


def write_steps_quiz(
    program: Program, path: str, precision: int, seed: float, forward: bool
) -> Path:
    """``chalkgrad steps ... --quiz FILE``: the practice page of the same graph."""
    from viz.pages.practice_page import quiz_html

    _check_folder("--quiz", path)
    try:
        return quiz_html(program.root, path, precision=precision, seed=seed, forward=forward)
    except QuizTooBigError as error:
        failure = too_big(error, program)
        raise QuizCommandError(
            str(failure).replace("--root NAME", "chalkgrad quiz ... --root NAME --html FILE")
        ) from None
    except ValueError as error:
        raise QuizCommandError(str(error)) from None


def _check_folder(option: str, path: str) -> None:
    folder = Path(path).parent
    if not folder.is_dir():
        raise QuizCommandError(f"{option} {path}: folder {str(folder)!r} does not exist")
