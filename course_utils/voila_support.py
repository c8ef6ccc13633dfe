"""Voila support for the course's ``voila.json``: a kernel manager that keeps kernel messages on Voila's main
thread, and Markdown images with paths relative to the notebook, as JupyterLab reads them.

Kernel manager. Voila 0.5's default kernel manager sometimes leaves a page at "Executing N of M" (voila#1428);
jupyter_server's synchronous ``MappingKernelManager`` does not, but it starts each kernel inside a helper thread's
event loop, and the kernel's message streams then run on that thread: they write to the browser's websocket from
the wrong thread, and under load the websocket's buffer breaks (tornado's ``assert 0 < size <= self._size``) and
the widgets never appear. :class:`MainLoopMappingKernelManager` gives every kernel Voila's own event loop.

Images. Voila inlines each Markdown image of a notebook, but it looks the path up from the folder Voila serves, not from
the notebook's folder, and a path that leaves that folder (``../images/trunk_map.png`` from ``notebooks/``)
stops the whole page at "Executing N of M". The course's ``voila.json`` names :class:`CourseMarkdownRenderer`,
which also tries the path as seen from ``notebooks/`` (where every course notebook lives) and never fails the page:
an image it cannot find keeps its address and shows its alt text.

Instructions. The notebooks' setup cells say "Run the next cell first (click in it and press Shift + Enter)",
which is right in JupyterLab; Voila hides the code and runs every cell itself, so there is no cell to click.
:class:`CourseMarkdownRenderer` rewrites these instructions (:data:`VOILA_INSTRUCTIONS`) into what is true in
Voila; JupyterLab still shows the notebook's own words.

Template. The course's Voila template ``course`` (``share/jupyter/nbconvert/templates/course`` in the course's
folder) is Voila's "lab" template without the stylesheets it asks a CDN for, with the course's front door at the
server's root address. Voila looks templates up on the Jupyter data path; importing this module (``voila.json`` names
its kernel manager, which Voila imports before it looks the template up) adds the course's ``share/jupyter`` to
``JUPYTER_PATH`` for the Voila process. The template sits under ``nbconvert/`` (Voila searches both ``voila/`` and
``nbconvert/``) so that the course's folder is never taken for Voila's own data folder (themes, extensions).

Imported only by Voila (``voila.json``), never by the course's notebooks.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import MutableMapping
from pathlib import Path

from jupyter_server.services.kernels.kernelmanager import MappingKernelManager
from tornado.ioloop import IOLoop
from voila.exporter import VoilaMarkdownRenderer

__all__ = ["COURSE_TEMPLATE", "VOILA_INSTRUCTIONS", "CourseMarkdownRenderer", "MainLoopMappingKernelManager",
           "add_course_template_path"]

COURSE_DATA = Path(__file__).resolve().parents[1] / "share" / "jupyter"
"""The course's Jupyter data folder (holds the Voila template ``nbconvert/templates/course``)."""
COURSE_TEMPLATE = "course"
"""Name of the course's Voila template (``voila.json``: ``VoilaConfiguration.template``)."""


def add_course_template_path(environ=None) -> bool:
    """Put the course's Jupyter data folder first on ``JUPYTER_PATH`` in ``environ`` (default: this process's
    environment), once; return whether the template folder exists there."""
    environ = os.environ if environ is None else environ
    if not isinstance(environ, MutableMapping):
        raise TypeError(f"environ must be a mutable mapping of environment variables (e.g. os.environ), "
                        f"not {type(environ).__name__}")
    folder = str(COURSE_DATA)
    parts = [p for p in environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    if folder not in parts:
        environ["JUPYTER_PATH"] = os.pathsep.join([folder, *parts])
    return (COURSE_DATA / "nbconvert" / "templates" / COURSE_TEMPLATE / "conf.json").is_file()


add_course_template_path()


class MainLoopMappingKernelManager(MappingKernelManager):
    """jupyter_server's ``MappingKernelManager`` whose kernels all use the event loop it was created on."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._main_loop = IOLoop.current()

    def _create_kernel_manager_factory(self):
        make = super()._create_kernel_manager_factory()

        def create_kernel_manager(*args, **kwargs):
            manager = make(*args, **kwargs)
            if hasattr(manager, "loop"):
                manager.loop = self._main_loop  # not the helper thread's loop, where it would default to
            return manager

        return create_kernel_manager

NOTEBOOK_FOLDERS = ("notebooks", "workshop_apps")
"""Folders (relative to the course's root) that hold notebooks whose images use relative paths."""


_SHIFT_ENTER = r"\(click in it and press <strong>Shift \+ Enter</strong>\)"
VOILA_INSTRUCTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Click in the next cell and press <strong>Shift \+ Enter</strong> to run it\."),
     "In this app view (Voila) the code cells are hidden and run by themselves; in JupyterLab you click in a "
     "cell and press <strong>Shift + Enter</strong> to run it."),
    (re.compile(rf"Run the next cell(?: first)?(?: {_SHIFT_ENTER})?\."),
     "In this app view (Voila) the code that follows is hidden and has already run for you."),
)
"""(pattern, replacement) pairs for the rendered HTML of a paragraph: the notebooks' "run the next cell"
instructions and what Voila says instead."""


class CourseMarkdownRenderer(VoilaMarkdownRenderer):
    """Voila's Markdown renderer, with image paths resolved from the notebooks' folders too, and the notebooks'
    "run the next cell" instructions worded for Voila, where the cells run by themselves."""

    def paragraph(self, text: str) -> str:
        for pattern, replacement in VOILA_INSTRUCTIONS:
            text = pattern.sub(replacement, text)
        return super().paragraph(text)

    def image(self, text: str, url: str, title: str | None = None) -> str:
        manager = self.contents_manager
        candidates = [url] + [posixpath.normpath(posixpath.join(folder, url)) for folder in NOTEBOOK_FOLDERS]
        for candidate in candidates:
            if "://" in candidate or candidate.startswith(("data:", "/")):
                break
            try:
                if manager is not None and manager.file_exists(candidate):
                    return super().image(text, candidate, title)
            except Exception:  # outside the served folder: Voila raises an HTTP 404 here
                continue
        # Not found: keep the address (the browser may still load it) instead of failing the page.
        try:
            return super(VoilaMarkdownRenderer, self).image(text, url, title)
        except TypeError:  # nbconvert < 7.6 passes (src, alt, title)
            return super(VoilaMarkdownRenderer, self).image(url, text, title)
