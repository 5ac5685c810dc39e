"""A child moved to another worker, with real processes: it arrives on the new worker's laptop
with the screenings and events made before the move, and leaves the old worker's laptop at its
next sync, with everything of theirs; a draft of that child holds it on the old laptop (and
``sync --json`` says so) until the draft is discarded."""

from __future__ import annotations

import pytest
from laptops import Fleet
from server_support import PASSWORD
from sqlalchemy import func, select

from cse_screen.storage.models import Answer, AuditRow, Child, Event, Screening
from cse_screen.vault.store import Store


def _counts(fleet: Fleet, user: str) -> dict[str, int]:
    """Every table that holds a child's data, counted on ``user``'s laptop."""
    with Store.open(fleet.db(user), user, PASSWORD) as store, store.reading() as session:
        return {
            model.__tablename__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Child, Screening, Answer, Event)
        }


def _refs(fleet: Fleet, user: str) -> list[str]:
    ran = fleet.run(user, "child", "list", "--json")
    assert ran.code == 0, ran.err
    return sorted(c["ref"] for c in ran.json())


def _event(fleet: Fleet, user: str, ref: str) -> None:
    ran = fleet.run(
        user, "event", "add", "--child", ref, "--kind", "missing_episode", "--date", "2026-01-05"
    )
    assert ran.code == 0, ran.err


def _move(fleet: Fleet, ref: str, worker: str) -> None:
    """The lead reallocates the child on her own laptop and syncs."""
    ran = fleet.run("lena", "child", "edit", "--ref", ref, "--worker", worker)
    assert ran.code == 0, ran.err
    assert fleet.sync("lena")["pushed"] == 1


