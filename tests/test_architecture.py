"""The architecture is a test: graph/ is built in wings, each importing only the wings below it.

The rules are import-linter contracts in pyproject.toml; this runs them, and runs them once
more on a copy with one rule broken, so that a contract that could never fail is noticed.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT

LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))
WINGS = ("vocabulary", "store", "ingestion", "answers", "analytics", "views")


def lint_imports(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        capture_output=True, text=True, timeout=300, cwd=folder, env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"},
    )


def test_every_contract_is_kept() -> None:
    linted = lint_imports(PROJECT_ROOT)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert "BROKEN" not in linted.stdout and linted.stdout.count("KEPT") == 4


def test_a_broken_rule_is_caught(tmp_path: Path) -> None:
    for part in ("graph", "api"):
        shutil.copytree(PROJECT_ROOT / part, tmp_path / part, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__", "static", "templates"))
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "graph" / "store" / "upward.py").write_text('"""Breaks the layers."""\n\nimport graph.answers.questions\n')
    (tmp_path / "api" / "engine_types.py").write_text('"""Breaks the plain-values rule."""\n\nimport pyoxigraph\n')
    linted = lint_imports(tmp_path)
    assert linted.returncode != 0
    assert "graph.store.upward -> graph.answers.questions" in linted.stdout
    assert "api.engine_types -> pyoxigraph" in linted.stdout


def test_graph_holds_only_its_face_and_the_wings() -> None:
    graph = PROJECT_ROOT / "graph"
    modules = {path.name for path in graph.glob("*.py")}
    packages = {path.name for path in graph.iterdir() if (path / "__init__.py").exists()}
    assert modules <= {"__init__.py", "__main__.py"}
    assert packages == set(WINGS)


def test_each_wing_says_what_it_holds_and_may_import() -> None:
    for wing in WINGS:
        docstring = ast.get_docstring(ast.parse((PROJECT_ROOT / "graph" / wing / "__init__.py").read_text()))
        assert docstring and "Imports:" in docstring, wing
