r"""The drawing as a standalone TikZ picture, from the renderer's own layout.

The renderer (system ``dot`` or the bundled ``graphviz-pure``) lays the graph
out and reports every drawing operation in ``-Tjson`` (xdot operations:
polygons, ellipses, Bézier edges, text with its position, colours, styles).
This module replays those operations as TikZ commands, one unit = one point, so
the picture matches the SVG box for box. Text goes through
:func:`viz.writers.latex.latex_text`: names, numbers and symbols in math mode
(``$w_{1}$``, ``$\partial L/\partial z$``, ``$-0.25$``), the rest escaped.
dot2tex was not used: version 2.12.0 fails to parse the HTML-like labels
(``<TABLE>``) every chalkgrad box is made of.
"""

from __future__ import annotations

from viz.writers.latex import latex_text
from viz.writers.tex_text import PREAMBLE_PACKAGES

PREAMBLE = (
    "\\documentclass[tikz,border=4pt]{standalone}\n" + PREAMBLE_PACKAGES + "\\begin{document}\n"
)


class _Writer:
    """Turns xdot operations into TikZ lines, keeping colour and style state."""

    def __init__(self) -> None:
        self.colors: dict[str, str] = {}
        self.lines: list[str] = []
        self.pen, self.fill = "black", "none"
        self.style: list[str] = []
        self.font_size, self.bold = 14.0, False

    def color(self, value: str) -> str:
        value = value.strip()
        if value.lower() in ("none", "transparent") or (
            value.startswith("#") and len(value) == 9 and value[7:].lower() == "00"
        ):
            return "none"
        if value.startswith("#") and len(value) in (7, 9):
            hexa = value[1:7].upper()
            if hexa not in self.colors:
                self.colors[hexa] = f"c{len(self.colors)}"
            return self.colors[hexa]
        return {
            "black": "black",
            "white": "white",
            "red": "red",
            "blue": "blue",
            "gray": "gray",
            "grey": "gray",
        }.get(value.lower(), "black")

    def options(self, filled: bool) -> str:
        opts = [f"draw={self.pen}"] + ([f"fill={self.fill}"] if filled else []) + self.style
        return ",".join(opts)

    def run(self, ops: list[dict]) -> None:
        for op in ops:
            kind = op["op"]
            if kind == "c":
                self.pen = self.color(op["color"])
            elif kind == "C":
                self.fill = self.color(op["color"])
            elif kind == "S":
                self.set_style(op["style"])
            elif kind == "F":
                self.font_size = float(op["size"])
            elif kind == "t":
                self.bold = bool(int(op.get("fontchar", 0)) & 1)
            elif kind in ("p", "P", "L"):
                pts = " -- ".join(_point(p) for p in op["points"])
                close = " -- cycle" if kind != "L" else ""
                if kind == "P" and self.fill != "none":
                    self.lines.append(f"\\path[{self.options(True)}] {pts}{close};")
                elif self.pen != "none":
                    self.lines.append(f"\\path[{self.options(False)}] {pts}{close};")
            elif kind in ("e", "E"):
                x, y, rx, ry = op["rect"]
                filled = kind == "E" and self.fill != "none"
                self.lines.append(
                    f"\\path[{self.options(filled)}] ({x:.2f},{y:.2f}) ellipse "
                    f"[x radius={rx:.2f}, y radius={ry:.2f}];"
                )
            elif kind in ("b", "B"):
                pts = op["points"]
                path = _point(pts[0]) + "".join(
                    f" .. controls {_point(pts[i])} and {_point(pts[i + 1])} .. {_point(pts[i + 2])}"
                    for i in range(1, len(pts) - 2, 3)
                )
                filled = kind == "B" and self.fill != "none"
                self.lines.append(f"\\path[{self.options(filled)}] {path};")
            elif kind == "T":
                self.text(op)

    def set_style(self, style: str) -> None:
        style = style.strip()
        if style == "solid":
            self.style = [s for s in self.style if s not in ("dashed", "dotted")]
        elif style in ("dashed", "dotted"):
            self.style = [s for s in self.style if s not in ("dashed", "dotted")] + [style]
        elif style.startswith("setlinewidth("):
            width = float(style[len("setlinewidth(") : -1])
            self.style = [s for s in self.style if not s.startswith("line width")]
            self.style.append(f"line width={width * 0.8:.2f}pt")

    def text(self, op: dict) -> None:
        anchor = {"l": "base west", "c": "base", "r": "base east"}.get(op.get("align"), "base")
        x, y = op["pt"]
        size = self.font_size * 0.9  # LaTeX's sans serif is a little wider than Helvetica
        body = latex_text(op["text"])
        bold = "\\bfseries\\boldmath" if self.bold else ""  # \\boldmath only works here
        self.lines.append(
            f"\\node[anchor={anchor},inner sep=0pt,text={self.pen if self.pen != 'none' else 'black'}"
            f",font=\\fontsize{{{size:.1f}}}{{{size * 1.2:.1f}}}\\selectfont\\sffamily{bold}] "
            f"at ({x:.2f},{y:.2f}) {{{body}}};"
        )


