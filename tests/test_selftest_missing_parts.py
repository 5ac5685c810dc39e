"""``selftest`` and crash reports name a system library or Qt plugin that cannot be loaded.

A library is hidden the way a broken install hides it: a file of the same name that the loader
finds first (``LD_LIBRARY_PATH``) but cannot load. A Qt plugin is removed from a copy of the
built bundle.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cse_screen.diagnose import library_sentence, missing_library
from cse_screen.reports import describe

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "cse-screen"
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF loader")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["TMPDIR"] = str(tmp_path / "tmp")
    env["CSE_SCREEN_LOG_DIR"] = str(tmp_path / "logs")
    (tmp_path / "tmp").mkdir(exist_ok=True)
    env.update(extra)
    return env


@linux_only
def test_selftest_names_a_hidden_system_library_and_so_does_its_report(tmp_path):
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "libEGL.so.1").write_bytes(b"")  # found first, cannot be loaded
    done = subprocess.run(
        [sys.executable, "-m", "cse_screen", "selftest"],
        capture_output=True,
        text=True,
        timeout=240,
        env=_env(tmp_path, LD_LIBRARY_PATH=str(hidden)),
    )
    assert done.returncode == 1
    line = done.stderr.strip().splitlines()[-1]
    assert "the system library libEGL.so.1 is missing" in line and "libegl1" in line
    reports = list((tmp_path / "logs").glob("crash-*.txt"))
    assert len(reports) == 1
    assert "missing shared library: libEGL.so.1" in reports[0].read_text(encoding="utf-8")


def test_the_library_is_found_in_a_chained_error_and_nothing_else_is_kept():
    try:
        try:
            raise ImportError("libxcb.so.1: cannot open shared object file: No such file")
        except ImportError as inner:
            raise RuntimeError("Jane Doe") from inner
    except RuntimeError as exc:
        assert missing_library(exc) == "libxcb.so.1"
        text = describe(exc)
    assert "missing shared library: libxcb.so.1" in text and "Jane" not in text
    assert "libxcb1" in library_sentence("libxcb.so.1")
    assert missing_library(ImportError("No module named 'x'")) is None


@linux_only
@pytest.mark.skipif(not (BUNDLE / "cse-screen").exists(), reason="needs the bundle (make dist)")
def test_bundle_selftest_names_a_missing_qt_platform_plugin(tmp_path):
    copy = tmp_path / "cse-screen"
    shutil.copytree(BUNDLE, copy, symlinks=True)
    plugins = list(copy.rglob("platforms/libqoffscreen.so"))
    assert plugins, "the bundle has no offscreen platform plugin to remove"
    for plugin in plugins:
        plugin.unlink()
    (tmp_path / "tmp").mkdir()
    done = subprocess.run(
        [
            "env",
            "-i",
            f"TMPDIR={tmp_path / 'tmp'}",
            f"CSE_SCREEN_LOG_DIR={tmp_path / 'logs'}",
            str(copy / "cse-screen"),
            "selftest",
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 1
    assert "the Qt plugin libqoffscreen.so is missing" in done.stderr
