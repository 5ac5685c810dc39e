"""Crash-style copies are caught at open and by ``verify``: a main file copied without its WAL,
a WAL cut short, and a WAL with four flipped bytes, each taken from a database in use (answers
saved, nothing checkpointed), as a backup tool copying a running laptop would take them."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from records_fixtures import ADMIN, PASSWORD

from cse_screen import errors
from cse_screen.cli import main
from cse_screen.storage.records import ChildInput
from cse_screen.vault.store import Store

#: Either check may be the one to say it: the audit anchor when the sign-in's own entry is gone
#: too (a main file without its WAL), the write count when only later saves are.
TORN = re.compile(r"older or torn copy|older copy put back in place")


@pytest.fixture
def in_use(tmp_path: Path, q):
    """The files of a database in use (answers in its WAL, nothing checkpointed), as a copy
    taken of a running laptop holds them; the database itself is then closed, as it would be
    before its files were put back."""
    import datetime as dt

    db = tmp_path / "live" / "cse.db"
    db.parent.mkdir()
    Store.create(db, ADMIN, PASSWORD).close()  # closed once: the main file holds the schema
    store = Store.open(db, ADMIN, PASSWORD)
    try:
        child = store.children.add(ChildInput("T1", "Tia Torn", dt.date(2012, 6, 1)))
        draft = store.screenings.start_draft(child.id, q)
        for item in q.items[:25]:
            value = "no" if "no" in item.values else "none"
            store.screenings.save_answer(draft.id, item.id, value)
        taken = {suffix: Path(f"{db}{suffix}").read_bytes() for suffix in ("", ".keys", "-wal")}
    finally:
        store.close()
    assert taken["-wal"]
    return db, taken


def _put_back(db: Path, taken: dict[str, bytes], wal: Callable[[bytes], bytes] | None) -> Path:
    """The copy in place of the database, at its own path (as a crash or a restore of the
    laptop's files from a file-level backup leaves it)."""
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.write_bytes(taken[""])
    Path(f"{db}.keys").write_bytes(taken[".keys"])
    if wal is not None:
        Path(f"{db}-wal").write_bytes(wal(taken["-wal"]))
    return db


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
    db, taken = in_use
    copy = _put_back(db, taken, wal)
    try:
        opened = Store.open(copy, ADMIN, PASSWORD)
    except errors.DatabaseDamaged:
        refused = True  # the encrypted pages' check caught it: refused at open, exit 4
    else:
        refused = False
        try:
            assert any(TORN.search(w) for w in opened.warnings), opened.warnings
        finally:
            opened.close()
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
    code = main(["verify", "--db", str(copy), "--user", ADMIN])
    err = capsys.readouterr().err
    assert code == 4, err
    if not refused:
        assert TORN.search(err)
    reopened_code = main(["stats", "--db", str(copy), "--user", ADMIN, "--json"])
    err = capsys.readouterr().err
    assert refused or TORN.search(err)  # it keeps saying so, open after open
    assert reopened_code in (0, 4)


def test_a_whole_copy_opens_without_a_warning(in_use, tmp_path: Path):
    db, taken = in_use
    copy = _put_back(db, taken, lambda data: data)
    with Store.open(copy, ADMIN, PASSWORD) as opened:
        assert opened.warnings == ()


def _flip_middle(data: bytes) -> bytes:
    """Four bytes flipped half-way through: frames of saved work follow the damaged one (damage
    in the last frame alone looks like a crash's unfinished write, which the write count
    catches instead)."""
    flipped = bytearray(data)
    for offset in range(len(data) // 2, len(data) // 2 + 4):
        flipped[offset] ^= 0xFF
    return bytes(flipped)


@pytest.mark.parametrize(
    ("wal", "found"),
    [(_cut, "cut short"), (_flip_middle, "damaged"), (lambda data: data, None)],
    ids=["cut-wal", "flipped-wal", "whole-wal"],
)
def test_the_change_log_is_read_before_sqlite_replays_it(in_use, wal, found):
    """The WAL's own checksums say what SQLite would silently drop (checked on the bytes as
    written, before any open could replay and reset the file)."""
    from cse_screen.vault.wal_check import wal_problem

    db, taken = in_use
    copy = _put_back(db, taken, wal)
    problem = wal_problem(copy)
    if found is None:
        assert problem is None
    else:
        assert problem is not None and found in problem and "cse.db-wal" in problem
        with Store.open(copy, ADMIN, PASSWORD) as opened:
            assert any("change log cse.db-wal is torn" in w for w in opened.warnings)
