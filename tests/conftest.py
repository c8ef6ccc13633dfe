"""Shared test settings.

Browser tests need Chromium at /usr/bin/chromium (or $COURSE_CHROMIUM). Locally they skip with a reason when it
is missing; CI sets COURSE_REQUIRE_BROWSER=1, which turns that skip into a failure.
"""

from __future__ import annotations

import os
import shutil

import matplotlib
import pytest
from hypothesis import settings

matplotlib.use("Agg")

import matplotlib.pyplot as plt

import course_utils as cu

# Property tests check results, not speed: no per-example deadline (on a loaded 2-core machine a slow example
# would otherwise fail a correct test).
settings.register_profile("course", deadline=None)
settings.load_profile("course")


@pytest.fixture(autouse=True, scope="session")
def progress_file_outside_home(tmp_path_factory):
    """Quiz answers checked by tests go to a temporary progress file, never the learner's own (quiz.py)."""
    old = os.environ.get("MASSAGE_COURSE_PROGRESS")
    os.environ["MASSAGE_COURSE_PROGRESS"] = str(tmp_path_factory.mktemp("progress") / "progress.json")
    yield
    if old is None:
        os.environ.pop("MASSAGE_COURSE_PROGRESS", None)
    else:
        os.environ["MASSAGE_COURSE_PROGRESS"] = old


@pytest.fixture(autouse=True)
def course_style():
    """Every test draws in the course style and leaves Matplotlib's settings as it found them."""
    with matplotlib.rc_context():
        cu.use_course_style()
        yield
        cu.use_course_style(projector=False)


@pytest.fixture
def new_explorer():
    """Make explorers (``new_explorer(cu.VibrationExplorer)``); their figures are closed after the test."""
    made = []

    def make(cls):
        explorer = cls()
        made.append(explorer)
        return explorer

    yield make
    for explorer in made:
        plt.close(explorer.fig)


def require_browser() -> None:
    """Skip (or, in CI, fail) when headless Chromium or Playwright is not available."""
    chromium = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
    problem = None
    if not shutil.which(chromium):
        problem = f"Chromium not found at {chromium} (install it: apt-get install -y chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "Playwright is not installed (pip install -r requirements-dev.txt)"
    if problem:
        if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Browser test required in CI but cannot run: {problem}")
        pytest.skip(problem)
