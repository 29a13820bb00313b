"""``chalkgrad demo``: list the demos found in the ``demos`` package, or run one."""

from __future__ import annotations

import argparse
import ast
import importlib
import pkgutil
import traceback
from pathlib import Path

from viz.cli.draw import add_page_options, check_page_options
from viz.cli.options import CommandError
from viz.cli.quiz import check_answers_path

DEMO_PACKAGE = "demos"


def add_demo_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``chalkgrad demo`` to the command's subparsers."""
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
    demo.add_argument(
        "--root",
        metavar="BOX",
        help="with --quiz: practise on the part below BOX (a box or node, e.g. attn.A, h_3)",
    )
    demo.add_argument(
        "--blank",
        action="append",
        choices=("grad", "data"),
        default=None,
        help="draw each picture as a worksheet with these cells empty (repeatable)",
    )
    demo.add_argument(
        "--answers",
        metavar="FILE",
        help="with --blank: the key (.pdf with --page: every picture's key in one file)",
    )
    add_page_options(demo)
    return demo


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
        >>> from viz.cli.command import make_parser
        >>> command_demo(make_parser().parse_args(["demo", "no-such-demo"]))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        viz.cli.options.CommandError: unknown demo 'no-such-demo' (available: ...)
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
    check_page_options(args)
    if args.answers and not args.blank:
        raise CommandError("--answers writes the key of a worksheet: give --blank grad or data")
    if args.root and not args.quiz:
        raise CommandError("--root picks the part to practise on: give --quiz too")
    if args.answers:
        check_answers_path(args.answers)
    for option in ("root", "page", "layout", "answers"):
        value = getattr(args, option)
        argv += [f"--{option}", value] if value else []
    for cell in args.blank or ():
        argv += ["--blank", cell]
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
