"""The package's layout keeps its promises: the science imports no widget or plotting code, and the flat API is lazy."""

from __future__ import annotations

import ast
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


# ------------------------------------------------------------------------------------------------ import circles


def _import_graph(package_dir: Path) -> dict[str, set[str]]:
    """Module → the package's modules it imports, from the source: every import counts, also one inside a
    function or under ``if TYPE_CHECKING`` (a lazy import is still a circle between the two modules)."""
    mods: dict[str, tuple[Path, bool]] = {}
    for f in package_dir.rglob("*.py"):
        parts = list(f.relative_to(package_dir.parent).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        mods[".".join(parts[:-1] if is_pkg else parts)] = (f, is_pkg)
    graph: dict[str, set[str]] = {}
    for name, (f, is_pkg) in mods.items():
        pkg = name if is_pkg else name.rsplit(".", 1)[0]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = pkg.split(".")[: len(pkg.split(".")) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                subs = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in mods]
                found = subs or [target]  # `from . import x` imports the module x, not the package's other parts
            elif isinstance(node, ast.Import):
                found = [a.name for a in node.names]
            else:
                continue
            deps |= {d for d in found if d in mods and d != name}
        graph[name] = deps
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle, each listed once from its smallest module name."""
    found: list[list[str]] = []

    def walk(start: str, node: str, path: list[str]) -> None:
        for dep in sorted(graph[node]):
            if dep == start:
                found.append([*path, start])
            elif dep > start and dep not in path:
                walk(start, dep, [*path, dep])

    for module in sorted(graph):
        walk(module, module, [module])
    return found


def test_no_module_of_course_utils_imports_one_that_imports_it_back():
    """Issue 16: quiz.py and progress.py imported each other; the answer record now lives in answers.py."""
    graph = _import_graph(ROOT / "course_utils")
    assert "course_utils.answers" in graph["course_utils.progress"]   # the graph does see the imports
    assert "course_utils.progress" in graph["course_utils.quiz"]
    assert "course_utils.quiz" not in graph["course_utils.progress"]
    assert "course_utils.quiz" not in graph["course_utils.answers"]
    assert not _cycles(graph), "import circles: " + "; ".join(" -> ".join(c) for c in _cycles(graph))


def test_the_circle_check_sees_a_lazy_or_type_checking_import(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from .b import g\n    return g\n")
    (pkg / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import f\n")
    (pkg / "c.py").write_text("from . import a\n")
    assert _cycles(_import_graph(pkg)) == [["pkg.a", "pkg.b", "pkg.a"]]


@pytest.mark.parametrize("module, never", [
    ("course_utils.answers", ("course_utils.quiz", "course_utils.progress", *BROWSER_STACK)),
    ("course_utils.progress", ("course_utils.quiz", *BROWSER_STACK)),
])
def test_the_answer_record_and_the_progress_file_load_no_quiz_or_widget_code(module, never):
    loaded = _fresh_modules(f"import {module}")
    assert module in loaded
    assert not [m for m in never if m in loaded], f"`import {module}` loaded {[m for m in never if m in loaded]}"
