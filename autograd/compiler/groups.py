"""Groups of alike nodes, replayed as a few numpy calls each (used by ``replay.py``).

A group holds nodes of one topological level, one primitive and one input
count, in consecutive slots of a float array. Its forward runs the registry's
own rule once over arrays (the ``NUMPY`` backend); its backward asks the same
entry for the local derivatives and adds each contribution into the parents'
slots: a slice, a fancy index, or a ``bincount`` where several gradients meet
one node. Three kinds: elementwise (any op, one array per input position),
rows (an n-ary op's ``forward_rows`` over a matrix, one row per node) and
matmul (``dot`` nodes where every row of one operand meets every row of the
other: ``@``).
"""

from __future__ import annotations

import numpy as np

from autograd import ops
from autograd.backend_numpy import NUMPY


def _distinct(flat: np.ndarray) -> bool:
    """Whether the numbers of a 1-d array differ pairwise (a sort: cheaper than np.unique).

    Example:
        >>> _distinct(np.array([3, 1, 2])), _distinct(np.array([3, 1, 3]))
        (True, False)
    """
    ordered = np.sort(flat)
    return not (ordered[1:] == ordered[:-1]).any()


def _strided(index: np.ndarray) -> tuple | None:
    """(offset, shape, byte strides) when ``index`` is a grid of slots with positive steps,
    such as a weight matrix whose rows a bias slot separates; else None."""
    if index.ndim < 2 or index.size < 64:
        return None
    origin = int(index.flat[0])
    steps = []
    for axis, n in enumerate(index.shape):
        if n == 1:
            steps.append(1)
            continue
        step = int(index[(0,) * axis + (1,) + (0,) * (index.ndim - axis - 1)]) - origin
        if step <= 0:
            return None
        steps.append(step)
    grid = origin + sum(
        np.arange(n).reshape((1,) * axis + (n,) + (1,) * (index.ndim - axis - 1)) * step
        for axis, (n, step) in enumerate(zip(index.shape, steps))
    )
    if not np.array_equal(grid, index):
        return None
    # Distinct slots when each step clears the span of the smaller ones (nested grids; any
    # other layout falls back to a fancy index, which is right as well).
    span = 0
    for step, n in sorted(zip(steps, index.shape)):
        if n > 1 and step <= span:
            return None
        span += (n - 1) * step
    return origin * 8, index.shape, tuple(8 * step for step in steps)


def _grid(array: np.ndarray, strided: tuple) -> np.ndarray:
    """The view of ``array``'s slots that :func:`_strided` describes."""
    offset, shape, strides = strided
    return np.ndarray(shape, dtype=float, buffer=array, offset=offset, strides=strides)


class Gather:
    """Reads the slots ``index`` (any shape) from a value array: a view when contiguous.

    Example:
        >>> Gather(np.array([2, 3, 4]))(np.arange(6.0)).tolist()
        [2.0, 3.0, 4.0]
    """

    __slots__ = ("index", "start", "stop", "shape", "strided")

    def __init__(self, index: np.ndarray) -> None:
        flat = index.ravel()
        self.shape = index.shape
        self.index = index
        self.start = self.stop = self.strided = None
        if flat.size and (flat == flat[0] + np.arange(flat.size)).all():
            self.start, self.stop = int(flat[0]), int(flat[0]) + flat.size
        elif flat.size and index.ndim == 1 and (flat == flat[0]).all():
            self.start, self.stop = int(flat[0]), int(flat[0]) + 1  # one node, broadcast
            self.shape = (1,)
        else:
            self.strided = _strided(index)

    def __call__(self, values: np.ndarray) -> np.ndarray:
        if self.start is not None:
            return values[self.start : self.stop].reshape(self.shape)
        if self.strided is not None:  # a copy, laid out as the fancy index's result
            return _grid(values, self.strided).copy()
        return values[self.index]


