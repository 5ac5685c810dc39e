"""``server stats --json`` gives the keys and figures of ``stats --json`` over the same records:
the same children, screenings and decisions made on a laptop's file and on a team server."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from cse_screen.cli import main
from cse_screen.core import registry
from cse_screen.server import admin
from cse_screen.server.database import database_url, open_engine
from cse_screen.server.transaction import unit_of_work
from cse_screen.storage.records import ChildInput
from cse_screen.storage.services.children import ChildrenService
from cse_screen.storage.services.screenings import ScreeningsService
from cse_screen.vault.store import Store

PASSWORD = "parity password long"
PEOPLE = {
    "lena": ("lead", "North"),
    "wes": ("worker", "North"),
    "sam": ("lead", "South"),
    "sue": ("worker", "South"),
}
CHILDREN = {
    "N1": ("Amelia Ashdown", dt.date(2012, 5, 1), "wes"),
    "N2": ("Tyler Brereton", dt.date(2015, 2, 3), "wes"),
    "N3": ("Jade Coldharbour", dt.date(2010, 9, 9), "wes"),
    "S1": ("Kian Dunmore", dt.date(2011, 1, 20), "sue"),
    "S2": ("Nia Eastleigh", dt.date(2013, 7, 7), "sue"),
}

#: (who, child, what): "submit" a complete screening, "draft" one left open, "sign" off the
#: child's submitted screening (by its team's lead).
STEPS = [
    ("wes", "N1", "submit"),
    ("lena", "N1", "sign"),
    ("wes", "N2", "submit"),
    ("wes", "N3", "draft"),
    ("sue", "S1", "submit"),
    ("sue", "S1", "submit"),
    ("sam", "S1", "sign"),
]


def _answers() -> dict[str, str]:
    q = registry.get_questionnaire()
    return {i.id: ("no" if "no" in i.values else "none") for i in q.items}


def _play(services: Callable[[str], object], ids: dict[str, int]) -> None:
    q = registry.get_questionnaire()
    latest: dict[str, int] = {}
    for who, ref, what in STEPS:
        with services(who) as (_children, screenings):  # type: ignore[attr-defined]
            if what == "sign":
                screenings.sign_off(latest[ref])
                continue
            draft = screenings.start_draft(ids[ref], q, screen_date=dt.date.today())
            screenings.save_answers(draft.id, _answers())
            if what == "submit":
                screenings.submit(draft.id)
            latest[ref] = draft.id


def _laptop(path: Path) -> None:
    with Store.create(path, "ada", PASSWORD, full_name="Ada Admin") as first:
        for name, (role, team) in PEOPLE.items():
            first.users.add(name, PASSWORD, role, team=team)
        ids = {
            ref: first.children.add(ChildInput(ref, name, dob, worker=worker)).id
            for ref, (name, dob, worker) in CHILDREN.items()
        }

    @contextmanager
    def services(who: str) -> Iterator[tuple[object, object]]:
        with Store.open(path, who, PASSWORD) as store:
            yield store.children, store.screenings

    _play(services, ids)


def _server(url: str) -> None:
    engine = open_engine(database_url(url), pool_size=2)
    try:
        ada = admin.init(engine, "ada", PASSWORD, "Ada Admin")
        for name, (role, team) in PEOPLE.items():
            admin.add_user(engine, ada, name, PASSWORD, role, team, None)
        ids: dict[str, int] = {}
        for ref, (name, dob, worker) in CHILDREN.items():
            lead = "lena" if ref.startswith("N") else "sam"
            with unit_of_work(engine, admin.signed_in(engine, lead, PASSWORD)) as unit:
                child = ChildrenService(unit.context()).add(
                    ChildInput(ref, name, dob, worker=worker)
                )
                ids[ref] = child.id

        @contextmanager
        def services(who: str) -> Iterator[tuple[object, object]]:
            with unit_of_work(engine, admin.signed_in(engine, who, PASSWORD)) as unit:
                yield ChildrenService(unit.context()), ScreeningsService(unit.context())

        _play(services, ids)
    finally:
        engine.dispose()


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return dict(json.loads(out))


def test_server_stats_match_the_laptops_over_the_same_records(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
    path = tmp_path / "laptop.db"
    _laptop(path)
    _server(pg_url)
    laptop = _json(capsys, "stats", "--json", "--db", str(path), "--user", "ada")
    server = _json(capsys, "server", "stats", "--json", "--database-url", pg_url, "--user", "ada")
    assert server == laptop
    assert laptop["children"] == 5 and laptop["not_screened"] == 2
    screenings = laptop["screenings"]
    assert isinstance(screenings, dict) and screenings["total"] == 5
    assert screenings["by_status"]["signed_off"] == 2 and screenings["by_status"]["draft"] == 1
    for team, lead in (("North", "lena"), ("South", "sam")):
        as_lead = _json(capsys, "stats", "--json", "--db", str(path), "--user", lead)
        counted = _json(
            capsys,
            "server",
            "stats",
            "--json",
            "--database-url",
            pg_url,
            "--user",
            "ada",
            "--team",
            team,
        )
        assert counted == as_lead, team
        assert counted != laptop
