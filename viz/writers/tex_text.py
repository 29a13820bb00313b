r"""Any text made safe for pdflatex: specials, ``^^``, control characters, every script.

A label is the user's: ``x[^^5cinput^^7b/etc/passwd^^7d]`` would make TeX read a file
(TeX turns ``^^5c`` into a backslash while it reads the input, before any macro can
escape it), ``θ`` or ``权重`` would stop pdflatex with "Unicode character not set up".
The writers escape ASCII specials themselves (:mod:`viz.writers.latex`); this module
does the rest, in a way that works in text and in math mode alike:

- Greek letters become math symbols (``θ`` -> ``\ensuremath{\theta}``);
- accented Latin letters stay as written inside ``\text{...}`` (the documents load
  ``fontenc`` T1 and ``inputenc`` utf8, which set them up);
- Chinese, Japanese and Korean go through ``\chalkgradcjk{权重}{Quan Zhong}``, which the
  preamble (:data:`PREAMBLE_PACKAGES`) defines as the CJKutf8 environment when the
  ``CJKutf8`` package and its fonts are installed and as the transliteration otherwise
  (a document with another preamble shows the transliteration);
- anything else is transliterated to ASCII (``anyascii`` when installed, else the letters
  without accents, else ``U+XXXX``), and control characters are dropped;
- very long names are shortened in the middle (:func:`shorten`).
"""

from __future__ import annotations

import unicodedata

# A caret that is not a superscript is written out: a bare "^^" would let TeX read
# "^^5c" as a backslash (and so "\input") before any macro sees it.
CARET = r"\text{\textasciicircum}"
MAX_NAME = 40  # characters of one name shown; longer ones keep their start and end
MAX_LABEL = 200  # characters of one label (a line of a box)

# Greek letters as math symbols; capitals that look Latin have no command of their own.
_GREEK_SMALL = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi o pi rho "
    "varsigma sigma tau upsilon phi chi psi omega"
).split()
_GREEK_CAPITAL = (
    "A B Gamma Delta E Z H Theta I K Lambda M N Xi O Pi P - Sigma T Upsilon Phi X Psi Omega".split()
)
GREEK = {chr(0x3B1 + k): ("" if len(n) == 1 else "\\") + n for k, n in enumerate(_GREEK_SMALL)}
GREEK.update(
    {chr(0x391 + k): ("" if len(n) == 1 else "\\") + n for k, n in enumerate(_GREEK_CAPITAL)}
)
del GREEK["\u03a2"]  # a hole in the Unicode block
GREEK.update(
    {"\u03d1": r"\vartheta", "\u03d5": r"\phi", "\u03c6": r"\varphi", "\u03f5": r"\epsilon"}
)

# LaTeX's utf8 + T1 set up (nearly) all of Latin-1 and Latin Extended-A as text.
_LATIN_TEXT = {chr(c) for c in range(0xC0, 0x180)} - {"\u00d7", "\u00f7", "\u0149", "\u017f"}

PREAMBLE_PACKAGES = (
    "\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
    "\\IfFileExists{lmodern.sty}{\\usepackage{lmodern}}{}\n"
    "\\usepackage{amsmath,amssymb}\n"
    # CJK as its transliteration, unless the CJKutf8 package and its gbsn font are here
    "\\def\\chalkgradcjk#1#2{#2}\\newif\\ifchalkgradcjk\n"
    "\\IfFileExists{CJKutf8.sty}{\\IfFileExists{c70gbsn.fd}{\\chalkgradcjktrue}{}}{}\n"
    "\\ifchalkgradcjk\\usepackage{CJKutf8}"
    "\\def\\chalkgradcjk#1#2{\\begin{CJK}{UTF8}{gbsn}#1\\end{CJK}}\\fi\n"
)


def _is_cjk(ch: str) -> bool:
    c = ord(ch)
    return (
        0x2E80 <= c <= 0x9FFF  # radicals, kana, CJK ideographs
        or 0xAC00 <= c <= 0xD7AF  # Hangul
        or 0xF900 <= c <= 0xFAFF
        or 0xFF00 <= c <= 0xFFEF  # full-width forms
        or 0x20000 <= c <= 0x2FA1F
    )


