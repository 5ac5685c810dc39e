"""No document leaves plaintext on disk on its way: nothing in the temp folder, and in the
output folder only the private temporary file that is renamed into place."""

from __future__ import annotations

import builtins
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest

from cse_screen.documents.service import save_board_report, save_screening_pdf, save_subject_access
from tests.documents.conftest import EXPORT_PASSWORD, TODAY


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
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
    return written


def _documents(seeded):
    start = TODAY - timedelta(days=120)
    return [
        (
            "case.pdf",
            lambda s, out: save_screening_pdf(s, seeded.screenings["noted"], out, EXPORT_PASSWORD),
        ),
        ("sar.zip", lambda s, out: save_subject_access(s, seeded.refs[1], out, EXPORT_PASSWORD)),
        ("board.pdf", lambda s, out: save_board_report(s, start, TODAY, out)),
    ]


@pytest.mark.parametrize("index", [0, 1, 2], ids=["screening", "subject-access", "board"])
def test_only_the_destinations_temp_file_is_written(
    seeded, open_store, tmp_path, monkeypatch, index
):
    store = open_store("admin")
    name, make = _documents(seeded)[index]
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    monkeypatch.setenv("TMPDIR", str(private))
    folder = tmp_path / "out"
    folder.mkdir()
    written = _spy(monkeypatch)
    make(store, folder / name)
    monkeypatch.undo()
    # The database's own files (encrypted) and the destination's temporary file, nothing else.
    assert {Path(p).parent for p in written} <= {folder, seeded.db.parent}, written
    documents = [p for p in written if Path(p).parent == folder]
    assert documents and all(Path(p).name.startswith(f".{name}.") for p in documents), written
    assert list(private.iterdir()) == []
    assert sorted(p.name for p in folder.iterdir()) == [name]
    data = (folder / name).read_bytes()
    for secret in seeded.names[1:2] + seeded.refs[1:2] + seeded.notes:
        assert secret.encode() not in data
