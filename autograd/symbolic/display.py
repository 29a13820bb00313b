"""Symbolic results shown as people write them: indicators as ``1{...}`` and ``\\mathbb{1}[...]``.

sympy prints an indicator as ``Piecewise((1, z2 > z1), (0, True))``; the step
tables, the drawings and the LaTeX writer show it as the homework does.
"""

from __future__ import annotations

from typing import Any

from autograd.symbolic.backend import require_sympy


def _indicator_condition(sp: Any, expr: Any) -> Any:
    """The condition of ``Piecewise((1, cond), (0, True))``, else None."""
    if isinstance(expr, sp.Piecewise) and len(expr.args) == 2:
        (one, cond), (zero, otherwise) = expr.args
        if one == 1 and zero == 0 and otherwise == sp.true:
            return cond
    return None


def _split_indicators(sp: Any, expr: Any) -> Any:
    """``Piecewise((a, cond), (0, True))`` as the product ``a * 1{cond}``."""

    def is_gated(e: Any) -> bool:
        return (
            isinstance(e, sp.Piecewise)
            and len(e.args) == 2
            and e.args[1][0] == 0
            and e.args[1][1] == sp.true
            and e.args[0][0] != 1
        )

    def split(e: Any) -> Any:
        value, cond = e.args[0]
        return sp.Mul(value, sp.Piecewise((1, cond), (0, True)), evaluate=False)

    return sp.sympify(expr).replace(is_gated, split)


def _condition_parts(sp: Any, cond: Any) -> list[Any]:
    return list(cond.args) if isinstance(cond, sp.And) else [cond]


def display_text(expr: Any) -> str:
    """``expr`` as text for people: indicators as ``1{w x > 1}``, not ``Piecewise``.

    Inside an indicator a product is written as juxtaposition and the parts of
    a conjunction are separated by commas; the rest is sympy's ``str``.
    :func:`autograd.symbolic.closed_form.parse_closed_form` reads the result back.

    Example:
        >>> import sympy
        >>> w, x, d = sympy.symbols("w x d")
        >>> display_text(d * sympy.Piecewise((1, w * x > 1), (0, True)))
        'd*1{w x > 1}'
        >>> display_text(sympy.Piecewise((1, sympy.And(x >= w, x > d)), (0, True)))
        '1{w <= x, d < x}'
        >>> display_text(sympy.Piecewise((w * x - 1, w * x > 1), (0, True)))  # relu's value
        '(w*x - 1)*1{w x > 1}'
    """
    import re

    sp = require_sympy()
    from sympy.printing.str import StrPrinter

    class Printer(StrPrinter):
        def _print_Piecewise(self, e: Any) -> str:  # noqa: N802 - sympy's printer API
            cond = _indicator_condition(sp, e)
            if cond is None:  # a general Piecewise: sympy's own text
                return self._print_Basic(e)
            parts = [
                re.sub(r"(?<!\*)\*(?!\*)", " ", self._print(c)) for c in _condition_parts(sp, cond)
            ]
            return "1{" + ", ".join(parts) + "}"

    return Printer().doprint(_split_indicators(sp, expr))


def display_latex(expr: Any) -> str:
    r"""``expr`` as LaTeX with indicators as ``\mathbb{1}[w x > 1]``.

    Example:
        >>> import sympy
        >>> w, x = sympy.symbols("w x")
        >>> display_latex(2 * sympy.Piecewise((1, w * x > 1), (0, True)))
        '2 \\mathbb{1}[w x > 1]'
    """
    sp = require_sympy()
    expr = _split_indicators(sp, expr)
    # Each indicator is printed in place of a placeholder symbol, so that sympy's
    # products do not wrap it in parentheses as they would a Piecewise.
    texts: dict[str, str] = {}

    def stand_in(e: Any) -> Any:
        cond = _indicator_condition(sp, e)
        name = f"zzindicator{chr(ord('a') + len(texts) % 26) * (1 + len(texts) // 26)}zz"
        texts[name] = (
            r"\mathbb{1}[" + ", ".join(display_latex(c) for c in _condition_parts(sp, cond)) + "]"
        )
        return sp.Symbol(name)

    replaced = expr.replace(lambda e: _indicator_condition(sp, e) is not None, stand_in)
    out = sp.latex(replaced)
    for name, text in texts.items():
        out = out.replace(name, text)
    return out
