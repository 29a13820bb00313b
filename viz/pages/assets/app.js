/* chalkgrad page, the app: node info on hover or tap, search, and stepping through
   backprop. Reads the JSON block #page-data written by viz/explore.py and draws the
   picture with chalkgradPicture (picture.js). */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("page-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var N = D.nodes; // [name, op, data, grad, box, parents, derivatives, local symbols]
  var rootName = D.rootName;
  var view = $("view");
  var P = window.chalkgradPicture(view, D, {
    opened: function () { refreshGrads(); },
    closed: function (b) { if (scope === b) setScope("top"); }
  });
  var svg = P.svg, boxEl = P.boxEl, inner = P.inner;
  $("zoom-in").addEventListener("click", function () { P.zoomAt(1.25); });
  $("zoom-out").addEventListener("click", function () { P.zoomAt(0.8); });
  $("fit").addEventListener("click", P.fit);
  var boxById = {};
  D.boxes.forEach(function (box, b) { boxById[box.id] = b; });

  function scalarInfo(k) {
    var n = N[k], lines = [n[0] + (n[1] ? "   op " + n[1] : "   leaf"),
      "data " + n[2], "grad ∂" + rootName + "/∂" + n[0] + " = " + n[3].trim()];
    if (n[5].length) lines.push("local derivatives of the incoming edges:");
    n[5].forEach(function (p, i) {
      lines.push("  " + n[7][i] + " = " + n[6][i]);
    });
    if (n[4] >= 0) lines.push("in box " + D.boxes[n[4]].name);
    return lines.join("\n");
  }
  function boxInfo(b) {
    var box = D.boxes[b];
    var lines = ["box " + box.name + "   " + box.size + " scalar" + (box.size === 1 ? "" : "s") +
      (box.shape ? "   (" + box.shape.join(", ") + ") in the graph" : "")];
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
  function boxEdgeInfo(what) {
    var from = D.boxes[what.a].name, to = D.boxes[what.b].name;
    var st = D.boxSteps.filter(function (s) { return s.from === what.a && s.to === what.b; })[0];
    return "edge " + from + " → " + to + (st ? "\n" + st.rule : "");
  }
  function showInfo(what) {
    if (!what) return;
    var text = what.kind === "scalar" ? scalarInfo(what.k)
      : what.kind === "edge" ? "edge " + N[N[what.k][5][what.i]][0] + " → " + N[what.k][0] +
        "\n  " + N[what.k][7][what.i] + " = " + N[what.k][6][what.i]
      : what.kind === "box" ? boxInfo(what.b) : what.kind === "boxedge" ? boxEdgeInfo(what) : null;
    if (text !== null) $("info").textContent = text;
  }
  view.addEventListener("pointerover", function (e) { showInfo(P.whatIs(e.target)); });
  view.addEventListener("click", function (e) {
    if (P.dragged()) return;
    var what = P.whatIs(e.target);
    if (!what) return;
    if (what.kind === "close") P.closeBox(what.b);
    else if (what.kind === "box" && D.boxes[what.b].picture) P.openBox(what.b);
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
      if (D.boxes[b].picture) P.openBox(b); else return boxEl[b];
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
    P.bringIntoView([el], 1.2);
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
      if (t.textContent === key || t.parentNode.id === key) found = t.parentNode;
    });
    return found;
  }
  function mark(el, cls) { if (el) { el.classList.add(cls); } return el; }
  function factor(t) { return t.charAt(0) === "-" ? "(" + t + ")" : t; }
  function chainRule(p) { // as viz.steps.BackwardSteps.chain_rule writes it
    var uses = usesOf[p], here = N[p][0], head = "∂" + rootName + "/∂" + here;
    if (p === D.root) return head + " = " + D.seed + " (the seed)";
    var sym = uses.map(function (j) { // total ∂L/∂n, local as the node's formula
      var k = S[j][0], local = N[k][7][S[j][2]];
      return k === D.root ? local : "∂" + rootName + "/∂" + N[k][0] + " · " + local;
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
    var local = node[7][s[2]];
    $("chain").textContent = "∂" + rootName + "/∂" + parent[0] + " += " +
      (s[0] === D.root ? local : "∂" + rootName + "/∂" + node[0] + " · " + local) +
      "\n        = " + factor(s[3]) + " · (" + node[6][s[2]] + ")" +
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
    P.bringIntoView(shown.filter(Boolean), 0.9);
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
    if (sc !== "top") P.openBox(sc);
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
    else if (e.key === "ArrowRight") P.panBy(-60, 0);
    else if (e.key === "ArrowLeft") P.panBy(60, 0);
    else if (e.key === "ArrowUp") P.panBy(0, 60);
    else if (e.key === "ArrowDown") P.panBy(0, -60);
    else if (e.key === "+" || e.key === "=") P.zoomAt(1.25);
    else if (e.key === "-" || e.key === "_") P.zoomAt(0.8);
    else if (e.key === "0") P.fit();
    else handled = false;
    if (handled) e.preventDefault();
  });

  list = stepsOf("top");
  P.fit();
  if (document.body.getAttribute("data-mode") === "steps") show(0); else explore();
  window.chalkgrad = { data: D, openBox: P.openBox, closeBox: P.closeBox, show: show,
                       setScope: setScope, fit: P.fit, viewBox: P.viewBox };
})();
