"""The UI is a thin HTTP client: every module of ui/ imports with search_api, indexer and torch blocked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PROBE = """
import importlib, pkgutil, sys
BLOCKED = ("search_api", "indexer", "torch", "sentence_transformers", "transformers")
for name in BLOCKED:
    sys.modules[name] = None  # any `import name` now raises ImportError
import models.schemas, models.taxonomy  # what the UI may share
import ui
# ui.screens.* are page scripts that render when run; they import nothing but ui.views.*, imported here.
names = ["ui"] + [m.name for m in pkgutil.walk_packages(ui.__path__, "ui.")
                  if not m.name.startswith("ui.screens.")]
for name in names:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED and sys.modules[m] is not None)
print("IMPORTED", len(names), ",".join(names))
print("LOADED", ",".join(loaded))
"""


def test_every_ui_module_imports_without_the_engine_the_indexer_or_torch() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    imported = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    names = imported["IMPORTED"].split(" ", 1)[1].split(",")
    assert {"ui.app", "ui.api_client", "ui.views.search", "ui.views.explore"} <= set(names)
    assert imported.get("LOADED", "").strip() == ""


def test_importing_the_shared_schemas_does_not_load_torch() -> None:
    probe = "import sys, models.schemas, models.settings; print(any(m.startswith('torch') for m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
