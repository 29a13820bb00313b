"""Writers over the picture model: DOT (dot, scalar_dot, labels, clusters), Graphviz runs to
SVG/PNG/PDF (graphviz_run, pdf), the registered DOT-to-SVG renderers (renderers: system dot,
graphviz-pure, viz.js in the browser), TikZ (tikz) and LaTeX derivations of the steps (latex)."""
