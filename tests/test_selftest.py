"""``cse-screen selftest`` from source: it passes here, fails closed, and leaves nothing behind.

Each run is a real subprocess (a fresh interpreter, as IT runs it), without QT_QPA_PLATFORM, so
the command has to make Qt headless by itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Runs the command line with the stock (unencrypted) sqlite3 module as the database driver.
PLAIN_SQLITE = r"""
import sqlite3, sys
from cse_screen.vault import engine
engine.DRIVER = sqlite3
from cse_screen.cli import main
raise SystemExit(main(["selftest"]))
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["TMPDIR"] = str(tmp_path / "tmp")
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return env


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=240, env=_env(tmp_path)
    )


def _user_dirs() -> list[Path]:
    return [Path(os.environ[n]) for n in ("CSE_SCREEN_DATA_DIR", "CSE_SCREEN_CONFIG_DIR")]


def test_selftest_passes_and_leaves_nothing_behind(tmp_path: Path) -> None:
    result = _run(["-m", "cse_screen", "selftest"], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "selftest passed"
    parts = ("SQLCipher 4.", "encrypted database", "'moderate'", "Excel export", "protected", "PDF")
    for part in (*parts, "record"):
        assert any(part in line for line in lines), (part, lines)
    assert "Traceback" not in result.stderr
    assert list((tmp_path / "tmp").iterdir()) == []  # its private folder is gone
    assert not any(d.exists() and any(d.iterdir()) for d in _user_dirs())  # real dirs untouched


def test_selftest_fails_closed_without_sqlcipher(tmp_path: Path) -> None:
    result = _run(["-c", PLAIN_SQLITE], tmp_path)
    assert result.returncode == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith("cse-screen: error: selftest failed while checking the database")
    assert "SQLCipher 4 is required" in errors[0]
    assert "selftest passed" not in result.stdout
    assert list((tmp_path / "tmp").iterdir()) == []


def test_startup_probe_reaches_the_unlock_screen(tmp_path: Path) -> None:
    db = tmp_path / "probe.db"
    env = _env(tmp_path) | {"CSE_SCREEN_KDF": "test", "CSE_SCREEN_PASSWORD": "probe-pass-1234"}
    init = [sys.executable, "-m", "cse_screen", "init", "--db", str(db), "--user", "it"]
    created = subprocess.run(init, capture_output=True, text=True, timeout=120, env=env)
    assert created.returncode == 0, created.stderr
    result = _run(["-m", "cse_screen", "selftest", "--startup-probe", str(db)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "shown: UnlockWidget"


def test_startup_probe_needs_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    result = _run(["-m", "cse_screen", "selftest", "--startup-probe", str(missing)], tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("cse-screen: error: there is no database at ")
    assert not missing.exists()


def test_a_hanging_selftest_ends_with_a_sentence(tmp_path: Path) -> None:
    script = "from cse_screen.selftest import run_selftest; run_selftest(timeout=0.2)"
    result = _run(["-c", script], tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().endswith("cse-screen: error: selftest did not finish within 0.2 s")
