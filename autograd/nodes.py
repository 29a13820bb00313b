"""Many nodes at once: one Tensor op over numpy object arrays of Values.

Each function here takes object arrays of Value nodes and returns an object
array of new nodes, one per output element. The registry's forward rule runs
once over the data of all elements (the NUMPY backend), then one node per
element records its value, its ordered parents and its op. ``tensor.py`` wraps
these arrays as Tensors.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from autograd import ops
from autograd.backend_numpy import NUMPY
from autograd.mode import COLLECTOR_PAUSED, MODE
from autograd.tape import here, record_batch
from autograd.value import Value, apply, node

_new = object.__new__

Axis = int | Sequence[int] | None


# Readers of many Values' numbers at once, for ``Tensor.data`` and ``Tensor.grad``:
# ``read(flat, "data" or "grad")`` gives a float array, or None when it cannot. The
# compiler registers one for its parameter banks (``compiler/place.py``): a banked parameter's
# numbers come out of its bank in one numpy call instead of a property call per element.
BULK_READERS: list[Callable[[np.ndarray, str], np.ndarray | None]] = []


def numbers_of(values: np.ndarray, which: str) -> np.ndarray:
    """``data`` or ``grad`` of an object array of Values, same shape (``Tensor.data``).

    Example:
        >>> from autograd import Value
        >>> v = Value(1.0); v.grad = 4.0
        >>> numbers_of(np.array([v, Value(2.0)], dtype=object), "grad").tolist()
        [4.0, 0.0]
    """
    flat = values.ravel()
    for read in BULK_READERS:
        numbers = read(flat, which)
        if numbers is not None:
            return numbers.reshape(values.shape)
    if which == "data":
        return data_of(values)
    return np.fromiter((v.grad for v in flat), float, flat.size).reshape(values.shape)


def data_of(values: np.ndarray) -> np.ndarray:
    """The float data of an object array of Values, same shape.

    Example:
        >>> from autograd import Value
        >>> data_of(np.array([Value(1.0), Value(2.0)], dtype=object)).tolist()
        [1.0, 2.0]
    """
    flat = values.ravel()
    return np.fromiter((v.data for v in flat), float, flat.size).reshape(values.shape)


def normalize_axes(axis: Axis, ndim: int) -> tuple[int, ...]:
    """``axis`` (None, an int or ints, negative allowed) as sorted non-negative axes.

    Example:
        >>> normalize_axes(-1, 3), normalize_axes(None, 2)
        ((2,), (0, 1))
    """
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        if not -ndim <= a < max(ndim, 1):
            raise ValueError(f"axis {a} is out of range for a Tensor with {ndim} dims")
        out.append(int(a) % max(ndim, 1))
    return tuple(sorted(set(out)))


def in_one_burst(build: Callable) -> Callable:
    """Run ``build`` with the cycle collector paused: a Tensor op's nodes in one burst.

    The nodes and parent tuples a Tensor op makes form no cycles and all live until
    a backward, so every collection that runs while they are made scans them for
    nothing (a collection starts every 700 allocations). Paused, the collector
    looks at the whole batch once, after it: about 6% of an eager MLP step. A compiled
    step's plan (``compiler/replay.py``) is built the same way: 13% of a trace.

    Example:
        >>> import gc
        >>> @in_one_burst
        ... def collecting():
        ...     return gc.isenabled()
        >>> collecting(), gc.isenabled()
        (False, True)
    """

    @functools.wraps(build)
    def paused(*args, **kwargs):
        with COLLECTOR_PAUSED:
            return build(*args, **kwargs)

    return paused


@in_one_burst
def new_nodes(
    data: Iterable[float],
    parents: Iterable[tuple[Value, ...]],
    op: ops.Op,
    inputs: list[Value] | None = None,
) -> list[Value]:
    """One new result node per (value, parents) pair, all of primitive ``op``.

    The Tensor ops' hot path: the mode is looked up once, and while no thread is
    in a mode block the nodes are built inline (the same steps as :func:`node`).
    ``inputs``, when given, lists exactly the nodes that appear among the parents
    (repeats allowed): the nodes then go on the tape as one batch (``tape.py``).

    Example:
        >>> from autograd import Value
        >>> a, b = Value(2.0), Value(3.0)
        >>> [(v.data, v.op) for v in new_nodes([5.0, 6.0], [(a, b), (a, b)], ops.ADD)]
        [(5.0, 'add'), (6.0, 'add')]
    """
    if not MODE.plain:
        return [node(d, p, op) for d, p in zip(data, parents)]
    made = []
    append = made.append
    for d, p in zip(data, parents):
        v = _new(Value)
        v.data = d
        v.grad = 0.0
        v.label = None
        v._primitive = op
        v.parents = p
        append(v)
    if inputs is None or not made:
        here().extend(made)
    else:
        record_batch(made, inputs)
    return made


def map_nodes(op: ops.Op, values: np.ndarray) -> np.ndarray:
    """One node ``op(v)`` per element of ``values``.

    Example:
        >>> from autograd import Value
        >>> out = map_nodes(ops.RELU, np.array([Value(-1.0), Value(2.0)], dtype=object))
        >>> [v.data for v in out], out[1].op
        ([0.0, 2.0], 'relu')
    """
    flat = values.ravel()
    with np.errstate(all="ignore"):  # IEEE results (inf, nan), no numpy warnings
        data = np.asarray(op.forward(NUMPY, data_of(flat), *op.params), float).tolist()
    made = new_nodes(data, zip(flat), op, flat.tolist())  # zip(flat): the 1-tuples (v,)
    return np.fromiter(made, object, len(made)).reshape(values.shape)


def broadcast_nodes(op: ops.Op, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One node ``op(x, y)`` per element of ``a`` and ``b`` broadcast together.

    Example:
        >>> from autograd import Value
        >>> a = np.array([[Value(1.0)], [Value(2.0)]], dtype=object)
        >>> b = np.array([Value(3.0), Value(4.0)], dtype=object)
        >>> [[v.data for v in row] for row in broadcast_nodes(ops.MUL, a, b)]
        [[3.0, 4.0], [6.0, 8.0]]
    """
    try:
        left, right = np.broadcast_arrays(a, b)
    except ValueError:
        raise ValueError(f"{op.name}: cannot broadcast shapes {a.shape} and {b.shape}") from None
    left_data, right_data = np.broadcast_arrays(data_of(a), data_of(b))
    with np.errstate(all="ignore"):  # IEEE results (inf, nan), no numpy warnings
        data = np.broadcast_to(op.forward(NUMPY, left_data, right_data, *op.params), left.shape)
    inputs = a.ravel().tolist() + b.ravel().tolist()  # all used, unless the result is empty
    made = new_nodes(data.ravel().tolist(), zip(left.flat, right.flat), op, inputs)
    return np.fromiter(made, object, len(made)).reshape(left.shape)


