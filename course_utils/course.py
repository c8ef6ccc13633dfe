"""Course-wide text and the setup check of notebook 00."""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import platform
import sys

__all__ = ["DISCLAIMER", "check_setup", "environment", "setup_report"]

DISCLAIMER = (
    "**Medical disclaimer.** This course is for education only. It is not medical advice and does not replace "
    "training, a licensed therapist or a doctor. The models are simplified teaching models. Before giving or "
    "receiving massage or vibration, check the [contraindications](08_devices_and_safety.ipynb#contraindications) "
    "and, if in doubt, ask a health professional."
)
"""The short medical disclaimer that every notebook carries, word for word, in its last cell."""

_PACKAGES = (
    # (import name, what it is for, how to fix it when missing)
    ("numpy", "the models' arithmetic", "pip install -r requirements.txt"),
    ("matplotlib", "all figures", "pip install -r requirements.txt"),
    ("ipywidgets", "sliders, buttons and quizzes", "pip install -r requirements.txt"),
    ("ipympl", "live figures in the explorers", "pip install -r requirements.txt, then restart JupyterLab"),
    ("jupyterlab_widgets", "showing widgets inside JupyterLab",
     "pip install -r requirements.txt, then restart JupyterLab and reload the browser tab"),
)


_ENVIRONMENTS = {
    "browser": "in your browser (JupyterLite): nothing to install; your files and quiz progress stay in this "
               "browser on this computer",
    "hub": "on your workshop's JupyterHub: your files stay in your folder on the hub",
    "local": "on this computer, in JupyterLab with Python installed",
}
_BROWSER_FIX = "reload the page; the browser build of the course brings every package with it"


def environment() -> str:
    """Where the course runs: ``"browser"`` (the JupyterLite build: Python in the web page), ``"hub"`` (a
    workshop's JupyterHub) or ``"local"`` (JupyterLab on the learner's own computer).

    Example:
        >>> environment() in ("browser", "hub", "local")
        True
    """
    if sys.platform == "emscripten":
        return "browser"
    if os.environ.get("JUPYTERHUB_API_TOKEN"):
        return "hub"
    return "local"


def _browser_storage_row() -> tuple[str, str, bool, str]:
    """In the browser build: is the learner's folder kept (JupyterLite mounts it at /drive when it can)?"""
    kept = os.path.isdir("/drive") and os.getcwd().startswith("/drive")
    return ("saving your work", "browser storage" if kept else "not kept", kept,
            "" if kept else "this window cannot keep files (a private window, or an address that is neither "
            "https:// nor this computer): open the course in a normal window at an https:// address")


def setup_report() -> list[tuple[str, str, bool, str]]:
    """Check each package the course needs: (name, version or "missing", ok, fix) for each.

    The first row says where the course runs (:func:`environment`). Also checks Python ≥ 3.10, whether
    Matplotlib's interactive backend (ipympl) is active and, in the browser build, whether the learner's files are
    kept.
    """
    import matplotlib

    backend = matplotlib.get_backend()  # before the imports below: importing ipympl can switch the backend
    where = environment()
    rows: list[tuple[str, str, bool, str]] = [("where the course runs", _ENVIRONMENTS[where], True, "")]
    py_ok = sys.version_info >= (3, 10)
    rows.append(("Python", platform.python_version(), py_ok, "" if py_ok else "install Python 3.10 or newer"))
    if where == "browser":
        rows.append(_browser_storage_row())
    for name, _why, fix in _PACKAGES:
        if where == "browser":
            if name == "jupyterlab_widgets":  # its browser half is built into the site; no Python package
                continue
            fix = _BROWSER_FIX
        try:
            if name == "ipympl":  # importing it would switch Matplotlib's backend: read its installed version
                version = importlib.metadata.version("ipympl")
            else:
                version = str(getattr(importlib.import_module(name), "__version__", "installed"))
            rows.append((name, version, True, ""))
        except (ImportError, importlib.metadata.PackageNotFoundError):
            rows.append((name, "missing", False, fix))
    live = "ipympl" in backend or "widget" in backend.lower()
    rows.append(("interactive figures", "live (ipympl)" if live else f"still pictures ({backend})", live,
                 "" if live else "run `%matplotlib widget` in the setup cell (it is in every notebook's first "
                 "code cell), then run the cell again"))
    return rows


_LEFT = "text-align:left;vertical-align:top"  # JupyterLab right-aligns table cells; a sentence reads better left


def check_setup() -> None:
    """Show a table of what the course needs, whether it works, and how to fix each problem.

    For the same information as data (e.g. in a test), use :func:`setup_report`.
    """
    from IPython.display import HTML, display

    rows = setup_report()
    cells = []
    for name, version, ok, fix in rows:
        mark = ('<span style="color:#00775A">✔ works</span>' if ok else
                '<span style="color:#B84A00">✘ problem</span>')
        cells.append(f'<tr><td style="{_LEFT}">{name}</td><td style="{_LEFT}">{version}</td>'
                     f'<td style="{_LEFT};white-space:nowrap">{mark}</td><td style="{_LEFT}">{fix}</td></tr>')
    all_ok = all(ok for _n, _v, ok, _f in rows)
    verdict = ("<b>Everything the course needs is working.</b>" if all_ok else
               "<b>Something needs fixing:</b> follow the hint in the last column, then run this cell again.")
    head = "".join(f'<th style="{_LEFT}">{h}</th>' for h in ("Part", "Version or state", "Status", "How to fix"))
    display(HTML(f"<table><tr>{head}</tr>"
                 + "".join(cells) + f"</table><p>{verdict}</p>"))
