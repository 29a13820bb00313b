"""Writers over the picture model: DOT (dot, scalar_dot, labels, clusters), Graphviz runs to
SVG/PNG/PDF (graphviz_run, pdf), TikZ (tikz) and LaTeX derivations of the steps (latex)."""