def reduce_nodes(
    op: ops.Op, values: np.ndarray, axes: tuple[int, ...], keepdims: bool
) -> np.ndarray:
    """One n-ary ``op`` node per output element over ``axes`` (from :func:`normalize_axes`).

    Example:
        >>> from autograd import Value
        >>> m = np.array([[Value(1.0), Value(2.0)], [Value(3.0), Value(4.0)]], dtype=object)
        >>> [v.data for v in reduce_nodes(ops.SUM, m, (1,), False)]
        [3.0, 7.0]
    """
    if values.size == 0:
        raise ValueError(f"{op.name} of an empty Tensor of shape {values.shape}")
    keep = [a for a in range(values.ndim) if a not in axes]
    moved = values.transpose(keep + list(axes))
    kept_shape = tuple(values.shape[a] for a in keep)
    rows = moved.reshape(kept_shape + (-1,))
    out = np.empty(kept_shape, dtype=object)
    for index in np.ndindex(kept_shape):
        out[index] = apply(op, tuple(rows[index]))
    if keepdims:
        out = out.reshape(tuple(1 if a in axes else values.shape[a] for a in range(values.ndim)))
    return out


def _dot_block(a: np.ndarray, b: np.ndarray, bias: np.ndarray | None) -> list[list[float]]:
    """Forward values of a (rows, n) @ (n, cols) block of dot nodes, as nested lists.

    The registry's dot rule uses only + and ×, so it is evaluated once over
    whole numpy arrays: argument k is the array of a_k (or b_k) over every
    output element. Same rule, one vectorised call instead of one per node.
    """
    rows, n = a.shape
    cols = b.shape[1]
    a_args = [np.broadcast_to(a[:, k, None], (rows, cols)) for k in range(n)]
    b_args = [np.broadcast_to(b[k, None, :], (rows, cols)) for k in range(n)]
    extra = () if bias is None else (bias,)
    out = ops.DOT.forward(NUMPY, *a_args, *b_args, *extra)
    return np.broadcast_to(out, (rows, cols)).tolist()