class Scatter:
    """Adds contributions into the slots ``index``; repeated slots are summed (bincount).

    Example:
        >>> grads = np.zeros(3)
        >>> Scatter(np.array([0, 2, 0]))(grads, np.array([1.0, 2.0, 3.0])); grads.tolist()
        [4.0, 0.0, 2.0]
    """

    __slots__ = ("index", "start", "stop", "unique", "inverse", "strided")

    def __init__(self, index: np.ndarray) -> None:
        flat = index.ravel()
        self.index, self.start, self.stop, self.unique, self.inverse = flat, None, None, None, None
        self.strided = None
        if flat.size and (flat == flat[0] + np.arange(flat.size)).all():
            self.start, self.stop = int(flat[0]), int(flat[0]) + flat.size
            return
        self.strided = _strided(index)  # distinct slots on a grid: one strided add
        if self.strided is not None:
            return
        if _distinct(flat):
            return
        unique, inverse = np.unique(flat, return_inverse=True)  # gradients meet: sum them
        self.unique, self.inverse = unique, inverse.ravel()  # per slot first

    def __call__(self, grads: np.ndarray, contribution: np.ndarray) -> None:
        if self.start is not None:
            grads[self.start : self.stop] += contribution.ravel()
        elif self.strided is not None and contribution.size == self.index.size:
            view = _grid(grads, self.strided)
            view += contribution.reshape(view.shape)
        elif self.unique is None:
            grads[self.index] += contribution.ravel()
        else:
            grads[self.unique] += np.bincount(
                self.inverse,
                weights=np.broadcast_to(contribution, self.index.shape).ravel()
                if contribution.size != self.index.size
                else contribution.ravel(),
                minlength=self.unique.size,
            )


