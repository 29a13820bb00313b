// chalkgrad practice page: fill in the blanks of a computation graph, checked as you go.
// Reads the JSON in #quiz-data (written by viz/practice.py). No network, no eval.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("quiz-data").textContent);
  var questions = DATA.questions;
  var state = [];  // per question: {done, correct, tries, hint}
  var blanks = {};  // svg node id -> its empty <text> cells, in drawing order

  function byId(id) { return document.getElementById(id); }

  // ---------------------------------------------------------------- answers
  // The grammar lives in answers.js (inlined before this script), shared with the tests.
  var parseAnswer = chalkgradAnswers.parseAnswer;

  function number(x) {  // JSON carries non-finite numbers as text
    if (x === "nan") { return NaN; }
    if (x === "inf") { return Infinity; }
    if (x === "-inf") { return -Infinity; }
    return x;
  }

  function isClose(answer, expected) {
    return chalkgradAnswers.isClose(answer, expected, DATA.tolerance, DATA.zero);
  }

  // ---------------------------------------------------------------- the picture
  // Both copies of the picture (wide and tall) are kept in step.
  function copies(nodeId) { return [nodeId, DATA.tallPrefix + nodeId]; }

  function findBlanks() {
    var ids = DATA.svgNodes;
    for (var i = 0; i < ids.length; i++) {
      var both = copies(ids[i]);
      for (var c = 0; c < both.length; c++) {
        var g = byId(both[c]);
        if (!g) { continue; }
        var texts = g.getElementsByTagName("text"), found = [];
        for (var j = 0; j < texts.length; j++) {
          if (texts[j].textContent === "\u00a0") { found.push(texts[j]); }
        }
        blanks[both[c]] = found;
      }
    }
  }

  function writeCell(nodeId, cell, text) {
    var both = copies(nodeId);
    for (var c = 0; c < both.length; c++) { writeOne(both[c], cell, text); }
  }

  function writeOne(nodeId, cell, text) {
    var cells = blanks[nodeId];
    if (!cells || !cells[cell]) { return; }
    var t = cells[cell], box = t.previousElementSibling;
    if (!t.hasAttribute("data-x")) { t.setAttribute("data-x", t.getAttribute("x")); }
    if (text === null) {
      t.textContent = "\u00a0";
      t.setAttribute("x", t.getAttribute("data-x"));
      t.removeAttribute("text-anchor");
      return;
    }
    t.textContent = text;
    if (box && box.tagName.toLowerCase() === "polygon") {
      var xs = box.getAttribute("points").split(" ").map(function (p) { return parseFloat(p); });
      t.setAttribute("x", String((Math.min.apply(null, xs) + Math.max.apply(null, xs)) / 2));
      t.setAttribute("text-anchor", "middle");
    }
  }

  function markNode(nodeId, cls, on) {
    var both = copies(nodeId);
    for (var c = 0; c < both.length; c++) {
      var g = byId(both[c]);
      if (g) { g.classList.toggle(cls, on); }
    }
  }

  // ---------------------------------------------------------------- state
  function isReady(k) {
    var after = questions[k].after;
    for (var i = 0; i < after.length; i++) { if (!state[after[i]].done) { return false; } }
    return true;
  }

  function row(k) { return byId("q" + k); }
  function input(k) { return row(k).querySelector("input"); }

  function refresh() {
    var done = 0, score = 0;
    for (var k = 0; k < questions.length; k++) {
      var q = questions[k], s = state[k], ready = !s.done && isReady(k);
      done += s.done ? 1 : 0;
      score += s.correct ? 1 : 0;
      var r = row(k);
      r.classList.toggle("ready", ready);
      r.classList.toggle("done", s.done);
      r.classList.toggle("locked", !ready && !s.done);
      input(k).disabled = !ready;
      r.querySelector(".check").disabled = !ready;
      r.querySelector(".hint").disabled = !ready || s.hint >= 2;
      markNode(q.svg, "q-ready-" + q.kind, ready);
    }
    for (var j = 0; j < questions.length; j++) {
      var all = true;
      for (var m = 0; m < questions.length; m++) {
        if (questions[m].svg === questions[j].svg && !state[m].done) { all = false; }
      }
      markNode(questions[j].svg, "q-done", all);
    }
    byId("progress").textContent = done + " / " + questions.length + " done";
    byId("progress-bar").style.width = (questions.length ? 100 * done / questions.length : 100) + "%";
    byId("score").textContent = "score " + score + " / " + questions.length;
    byId("finished").textContent = done === questions.length && questions.length
      ? "All done: " + score + " of " + questions.length + " right without reveal." : "";
  }

  function showHint(k, level) {
    var s = state[k];
    s.hint = Math.max(s.hint, Math.min(level, 2));
    var box = row(k).querySelector(".hint-text");
    box.textContent = questions[k].hints.slice(0, s.hint).join("\n");
    box.hidden = s.hint === 0;
    row(k).querySelector(".hint").textContent = s.hint >= 1 ? "more hint" : "hint";
  }

  function finish(k, how) {
    var q = questions[k];
    state[k].done = true;
    state[k].correct = how === "correct";
    writeCell(q.svg, q.cell, q.text);
    if (how === "revealed") {
      input(k).value = q.text;
      input(k).setAttribute("data-state", "revealed");
    }
  }

  function nextReady(k) {
    for (var i = 1; i <= questions.length; i++) {
      var j = (k + i) % questions.length;
      if (!state[j].done && isReady(j)) { return j; }
    }
    return -1;
  }

  function check(k) {
    var q = questions[k], field = input(k), message = row(k).querySelector(".message");
    if (state[k].done || !isReady(k)) { return; }
    var answer;
    try { answer = parseAnswer(field.value); }
    catch (e) { message.textContent = e.message; field.setAttribute("data-state", "unreadable"); return; }
    state[k].tries += 1;
    if (isClose(answer, number(q.expected))) {
      field.setAttribute("data-state", "correct");
      message.textContent = "right: " + q.prompt + " = " + q.text;
      finish(k, "correct");
      refresh();
      var next = nextReady(k);
      if (next >= 0) { input(next).focus(); }
    } else {
      field.setAttribute("data-state", "wrong");
      message.textContent = "not quite: " + field.value.trim() + " is not " + q.prompt + ". Hint below.";
      showHint(k, state[k].hint + 1);
      refresh();
    }
  }

  function reset() {
    for (var k = 0; k < questions.length; k++) {
      state[k] = { done: false, correct: false, tries: 0, hint: 0 };
      var field = input(k);
      field.value = "";
      field.removeAttribute("data-state");
      row(k).querySelector(".message").textContent = "";
      showHint(k, 0);
      writeCell(questions[k].svg, questions[k].cell, null);
    }
    refresh();
  }

  function revealAll() {
    for (var k = 0; k < questions.length; k++) {
      if (!state[k].done) { finish(k, "revealed"); }
    }
    refresh();
  }

  // ---------------------------------------------------------------- finding a node
  function visibleCopy(nodeId) {
    var both = copies(nodeId);
    for (var c = 0; c < both.length; c++) {
      var g = byId(both[c]);
      if (g && g.getBoundingClientRect().width > 0) { return g; }
    }
    return null;
  }

  function showNode(k) {  // outline the question's node and scroll the picture to it
    for (var j = 0; j < questions.length; j++) { markNode(questions[j].svg, "q-focus", false); }
    markNode(questions[k].svg, "q-focus", true);
    var g = visibleCopy(questions[k].svg), box = byId("graph");
    if (!g) { return; }
    var r = g.getBoundingClientRect(), c = box.getBoundingClientRect();
    box.scrollLeft += r.left + r.width / 2 - (c.left + c.width / 2);
    box.scrollTop += r.top + r.height / 2 - (c.top + c.height / 2);
  }

  // Zoom: null fits the picture to the width; a number scales its natural size.
  var zoom = null;
  function setZoom(z) {
    zoom = z === null ? null : Math.max(0.2, Math.min(4, z));
    var box = byId("graph"), svgs = box.getElementsByTagName("svg");
    box.classList.toggle("fit", zoom === null);
    for (var i = 0; i < svgs.length; i++) {
      var natural = parseFloat(svgs[i].getAttribute("width")) * 4 / 3;  // pt to px
      svgs[i].style.width = zoom === null ? "" : (natural * zoom) + "px";
      svgs[i].style.height = zoom === null ? "" : "auto";
    }
  }

  function currentScale() {
    var box = byId("graph"), svgs = box.getElementsByTagName("svg");
    for (var i = 0; i < svgs.length; i++) {
      if (svgs[i].parentNode.offsetWidth === 0) { continue; }
      var natural = parseFloat(svgs[i].getAttribute("width")) * 4 / 3;
      return svgs[i].getBoundingClientRect().width / natural;
    }
    return 1;
  }

  function fitIfReadable() {  // fit to the width only while text stays readable
    var box = byId("graph"), svgs = box.getElementsByTagName("svg");
    for (var i = 0; i < svgs.length; i++) {
      if (svgs[i].parentNode.offsetWidth === 0) { continue; }
      var natural = parseFloat(svgs[i].getAttribute("width")) * 4 / 3;
      setZoom(natural * 0.6 <= box.clientWidth ? null : 0.8);
    }
  }

  function nodeClicked(nodeId) {
    for (var k = 0; k < questions.length; k++) {
      if (questions[k].svg === nodeId && !state[k].done && isReady(k)) {
        input(k).focus();
        row(k).scrollIntoView({ block: "nearest" });
        return;
      }
    }
  }

  // ---------------------------------------------------------------- wiring
  findBlanks();
  for (var i = 0; i < DATA.given.length; i++) {  // the seed, and blanks nobody is asked for
    var g = DATA.given[i];
    writeCell(g.svg, g.cell, g.text);
  }
  questions.forEach(function (q, k) {
    row(k).querySelector(".check").addEventListener("click", function () { check(k); });
    row(k).querySelector(".hint").addEventListener("click", function () { showHint(k, state[k].hint + 1); refresh(); });
    input(k).addEventListener("focus", function () { showNode(k); });
    input(k).addEventListener("keydown", function (e) {
      if (e.key === "Enter") { check(k); e.preventDefault(); }
    });
  });
  byId("zoom-in").addEventListener("click", function () { setZoom(currentScale() * 1.25); });
  byId("zoom-out").addEventListener("click", function () { setZoom(currentScale() / 1.25); });
  byId("zoom-fit").addEventListener("click", function () { setZoom(null); });
  byId("reset").addEventListener("click", reset);
  DATA.svgNodes.forEach(function (id) {
    copies(id).forEach(function (copy) {
      var g = byId(copy);
      if (g) { g.addEventListener("click", function () { nodeClicked(id); }); }
    });
  });
  fitIfReadable();
  window.addEventListener("resize", function () { if (zoom === null) { fitIfReadable(); } });
  byId("reveal").addEventListener("click", revealAll);
  reset();
  var first = nextReady(questions.length - 1);
  if (first >= 0) { showNode(first); }  // where to start, without opening a phone's keyboard
  window.chalkgradQuiz = { parseAnswer: parseAnswer, isClose: isClose };
})();
