"""No child's name, date of birth or note reaches the disk outside the encrypted database."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from records_fixtures import Council, complete_answers

from cse_screen.storage.importer import import_children
from cse_screen.storage.records import ChildInput

CANARIES = [f"Quillon{n}Marchetti{n:03d}" for n in range(30)]
NOTE = "Canary evidence: seen with Ozymandias Featherstonehaugh"


def hits(folder: Path, recursive: bool = True) -> list[str]:
    found = []
    needles = [*CANARIES, NOTE, "2011-07-19", "Featherstonehaugh"]
    for path in folder.rglob("*") if recursive else folder.iterdir():
        if not path.is_file():
            continue
        data = path.read_bytes()
        for needle in needles:
            if needle.encode("utf-8") in data or needle.encode("utf-16-le") in data:
                found.append(f"{path.name}: {needle}")
    return found


def test_names_notes_and_dates_of_birth_are_never_on_disk_in_plaintext(
    file_council: Council, q, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """About the local file and its side files (a server's disks are the council's DBA's)."""
    council = file_council
    private_tmp = tmp_path / "private-tmp"
    private_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(private_tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    outside = tmp_path / "outside"
    outside.mkdir()
    listing = outside / "list.csv"
    rows = [f"C{n},{name},19/07/2011" for n, name in enumerate(CANARIES[10:])]
    listing.write_text("Case Ref,Name,Date of Birth\n" + "\n".join(rows) + "\n", encoding="utf-8")

    admin = council.open()
    for n, name in enumerate(CANARIES[:10]):
        added = admin.children.add(ChildInput(f"K{n}", name, dt.date(2011, 7, 19), worker="wes"))
        council.ids[added.case_ref] = added.id
    import_children(admin, listing)
    wes = council.open("wes")
    child = wes.children.by_ref("K0")
    draft = wes.screenings.start_draft(child.id, q)
    wes.screenings.save_answer(draft.id, "A1", "current", NOTE)
    wes.events.record(child.id, "missing_episode", dt.date.today(), NOTE)
    sid = council.screen("wes", "K1", q, complete_answers(q, B3="current"))
    council.open("lena").screenings.return_to_worker(sid, NOTE)
    admin.backup(council.path.with_name("drill.backup"))
    # The stores are still open: the WAL and shared-memory files are there to be scanned too.
    assert council.path.with_name(council.path.name + "-wal").exists()
    data_folder = council.path.parent
    assert len([p for p in data_folder.iterdir() if p.is_file()]) >= 5
    assert hits(data_folder, recursive=False) == []
    assert hits(private_tmp) == []
    assert hits(outside) != []  # the scan does find plaintext where there is some
