"""Voila: the explorers as apps for a workshop, without code, offline, in projector mode on request.

Each test starts Voila on 127.0.0.1 with the course's ``voila.json`` (the command the README gives the instructor)
and drives it in headless Chromium at 1280 × 720, a common projector. Requests to any other host are counted and
refused, and fail the test (tests/test_offline.py checks each kind of page for them, and with them left hanging).
Every wait has a time limit and fails with what the page shows.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from .conftest import require_browser

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

REPO = Path(__file__).resolve().parents[1]
NB_07 = "notebooks/07_vibration_effects.ipynb"


def _voila(target: str, **kwargs):
    require_browser()
    from .lab_harness import Voila

    return Voila(target, **kwargs)


def notebooks_with_explorers() -> list[str]:
    """Course notebooks whose code shows an explorer (``cu.<Name>Explorer(``)."""
    found = []
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        if re.search(r"cu\.\w+Explorer\(", code):
            found.append(f"notebooks/{path.name}")
    return found


def _stable_canvas_hash(app, canvas, timeout_s: float = 30) -> int:
    """Wait until the figure is drawn and has not changed for 1 s (its first frame is complete)."""
    deadline = time.monotonic() + timeout_s
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        value = app.canvas_hash(canvas)
        if value != last:
            last, since = value, time.monotonic()
        elif time.monotonic() - since >= 1.0 and value != 0:
            return value
        time.sleep(0.1)
    raise AssertionError(f"the figure kept changing (or stayed blank) for {timeout_s:.0f} s after it appeared")


def _assert_no_code_and_no_error(app, name: str) -> None:
    code = app.page.locator(".jp-CodeCell .jp-InputArea, .cm-editor, .jp-InputArea-editor").count()
    assert code == 0, f"{name}: {code} code editors visible in Voila"
    text = app.page.locator("body").inner_text()
    for snippet in ("import course_utils", "%matplotlib", "cu.use_course_style"):
        assert snippet not in text, f"{name}: code ({snippet!r}) is visible in Voila"
    assert "Traceback" not in text and "could not be shown" not in text, f"{name}: an error is shown"
    assert app.errors_shown() == [], f"{name}: error output in Voila: {app.errors_shown()}"


def test_voila_shows_07_explorer_without_code_and_a_keyboard_slider_step_redraws_it(tmp_path):
    with _voila(NB_07) as app:
        app.open(timeout_s=240)
        canvas = app.page.locator(".jupyter-matplotlib-canvas-div canvas").first
        before = _stable_canvas_hash(app, canvas)
        slider = app.page.locator(".widget-slider", has=app.page.locator(".widget-label", has_text="Frequency (Hz)"))
        readout = slider.first.locator(".widget-readout")
        value_before = readout.inner_text()
        handle = slider.first.locator(".noUi-handle")
        handle.focus()
        app.page.keyboard.press("ArrowRight")
        from .lab_harness import wait_until

        after = wait_until(lambda: app.canvas_hash(canvas), lambda h: h != before, 20)
        app.page.screenshot(path=str(tmp_path / "voila_07_after_step.png"))
        assert after != before, "the figure's pixels did not change after one arrow-key step of the Frequency slider"
        assert readout.inner_text() != value_before, "the Frequency read-out did not change"
        _assert_no_code_and_no_error(app, NB_07)


def test_voila_projector_mode_from_the_url_enlarges_figure_and_controls(tmp_path):
    with _voila(NB_07) as app:
        app.open(query="projector=1", timeout_s=240)
        canvas = app.page.locator(".jupyter-matplotlib-canvas-div canvas").first
        _stable_canvas_hash(app, canvas)
        box = app.page.locator(".cu-projector").first
        assert box.count() == 1, "the explorer was not built in projector mode (?projector=1 ignored)"
        width = canvas.evaluate("c => c.getBoundingClientRect().width")
        # projector mode puts the controls in a 256-px column on the left; the figure fills the rest (978 px)
        assert width >= 950, f"the figure is {width:.0f} px wide on a 1280-px screen; projector mode should fill it"
        label_px = float(box.locator(".widget-label").first.evaluate("e => getComputedStyle(e).fontSize")[:-2])
        button_px = float(box.locator("button").first.evaluate("e => getComputedStyle(e).fontSize")[:-2])
        assert label_px >= 20 and button_px >= 20, (label_px, button_px)
        canvas.scroll_into_view_if_needed()
        app.page.screenshot(path=str(tmp_path / "voila_07_projector.png"))
        _assert_no_code_and_no_error(app, NB_07)


def test_workshop_app_projects_one_explorer_alone_and_lists_them_all(tmp_path):
    from course_utils import explorers

    with _voila(".") as app:
        app.open(path="workshop_apps/explorer.ipynb", timeout_s=120, figure=False)
        links = app.page.locator("a[href^='?explorer=']")
        from .lab_harness import wait_until

        wait_until(links.count, lambda n: n >= len(explorers.__all__), 30)
        assert links.count() == len(explorers.__all__), "the app should list every explorer"

        app.open(path="workshop_apps/explorer.ipynb", query="explorer=VibrationExplorer", timeout_s=240)
        canvas = app.page.locator(".jupyter-matplotlib-canvas-div canvas")
        assert canvas.count() == 2, "one explorer (ipympl draws two stacked canvases per figure)"
        assert app.page.locator(".cu-projector").count() == 1, "the app shows its explorer in projector mode"
        _stable_canvas_hash(app, canvas.first)
        app.page.screenshot(path=str(tmp_path / "app_vibration.png"))
        _assert_no_code_and_no_error(app, "workshop_apps/explorer.ipynb")


_FIT_JS = """() => {
  const box = document.querySelector('.cu-projector');
  const rect = e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left,
                                                                   right: r.right}; };
  // labels, read-outs and buttons of the column of controls whose text is cut (an ellipsis) or overflows
  const cut = Array.from(box.querySelectorAll('.cu-side .widget-label, .cu-side .widget-readout, .cu-side button'))
    .filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
    .map(e => e.textContent.trim().slice(0, 40));
  return {box: rect(box), title: rect(box.querySelector('h3')), text: rect(box.querySelector('.cu-right')
            .children[1]), canvas: rect(box.querySelector('.jupyter-matplotlib-canvas-div canvas')),
          side: rect(box.querySelector('.cu-side')), cut: cut, viewport: [window.innerWidth, window.innerHeight],
          scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight]};
}"""


def _assert_explorer_fits_the_screen(app, name: str) -> list[float]:
    """Open explorer ``name`` alone in the app; at start-up and at every preset check that it fits 1280 × 720:
    title to text line within 720 px, the figure wholly on screen right of the controls, no scrolling, no cut
    label or button. Returns the explorer's bottom edge (px) at each state."""
    from course_utils import explorers

    app.open(path="workshop_apps/explorer.ipynb", query=f"explorer={name}", timeout_s=240)
    _stable_canvas_hash(app, app.page.locator(".jupyter-matplotlib-canvas-div canvas").first)
    bottoms = []
    for preset in [None, *getattr(explorers, name).presets]:
        if preset is not None:  # a longer text line must not push the box off the screen
            app.page.locator(f'button[title="Preset: {preset}"]').click()
            app.page.wait_for_timeout(500)
        m = app.page.evaluate(_FIT_JS)
        where = f"{name} at {preset or 'start-up'}: {m}"
        assert m["viewport"] == [1280, 720]
        top, bottom = m["title"]["top"], max(m["text"]["bottom"], m["box"]["bottom"])
        assert top >= 0 and bottom - top <= 720 and bottom <= 720, f"the explorer is taller than the screen: {where}"
        c = m["canvas"]
        assert c["left"] >= 0 and c["top"] >= 0 and c["right"] <= 1280 and c["bottom"] <= 720, \
            f"the figure is not wholly on screen: {where}"
        assert c["left"] >= m["side"]["right"], f"the figure should be right of the controls: {where}"
        assert m["scroll"] == [1280, 720], f"the page scrolls: {where}"
        assert m["cut"] == [], f"text cut in the column of controls: {where}"
        bottoms.append(bottom)
    return bottoms


