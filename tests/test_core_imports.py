"""The core never imports Textual or Rich (STYLE.md: harlequin's rule).

Each core module (every ``quizapp`` module outside ``quizapp.tui``, and ``solvers``) is
imported in a fresh interpreter, which then reports whether ``textual`` or ``rich``
ended up in ``sys.modules``.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def core_modules() -> list[str]:
    names = []
    for package in ("quizapp", "solvers"):
        path = ROOT / package
        names.append(package)
        for info in pkgutil.walk_packages([str(path)], prefix=f"{package}."):
            if info.name.startswith("quizapp.tui") or info.name.endswith("__main__"):
                continue
            names.append(info.name)
    return sorted(names)


def test_the_list_of_core_modules_is_not_empty():
    names = core_modules()
    for expected in ("quizapp.study.session", "quizapp.progress.settings", "quizapp.progress.store", "quizapp.cli"):
        assert expected in names
    assert not any(n.startswith("quizapp.tui") for n in names)


def imported_with(module: str, packages: tuple[str, ...]) -> list[str]:
    """The modules of ``packages`` in ``sys.modules`` after a fresh interpreter imports
    ``module``."""
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module({module!r})\n"
        "print(json.dumps(sorted(m for m in sys.modules "
        f"if m.split('.')[0] in {packages!r})))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", core_modules())
def test_core_module_imports_no_textual_or_rich(module):
    loaded = imported_with(module, ("textual", "rich"))
    assert loaded == [], f"{module} imports {loaded[:5]}"


START_UP_PATH = ["quizapp.cli", "quizapp.packs.index", "quizapp.progress.prefs",
                 "quizapp.study.overview", "quizapp.study.scope", "quizapp.tui.app",
                 "quizapp.tui.loading", "quizapp.tui.screens.home"]
"""What runs before the home tree is filled (issue #10 item 6): pydantic, NumPy and YAML
cost ~400 ms to import and load with the packs, after the tree is shown."""


@pytest.mark.parametrize("module", START_UP_PATH)
def test_the_start_up_path_imports_no_pydantic_numpy_or_yaml(module):
    loaded = imported_with(module, ("pydantic", "numpy", "yaml", "fsrs", "solvers"))
    assert loaded == [], f"{module} imports {loaded[:5]}"
