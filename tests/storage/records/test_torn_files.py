"""Crash-style copies are caught at open and by ``verify``: a main file copied without its WAL,
a WAL cut short, and a WAL with four flipped bytes, each taken from a database in use (answers
saved, nothing checkpointed), as a backup tool copying a running laptop would take them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from records_fixtures import ADMIN, PASSWORD

from cse_screen import errors
from cse_screen.cli import main
from cse_screen.storage.records import ChildInput
from cse_screen.storage.store import Store

TORN = "older or torn copy"


@pytest.fixture
def in_use(tmp_path: Path, q):
    """A database with a session's answers in its WAL, still open (as the app holds it)."""
    import datetime as dt

    db = tmp_path / "live" / "cse.db"
    db.parent.mkdir()
    Store.create(db, ADMIN, PASSWORD).close()  # closed once: the main file holds the schema
    store = Store.open(db, ADMIN, PASSWORD)
    child = store.children.add(ChildInput("T1", "Tia Torn", dt.date(2012, 6, 1)))
    draft = store.screenings.start_draft(child.id, q)
    for item in q.items[:25]:
        store.screenings.save_answer(draft.id, item.id, "no" if "no" in item.values else "none")
    assert (db.parent / "cse.db-wal").stat().st_size > 0
    yield db, draft.id
    store.close()


def _copy(db: Path, dest: Path, wal: Callable[[bytes], bytes] | None) -> Path:
    dest.mkdir()
    shutil.copy2(db, dest / db.name)
    shutil.copy2(db.with_name(db.name + ".keys"), dest / (db.name + ".keys"))
    if wal is not None:
        data = db.with_name(db.name + "-wal").read_bytes()
        (dest / (db.name + "-wal")).write_bytes(wal(data))
    return dest / db.name


def _cut(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _flip(data: bytes) -> bytes:
    flipped = bytearray(data)
    at = len(data) - 3000  # inside the last frames: the ones a torn write would spoil
    for offset in range(at, at + 4):
        flipped[offset] ^= 0xFF
    return bytes(flipped)


@pytest.mark.parametrize("wal", [None, _cut, _flip], ids=["without-wal", "cut-wal", "flipped-wal"])
def test_a_torn_copy_is_refused_or_reported_at_open_and_by_verify(
    in_use, tmp_path: Path, capsys, monkeypatch, wal
):
    db, _ = in_use
    copy = _copy(db, tmp_path / "copy", wal)
    try:
        opened = Store.open(copy, ADMIN, PASSWORD)
    except errors.DatabaseDamaged:
        refused = True  # the encrypted pages' check caught it: refused at open, exit 4
    else:
        refused = False
        try:
            assert any(TORN in w for w in opened.warnings), opened.warnings
        finally:
            opened.close()
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
    code = main(["verify", "--db", str(copy), "--user", ADMIN])
    err = capsys.readouterr().err
    assert code == 4, err
    if not refused:
        assert TORN in err
    reopened_code = main(["stats", "--db", str(copy), "--user", ADMIN, "--json"])
    err = capsys.readouterr().err
    assert refused or TORN in err  # it keeps saying so, open after open
    assert reopened_code in (0, 4)


def test_a_whole_copy_opens_without_a_warning(in_use, tmp_path: Path):
    db, _ = in_use
    copy = _copy(db, tmp_path / "copy", lambda data: data)
    with Store.open(copy, ADMIN, PASSWORD) as opened:
        assert opened.warnings == ()
