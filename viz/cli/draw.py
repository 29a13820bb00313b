"""``chalkgrad draw``: print every node's value and gradient, write a picture or a page."""

from __future__ import annotations

import argparse

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
    return draw


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
    if args.output:
        picture = draw(
            root,
            precision=args.precision,
            symbols=symbols,
            derivatives=args.derivatives,
            max_nodes=args.max_nodes,
            hide=args.blank or (),
        )
        out = render(picture, args.output)
        print(f"wrote {out}")
    if args.html:
        from viz.pages.explore import explore_html

        print(f"wrote {explore_html(root, args.html, args.precision, max_nodes=args.max_nodes)}")
    if args.answers:
        table = node_table(root, args.precision, symbolic_grads)
        out = write_answers(
            root,
            args.answers,
            table,
            args.precision,
            symbols=symbols,
            derivatives=args.derivatives,
            max_nodes=args.max_nodes,
        )
        print(f"wrote {out} (the answers)")
    return 0
