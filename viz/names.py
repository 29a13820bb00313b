"""The one name each node goes by, in tables, step lines, symbolic tables and pictures.

A labelled node is called by its label (``conv.out[0,1,2]``, ``h_3[1]``, ``loss``); an
unlabelled constant by its value (``2``); any other unlabelled node by its op and its
position in the topological order (``mul#2``), so the chain-rule line that says
``mul#2`` and the box drawn for that node carry the same name.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd import Value


def display_name(v: Value, position: int) -> str:
    """The name of ``v``, the node at ``position`` of a topological order.

    Example:
        >>> display_name(Value(1.0, label="w"), 0), display_name(Value(2.5), 1)
        ('w', '2.5')
        >>> display_name(Value(1.0) * 3, 4)
        'mul#4'
    """
    if v.label is not None:
        return v.label
    if not v.parents:
        return f"{v.data:g}"
    return f"{v.op}#{position}"


def node_names(order: Sequence[Value]) -> dict[int, str]:
    """A display name per node of a topological order, keyed by ``id(node)``.

    Example:
        >>> from autograd import topological_order
        >>> x = Value(2.0, label="x"); y = x * 3
        >>> list(node_names(topological_order(y)).values())
        ['x', '3', 'mul#2']
    """
    return {id(v): display_name(v, k) for k, v in enumerate(order)}
