"""Compile every Designer form in ``ui/`` into ``cse_screen/gui/forms/ui_<name>.py``.

The compiled forms are committed, so a wheel or a frozen bundle never needs ``pyside6-uic`` at run
time; ``--check`` (and a test) recompiles into a temporary folder and fails when a committed form
has drifted from its ``.ui`` file.

    python -m cse_screen.gui.forms_build            # rewrite the compiled forms
    python -m cse_screen.gui.forms_build --check    # exit 1 and name the forms that drifted
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
FORMS_DIR = PACKAGE_DIR / "forms"
UI_DIR = PACKAGE_DIR.parent.parent / "ui"


def uic_command() -> list[str]:
    """pyside6-uic from this interpreter's environment, else from PATH."""
    beside = Path(sys.executable).parent / "pyside6-uic"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("pyside6-uic")
    if found:
        return [found]
    raise FileNotFoundError("pyside6-uic was not found; install PySide6 in this environment")


def ui_files(ui_dir: Path = UI_DIR) -> list[Path]:
    return sorted(ui_dir.glob("*.ui"))


def compiled_name(ui_file: Path) -> str:
    return f"ui_{ui_file.stem}.py"


def compile_form(ui_file: Path, out_dir: Path) -> Path:
    out = out_dir / compiled_name(ui_file)
    subprocess.run(
        [*uic_command(), "--no-autoconnection", str(ui_file), "-o", str(out)],
        check=True,
        capture_output=True,
    )
    return out


def build(ui_dir: Path = UI_DIR, out_dir: Path = FORMS_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    init = out_dir / "__init__.py"
    if not init.exists():
        init.write_text('"""Generated from ui/*.ui by forms_build.py; do not edit."""\n')
    return [compile_form(ui, out_dir) for ui in ui_files(ui_dir)]


def drifted(ui_dir: Path = UI_DIR, out_dir: Path = FORMS_DIR) -> list[str]:
    """Names of compiled forms that are missing or differ from a fresh compile."""
    stale: list[str] = []
    with tempfile.TemporaryDirectory(prefix="cse-forms-") as tmp:
        for ui in ui_files(ui_dir):
            fresh = compile_form(ui, Path(tmp)).read_text(encoding="utf-8")
            committed = out_dir / compiled_name(ui)
            if not committed.exists() or committed.read_text(encoding="utf-8") != fresh:
                stale.append(committed.name)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a compiled form drifted")
    args = parser.parse_args(argv)
    if args.check:
        stale = drifted()
        for name in stale:
            print(f"forms: {name} is out of date; run 'make forms'", file=sys.stderr)
        return 1 if stale else 0
    for path in build():
        print(f"forms: wrote {path.relative_to(PACKAGE_DIR.parent.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
