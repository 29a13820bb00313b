"""``chalkgrad web OUT_DIR``: build the browser playground (see :mod:`viz.pages.site`)."""

from __future__ import annotations

import argparse

from viz.cli.options import CommandError
from viz.pages.site import PYODIDE, VIZ_JS, WebBuildError, build_site, local_package


def add_web_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``chalkgrad web OUT_DIR [--pyodide DIR] [--viz DIR]`` to the command's subparsers.

    Example:
        >>> parser = argparse.ArgumentParser(prog="chalkgrad")
        >>> _ = add_web_parser(parser.add_subparsers(dest="command"))
        >>> args = parser.parse_args(["web", "site", "--viz", "node_modules/@viz-js/viz"])
        >>> args.out_dir, args.pyodide, args.viz
        ('site', None, 'node_modules/@viz-js/viz')
    """
    web = sub.add_parser(
        "web", help="build the browser playground: a static site that runs chalkgrad offline"
    )
    web.add_argument("out_dir", metavar="OUT_DIR", help="folder to write the site into")
    web.add_argument(
        "--pyodide",
        metavar="DIR",
        default=None,
        help=f"an unpacked {PYODIDE.spec} npm package to copy (default: fetched "
        "with npm once, then cached)",
    )
    web.add_argument(
        "--viz",
        metavar="DIR",
        default=None,
        help=f"an unpacked {VIZ_JS.spec} npm package to copy (default: fetched "
        "with npm once, then cached)",
    )


def command_web(args: argparse.Namespace) -> int:
    """``chalkgrad web``: build the site; a failure is one line.

    A wrong ``--pyodide``/``--viz`` folder is a usage error (exit status 2); npm failing,
    or a folder that cannot be written, exits with 1.

    Example (a wrong local copy is refused before anything is written):
        >>> import tempfile
        >>> command_web(argparse.Namespace(out_dir="site", pyodide=tempfile.mkdtemp(), viz=None))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        viz.cli.options.CommandError: --pyodide ...: no readable package.json (an unpacked pyodide package is expected)
    """
    for flag, folder, package in (
        ("--pyodide", args.pyodide, PYODIDE),
        ("--viz", args.viz, VIZ_JS),
    ):
        if folder is not None:
            try:
                local_package(folder, package, flag)
            except WebBuildError as error:
                raise CommandError(str(error)) from None
    page = build_site(args.out_dir, args.pyodide, args.viz)
    print(f"wrote {page}; serve it with: python -m http.server -d {page.parent}")
    return 0
