"""Escaping user text for DOT: HTML-like labels, record fields and quoted strings.

Labels come from users (``Value(1.0, label=...)``) and from the expression
language, so a quote, ``<``, ``{`` or newline in a label must never end a label
early or add markup to the picture. Every drawn label goes through one of these.
"""

from __future__ import annotations

# Graphviz expands \N, \G, \E (node, graph, edge name) even in HTML-like text, after
# decoding entities, so a backslash is written doubled: Graphviz reads \\ as one \.
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "\\": "\\\\"}
_RECORD_SPECIAL = set('\\{}|<>"')


def _printable(text: str) -> str:
    # Control characters other than newline have no place in a picture.
    return "".join(ch for ch in text if ch == "\n" or ch >= " " and ch != "\x7f")


def escape_html(text: object) -> str:
    """Text made safe inside a Graphviz HTML-like label; newlines become ``<BR/>``.

    A backslash is doubled, so ``C:\\Users\\Nina`` draws as typed instead of
    Graphviz reading ``\\N`` as the node's name.

    Example:
        >>> escape_html('a<b> & "c"\\nd')
        'a&lt;b&gt; &amp; &quot;c&quot;<BR/>d'
        >>> print(escape_html("C:\\\\Users\\\\Nina"))
        C:\\\\Users\\\\Nina
    """
    out = "".join(_HTML.get(ch, ch) for ch in _printable(str(text)))
    return out.replace("\n", "<BR/>")


def escape_record(text: object) -> str:
    """Text made safe inside one field of a DOT ``record`` label.

    Example:
        >>> escape_record("{a|b}")
        '\\\\{a\\\\|b\\\\}'
    """
    out = []
    for ch in _printable(str(text)):
        if ch in _RECORD_SPECIAL:
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        else:
            out.append(ch)
    return "".join(out)


def quote_dot(text: object) -> str:
    """A double-quoted DOT string holding ``text`` literally (no ``\\N``-style escapes).

    Example:
        >>> quote_dot('say "hi"')
        '"say \\\\"hi\\\\""'
    """
    body = _printable(str(text)).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{body}"'
