/* chalkgrad page, the picture: pan and zoom it, open a box into its scalars and close it.
   Every picture in the page's JSON was laid out by Graphviz when the page was written;
   this only moves, stretches and inserts them. chalkgradPicture(view, data, hooks) puts
   data.picture into the element `view` and returns the functions the page uses. */
window.chalkgradPicture = function (view, D, hooks) {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var $ = function (id) { return document.getElementById(id); };
  hooks = hooks || {};
  view.innerHTML = '<svg xmlns="' + SVGNS + '" preserveAspectRatio="xMidYMid meet">' +
    D.picture.svg + "</svg>";
  var svg = view.querySelector("svg");
  var graph = svg.querySelector("g.graph");
  graph.removeAttribute("transform"); // work in Graphviz's own coordinates

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
    if (hooks.opened) hooks.opened(b);
    return true;
  }
  function closeBox(b) {
    if (!inner[b]) return;
    inner[b].remove();
    delete inner[b];
    opened.splice(opened.indexOf(b), 1);
    boxEl[b].classList.remove("hidden-box");
    layout();
    if (hooks.closed) hooks.closed(b);
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
      if (el.classList && el.classList.contains("edge")) { // an edge between two boxes
        var title = el.querySelector("title");
        m = title && /^(\S+)->(\S+)$/.exec(title.textContent);
        if (m && boxById.hasOwnProperty(m[1]) && boxById.hasOwnProperty(m[2])) {
          return { kind: "boxedge", a: boxById[m[1]], b: boxById[m[2]] };
        }
      }
      if (boxById.hasOwnProperty(id)) return { kind: "box", b: boxById[id] };
    }
    return null;
  }
  return {
    svg: svg, boxEl: boxEl, inner: inner, openBox: openBox, closeBox: closeBox, fit: fit,
    zoomAt: zoomAt, panBy: panBy, bringIntoView: bringIntoView, whatIs: whatIs,
    dragged: function () { return dragged; }, viewBox: function () { return vb; }
  };
};
