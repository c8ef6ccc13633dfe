"""Browser tests: JupyterLab in headless Chromium, used as a learner would use it.

Each test starts JupyterLab on 127.0.0.1 with a copy of the course, opens a notebook, runs all cells, moves an
explorer's control with the mouse, and checks the figure's pixels, the explorer's text line and that no error
or traceback appears. Screenshots go to the test's temporary folder.
"""

from __future__ import annotations

import pytest

from .conftest import require_browser

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def _open(name: str):
    require_browser()
    from .lab_harness import Lab

    lab = Lab([name])
    try:
        lab.open_notebook(name)
        lab.run_all()
    except Exception:
        lab.close()
        raise
    return lab


def _first_frame(lab, canvas, rows: int = 1, cols: int = 1) -> list[int]:
    """Wait until the first frame is complete (the browser shows exactly the kernel's picture); return the
    fingerprints of its ``rows`` × ``cols`` regions."""
    _assert_browser_shows_kernel_figure(lab, canvas, timeout_s=20)
    return lab.canvas_region_hashes(canvas, rows, cols)


def _text_line(lab, words: str):
    from .lab_harness import wait_until

    locator = lab.page.locator(".widget-html", has_text=words).first
    wait_until(locator.count, lambda n: n > 0, 20)
    return locator


def _assert_browser_shows_kernel_figure(lab, canvas, timeout_s: float = 5) -> None:
    """Once the learner pauses, the browser shows exactly the picture the kernel drew, pixel for pixel."""
    from .lab_harness import wait_until

    kernel, shown = wait_until(lambda: (lab.kernel_figure_fingerprint(0), lab.canvas_fingerprint(canvas)),
                               lambda pair: pair[0] == pair[1], timeout_s)
    assert shown == kernel, "the browser's figure differs from the kernel's (a frame was lost)"


def test_01_explorer_slider_and_preset_redraw_figure_without_errors(tmp_path):
    from .lab_harness import wait_until

    with _open("01_how_massage_works.ipynb") as lab:
        canvas = lab.figure_canvas(0)
        text = _text_line(lab, "presses the skin with")
        before = _first_frame(lab, canvas)
        before_text = text.inner_text()

        lab.drag_slider("Contact radius (mm)", 90)
        after = wait_until(lambda: lab.canvas_region_hashes(canvas, 1, 1), lambda h: h != before)
        after_text = wait_until(text.inner_text, lambda t: t != before_text)
        lab.page.screenshot(path=str(tmp_path / "01_after_drag.png"))
        assert after != before, "the figure's pixels did not change after dragging the slider"
        assert after_text != before_text, "the explorer's text line did not change after dragging the slider"

        # A preset changes two sliders at once, and the browser must end up showing exactly what the kernel drew
        # (a change once stayed unseen until the next one, when two images arrived almost together).
        for preset, force in (("Whole palm", "60 N"), ("Fingertip", "10 N"), ("Thumb", "20 N")):
            lab.page.get_by_role("button", name=preset).click()
            assert force in wait_until(text.inner_text, lambda t, force=force: force in t)
            _assert_browser_shows_kernel_figure(lab, canvas)
        lab.assert_no_errors()


def test_04_rubbing_force_slider_redraws_figure_and_text_without_errors(tmp_path):
    from .lab_harness import wait_until

    with _open("04_rubbing.ipynb") as lab:
        canvas = lab.figure_canvas(0)
        text = _text_line(lab, "of heat into the skin")
        before = _first_frame(lab, canvas)
        before_text = wait_until(text.inner_text, lambda t: t != "")  # the widget can render before its text
        assert "20 N" in before_text, before_text

        lab.drag_slider("Force (N)", 120)
        after = wait_until(lambda: lab.canvas_region_hashes(canvas, 1, 1), lambda h: h != before)
        after_text = wait_until(text.inner_text, lambda t: t != before_text)
        lab.page.screenshot(path=str(tmp_path / "04_after_drag.png"))
        assert after != before, "the figure's pixels did not change after dragging the Force slider"
        assert after_text != before_text and "20 N" not in after_text
        _assert_browser_shows_kernel_figure(lab, canvas)
        lab.assert_no_errors()


