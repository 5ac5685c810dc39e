"""Everything outside cse_screen.gui must import with PySide6 unavailable."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import cse_screen

SCRIPT = r"""
import importlib, sys

class _Block:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6.") or name.startswith("shiboken6"):
            raise ImportError(f"{name} is blocked: core modules must not import Qt")
        return None

sys.meta_path.insert(0, _Block())
for name in sys.argv[1:]:
    importlib.import_module(name)
print("ok")
"""


def _non_gui_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(cse_screen.__path__, prefix="cse_screen."):
        if info.name.startswith("cse_screen.gui") or info.name == "cse_screen.__main__":
            continue
        names.append(info.name)
    return names


def test_non_gui_modules_import_without_qt() -> None:
    modules = _non_gui_modules()
    assert "cse_screen.cli" in modules
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, *modules], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
