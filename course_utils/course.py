"""Course-wide text and the setup check of notebook 00."""

from __future__ import annotations

import importlib
import platform
import sys

__all__ = ["DISCLAIMER", "check_setup", "setup_report"]

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


def setup_report() -> list[tuple[str, str, bool, str]]:
    """Check each package the course needs: (name, version or "missing", ok, fix) for each.

    Also checks Python ≥ 3.10 and whether Matplotlib's interactive backend (ipympl) is active.
    """
    rows: list[tuple[str, str, bool, str]] = []
    py_ok = sys.version_info >= (3, 10)
    rows.append(("Python", platform.python_version(), py_ok, "" if py_ok else "install Python 3.10 or newer"))
    for name, _why, fix in _PACKAGES:
        try:
            module = importlib.import_module(name)
            rows.append((name, str(getattr(module, "__version__", "installed")), True, ""))
        except ImportError:
            rows.append((name, "missing", False, fix))
    import matplotlib

    backend = matplotlib.get_backend()
    live = "ipympl" in backend or "widget" in backend.lower()
    rows.append(("interactive figures", backend, live,
                 "" if live else "run `%matplotlib widget` in the setup cell (it is in every notebook's first "
                 "code cell), then run the cell again"))
    return rows


def check_setup() -> None:
    """Show a table of what the course needs, whether it works, and how to fix each problem.

    For the same information as data (e.g. in a test), use :func:`setup_report`.
    """
    from IPython.display import HTML, display

    rows = setup_report()
    cells = []
    for name, version, ok, fix in rows:
        mark = '<span style="color:#009E73">✔ works</span>' if ok else '<span style="color:#D55E00">✘ problem</span>'
        cells.append(f"<tr><td>{name}</td><td>{version}</td><td>{mark}</td><td>{fix}</td></tr>")
    all_ok = all(ok for _n, _v, ok, _f in rows)
    verdict = ("<b>Everything the course needs is working.</b>" if all_ok else
               "<b>Something needs fixing:</b> follow the hint in the last column, then run this cell again.")
    display(HTML("<table><tr><th>Part</th><th>Version</th><th>Status</th><th>How to fix</th></tr>"
                 + "".join(cells) + f"</table><p>{verdict}</p>"))
