"""The sympy backend's sin, cos, erf, log2 and π: the functions course code added (issue 25).

Mixed into :class:`autograd.symbolic.backend.SympyMath`, which supplies ``self.sp``
(sympy) and ``number`` (a number made exact, see ``exact``).
"""

from __future__ import annotations

from typing import Any


class SpecialFunctions:
    """``sin cos erf log2`` and ``pi`` over sympy, exact.

    Example:
        >>> import sympy
        >>> from autograd.symbolic.backend import SympyMath
        >>> m, x = SympyMath(), sympy.Symbol("x")
        >>> m.sin(0), m.cos(0), m.erf(x), m.log2(8), m.log2(0), m.pi
        (0, 1, erf(x), 3, -oo, pi)
    """

    sp: Any

    def number(self, x: Any) -> Any:  # pragma: no cover - SympyMath's
        raise NotImplementedError

    @property
    def pi(self) -> Any:
        return self.sp.pi

    def sin(self, x: Any) -> Any:
        return self.sp.sin(self.number(x))

    def cos(self, x: Any) -> Any:
        return self.sp.cos(self.number(x))

    def erf(self, x: Any) -> Any:
        return self.sp.erf(self.number(x))

    def log2(self, x: Any) -> Any:
        """log(x)/log(2); -oo at 0, as the float backend."""
        x = self.number(x)
        return -self.sp.oo if x == 0 else self.sp.log(x, 2)
