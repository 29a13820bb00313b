/* chalkgrad page: explore a graph (open boxes, pan, zoom, search, node info) and step
   through backprop. Reads the JSON block #page-data written by viz/explore.py; every
   picture in it was laid out by Graphviz, this script only moves and recolours it. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("page-data").textContent);
  var SVGNS = "http://www.w3.org/2000/svg";
  var $ = function (id) { return document.getElementById(id); };
  var N = D.nodes; // [name, op, data, grad, box, parents, derivatives]
  var view = $("view");
  view.innerHTML = '<svg xmlns="' + SVGNS + '" preserveAspectRatio="xMidYMid meet">' +
    D.picture.svg + "</svg>";
  var svg = view.querySelector("svg");
  var graph = svg.querySelector("g.graph");
  graph.removeAttribute("transform"); // work in Graphviz's own coordinates
  var rootName = D.rootName;

  /* ---------------------------------------------------------------- geometry */
  var NUM = /(-?\d+(?:\.\d+)?(?:e-?\d+)?),(-?\d+(?:\.\d+)?(?:e-?\d+)?)/g;
  var shapes = [], nodes = [], clusters = []; // stretched shapes; moved nodes and clusters
  function recordShapes(elements, into) {
    Array.prototype.forEach.call(elements, function (el) {
      var attr = el.tagName === "path" ? "d" : el.tagName === "text" ? null : "points";
      into.push({ el: el, attr: attr, orig: attr ? el.getAttribute(attr)
        : [parseFloat(el.getAttribute("x")), parseFloat(el.getAttribute("y"))] });
    });
  }
  var SHAPES = "path, polygon, polyline, text";
  Array.prototype.forEach.call(graph.children, function (el) {
    var b;
    if (el.classList.contains("node")) {
      b = el.getBBox();
      nodes.push({ el: el, cx: b.x + b.width / 2, cy: b.y + b.height / 2 });
    } else if (el.classList.contains("cluster")) {
      b = el.getBBox();
      var c = { el: el, x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height,
                cx: b.x + b.width / 2, cy: b.y + b.height / 2, shapes: [] };
      recordShapes(el.querySelectorAll(SHAPES), c.shapes);
      clusters.push(c);
    } else if (el.tagName === "polygon") {
      recordShapes([el], shapes); // the background
    } else if (el.classList.contains("edge")) {
      recordShapes(el.querySelectorAll(SHAPES), shapes);
    }
  });
  var boxById = {}, boxEl = {};
  D.boxes.forEach(function (box, b) {
    boxById[box.id] = b;
    var el = $(box.id);
    if (el) {
      boxEl[b] = el;
      if (box.picture) el.classList.add("box-closed");
    }
  });
  var opened = []; // box indices in the order they were opened
  var inner = {}; // box index -> <g> holding its picture
  var PAD = 10, CAPTION = 18;

  function warp1(v, c, h, H) {
    var d = v - c;
    if (d > h) return v + (H - h);
    if (d < -h) return v - (H - h);
    return h > 0 ? c + d * (H / h) : c;
  }
  function warp(maps, x, y) {
    for (var i = 0; i < maps.length; i++) {
      var m = maps[i];
      x = warp1(x, m.cx, m.hw, m.HW);
      y = warp1(y, m.cy, m.hh, m.HH);
    }
    return [x, y];
  }
  function fmt(x) { return Math.round(x * 100) / 100; }
  function warpShapes(list, maps) {
    list.forEach(function (s) {
      if (s.attr) {
        s.el.setAttribute(s.attr, maps.length ? s.orig.replace(NUM, function (_, x, y) {
          var p = warp(maps, parseFloat(x), parseFloat(y));
          return fmt(p[0]) + "," + fmt(p[1]);
        }) : s.orig);
      } else {
        var p = warp(maps, s.orig[0], s.orig[1]);
        s.el.setAttribute("x", fmt(p[0])); s.el.setAttribute("y", fmt(p[1]));
      }
    });
  }
  function layout() {
    var maps = [], placed = [];
    opened.forEach(function (b) {
      var el = boxEl[b], bb = el.getBBox(), pic = D.boxes[b].picture;
      var c = warp(maps, bb.x + bb.width / 2, bb.y + bb.height / 2);
      var W = Math.max(bb.width, pic.w + 2 * PAD), H = Math.max(bb.height, pic.h + 2 * PAD + CAPTION);
      maps.push({ cx: c[0], cy: c[1], hw: bb.width / 2, hh: bb.height / 2, HW: W / 2, HH: H / 2 });
      placed.push({ b: b, at: maps.length, c: c, W: W, H: H });
    });
    nodes.forEach(function (n) {
      var p = warp(maps, n.cx, n.cy);
      n.el.setAttribute("transform", "translate(" + fmt(p[0] - n.cx) + "," + fmt(p[1] - n.cy) + ")");
    });
    warpShapes(shapes, maps);
    // a cluster holding an opened box stretches around it; any other moves as a whole
    var centres = opened.map(function (b) {
      var bb = boxEl[b].getBBox();
      return [bb.x + bb.width / 2, bb.y + bb.height / 2];
    });
    clusters.forEach(function (c) {
      var holds = centres.some(function (p) {
        return p[0] >= c.x0 && p[0] <= c.x1 && p[1] >= c.y0 && p[1] <= c.y1;
      });
      warpShapes(c.shapes, holds ? maps : []);
      var p = holds ? [c.cx, c.cy] : warp(maps, c.cx, c.cy);
      c.el.setAttribute("transform", "translate(" + fmt(p[0] - c.cx) + "," + fmt(p[1] - c.cy) + ")");
    });
    placed.forEach(function (p) {
      var c = warp(maps.slice(p.at), p.c[0], p.c[1]), pic = D.boxes[p.b].picture;
      var g = inner[p.b];
      g.setAttribute("transform", "translate(" + fmt(c[0] - p.W / 2) + "," + fmt(c[1] - p.H / 2) + ")");
      var frame = g.querySelector("rect.frame");
      frame.setAttribute("width", fmt(p.W)); frame.setAttribute("height", fmt(p.H));
      g.querySelector("g.inner-picture").setAttribute("transform",
        "translate(" + fmt((p.W - pic.w) / 2) + "," + fmt(PAD + CAPTION + pic.h) + ")");
    });
  }
  function openBox(b) {
    if (inner[b] || !D.boxes[b].picture) return false;
    var g = document.createElementNS(SVGNS, "g");
    g.setAttribute("class", "opened");
    g.setAttribute("id", D.boxes[b].id + "-open");
    g.innerHTML = '<rect class="frame" rx="8" x="0" y="0"></rect>' +
      '<text class="caption" x="' + PAD + '" y="' + (PAD + 10) + '"></text>' +
      '<g class="inner-picture">' + D.boxes[b].picture.svg + "</g>";
    g.querySelector("text.caption").textContent = D.boxes[b].name + "  (click here to close)";
    g.querySelector("g.inner-picture > g").removeAttribute("transform");
    graph.appendChild(g);
    inner[b] = g;
    opened.push(b);
    boxEl[b].classList.add("hidden-box");
    layout();
    refreshGrads();
    return true;
  }
  function closeBox(b) {
    if (!inner[b]) return;
    inner[b].remove();
    delete inner[b];
    opened.splice(opened.indexOf(b), 1);
    boxEl[b].classList.remove("hidden-box");
    layout();
    if (scope === b) setScope("top");
  }

  /* ---------------------------------------------------------------- pan and zoom */
  var vb = { x: 0, y: 0, w: 1, h: 1 };
  function applyView() { svg.setAttribute("viewBox", [vb.x, vb.y, vb.w, vb.h].join(" ")); }
  function scale() { var m = svg.getScreenCTM(); return m ? m.a : 1; }
  function toSvg(clientX, clientY) {
    var p = svg.createSVGPoint(); p.x = clientX; p.y = clientY;
    return p.matrixTransform(svg.getScreenCTM().inverse());
  }
  function fit() {
    var b = graph.getBBox(), m = 8;
    vb = { x: b.x - m, y: b.y - m, w: b.width + 2 * m, h: b.height + 2 * m };
    applyView();
  }
  function zoomAt(f, clientX, clientY) {
    var r = view.getBoundingClientRect();
    var p = toSvg(clientX === undefined ? r.left + r.width / 2 : clientX,
                  clientY === undefined ? r.top + r.height / 2 : clientY);
    vb.x = p.x - (p.x - vb.x) / f; vb.y = p.y - (p.y - vb.y) / f;
    vb.w /= f; vb.h /= f;
    applyView();
  }
  function panBy(dxPx, dyPx) {
    var s = scale();
    vb.x -= dxPx / s; vb.y -= dyPx / s;
    applyView();
  }
  function svgRect(elements) { // union of the elements' screen boxes, in picture units
    var r = null;
    elements.forEach(function (el) {
      if (!el) return;
      var q = el.getBoundingClientRect();
      if (q.width === 0 && q.height === 0) return;
      r = r ? { l: Math.min(r.l, q.left), t: Math.min(r.t, q.top), r: Math.max(r.r, q.right),
                b: Math.max(r.b, q.bottom) } : { l: q.left, t: q.top, r: q.right, b: q.bottom };
    });
    if (!r) return null;
    var a = toSvg(r.l, r.t), c = toSvg(r.r, r.b);
    return { x: a.x, y: a.y, w: c.x - a.x, h: c.y - a.y };
  }
  // Show the elements: pan to them, and zoom so they fill at most 70% of the view
  // while their text stays readable (at least `readable` screen px per picture unit).
  function bringIntoView(elements, readable) {
    var r = svgRect(elements);
    if (!r) return;
    var v = view.getBoundingClientRect(), s = scale();
    var fits = Math.min(0.7 * v.width / Math.max(r.w, 1), 0.7 * v.height / Math.max(r.h, 1));
    var target = Math.min(fits, Math.max(s, readable || 0.9));
    var inside = r.x >= vb.x && r.y >= vb.y && r.x + r.w <= vb.x + vb.w && r.y + r.h <= vb.y + vb.h;
    if (inside && Math.abs(target - s) / s < 0.05) return;
    var cx = r.x + r.w / 2, cy = r.y + r.h / 2;
    vb.w = v.width / target; vb.h = v.height / target;
    vb.x = cx - vb.w / 2; vb.y = cy - vb.h / 2;
    applyView();
  }
  var pointers = {}, dragged = false, pinch = null;
  view.addEventListener("wheel", function (e) {
    e.preventDefault();
    zoomAt(Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.002)), e.clientX, e.clientY);
  }, { passive: false });
  view.addEventListener("pointerdown", function (e) {
    pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    dragged = false;
    view.classList.add("dragging");
  });
  view.addEventListener("pointermove", function (e) {
    var old = pointers[e.pointerId];
    if (!old) return;
    var ids = Object.keys(pointers);
    if (ids.length === 2) {
      var other = pointers[ids[0] === String(e.pointerId) ? ids[1] : ids[0]];
      var d0 = Math.hypot(old.x - other.x, old.y - other.y);
      var d1 = Math.hypot(e.clientX - other.x, e.clientY - other.y);
      if (d0 > 0) zoomAt(d1 / d0, (e.clientX + other.x) / 2, (e.clientY + other.y) / 2);
      dragged = true;
    } else if (ids.length === 1) {
      if (Math.abs(e.clientX - old.x) + Math.abs(e.clientY - old.y) > 0) {
        panBy(e.clientX - old.x, e.clientY - old.y);
      }
      if (Math.hypot(e.clientX - (old.x0 || old.x), e.clientY - (old.y0 || old.y)) > 4) dragged = true;
    }
    pointers[e.pointerId] = { x: e.clientX, y: e.clientY, x0: old.x0 || old.x, y0: old.y0 || old.y };
  });
  function release(e) {
    delete pointers[e.pointerId];
    if (!Object.keys(pointers).length) view.classList.remove("dragging");
  }
  view.addEventListener("pointerup", release);
  view.addEventListener("pointercancel", release);
  view.addEventListener("pointerleave", release);
  $("zoom-in").addEventListener("click", function () { zoomAt(1.25); });
  $("zoom-out").addEventListener("click", function () { zoomAt(0.8); });
  $("fit").addEventListener("click", fit);

  /* ---------------------------------------------------------------- what a node is */
  function whatIs(target) { // {kind: "scalar"|"box"|"edge", k|b, i}
    for (var el = target; el && el !== svg; el = el.parentNode) {
      var id = el.id || "", m;
      if (el.classList && el.classList.contains("caption")) {
        return { kind: "close", b: boxById[el.parentNode.id.replace(/-open$/, "")] };
      }
      if ((m = /^s(\d+)(?:op)?$/.exec(id)) || (m = /^b\d+s(\d+)$/.exec(id))) {
        return { kind: "scalar", k: +m[1] };
      }
      if ((m = /^e(\d+)_(\d+)$/.exec(id))) return { kind: "edge", k: +m[1], i: +m[2] };
      if ((m = /^b\d+from(\d+)$/.exec(id))) return { kind: "box", b: +m[1] };
      if (boxById.hasOwnProperty(id)) return { kind: "box", b: boxById[id] };
    }
    return null;
  }
  function scalarInfo(k) {
    var n = N[k], lines = [n[0] + (n[1] ? "   op " + n[1] : "   leaf"),
      "data " + n[2], "grad ∂" + rootName + "/∂" + n[0] + " = " + n[3].trim()];
    if (n[5].length) lines.push("local derivatives of the incoming edges:");
    n[5].forEach(function (p, i) {
      lines.push("  ∂" + n[0] + "/∂" + N[p][0] + " = " + n[6][i]);
    });
    if (n[4] >= 0) lines.push("in box " + D.boxes[n[4]].name);
    return lines.join("\n");
  }
  function boxInfo(b) {
    var box = D.boxes[b];
    var lines = ["box " + box.name + "   " + box.size + " scalar" + (box.size === 1 ? "" : "s") +
      (box.shape ? "   shape (" + box.shape.join(", ") + ")" : "")];
    if (box.ops && box.ops.length) lines.push("ops " + box.ops.join(", "));
    lines.push("data " + box.data, "grad ∂" + rootName + "/∂" + box.name + " in " + box.grad);
    if (box.size === 1) {
      var k = N.findIndex(function (n) { return n[4] === b; });
      return scalarInfo(k);
    }
    lines.push(box.picture ? (inner[b] ? "click its caption to close it" : "click to open it into its scalars")
                           : "does not open here: " + box.why);
    return lines.join("\n");
  }
  function showInfo(what) {
    if (!what) return;
    var text = what.kind === "scalar" ? scalarInfo(what.k)
      : what.kind === "edge" ? "edge " + N[N[what.k][5][what.i]][0] + " → " + N[what.k][0] +
        "\n  ∂" + N[what.k][0] + "/∂" + N[N[what.k][5][what.i]][0] + " = " + N[what.k][6][what.i]
      : what.kind === "box" ? boxInfo(what.b) : null;
    if (text !== null) $("info").textContent = text;
  }
  view.addEventListener("pointerover", function (e) { showInfo(whatIs(e.target)); });
  view.addEventListener("click", function (e) {
    if (dragged) return;
    var what = whatIs(e.target);
    if (!what) return;
    if (what.kind === "close") closeBox(what.b);
    else if (what.kind === "box" && D.boxes[what.b].picture) openBox(what.b);
    showInfo(what);
  });

  /* ---------------------------------------------------------------- search */
  var names = $("names");
  N.slice(0, 3000).forEach(function (n) {
    var o = document.createElement("option"); o.value = n[0]; names.appendChild(o);
  });
  function find(q) {
    var lower = q.toLowerCase(), tests = [
      function (s) { return s === q; }, function (s) { return s.toLowerCase() === lower; },
      function (s) { return s.toLowerCase().indexOf(lower) === 0; },
      function (s) { return s.toLowerCase().indexOf(lower) >= 0; }];
    for (var t = 0; t < tests.length; t++) {
      for (var k = 0; k < N.length; k++) if (tests[t](N[k][0])) return { kind: "scalar", k: k };
      for (var b = 0; b < D.boxes.length; b++) if (tests[t](D.boxes[b].name)) return { kind: "box", b: b };
    }
    return null;
  }
  function elementOf(what) {
    if (what.kind === "box") return inner[what.b] || boxEl[what.b];
    var b = N[what.k][4];
    if (b >= 0 && !$("s" + what.k)) {
      if (D.boxes[b].picture) openBox(b); else return boxEl[b];
    }
    return $("s" + what.k);
  }
  function search() {
    var q = $("search").value.trim(), msg = $("message");
    svg.querySelectorAll(".found").forEach(function (el) { el.classList.remove("found"); });
    if (!q) { msg.textContent = ""; return; }
    var what = find(q);
    if (!what) {
      msg.textContent = "no node named " + q; msg.className = "miss"; return;
    }
    var el = elementOf(what);
    el.classList.add("found");
    bringIntoView([el], 1.2);
    showInfo(what);
    msg.className = "";
    msg.textContent = "found " + (what.kind === "box" ? D.boxes[what.b].name : N[what.k][0]);
  }
  $("search").addEventListener("change", search);
  $("search").addEventListener("keydown", function (e) { if (e.key === "Enter") search(); });

  /* ---------------------------------------------------------------- stepping */
  var S = D.steps; // [node, parent, input index, upstream, local, contribution, total, final]
  var finalAt = N.map(function () { return 0; });
  var usesOf = N.map(function () { return []; });
  S.forEach(function (s, j) { finalAt[s[1]] = j + 1; usesOf[s[1]].push(j); });
  var scope = "top", list = [], current = null, time = S.length;
  function stepsOf(sc) {
    if (sc === "top") return D.collapsed ? D.boxSteps : S.map(function (_, j) { return j; });
    var out = [];
    S.forEach(function (s, j) { if (N[s[0]][4] === sc) out.push(j); });
    return out;
  }
  var boxGradTexts = {};
  function gradTextsOfBox(b) { // the texts of the grad column of a collapsed box
    if (boxGradTexts[b]) return boxGradTexts[b];
    var texts = Array.prototype.slice.call(boxEl[b] ? boxEl[b].querySelectorAll("text") : []);
    var head = -1, dataX = 0;
    texts.forEach(function (t, i) {
      if (t.textContent === "data") dataX = parseFloat(t.getAttribute("x"));
      if (t.textContent === "grad" && head < 0) head = i;
    });
    var out = [];
    if (head >= 0) {
      var mid = (dataX + parseFloat(texts[head].getAttribute("x"))) / 2;
      texts.slice(head + 1).forEach(function (t) { if (parseFloat(t.getAttribute("x")) > mid) out.push(t); });
    }
    texts.forEach(function (t) { if (t.textContent.indexOf("grad ") === 0) out.push(t); });
    return (boxGradTexts[b] = out);
  }
  function gradAt(k, t) {
    if (k === D.root) return D.seed;
    var text = null;
    usesOf[k].forEach(function (j) { if (j < t) text = S[j][6]; });
    return text;
  }
  function refreshGrads() {
    svg.querySelectorAll("g.node").forEach(function (g) {
      var m = /^s(\d+)$/.exec(g.id);
      if (!m) return;
      var k = +m[1], text = current === null ? N[k][3] : (gradAt(k, time) || "—");
      g.querySelectorAll("text").forEach(function (t) {
        if (t.textContent.indexOf("grad ") === 0) t.textContent = "grad " + text;
      });
    });
    D.boxes.forEach(function (box, b) {
      if (!boxEl[b] || box.size === 1 && !D.collapsed) return;
      var done = current === null;
      if (!done) {
        done = true;
        for (var k = 0; k < N.length && done; k++) if (N[k][4] === b && finalAt[k] > time) done = false;
      }
      gradTextsOfBox(b).forEach(function (t) { t.classList.toggle("grad-hidden", !done); });
    });
  }
  function clearMarks() {
    svg.querySelectorAll(".active, .active-node, .active-parent").forEach(function (el) {
      el.classList.remove("active", "active-node", "active-parent");
    });
  }
  function edgeOfBoxes(key) {
    var found = null;
    svg.querySelectorAll("g.edge > title").forEach(function (t) {
      if (t.textContent === key) found = t.parentNode;
    });
    return found;
  }
  function mark(el, cls) { if (el) { el.classList.add(cls); } return el; }
  function factor(t) { return t.charAt(0) === "-" ? "(" + t + ")" : t; }
  function chainRule(p) { // as viz.steps.BackwardSteps.chain_rule writes it
    var uses = usesOf[p], here = N[p][0], head = "∂" + rootName + "/∂" + here;
    if (p === D.root) return head + " = " + D.seed + " (the seed)";
    var sym = uses.map(function (j) {
      var n = N[S[j][0]][0];
      return "∂" + rootName + "/∂" + n + " · ∂" + n + "/∂" + here;
    });
    var num = uses.map(function (j) { return factor(S[j][3]) + " · " + factor(S[j][4]); });
    return head + " = " + sym.join(" + ") + " = " + num.join(" + ") + " = " + N[p][3].trim();
  }
  function showScalarStep(j) {
    var s = S[j], node = N[s[0]], parent = N[s[1]], b = node[4];
    var edge = $("e" + s[0] + "_" + s[2]);
    var parentEl = $("s" + s[1]) || (b >= 0 ? $("b" + b + "s" + s[1]) || $("b" + b + "from" + parent[4]) : null);
    var shown = [mark(edge, "active"), mark($("s" + s[0]), "active-node"), mark($("s" + s[0] + "op"), "active-node"),
                 mark(parentEl, "active-parent")];
    $("grad-name").textContent = "∂" + rootName + "/∂" + parent[0];
    $("grad").textContent = s[6];
    $("status").textContent = "(" + (s[7] ? "final" : "pending") + ")";
    $("status").className = s[7] ? "final" : "pending";
    $("chain").textContent = "∂" + rootName + "/∂" + parent[0] + " += ∂" + rootName + "/∂" + node[0] +
      " · ∂" + node[0] + "/∂" + parent[0] + "\n        = " + s[3] + " · (" + node[6][s[2]] + ")" +
      "\n        = " + s[5] + "     running total ∂" + rootName + "/∂" + parent[0] + " = " + s[6] +
      " (" + (s[7] ? "final" : "pending") + ")";
    $("summary").textContent = s[7] ? chainRule(s[1]) : "";
    return shown;
  }
  function showBoxStep(st) {
    var from = D.boxes[st.from], to = D.boxes[st.to];
    var shown = [mark(edgeOfBoxes(st.edge), "active"), mark(boxEl[st.to], "active-node"),
                 mark(boxEl[st.from], "active-parent"), inner[st.to], inner[st.from]];
    $("grad-name").textContent = "∂" + rootName + "/∂" + from.name;
    $("grad").textContent = from.size === 1 ? st.total.split(" ").pop() : from.size + " values";
    $("status").textContent = "(" + (st.final ? "final" : "pending") + ")";
    $("status").className = st.final ? "final" : "pending";
    $("chain").textContent = st.line + "\n  " + st.rule + "\nupstream ∂" + rootName + "/∂" + to.name +
      ":\n" + st.upstream + "\nsummed contribution to ∂" + rootName + "/∂" + from.name + ":\n" +
      st.contribution;
    $("summary").textContent = (st.final ? "∂" + rootName + "/∂" + from.name + " (final):\n"
      : "running total ∂" + rootName + "/∂" + from.name + ":\n") + st.total +
      (to.picture ? "\n(choose " + to.name + " under “step” to see its scalar steps)" : "");
    return shown;
  }
  function show(j) {
    current = Math.max(0, Math.min(list.length, j));
    document.body.setAttribute("data-stepping", "yes");
    clearMarks();
    var item = current > 0 ? list[current - 1] : null;
    if (scope === "top" && D.collapsed) time = item ? item.time : 0;
    else time = item !== null ? item + 1 : (list.length ? list[0] : 0);
    var scopeName = scope === "top" ? "" : " inside " + D.boxes[scope].name;
    $("counter").textContent = "step " + current + " / " + list.length + scopeName;
    $("prev").disabled = current === 0;
    $("next").disabled = current === list.length;
    refreshGrads();
    if (!item && item !== 0) {
      $("grad-name").textContent = "∂" + rootName + "/∂" + rootName;
      $("grad").textContent = D.seed;
      $("status").textContent = "(seed)"; $("status").className = "final";
      $("chain").textContent = "seed: ∂" + rootName + "/∂" + rootName + " = " + D.seed +
        "   (press → or “next”)";
      $("summary").textContent = "";
      return;
    }
    var shown = (scope === "top" && D.collapsed) ? showBoxStep(item) : showScalarStep(item);
    bringIntoView(shown.filter(Boolean), 0.9);
  }
  function explore() {
    current = null; time = S.length;
    document.body.setAttribute("data-stepping", "no");
    clearMarks();
    refreshGrads();
    $("counter").textContent = list.length + " steps";
    $("prev").disabled = true; $("next").disabled = list.length === 0;
    $("chain").textContent = "showing the final gradients; press “next” (→) to step through " +
      "backprop from the seed ∂" + rootName + "/∂" + rootName + " = " + D.seed;
  }
  function setScope(sc) {
    scope = sc;
    $("scope").value = String(sc);
    if (sc !== "top") openBox(sc);
    list = stepsOf(sc);
    show(0);
  }
  var scopeSelect = $("scope");
  scopeSelect.appendChild(new Option(D.collapsed ? "box by box" : "every scalar", "top"));
  D.boxes.forEach(function (box, b) {
    if (box.picture && stepsOf(b).length) scopeSelect.appendChild(new Option("inside " + box.name, String(b)));
  });
  if (scopeSelect.options.length < 2) $("scope-label").style.display = "none";
  scopeSelect.addEventListener("change", function () {
    setScope(scopeSelect.value === "top" ? "top" : +scopeSelect.value);
  });
  $("prev").addEventListener("click", function () { show((current || 0) - 1); });
  $("next").addEventListener("click", function () { show(current === null ? 0 : current + 1); });
  document.addEventListener("keydown", function (e) {
    if (e.target && (e.target.tagName === "INPUT" || e.target.tagName === "SELECT")) return;
    var handled = true;
    if (e.key === "ArrowRight" && !e.shiftKey) show(current === null ? 0 : current + 1);
    else if (e.key === "ArrowLeft" && !e.shiftKey) show((current || 0) - 1);
    else if (e.key === "ArrowRight") panBy(-60, 0);
    else if (e.key === "ArrowLeft") panBy(60, 0);
    else if (e.key === "ArrowUp") panBy(0, 60);
    else if (e.key === "ArrowDown") panBy(0, -60);
    else if (e.key === "+" || e.key === "=") zoomAt(1.25);
    else if (e.key === "-" || e.key === "_") zoomAt(0.8);
    else if (e.key === "0") fit();
    else handled = false;
    if (handled) e.preventDefault();
  });

  list = stepsOf("top");
  fit();
  if (document.body.getAttribute("data-mode") === "steps") show(0); else explore();
  window.chalkgrad = { data: D, openBox: openBox, closeBox: closeBox, show: show, setScope: setScope,
                       fit: fit, viewBox: function () { return vb; } };
})();
