// chalkgrad playground page: reads the exercise from the URL and the inputs, asks the worker
// (Python in Pyodide) for the picture, the steps and the practice view, and shows them.
// A computation past TIME_LIMIT_SECONDS, or the stop button, ends the worker; a new one starts.
(function () {
  "use strict";
  var TIME_LIMIT_SECONDS = 20;  // one exercise: build, backward, layout (URL: &limit=SECONDS)
  var LOAD_LIMIT_SECONDS = 180;  // the first start downloads about 15 MB
  var QUICKSTART = { expr: "z = w*x + b; L = (y - exp(z))**2 / 2", set: "w=2,x=-1,b=0.5,y=1" };

  function role(name) { return document.querySelector('[data-role="' + name + '"]'); }
  var expression = role("expression"), values = role("values"), practice = role("mode");
  var picture = role("picture"), steps = role("steps"), errorLine = role("error");
  var status = role("status"), stopButton = role("stop"), link = role("link");
  var stepsBox = document.getElementById("pg-steps-box");

  var limitGiven = false;
  var worker = null, ready = false, loadStarted = 0, counter = 0;
  var waiting = null, running = null, timer = null;

  // A '+' typed in the address bar is a plus (an expression has many), so the query is read
  // by hand: URLSearchParams would make it a space. A link made by a form encoder (Python's
  // urlencode, say) writes spaces as '+' and escapes '=' or '+' itself: there '+' is a space.
  function decodeValue(raw) {
    var formEncoded = raw.indexOf("%20") < 0 && /%(2B|3D)/i.test(raw);
    var text = formEncoded ? raw.replace(/\+/g, " ") : raw;
    try { return decodeURIComponent(text); } catch (e) { return text; }  // a stray %: as typed
  }

  function readQuery() {
    var out = {};
    location.search.replace(/^\?/, "").split("&").forEach(function (pair) {
      if (!pair) { return; }
      var at = pair.indexOf("=");
      out[at < 0 ? pair : pair.slice(0, at)] = at < 0 ? "" : decodeValue(pair.slice(at + 1));
    });
    return out;
  }

  function query() {
    var q = "?expr=" + encodeURIComponent(expression.value) + "&set=" + encodeURIComponent(values.value);
    if (practice.checked) { q += "&mode=practice"; }
    return limitGiven ? q + "&limit=" + TIME_LIMIT_SECONDS : q;
  }

  function setState(state, text) {
    document.body.setAttribute("data-state", state);
    if (text !== undefined) { status.textContent = text; }
  }

  function showError(message) {
    errorLine.textContent = message ? String(message).split("\n")[0] : "";
    errorLine.hidden = !message;
  }

  // ---------------------------------------------------------------- the worker
  function startWorker() {
    ready = false;
    loadStarted = performance.now();
    worker = new Worker("worker.js", { type: "module" });
    worker.onmessage = onMessage;
    worker.onerror = function (event) {
      fail("Python did not start: " + (event.message || "the worker failed to load"));
    };
    setState("loading", "loading Python…");
    armTimer(LOAD_LIMIT_SECONDS, "Python did not load in " + LOAD_LIMIT_SECONDS + " s; reload the page to try again");
  }

  function armTimer(seconds, message) {
    clearTimeout(timer);
    timer = setTimeout(function () { stop(message); }, seconds * 1000);
  }

  function fail(message) {
    clearTimeout(timer);
    showError(message);
    setState("error", "stopped");
    stopButton.disabled = true;
  }

  function stop(message) {  // end the worker (and whatever it computes), start a fresh one
    clearTimeout(timer);
    if (worker) { worker.terminate(); }
    running = null;
    stopButton.disabled = true;
    showError(message);
    startWorker();
  }

  function onMessage(event) {
    var m = event.data;
    if (m.type === "fatal") { fail(m.error); return; }
    if (m.type === "ready") {
      clearTimeout(timer);
      ready = true;
      window.chalkgradPlayground.loadSeconds = (performance.now() - loadStarted) / 1000;
      setState("ready", "Python ready in " + window.chalkgradPlayground.loadSeconds.toFixed(1) + " s");
      if (waiting) { send(); }
      return;
    }
    if (m.type === "answer" && running && m.id === running.id) {
      clearTimeout(timer);
      stopButton.disabled = true;
      var asked = running;
      running = null;
      show(m.answer, asked, m.ms);
      if (waiting) { send(); }
    }
  }

  function send() {
    running = waiting;
    waiting = null;
    setState("running", "computing…");
    stopButton.disabled = false;
    worker.postMessage(running);
    armTimer(TIME_LIMIT_SECONDS, "stopped after " + TIME_LIMIT_SECONDS + " s: the exercise took too long (a smaller graph draws faster)");
  }

  function run() {
    waiting = { id: ++counter, expression: expression.value, values: values.value,
                mode: practice.checked ? "practice" : "explore" };
    link.href = query();
    history.replaceState(null, "", query());  // a shared link reopens this exercise
    if (ready && !running) { send(); }
  }

  // ---------------------------------------------------------------- showing an answer
  function inlineSvg(svg) {
    var at = svg.indexOf("<svg");
    return at < 0 ? "" : svg.slice(at);
  }

  // The practice page (viz.quiz_html's) shown inside the picture: its body, its style with
  // page-wide rules narrowed to the practice view, and its script run once more.
  function showPractice(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var css = Array.prototype.map.call(doc.querySelectorAll("style"), function (s) { return s.textContent; }).join("\n");
    css = css.replace(/(^|[\n}])(\s*)body\b/g, "$1$2.pg-practice")
      .replace(/(^|[\n}])(\s*)(h2|button)\b/g, "$1$2.pg-practice $3");
    var code = [];
    Array.prototype.forEach.call(doc.querySelectorAll("script"), function (s) {
      if (!s.type) { code.push(s.textContent); s.remove(); }
    });
    var view = document.createElement("div");
    view.className = "pg-practice";
    var style = document.createElement("style");
    style.textContent = css;
    view.appendChild(style);
    while (doc.body.firstChild) { view.appendChild(document.adoptNode(doc.body.firstChild)); }
    picture.replaceChildren(view);
    picture.classList.add("pg-with-practice");
    var script = document.createElement("script");
    script.textContent = code.join("\n");
    view.appendChild(script);  // runs now, against the elements just inserted
  }

  // Fit the picture to the width while its text stays readable; else scroll it at 80 %.
  function fitPicture() {
    var svgs = picture.querySelectorAll(".pg-wide > svg, .pg-tall > svg");
    for (var i = 0; i < svgs.length; i++) {
      var natural = parseFloat(svgs[i].getAttribute("width")) * 4 / 3;  // pt to px
      var fits = !(natural > 0) || natural * 0.6 <= picture.clientWidth;
      svgs[i].style.maxWidth = fits ? "100%" : "none";
      svgs[i].style.width = fits ? "" : (natural * 0.8) + "px";
      svgs[i].style.height = "auto";
    }
  }

  function show(answer, asked, ms) {
    if (answer.error) {
      showError(answer.error);
      setState("done", "error (the picture is the last good one)");
      return;
    }
    showError("");
    steps.textContent = answer.steps;
    if (asked.mode === "practice" && answer.practice) {
      stepsBox.open = false;  // the steps are the answers: folded in practice
      showPractice(answer.practice);
    } else {
      picture.classList.remove("pg-with-practice");
      var tall = inlineSvg(answer.svg_tall || "").replace(/ id="/g, ' id="tall-');
      picture.innerHTML = '<div class="pg-wide">' + inlineSvg(answer.svg) + "</div>" +
        '<div class="pg-tall">' + tall + "</div>";
      fitPicture();
    }
    window.chalkgradPlayground.lastMs = ms;
    setState("done", "drawn in " + Math.round(ms) + " ms");
  }

  // ---------------------------------------------------------------- wiring
  window.chalkgradPlayground = { loadSeconds: null, lastMs: null };
  var q = readQuery();
  var limit = parseFloat(q.limit);
  if (limit > 0) { TIME_LIMIT_SECONDS = Math.min(limit, 600); limitGiven = true; }
  var given = q.expr !== undefined;
  expression.value = given ? q.expr : QUICKSTART.expr;
  values.value = q.set !== undefined ? q.set : (given ? "" : QUICKSTART.set);
  practice.checked = q.mode === "practice";
  document.getElementById("pg-form").addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  practice.addEventListener("change", run);
  stopButton.addEventListener("click", function () { stop("stopped: the computation was ended with the stop button"); });
  startWorker();
  run();
})();