def test_workshop_app_fits_the_07_explorer_on_a_1280x720_projector_screen(tmp_path):
    """Projector mode, F11 full screen: title, controls, presets, Reset, figure and text line without scrolling."""
    with _voila(".") as app:
        _assert_explorer_fits_the_screen(app, "VibrationExplorer")
        app.page.screenshot(path=str(tmp_path / "app_vibration_projector_1280x720.png"))
        _assert_no_code_and_no_error(app, "workshop_apps/explorer.ipynb")


def test_workshop_app_fits_every_explorer_on_a_1280x720_projector_screen(tmp_path):
    from course_utils import explorers

    with _voila(".") as app:
        for name in explorers.__all__:
            _assert_explorer_fits_the_screen(app, name)
            app.page.screenshot(path=str(tmp_path / f"app_{name}_projector_1280x720.png"))
            _assert_no_code_and_no_error(app, f"workshop_apps/explorer.ipynb?explorer={name}")


def test_every_notebook_with_an_explorer_runs_in_voila_with_images_and_no_error():
    names = notebooks_with_explorers()
    assert len(names) >= 7
    shown = 0
    with _voila(".") as app:
        for name in names:
            app.open(path=name, timeout_s=240)
            images = app.page.evaluate(  # the notebook's own images (Markdown cells), not widget internals
                "() => Array.from(document.querySelectorAll('#rendered_cells .jp-MarkdownCell img'))"
                ".map(i => [i.alt, i.complete && i.naturalWidth > 0])")
            assert all(ok for _alt, ok in images), f"{name}: images that did not load: {images}"
            shown += len(images)
            _assert_no_code_and_no_error(app, name)
    assert shown >= 1, "no Markdown image found (02's trunk map should be one)"


