"""The browser build (JupyterLite): the build refuses what it cannot verify, and the built site is the course.

The fast tests check the build's verification and the setup check's words without building anything. The rest
build the site once (``lite/build.py``, about a minute; ``$COURSE_LITE_SITE`` names a site built before), serve
it on 127.0.0.1 and open it in headless Chromium with every off-machine request counted and failed: every
notebook runs top to bottom with no error output, 07's frequency slider redraws its figure, and quiz progress
survives a reload and a browser restart.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
import tarfile
from pathlib import Path

import pytest

from .conftest import require_browser

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))


def _build_module():
    spec = importlib.util.spec_from_file_location("lite_build", REPO / "lite" / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["lite_build"] = module
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------ the build's checks (no build, no browser)
def test_a_file_whose_sha256_differs_from_the_lock_file_is_refused_and_named():
    build = _build_module()
    good = b"the real wheel"
    entry = {"file_name": "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl",
             "sha256": hashlib.sha256(good).hexdigest()}
    build.check_file(entry, "somewhere", good)  # the right bytes pass
    with pytest.raises(build.BuildError, match=r"refused numpy-2\.0\.2.*from a folder: sha256 [0-9a-f]{64}"):
        build.check_file(entry, "a folder", good + b"!")


@pytest.mark.parametrize("kind", ["folder", "archive"])
def test_a_folder_or_the_release_archive_is_a_source_of_the_same_files(tmp_path, kind):
    build = _build_module()
    data = b"compiled package"
    if kind == "folder":
        (tmp_path / "pyodide").mkdir()
        (tmp_path / "pyodide" / "six-1.16.0-py2.py3-none-any.whl").write_bytes(data)
        spec = str(tmp_path / "pyodide")
    else:
        member = tmp_path / "six-1.16.0-py2.py3-none-any.whl"
        member.write_bytes(data)
        spec = str(tmp_path / "pyodide-0.27.7.tar.bz2")
        with tarfile.open(spec, "w:bz2") as tar:
            tar.add(member, arcname="pyodide/six-1.16.0-py2.py3-none-any.whl")
    source = build.PackageSource(spec)
    where, got = source.get("six-1.16.0-py2.py3-none-any.whl")
    assert got == data and "six-1.16.0" in where
    with pytest.raises(build.BuildError, match=r"numpy\.whl is not in --pyodide-packages"):
        source.get("numpy.whl")


def test_an_unusable_package_source_is_refused_with_what_it_may_be(tmp_path):
    build = _build_module()
    with pytest.raises(build.BuildError, match=r"not a folder, a \.tar\.bz2 release archive, or pypi:NAME==VERSION"):
        build.PackageSource(str(tmp_path / "nothing.txt"))


def test_the_closure_of_the_course_needs_includes_every_dependency():
    build = _build_module()
    lock = {"packages": {"a": {"depends": ["b_c"]}, "b-c": {"depends": []}, "d": {"depends": []}}}
    assert build.closure(lock, ["a"]) == ["a", "b-c"]
    with pytest.raises(build.BuildError, match="e is not in Pyodide"):
        build.closure(lock, ["e"])


def test_the_setup_check_says_it_runs_in_the_browser_and_skips_the_packages_the_site_brings(monkeypatch, tmp_path):
    import matplotlib
    import matplotlib.pyplot as plt

    import course_utils as cu

    backend = matplotlib.get_backend()  # importing ipympl under a pretended browser must not change the tests' backend
    try:
        _check_setup_rows(cu, monkeypatch)
    finally:
        monkeypatch.undo()
        plt.switch_backend(backend)
        matplotlib.use(backend)


def _check_setup_rows(cu, monkeypatch):

    assert cu.environment() in ("local", "hub")
    assert "on this computer" in cu.setup_report()[0][1] or "JupyterHub" in cu.setup_report()[0][1]
    monkeypatch.setattr(sys, "platform", "emscripten")
    assert cu.environment() == "browser"
    rows = {name: (value, ok, fix) for name, value, ok, fix in cu.setup_report()}
    assert "in your browser (JupyterLite)" in rows["where the course runs"][0]
    assert "jupyterlab_widgets" not in rows  # its browser half is part of the site
    assert rows["saving your work"][1] is False  # no /drive here: the learner is told their work is not kept
    assert "https://" in rows["saving your work"][2]
    assert "pip" not in " ".join(fix for _v, _ok, fix in rows.values())  # never tells a browser learner to pip


# ------------------------------------------------------------------ the built site
@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from .lite_harness import build_site

    return build_site(tmp_path_factory.mktemp("lite") / "site")


def test_the_site_holds_the_course_and_not_the_answer_key(site):
    files = site / "files"
    assert sorted(p.name for p in (files / "notebooks").glob("*.ipynb")) == NOTEBOOKS
    assert (files / "images" / "trunk_map.png").exists()
    everything = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    assert not [p for p in everything if "instructor" in p or p.endswith("answers.md")]
    for name in NOTEBOOKS:  # the notebooks open with the browser's Python, and are stored without outputs
        nb = json.loads((files / "notebooks" / name).read_text(encoding="utf-8"))
        assert nb["metadata"]["kernelspec"]["name"] == "python"
        assert all(not c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")


def test_the_site_asks_no_cdn_and_every_pyodide_file_matches_its_lock_entry_and_names_its_source(site):
    config = json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.js" and kernel["disablePyPIFallback"] is True
    assert "@jupyterlab/apputils-extension:announcements" in config["disabledExtensions"]
    pyodide = site / "static" / "pyodide"
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    assert lock["info"]["version"] == "0.27.7"
    for entry in lock["packages"].values():  # every package the lock names is shipped, byte for byte
        path = pyodide / entry["file_name"]
        assert path.exists(), f"{entry['file_name']} is in the lock file but not in the site"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], entry["file_name"]
    assert {"numpy", "matplotlib", "ipywidgets", "ipympl", "course-utils"} <= set(lock["packages"])
    named = {s["file"] for s in json.loads((site / "SOURCES.json").read_text())["files"]}
    unnamed = [p.name for p in pyodide.iterdir() if f"static/pyodide/{p.name}" not in named]
    assert unnamed == [], f"files in the site whose source SOURCES.json does not name: {unnamed}"


@pytest.fixture(scope="module")
def lite(site):
    require_browser()
    from .lite_harness import Lite

    with Lite(site) as browser:
        yield browser


# Run in the notebook's browser kernel after Run All: press every preset and Reset of every explorer (as clicks
# do), then print what went wrong, if anything. (Quizzes are answered through the page: the progress test.)
PRESS_EVERYTHING = """
import gc, json, course_utils as cu
problems, pressed = [], 0
for e in [o for o in gc.get_objects() if isinstance(o, cu.Explorer)]:
    for name, button in list(e.preset_buttons.items()) + [("Reset", e.reset_button)]:
        button.click()
        pressed += 1
        if e.message.value:
            problems.append(f"{type(e).__name__} {name}: {e.message.value[:200]}")
