"""A real encrypted database for the export tests, filled through the Store services.

Made once per session with cheap key derivation; each test gets its own copy. The children carry
distinctive names, references, dates of birth and free text ("canaries") so the pseudonymised
export can be searched for any of them.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest

PASSWORD = "Heron-candle-93-meadow"
TODAY = date.today()


@dataclass
class Canaries:
    names: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    dobs: list[date] = field(default_factory=list)
    free_text: list[str] = field(default_factory=list)
    staff: list[str] = field(default_factory=list)


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")


def _answers(q, rng: random.Random, level: int) -> dict[str, str]:
    """Answers scoring to outcome ``level`` (0 none .. 3 significant), with a few unknowns."""
    wanted = {1: ("low", 1), 2: ("moderate", 3), 3: ("significant", 1)}.get(level)
    answers = {}
    for item in q.items:
        values = list(item.values)
        if "none" in values:
            answers[item.id] = "unknown" if rng.random() < 0.04 else "none"
        else:
            answers[item.id] = rng.choice(["no", "no", "yes", "unknown"])
            if item.id == "L11":
                answers[item.id] = "no"
    if wanted:
        tier, count = wanted
        for item in [i for i in q.items if i.tier == tier][:count]:
            answers[item.id] = "current"
    return answers


def _fill(db: Path, canaries: Canaries) -> None:
    from cse_screen.core import registry
    from cse_screen.storage.records import ChildInput
    from cse_screen.vault.store import Store

    rng = random.Random(11)
    q = registry.get_questionnaire()
    with Store.create(db, "admin", PASSWORD, team="North") as admin:
        admin.users.add("lead1", PASSWORD, "lead", team="North", full_name="Lead Oriel Quenby")
        admin.users.add("lead2", PASSWORD, "lead", team="North")
        admin.users.add("worker1", PASSWORD, "worker", team="North")
        admin.users.add("worker2", PASSWORD, "worker", team="South")
        canaries.staff += ["Oriel Quenby"]
        for i in range(14):
            name = f"Zephyrine Canarywood{i:02d}"
            ref = f"CANREF-{7000 + i}"
            dob = date(2009, 1, 15) + timedelta(days=173 * i)
            canaries.names.append(name)
            canaries.refs.append(ref)
            canaries.dobs.append(dob)
            team, worker = ("North", "worker1") if i % 3 else ("South", "worker2")
            child = admin.children.add(
                ChildInput(
                    ref,
                    name,
                    dob,
                    gender="female",
                    disability="learning" if i == 4 else None,
                    placement_type="foster_ifa",
                    worker=worker,
                    team=team,
                )
            )
            _screen_child(admin, q, child.id, i, rng, canaries)


def _screen_child(admin, q, child_id: int, i: int, rng: random.Random, canaries: Canaries):
    if i == 13:
        return  # never screened
    for n in range(1 + i % 3):
        day = TODAY - timedelta(days=400 - 120 * n - 9 * i)
        draft = admin.screenings.start_draft(child_id, q, screen_date=day)
        admin.screenings.save_answers(draft.id, _answers(q, rng, (i + n) % 4))
        if i == 12 and n == 0:
            continue  # left as a draft
        if i == 5 and n == 0:
            reason = f"Secret override note {i} Quillfeather"
            canaries.free_text.append(reason)
            admin.screenings.submit(draft.id, "significant", reason)
        elif i == 9 and n == 0:
            reason = "Lowered after Tumbledown strategy meeting"
            canaries.free_text.append(reason)
            admin.screenings.submit(draft.id, "no_current_risk", reason)
        else:
            admin.screenings.submit(draft.id)
        if i == 7 and n == 0:
            reason = "Returned because Marchbanks evidence missing"
            canaries.free_text.append(reason)
            _as_lead(admin, "return", draft.id, reason)
        if i in (4, 8) and n == 0:
            _as_lead(admin, "sign_off", draft.id)


def _as_lead(admin, action: str, screening_id: int, reason: str = "") -> None:
    from cse_screen.vault.store import Store

    with Store.open(admin.path, "lead1", PASSWORD) as lead:
        if action == "return":
            lead.screenings.return_to_worker(screening_id, reason)
        else:
            lead.screenings.sign_off(screening_id)


@pytest.fixture(scope="session")
def export_db_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Canaries]:
    folder = tmp_path_factory.mktemp("export-db")
    db = folder / "cse.db"
    canaries = Canaries()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CSE_SCREEN_KDF", "test")
        for var in ("DATA", "CONFIG", "LOG"):
            mp.setenv(f"CSE_SCREEN_{var}_DIR", str(folder / var.lower()))
        _fill(db, canaries)
    return db, canaries


@pytest.fixture
def export_db(export_db_template: tuple[Path, Canaries], tmp_path: Path) -> Path:
    src, _ = export_db_template
    dest = tmp_path / "db"
    dest.mkdir()
    for suffix in ("", ".keys", "-wal", "-shm"):
        f = src.with_name(src.name + suffix)
        if f.exists():
            shutil.copy2(f, dest / f.name)
    return dest / src.name


@pytest.fixture
def canaries(export_db_template: tuple[Path, Canaries]) -> Canaries:
    return export_db_template[1]


@pytest.fixture
def admin_store(export_db: Path) -> Iterator[object]:
    from cse_screen.vault.store import Store

    with Store.open(export_db, "admin", PASSWORD) as store:
        yield store
