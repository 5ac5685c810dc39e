"""A real encrypted database for the document tests, filled through the Store services.

Made once per session; each test gets its own copy. Names, references, dates of birth and
notes are distinctive ("canaries") so a document can be searched for them, and so can every
file the process leaves behind.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest

PASSWORD = "Heron-candle-93-meadow"
EXPORT_PASSWORD = "Orchid-lamp-58-river"
TODAY = date.today()


@dataclass
class Seeded:
    db: Path
    names: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    dobs: list[date] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    screenings: dict[str, int] = field(default_factory=dict)


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")


def _answers(q, level: int) -> dict[str, str]:
    """Answers scoring to ``level`` (0 none .. 3 significant)."""
    answers = {i.id: ("none" if "none" in i.values else "no") for i in q.items}
    wanted = {1: ("low", 1), 2: ("moderate", 3), 3: ("significant", 1)}.get(level)
    if wanted:
        for item in [i for i in q.items if i.tier == wanted[0]][: wanted[1]]:
            answers[item.id] = "current"
    return answers


def _fill(seeded: Seeded) -> None:
    from cse_screen.core import registry
    from cse_screen.storage.records import ChildInput
    from cse_screen.vault.store import Store

    q = registry.get_questionnaire()
    with Store.create(seeded.db, "admin", PASSWORD, team="North") as admin:
        admin.users.add("lead1", PASSWORD, "lead", team="North", full_name="Lead Oriel Quenby")
        admin.users.add("worker1", PASSWORD, "worker", team="North", full_name="Wren Ashdown")
        for i in range(12):
            name, ref = f"Zephyrine Canarywood{i:02d}", f"CANREF-{7000 + i}"
            dob = date(2009, 1, 15) + timedelta(days=173 * i)
            seeded.names.append(name)
            seeded.refs.append(ref)
            seeded.dobs.append(dob)
            child = admin.children.add(
                ChildInput(
                    ref,
                    name,
                    dob,
                    gender="female",
                    placement_type="foster_ifa",
                    worker="worker1" if i % 2 else None,
                    team="North" if i % 3 else "South",
                )
            )
            for n in range(1 + i % 3):
                day = TODAY - timedelta(days=330 - 100 * n - 7 * i)
                draft = admin.screenings.start_draft(child.id, q, screen_date=day)
                admin.screenings.save_answers(draft.id, _answers(q, (i + n) % 4))
                if i == 1 and n == 0:
                    note = "Seen with Marchbanks Quillfeather near the station"
                    seeded.notes.append(note)
                    admin.screenings.save_answer(draft.id, "A1", "previous", note)
                    reason = "Raised after Tumbledown strategy meeting"
                    seeded.notes.append(reason)
                    admin.screenings.submit(draft.id, "significant", reason)
                    seeded.screenings["noted"] = draft.id
                else:
                    admin.screenings.submit(draft.id)
                if i == 1 and n == 1:
                    seeded.screenings["returned"] = draft.id
                    with Store.open(seeded.db, "lead1", PASSWORD) as lead:
                        lead.screenings.return_to_worker(draft.id, "Evidence Larkspur missing")
                if i == 4 and n == 0:
                    seeded.screenings["signed"] = draft.id
                    with Store.open(seeded.db, "lead1", PASSWORD) as lead:
                        lead.screenings.sign_off(draft.id)
            if i == 1:
                note = "Found at Wolverhollow services"
                seeded.notes.append(note)
                admin.events.record(child.id, "missing_episode", TODAY - timedelta(days=20), note)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    folder = tmp_path_factory.mktemp("documents-db")
    seeded = Seeded(folder / "cse.db")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CSE_SCREEN_KDF", "test")
        for var in ("DATA", "CONFIG", "LOG"):
            mp.setenv(f"CSE_SCREEN_{var}_DIR", str(folder / var.lower()))
        _fill(seeded)
    return seeded


@pytest.fixture
def seeded(seeded_template: Seeded, tmp_path: Path) -> Seeded:
    """A private copy of the seeded database."""
    dest = tmp_path / "db"
    dest.mkdir()
    src = seeded_template.db
    for suffix in ("", ".keys", "-wal", "-shm"):
        f = src.with_name(src.name + suffix)
        if f.exists():
            shutil.copy2(f, dest / f.name)
    copy = Seeded(dest / src.name, **{k: v for k, v in vars(seeded_template).items() if k != "db"})
    return copy


@pytest.fixture
def open_store(seeded: Seeded) -> Iterator[object]:
    from cse_screen.vault.store import Store

    stores = []

    def opener(user: str = "admin"):
        store = Store.open(seeded.db, user, PASSWORD)
        stores.append(store)
        return store

    yield opener
    for store in stores:
        store.close()


def pdf_text(data: bytes, password: str | None = None) -> str:
    """All the text of a PDF with its line breaks as spaces (a wrapped cell reads whole)."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if password is not None:
        reader.decrypt(password)
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def has(text: str, phrase: str) -> bool:
    """Whether ``phrase`` is in the extracted ``text``, whatever the line breaks (pypdf joins a
    wrapped line to the next without a space)."""
    return "".join(phrase.split()) in "".join(text.split())