def _readme_rows() -> list[tuple[str, str, str]]:
    """(number, notebook name, one line) of the course table in README.md, in order (read here independently)."""
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| # | Notebook |"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append(tuple(c.strip() for c in line.strip().strip("|").split("|")))
    return rows


_DOOR_JS = """() => Array.from(document.querySelectorAll('#cu-door ol.cu-door-list > li')).map(li => ({
    num: (li.querySelector('.cu-door-num') || {}).textContent || '',
    name: li.querySelector('.cu-door-name').textContent.trim(),
    line: ((li.querySelector('.cu-door-line') || {}).textContent || '').trim(),
    href: li.querySelector('a').getAttribute('href')}))"""


def test_front_door_lists_the_notebooks_in_order_hides_code_and_a_click_sets_projector_mode(tmp_path):
    """`voila .`'s own address opens the course's page: README's table in order (one line each, each linking its
    notebook), the single-explorer app, a projector switch that a click sets and the browser remembers, and no
    code folders in Voila's file list. A link clicked with the switch on opens its page in projector mode."""
    rows = _readme_rows()
    assert len(rows) >= 12, rows
    with _voila(".") as app:
        app.page.goto(f"{app.url}/", timeout=240_000)
        app.page.wait_for_selector("#cu-door-switch", timeout=240_000)
        assert app.page.url.endswith("/voila/render/workshop_apps/index.ipynb"), app.page.url
        shown = app.page.evaluate(_DOOR_JS)
        assert [(r["num"].strip(), r["name"], r["line"]) for r in shown] == rows, "the front door is not README's table"
        for (number, name, _line), row in zip(rows, shown, strict=True):
            target = row["href"]
            assert target.startswith("../notebooks/") and target.endswith(".ipynb"), (name, target)
            assert (REPO / target[3:]).is_file(), f"{name}: link to a missing notebook {target}"
            assert Path(target).name.startswith(number + "_") if number else name.lower() in target, (name, target)
        app_link = app.page.locator("a.cu-door-app")
        assert app_link.count() == 1 and app_link.get_attribute("href").startswith("explorer.ipynb")
        _assert_no_code_and_no_error(app, "the front door")
        app.page.screenshot(path=str(tmp_path / "front_door_projector_off.png"))

        # the switch: off at first, a click turns it on and every link then carries ?projector=1
        switch = app.page.locator("#cu-door-switch")
        assert switch.get_attribute("aria-checked") == "false"
        assert all("projector" not in r["href"] for r in shown)
        assert app_link.get_attribute("href") == "explorer.ipynb?projector=0", "the app opens in projector mode"
        switch.click()
        assert switch.get_attribute("aria-checked") == "true"
        on = app.page.evaluate(_DOOR_JS)
        assert all(r["href"].endswith(".ipynb?projector=1") for r in on), on
        assert app_link.get_attribute("href") == "explorer.ipynb?projector=1"
        assert "projector=1" in app.page.url, "the page's address should keep the choice"
        app.page.screenshot(path=str(tmp_path / "front_door_projector_on.png"))

        # remembered: the home address again (no query) opens the front door with the switch on
        app.page.goto(f"{app.url}/", timeout=240_000)
        app.page.wait_for_selector("#cu-door-switch", timeout=240_000)
        app.page.wait_for_function("() => document.getElementById('cu-door-switch')"
                                   ".getAttribute('aria-checked') === 'true'", timeout=10_000)

        # a click on a notebook opens it here (not in a new tab), in projector mode
        app.page.locator("#cu-door a", has_text="How massage acts on the body").click()
        app.page.wait_for_url("**/voila/render/notebooks/01_how_massage_works.ipynb?projector=1", timeout=60_000)
        app.page.wait_for_selector(".cu-projector", timeout=240_000)
        assert len(app.context.pages) == 1, "the link opened a new tab"
        app.page.screenshot(path=str(tmp_path / "front_door_to_01_projector.png"))

        # a click off again: the app link asks for normal sizes, and the app's own list keeps that choice
        app.page.goto(f"{app.url}/", timeout=240_000)
        app.page.wait_for_selector("#cu-door-switch", timeout=240_000)
        switch.click()
        assert switch.get_attribute("aria-checked") == "false"
        app_link.click()
        app.page.wait_for_url("**/workshop_apps/explorer.ipynb?projector=0", timeout=60_000)
        app.page.wait_for_selector("a[href^='?explorer=']", timeout=120_000)
        hrefs = app.page.eval_on_selector_all("a[href^='?explorer=']", "as => as.map(a => a.getAttribute('href'))")
        assert hrefs and all(h.endswith("&projector=0") for h in hrefs), hrefs

        # Voila's file list shows the course's folders, not its code (the repository's folders, made here)
        code = ["benchmarks", "course_utils", "course_utils.egg-info", "images", "instructor", "share", "tests",
                "workshop"]
        for folder in code:
            (app.workdir / folder).mkdir(exist_ok=True)
            (app.workdir / folder / "x.ipynb").write_text((REPO / "workshop_apps" / "index.ipynb").read_text())
        names = app.page.evaluate("async () => (await (await fetch('/voila/api/contents/')).json())"
                                  ".content.map(c => c.name)")
        assert sorted(names) == ["notebooks", "workshop_apps"], names
        app.page.goto(f"{app.url}/voila/tree", timeout=120_000)
        app.page.wait_for_selector("text=workshop_apps", timeout=120_000)
        listed = app.page.locator(".jp-DirListing-content").inner_text().split()
        assert "notebooks" in listed and not set(code) & set(listed), listed


