// Compiles, inside Pyodide, the Python modules a learner's kernel imports when it starts (and when the course's
// first cell imports course_utils), so that the browser loads their bytecode instead of compiling them again at
// every page load (Pyodide's standard library and wheels carry only .py sources).
// Run by lite/build.py with Node.js, after the site's pyodide-lock.json is written.
// Usage: node lite/pycache.js PYODIDE_DIR OUT_DIR KERNEL_PACKAGES(comma-separated) COURSE_PACKAGE
// Writes OUT_DIR/python_stdlib_pyc.zip  the official python_stdlib.zip with .pyc files in place of the sources
//                                       of the modules compiled here (zipimport takes NAME.pyc before NAME.py;
//                                       "unchecked" hash-based pycs: the zip never changes); the other sources stay
//        OUT_DIR/kernel-pycache.zip     __pycache__ files of site-packages modules imported at kernel start
//        OUT_DIR/course-pycache.zip     the same for the modules `import course_utils` adds (lite/build.py
//                                       does not ship it: see PYCACHE_WHEELS there)
//                                       (both "checked" hash-based pycs: Python compares them with the source
//                                       and compiles it as usual if a learner's %pip install changed it)
"use strict";
const fs = require("fs");
const path = require("path");

const COLLECT = `
import _imp, importlib.util, json, marshal, sys, zipfile
import importlib._bootstrap_external as be

ZIP = "/lib/python312.zip"
SITE = "/lib/python3.12/site-packages/"

def pyc(source, filename, checked):
    code = compile(source, filename, "exec", dont_inherit=True)
    return bytes(be._code_to_hash_pyc(code, _imp.source_hash(be._RAW_MAGIC_NUMBER, source), checked))

def collect(names, stdlib, site, seen):
    zf = zipfile.ZipFile(ZIP)
    for name in sorted(names):
        mod = sys.modules.get(name)
        f = getattr(mod, "__file__", None)
        if not f or not f.endswith(".py") or f in seen:
            continue
        seen.add(f)
        if f.startswith(ZIP + "/"):
            member = f[len(ZIP) + 1:]
            stdlib[member[:-3] + ".pyc"] = pyc(zf.read(member), f, False)
        elif f.startswith(SITE):
            with open(f, "rb") as fh:
                site[importlib.util.cache_from_source(f)[len(SITE):]] = pyc(fh.read(), f, True)

def write(path, files):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in sorted(files.items()):
            z.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
`;

async function main() {
  const [dir, out, kernelPackages, coursePackage] = process.argv.slice(2);
  if (!dir || !out || !kernelPackages || !coursePackage) {
    throw new Error("usage: node lite/pycache.js PYODIDE_DIR OUT_DIR KERNEL_PACKAGES COURSE_PACKAGE");
  }
  const { loadPyodide } = require(path.resolve(dir, "pyodide.js"));
  const py = await loadPyodide({ indexURL: path.resolve(dir) + "/" });
  const quiet = { messageCallback: () => {} };
  await py.loadPackage(kernelPackages.split(","), quiet);
  py.runPython(COLLECT);
  // what the kernel's worker runs at start (jupyterlite-pyodide-kernel 0.6.1: initPackageManager, initKernel)
  await py.runPythonAsync("import piplite.piplite\nimport pyodide_kernel");
  py.runPython("stdlib, kernel, seen = {}, {}, set()\ncollect(list(sys.modules), stdlib, kernel, seen)\n" +
               "before = set(sys.modules)");
  await py.loadPackage([coursePackage], quiet);
  // course_utils loads its submodules lazily; import them all, as the notebooks' cells do between them
  await py.runPythonAsync(
    "import importlib, pkgutil, course_utils\n" +
    "for m in pkgutil.walk_packages(course_utils.__path__, 'course_utils.'):\n" +
    "    try:\n        importlib.import_module(m.name)\n" +
    "    except Exception as exc:\n        print('pycache.js: could not import', m.name, exc)");
  py.runPython(
    "course = {}\ncollect(set(sys.modules) - before, stdlib, course, seen)\n" +
    "with zipfile.ZipFile(ZIP) as src, zipfile.ZipFile('/tmp/stdlib.zip', 'w', zipfile.ZIP_DEFLATED) as z:\n" +
    "    for info in src.infolist():\n" +
    "        if info.filename.endswith('.py') and info.filename[:-3] + '.pyc' in stdlib:\n" +
    "            continue  # its bytecode replaces it (zipimport takes NAME.pyc first): a smaller site\n" +
    "        z.writestr(info, src.read(info))\n" +
    "    for name, data in sorted(stdlib.items()):\n" +
    "        z.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)\n" +
    "write('/tmp/kernel.zip', kernel)\nwrite('/tmp/course.zip', course)\n" +
    "print(f'{len(stdlib)} standard-library modules, {len(kernel)} kernel modules, {len(course)} course modules')");
  fs.writeFileSync(path.join(out, "python_stdlib_pyc.zip"), py.FS.readFile("/tmp/stdlib.zip"));
  fs.writeFileSync(path.join(out, "kernel-pycache.zip"), py.FS.readFile("/tmp/kernel.zip"));
  fs.writeFileSync(path.join(out, "course-pycache.zip"), py.FS.readFile("/tmp/course.zip"));
}

main().catch((err) => {
  console.error(String(err && err.stack ? err.stack : err));
  process.exit(1);
});
