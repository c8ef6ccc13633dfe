"""The repository's promises to a newcomer: two README commands, CI running the same test command."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.*?)\n```", text, flags=re.S)


def test_readme_opens_with_exactly_two_commands_install_and_test():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    head = text.split("## ", 1)[0]  # everything before the first section
    blocks = re.findall(r"```bash\n(.*?)\n```", head, flags=re.S)
    assert len(blocks) == 2, f"README should open with exactly two commands, found {len(blocks)}"
    open_cmd, test_cmd = blocks
    assert "requirements.txt" in open_cmd and "jupyter lab notebooks/00_start_here.ipynb" in open_cmd
    assert "requirements-dev.txt" in test_cmd and "pytest" in test_cmd
    assert "\n" not in open_cmd and "\n" not in test_cmd, "each is one command line"


def test_ci_runs_the_readme_test_command_verbatim():
    test_cmd = _readme_commands()[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    run_lines = [ln.strip() for ln in ci.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    assert test_cmd in run_lines, ".ci/run must call the README's test command word for word"
    assert "COURSE_REQUIRE_BROWSER=1" in ci, "CI must turn the browser-test skip into a failure"


def test_requirements_install_course_utils_and_dev_includes_them():
    req = (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "-e ." in [ln.split("#")[0].strip() for ln in req]
    dev = (REPO / "requirements-dev.txt").read_text(encoding="utf-8")
    assert "-r requirements.txt" in dev
    for tool in ("pytest", "nbval", "hypothesis", "playwright", "pytest-timeout"):
        assert re.search(rf"^{tool}\b", dev, flags=re.M), f"{tool} missing from requirements-dev.txt"


def test_readme_launch_starts_as_root_and_turns_off_the_news_pop_up():
    """Run as root (a container, some hubs), JupyterLab refuses to start without --allow-root, which changes
    nothing for anyone else; the course's settings folder turns off the news and update notifications, so no
    pop-up covers notebook 00 on first open (checked in the browser for issue 15)."""
    import json
    import shlex

    words = shlex.split(_readme_commands()[0].split("jupyter lab", 1)[1])
    assert "--allow-root" in words or "--ServerApp.allow_root=True" in words
    folder = [w.split("=", 1)[1] for w in words if w.startswith("--LabApp.app_settings_dir=")]
    assert len(folder) == 1, "the README's launch should name the course's JupyterLab settings folder"
    overrides = json.loads((REPO / folder[0] / "overrides.json").read_text(encoding="utf-8"))
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    assert notification == {"fetchNews": "false", "checkForUpdates": False}
