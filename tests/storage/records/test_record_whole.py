"""A screening made elsewhere and recorded at once (``record_whole``, what the team server does
with a laptop's screening) ends as the same steps one after another would leave it: the same
record, outcome, hands and audit entries; refused as they would be, with nothing written."""

from __future__ import annotations

import uuid

import pytest
from records_fixtures import Council, complete_answers
from sqlalchemy import func, select

from cse_screen.core.model import Questionnaire
from cse_screen.errors import AnswersInvalid, NotFound, PermissionDenied
from cse_screen.storage.models import AuditRow, Screening, ScreeningHand
from cse_screen.storage.records import WholeScreening


def _trail(council: Council, screening_id: int) -> list[tuple[str, str]]:
    with council.open().reading() as session:
        rows = session.execute(
            select(AuditRow.actor, AuditRow.action)
            .where(AuditRow.entity == "screening", AuditRow.entity_id == str(screening_id))
            .order_by(AuditRow.seq)
        )
        return [(str(r.actor), str(r.action)) for r in rows]


def _hands(council: Council, screening_id: int) -> set[tuple[str, str]]:
    with council.open().reading() as session:
        rows = session.execute(
            select(ScreeningHand.user_name, ScreeningHand.part).where(
                ScreeningHand.screening_id == screening_id
            )
        )
        return {(str(r.user_name), str(r.part)) for r in rows}


def _screenings(council: Council) -> int:
    with council.open().reading() as session:
        return int(session.scalar(select(func.count()).select_from(Screening)) or 0)


def test_recorded_whole_as_its_steps_would_leave_it(council: Council, q: Questionnaire) -> None:
    answers = complete_answers(q, A1="current")
    whole = council.open("wes").screenings.record_whole(
        council.ids["N1"],
        q,
        WholeScreening(answers=answers, submit=True),
        public_id=str(uuid.uuid4()),
    )
    stepped = council.screen("wes", "N2", q, answers)
    step = council.open("wes").screenings.get(stepped)
    for field in ("status", "computed_outcome", "final_outcome", "next_due", "trigger"):
        assert getattr(whole, field) == getattr(step, field), field
    assert whole.answers == step.answers and whole.child_name == "Amelia Ashdown"
    assert _trail(council, whole.id) == [("wes", "create"), ("wes", "submit")]
    assert _trail(council, stepped)[:2] == _trail(council, whole.id)
    assert _hands(council, whole.id) == _hands(council, stepped)
    latest = council.open("lena").children.get(council.ids["N1"])
    assert latest.latest_outcome == whole.final_outcome
    assert council.verify_ok(council.open())


def test_a_draft_sent_whole_stays_a_draft(council: Council, q: Questionnaire) -> None:
    sent = WholeScreening(answers={"A1": "current"})
    draft = council.open("wes").screenings.record_whole(council.ids["N1"], q, sent)
    assert draft.status == "draft" and set(draft.answers) == {"A1"}
    assert _trail(council, draft.id) == [("wes", "create")]


@pytest.mark.parametrize(
    ("who", "answers", "refused"),
    [
        ("sue", None, (PermissionDenied, NotFound)),  # South: N1 is North's
        ("wes", {"A1": "sometimes perhaps"}, (AnswersInvalid,)),
        ("wes", {"no-such-item": "no"}, (AnswersInvalid,)),
    ],
)
def test_refused_whole_with_nothing_written(
    council: Council, q: Questionnaire, who: str, answers: dict[str, str] | None, refused: tuple
) -> None:
    before = _screenings(council)
    sent = WholeScreening(answers=answers or complete_answers(q), submit=True)
    with pytest.raises(refused):
        council.open(who).screenings.record_whole(council.ids["N1"], q, sent)
    assert _screenings(council) == before
