"""Symbolic mode: closed-form values and gradients from the same op registry (sympy).

``backend`` is the sympy math backend, ``symbolic`` walks a graph with it, and
``closed_form`` parses and checks closed forms written as text (``"2*w*x"``).
"""

from autograd.symbolic.backend import (
    INSTALL_HINT,
    SHORT_DECIMAL_DIGITS,
    SympyMath,
    display_latex,
    display_text,
    exact,
    require_sympy,
)
from autograd.symbolic.symbolic import (
    SymbolicResult,
    resolve_symbols,
    simplify_expression,
    symbolic,
)

__all__ = [
    "INSTALL_HINT",
    "SHORT_DECIMAL_DIGITS",
    "SympyMath",
    "display_latex",
    "display_text",
    "exact",
    "require_sympy",
    "SymbolicResult",
    "resolve_symbols",
    "simplify_expression",
    "symbolic",
]
