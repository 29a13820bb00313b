"""What the commands share: the parser class, the expression options, one-line errors,
path checks made before any work, the node table and the ``--symbolic`` and ``--latex`` helpers."""

from __future__ import annotations

import argparse
from pathlib import Path

from autograd import Value, topological_order
from viz.expression import FUNCTIONS, Program, build, parse_settings

SYMBOLIC_SECONDS = 10.0  # sympy's share of one command: past it, a one-line error


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


class Parser(argparse.ArgumentParser):
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


def add_settings(p: argparse.ArgumentParser, help: str) -> None:
    """The ``--set NAME=VALUE ...`` option (into ``args.settings``) that draw, steps,
    check and quiz share.

    Example:
        >>> p = argparse.ArgumentParser(); add_settings(p, "input values")
        >>> p.parse_args(["--set", "w=2", "x=3", "--set", "b=1"]).settings
        ['w=2', 'x=3', 'b=1']
    """
    p.add_argument(
        "--set",
        dest="settings",
        metavar="NAME=VALUE",
        nargs="+",
        action="extend",
        default=[],
        help=help,
    )


def expression_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "expression",
        metavar="EXPR",
        help='statements separated by ";", e.g. "z = w*x + b; L = (y - exp(z))**2 '
        '/ 2"; the last statement is the output. Numbers, names, + - * / **, '
        "unary minus and the functions " + ", ".join(sorted(FUNCTIONS)),
    )
    add_settings(p, "input values, e.g. --set w=2 x=-1")
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


def build_program(args: argparse.Namespace) -> Program:
    if not 1 <= args.precision <= 17:
        raise CommandError(
            f"--precision (significant figures) must be in 1..17, got {args.precision}"
        )
    return build(args.expression, parse_settings(args.settings))


def symbols_of(args: argparse.Namespace, program: Program) -> dict[str, str] | None:
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
    require_symbolic()
    return {name: name for name in names}


def require_symbolic() -> None:
    """Check for sympy before any work, so a missing extra is one line, not a traceback."""
    try:
        from autograd.symbolic import require_sympy

        require_sympy()
    except ImportError as error:
        raise CommandError(f"--symbolic: {error}") from None


def node_table(root: Value, precision: int, symbolic_grads: dict[int, str] | None) -> str:
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


def run_symbolic(root: Value, symbols: dict[str, str]) -> dict[int, str]:
    from autograd.symbolic import display_text, symbolic

    try:
        result = symbolic(root, symbols)
    except ImportError as error:  # sympy vanished after require_symbolic: still one line
        raise CommandError(f"--symbolic: {error}") from None
    return {id(v): display_text(result.grad[v]) for v in topological_order(root)}


def check_output(path: str) -> None:
    """Refuse a picture path before any work: a known suffix, in a folder that exists."""
    from viz.writers.graphviz_run import FORMATS

    out = Path(path)
    if out.suffix.lower().lstrip(".") not in FORMATS:
        raise CommandError(
            f"-o {path}: the suffix must be one of " + ", ".join("." + f for f in FORMATS)
        )
    if not out.parent.is_dir():
        raise CommandError(f"-o {path}: folder {str(out.parent)!r} does not exist")


def check_html(path: str | None) -> None:
    """Refuse a page path before any work: an .html file in a folder that exists."""
    if path is None:
        return
    out = Path(path)
    if out.suffix.lower() not in (".html", ".htm"):
        raise CommandError(f"--html {path}: the page's name must end in .html")
    if not out.parent.is_dir():
        raise CommandError(f"--html {path}: folder {str(out.parent)!r} does not exist")


def write_latex(target: str, text: str, document: object) -> None:
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