MAX_POINTS = 15000.0  # TeX's dimensions stop at 16383.99 pt


def _fit_tex_dimensions(layout: dict) -> dict:
    """The layout scaled down to fit TeX's largest dimension (a very long label is wide)."""
    try:
        width, height = (float(x) for x in str(layout.get("bb", "0,0,0,0")).split(",")[2:4])
    except ValueError:
        return layout
    if max(width, height) <= MAX_POINTS:
        return layout
    factor = MAX_POINTS / max(width, height)

    def numbers(value: object) -> object:
        if isinstance(value, list):
            return [numbers(x) for x in value]
        return value * factor if isinstance(value, int | float) else value

    def scale(value: object) -> object:
        if isinstance(value, list):
            return [scale(x) for x in value]
        if not isinstance(value, dict):
            return value
        return {
            k: numbers(v) if k in ("points", "rect", "pt", "size") else scale(v)
            for k, v in value.items()
        }

    return scale(layout)  # type: ignore[return-value]


def _point(p: list[float]) -> str:
    return f"({p[0]:.2f},{p[1]:.2f})"


def tikz_from_layout(layout: dict, standalone: bool = True) -> str:
    """TikZ for a renderer layout (the parsed ``-Tjson`` output).

    Example:
        >>> import json
        >>> from viz.writers.graphviz_run import run_graphviz
        >>> layout = json.loads(run_graphviz('digraph { a -> b [label="x1 = -2"] }', "json"))
        >>> tex = tikz_from_layout(layout)
        >>> "\\\\begin{tikzpicture}" in tex and "$x_{1} = -2$" in tex
        True
    """
    layout = _fit_tex_dimensions(layout)
    writer = _Writer()
    writer.run(layout.get("_draw_", []))
    writer.run(layout.get("_ldraw_", []))
    objects = layout.get("objects", [])
    clusters = [o for o in objects if "nodes" in o or "edges" in o or "bb" in o]
    nodes = [o for o in objects if o not in clusters]
    for obj in clusters:
        writer.run(obj.get("_draw_", []))
        writer.run(obj.get("_ldraw_", []))
    for edge in layout.get("edges", []):
        for key in ("_draw_", "_hdraw_", "_tdraw_", "_ldraw_", "_hldraw_", "_tldraw_"):
            writer.run(edge.get(key, []))
    for node in nodes:
        writer.run(node.get("_draw_", []))
        writer.run(node.get("_ldraw_", []))
    colors = "".join(
        f"\\definecolor{{{name}}}{{HTML}}{{{hexa}}}\n" for hexa, name in writer.colors.items()
    )
    picture = (
        f"{colors}\\begin{{tikzpicture}}[x=1pt,y=1pt,line width=0.8pt,"
        "line join=round]\n" + "\n".join(writer.lines) + "\n\\end{tikzpicture}\n"
    )
    return PREAMBLE + picture + "\\end{document}\n" if standalone else picture
