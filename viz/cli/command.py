"""The ``chalkgrad`` command: draw an expression, print its backward steps, run demos.

Usage::

    chalkgrad draw "z = w*x + b; L = (y - exp(z))**2 / 2" --set w=2 x=-1 b=0.5 y=1 -o graph.svg
    chalkgrad steps "L = (w*x - 1)**2" --set w=2 x=3 --html steps.html
    chalkgrad steps "L = (w*x - 1)**2" --set w=2 x=3 --latex            # align* derivation
    chalkgrad check "L = (w*x - 1)**2" --grad w="2*x*(w*x - 1)" --set w=2 x=3
    chalkgrad quiz "L = (w*x - 1)**2" --set w=2 x=3    # backprop by hand, checked
    chalkgrad quiz --random --seed 7                    # a made-up exercise
    chalkgrad demo                      # list the demos
    chalkgrad demo funky-conv1d --out out/

Exit status: 0 on success, 2 for a bad command line or expression (one line on
stderr, with line and column) or an input past one of the limits of
:mod:`autograd.limits`, 1 when rendering or a demo fails, 130 when stopped with Ctrl-C
(one line, no traceback). ``check`` prints a line for every claim and exits 2 when any
claim was refused (or on a usage error), else 1 when any is wrong, else 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext

from autograd.limits import LimitError, time_limit
from viz.cli import options
from viz.cli.check import add_check_parser, command_check
from viz.cli.demo import add_demo_parser, command_demo
from viz.cli.draw import add_draw_parser, command_draw
from viz.cli.options import CommandError, Parser
from viz.cli.quiz import QuizCommandError, add_practice_options, add_quiz_parser, command_quiz
from viz.cli.steps import add_steps_parser, command_steps
from viz.expression import ExpressionError

INTERRUPTED = 130  # 128 + SIGINT, what shells report for a command stopped by Ctrl-C


def make_parser() -> argparse.ArgumentParser:
    """The ``chalkgrad`` parser: one subcommand per module of ``viz.cli``."""
    parser = Parser(
        prog="chalkgrad",
        description="Draw computation graphs with data and gradients, step through backprop.",
    )
    sub = parser.add_subparsers(dest="command", metavar="{draw,steps,check,quiz,demo}")
    draw = add_draw_parser(sub)
    steps = add_steps_parser(sub)
    add_check_parser(sub)
    add_practice_options(draw, steps)
    add_quiz_parser(sub)
    add_demo_parser(sub)
    return parser


def _exact_work_budget(args: argparse.Namespace) -> AbstractContextManager:
    """A time limit on commands that run sympy (``--symbolic``): its simplify has no bound
    of its own. ``check`` limits each claim itself, so one slow claim leaves the others
    their verdicts; other commands have their own limits (layout timeout)."""
    if args.command != "check" and getattr(args, "symbolic", None):
        return time_limit(
            options.SYMBOLIC_SECONDS,
            "the symbolic work (sympy)",
            "viz.cli.options.SYMBOLIC_SECONDS; keep fewer inputs symbolic",
        )
    return nullcontext()


def check_environment() -> None:
    """Refuse a bad environment variable before any work, in one line (exit status 2).

    ``CHALKGRAD_RENDER_TIMEOUT`` must be seconds in (0, 86400]; ``CHALKGRAD_DOT`` a
    program that exists; ``COLUMNS``, when set, a width from 1 to 10000.

    Example:
        >>> check_environment()  # the test environment is a good one
    """
    from viz.writers.graphviz_run import layout_timeout

    layout_timeout()
    program = os.environ.get("CHALKGRAD_DOT", "").strip()
    if program and shutil.which(program) is None:
        raise ValueError(f"CHALKGRAD_DOT={program!r}: no such program (unset it to use dot)")
    columns = os.environ.get("COLUMNS", "").strip()
    if columns and not (columns.isdigit() and columns.isascii() and 1 <= int(columns) <= 10000):
        raise ValueError(f"COLUMNS must be a width from 1 to 10000, got {columns!r}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``chalkgrad`` command line; returns the exit status.

    Example:
        >>> main(["draw", "y = x*x", "--set", "x=-3.5"])
        node  op    data  grad
        x     leaf  -3.5    -7
        y     *     12.25    1
        0
    """
    parser = make_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as stop:  # argparse already printed usage and the error
        return stop.code if isinstance(stop.code, int) else 2
    commands = {
        "draw": command_draw,
        "steps": command_steps,
        "check": command_check,
        "demo": command_demo,
        "quiz": command_quiz,
    }
    if args.command is None:
        parser.print_help()
        return 2
    try:
        check_environment()
    except ValueError as error:
        print(f"chalkgrad {args.command}: error: {error}", file=sys.stderr)
        return 2
    try:
        with _exact_work_budget(args):
            return commands[args.command](args)
    except KeyboardInterrupt:  # Ctrl-C: stop quietly, with the shell's status for SIGINT
        print(f"\nchalkgrad {args.command}: interrupted", file=sys.stderr)
        return INTERRUPTED
    except LimitError as error:  # an input past one of autograd.limits: one line
        print(f"chalkgrad {args.command}: error: {error}", file=sys.stderr)
        return 2
    except ExpressionError as error:
        print(f"chalkgrad {args.command}: error: {error}", file=sys.stderr)
        return 2
    except CommandError as error:
        print(f"chalkgrad {args.command}: error: {error}", file=sys.stderr)
        return error.status
    except QuizCommandError as error:
        print(f"chalkgrad {args.command}: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (``chalkgrad steps ... | head``): stop quietly, as Unix
        # tools do, and keep Python from complaining when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (OSError, RuntimeError, ValueError) as error:
        print(f"chalkgrad {args.command}: error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