def test_07_frequency_drag_redraws_all_four_panels_without_errors(tmp_path):
    from .lab_harness import wait_until

    with _open("07_vibration_effects.ipynb") as lab:
        canvas = lab.figure_canvas(0)
        text = lab.page.locator(".widget-html", has=lab.page.locator("[aria-live=polite]")).first  # the verdict
        before = _first_frame(lab, canvas, 2, 2)
        before_text = text.inner_text()

        lab.drag_slider("Frequency (Hz)", 120)
        after = wait_until(lambda: lab.canvas_region_hashes(canvas, 2, 2),
                           lambda h: all(a != b for a, b in zip(h, before, strict=True)))
        after_text = wait_until(text.inner_text, lambda t: t != before_text)
        lab.page.screenshot(path=str(tmp_path / "07_after_drag.png"))
        panels = ["waveform (top left)", "nervous system (top right)", "vessels (bottom left)", "pain (bottom right)"]
        unchanged = [p for p, a, b in zip(panels, after, before, strict=True) if a == b]
        assert not unchanged, f"these panels did not redraw after dragging the frequency slider: {unchanged}"
        assert after_text != before_text, "the verdict line did not change after dragging the slider"
        _assert_browser_shows_kernel_figure(lab, canvas)
        lab.assert_no_errors()


def _readme_lab_arguments() -> list[str]:
    """The arguments the README's first command gives ``jupyter lab`` (e.g. the notebook to open, the root)."""
    import re
    import shlex

    from .lab_harness import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first = re.findall(r"```bash\n(.*?)\n```", readme, flags=re.S)[0]
    words = shlex.split(first.split("jupyter lab", 1)[1])
    return [w for w in words if w != "&&"]


def test_readme_launch_serves_the_course_root_and_every_notebook_image_loads(tmp_path):
    """With the README's launch options (run from the course's folder), every image in every notebook loads."""
    require_browser()
    import json
    import re
    import urllib.request

    from .lab_harness import REPO, Lab, wait_until

    args = _readme_lab_arguments()
    assert any(a.endswith("00_start_here.ipynb") for a in args), f"the README should open notebook 00: {args}"
    names = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))
    with Lab(names, launch_args=args) as lab:
        # Served from the course's root: notebooks/ and images/ are both inside it.
        listing = json.load(urllib.request.urlopen(f"{lab.url}/api/contents?token={lab.token}", timeout=10))
        top = {item["name"] for item in listing["content"]}
        assert {"notebooks", "images"} <= top, f"the README's launch does not serve the course's root: {top}"
        loaded = 0
        for name in names:
            lab.page.goto(f"{lab.url}/lab/tree/notebooks/{name}?token={lab.token}", timeout=60_000)
            current = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"  # the tab in front (others stay open)
            lab.page.wait_for_selector(f"{current} .jp-Cell", timeout=60_000)
            cells = json.loads((REPO / "notebooks" / name).read_text(encoding="utf-8"))["cells"]
            markdown = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
            expected = len(re.findall(r"!\[[^\]]*\]\(|<img\b", markdown))  # images the notebook shows
            images = wait_until(
                lambda current=current: lab.page.evaluate(
                    f"() => Array.from(document.querySelectorAll('{current} .jp-RenderedMarkdown img'))"
                    ".map(i => [i.getAttribute('src'), i.complete, i.naturalWidth])"),
                lambda imgs, expected=expected: len(imgs) >= expected and all(done for _s, done, _w in imgs), 30)
            assert len(images) >= expected, f"{name}: {len(images)} of {expected} images rendered"
            broken = [src for src, _done, width in images if not width]
            if broken:
                lab.page.screenshot(path=str(tmp_path / f"{name}.png"))
            assert not broken, f"{name}: images that did not load: {broken}"
            loaded += len(images)
        assert loaded >= 1, "no image found in any notebook (02's trunk map should be one)"
