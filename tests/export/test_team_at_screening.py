"""Screenings are counted to the team the child was in when screened, not today's team."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from cse_screen.export import ExportOptions, export_workbook
from cse_screen.storage.models import Screening
from tests.export.helpers import block, load, table


def _mover(store):
    """A child screened in East, moved to West, then screened again in West; and a child
    screened in East and moved since, with no screening in West."""
    from cse_screen.core import registry
    from cse_screen.storage.records import ChildInput

    q = registry.get_questionnaire()
    answers = {i.id: ("none" if "none" in i.values else "no") for i in q.items}
    today = store.context.today()

    def screen(child_id: int, day: date) -> int:
        draft = store.screenings.start_draft(child_id, q, screen_date=day)
        store.screenings.save_answers(draft.id, answers)
        store.screenings.submit(draft.id)
        return draft.id

    twice = store.children.add(ChildInput("MOVE-1", "Mover One", date(2011, 2, 3), team="East"))
    once = store.children.add(ChildInput("MOVE-2", "Mover Two", date(2012, 4, 5), team="East"))
    first = screen(twice.id, today - timedelta(days=200))
    only = screen(once.id, today - timedelta(days=150))
    store.children.update(twice.id, team="West")
    store.children.update(once.id, team="West")
    second = screen(twice.id, today - timedelta(days=10))
    return {"first": first, "only": only, "second": second}


def test_a_screening_keeps_the_team_it_was_made_in(admin_store):
    ids = _mover(admin_store)
    with admin_store.reading() as session:
        teams = {i: t for i, t in session.execute(select(Screening.id, Screening.team)).all()}
    assert (teams[ids["first"]], teams[ids["only"]], teams[ids["second"]]) == (
        "East",
        "East",
        "West",
    )


def test_the_export_counts_screenings_and_positions_to_the_team_at_screening(admin_store, tmp_path):
    _mover(admin_store)
    out = tmp_path / "teams.xlsx"
    export_workbook(admin_store, out, ExportOptions())
    book = load(out)
    listed = {
        (r["Case reference"], r["Team"])
        for r in table(book["Screenings"])
        if str(r["Case reference"]).startswith("MOVE-")
    }
    assert listed == {("MOVE-1", "East"), ("MOVE-1", "West"), ("MOVE-2", "East")}
    by_team = {r["Team"]: r["Children"] for r in block(book["Summary"], "By team")}
    # The fixture's children are in North and South only. MOVE-2's latest screening was made
    # in East, so East keeps the child; today's allocation would put both in West.
    assert (by_team.get("East"), by_team.get("West")) == (1, 1)
