// chalkgrad playground worker: Pyodide runs chalkgrad here, off the page's thread, so the
// page can end a runaway computation by ending this worker (Pyodide has no signal-based
// time limits). Everything is loaded from this site: no other host is asked for anything.
import { loadPyodide } from "./pyodide/pyodide.mjs";
import { instance } from "./viz/viz.js";

const started = performance.now();

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) { throw new Error(`could not load ${url} (HTTP ${response.status})`); }
  return new Uint8Array(await response.arrayBuffer());  // unpackArchive takes a Uint8Array
}

async function load() {
  const manifest = await (await fetch("manifest.json")).json();
  const [pyodide, graphviz] = await Promise.all([
    loadPyodide({ indexURL: new URL(manifest.pyodide, self.location.href).href }),
    instance(),
  ]);
  for (const wheel of manifest.wheels) {
    pyodide.unpackArchive(await fetchBytes(wheel), "wheel");
  }
  pyodide.registerJsModule("chalkgrad_browser", {
    render_svg: (source) => graphviz.renderString(source, { format: "svg", engine: "dot" }),
  });
  const playground = pyodide.pyimport("viz.pages.playground");
  playground.use_browser_renderer(pyodide.pyimport("chalkgrad_browser").render_svg);
  return playground.exercise_json;
}

function oneLine(error) {
  const lines = String((error && error.message) || error).trim().split("\n").filter(Boolean);
  return lines.length ? lines[lines.length - 1] : "failed";
}

const ready = load();
ready.then(
  () => postMessage({ type: "ready", seconds: (performance.now() - started) / 1000 }),
  (error) => postMessage({ type: "fatal", error: "Python did not start: " + oneLine(error) }),
);

onmessage = async (event) => {
  const { id, expression, values, mode } = event.data;
  let exercise;
  try { exercise = await ready; } catch (error) { return; }  // "fatal" was posted already
  const begun = performance.now();
  try {
    const answer = JSON.parse(exercise(expression, values, mode));
    postMessage({ type: "answer", id, answer, ms: performance.now() - begun });
  } catch (error) {
    postMessage({ type: "answer", id, answer: { error: oneLine(error) }, ms: 0 });
  }
};
