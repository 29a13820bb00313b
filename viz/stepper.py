"""``stepper_html``: one self-contained page that steps through backprop on the graph.

The page holds the SVG drawn by :func:`viz.draw.draw` (gradients hidden), the
steps of :func:`viz.steps.backward_steps` as JSON and a little inline script:
prev/next buttons and the arrow keys move through the steps, the active edge is
highlighted, each node's gradient fills in as it accumulates, and the current
chain-rule line is written out. No network access is needed to view it.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from autograd import Value
from viz.draw import draw
from viz.labels import format_number
from viz.render import to_svg
from viz.steps import BackwardSteps, backward_steps

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: Helvetica, Arial, sans-serif; margin: 16px; color: #111827; }}
#controls {{ display: flex; gap: 8px; align-items: center; margin-bottom: 8px; }}
button {{ font-size: 16px; padding: 4px 14px; }}
#chain {{ font-family: monospace; font-size: 15px; background: #f9fafb; padding: 8px;
          border: 1px solid #e5e7eb; white-space: pre-wrap; }}
#summary {{ font-family: monospace; font-size: 13px; color: #374151; white-space: pre-wrap; }}
#graph svg {{ max-width: 100%; height: auto; }}
g.edge.active path {{ stroke: #dc2626; stroke-width: 4px; }}
g.edge.active polygon {{ stroke: #dc2626; fill: #dc2626; }}
g.node.active-node polygon, g.node.active-node path {{ stroke: #dc2626; stroke-width: 3px; }}
g.node.active-parent polygon, g.node.active-parent path {{ stroke: #2563eb; stroke-width: 3px; }}
.final {{ color: #15803d; }} .pending {{ color: #b45309; }}
</style>
</head>
<body>
<h2>{title}</h2>
<div id="controls">
  <button id="prev" type="button">&#8592; prev</button>
  <button id="next" type="button">next &#8594;</button>
  <span id="counter"></span>
  <span>gradient: <b id="grad-name"></b> = <b id="grad"></b> <span id="status"></span></span>
</div>
<div id="chain"></div>
<div id="summary"></div>
<div id="graph">{svg}</div>
<script type="application/json" id="steps-data">{data}</script>
<script>
(function () {{
  "use strict";
  var DATA = JSON.parse(document.getElementById("steps-data").textContent);
  var steps = DATA.steps, current = 0;
  function byId(id) {{ return document.getElementById(id); }}
  function setGrad(nodeId, text) {{
    var g = byId(nodeId); if (!g) return;
    var texts = g.getElementsByTagName("text");
    for (var i = 0; i < texts.length; i++) {{
      if (texts[i].textContent.indexOf("grad ") === 0) {{ texts[i].textContent = "grad " + text; }}
    }}
  }}
  function mark(id, cls, on) {{
    var g = byId(id); if (!g) return;
    if (on) {{ g.classList.add(cls); }} else {{ g.classList.remove(cls); }}
  }}
  function show(k) {{
    current = Math.max(0, Math.min(steps.length, k));
    var grads = {{}};
    grads[DATA.root] = DATA.seedText;
    for (var i = 0; i < steps.length; i++) {{
      mark(steps[i].edge, "active", false);
      mark(steps[i].node, "active-node", false);
      mark(steps[i].parent, "active-parent", false);
      if (i < current) {{ grads[steps[i].parent] = steps[i].totalText; }}
    }}
    for (var j = 0; j < DATA.nodes.length; j++) {{
      var id = DATA.nodes[j];
      setGrad(id, grads.hasOwnProperty(id) ? grads[id] : "\\u2014");
    }}
    byId("counter").textContent = "step " + current + " / " + steps.length;
    byId("prev").disabled = current === 0;
    byId("next").disabled = current === steps.length;
    if (current === 0) {{
      byId("grad-name").textContent = DATA.rootName;
      byId("grad").textContent = DATA.seedText;
      byId("status").textContent = "(seed)";
      byId("status").className = "final";
      byId("chain").textContent = DATA.seedLine;
      byId("summary").textContent = "";
      return;
    }}
    var s = steps[current - 1];
    mark(s.edge, "active", true);
    mark(s.node, "active-node", true);
    mark(s.parent, "active-parent", true);
    byId("grad-name").textContent = "\\u2202" + DATA.rootName + "/\\u2202" + s.parentName;
    byId("grad").textContent = s.totalText;
    byId("status").textContent = "(" + s.status + ")";
    byId("status").className = s.status;
    byId("chain").textContent = s.line;
    byId("summary").textContent = s.final ? s.chainRule : "";
  }}
  byId("prev").addEventListener("click", function () {{ show(current - 1); }});
  byId("next").addEventListener("click", function () {{ show(current + 1); }});
  document.addEventListener("keydown", function (e) {{
    if (e.key === "ArrowRight") {{ show(current + 1); e.preventDefault(); }}
    if (e.key === "ArrowLeft") {{ show(current - 1); e.preventDefault(); }}
  }});
  show(0);
}})();
</script>
</body>
</html>
"""


