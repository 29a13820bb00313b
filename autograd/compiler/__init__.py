"""Compiled steps: trace a step once, then replay it over numpy arrays.

``trace`` records and checks a call, ``replay`` runs the recorded plan, ``groups`` batches
nodes of one op, and ``banks`` keeps a compiled step's parameters in two float arrays.
"""

from autograd.compiler.trace import Compiled, Replayed, TraceMismatchError, compile

__all__ = ["compile", "Compiled", "Replayed", "TraceMismatchError"]
