"""The package's layout keeps its promises: the science imports no widget or plotting code, and the flat API is lazy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODELS = sorted(p.stem for p in (ROOT / "course_utils" / "models").glob("*.py") if p.stem != "__init__")
BROWSER_STACK = ("ipywidgets", "matplotlib", "matplotlib.pyplot", "ipympl", "IPython.display")


def _fresh_modules(statement: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``statement``."""
    code = f"import sys, json; {statement}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                         check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("statement", ["import course_utils.models",
                                       *[f"import course_utils.models.{m}" for m in MODELS]])
def test_the_models_load_no_widget_or_plotting_code(statement):
    loaded = _fresh_modules(statement)
    leaked = sorted(m for m in BROWSER_STACK if m in loaded)
    assert not leaked, f"`{statement}` imported {leaked}: the science must not need a browser stack"


def test_import_course_utils_loads_nothing_until_a_name_is_used():
    loaded = _fresh_modules("import course_utils")
    assert not [m for m in BROWSER_STACK if m in loaded]
    assert "course_utils.models" not in loaded and "course_utils.widgets" not in loaded


def test_every_public_name_resolves_lazily_from_the_module_that_defines_it():
    import course_utils as cu

    assert len(cu.__all__) > 100
    for name in cu.__all__:
        value = getattr(cu, name)
        module = cu._WHERE[name]
        assert value is getattr(__import__(f"course_utils{module}", fromlist=[name]), name), name
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        cu.no_such_name  # noqa: B018 - the look-up itself is the test


def test_the_flat_api_lists_exactly_the_models_public_names():
    """course_utils names the models' public names without importing them (to stay lazy): the two lists agree."""
    import course_utils as cu
    import course_utils.models as models

    listed = {name for name, module in cu._WHERE.items() if module.startswith(".models")}
    assert listed == set(models.__all__)
