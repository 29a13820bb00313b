"""The plumbing every demo shares: command line, headings, number printing, SVG output.

A demo module defines ``TITLE`` and ``main(argv)``; ``main`` calls :func:`start`
(parse ``--out``, make the folder, print the title), prints its worked answer
with :func:`heading`, :func:`show` and :func:`check`, and writes its picture
with :func:`save_graph`. Nothing else is repeated from demo to demo.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

DEFAULT_OUT = "chalkgrad-out"
_PRACTICE: dict[str, Any] = {"pages": False, "html": False}  # set by start(): save_graph
# also writes practice pages (--quiz, --root) and explorable pages (--html), print-ready PDFs
# (--page, --layout), worksheets (--blank) and their keys (--answers)
RULE = "=" * 78
PART_QUESTIONS = 200  # blanks allowed on a practice page of a part named with --root


def parse_args(argv: Sequence[str] | None, title: str) -> argparse.Namespace:
    """The demos' one option, ``--out DIR`` (default ``./chalkgrad-out``).

    Example:
        >>> parse_args(["--out", "/tmp/x"], "P0: demo").out
        '/tmp/x'
        >>> parse_args([], "P0: demo").out
        'chalkgrad-out'
    """
    parser = argparse.ArgumentParser(description=title)
    parser.add_argument(
        "--out", default=None, help=f"folder for the pictures (default: ./{DEFAULT_OUT})"
    )
    parser.add_argument(
        "--quiz",
        action="store_true",
        help="also write a practice page (NAME.quiz.html) beside each picture",
    )
    parser.add_argument(
        "--html",
        action="store_true",
        help="also write the explorable page (NAME.html) beside each picture",
    )
    parser.add_argument(
        "--root",
        metavar="BOX",
        default=None,
        help="with --quiz: practise on the part of the graph below BOX (a box or node name, "
        "e.g. attn.A or h_3)",
    )
    parser.add_argument(
        "--page",
        type=str.lower,
        choices=("a4", "letter"),
        default=None,
        help="also write each picture as a print-ready PDF (NAME.pdf) of this paper size",
    )
    parser.add_argument(
        "--layout",
        type=str.lower,
        choices=("lr", "tb", "auto"),
        default=None,
        help="left to right, top to bottom, or auto (the least scaling; default with --page)",
    )
    parser.add_argument(
        "--blank",
        action="append",
        choices=("grad", "data"),
        default=None,
        help="draw each picture as a worksheet with these cells empty (repeatable)",
    )
    parser.add_argument(
        "--answers",
        metavar="FILE",
        default=None,
        help="with --blank: write the key (.pdf with --page: every picture's key in one file)",
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.answers and not args.blank:
        parser.error("--answers writes the key of a worksheet: give --blank grad or --blank data")
    if args.root and not args.quiz:
        parser.error("--root picks the part to practise on: give --quiz too")
    args.out_given = args.out is not None
    if args.out is None:
        args.out = DEFAULT_OUT
    return args


def start(argv: Sequence[str] | None, title: str) -> Path:
    """Parse the command line, create the output folder, print the title; return the folder.

    Example:
        >>> import tempfile, os
        >>> out = start(["--out", os.path.join(tempfile.mkdtemp(), "d")], "P0: demo")
        ==============================================================================
        P0: demo
        ==============================================================================
        >>> out.is_dir()
        True
    """
    args = parse_args(argv, title)
    _PRACTICE.update(
        pages=args.quiz,
        html=args.html,
        root=args.root,
        page=args.page,
        layout=args.layout,
        blank=args.blank,
        answers=args.answers,
        title=title.strip().splitlines()[0],
        keys=[],
        key_count=0,
    )
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print(
            f"error: cannot use --out {args.out!r} as the folder for pictures: "
            f"{error.strerror or error}",
            file=sys.stderr,
        )
        raise SystemExit(2) from None
    print(RULE)
    print(title)
    print(RULE)
    if not args.out_given:
        # Say where the pictures go before a folder appears in the current one.
        print(f"(no --out given: pictures go to ./{DEFAULT_OUT}/)")
    return out


def heading(text: str) -> None:
    """Print a section heading.

    Example:
        >>> heading("Forward pass")
        <BLANKLINE>
        -- Forward pass --
    """
    print(f"\n-- {text} --")


def fmt(x: Any, digits: int = 4) -> str:
    """A number, array or Tensor rounded for printing (``-0`` shown as ``0``).

    Example:
        >>> fmt(0.12345), fmt([1.0, -0.0, 2.5]), fmt(np.eye(2), 1)
        ('0.1235', '[1, 0, 2.5]', '[[1, 0], [0, 1]]')
    """
    if hasattr(x, "values") and hasattr(x, "shape") and hasattr(x, "data"):
        x = x.data  # a Tensor
    elif hasattr(x, "data") and hasattr(x, "grad"):
        x = x.data  # a Value
    if isinstance(x, (list, tuple, np.ndarray)):
        array = np.asarray(x, dtype=float)
        if array.ndim == 0:
            return fmt(float(array), digits)
        return "[" + ", ".join(fmt(row, digits) for row in array) + "]"
    value = round(float(x), digits)
    if value == 0:
        value = 0.0
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if value == value else "nan"


def show(name: str, value: Any, digits: int = 4, note: str = "") -> None:
    """Print ``name = value`` (rounded), with an optional note.

    Example:
        >>> show("y", [0.39442, 0.30558], note="(unscaled)")
        y = [0.3944, 0.3056]  (unscaled)
    """
    print(f"{name} = {fmt(value, digits)}" + (f"  {note}" if note else ""))


def check(ok: bool, statement: str) -> bool:
    """Print a claim with a tick or a cross; returns ``ok``.

    Example:
        >>> check(1 + 1 == 2, "1 + 1 = 2")
        [ok] 1 + 1 = 2
        True
    """
    print(("[ok] " if ok else "[FAILED] ") + statement)
    return bool(ok)


def scalar(x: Any, label: str) -> Any:
    """The Value of a scalar result (a Value or a 0-d Tensor such as ``t.sum()``), labelled.

    Example:
        >>> from autograd import Tensor
        >>> total = scalar(Tensor([1.0, 2.0]).sum(), "total")
        >>> type(total).__name__, total.label, total.data
        ('Value', 'total', 3.0)
    """
    if hasattr(x, "values") and hasattr(x, "shape"):
        if x.shape != ():
            raise ValueError(f"scalar() needs a Value or a 0-d Tensor, got shape {x.shape}")
        x = x.values[()]
    x.label = label
    return x


def save_graph(roots: Any, out: Path, name: str, **draw_options: Any) -> Path:
    """Draw ``roots`` (Values/Tensors) with ``viz.draw`` and write ``out/name.svg``.

    Example:
        >>> import tempfile
        >>> from autograd import Value
        >>> y = Value(2.0, label="x") * 3; y.backward()
        >>> path = save_graph(y, Path(tempfile.mkdtemp()), "times3")  # doctest: +ELLIPSIS
        wrote .../times3.svg
        >>> path.suffix
        '.svg'
    """
    from viz import draw, render

    page, layout = _PRACTICE.get("page"), _PRACTICE.get("layout")
    worksheet = None
    if _PRACTICE.get("blank"):
        try:
            worksheet = save_worksheet(roots, out, name, **draw_options)
        except ValueError as error:  # data blanks in a collapsed picture: say so, draw it
            print(f"no worksheet for {name}: {error}; --blank grad works on every picture")
    if worksheet is not None:
        path = worksheet
    else:
        picture = draw(roots, **draw_options)
        path = render(picture, Path(out) / f"{name}.svg", page=page, layout=layout)
        print(f"wrote {path}")
        if page:
            pdf = render(picture, Path(out) / f"{name}.pdf", page=page, layout=layout)
            print(f"wrote {pdf} (print-ready, {page})")
    if _PRACTICE["pages"]:
        save_practice_page(
            roots, out, name, title=draw_options.get("title"), box=_PRACTICE.get("root")
        )
    if _PRACTICE["html"]:
        save_page(roots, out, name, title=draw_options.get("title"))
    return path


def save_worksheet(roots: Any, out: Path, name: str, **draw_options: Any) -> Path:
    """Write ``out/name.svg`` as a worksheet (``--blank``), ``out/name.pdf`` too with
    ``--page``, and its key to ``--answers`` (with ``--page`` and a ``.pdf`` key, one file
    holding the key of every picture of the demo; otherwise the second picture's key goes
    to ``KEY.NAME.suffix``, and so on).

    Example:
        >>> import tempfile
        >>> from autograd import Value
        >>> folder = Path(tempfile.mkdtemp()); _PRACTICE.update(blank=["grad"], title="P0")
        >>> y = Value(2.0, label="x") * 3; y.backward()
        >>> save_worksheet(y, folder, "times3").name  # doctest: +ELLIPSIS
        wrote .../times3.svg (the worksheet)
        'times3.svg'
        >>> _PRACTICE.update(blank=None)
    """
    from viz.practice.worksheet import write_worksheet

    options = dict(draw_options)
    title = options.pop("title", None) or _PRACTICE.get("title") or name
    page, layout = _PRACTICE.get("page"), _PRACTICE.get("layout")
    blank = _PRACTICE["blank"]
    key = _PRACTICE.get("answers")
    if key is not None and _PRACTICE.get("key_count", 0) > 0:
        if not (page and key.lower().endswith(".pdf")):
            key = str(Path(key).with_name(f"{Path(key).stem}.{name}{Path(key).suffix}"))
    kw = dict(title=title, blank=blank, page=page, layout=layout, **options)
    path, _ = write_worksheet(roots, Path(out) / f"{name}.svg", answers=None if page else key, **kw)
    print(f"wrote {path} (the worksheet)")
    if page:
        pdf, _ = write_worksheet(
            roots, Path(out) / f"{name}.pdf", answers=key, key_pages=_PRACTICE["keys"], **kw
        )
        print(f"wrote {pdf} (the worksheet, print-ready, {page})")
    if key is not None:
        _PRACTICE["key_count"] = _PRACTICE.get("key_count", 0) + 1
        print(f"wrote {key} (the answers)")
    return path


def save_page(root: Any, out: Path, name: str, title: str | None = None) -> Path | None:
    """Write ``out/name.html``, the explorable page of a one-output graph (else say why).

    Example:
        >>> import tempfile
        >>> from autograd import Value
        >>> y = Value(2.0, label="x") * 3
        >>> save_page(y, Path(tempfile.mkdtemp()), "times3")  # doctest: +ELLIPSIS
        wrote .../times3.html
        PosixPath('...times3.html')
        >>> save_page([y, y * 2], Path(tempfile.mkdtemp()), "two")  # doctest: +ELLIPSIS
        wrote .../two.html
        PosixPath('...two.html')
    """
    from viz import explore_html
    from viz.practice.parts import one_output

    try:  # a picture of several outputs: one output standing for them, Σ seed · output
        path = explore_html(one_output(root), Path(out) / f"{name}.html", title=title)
    except (TypeError, ValueError) as error:
        print(f"no page for {name}: {error}")
        return None
    print(f"wrote {path}")
    return path


def save_practice_page(
    root: Any, out: Path, name: str, title: str | None = None, box: str | None = None
) -> Path | None:
    """Write ``out/name.quiz.html``, the practice page of the graph (else say why).

    Several outputs are practised as one (``Σ seed · output``); ``box`` (``--root``)
    practises the part below a box or node of that name. A graph with too many blanks
    is refused in one line naming ``--root`` and a box that fits.

    Example:
        >>> import tempfile
        >>> from autograd import Value
        >>> y = Value(2.0, label="x") * 3
        >>> save_practice_page(y, Path(tempfile.mkdtemp()), "times3")  # doctest: +ELLIPSIS
        wrote .../times3.quiz.html
        PosixPath('...times3.quiz.html')
    """
    from viz import quiz_html
    from viz.practice.parts import one_output, part_below, part_names
    from viz.practice.quiz import MAX_QUESTIONS, QuizTooBigError, count_blanks

    try:
        target = one_output(root)
        limit = MAX_QUESTIONS
        if box is not None:
            target, element = part_below(target, box)
            title = f"{title or name}: the part below {element}"
            blanks = count_blanks(target)
            # a part asked for by name may be bigger than a whole graph is allowed to be
            limit = max(limit, blanks) if blanks <= PART_QUESTIONS else limit
            print(f"practice on {element} (of {box}): {blanks} blanks")
        path = quiz_html(
            target,
            Path(out) / f"{name}.quiz.html",
            title=f"practice: {title}" if title else None,
            max_questions=limit,
        )
    except QuizTooBigError as error:
        fits = part_names(target, error.limit)
        hint = (
            f"; e.g. --root {fits[0][0]} ({fits[0][1]} blanks)"
            if fits
            else " (no box of this picture is small enough)"
        )
        print(
            f"no practice page for {name}: {error.count} blanks are more than a quiz asks for "
            f"({error.limit}): practise on a part with chalkgrad demo NAME --quiz --root BOX" + hint
        )
        return None
    except (TypeError, ValueError) as error:
        print(f"no practice page for {name}: {error}")
        return None
    print(f"wrote {path}")
    return path


def progress(steps: int, desc: str = "training") -> Any:
    """A tqdm progress bar (on stderr) over ``range(steps)``; a plain range without tqdm.

    Example:
        >>> list(progress(2, "demo"))
        [0, 1]
    """
    try:
        from tqdm import tqdm
    except ImportError:
        print('(no progress bar: pip install "chalkgrad[demos]" for tqdm)')
        return range(steps)
    return tqdm(range(steps), desc=desc, file=sys.stderr, ncols=80)


def demo_names() -> list[str]:
    """The command names of all demos (module names with ``_`` -> ``-``), sorted.

    Example:
        >>> "funky-conv1d" in demo_names(), "common" in demo_names()
        (True, False)
    """
    import demos

    names = [m.name for m in pkgutil.iter_modules(demos.__path__) if m.name != "common"]
    return sorted(n.replace("_", "-") for n in names)


def load_demo(name: str) -> Any:
    """Import the demo module for a command name such as ``funky-conv1d``.

    Example:
        >>> load_demo("funky-conv1d").TITLE.startswith("P2")
        True
    """
    if name.replace("-", "_") == "common" or name not in demo_names():
        raise ValueError(f"no demo named {name!r}; demos: {', '.join(demo_names())}")
    return importlib.import_module("demos." + name.replace("-", "_"))
