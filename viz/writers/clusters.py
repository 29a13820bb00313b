"""Nested Graphviz clusters for tensors, modules, time steps and explicit groups."""

from __future__ import annotations

import graphviz

from viz.model.groups import Path
from viz.writers.labels import html_label

CLUSTER_STYLE = {
    "group": {"style": "rounded,filled", "fillcolor": "#f5f3ff", "color": "#7c3aed"},
    "module": {"style": "rounded,filled", "fillcolor": "#f8fafc", "color": "#64748b"},
    "step": {"style": "rounded,filled", "fillcolor": "#fffbeb", "color": "#d97706"},
    "tensor": {"style": "dashed", "color": "#2563eb"},
}


class ClusterTree:
    """Nested ``cluster_*`` subgraphs built bottom-up, with no recursion.

    Example:
        >>> root = graphviz.Digraph()
        >>> tree = ClusterTree(root)
        >>> tree.graph_for((("module", "fc"), ("tensor", "fc.weight"))).node("w")
        >>> tree.close()
        >>> root.source.count("subgraph cluster_")
        2
    """

    def __init__(self, root: graphviz.Digraph) -> None:
        self.root = root
        self.graphs: dict[Path, graphviz.Digraph] = {}

    def graph_for(self, path: Path) -> graphviz.Digraph:
        """The (new or existing) subgraph for ``path``; the root graph for ``()``.

        Example:
            >>> tree = ClusterTree(graphviz.Digraph())
            >>> tree.graph_for(()) is tree.root
            True
            >>> tree.graph_for((("step", "t = 1"),)).name
            'cluster_0'
        """
        if not path:
            return self.root
        graph = self.graphs.get(path)
        if graph is None:
            for depth in range(1, len(path) + 1):
                prefix = path[:depth]
                if prefix not in self.graphs:
                    kind, name = prefix[-1]
                    sub = graphviz.Digraph(name=f"cluster_{len(self.graphs)}")
                    sub.attr(
                        label=html_label(name),
                        fontname="Helvetica",
                        fontsize="10",
                        **CLUSTER_STYLE[kind],
                    )
                    self.graphs[prefix] = sub
            graph = self.graphs[path]
        return graph

    def close(self) -> None:
        """Attach every cluster to its parent, deepest first.

        Example:
            >>> tree = ClusterTree(graphviz.Digraph())
            >>> tree.graph_for((("group", "a"), ("group", "b"))).node("x")
            >>> tree.close()
            >>> "subgraph cluster_0" in tree.root.source
            True
        """
        for path in sorted(self.graphs, key=len, reverse=True):
            parent = self.graphs.get(path[:-1], self.root) if len(path) > 1 else self.root
            parent.subgraph(self.graphs[path])
