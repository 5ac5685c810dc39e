"""Atomic file writes: complete new content or the old content, never a half file."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cse_screen import errors
from cse_screen.vault import atomic
from cse_screen.vault.atomic import atomic_write_bytes, atomic_writer, stale_temps


def test_writes_private_file_and_replaces(tmp_path):
    target = tmp_path / "out.bin"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_flushes_file_then_renames_then_flushes_folder(tmp_path, monkeypatch):
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        calls.append("fsync-dir" if os.path.isdir(f"/proc/self/fd/{fd}") else "fsync-file")
        real_fsync(fd)

    def replace(src, dst, **kw):
        calls.append("replace")
        real_replace(src, dst, **kw)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    atomic_write_bytes(tmp_path / "x", b"data")
    assert calls == ["fsync-file", "replace", "fsync-dir"]


def test_failure_inside_leaves_destination_and_no_temp(tmp_path):
    target = tmp_path / "out.bin"
    target.write_bytes(b"previous")
    with pytest.raises(RuntimeError), atomic_writer(target) as handle:
        handle.write(b"half")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_disk_full_becomes_storage_full_naming_target(tmp_path, run_child):
    target = tmp_path / "out.bin"
    target.write_bytes(b"previous")
    result = run_child(
        f"""
        from cse_screen.errors import StorageFull
        from cse_screen.vault.atomic import atomic_write_bytes
        try:
            atomic_write_bytes({str(target)!r}, b"x" * 100_000)
        except StorageFull as exc:
            print("FULL:", exc)
        """,
        limit_file_bytes=10_000,
    )
    assert result.returncode == 0, result.stderr
    assert f"FULL: there is not enough disk space to write {target}" in result.stdout
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["out.bin"]


def test_temps_of_killed_writers_are_found_and_removed(tmp_path):
    target = tmp_path / "out.bin"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    leftover = tmp_path / f".out.bin.{dead_pid}.abcdef.tmp"
    leftover.write_bytes(b"half")
    live = tmp_path / f".out.bin.{os.getppid()}.abcdef.tmp"
    live.write_bytes(b"in progress elsewhere")
    assert stale_temps(target) == [leftover]
    assert atomic.remove_stale_temps(target) == 1
    assert not leftover.exists() and live.exists()


def test_real_enospc_on_a_tiny_file_system(tiny_fs):
    folder = tiny_fs(64 * 1024)
    target = folder / "out.bin"
    target.write_bytes(b"previous")
    with pytest.raises(errors.StorageFull, match="not enough disk space"):
        atomic_write_bytes(target, b"x" * (256 * 1024))
    assert target.read_bytes() == b"previous"
    assert [p.name for p in folder.iterdir()] == ["out.bin"]