@in_one_burst
def matmul_nodes(a: np.ndarray, b: np.ndarray, bias: np.ndarray | None = None) -> np.ndarray:
    """``a @ b`` (+ ``bias``) with one n-ary ``dot`` node per output element.

    1-D, 2-D and batched operands as numpy's ``matmul``; ``bias`` broadcasts to
    the output and each output element is then one node ``Σ a_i b_i + c``.

    Example:
        >>> from autograd import Value
        >>> a = np.array([[Value(1.0), Value(2.0)]], dtype=object)
        >>> b = np.array([[Value(3.0)], [Value(4.0)]], dtype=object)
        >>> out = matmul_nodes(a, b, np.array([Value(0.5)], dtype=object))
        >>> out[0, 0].data, out[0, 0].op, len(out[0, 0].parents)
        (11.5, 'dot', 5)
    """
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(
            f"matmul needs operands of at least 1 dim, got shapes {a.shape} and {b.shape}"
        )
    left = a[None, :] if a.ndim == 1 else a
    right = b[:, None] if b.ndim == 1 else b
    if left.shape[-1] != right.shape[-2]:
        raise ValueError(
            f"matmul: shapes {a.shape} and {b.shape} do not match "
            f"(inner sizes {left.shape[-1]} and {right.shape[-2]})"
        )
    try:
        batch = np.broadcast_shapes(left.shape[:-2], right.shape[:-2])
    except ValueError:
        raise ValueError(
            f"matmul: batch shapes of {a.shape} and {b.shape} do not broadcast"
        ) from None
    rows, cols = left.shape[-2], right.shape[-1]
    left = np.broadcast_to(left, batch + left.shape[-2:])
    right = np.broadcast_to(right, batch + right.shape[-2:])
    out = np.empty(batch + (rows, cols), dtype=object)
    biases = None
    if bias is not None:
        try:
            biases = np.broadcast_to(bias, out.shape)
        except ValueError:
            raise ValueError(
                f"matmul: bias of shape {bias.shape} does not broadcast to the output "
                f"shape {out.shape}"
            ) from None
    left_data, right_data = data_of(left), data_of(right)
    bias_data = data_of(biases) if biases is not None else None
    for index in np.ndindex(batch):
        row_nodes = [tuple(r) for r in left[index]]
        col_nodes = [tuple(c) for c in right[index].T]
        values = _dot_block(
            left_data[index], right_data[index], None if bias_data is None else bias_data[index]
        )
        if biases is None:
            parents = [r + c for r in row_nodes for c in col_nodes]
        else:
            bias_rows = biases[index].tolist()
            parents = [
                r + c + (bias,)
                for r, row_biases in zip(row_nodes, bias_rows)
                for c, bias in zip(col_nodes, row_biases)
            ]
        inputs = None
        if rows and cols and left.shape[-1]:  # then every operand element is used
            inputs = left[index].ravel().tolist() + right[index].ravel().tolist()
            if biases is not None:
                inputs += biases[index].ravel().tolist()
        made = new_nodes([x for row in values for x in row], parents, ops.DOT, inputs)
        out[index] = np.fromiter(made, object, len(made)).reshape(rows, cols)
    if a.ndim == 1:
        out = out[..., 0, :]
    if b.ndim == 1:
        out = out[..., 0]
    return out
