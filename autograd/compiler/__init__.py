"""Compiled steps: trace a step once, then replay it over numpy arrays.

``trace`` records and checks a call, ``replay`` runs the recorded plan, ``groups`` batches
nodes of one op, ``banks`` keeps a compiled step's parameters in two float arrays, and ``place``
reads and writes a list of Values in bulk, banked or not.
"""

from autograd.compiler.trace import Compiled, Replayed, TraceMismatchError, compile

__all__ = ["compile", "Compiled", "Replayed", "TraceMismatchError"]