def _wait_gone(app, kernel_id: str, timeout_s: float) -> float:
    """Seconds until Voila no longer runs ``kernel_id``; fail after ``timeout_s``."""
    start = time.monotonic()
    while app.kernel_running(kernel_id):
        assert time.monotonic() - start < timeout_s, f"kernel {kernel_id} still runs after {timeout_s:.0f} s"
        time.sleep(0.5)
    return time.monotonic() - start


def test_leaving_or_closing_a_page_shuts_its_kernel_down(tmp_path):
    """Voila shuts a page's kernel down when the browser leaves the page or closes its tab (a beacon that needs
    Voila's _xsrf cookie; the course's template gets it for a page opened directly, not from the home page)."""
    with _voila(".") as app:
        app.open(path="workshop_apps/explorer.ipynb", timeout_s=240, figure=False)  # opened directly
        left = app.kernel_id()
        assert app.kernel_running(left)
        app.page.wait_for_function("() => document.cookie.includes('_xsrf=')", timeout=30_000)
        app.open(path="workshop_apps/index.ipynb", timeout_s=240, figure=False)  # the learner goes on
        print(f"kernel of the page left: gone after {_wait_gone(app, left, 30):.1f} s")

        tab = app.context.new_page()
        tab.goto(f"{app.url}/voila/render/workshop_apps/explorer.ipynb", timeout=240_000)
        tab.wait_for_selector("a[href^='?explorer=']", timeout=240_000)
        closed = app.kernel_id(tab)
        assert app.kernel_running(closed)
        tab.close(run_before_unload=True)  # as a browser closes a tab
        print(f"kernel of the tab closed: gone after {_wait_gone(app, closed, 30):.1f} s")
        assert app.kernel_running(app.kernel_id()), "the page still open lost its kernel"


def test_closed_pages_kernels_are_culled_within_the_window_and_open_pages_kernels_are_kept(tmp_path):
    """A page closed without a word to Voila (a tab killed, a laptop put to sleep) leaves its kernel; the culling of
    voila.json stops it once it has been idle and unconnected for the window (here shortened to 15 s, checked every
    3 s). A page that stays open keeps its kernel past the window."""
    window, interval = 15, 3
    with _voila(".", config=[f"--MappingKernelManager.cull_idle_timeout={window}",
                             f"--MappingKernelManager.cull_interval={interval}"]) as app:
        app.open(path="workshop_apps/explorer.ipynb", timeout_s=240, figure=False)
        kept = app.kernel_id()
        closed_page = app.context.new_page()
        closed_page.goto(f"{app.url}/voila/render/workshop_apps/index.ipynb", timeout=240_000)
        closed_page.wait_for_selector("#cu-door-switch", timeout=240_000)
        closed = app.kernel_id(closed_page)
        assert closed != kept and app.kernel_running(closed)
        closed_page.close()  # no beforeunload: Voila is not told
        start = time.monotonic()
        time.sleep(4)
        assert app.kernel_running(closed), "the kernel went at once: this test is about culling, not the beacon"
        gone_after = 4 + _wait_gone(app, closed, window + 3 * interval + 30)
        print(f"closed page's kernel culled {gone_after:.0f} s after the page closed (window {window} s)")
        time.sleep(max(0.0, window + 2 * interval - (time.monotonic() - start)))
        assert app.kernel_running(kept), "the kernel of a page still open was culled"
        assert app.errors_shown() == []
