"""The course's Voila template is found: voila_support puts the course's share/jupyter first on JUPYTER_PATH."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from course_utils import voila_support

REPO = Path(__file__).resolve().parents[1]


def test_course_template_path_goes_first_once_and_keeps_the_others():
    env = {"JUPYTER_PATH": os.pathsep.join(["/a", "/b"])}
    assert voila_support.add_course_template_path(env) is True  # the template folder exists in the repository
    assert voila_support.add_course_template_path(env) is True
    assert env["JUPYTER_PATH"].split(os.pathsep) == [str(REPO / "share" / "jupyter"), "/a", "/b"]
    empty: dict[str, str] = {}
    voila_support.add_course_template_path(empty)
    assert empty["JUPYTER_PATH"] == str(REPO / "share" / "jupyter")


def test_course_template_path_rejects_what_is_not_an_environment():
    with pytest.raises(TypeError, match="environ"):
        voila_support.add_course_template_path(["JUPYTER_PATH=/a"])


def test_voila_json_names_the_course_template_and_it_extends_voilas_lab_template():
    config = json.loads((REPO / "voila.json").read_text())
    assert config["VoilaConfiguration"]["template"] == voila_support.COURSE_TEMPLATE
    folder = REPO / "share" / "jupyter" / "nbconvert" / "templates" / voila_support.COURSE_TEMPLATE
    assert json.loads((folder / "conf.json").read_text())["base_template"] == "lab"
    for name in ("index.html.j2", "page.html", "tree-lab.html"):
        text = (folder / name).read_text()
        assert not re.search(r"https?://", re.sub(r"\{#.*?#\}", "", text, flags=re.S)), f"{name} links elsewhere"
    # the culling that stops kernels of closed pages, and never those of open pages
    kernels = config["MappingKernelManager"]
    assert 0 < kernels["cull_idle_timeout"] <= 300 and kernels["cull_connected"] is False