print(json.dumps({"problems": problems, "pressed": pressed}))
"""


@pytest.mark.browser
@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_notebook_runs_top_to_bottom_in_the_browser_with_no_error_and_nothing_off_the_machine(lite, name):
    lite.open_notebook(name)
    cells = json.loads((REPO / "notebooks" / name).read_text(encoding="utf-8"))["cells"]
    if not any(c["cell_type"] == "code" for c in cells):  # the glossary: text only, shown as written
        assert lite.page.locator(".jp-MarkdownCell").count() == len(cells)
        lite.assert_no_errors()
        return
    lite.run_all(timeout_ms=420_000)
    lite.assert_no_errors()
    result = json.loads(lite.run_python(PRESS_EVERYTHING).strip().splitlines()[-1])
    assert result["problems"] == [], result["problems"]
    if "Explorer()" in (REPO / "notebooks" / name).read_text(encoding="utf-8"):
        assert result["pressed"] > 0, result  # the notebook's explorers were found and pressed
    lite.assert_no_errors()
    lite.offsite.assert_none(f"the browser build's {name}")
    if name == "00_start_here.ipynb":  # the setup check says where it runs
        text = lite.page.locator(".jp-Notebook").inner_text()
        assert "in your browser (JupyterLite)" in text and "Everything the course needs is working" in text


@pytest.mark.browser
@pytest.mark.timeout(600)
def test_07_frequency_slider_redraws_the_figure_in_the_browser(lite, tmp_path):
    from .lab_harness import wait_until

    lite.open_notebook("07_vibration_effects.ipynb")
    lite.run_all(timeout_ms=420_000)
    canvas = lite.figure_canvas(0)
    first = wait_until(lambda: lite.canvas_hash(canvas), lambda h: h != 0, timeout_s=60)
    before = lite.canvas_hash(canvas)
    readout = lite.slider("Frequency (Hz)").locator(".widget-readout")
    start = readout.inner_text()
    lite.drag_slider("Frequency (Hz)", 120)
    moved = wait_until(readout.inner_text, lambda t: t != start, timeout_s=10)
    after = wait_until(lambda: lite.canvas_hash(canvas), lambda h: h != before, timeout_s=30)
    lite.page.screenshot(path=str(tmp_path / "lite_07_after_step.png"))
    assert moved != start, f"the frequency slider did not move from {start}"
    assert first != 0 and after != before, "the 07 figure did not change after the frequency slider moved"
    lite.assert_no_errors()


@pytest.mark.browser
@pytest.mark.timeout(900)
def test_keys_belong_to_the_controls_arrow_keys_move_a_slider_and_enter_checks_a_number(lite):
    """JupyterLite's notebook used to take these keys for its own shortcuts (the page helpers now mark every
    control with data-lm-suppress-shortcuts)."""
    from course_utils.quiz import ENTRY_PLACEHOLDER

    from .lab_harness import wait_until

    lite.open_notebook("07_vibration_effects.ipynb")
    lite.run_all(timeout_ms=420_000)
    slider = lite.slider("Frequency (Hz)")
    readout = slider.locator(".widget-readout")
    start = readout.inner_text()
    handle = slider.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    lite.page.keyboard.press("ArrowRight")
    moved = wait_until(readout.inner_text, lambda t: t != start, timeout_s=15)
    assert moved != start, f"ArrowRight on the frequency slider left it at {start}"
    kernel_value = lite.run_python(
        "import gc, course_utils as cu\n"
        "print([e.values['frequency_hz'] for e in gc.get_objects() if isinstance(e, cu.Explorer)"
        " and 'frequency_hz' in e.values][0])")
    assert float(kernel_value.strip().splitlines()[-1]) == pytest.approx(float(moved), rel=0.02), (moved, kernel_value)

    lite.open_notebook("00_start_here.ipynb")
    lite.run_all(timeout_ms=420_000)
    box = lite.page.get_by_placeholder(ENTRY_PLACEHOLDER).first
    box.scroll_into_view_if_needed()
    box.fill("40")
    box.press("Enter")  # no click on Check
    quiz = lite.page.locator(".widget-vbox", has=lite.page.locator("h3", has_text="00 practice")).last
    quiz.locator("[role=status]", has_text="Correct").wait_for(state="visible", timeout=60_000)
    lite.assert_no_errors()


@pytest.mark.browser
@pytest.mark.timeout(900)
def test_quiz_progress_survives_a_reload_and_a_browser_restart(lite):
    from course_utils.quiz import ENTRY_PLACEHOLDER

    from .lab_harness import wait_until

    lite.open_notebook("00_start_here.ipynb")
    lite.run_all(timeout_ms=420_000)
    box = lite.page.get_by_placeholder(ENTRY_PLACEHOLDER).first
    box.scroll_into_view_if_needed()
    box.fill("40")
    quiz = lite.page.locator(".widget-vbox", has=lite.page.locator("h3", has_text="00 practice")).last
    quiz.locator("button", has_text="Check").last.click()
    quiz.locator("[role=status]", has_text="Correct").wait_for(state="visible", timeout=60_000)
    stored = wait_until(lambda: lite.run_python(
        "import json, course_utils.progress as p; print(json.dumps(sorted(json.loads("
        "p.progress_path().read_text())['answers'])))"), lambda t: "00 practice#2" in t, timeout_s=30)
    assert "00 practice#2" in stored, stored
    assert lite.run_python("import course_utils.progress as p; print(p.progress_path())").startswith("/drive/")

    def saved_mark_shown() -> bool:
        lite.open_notebook("00_start_here.ipynb")
        lite.run_all(timeout_ms=420_000)
        marks = lite.page.locator(".course-quiz-saved")
        return any("latest answer ✔ right" in marks.nth(i).inner_text() for i in range(marks.count()))

    lite.page.reload()
    assert saved_mark_shown(), "after a reload, 00's quiz did not show the answer saved before it"
    lite.restart_browser()
    assert saved_mark_shown(), "after a browser restart, 00's quiz did not show the answer saved before it"
    lite.open_notebook("10_review.ipynb")
    lite.run_all(timeout_ms=420_000)
    summary = lite.run_python("import json, course_utils as cu; print(json.dumps(cu.progress_summary()))")
    assert json.loads(summary)["00"]["answered"] >= 1, summary  # notebook 10 sees what 00 saved
    lite.assert_no_errors()


def _answer_choice(lite, quiz_title: str, number: int, option: str) -> None:
    """In the current tab, pick ``option`` of question ``number`` of the quiz titled ``quiz_title``, press Check
    and wait for its feedback."""
    quiz = lite.page.locator(".widget-vbox", has=lite.page.locator("h3", has_text=quiz_title)).last
    box = quiz.locator(".widget-vbox", has=lite.page.locator(".widget-html", has_text=f"Question {number}")).last
    label = box.locator(".widget-radio-box label", has_text=option).first
    label.scroll_into_view_if_needed()
    label.click()
    box.locator("button", has_text="Check").click()
    box.locator("[role=status]", has_text="Correct").wait_for(state="visible", timeout=60_000)


@pytest.mark.browser
@pytest.mark.timeout(900)
def test_two_tabs_answering_in_turn_keep_every_answer_in_the_progress_file(lite):
    """Two tabs of one browser (one storage, two kernels): answers checked in A, then B, then A again are all in
    the progress file, each kernel stays responsive, and notebook 10, opened after, counts them all."""
    from .lab_harness import wait_until

    read = ("import json, course_utils.progress as p; print(json.dumps(sorted(json.loads("
            "p.progress_path().read_text())['answers'])))")
    tab_a = lite.page
    try:
        lite.open_notebook("01_how_massage_works.ipynb")
        lite.run_all(timeout_ms=420_000)
        tab_b = lite.context.new_page()
        lite.page = tab_b
        lite.open_notebook("03_stroking.ipynb")
        lite.run_all(timeout_ms=420_000)

        def to(tab) -> None:
            lite.page = tab
            tab.bring_to_front()

        to(tab_a)
        _answer_choice(lite, "01 self-check", 1, "The size of the contact")
        to(tab_b)
        _answer_choice(lite, "03 self-check", 1, "About 3 cm/s")
        to(tab_a)
        _answer_choice(lite, "01 self-check", 3, "Histamine and acetylcholine")
        want = ["01 self-check#1", "01 self-check#3", "03 self-check#1"]
        for tab in (tab_a, tab_b):  # both kernels answer (a frozen kernel never would) and read the same file
            to(tab)
            idle = wait_until(lambda: lite.page.evaluate(
                "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status"),
                lambda s: s == "idle", timeout_s=60)
            assert idle == "idle", f"a tab's kernel stayed {idle} after its check"
            stored = json.loads(lite.run_python(read).strip().splitlines()[-1])
            assert set(want) <= set(stored), stored
        marks = tab_a.locator(".course-quiz-saved")  # tab A's quiz marks its two saved answers
        assert marks.count() == 2, [marks.nth(i).inner_text() for i in range(marks.count())]
        tab_c = lite.context.new_page()
        to(tab_c)
        lite.open_notebook("10_review.ipynb")
        lite.run_all(timeout_ms=420_000)
        table = lite.page.locator("table", has_text="Your self-check answers").inner_text()
        rows = {line.split("\t")[0]: line.split("\t")[1:] for line in table.splitlines() if "\t" in line}
        assert rows.get("01", [None])[0] == "2" and rows.get("03", [None])[0] == "1", table
        lite.assert_no_errors()
        lite.offsite.assert_none("two tabs answering in turn")
    finally:
        for tab in lite.context.pages:
            if tab is not tab_a:
                tab.close()
        lite.page = tab_a