def test_a_moved_child_arrives_with_its_history_and_leaves_the_old_laptop(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    for user in ("wes", "wynn", "lena"):
        fleet.enrol(user)
    fleet.screen("wes", "N1", A1="current")
    fleet.screen("wes", "N1")
    _event(fleet, "wes", "N1")
    assert fleet.sync("wes")["pushed"] == 3
    fleet.sync("lena")
    _move(fleet, "N1", "wynn")

    arrived = fleet.sync("wynn")
    assert arrived["pulled"] == 4  # the child, its two screenings and its event
    assert _refs(fleet, "wynn") == ["N1", "N3"]
    wynn = fleet.stats("wynn")
    assert wynn["children"] == 2 and wynn["screenings"]["total"] == 2
    assert _counts(fleet, "wynn")["events"] == 1

    left = fleet.sync("wes")
    assert left["removed"] == 1 and "kept" not in left
    assert _refs(fleet, "wes") == ["N2"]
    answers_of_n2 = 0  # N2 was never screened: nothing of N1's may remain
    assert _counts(fleet, "wes") == {
        "children": 1,
        "screenings": 0,
        "answers": answers_of_n2,
        "events": 0,
    }
    with Store.open(fleet.db("wes"), "wes", PASSWORD) as store, store.reading() as session:
        removal = session.scalars(select(AuditRow).where(AuditRow.action == "remove")).all()
        assert len(removal) == 1 and removal[0].entity == "child"
        assert "Amelia" not in removal[0].detail and '"screenings":2' in removal[0].detail
    assert fleet.sync("wes") == {"pushed": 0, "pulled": 0, "conflicts": 0, "waiting": 0}
    assert fleet.sync("wynn") == {"pushed": 0, "pulled": 0, "conflicts": 0, "waiting": 0}
    with fleet.server.as_user("lena") as http:
        server = http.get("/api/v1/stats").json()
    assert server["screenings"]["total"] == fleet.stats("lena")["screenings"]["total"] == 2

    _a_draft_holds_the_child_until_it_is_discarded(fleet)
    for user in ("wes", "wynn", "lena"):
        assert fleet.run(user, "verify").code == 0, user


def _a_draft_holds_the_child_until_it_is_discarded(fleet: Fleet) -> None:
    from laptops import registry  # the questionnaire the laptops use

    q = registry.get_questionnaire()
    with Store.open(fleet.db("wes"), "wes", PASSWORD) as store:
        n2 = store.children.by_ref("N2")
        draft = store.screenings.start_draft(n2.id, q)
    _move(fleet, "N2", "wynn")
    held = fleet.sync("wes")
    assert held["kept"] == [{"ref": "N2", "reason": "draft"}] and "removed" not in held
    assert _refs(fleet, "wes") == ["N2"]
    assert _counts(fleet, "wes")["screenings"] == 1  # the draft, untouched
    assert fleet.sync("wynn")["pulled"] == 1
    assert _refs(fleet, "wynn") == ["N1", "N2", "N3"]
    with Store.open(fleet.db("wes"), "wes", PASSWORD) as store:
        store.screenings.discard_draft(draft.id)
    gone = fleet.sync("wes")
    assert gone["removed"] == 1 and "kept" not in gone
    assert _refs(fleet, "wes") == []
    assert _counts(fleet, "wes") == {"children": 0, "screenings": 0, "answers": 0, "events": 0}


def test_a_resync_removes_what_the_server_no_longer_has_and_keeps_the_outbox(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cursor the server does not know: everything is read again, a child the server no
    longer has for this user is removed, and the unpushed screening still goes."""
    import datetime as dt

    from cse_screen.storage.models import SyncState

    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    fleet.enrol("sue")
    fleet.screen("sue", "S1")
    with (
        Store.open(fleet.db("sue"), "sue", PASSWORD) as store,
        store.context.transaction() as session,
    ):
        session.add(  # as the server held it before it was restored from an older backup
            Child(
                case_ref="S-LOST",
                name="Test Child",
                name_key="s-lost test child",
                dob=dt.date(2012, 3, 4),
                worker="sue",
                team="South",
                created_at=dt.datetime(2026, 1, 1),
                updated_at=dt.datetime(2026, 1, 1),
            )
        )
        row = session.get(SyncState, 1)
        assert row is not None
        row.cursor += 1_000_000
    done = fleet.sync("sue")
    assert done["pushed"] == 1 and done["removed"] == 1 and done["waiting"] == 0
    assert _refs(fleet, "sue") == ["S1"]
    with fleet.server.as_user("sue") as http:
        on_server = http.get("/api/v1/stats").json()
    sue = fleet.stats("sue")
    assert sue["children"] == on_server["children"] == 1
    assert sue["screenings"] == on_server["screenings"]
    assert fleet.sync("sue") == {"pushed": 0, "pulled": 0, "conflicts": 0, "waiting": 0}
    assert fleet.run("sue", "verify").code == 0


def test_a_revoked_devices_sync_is_refused_and_its_work_stays(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from sqlalchemy import text

    from cse_screen.errors import EXIT_AUTH
    from cse_screen.server.database import database_url, open_engine

    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    fleet.enrol("sam")
    fleet.add_child("sam", "S9", "Test Child")
    before = fleet.stats("sam")
    engine = open_engine(database_url(fleet.server.url), pool_size=1)
    try:
        with engine.begin() as db:
            revoked = db.execute(
                text(
                    "UPDATE devices SET revoked_at = :now WHERE user_id = "
                    "(SELECT id FROM users WHERE name = 'sam')"
                ),
                {"now": dt.datetime(2026, 12, 1)},
            )
            assert revoked.rowcount >= 1
    finally:
        engine.dispose()
    refused = fleet.run("sam", "sync", "--json")
    assert refused.code == EXIT_AUTH, refused.err
    assert fleet.server.base in refused.err and "Traceback" not in refused.err
    assert fleet.stats("sam") == before
    assert fleet.run("sam", "sync", "status", "--json").json()["waiting"] == 1
    assert fleet.run("sam", "verify").code == 0
