"""Exports fail safe: no plaintext temp files, nothing half-written, clear errors, cancel."""

from __future__ import annotations

import builtins
import errno
import itertools
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import msoffcrypto
import pytest
from msoffcrypto.exceptions import InvalidKeyError

from cse_screen.errors import Cancelled, ExportFailed, UsageError
from cse_screen.export import ExportOptions, export_workbook
from cse_screen.export.encrypt import OLE_MAGIC
from tests.export.helpers import load, rows

ROOT = Path(__file__).resolve().parents[2]
KILLER = Path(__file__).with_name("kill_export.py")
EXPORT_PASSWORD = "Orchid-lamp-58-river"


def _run_killer(db: Path, out: Path, stage: str, tmpdir: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, TMPDIR=str(tmpdir), CSE_SCREEN_KDF="test", PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, str(KILLER), str(db), str(out), stage],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("stage", ["mid_save", "before_replace", "progress"])
def test_a_killed_export_leaves_no_plaintext_and_no_export(export_db, tmp_path, admin_store, stage):
    tmpdir, dest = tmp_path / "tmp", tmp_path / "out"
    tmpdir.mkdir()
    dest.mkdir()
    out = dest / "report.xlsx"
    proc = _run_killer(export_db, out, stage, tmpdir)
    if stage == "progress":
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("progress"), proc.stderr.read() if proc.stderr else first
        proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert list(tmpdir.iterdir()) == []
    assert not out.exists()
    leftovers = list(dest.iterdir())
    assert all(p.name.startswith(".report.xlsx.") and p.name.endswith(".tmp") for p in leftovers)
    if stage == "before_replace":
        assert leftovers, "the kill point was after writing the temporary file"
    # The next export to the same place clears what the killed one left.
    export_workbook(admin_store, out, ExportOptions())
    assert sorted(p.name for p in dest.iterdir()) == ["report.xlsx"]


def test_openpyxl_never_creates_a_temp_file(admin_store, tmp_path, monkeypatch):
    import openpyxl.worksheet._writer as ws_writer

    def refuse(*_args, **_kwargs):
        raise AssertionError("openpyxl tried to spill a worksheet to a temporary file")

    monkeypatch.setattr(ws_writer, "create_temporary_file", refuse)
    monkeypatch.setattr(ws_writer, "NamedTemporaryFile", refuse)
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    export_workbook(admin_store, tmp_path / "r.xlsx", ExportOptions())
    assert list(private.iterdir()) == []


def test_only_the_destination_temp_file_is_written(admin_store, tmp_path, monkeypatch):
    """With a password the plaintext workbook never reaches a file: only ciphertext is written."""
    written: list[str] = []
    real_open, real_os_open = builtins.open, os.open

    def spy_open(file, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wax+"):
            written.append(str(file))
        return real_open(file, mode, *args, **kwargs)

    def spy_os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            written.append(str(path))
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    out = tmp_path / "enc.xlsx"
    export_workbook(admin_store, out, ExportOptions(password=EXPORT_PASSWORD))
    monkeypatch.undo()
    assert written and all(Path(p).parent == tmp_path for p in written)
    assert all(Path(p).name.startswith(".enc.xlsx.") for p in written)
    assert out.read_bytes()[:8] == OLE_MAGIC


def test_encrypted_export_opens_with_its_password_only(admin_store, tmp_path):
    plain, enc = tmp_path / "plain.xlsx", tmp_path / "enc.xlsx"
    export_workbook(admin_store, plain, ExportOptions())
    export_workbook(admin_store, enc, ExportOptions(password=EXPORT_PASSWORD))
    data = enc.read_bytes()
    assert data[:8] == OLE_MAGIC and not data.startswith(b"PK")
    assert oct(enc.stat().st_mode & 0o777) == oct(0o600)
    with open(enc, "rb") as f:
        office = msoffcrypto.OfficeFile(f)
        with pytest.raises(InvalidKeyError):
            office.load_key(password="Wrong-password-123", verify_password=True)
    decrypted = tmp_path / "dec.xlsx"
    with open(enc, "rb") as f, open(decrypted, "wb") as g:
        office = msoffcrypto.OfficeFile(f)
        office.load_key(password=EXPORT_PASSWORD, verify_password=True)
        office.decrypt(g)
    a, b = load(plain), load(decrypted)
    assert a.sheetnames == b.sheetnames
    for name in ("Children", "Screenings", "Indicators", "Trends"):
        assert rows(a[name]) == rows(b[name]), name


@pytest.mark.parametrize("password", ["short1", "aaaaaaaaaaaaaa"])
def test_weak_export_passwords_are_refused(admin_store, tmp_path, password):
    with pytest.raises(UsageError, match="password"):
        export_workbook(admin_store, tmp_path / "w.xlsx", ExportOptions(password=password))
    assert not (tmp_path / "w.xlsx").exists()


def test_unwritable_destinations_give_one_sentence(admin_store, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cases = [tmp_path / "missing" / "r.xlsx", blocker / "r.xlsx"]
    (tmp_path / "dir.xlsx").mkdir()
    cases.append(tmp_path / "dir.xlsx")
    for out in cases:
        with pytest.raises(ExportFailed) as caught:
            export_workbook(admin_store, out, ExportOptions())
        message = str(caught.value)
        assert str(out) in message and "\n" not in message


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES, errno.EIO])
def test_failed_write_keeps_the_previous_file(admin_store, tmp_path, monkeypatch, code):
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"previous export")
    from cse_screen.vault import atomic

    def fail(*_args):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(atomic.os, "replace", fail)
    with pytest.raises(ExportFailed, match=r"r\.xlsx"):
        export_workbook(admin_store, out, ExportOptions())
    monkeypatch.undo()
    assert out.read_bytes() == b"previous export"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "db") == ["r.xlsx"]


def test_non_xlsx_name_is_a_usage_error(admin_store, tmp_path):
    with pytest.raises(UsageError, match=r"\.xlsx"):
        export_workbook(admin_store, tmp_path / "r.csv", ExportOptions())


def _cancel_on_call(stop_at: int) -> Callable[[], bool]:
    calls = itertools.count(1)
    return lambda: next(calls) >= stop_at


def test_cancel_at_any_point_leaves_nothing(admin_store, tmp_path):
    out = tmp_path / "c" / "r.xlsx"
    out.parent.mkdir()
    polls: list[int] = []

    def count_polls() -> bool:
        polls.append(1)
        return False

    export_workbook(admin_store, out, ExportOptions(), cancel=count_polls)
    out.unlink()
    assert len(polls) >= 3
    for stop_at in range(1, len(polls) + 1):
        cancel = _cancel_on_call(stop_at)
        with pytest.raises(Cancelled):
            export_workbook(
                admin_store, out, ExportOptions(password=EXPORT_PASSWORD), cancel=cancel
            )
        assert list(out.parent.iterdir()) == []


def test_progress_reaches_the_total(admin_store, tmp_path):
    seen: list[tuple[int, int]] = []
    export_workbook(
        admin_store, tmp_path / "p.xlsx", ExportOptions(), progress=lambda d, t: seen.append((d, t))
    )
    assert seen and seen[-1][0] == seen[-1][1]
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(seen))


def test_too_many_rows_for_excel_is_refused_before_any_work():
    from cse_screen.export.listsource import ListSource
    from cse_screen.export.workbook import build_workbook
    from tests.export import rowfactory

    base = rowfactory.source(n_children=2)
    source = ListSource(base.export_meta, base.instrument_list, base.child_rows, list, 2, 2_000_000)
    with pytest.raises(ExportFailed, match="shorter date range"):
        build_workbook(source, ExportOptions())
