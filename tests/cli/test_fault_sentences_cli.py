"""Faults named for what they are, on open and on write: a full disk, a read-only folder and a
lock held by another program exit 1 with their own sentence; only damage exits 4, and only damage
mentions a backup, saying what restoring one would lose. Every fault here is caused for real."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cse_screen.cli import main

PASSWORD = "fault-sentences-pass"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def mount_point(tiny_fs):
    """A 6 MiB tmpfs of the test's own (the shared ``tiny_fs``: root on Linux, as CI runs)."""
    return tiny_fs(6 * 1024 * 1024)


def _init(capsys, db: Path) -> None:
    assert run(capsys, "init", "--db", str(db), "--user", "admin")[0] == 0
    code, _, err = run(
        capsys,
        *("child", "add", "--db", str(db), "--user", "admin"),
        *("--ref", "F1", "--name", "Fay Field", "--dob", "2012-02-02"),
    )
    assert code == 0, err


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        for chunk in (1 << 16, 4096, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    handle.write(b"\0" * chunk)
    return filler


def _add_child(capsys, db: Path, ref: str) -> tuple[int, str, str]:
    return run(
        capsys,
        *("child", "add", "--db", str(db), "--user", "admin"),
        *("--ref", ref, "--name", "Gus Green", "--dob", "2011-01-01"),
    )


def _children(capsys, db: Path) -> int:
    import json

    code, out, err = run(capsys, "stats", "--db", str(db), "--user", "admin", "--json")
    assert code == 0, err
    return int(json.loads(out)["children"])


def _assert_not_damage(code: int, err: str) -> None:
    assert code == 1, err
    assert "damaged" not in err and "backup" not in err and "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("cse-screen: error: ")


def test_a_full_disk_at_open_and_on_write_is_named_and_exits_1(capsys, mount_point: Path):
    db = mount_point / "cse.db"
    _init(capsys, db)
    filler = _fill(mount_point)
    for argv in (
        ("stats", "--db", str(db), "--user", "admin", "--json"),
        ("verify", "--db", str(db), "--user", "admin"),
    ):
        code, _, err = run(capsys, *argv)
        _assert_not_damage(code, err)
        assert f"there is not enough disk space to write {db}" in err
    code, _, err = _add_child(capsys, db, "F2")
    _assert_not_damage(code, err)
    assert "not enough disk space" in err and "free some space" in err
    filler.unlink()
    assert _children(capsys, db) == 1  # nothing lost, nothing half-written


def test_a_read_only_folder_is_named_and_exits_1(capsys, mount_point: Path):
    db = mount_point / "cse.db"
    _init(capsys, db)
    subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True)
    try:
        code, _, err = _add_child(capsys, db, "F2")
        _assert_not_damage(code, err)
        assert "read-only" in err and str(db) in err
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(mount_point)], check=True)
    assert _children(capsys, db) == 1


HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from cse_screen.vault.engine import driver_connection
    from cse_screen.vault.store import Store
    with Store.open(sys.argv[1], "admin", sys.argv[2]) as store:
        with driver_connection(store.engine) as raw:
            raw.execute("BEGIN IMMEDIATE")
            print("locked", flush=True)
            sys.stdin.readline()
            raw.execute("COMMIT")
    """
)


def test_a_lock_held_by_another_program_past_the_timeout_is_named(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from cse_screen.vault import engine

    monkeypatch.setattr(engine, "DEFAULT_BUSY_TIMEOUT_MS", 300)
    db = tmp_path / "cse.db"
    _init(capsys, db)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db), PASSWORD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        code, _, err = _add_child(capsys, db, "F2")
        _assert_not_damage(code, err)
        assert "in use by another program" in err and "try again" in err
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(30)
    assert _add_child(capsys, db, "F2")[0] == 0


def test_only_damage_exits_4_and_says_what_a_restore_would_lose(capsys, tmp_path: Path):
    db = tmp_path / "cse.db"
    _init(capsys, db)
    data = bytearray(db.read_bytes())
    for offset in range(4096 + 100, 4096 + 104):  # four bytes inside the second page
        data[offset] ^= 0xFF
    db.write_bytes(bytes(data))
    code, _, err = run(capsys, "stats", "--db", str(db), "--user", "admin", "--json")
    assert code == 4, err
    assert "damaged" in err and "restoring a backup loses everything entered after" in err