def transliterate(text: str) -> str:
    """``text`` in ASCII letters, for scripts the document cannot show.

    Uses ``anyascii`` when installed (``权重`` -> ``QuanZhong``); otherwise accents are
    dropped (``ŵ`` -> ``w``) and other characters become ``U+XXXX``.

    Example:
        >>> transliteration = transliterate("Ŵ")
        >>> transliteration
        'W'
    """
    try:
        from anyascii import anyascii
    except ImportError:
        anyascii = None
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
            continue
        simple = anyascii(ch) if anyascii is not None else ""
        if not simple:
            simple = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if c.isascii() and c.isprintable()
            )
        out.append(simple or f"U+{ord(ch):04X}")
    return "".join(out)


def _ascii_text(text: str) -> str:
    """Transliterated text made safe in text mode (letters, digits and a few marks)."""
    return "".join(c if c.isalnum() or c in " .,:;+-=()[]/'!?" else " " for c in text).strip()


def tex_unicode(tex: str) -> str:
    r"""LaTeX with every non-ASCII character and control character made safe.

    ``tex`` is LaTeX that is already correct for its ASCII characters; the result
    works in text mode and in math mode.

    Example:
        >>> tex_unicode("w_{θ}"), tex_unicode("café"), tex_unicode("a\x00b")
        ('w_{\\ensuremath{\\theta}}', 'caf\\text{é}', 'ab')
        >>> tex_unicode("权重").startswith("\\text{\\ifdefined\\chalkgradcjk\\chalkgradcjk{权重}{")
        True
    """
    out: list[str] = []
    i = 0
    while i < len(tex):
        ch = tex[i]
        if ch.isascii():
            if ch in "\n\t":
                out.append(" ")  # a blank line would be a paragraph break
            elif " " <= ch < "\x7f":
                out.append(ch)
            i += 1
            continue
        if ch in GREEK:
            out.append("\\ensuremath{" + GREEK[ch] + "}")
            i += 1
            continue
        j = i
        kind = "latin" if ch in _LATIN_TEXT else "cjk" if _is_cjk(ch) else "other"
        while j < len(tex) and not tex[j].isascii() and tex[j] not in GREEK:
            here = tex[j]
            here_kind = "latin" if here in _LATIN_TEXT else "cjk" if _is_cjk(here) else "other"
            if here_kind != kind:
                break
            j += 1
        run = tex[i:j]
        if kind == "latin":
            out.append("\\text{" + run + "}")
        elif kind == "cjk":
            words = _ascii_text(" ".join(transliterate(c) for c in run))
            # self-contained: a document without our preamble shows the transliteration
            out.append(
                "\\text{\\ifdefined\\chalkgradcjk\\chalkgradcjk{"
                + run
                + "}{"
                + words
                + "}\\else "
                + words
                + "\\fi}"
            )
        else:
            printable = "".join(c for c in run if c.isprintable())
            words = _ascii_text(transliterate(printable))
            if words:
                out.append("\\text{" + words + "}")
        i = j
    return "".join(out)


def shorten(text: str, limit: int = MAX_NAME) -> str:
    """``text`` itself, or its start and end around ``…`` when longer than ``limit``.

    Example:
        >>> shorten("a" * 50 + "z", 20)
        'aaaaaaaaaaaaa…aaaaaz'
    """
    if len(text) <= limit:
        return text
    tail = max(1, limit // 3)
    return text[: limit - tail - 1] + "\u2026" + text[-tail:]


def superscripts(pieces: list[str]) -> str:
    """``^`` then ``(...)`` or one piece as a superscript; any other caret written out.

    A caret with nothing to raise (``x^``, ``x^^2``, ``2^3^4``'s second caret, a
    superscript right after another) is printed as a caret, so the result always
    compiles and never holds ``^^``.

    Example:
        >>> superscripts(["a", "^", "(", "2", "-", "1", ")"]), superscripts(["x", "^", "^", "2"])
        ('a^{(2-1)}', 'x\\\\text{\\\\textasciicircum}\\\\text{\\\\textasciicircum}2')
    """
    out: list[str] = []
    i = 0
    while i < len(pieces):
        if pieces[i] != "^":
            out.append(pieces[i])
            i += 1
            continue
        j = i + 1
        usable = (
            j < len(pieces)
            and pieces[j] not in ("^", ")", "")
            and bool(out)
            and not out[-1].startswith("^{")
            and out[-1] not in ("(", CARET)
        )
        if usable and pieces[j] == "(":
            depth = 0
            while j < len(pieces):
                depth += (pieces[j] == "(") - (pieces[j] == ")")
                if depth == 0:
                    break
                j += 1
            usable = j < len(pieces)
        if not usable:
            out.append(CARET)
            i += 1
            continue
        out.append("^{" + superscripts(pieces[i + 1 : j + 1]).strip() + "}")
        i = j + 1
    return "".join(out)