def steps_data(steps: BackwardSteps, node_ids: dict[int, str], precision: int) -> dict:
    """The JSON the page reads: one entry per step, with the drawing's element ids.

    Example:
        >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
        >>> s = backward_steps(y)
        >>> d = steps_data(s, {id(x): "v0", id(y): "v1"}, 1)
        >>> [(e["edge"], e["totalText"], e["status"]) for e in d["steps"]]
        [('e1_0', '3', 'pending'), ('e1_1', '6', 'final')]
    """
    f = lambda x: format_number(x, precision)
    out = steps.name(steps.root)
    entries = []
    for s in steps:
        node_id, parent_id = node_ids[id(s.node)], node_ids[id(s.parent)]
        line = (
            f"∂{out}/∂{s.parent_name} += ∂{out}/∂{s.node_name} · ∂{s.node_name}/∂{s.parent_name}"
            f"\n        = {f(s.upstream)} · ({s.formula} = {f(s.local)})"
            f"\n        = {f(s.contribution)}     running total ∂{out}/∂{s.parent_name} = "
            f"{f(s.total)} ({s.status})"
        )
        entries.append({
            "edge": f"e{node_id[1:]}_{s.input_index}", "node": node_id, "parent": parent_id,
            "nodeName": s.node_name, "parentName": s.parent_name, "formula": s.formula,
            "upstream": s.upstream, "local": s.local, "contribution": s.contribution,
            "total": s.total, "totalText": f(s.total), "status": s.status, "final": s.final,
            "line": line, "chainRule": steps.chain_rule(s.parent, precision),
        })
    return {
        "root": node_ids[id(steps.root)], "rootName": out, "seedText": f(steps.seed),
        "seedLine": f"seed: ∂{out}/∂{out} = {f(steps.seed)}   (press → or 'next')",
        "nodes": [node_ids[id(v)] for v in steps.order], "steps": entries,
    }


def _inline_svg(svg: str) -> str:
    start = svg.find("<svg")
    if start < 0:
        raise RuntimeError("the renderer returned no <svg> element")
    return svg[start:]


def _script_json(data: dict) -> str:
    # "<" escaped so no label can close the <script> element early
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def stepper_html(
    root: Value,
    path: str | os.PathLike,
    precision: int = 4,
    seed: float = 1.0,
    title: str | None = None,
) -> Path:
    """Write a self-contained page stepping through the backward pass from ``root``.

    The graph's own ``.grad`` values are neither read nor changed.

    Example:
        >>> import tempfile, os
        >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"
        >>> page = stepper_html(y, os.path.join(tempfile.mkdtemp(), "steps.html"))
        >>> text = page.read_text(encoding="utf-8")
        >>> "<svg" in text and '"edge": "e1_1"' in text and "http" not in text.split("<svg")[0]
        True
    """
    steps = backward_steps(root, seed)
    root = steps.root  # a one-element Tensor comes back as its Value
    picture = draw(root, precision=precision, show_grad=False,
                   max_nodes=max(300, len(steps.order)))
    data = steps_data(steps, picture.node_ids, precision)
    page = _PAGE.format(
        title=html.escape(title or f"backprop step by step: {steps.name(root)}"),
        svg=_inline_svg(to_svg(picture)),
        data=_script_json(data),
    )
    out = Path(path)
    out.write_text(page, encoding="utf-8")
    return out
