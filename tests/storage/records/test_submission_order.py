"""Submissions are numbered in order, whatever the clock says, and decide a tie of dates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from cse_screen.storage.models import Screening
from cse_screen.storage.services import clock


def _absent(q) -> dict[str, str]:
    return {i.id: ("no" if "no" in i.values else "none") for i in q.items}


def test_submissions_are_numbered_in_order_and_break_a_tie_of_dates(council, q) -> None:
    store = council.open()
    ref = next(iter(council.ids))
    day = dt.date.today() - dt.timedelta(days=3)
    significant = next(i.id for i in q.items if i.tier == "significant")
    first = council.screen("ada", ref, q, {**_absent(q), significant: "current"}, day=day)
    second = council.screen("ada", ref, q, _absent(q), day=day)
    with store.context.sessions() as session:
        seqs = dict(
            session.execute(
                select(Screening.id, Screening.submitted_seq).where(
                    Screening.id.in_([first, second])
                )
            ).all()
        )
        assert seqs[second] == seqs[first] + 1
        assert clock.next_submission(session) == seqs[second] + 1
        # Renumber so the screening made second looks older by id but was submitted last:
        # the register follows the order of submission.
        session.execute(
            Screening.__table__.update()
            .where(Screening.id == first)
            .values(submitted_seq=seqs[second] + 1)
        )
        session.commit()
    with store.context.transaction() as session:
        from cse_screen.storage.models import Child
        from cse_screen.storage.services.latest import refresh_child

        refresh_child(session, session.get(Child, council.ids[ref]))
    assert store.children.get(council.ids[ref]).latest_outcome == "significant"


def test_two_teams_never_share_a_submission_number(council, q) -> None:
    """On the team server each lead sees only their team's screenings; the numbers still
    count every submission, so a council-wide list in order of submission is never tied."""
    north = council.screen("lena", "N1", q, _absent(q))
    south = council.screen("sam", "S1", q, _absent(q))
    again = council.screen("lena", "N2", q, _absent(q))
    store = council.open()
    with store.context.sessions() as session:
        seqs = dict(
            session.execute(
                select(Screening.id, Screening.submitted_seq).where(
                    Screening.id.in_([north, south, again])
                )
            ).all()
        )
    assert seqs[north] < seqs[south] < seqs[again]
