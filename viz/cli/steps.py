"""``chalkgrad steps``: print the backward pass step by step, or write it as LaTeX or a page."""

from __future__ import annotations

import argparse
from pathlib import Path

from viz.cli.options import (
    CommandError,
    build_program,
    check_html,
    expression_options,
    symbols_of,
    write_latex,
)
from viz.cli.quiz import write_steps_quiz


def add_steps_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``chalkgrad steps`` to the command's subparsers."""
    steps = sub.add_parser("steps", help="print the backward pass step by step")
    expression_options(steps)
    steps.add_argument("--html", metavar="FILE", help="also write the step-through page")
    steps.add_argument("--seed", type=float, default=1.0, help="gradient seeded at the output")
    steps.add_argument(
        "--latex",
        nargs="?",
        const="-",
        metavar="FILE",
        help="print the backward pass as a LaTeX align* derivation instead of "
        "the table; with FILE, write a document pdflatex compiles",
    )
    return steps


def command_steps(args: argparse.Namespace) -> int:
    """``chalkgrad steps``: print the backward steps; write ``--html`` if given.

    Example:
        >>> from viz.cli.command import make_parser
        >>> command_steps(make_parser().parse_args(["steps", "y = x*x", "--set", "x=3"]))
        ... # doctest: +ELLIPSIS
        backward from y (seed ∂y/∂y = 1), 2 steps
        ...
          ∂y/∂x = ∂(x * x)/∂x + ∂(x * x)/∂x = 1 · 3 + 1 · 3 = 6
        0
    """
    from viz.steps import print_steps

    check_html(args.html)
    if args.forward and not args.quiz:
        raise CommandError("--forward goes with --quiz FILE (the practice page)")
    if args.quiz and not Path(args.quiz).parent.is_dir():
        raise CommandError(
            f"--quiz {args.quiz}: folder {str(Path(args.quiz).parent)!r} does not exist"
        )
    program = build_program(args)
    symbols = symbols_of(args, program)
    if args.latex is not None:
        from viz.writers.latex import latex_document, steps_latex

        text = steps_latex(program.root, seed=args.seed, precision=args.precision)
        write_latex(args.latex, text, latex_document)
    else:
        print_steps(program.root, seed=args.seed, precision=args.precision, symbols=symbols)
    if args.html:
        from viz.pages.stepper import stepper_html

        out = stepper_html(program.root, args.html, precision=args.precision, seed=args.seed)
        print(f"wrote {out}")
    if args.quiz:
        out = write_steps_quiz(program, args.quiz, args.precision, args.seed, args.forward)
        print(f"wrote {out}")
    return 0