def _first_seen_unique(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows in order of first appearance, and each row's class number."""
    rows = np.ascontiguousarray(rows)
    keys = rows.view(np.dtype((np.void, rows.itemsize * rows.shape[1]))).ravel()  # a row = a key
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    rank = np.empty(first.size, dtype=int)
    rank[np.argsort(first)] = np.arange(first.size)
    return rows[np.sort(first)], rank[inverse]


# ------------------------------------------------------------------ groups
class Group:
    """Alike nodes (same level, primitive, input count) in slots ``start:stop``.

    ``positions`` (nodes, inputs) holds the order positions of each node's
    parents until the slots are known; then ``bind`` turns them into gathers.
    """

    kind = "elementwise"

    def __init__(self, op: ops.Op, members: list[int], parents: np.ndarray) -> None:
        self.op, self.members, self.parents = op, members, parents
        self.start = self.stop = 0

    def order_members(self) -> None:
        """Fix the order of the nodes inside the group (a matrix product reorders them)."""

    def bind(self, slot_of: np.ndarray) -> None:
        """Turn parent positions into slot reads and writes, once the slots are known."""
        self.parent_slots = slots = slot_of[self.parents]
        self.inputs = [Gather(slots[:, k]) for k in range(slots.shape[1])]
        self.sends = [Scatter(slots[:, k]) for k in range(slots.shape[1])]

    def forward(self, values: np.ndarray) -> list[np.ndarray]:
        op = self.op
        columns = [read(values) for read in self.inputs]
        values[self.start : self.stop] = op.forward(NUMPY, *columns, *op.params)
        return columns

    def local(self, values: np.ndarray, saved: list[np.ndarray]) -> list:
        """The local derivatives, one array (or number) per input position."""
        op = self.op
        return op.partials(NUMPY, values[self.start : self.stop], *saved, *op.params)

    def backward(self, values: np.ndarray, grads: np.ndarray, saved: list[np.ndarray]) -> None:
        g = grads[self.start : self.stop]
        op = self.op
        if op.masks is not None:  # selections: an unselected input gets exactly 0 (ops.py)
            out = values[self.start : self.stop]
            sent = op.contributions(NUMPY, g, self.local(values, saved), out, saved)
            for send, contribution in zip(self.sends, sent):
                send(grads, np.broadcast_to(contribution, g.shape))
            return
        for send, d in zip(self.sends, self.local(values, saved)):
            if d.__class__ is float:
                if d == 1.0:
                    send(grads, g)
                    continue
                if d == -1.0:
                    send(grads, -g)
                    continue
            send(grads, g * d)

    def checked_local(self, values: np.ndarray) -> list[np.ndarray]:
        """Local derivatives per input position by the op's plain rule, shape (nodes,) each.

        The slow path for ``detect_anomaly``: every kind of group answers the
        same way, so the checks name the same node and input as eager backward.
        """
        op, size = self.op, self.stop - self.start
        columns = [values[self.parent_slots[:, k]] for k in range(self.parent_slots.shape[1])]
        local = op.partials(NUMPY, values[self.start : self.stop], *columns, *op.params)
        return [np.broadcast_to(np.asarray(d, float), (size,)) for d in local]

    def checked_sent(self, values: np.ndarray, g: np.ndarray, local: list) -> list[np.ndarray]:
        """What each input position receives, ``g × local`` with the op's masks applied."""
        op = self.op
        columns = [values[self.parent_slots[:, k]] for k in range(self.parent_slots.shape[1])]
        sent = op.contributions(NUMPY, g, local, values[self.start : self.stop], columns)
        return [np.broadcast_to(c, g.shape) for c in sent]


class RowsGroup(Group):
    """An n-ary group evaluated with the op's rule over a matrix, one row per node."""

    kind = "rows"

    def bind(self, slot_of: np.ndarray) -> None:
        self.parent_slots = slots = slot_of[self.parents]
        self.read, self.send = Gather(slots), Scatter(slots)

    def forward(self, values: np.ndarray) -> list[np.ndarray]:
        X = self.read(values)
        values[self.start : self.stop] = self.op.forward_rows(X)
        return [X]

    def _local(self, values: np.ndarray, saved: list[np.ndarray]) -> np.ndarray:
        return self.op.partials_rows(values[self.start : self.stop], saved[0])

    def backward(self, values: np.ndarray, grads: np.ndarray, saved: list[np.ndarray]) -> None:
        g = grads[self.start : self.stop]
        local = self._local(values, saved)
        if self.op.masks is None:
            self.send(grads, g[:, None] * local)
        else:  # a selection (max, min): an input it did not take gets exactly 0, as chain()
            self.send(grads, np.where(local == 0, 0.0, g[:, None] * local))


class MatmulGroup(Group):
    """``dot`` nodes forming ``blocks`` matrix products (R, n) @ (n, K) (+ bias)."""

    kind = "matmul"

    def __init__(self, op, members, parents, structure) -> None:
        super().__init__(op, members, parents)
        self.structure = structure

    def order_members(self) -> None:
        order, a_rows, b_rows, bias = self.structure
        self.members = [self.members[i] for i in order]
        self.parents = self.parents[order]
        self.a_rows, self.b_rows, self.bias_rows = a_rows, b_rows, bias

    def bind(self, slot_of: np.ndarray) -> None:
        self.parent_slots = slot_of[self.parents]
        self.blocks, self.rows, self.n = self.a_rows.shape
        self.cols = self.b_rows.shape[1]
        a, b = slot_of[self.a_rows], slot_of[self.b_rows]
        if self.blocks == 1:
            a, b = a[0], b[0]
        self.read_a, self.read_b = Gather(a), Gather(b)
        self.send_a, self.send_b = Scatter(a), Scatter(b)
        self.column_bias = False
        if self.bias_rows is not None:
            c = slot_of[self.bias_rows]  # (blocks, R, K)
            if (c == c[:, :1, :]).all():  # one bias per output column, as in linear()
                self.column_bias = True
                c = c[:, 0, :]
            if self.blocks == 1:
                c = c[0]
            self.read_c, self.send_c = Gather(c), Scatter(c)

    def forward(self, values: np.ndarray) -> list[np.ndarray]:
        a, b = self.read_a(values), self.read_b(values)
        out = a @ b.swapaxes(-1, -2)
        if self.bias_rows is not None:
            c = self.read_c(values)
            out = out + (c[..., None, :] if self.column_bias else c)
        values[self.start : self.stop] = out.ravel()
        return [a, b]

    def _grad_matrix(self, grads: np.ndarray) -> np.ndarray:
        shape = (self.rows, self.cols) if self.blocks == 1 else (self.blocks, self.rows, self.cols)
        return grads[self.start : self.stop].reshape(shape)

    def backward(self, values: np.ndarray, grads: np.ndarray, saved: list[np.ndarray]) -> None:
        a, b = saved
        G = self._grad_matrix(grads)
        self.send_a(grads, G @ b)
        self.send_b(grads, G.swapaxes(-1, -2) @ a)
        if self.bias_rows is not None:
            self.send_c(grads, G.sum(axis=-2) if self.column_bias else G)


def matmul_structure(parents: np.ndarray) -> tuple | None:
    """How a group of dot nodes factors into matrix products, or None.

    ``parents`` (nodes, 2n [+1]) holds order positions (a_1..a_n, b_1..b_n[, c]).
    Returns (node order, A rows (blocks, R, n), B rows (blocks, K, n), bias
    (blocks, R, K) or None) when the nodes are blocks in which every distinct A
    row meets every distinct B row exactly once.
    """
    count, width = parents.shape
    n = width // 2
    a_rows, a_class = _first_seen_unique(parents[:, :n])
    b_rows, b_class = _first_seen_unique(parents[:, n : 2 * n])
    if not _distinct(a_class * len(b_rows) + b_class):
        return None  # some pair of rows meets twice
    # An A row's block is the first B row it meets; each B row must meet one block only.
    a_block = np.full(len(a_rows), len(b_rows))
    np.minimum.at(a_block, a_class, b_class)
    node_block = a_block[a_class]
    b_block = np.full(len(b_rows), -1)
    b_block[b_class] = node_block
    if (b_block[b_class] != node_block).any():
        return None
    blocks = np.unique(a_block)
    rows_per = np.bincount(np.searchsorted(blocks, a_block))
    cols_per = np.bincount(np.searchsorted(blocks, b_block))
    if rows_per.min() != rows_per.max() or cols_per.min() != cols_per.max():
        return None
    R, K = int(rows_per[0]), int(cols_per[0])
    if R * K * blocks.size != count:
        return None
    block_of_node = np.searchsorted(blocks, node_block)
    # Rank of each A (B) row within its block, in order of first appearance.
    a_rank = _rank_within(np.searchsorted(blocks, a_block))
    b_rank = _rank_within(np.searchsorted(blocks, b_block))
    order = np.argsort(
        block_of_node * (R * K) + a_rank[a_class] * K + b_rank[b_class], kind="stable"
    )
    A = np.empty((blocks.size, R, n), dtype=int)
    A[np.searchsorted(blocks, a_block), a_rank] = a_rows
    B = np.empty((blocks.size, K, n), dtype=int)
    B[np.searchsorted(blocks, b_block), b_rank] = b_rows
    bias = parents[order, 2 * n].reshape(blocks.size, R, K) if width % 2 else None
    return order, A, B, bias


def _rank_within(block: np.ndarray) -> np.ndarray:
    """For items labelled by block, each item's index among the items of its block."""
    order = np.argsort(block, kind="stable")
    starts = np.searchsorted(block[order], block[order])
    rank = np.empty(block.size, dtype=int)
    rank[order] = np.arange(block.size) - starts
    return rank


def make_group(op: ops.Op, members: list[int], parents: np.ndarray) -> Group:
    """The fastest correct kind of group for these nodes."""
    if op is ops.DOT and parents.shape[1] >= 2:
        structure = matmul_structure(parents)
        if structure is not None:
            return MatmulGroup(op, members, parents, structure)
    if op.forward_rows is not None and parents.shape[1] > 2:
        # A selection's inputs all distinct: each slot receives one contribution either way,
        # so the sums (and the signs of zeros) are the elementwise group's.
        if op.masks is None or _distinct(parents.ravel()):
            return RowsGroup(op, members, parents)
    return Group(op, members, parents)
