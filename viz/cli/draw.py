"""``chalkgrad draw``: print every node's value and gradient, write a picture or a page."""

from __future__ import annotations

import argparse
import sys

from viz.cli.options import (
    CommandError,
    build_program,
    check_html,
    check_output,
    expression_options,
    node_table,
    run_symbolic,
    symbols_of,
    write_latex,
)
from viz.cli.quiz import check_answers_path, write_answers


def add_draw_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``chalkgrad draw`` to the command's subparsers."""
    draw = sub.add_parser("draw", help="print every node's value and gradient, write a picture")
    expression_options(draw)
    draw.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="picture to write: .svg, .png, .pdf, .dot, .gv or .tex (TikZ) (without -o only "
        "the table is printed)",
    )
    draw.add_argument(
        "--html",
        metavar="FILE",
        help="also write the explorable page (open boxes, search, step through)",
    )
    draw.add_argument(
        "--derivatives", action="store_true", help="label each edge with its local derivative"
    )
    draw.add_argument(
        "--max-nodes",
        type=int,
        default=40,
        help="draw every scalar up to this many; above it, at most this many "
        "boxes (named tensors, time steps) (default: 40)",
    )
    draw.add_argument(
        "--latex",
        nargs="?",
        const="-",
        metavar="FILE",
        help="print every node's value and gradient (closed forms too with "
        "--symbolic) as LaTeX instead of the table; with FILE, write a "
        "document pdflatex compiles",
    )
    add_page_options(draw)
    return draw


def add_page_options(parser: argparse.ArgumentParser) -> None:
    """``--page a4|letter`` and ``--layout lr|tb|auto``: print-ready pictures.

    The values are checked by :func:`check_page_options` (a one-line error naming the
    accepted values, not argparse's usage block).

    Example:
        >>> p = argparse.ArgumentParser(); add_page_options(p)
        >>> args = p.parse_args(["--page", "A4"]); args.page, args.layout
        ('A4', None)
    """
    parser.add_argument(
        "--page",
        metavar="a4|letter",
        default=None,
        help="fit PDF and TikZ output to this paper (scaled, or split over pages with the cut "
        "marked; text never under 7 pt)",
    )
    parser.add_argument(
        "--layout",
        metavar="lr|tb|auto",
        default=None,
        help="left to right, top to bottom, or auto: the one needing the least scaling "
        "(default: auto with --page, else lr)",
    )


def check_page_options(args: argparse.Namespace) -> None:
    """Check ``--page`` and ``--layout`` (lower-casing them) before any work.

    Example:
        >>> check_page_options(argparse.Namespace(page="a5", layout=None))
        Traceback (most recent call last):
        ...
        viz.cli.options.CommandError: --page a5: the page must be one of a4, letter
    """
    from viz.writers.page import LAYOUTS, PAGES

    for option, accepted in (("page", PAGES), ("layout", LAYOUTS)):
        value = getattr(args, option, None)
        if value is None:
            continue
        if value.lower() not in accepted:
            raise CommandError(
                f"--{option} {value}: the {option} must be one of {', '.join(accepted)}"
            )
        setattr(args, option, value.lower())


def command_draw(args: argparse.Namespace) -> int:
    """``chalkgrad draw``: print every node's value and gradient; write ``-o`` if given.

    Example:
        >>> from viz.cli.command import make_parser
        >>> command_draw(make_parser().parse_args(["draw", "y = 2*x", "--set", "x=1"]))
        node  op     data  grad
        2     const     2     1
        x     leaf      1     2
        y     *         2     1
        0
    """
    from viz.drawing import draw
    from viz.output import render

    if args.page and args.output and args.output.lower().endswith((".svg", ".png", ".dot", ".gv")):
        print(
            f"note: --page fits .pdf and .tex output; {args.output} is written at full size",
            file=sys.stderr,
        )
    check_page_options(args)
    if args.max_nodes < 1:
        raise CommandError(f"--max-nodes must be at least 1, got {args.max_nodes}")
    if args.output:
        check_output(args.output)
    check_html(args.html)
    if args.blank and not args.output:
        raise CommandError("--blank draws a worksheet: give the picture to write with -o FILE")
    if args.answers:
        check_answers_path(args.answers)
    program = build_program(args)
    symbols = symbols_of(args, program)
    root = program.root
    root.backward()
    symbolic_grads = run_symbolic(root, symbols) if symbols else None
    if args.latex is not None:
        from viz.writers.latex import latex_document, values_latex

        write_latex(args.latex, values_latex(root, args.precision, symbols), latex_document)
    else:
        print(node_table(root, args.precision, symbolic_grads))
    options = dict(symbols=symbols, derivatives=args.derivatives, max_nodes=args.max_nodes)
    key_written = False
    if args.output and args.blank:
        from viz.practice.worksheet import write_worksheet

        out, key = write_worksheet(
            root,
            args.output,
            args.expression,
            blank=args.blank,
            answers=args.answers,
            page=args.page,
            layout=args.layout,
            precision=args.precision,
            **options,
        )
        print(f"wrote {out}")
        if key is not None:
            print(f"wrote {key} (the answers)")
            key_written = True
    elif args.output:
        picture = draw(root, precision=args.precision, **options)
        out = render(picture, args.output, page=args.page, layout=args.layout)
        print(f"wrote {out}")
    if args.html:
        from viz.pages.explore import explore_html

        print(f"wrote {explore_html(root, args.html, args.precision, max_nodes=args.max_nodes)}")
    if args.answers and not key_written:
        table = node_table(root, args.precision, symbolic_grads)
        out = write_answers(
            root,
            args.answers,
            table,
            args.precision,
            page=args.page,
            layout=args.layout,
            **options,
        )
        print(f"wrote {out} (the answers)")
    return 0
