"""``chalkgrad check``: check claimed gradients and values of an expression."""

from __future__ import annotations

import argparse

from viz.cli.options import CommandError, add_settings
from viz.expression import parse_settings


def add_check_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``chalkgrad check`` to the command's subparsers."""
    check = sub.add_parser(
        "check",
        help="check claimed gradients/values of an expression (exit 0 right, 1 wrong, 2 refused)",
    )
    check.add_argument("expression", metavar="EXPR", help='e.g. "L = (w*x - 1)**2"')
    check.add_argument(
        "--grad",
        dest="grads",
        metavar="NAME=CLAIM",
        nargs="+",
        action="extend",
        default=[],
        help="claimed dOUTPUT/dNAME: a closed form in the inputs and any name the expression "
        'assigns, e.g. w="2*x*(w*x - 1)" or z="a - 1", or a number (inf and nan too) at the '
        "--set point",
    )
    check.add_argument(
        "--value",
        dest="values",
        metavar="[NAME=]CLAIM",
        nargs="+",
        action="extend",
        default=[],
        help="claimed value of the output (or of the node NAME)",
    )
    add_settings(check, "the point for number claims")
    return check


def command_check(args: argparse.Namespace) -> int:
    """``chalkgrad check``: a line per claim; exit 2 if any was refused, else 1 if any is wrong.

    Example:
        >>> from viz.cli.command import make_parser
        >>> command_check(make_parser().parse_args(["check", "L = (w*x - 1)**2", "--grad",
        ...     "w=2*x*(w*x - 1)", "x=2*w*(w*x - 1)"]))
        right  dL/dw = 2*x*(w*x - 1)  (symbolically)
        right  dL/dx = 2*w*(w*x - 1)  (symbolically)
        0
    """
    from viz.practice.answer_key import ClaimError, check_claims, exit_status

    try:
        program, verdicts = check_claims(
            args.expression, args.grads, args.values, parse_settings(args.settings)
        )
    except ClaimError as error:
        raise CommandError(str(error)) from None
    output = program.root.label or "output"
    for verdict in verdicts:
        print(verdict.line(output))
    return exit_status(verdicts)
