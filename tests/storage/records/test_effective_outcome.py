"""The one effective-outcome rule: what the register, record, dashboard and stats say a child's
outcome is while a lowering awaits sign-off or a screening has been returned for changes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from records_fixtures import Council, complete_answers

from cse_screen.core import dates
from cse_screen.errors import InvalidTransition
from cse_screen.storage.records import RegisterQuery
from cse_screen.storage.revisions import head_revision
from cse_screen.storage.services import dashboard
from cse_screen.storage.services.latest import effective_outcome
from cse_screen.storage.services.lowering import Lowering


def lowered(council: Council, q, ref: str = "N2") -> int:
    """A worker lowers a significant outcome to low for N2 (aged 11: below the under-13 floor)."""
    wes = council.open("wes")
    draft = wes.screenings.start_draft(council.ids[ref], q)
    wes.screenings.save_answers(draft.id, complete_answers(q, A1="current"))
    wes.screenings.submit(draft.id, final_outcome="low", reason="carer says it has stopped")
    return draft.id


def row_of(store, ref: str):
    return store.children.register(RegisterQuery(search=ref)).rows[0]


@pytest.mark.parametrize(
    ("status", "computed", "final", "needs", "expected"),
    [
        ("submitted", "significant", "low", True, ("significant", "lowered")),
        ("signed_off", "significant", "low", False, ("low", "signed_off")),
        ("submitted", "low", "moderate", False, ("moderate", "submitted")),
        ("returned", "significant", "low", False, ("significant", "returned")),
        ("returned", "moderate", "moderate", False, ("moderate", "returned")),
    ],
)
def test_the_rule_keeps_the_higher_outcome_until_signed_off(
    status, computed, final, needs, expected
):
    got = effective_outcome(status, computed, final, needs)
    assert (got.outcome, got.state) == expected


def test_an_unsigned_lowering_leaves_register_due_date_and_stats_at_the_higher(council, q):
    sid = lowered(council, q)
    lena = council.open("lena")
    row = row_of(lena, "N2")
    assert (row.latest_outcome, row.outcome_state) == ("significant", "lowered")
    today = dt.date.today()
    assert row.next_due == dates.next_due(q, "significant", today)
    assert lena.children.get(council.ids["N2"]).latest_outcome == "significant"
    stats = lena.stats()
    assert stats["screenings"]["by_outcome"]["significant"] == 1
    assert stats["screenings"]["by_outcome"]["low"] == 0
    attention = dashboard.compute(lena.context)
    assert [a.case_ref for a in attention.attention] == ["N2"]
    assert attention.months[-1].by_outcome["significant"] == 1
    # Signed off with what the view showed: the agreed, lower outcome takes effect.
    lena.screenings.sign_off(sid, lena.screenings.lowering(sid))
    row = row_of(lena, "N2")
    assert (row.latest_outcome, row.outcome_state) == ("low", "signed_off")
    assert row.next_due == dates.next_due(q, "low", today)


def test_a_lowered_sign_off_needs_the_lowering_that_was_shown(council, q):
    sid = lowered(council, q)
    lena = council.open("lena")
    with pytest.raises(InvalidTransition, match="open the screening"):
        lena.screenings.sign_off(sid)
    shown = lena.screenings.lowering(sid)
    assert shown is not None
    assert (shown.from_outcome, shown.to_outcome, shown.floor_ids) == (
        "significant",
        "low",
        ("O2",),
    )
    assert shown.sentence(q).startswith(
        "lower from Significant risk to Low risk / vulnerable, below floor O2: the child is "
        "under 13"
    )
    stale = Lowering(sid, "significant", "moderate", (), shown.reason)
    with pytest.raises(InvalidTransition, match="has changed since it was shown"):
        lena.screenings.sign_off(sid, stale)
    assert row_of(lena, "N2").outcome_state == "lowered"
    lena.screenings.sign_off(sid, shown)
    entry = next(e for e in council.open().audit.entries(limit=30) if e.action == "sign_off")
    detail = entry.detail if isinstance(entry.detail, dict) else json.loads(entry.detail)
    assert detail["shown"] == {
        "outcomes": ["significant", "low"],
        "floors": ["O2"],
        "reason_shown": True,
    }


def test_the_queue_names_the_child_the_floors_and_the_wait(council, q):
    sid = lowered(council, q)
    [summary] = council.open("lena").screenings.review_queue()
    assert summary.id == sid
    assert (summary.child_name, summary.child_age) == ("Tyler Brereton", 11)
    assert summary.floors_below == ("O2",)
    assert summary.override_reason == "carer says it has stopped"
    assert summary.submitted_at is not None


def test_a_returned_screening_keeps_its_risk_and_needs_attention(council, q):
    earlier = dt.date.today() - dt.timedelta(days=40)
    council.screen("wes", "N1", q, complete_answers(q), day=earlier)
    council.open("lena").screenings.sign_off(council.open("lena").screenings.review_queue()[0].id)
    sid = council.screen("wes", "N1", q, complete_answers(q, A1="current"))
    lena = council.open("lena")
    lena.screenings.return_to_worker(sid, "check the missing episodes")
    row = row_of(lena, "N1")
    assert (row.latest_outcome, row.outcome_state) == ("significant", "returned")
    assert row.next_due == dt.date.today()
    assert row.due_reason.startswith("returned for changes on ")
    assert "N1" in [a.case_ref for a in dashboard.compute(lena.context).attention]
    wes = council.open("wes")
    mine = wes.children.register(RegisterQuery(returned_to_me=True)).rows
    assert [r.case_ref for r in mine] == ["N1"]
    assert council.open("wynn").children.register(RegisterQuery(returned_to_me=True)).rows == ()
    [draft] = [d for d in wes.screenings.drafts() if d.id == sid]
    assert (draft.returned_by, draft.returned_reason) == ("lena", "check the missing episodes")
    assert draft.returned_at is not None
    attention = lena.children.register(RegisterQuery(sort="attention")).rows
    assert attention[0].case_ref == "N1"


def test_due_reasons_name_the_cause_and_the_lateness(council, q):
    day = dt.date.today() - dt.timedelta(days=60)
    council.screen("wes", "N1", q, complete_answers(q), day=day)
    wes = council.open("wes")
    moved = dt.date.today() - dt.timedelta(days=20)
    wes.events.record(council.ids["N1"], "placement_move", moved)
    reason = row_of(wes, "N1").due_reason
    assert (
        reason
        == f"placement move on {moved.day} {moved:%b}"
        + ("" if moved.year == dt.date.today().year else f" {moved.year}")
        + "; overdue by 20 days"
    )
    assert wes.children.get(council.ids["N1"]).due_reason == reason
    assert row_of(wes, "N2").due_reason.startswith("not screened yet (added ")


def test_an_older_database_is_recomputed_by_the_rule_when_upgraded(tmp_path, monkeypatch):
    """Children whose latest screening is a lowering awaiting sign-off, or was returned, are
    moved to the higher outcome by revision 0003_effective_outcome (data kept, state set)."""
    import json
    import uuid

    from alembic import command
    from records_fixtures import ADMIN, PASSWORD

    from cse_screen.storage.revisions import alembic_config
    from cse_screen.vault import migrate
    from cse_screen.vault.store import Store

    db = tmp_path / "old.db"
    with Store.create(db, ADMIN, PASSWORD) as store:
        # Back to the schema before 0003, as a release of that time left it: the models know
        # later columns, so the first user is made at head and the schema taken back.
        with store.engine.connect() as connection:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
            with connection.begin():
                command.downgrade(alembic_config(connection), "0005_public_ids")
        keys = json.loads(store.keyslots.path.read_text())
        keys.pop("signing", None)  # nor had it a signing key
        store.keyslots.path.write_text(json.dumps(keys))
    with store.engine.begin() as connection:  # the closed store's engine still connects
        for number, (ref, status, computed, final, lowered) in enumerate(
            (
                ("L", "submitted", "significant", "low", 1),
                ("R", "returned", "significant", "significant", 0),
                ("S", "signed_off", "moderate", "low", 1),
            ),
            start=1,
        ):
            connection.exec_driver_sql(
                "INSERT INTO children (id, public_id, case_ref, name, name_key, dob, "
                "latest_outcome, created_at, updated_at) VALUES (?, ?, ?, 'X', ?, '2012-01-01', "
                "?, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
                (
                    number,
                    uuid.uuid4().hex,
                    ref,
                    f"x\x1f{ref.lower()}",
                    final if status != "returned" else None,
                ),
            )
            connection.exec_driver_sql(
                "INSERT INTO screenings (public_id, child_id, instrument_id, instrument_version, "
                "instrument_hash, status, screen_date, trigger, context, computed_outcome, "
                "final_outcome, needs_signoff, created_by, created_at, updated_at) VALUES "
                "(?, ?, 'lac-cse-screen', '1.0.0', 'h', ?, '2026-11-01', 'initial', '{}', ?, ?, ?, "
                "'wes', '2026-11-01 00:00:00', '2026-11-01 00:00:00')",
                (uuid.uuid4().hex, number, status, computed, final, lowered),
            )
        assert migrate.current_revision(store.engine) == "0005_public_ids"
    with Store.open(db, ADMIN, PASSWORD) as store:
        assert migrate.current_revision(store.engine) == head_revision()
        rows = {r.case_ref: r for r in store.children.register(RegisterQuery()).rows}
        assert (rows["L"].latest_outcome, rows["L"].outcome_state) == ("significant", "lowered")
        assert (rows["R"].latest_outcome, rows["R"].outcome_state) == ("significant", "returned")
        assert (rows["S"].latest_outcome, rows["S"].outcome_state) == ("low", "signed_off")
        assert store.verify().ok
