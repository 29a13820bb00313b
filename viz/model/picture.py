"""The data of a picture: boxes, edges and the graph they stand for (see ``viz.picture``).

Plain dataclasses with a JSON form, read by every writer: DOT (``viz/writers/dot.py``), the
pages, TikZ. :func:`viz.model.build.picture` builds them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from autograd import Value
from viz.model.groups import Path, parse_label
from viz.numbers import format_number, noise_scales


@dataclass(frozen=True)
class Member:
    """One drawn scalar as the writers need it, read from its label once, here.

    ``name`` is its display name (the name step tables use), ``base`` the tensor it is an
    element of and ``index`` its element index (``fc.weight`` and ``(0, 1)`` for
    ``fc.weight[0,1]``; None and None for a plain name), ``in_module`` True when its label
    names a module (a leaf there is a parameter).

    Example:
        >>> member_of(Value(1.0, label="fc.weight[0,1]"), "fc.weight[0,1]")
        Member(name='fc.weight[0,1]', base='fc.weight', index=(0, 1), in_module=True)
    """

    name: str
    base: str | None
    index: tuple[int, ...] | None
    in_module: bool = False


def member_of(v: Value, name: str) -> Member:
    """The :class:`Member` for Value ``v`` shown as ``name``."""
    parts = parse_label(v.label)
    return Member(name, parts.tensor, parts.index, bool(parts.modules))


@dataclass
class Box:
    """One box of a picture: a scalar, or a collapsed group of scalars.

    ``kind`` is ``scalar``, ``tensor``, ``node`` (one named scalar or unlabelled node),
    ``step``, ``module``, ``band`` or ``merged``; ``role`` is ``parameter``, ``input``,
    ``constant``, ``intermediate``, ``output`` or ``group``; ``members`` are positions in
    :attr:`Picture.order`, in index order; ``cluster`` the enclosing module / time step /
    group path; ``shape`` the tensor shape read from the element indices.
    """

    id: str
    kind: str
    name: str
    members: list[int]
    cluster: Path
    role: str
    shape: tuple[int, ...] | None = None
    ops: tuple[str, ...] = ()
    finite: bool = True
    on_path: bool = False


@dataclass
class Edge:
    """Scalar edges from box ``src`` to box ``dst``: ``count`` of them, ``marked`` on a
    highlighted path; in a scalar picture one Edge per parent entry with its ``input_index``."""

    src: str
    dst: str
    count: int = 1
    marked: int = 0
    input_index: int | None = None


@dataclass
class Picture:
    """The boxes and edges of one drawing, plus the graph they stand for.

    ``order`` is the topological order of the drawn Values, ``names`` their display
    names (the names step tables use), ``box_of[k]`` the index in ``boxes`` of the box
    holding ``order[k]``. ``level`` is ``scalars``, ``tensors``, ``steps`` or ``bands``.
    ``members[k]`` is ``order[k]`` as writers need it (:class:`Member`: display name,
    tensor base name, element index), filled in from ``order`` and ``names`` when not given;
    a box's ``members`` are positions in both lists.
    """

    order: list[Value]
    names: list[str]
    roots: list[Value]
    boxes: list[Box]
    edges: list[Edge]
    box_of: list[int]
    level: str
    max_nodes: int
    grads_computed: bool
    notes: list[str] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    merged: list[list[str]] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.members:
            self.members = [member_of(v, n) for v, n in zip(self.order, self.names)]
        self._scales: tuple[dict[int, float], dict[int, float]] | None = None
        self._depths: list[int] | None = None

    def depth(self, k: int) -> int:
        """The longest path from a leaf to ``order[k]`` (the order a layer computes in).

        Example:
            >>> from viz.model.build import picture
            >>> x = Value(2.0, label="x"); p = picture((x * 3).exp())
            >>> [p.depth(k) for k in range(len(p.order))]
            [0, 0, 1, 2]
        """
        if self._depths is None:
            position = {id(v): j for j, v in enumerate(self.order)}
            depths = [0] * len(self.order)
            for j, v in enumerate(self.order):
                if v.parents:
                    depths[j] = 1 + max(depths[position[id(p)]] for p in v.parents)
            self._depths = depths
        return self._depths[k]

    def number(self, k: int, attr: str, precision: int = 4) -> str:
        """``order[k]``'s ``data`` or ``grad`` as every picture prints it: rounding noise as 0.

        The noise rule is :func:`viz.numbers.noise_scales`: a value at most ``2**-40`` times
        the size of what it was summed from prints as ``0``; a genuinely small one stays.

        Example:
            >>> from viz.model.build import picture
            >>> a = Value(0.1, label="a"); b = Value(0.2, label="b")
            >>> y = (a + b - 0.3) * a; y.label = "y"; y.backward()
            >>> p = picture(y)
            >>> y.data != 0, p.number(len(p.order) - 1, "data"), p.number(0, "grad")
            (True, '0', '0.1')
        """
        if self._scales is None:
            self._scales = noise_scales(self.order)
        v = self.order[k]
        scale = self._scales[attr == "grad"][id(v)]
        return format_number(getattr(v, attr), precision, scale)

    @property
    def collapsed(self) -> bool:
        """True when some box holds more than one scalar (the picture is not all scalars)."""
        return self.level != "scalars"

    @property
    def box_by_id(self) -> dict[str, Box]:
        """The boxes keyed by their DOT id."""
        return {b.id: b for b in self.boxes}

    def box(self, name: str) -> Box:
        """The box called ``name``; KeyError lists the names there are.

        Example:
            >>> from viz.model.build import picture
            >>> x = Value(2.0, label="x"); p = picture(x * x)
            >>> p.box("x").members, p.box("mul#1").kind
            ([0], 'scalar')
        """
        for b in self.boxes:
            if b.name == name:
                return b
        raise KeyError(f"no box named {name!r}; boxes: {', '.join(b.name for b in self.boxes)}")

    def to_dict(self) -> dict:
        """A JSON-able form: boxes (name, kind, role, cluster, shape, members with name,
        index, op, data and grad), edges, level and notes. Non-finite numbers are strings.

        Example:
            >>> import json
            >>> from viz.model.build import picture
            >>> x = Value(3.0, label="x"); y = x * x; y.backward()
            >>> d = picture(y).to_dict()
            >>> [b["name"] for b in d["boxes"]], d["boxes"][0]["members"][0]["grad"]
            (['x', 'mul#1'], 6.0)
            >>> d["edges"][0]["src"], len(d["edges"])
            ('v0', 2)
            >>> _ = json.dumps(d, allow_nan=False)
        """
        boxes = []
        for b in self.boxes:
            members = []
            for k in b.members:
                v = self.order[k]
                index = self.members[k].index
                members.append(
                    {
                        "position": k,
                        "name": self.names[k],
                        "op": v.op or "leaf",
                        "symbol": v.primitive.symbol,
                        "index": list(index) if index else None,
                        "data": _json_number(v.data),
                        "grad": _json_number(v.grad),
                    }
                )
            boxes.append(
                {
                    "id": b.id,
                    "kind": b.kind,
                    "name": b.name,
                    "role": b.role,
                    "cluster": [list(p) for p in b.cluster],
                    "shape": list(b.shape) if b.shape is not None else None,
                    "ops": list(b.ops),
                    "finite": b.finite,
                    "on_path": b.on_path,
                    "members": members,
                }
            )
        edges = [
            {
                "src": e.src,
                "dst": e.dst,
                "count": e.count,
                "marked": e.marked,
                "input_index": e.input_index,
            }
            for e in self.edges
        ]
        return {
            "level": self.level,
            "collapsed": self.collapsed,
            "max_nodes": self.max_nodes,
            "grads_computed": self.grads_computed,
            "notes": list(self.notes),
            "opened": list(self.opened),
            "boxes": boxes,
            "edges": edges,
        }


def _json_number(x: float) -> float | str:
    if math.isfinite(x):
        return float(x)
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
