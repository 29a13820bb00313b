// Runs Python in Pyodide under Node, set up as the playground's worker sets it up: the site's
// Pyodide, its wheels unpacked, viz.js registered as chalkgrad's renderer.
//   node tests/web_node.mjs SITE_DIR SCRIPT.py
// The script's output goes to stdout; a Python error exits with status 1 and its last line.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

function die(error) {  // one readable error, not Pyodide's minified source
  const lines = String((error && error.message) || error).trim().split("\n");
  console.error(lines.slice(-12).join("\n"));
  process.exit(1);
}
process.on("uncaughtException", die);
process.on("unhandledRejection", die);

const [site, script] = process.argv.slice(2).map((p) => resolve(p));
const manifest = JSON.parse(readFileSync(join(site, "manifest.json"), "utf-8"));
const started = performance.now();
const { loadPyodide } = await import(pathToFileURL(join(site, manifest.pyodide, "pyodide.mjs")).href);
const { instance } = await import(pathToFileURL(join(site, manifest.viz)).href);
const [pyodide, graphviz] = await Promise.all([
  loadPyodide({ indexURL: join(site, manifest.pyodide) + "/" }),
  instance(),
]);
const loaded = performance.now();
for (const wheel of manifest.wheels) {
  // unpackArchive takes a Uint8Array, not a Node Buffer
  pyodide.unpackArchive(new Uint8Array(readFileSync(join(site, wheel))), "wheel");
}
pyodide.registerJsModule("chalkgrad_browser", {
  render_svg: (source) => graphviz.renderString(source, { format: "svg", engine: "dot" }),
});
pyodide.setStdout({ batched: (line) => console.log(line) });
pyodide.runPython(
  "import chalkgrad_browser\nfrom viz.pages.playground import use_browser_renderer\n" +
  "use_browser_renderer(chalkgrad_browser.render_svg)");
const seconds = (t) => ((t - started) / 1000).toFixed(2);
console.error(`runtime ${seconds(loaded)} s, chalkgrad imported ${seconds(performance.now())} s`);
pyodide.runPython(readFileSync(script, "utf-8"));
