// Builds Matplotlib's font cache inside Pyodide (run by lite/build.py with Node.js), so that a learner's fresh
// browser kernel finds it ready and never prints "Matplotlib is building the font cache".
// Usage: node lite/fontcache.js PYODIDE_DIR OUT_DIR   (writes OUT_DIR/fontlist.json)
"use strict";
const fs = require("fs");
const path = require("path");

async function main() {
  const [dir, out] = process.argv.slice(2);
  if (!dir || !out) {
    throw new Error("usage: node lite/fontcache.js PYODIDE_DIR OUT_DIR");
  }
  const { loadPyodide } = require(path.resolve(dir, "pyodide.js"));
  const py = await loadPyodide({ indexURL: path.resolve(dir) + "/" });
  await py.loadPackage(["matplotlib"], { messageCallback: () => {} });
  // Pyodide's Matplotlib keeps its font cache beside font_manager.py (not in MPLCONFIGDIR) and writes it on
  // first import; read it back from there.
  const cache = py.runPython(
    "import pathlib, matplotlib.font_manager as fm\n" +
    "p = pathlib.Path(fm.__file__).with_name('fontlist.json')\n" +
    "assert p.exists(), p\n" +
    "str(p)"
  );
  fs.writeFileSync(path.join(out, "fontlist.json"), py.FS.readFile(cache, { encoding: "utf8" }));
  console.log(cache);
}

main().catch((err) => {
  console.error(String(err && err.stack ? err.stack : err));
  process.exit(1);
});
