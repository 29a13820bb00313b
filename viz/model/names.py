"""The one name each node goes by: defined in :mod:`autograd.names`, shared with viz.

Example:
    >>> from autograd import Value
    >>> display_name(Value(1.0) * 3, 4)
    'mul#4'
"""

from autograd.names import display_name, node_names

__all__ = ["display_name", "node_names"]
