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
:mod:`autograd.limits`, 1 when rendering or a demo fails. ``check`` exits
0 when every claim is right, 1 when any is wrong, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import os
import pkgutil
import sys
import traceback
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from autograd import Value, topological_order
from autograd.limits import LimitError, time_limit
from viz.expression import FUNCTIONS, ExpressionError, Program, build, parse_settings
from viz.quiz_command import (
    QuizCommandError,
    add_practice_options,
    add_quiz_parser,
    check_answers_path,
    command_quiz,
    write_answers,
    write_steps_quiz,
)

SYMBOLIC_SECONDS = 10.0  # sympy's share of one command: past it, a one-line error
DEMO_PACKAGE = "demos"


class CommandError(Exception):
    """A one-line error for the user; ``status`` is the exit code.

    Example:
        >>> error = CommandError("--precision must be in 0..17, got 20")
        >>> str(error), error.status
        ('--precision must be in 0..17, got 20', 2)
    """

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """argparse, except that an expression starting with ``-`` is not taken for an option.

    argparse reads ``"-x*w"`` as an unknown option (only ``-1``-like numbers and
    arguments holding a space are let through); here an argument starting with
    one ``-`` that names no option of the command is a positional argument.
    Unknown ``--long`` options are still refused as usual.
    """

    def _parse_optional(self, arg_string: str):  # type: ignore[override]
        found = super()._parse_optional(arg_string)
        if found is None or arg_string.startswith("--"):
            return found
        # Python 3.11 returns one (action, option, ...) tuple, 3.12.7+ a list of them.
        matches = found if isinstance(found, list) else [found]
        if all(match[0] is None for match in matches):
            return None
        return found


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="chalkgrad",
        description="Draw computation graphs with data and gradients, step through backprop.",
    )
    sub = parser.add_subparsers(dest="command", metavar="{draw,steps,check,quiz,demo}")

    def expression_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "expression",
            metavar="EXPR",
            help='statements separated by ";", e.g. "z = w*x + b; L = (y - exp(z))**2 '
            '/ 2"; the last statement is the output. Numbers, names, + - * / **, '
            "unary minus and the functions " + ", ".join(sorted(FUNCTIONS)),
        )
        p.add_argument(
            "--set",
            dest="settings",
            metavar="NAME=VALUE",
            nargs="+",
            action="extend",
            default=[],
            help="input values, e.g. --set w=2 x=-1",
        )
        p.add_argument(
            "--precision",
            type=int,
            default=4,
            help="significant figures of printed numbers (default: 4)",
        )
        p.add_argument(
            "--symbolic",
            metavar="NAMES",
            default=None,
            help="comma-separated inputs kept symbolic, e.g. w,x (needs sympy)",
        )

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
    check = sub.add_parser(
        "check", help="check claimed gradients/values of an expression (exit 0 right, 1 wrong)"
    )
    check.add_argument("expression", metavar="EXPR", help='e.g. "L = (w*x - 1)**2"')
    check.add_argument(
        "--grad",
        dest="grads",
        metavar="NAME=CLAIM",
        nargs="+",
        action="extend",
        default=[],
        help="claimed dOUTPUT/dNAME: a closed form, e.g. "
        'w="2*x*(w*x - 1)", or a number at the --set point',
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
    check.add_argument(
        "--set",
        dest="settings",
        metavar="NAME=VALUE",
        nargs="+",
        action="extend",
        default=[],
        help="the point for number claims",
    )
    add_practice_options(draw, steps)
    add_quiz_parser(sub)
    demo = sub.add_parser("demo", help="list the demos, or run one")
    demo.add_argument("name", nargs="?", metavar="NAME", help="demo to run, e.g. funky-conv1d")
    demo.add_argument("--out", metavar="DIR", help="directory for the demo's pictures")
    demo.add_argument(
        "--quiz",
        action="store_true",
        help="also write a practice page (NAME.quiz.html) beside each picture",
    )
    demo.add_argument(
        "--html",
        action="store_true",
        help="also write the explorable page (NAME.html) beside each picture",
    )
    return parser


def _build(args: argparse.Namespace) -> Program:
    if not 1 <= args.precision <= 17:
        raise CommandError(
            f"--precision (significant figures) must be in 1..17, got {args.precision}"
        )
    return build(args.expression, parse_settings(args.settings))


def _symbols(args: argparse.Namespace, program: Program) -> dict[str, str] | None:
    if args.symbolic is None:
        return None
    names = [n.strip() for n in args.symbolic.split(",") if n.strip()]
    if not names:
        raise CommandError("--symbolic needs names, e.g. --symbolic w,x")
    for name in names:
        if name not in program.inputs:
            raise CommandError(
                f"--symbolic {name}: not an input of the expression (inputs: "
                f"{', '.join(program.inputs) or 'none'})"
            )
    _require_symbolic()
    return {name: name for name in names}


def _require_symbolic() -> None:
    """Check for sympy before any work, so a missing extra is one line, not a traceback."""
    try:
        from autograd.symbolic import require_sympy

        require_sympy()
    except ImportError as error:
        raise CommandError(f"--symbolic: {error}") from None


def _node_table(root: Value, precision: int, symbolic_grads: dict[int, str] | None) -> str:
    from viz.numbers import format_number, format_table, noise_scales
    from viz.steps import node_names

    order = topological_order(root)
    names = node_names(order)
    data_scale, grad_scale = noise_scales(order)
    rows = [["node", "op", "data", "grad"] + (["grad (symbolic)"] if symbolic_grads else [])]
    for v in order:
        kind = "leaf" if v.label is not None else "const"  # number literals are constants
        row = [
            names[id(v)],
            v.primitive.symbol or kind,
            format_number(v.data, precision, data_scale[id(v)]),
            format_number(v.grad, precision, grad_scale[id(v)]),
        ]
        if symbolic_grads:
            row.append(symbolic_grads.get(id(v), ""))
        rows.append(row)
    return "\n".join(format_table(rows, numeric=(2, 3)))


def _run_symbolic(root: Value, symbols: dict[str, str]) -> dict[int, str]:
    from autograd.symbolic import display_text, symbolic

    try:
        result = symbolic(root, symbols)
    except ImportError as error:  # sympy vanished after _require_symbolic: still one line
        raise CommandError(f"--symbolic: {error}") from None
    return {id(v): display_text(result.grad[v]) for v in topological_order(root)}


def _check_output(path: str) -> None:
    """Refuse a picture path before any work: a known suffix, in a folder that exists."""
    from viz.render import FORMATS

    out = Path(path)
    if out.suffix.lower().lstrip(".") not in FORMATS:
        raise CommandError(
            f"-o {path}: the suffix must be one of " + ", ".join("." + f for f in FORMATS)
        )
    if not out.parent.is_dir():
        raise CommandError(f"-o {path}: folder {str(out.parent)!r} does not exist")


def _check_html(path: str | None) -> None:
    """Refuse a page path before any work: an .html file in a folder that exists."""
    if path is None:
        return
    out = Path(path)
    if out.suffix.lower() not in (".html", ".htm"):
        raise CommandError(f"--html {path}: the page's name must end in .html")
    if not out.parent.is_dir():
        raise CommandError(f"--html {path}: folder {str(out.parent)!r} does not exist")


def command_draw(args: argparse.Namespace) -> int:
    """``chalkgrad draw``: print every node's value and gradient; write ``-o`` if given.

    Example:
        >>> command_draw(_parser().parse_args(["draw", "y = 2*x", "--set", "x=1"]))
        node  op     data  grad
        2     const     2     1
        x     leaf      1     2
        y     *         2     1
        0
    """
    from viz.draw import draw
    from viz.render import render

    if args.max_nodes < 1:
        raise CommandError(f"--max-nodes must be at least 1, got {args.max_nodes}")
    if args.output:
        _check_output(args.output)
    _check_html(args.html)
    if args.blank and not args.output:
        raise CommandError("--blank draws a worksheet: give the picture to write with -o FILE")
    if args.answers:
        check_answers_path(args.answers)
    program = _build(args)
    symbols = _symbols(args, program)
    root = program.root
    root.backward()
    symbolic_grads = _run_symbolic(root, symbols) if symbols else None
    if args.latex is not None:
        from viz.latex import latex_document, values_latex

        _write_latex(args.latex, values_latex(root, args.precision, symbols), latex_document)
    else:
        print(_node_table(root, args.precision, symbolic_grads))
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
        from viz.explore import explore_html

        print(f"wrote {explore_html(root, args.html, args.precision, max_nodes=args.max_nodes)}")
    if args.answers:
        table = _node_table(root, args.precision, symbolic_grads)
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


def command_steps(args: argparse.Namespace) -> int:
    """``chalkgrad steps``: print the backward steps; write ``--html`` if given.

    Example:
        >>> command_steps(_parser().parse_args(["steps", "y = x*x", "--set", "x=3"]))
        ... # doctest: +ELLIPSIS
        backward from y (seed ∂y/∂y = 1), 2 steps
        ...
          ∂y/∂x = ∂y/∂y · ∂y/∂x + ∂y/∂y · ∂y/∂x = 1 · 3 + 1 · 3 = 6
        0
    """
    from viz.steps import print_steps

    _check_html(args.html)
    if args.forward and not args.quiz:
        raise CommandError("--forward goes with --quiz FILE (the practice page)")
    if args.quiz and not Path(args.quiz).parent.is_dir():
        raise CommandError(
            f"--quiz {args.quiz}: folder {str(Path(args.quiz).parent)!r} does not exist"
        )
    program = _build(args)
    symbols = _symbols(args, program)
    if args.latex is not None:
        from viz.latex import latex_document, steps_latex

        text = steps_latex(program.root, seed=args.seed, precision=args.precision)
        _write_latex(args.latex, text, latex_document)
    else:
        print_steps(program.root, seed=args.seed, precision=args.precision, symbols=symbols)
    if args.html:
        from viz.stepper import stepper_html

        out = stepper_html(program.root, args.html, precision=args.precision, seed=args.seed)
        print(f"wrote {out}")
    if args.quiz:
        out = write_steps_quiz(program, args.quiz, args.precision, args.seed, args.forward)
        print(f"wrote {out}")
    return 0


def _write_latex(target: str, text: str, document: object) -> None:
    """``--latex``: print the fragment, or write ``target`` as a compilable document."""
    if target == "-":
        print(text)
        return
    out = Path(target)
    if not out.parent.is_dir():
        raise CommandError(f"--latex {target}: folder {str(out.parent)!r} does not exist")
    from viz.files import write_atomic

    write_atomic(out, document(text))
    print(f"wrote {out}")


def command_check(args: argparse.Namespace) -> int:
    """``chalkgrad check``: 0 when every claim is right, 1 when any is wrong.

    Example:
        >>> command_check(_parser().parse_args(["check", "L = (w*x - 1)**2", "--grad",
        ...     "w=2*x*(w*x - 1)", "x=2*w*(w*x - 1)"]))
        right  dL/dw = 2*x*(w*x - 1)  (symbolically)
        right  dL/dx = 2*w*(w*x - 1)  (symbolically)
        0
    """
    from viz.answer_key import ClaimError, check_claims

    try:
        program, verdicts = check_claims(
            args.expression, args.grads, args.values, parse_settings(args.settings)
        )
    except ClaimError as error:
        raise CommandError(str(error)) from None
    output = program.root.label or "output"
    for verdict in verdicts:
        print(verdict.line(output))
    return 0 if all(v.right for v in verdicts) else 1


# ------------------------------------------------------------------ demos
def _demo_title(module_name: str, origin: str | None) -> str | None:
    """TITLE read from the demo's source without importing it; None if it has none."""
    if origin and origin.endswith(".py"):
        try:
            tree = ast.parse(Path(origin).read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError):
            tree = None
        if tree is not None:
            for node in tree.body:
                if (
                    isinstance(node, ast.Assign)
                    and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)
                    and node.targets[0].id == "TITLE"
                    and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, str)
                ):
                    return node.value.value.strip().splitlines()[0] if node.value.value else ""
    module = importlib.import_module(module_name)
    title = getattr(module, "TITLE", None)
    return title.strip().splitlines()[0] if isinstance(title, str) and title.strip() else None


