"""Symbolic mode: closed-form values and gradients from the same op registry (sympy).

``backend`` is the sympy math backend (``display`` shows its results), ``symbolic`` walks a graph with it (``symbols``
says which node is which symbol), ``closed_form`` parses and checks closed forms as text.
"""

from autograd.symbolic.backend import (
    INSTALL_HINT,
    SHORT_DECIMAL_DIGITS,
    SympyMath,
    exact,
    require_sympy,
)
from autograd.symbolic.display import display_latex, display_text
from autograd.symbolic.symbolic import SymbolicResult, simplify_expression, symbolic
from autograd.symbolic.symbols import resolve_symbols

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
