"""Re-score the stored history under a candidate definition, reading only, for the CSE team.

Submitted and signed-off screenings the user may see are streamed in screening-id order, their
answers in step from the answers' primary-key index, a batch at a time, so memory stays flat
however long the history is. Nothing is written: the candidate is a file not yet installed,
and the report (:class:`cse_screen.core.candidate.CandidateTally`) holds counts and ids only.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Select, select

from cse_screen.core import registry
from cse_screen.core.candidate import CandidateTally, merge_scales
from cse_screen.core.model import Questionnaire
from cse_screen.core.scoring import ScoreResult
from cse_screen.core.session import scoring_context
from cse_screen.errors import NotFound
from cse_screen.storage.models import Answer, Child, Screening
from cse_screen.storage.records import COMPLETED_STATUSES
from cse_screen.storage.services import roles
from cse_screen.storage.services.context import ServiceContext

#: Who may compare a candidate: it reads every screening of the team (or of all teams).
COMPARE_ROLES = ("lead", "manager", "admin")
BATCH = 2000


def compare_candidate(
    ctx: ServiceContext,
    candidate: Questionnaire,
    on_result: Callable[[int, ScoreResult | None], None] | None = None,
) -> CandidateTally:
    """The candidate's effect on every completed screening the signed-in user may see;
    ``on_result`` hears each screening's candidate result (None: not comparable) as it goes,
    for progress or for checking one screening against ``score``."""
    roles.require_role(ctx, COMPARE_ROLES, "compare a candidate questionnaire", "questionnaire")
    scale = merge_scales([_installed_scale(candidate.id), candidate.outcome_ids])
    tally = CandidateTally(candidate, scale)
    with ctx.reading() as session:
        rows = session.execute(_scoped(ctx, _screenings()).execution_options(yield_per=BATCH))
        answer_rows = session.execute(
            _scoped(ctx, _answers()).execution_options(yield_per=BATCH * 40)
        )
        answers = _grouped(answer_rows)
        pending = next(answers, None)
        for row in rows:
            given: dict[str, str] = {}
            while pending is not None and pending[0] < row.id:
                pending = next(answers, None)
            if pending is not None and pending[0] == row.id:
                given = pending[1]
                pending = next(answers, None)
            context = scoring_context(
                row.context, screen_date=row.screen_date, dob=row.dob, disability=row.disability
            )
            fired = (row.result or {}).get("fired", ())
            result = tally.add(row.id, given, context, row.computed_outcome or "", fired)
            if on_result is not None:
                on_result(row.id, result)
    return tally


def _installed_scale(instrument_id: str) -> tuple[str, ...]:
    """The installed instrument's scale; a candidate under a new id is ranked against the
    default's, since stored screenings are matched by item id, not instrument id."""
    try:
        return registry.outcome_scale(instrument_id)
    except NotFound:
        return registry.outcome_scale()


def _screenings() -> Select[Any]:
    return (
        select(
            Screening.id,
            Screening.context,
            Screening.screen_date,
            Screening.computed_outcome,
            Screening.result,
            Child.dob,
            Child.disability,
        )
        .join(Child, Child.id == Screening.child_id)
        .where(Screening.status.in_(COMPLETED_STATUSES))
        .order_by(Screening.id)
    )


def _answers() -> Select[Any]:
    return (
        select(Answer.screening_id, Answer.item_id, Answer.value)
        .join(Screening, Screening.id == Answer.screening_id)
        .join(Child, Child.id == Screening.child_id)
        .where(Screening.status.in_(COMPLETED_STATUSES))
        .order_by(Answer.screening_id)
    )


def _scoped(ctx: ServiceContext, stmt: Select[Any]) -> Select[Any]:
    if ctx.user.role == "admin":
        return stmt
    return stmt.where(roles.child_scope(ctx.user))


def _grouped(rows: Any) -> Iterator[tuple[int, dict[str, str]]]:
    for screening_id, group in itertools.groupby(rows, key=lambda r: r[0]):
        yield screening_id, {item: value for _, item, value in group}
