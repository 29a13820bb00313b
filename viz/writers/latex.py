r"""LaTeX for answer keys: names in math mode, the backward pass as an ``align*`` derivation.

:func:`latex_name` writes a node name the way a homework does (``w_1`` for
``w1``, ``x_{0,2}`` for ``x[0,2]``, ``\sigma`` for ``sigma``);
:func:`latex_math` and :func:`latex_text` turn a label or registry formula
(``2·a^(2-1)``, ``∂L/∂z``, ``1{a is the first maximum}``) into LaTeX, math mode
or text with math inside. :func:`steps_latex` writes every gradient of a
backward pass as its chain-rule sum, the local derivatives, then the numbers.
Everything is escaped: no label can break the document.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from autograd import Value
from viz.numbers import format_number
from viz.writers.tex_text import (
    CARET,
    MAX_LABEL,
    MAX_NAME,
    PREAMBLE_PACKAGES,
    shorten,
    superscripts,
    tex_unicode,
)
from viz.writers.tex_text import (
    GREEK as GREEK_LETTERS,
)

GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega",
}  # fmt: skip
# Characters the drawings use, as math-mode LaTeX.
SYMBOLS = {
    "∂": r"\partial ", "σ": r"\sigma ", "Σ": r"\Sigma ", "·": r"\cdot ", "×": r"\times ",
    "→": r"\to ", "←": r"\leftarrow ", "…": r"\ldots ", "²": "^{2}", "³": "^{3}",
    "√": r"\sqrt ", "∞": r"\infty ", "≤": r"\le ", "≥": r"\ge ", "≠": r"\ne ", "−": "-",
    "δ": r"\delta ", "α": r"\alpha ", "β": r"\beta ", "η": r"\eta ", "∇": r"\nabla ",
    "⊙": r"\odot ", "∘": r"\circ ", "—": r"\text{---}", "–": r"\text{--}", "ε": r"\varepsilon ",
    "λ": r"\lambda ", "μ": r"\mu ", "τ": r"\tau ", "θ": r"\theta ", "π": r"\pi ",
}  # fmt: skip
_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "%": r"\%", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
}  # fmt: skip
_MATH_ESCAPES = {"{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "%": r"\%",
                 "_": r"\_", "~": r"\sim ", "\\": r"\backslash ", "^": CARET}  # fmt: skip
_TOKEN = re.compile(
    r"(?P<number>(?<![\w.\]])\d+(?:\.\d+)?(?:e-?\d+)?(?![\w.]))"
    r"|(?P<name>[A-Za-z][A-Za-z0-9_.#]*(?:\[[^\[\]]*\])?)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.S,
)


def _escape(text: str, table: Mapping[str, str]) -> str:
    return "".join(table.get(c, c) for c in text)


def _mathrm(text: str) -> str:
    return r"\mathrm{" + _escape(text, _MATH_ESCAPES) + "}"


def _letter(base: str) -> str | None:
    """``x`` -> ``x``, ``sigma`` or ``σ`` -> ``\\sigma``; None for a longer word."""
    if len(base) == 1 and base.isalpha() and base.isascii():
        return base
    if base in GREEK:
        return "\\" + base
    if base in GREEK_LETTERS:
        return GREEK_LETTERS[base]
    return None


def latex_name(name: str) -> str:
    r"""A node name in math mode, subscripts as a homework writes them.

    Example:
        >>> [latex_name(n) for n in ["w", "w1", "W_hx", "x[0,2]", "sigma", "h_0[0,1]"]]
        ['w', 'w_{1}', 'W_{hx}', 'x_{0,2}', '\\sigma', 'h_{0}[0,1]']
        >>> latex_name("fc.weight[0,1]"), latex_name("mul#3"), latex_name("-2.5")
        ('\\mathrm{fc.weight}_{0,1}', '\\mathrm{mul\\#3}', '-2.5')
    """
    if re.fullmatch(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", name):
        return name
    if len(name) > MAX_NAME:  # a 3,000-character name: its start and end
        short = shorten(name)
        head, _, tail = short.partition("\u2026")
        return tex_unicode(_mathrm(head) + r"\ldots " + _mathrm(tail))
    return tex_unicode(_name(name))


def _name(name: str) -> str:
    match = re.fullmatch(r"(?P<base>[^\[\]]+)(?:\[(?P<index>[^\[\]]*)\])?", name)
    if match is None:
        return _mathrm(name)
    base, index = match.group("base"), match.group("index")
    sub = None
    parts = re.fullmatch(
        r"([A-Za-z\u0391-\u03c9]+)_?(\d+)|([A-Za-z\u0391-\u03c9]+)_([A-Za-z0-9]+)", base
    )
    if parts:
        letters, sub = (parts.group(1), parts.group(2)) if parts.group(1) else parts.group(3, 4)
        head = _letter(letters)
    else:
        head = _letter(base)
    if head is None:
        head, sub = _mathrm(base), None
    if sub is not None:
        head += "_{" + _escape(sub, _MATH_ESCAPES) + "}"
    if index is not None:
        index = _escape(index, _MATH_ESCAPES)
        head += f"[{index}]" if sub is not None else "_{" + index + "}"
    return head


def _segments(text: str) -> list[tuple[str, str]]:
    """(kind, LaTeX) pieces: ``math`` (math mode), ``word`` (text mode) or ``glue``."""
    out: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(text):
        kind, token = m.lastgroup, m.group()
        if kind == "number":
            mantissa, _, exponent = token.partition("e")  # 2.5e-5 as 2.5\times 10^{-5}
            out.append(("math", f"{mantissa}\\times 10^{{{exponent}}}" if exponent else token))
        elif kind == "name":
            is_word = token.isalpha() and _letter(token) is None  # "data", "exp", "is"
            if is_word and len(token) > MAX_NAME:
                token = shorten(token)
            out.append(("word", token) if is_word else ("math", latex_name(token)))
        elif kind == "space":
            out.append(("glue", " "))
        elif token in SYMBOLS:
            out.append(("math", SYMBOLS[token]))
        elif token in "+-*/=()[],<>^|'!:;?.":
            out.append(("glue", token))
        else:
            out.append(("glue", token))
    return out


FUNCTION_NAMES = {
    "exp": r"\exp",
    "log": r"\log",
    "tanh": r"\tanh",
    "max": r"\max",
    "min": r"\min",
    "sqrt": r"\sqrt",
    "sin": r"\sin",
    "cos": r"\cos",
}


def latex_math(text: str) -> str:
    r"""A label or formula as math-mode LaTeX (other words become ``\text{...}``).

    Example:
        >>> latex_math("2·a^(2-1)")
        '2\\cdot a^{(2-1)}'
        >>> latex_math("1{z1 is the first maximum}")
        '1\\{z_{1}\\text{ is the first maximum }\\}'
        >>> latex_math("1 - tanh(x)²")
        '1-\\tanh (x)^{2}'
    """
    text = shorten(text, 5 * MAX_LABEL)
    pieces: list[str] = []
    words: list[str] = []

    def flush() -> None:
        if words:
            pieces.append(r"\text{ " + _escape(" ".join(words), _TEXT_ESCAPES) + " }")
            words.clear()

    for kind, token in _segments(text):
        if kind == "word" and token not in FUNCTION_NAMES:
            words.append(token)
            continue
        if kind == "glue" and token == " ":
            continue
        flush()
        if kind == "word":
            pieces.append(FUNCTION_NAMES[token] + " ")
        elif kind == "glue":
            pieces.append(token if token == "^" else _MATH_ESCAPES.get(token, token))
        else:
            pieces.append(token)
    flush()
    return tex_unicode(superscripts(pieces).strip())


def latex_text(text: str) -> str:
    r"""A label as text-mode LaTeX, with names, numbers and symbols in math mode.

    Example:
        >>> latex_text("data -0.25"), latex_text("grad -2.5e-5")
        ('data $-0.25$', 'grad $-2.5\\times 10^{-5}$')
        >>> latex_text("∂L/∂w1 = 3")
        '$\\partial L/\\partial w_{1} = 3$'
        >>> latex_text("weight_ih_l0[4,1] data -0.25 & 50%")
        '$\\mathrm{weight\\_ih\\_l0}_{4,1}$ data $-0.25 \\& 50$\\%'
    """
    segments = _segments(shorten(text, MAX_LABEL))
    # A "-" right before a number is its sign: math, not text.
    for i in range(len(segments) - 1):
        if segments[i] == ("glue", "-") and segments[i + 1][0] == "math":
            segments[i] = ("math", "-")
    out: list[str] = []
    i = 0
    while i < len(segments):
        kind, token = segments[i]
        if kind != "math":
            out.append(_escape(token, _TEXT_ESCAPES) if kind == "word" or token != " " else " ")
            i += 1
            continue
        j = i  # extend the math run over glue that leads to more math
        k = i
        while k + 1 < len(segments) and segments[k + 1][0] != "word":
            k += 1
            if segments[k][0] == "math":
                j = k
        body = []
        for kind2, token2 in segments[i : j + 1]:
            if kind2 == "math" or token2 == "^":
                body.append(token2)
            else:
                body.append(" " if token2 == " " else _escape(token2, _MATH_ESCAPES))
        out.append("$" + superscripts(body).strip() + "$")
        i = j + 1
    return tex_unicode("".join(out))


def latex_number(x: float, precision: int = 4, scale: float | None = None) -> str:
    r"""A number for math mode: the printed number, ``\infty``/``\mathrm{nan}`` spelled out.

    Example:
        >>> latex_number(-0.123456), latex_number(float("-inf")), latex_number(2e-9)
        ('-0.1235', '-\\infty', '2\\times 10^{-9}')
    """
    text = format_number(x, precision, scale)
    if text in ("inf", "-inf"):
        return text.replace("inf", r"\infty")
    if text == "nan":
        return r"\mathrm{nan}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return (f"{mantissa}\\times " if mantissa != "1" else "") + f"10^{{{exponent}}}"
    return text


def _factor(text: str) -> str:
    return f"({text})" if text.startswith("-") else text


def _local(steps, s) -> str:
    r"""Step ``s``'s local derivative in LaTeX: ``\frac{\partial (w\cdot x)}{\partial w}``,
    the node's formula written from its inputs' LaTeX names (:func:`latex_name`)."""
    from viz.steps import LOCAL_FORMULA_WIDTH, value_formula

    node = s.node
    below = latex_name(s.parent_name)
    if len(value_formula(node, steps.names)) > LOCAL_FORMULA_WIDTH:
        top = latex_name(s.node_name)
        return rf"\left.\frac{{\partial {top}}}{{\partial {below}}}\right|_{{\text{{local}}}}"
    op = node.primitive
    args = [latex_name(steps.names[id(p)]) for p in node.parents]
    args = [f"({a})" if a.startswith("-") else a for a in args]
    if op.symbol in ("+", "-", "*", "/") and len(args) == 2:
        infix = r"\cdot " if op.symbol == "*" else op.symbol
        top = rf"\left({args[0]}{infix}{args[1]}\right)"
    elif op.name == "neg":
        top = rf"\left(-{args[0]}\right)"
    elif op.name == "pow" and op.params:
        top = rf"\left({args[0]}^{{{op.params[0]:g}}}\right)"
    else:
        name = FUNCTION_NAMES.get(op.name, rf"\operatorname{{{_escape(op.name, _MATH_ESCAPES)}}}")
        params = [f"{x:g}" for x in op.params]
        top = f"{name}({', '.join(args + params)})"
    return rf"\frac{{\partial {top}}}{{\partial {below}}}"


def steps_latex(
    root: Value, seed: float = 1.0, precision: int = 4, standalone: bool = False
) -> str:
    r"""The backward pass from ``root`` as an ``align*`` derivation, ready for an answer key.

    One line per node, in the order backward finishes them: its gradient as the
    chain-rule sum over its uses, the local derivatives from the registry, then
    the numbers and the total. ``standalone`` wraps it in a document that
    pdflatex compiles.

    Example:
        >>> x = Value(-3.0, label="x1"); y = x * x; y.label = "y"
        >>> print(steps_latex(y))
        \begin{align*}
        \frac{\partial y}{\partial y} &= 1 \\
        \frac{\partial y}{\partial x_{1}} &= \frac{\partial \left(x_{1}\cdot x_{1}\right)}{\partial x_{1}} + \frac{\partial \left(x_{1}\cdot x_{1}\right)}{\partial x_{1}} \\
          &= 1\cdot (x_{1}) + 1\cdot (x_{1}) \\
          &= 1\cdot (-3) + 1\cdot (-3) = -6
        \end{align*}
    """
    from viz.steps import backward_steps

    steps = backward_steps(root, seed)
    uses_of: dict[int, list] = {}  # the steps into each node, found in one pass: linear
    for s in steps:
        uses_of.setdefault(id(s.parent), []).append(s)
    names: dict[int, str] = {}

    def name(v: Value) -> str:
        if id(v) not in names:
            names[id(v)] = latex_name(steps.name(v))
        return names[id(v)]

    out = name(steps.root)
    d = lambda v: rf"\frac{{\partial {out}}}{{\partial {name(v)}}}"
    seed = latex_number(steps.seed, precision)
    upstream = lambda s: seed if s.node is steps.root else d(s.node)
    lines = [rf"{d(steps.root)} &= {seed}"]
    for v in reversed(steps.order):
        if v is steps.root or (not v.parents and v.label is None):
            continue  # constants (numbers in the expression) need no gradient
        uses = uses_of.get(id(v), [])
        if not uses:
            lines.append(rf"{d(v)} &= 0")
            continue
        # the local derivative as the derivative of the node's formula, the total as dL/dv;
        # a use by the output itself has no dL/dL factor
        symbols = " + ".join(
            _local(steps, s) if s.node is steps.root else rf"{d(s.node)}\,{_local(steps, s)}"
            for s in uses
        )
        formulas = " + ".join(rf"{upstream(s)}\cdot ({latex_math(s.formula)})" for s in uses)
        numbers = " + ".join(
            _factor(latex_number(s.upstream, precision, steps.grad_scales.get(id(s.node))))
            + r"\cdot "
            + _factor(latex_number(s.local, precision))
            for s in uses
        )
        total = latex_number(steps.grad(v), precision, steps.grad_scales.get(id(v)))
        # the formulas line says nothing new when every local derivative is a number
        plain = all(re.fullmatch(r"\(?-?[\d.]+(?:e-?\d+)?\)?", s.formula) for s in uses)
        rows = [symbols] + ([] if plain else [formulas]) + [f"{numbers} = {total}"]
        lines.append(f"{d(v)} &= " + " \\\\\n  &= ".join(rows))
    body = "\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}"
    return latex_document(body) if standalone else body


def values_latex(
    root: Value, precision: int = 4, symbols: Mapping | None = None, standalone: bool = False
) -> str:
    r"""Every named node's value and gradient as an ``align*`` (with ``symbols``: closed forms).

    Constants (numbers in the expression) are left out. With ``symbols`` (a
    mapping for ``autograd.symbolic``) each line shows the closed form, then the
    number; indicators read ``\mathbb{1}[w x > 1]``.

    Example:
        >>> w, x = Value(2.0, label="w"), Value(3.0, label="x")
        >>> L = (w * x - 1).relu(); L.label = "L"; L.backward()
        >>> print(values_latex(L, symbols={"w": "w", "x": "x"}).splitlines()[1])
        w &= 2, & \frac{\partial L}{\partial w} &= x \mathbb{1}[w x > 1] = 3 \\
    """
    from autograd import topological_order
    from viz.numbers import noise_scales
    from viz.steps import node_names

    order = topological_order(root)
    names = node_names(order)
    data_scale, grad_scale = noise_scales(order)
    result = None
    if symbols is not None:
        from autograd.symbolic import display_latex, symbolic

        result = symbolic(root, symbols)
        display = _display_with_names(result, display_latex)
    out = latex_name(names[id(root)])
    lines = []
    for v in order:
        if not v.parents and v.label is None:
            continue
        name = latex_name(names[id(v)])
        value = latex_number(v.data, precision, data_scale[id(v)])
        grad = latex_number(v.grad, precision, grad_scale[id(v)])
        if result is not None:
            value_form, grad_form = display(result.value[v]), display(result.grad[v])
            value = value if value_form in (value, name) else f"{value_form} = {value}"
            grad = grad if grad_form == grad else f"{grad_form} = {grad}"
        lines.append(rf"{name} &= {value}, & \frac{{\partial {out}}}{{\partial {name}}} &= {grad}")
    body = "\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}"
    return latex_document(body) if standalone else body


def _display_with_names(result: object, display_latex: object) -> object:
    """sympy's LaTeX of an expression, each symbol with an unusual name (``θ``, ``权重``,
    ``a^^5c``) written by :func:`latex_name` instead of as sympy would print it."""
    import sympy as sp

    stand_ins: dict = {}
    texts: dict[str, str] = {}
    for s in sorted({s for e in result.symbol_of.values() for s in e.free_symbols}, key=str):
        if not re.fullmatch(r"[A-Za-z]+[0-9]*", str(s)):
            letters = "".join(chr(ord("a") + int(d)) for d in str(len(texts)))
            stand_in = f"zzchalkgradsym{letters}zz"
            stand_ins[s] = sp.Symbol(stand_in, **s.assumptions0)
            texts[stand_in] = latex_name(str(s))

    def display(expr: object) -> str:
        from autograd.symbolic import exact

        out = display_latex(exact(expr).xreplace(stand_ins) if stand_ins else expr)
        for stand_in, text in texts.items():
            out = out.replace(stand_in, text)
        return tex_unicode(out)

    return display


def latex_document(body: str) -> str:
    r"""``body`` in a minimal article that pdflatex compiles (amsmath, amssymb).

    Example:
        >>> latex_document("$x$").splitlines()[0]
        '\\documentclass{article}'
    """
    return (
        "\\documentclass{article}\n"
        + PREAMBLE_PACKAGES
        + "\\usepackage[margin=2cm]{geometry}\n\\allowdisplaybreaks\n\\begin{document}\n"
        + f"{body}\n\\end{{document}}\n"
    )