def find_demos(package: str | None = None) -> dict[str, tuple[str, str]]:
    """Demos as ``{command name: (module name, title)}``, found at run time.

    A demo is a module of the package with a ``TITLE`` string and a ``main``;
    ``demos/funky_conv1d.py`` is run as ``chalkgrad demo funky-conv1d``.

    Example:
        >>> isinstance(find_demos(), dict)
        True
    """
    package = package or DEMO_PACKAGE
    try:
        pkg = importlib.import_module(package)
    except ImportError:
        return {}
    found = {}
    for info in sorted(pkgutil.iter_modules(getattr(pkg, "__path__", [])), key=lambda i: i.name):
        if info.name.startswith("_") or info.ispkg:
            continue
        module_name = f"{package}.{info.name}"
        spec = getattr(info.module_finder, "find_spec", lambda *a: None)(module_name, None)
        origin = spec.origin if spec is not None else None
        try:
            title = _demo_title(module_name, origin)
        except Exception:  # a broken demo is listed, and fails loudly when run
            title = "(could not be imported)"
        if title is not None:
            found[info.name.replace("_", "-")] = (module_name, title)
    return found


def command_demo(args: argparse.Namespace) -> int:
    """``chalkgrad demo``: list the demos, or run the one named (exit status of its main).

    Example:
        >>> command_demo(_parser().parse_args(["demo", "no-such-demo"]))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        viz.cli.CommandError: unknown demo 'no-such-demo' (available: ...)
    """
    demos = find_demos()
    if args.name is None:
        if not demos:
            print(
                f"no demos found: the package {DEMO_PACKAGE!r} has no demo modules yet "
                "(a demo is a module with TITLE and main())"
            )
            return 0
        width = max(len(n) for n in demos)
        print("demos (run one with: chalkgrad demo NAME [--out DIR]):")
        for name, (_, title) in demos.items():
            print(f"  {name.ljust(width)}  {title}")
        return 0
    key = args.name.replace("_", "-")
    if key not in demos:
        known = ", ".join(demos) or "none yet"
        raise CommandError(f"unknown demo {args.name!r} (available: {known})")
    module = importlib.import_module(demos[key][0])
    run = getattr(module, "main", None)
    if not callable(run):
        raise CommandError(f"demo {key!r} has no main() function", 1)
    argv = (["--out", args.out] if args.out else []) + (["--quiz"] if args.quiz else [])
    argv += ["--html"] if args.html else []
    try:
        status = run(argv)
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BrokenPipeError:
        raise  # the reader went away (| head): main() stops quietly
    except Exception:
        traceback.print_exc()
        raise CommandError(f"demo {key!r} failed (traceback above)", 1) from None
    return int(status or 0)


def _exact_work_budget(args: argparse.Namespace) -> AbstractContextManager:
    """A time limit on commands that run sympy (``--symbolic``, ``check``): its simplify
    has no bound of its own. Other commands have their own limits (layout timeout)."""
    if args.command == "check" or getattr(args, "symbolic", None):
        return time_limit(
            SYMBOLIC_SECONDS,
            "the symbolic work (sympy)",
            "viz.cli.SYMBOLIC_SECONDS; keep fewer inputs symbolic",
        )
    return nullcontext()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``chalkgrad`` command line; returns the exit status.

    Example:
        >>> main(["draw", "y = x*x", "--set", "x=-3.5"])
        node  op    data  grad
        x     leaf  -3.5    -7
        y     *     12.25    1
        0
    """
    parser = _parser()
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
        with _exact_work_budget(args):
            return commands[args.command](args)
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
