"""The screening lifecycle: draft → submitted → signed off, or returned to the worker.

Every answer is committed the moment it is saved, so a draft survives a crash or a killed
process and lives only in the encrypted database. Submitting scores the answers with the core
scorer under the screening's own instrument version (looked up by content hash, never re-scored
under a newer one), applies the professional-judgement rules, and sets when the child is next due.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from cse_screen.core.model import Questionnaire
from cse_screen.errors import (
    AnswersInvalid,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from cse_screen.storage.models import Answer, Child, Screening
from cse_screen.storage.records import (
    EDITABLE_STATUSES,
    AnswerRecord,
    ScreeningRecord,
    ScreeningSummary,
    WholeScreening,
)
from cse_screen.storage.services import (
    audit,
    handover,
    hands,
    lifecycle,
    roles,
    screening_ids,
    versions,
)
from cse_screen.storage.services.context import ServiceContext
from cse_screen.storage.services.lifecycle import questionnaire_of
from cse_screen.storage.services.lowering import Lowering, floors_below
from cse_screen.storage.types import new_public_id

TRIGGERS: tuple[str, ...] = (
    "initial",
    "scheduled_review",
    "missing_episode",
    "placement_move",
    "new_information",
    "new_disclosure",
    "other",
)
MAX_NOTE = 10_000


def record(
    session: Session,
    row: Screening,
    child_ref: str,
    child: Child | None = None,
    answers: dict[str, AnswerRecord] | None = None,
) -> ScreeningRecord:
    """The screening as the services hand it out; ``answers`` when the caller holds them
    (just written), else read."""
    if answers is None:
        answers = {
            a.item_id: AnswerRecord(a.value, a.note)
            for a in session.scalars(select(Answer).where(Answer.screening_id == row.id))
        }
    return ScreeningRecord(
        id=row.id,
        public_id=row.public_id,
        child_id=row.child_id,
        child_ref=child_ref,
        instrument_id=row.instrument_id,
        instrument_version=row.instrument_version,
        instrument_hash=row.instrument_hash,
        status=row.status,
        screen_date=row.screen_date,
        trigger=row.trigger,
        answers=answers,
        context=dict(row.context or {}),
        computed_outcome=row.computed_outcome,
        final_outcome=row.final_outcome,
        override_reason=row.override_reason,
        needs_signoff=row.needs_signoff,
        next_due=row.next_due,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        submitted_at=row.submitted_at,
        signed_off_by=row.signed_off_by,
        signed_off_at=row.signed_off_at,
        returned_reason=row.returned_reason,
        result=dict(row.result) if row.result else None,
        returned_by=row.returned_by,
        returned_at=row.returned_at,
        child_name=child.name if child is not None else "",
        child_dob=child.dob if child is not None else None,
    )


class ScreeningsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # --- loading ----------------------------------------------------------------------------
    def _load(self, session: Session, screening_id: int, action: str) -> tuple[Screening, Child]:
        row = session.get(Screening, screening_id)
        if row is None:
            raise NotFound(f"there is no screening with id {screening_id}")
        child = session.get(Child, row.child_id)
        assert child is not None  # foreign key
        roles.require_child(self._ctx, child, action)
        return row, child

    def _editable(self, session: Session, screening_id: int) -> tuple[Screening, Child]:
        row, child = self._load(session, screening_id, "edit screenings of")
        if row.status not in EDITABLE_STATUSES:
            raise InvalidTransition(
                f"screening {screening_id} is {row.status.replace('_', ' ')} and can no longer "
                "be changed"
            )
        return row, child

    # --- drafts -----------------------------------------------------------------------------
    def start_draft(
        self,
        child_id: int,
        questionnaire: Questionnaire | None = None,
        trigger: str | None = None,
        screen_date: date | None = None,
        *,
        public_id: str | None = None,
    ) -> ScreeningRecord:
        """A new draft for the child under ``questionnaire`` (its id, version and hash kept),
        by default the installed version active on the screening date; ``public_id`` is the
        id another copy already gave it (a laptop's, sent to the server)."""
        day = self._check_start(trigger, screen_date)
        with self._ctx.transaction() as session:
            child = self._child_to_screen(session, child_id)
            q = questionnaire or versions.active_on(session, day)
            row = self._new_draft(session, child, q, trigger, day, public_id)
            return record(session, row, child.case_ref)

    def record_whole(
        self,
        child_id: int,
        questionnaire: Questionnaire,
        whole: WholeScreening,
        *,
        public_id: str | None = None,
    ) -> ScreeningRecord:
        """A screening made elsewhere (a laptop's, sent to the server) recorded in ONE
        transaction: the draft, its context and answers and, if asked, its submission. The
        same checks, hands and audit entries as :meth:`start_draft`, :meth:`save_context`,
        :meth:`save_answers` and :meth:`submit` one after another, without loading the
        screening and its child again for each step (and holding the write lock meanwhile)."""
        day = self._check_start(whole.trigger, whole.screen_date)
        q = questionnaire
        for item_id, value in whole.answers.items():
            _check_answer(q, item_id, value, None)
        with self._ctx.transaction() as session:
            child = self._child_to_screen(session, child_id)
            row = self._new_draft(session, child, q, whole.trigger, day, public_id)
            if whole.context:
                row.context = {k: _jsonable(v) for k, v in whole.context.items()}
                hands.note(session, row.id, self._ctx.user.name, hands.EDITED)
            answers = dict(whole.answers)
            if answers:
                # One executemany of a statement compiled once (a multi-row VALUES is compiled
                # anew for every screening, which cost more than the database's work).
                rows = [
                    {"screening_id": row.id, "item_id": k, "value": v} for k, v in answers.items()
                ]
                session.connection().execute(insert(Answer.__table__), rows)
            if whole.submit:
                lifecycle.submit(
                    session, self._ctx, row, child, whole.final_outcome, whole.reason, answers
                )
            written = {k: AnswerRecord(v, None) for k, v in answers.items()}
            return record(session, row, child.case_ref, child, written)

    def _check_start(self, trigger: str | None, screen_date: date | None) -> date:
        if trigger is not None and trigger not in TRIGGERS:
            raise ValidationFailed(f"unknown trigger '{trigger}'; use one of {', '.join(TRIGGERS)}")
        day = screen_date or self._ctx.today()
        if day > self._ctx.today():
            raise ValidationFailed("a screening cannot be dated in the future")
        return day

    def _child_to_screen(self, session: Session, child_id: int) -> Child:
        child = session.get(Child, child_id)
        if child is None:
            raise NotFound(f"there is no child with id {child_id}")
        roles.require_child(self._ctx, child, "screen")
        return child

    def _new_draft(
        self,
        session: Session,
        child: Child,
        questionnaire: Questionnaire,
        trigger: str | None,
        day: date,
        public_id: str | None,
    ) -> Screening:
        now = self._ctx.now()
        row = Screening(
            public_id=public_id or new_public_id(),
            child_id=child.id,
            instrument_id=questionnaire.id,
            instrument_version=questionnaire.version,
            instrument_hash=questionnaire.content_hash,
            status="draft",
            screen_date=day,
            trigger=trigger or ("scheduled_review" if child.last_screened else "initial"),
            team=child.team,
            context={},
            needs_signoff=False,
            created_by=self._ctx.user.name,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        hands.created(session, row.id)
        hands.note(session, row.id, self._ctx.user.name, hands.STARTED)
        detail = {"child_id": child.id, "instrument": questionnaire.label, "trigger": row.trigger}
        audit.append(session, self._ctx, audit.CREATE, "screening", row.id, detail)
        return row

    def save_answer(
        self, screening_id: int, item_id: str, value: str | None, note: str | None = None
    ) -> None:
        """Store one answer and commit at once; ``value`` None clears the item."""
        with self._ctx.transaction() as session:
            row, _child = self._editable(session, screening_id)
            if value is not None:
                _check_answer(questionnaire_of(row), item_id, value, note)
            self._write_answer(session, row, item_id, value, note)

    def save_answers(self, screening_id: int, answers: Mapping[str, str]) -> None:
        """Store several answers in one commit (an answers file, a whole page)."""
        with self._ctx.transaction() as session:
            row, _child = self._editable(session, screening_id)
            q = questionnaire_of(row)
            for item_id, value in answers.items():
                _check_answer(q, item_id, value, None)
            # The answers already there, read once: one query per item (each flushing the
            # last insert first) made a whole page cost a round trip per answer on a server.
            existing = {
                a.item_id: a
                for a in session.scalars(select(Answer).where(Answer.screening_id == row.id))
            }
            for item_id, value in answers.items():
                if item_id in existing:
                    existing[item_id].value = value  # the note stays
                else:
                    session.add(Answer(screening_id=row.id, item_id=item_id, value=value))
            row.updated_at = self._ctx.now()

    def _write_answer(
        self,
        session: Session,
        row: Screening,
        item_id: str,
        value: str | None,
        note: str | None,
        keep_note: bool = False,
    ) -> None:
        existing = session.scalar(
            select(Answer).where(Answer.screening_id == row.id, Answer.item_id == item_id)
        )
        if value is None:
            if existing is not None:
                session.delete(existing)
        elif existing is None:
            session.add(Answer(screening_id=row.id, item_id=item_id, value=value, note=note))
        else:
            existing.value = value
            if not keep_note:
                existing.note = note
        hands.note(session, row.id, self._ctx.user.name, hands.EDITED)
        row.updated_at = self._ctx.now()

    def save_context(
        self,
        screening_id: int,
        context: Mapping[str, Any],
        *,
        screen_date: date | None = None,
        trigger: str | None = None,
    ) -> None:
        """Replace the screening's context answers (and optionally its date and trigger)."""
        with self._ctx.transaction() as session:
            row, _child = self._editable(session, screening_id)
            if trigger is not None:
                if trigger not in TRIGGERS:
                    raise ValidationFailed(f"unknown trigger '{trigger}'")
                row.trigger = trigger
            if screen_date is not None:
                if screen_date > self._ctx.today():
                    raise ValidationFailed("a screening cannot be dated in the future")
                row.screen_date = screen_date
            row.context = {k: _jsonable(v) for k, v in context.items()}
            hands.note(session, row.id, self._ctx.user.name, hands.EDITED)
            row.updated_at = self._ctx.now()

    def discard_draft(self, screening_id: int) -> None:
        """Delete a draft the user no longer wants (never a submitted screening). A worker may
        discard only a draft they started; a lead or administrator any they may see."""
        with self._ctx.transaction() as session:
            row, child = self._editable(session, screening_id)
            if row.status != "draft":
                raise InvalidTransition(
                    f"screening {screening_id} was returned for changes and cannot be discarded"
                )
            user = self._ctx.user
            if user.role == "worker" and row.created_by != user.name:
                roles.deny(
                    self._ctx,
                    "discard",
                    "screening",
                    screening_id,
                    f"{roles.who(user)} may only discard drafts they started; the draft for "
                    f"child {child.case_ref} was started by someone else",
                )
            session.execute(delete(Answer).where(Answer.screening_id == row.id))
            hands.forget(session, row.id)
            session.delete(row)
            audit.append(
                session,
                self._ctx,
                audit.DISCARD,
                "screening",
                screening_id,
                {"child_id": child.id, "case_ref": child.case_ref},
            )

    def take_over(self, child_id: int) -> ScreeningRecord | None:
        """The child's unfinished screening left by a worker the child has since moved from,
        now the caller's to continue (None when there is none): see :mod:`handover`."""
        with self._ctx.transaction() as session:
            child = session.get(Child, child_id)
            if child is None:
                raise NotFound(f"there is no child with id {child_id}")
            row = handover.take_over(session, self._ctx, child)
            return None if row is None else record(session, row, child.case_ref, child)

    # --- reading ----------------------------------------------------------------------------
    def get(self, screening_id: int) -> ScreeningRecord:
        """One screening with its answers; showing it is audited as a view."""
        with self._ctx.transaction() as session:
            row, child = self._load(session, screening_id, "view screenings of")
            audit.append(session, self._ctx, audit.VIEW, "screening", row.id)
            return record(session, row, child.case_ref, child)

    def history(self, child_id: int) -> list[ScreeningSummary]:
        """The child's screenings, newest first."""
        with self._ctx.reading() as session:
            child = session.get(Child, child_id)
            if child is None:
                raise NotFound(f"there is no child with id {child_id}")
            roles.require_child(self._ctx, child, "view screenings of")
            stmt = _summaries().where(Screening.child_id == child_id)
            return _summary_list(session, stmt)

    def drafts(self) -> list[ScreeningSummary]:
        """The signed-in user's unfinished screenings (drafts and returned ones): to resume.

        Only of children still in their caseload or team: a draft of a child moved to another
        worker is that worker's business now, and resuming it would be refused anyway."""
        with self._ctx.reading() as session:
            # Only children still theirs: a child moved to another worker takes its draft along.
            stmt = _summaries().where(
                Screening.status.in_(EDITABLE_STATUSES),
                Screening.created_by == self._ctx.user.name,
                roles.child_scope(self._ctx.user),
            )
            return _summary_list(session, stmt)

    def find(self, text: str) -> int:
        """The local id of the screening a public id names (or an unambiguous prefix of one
        awaiting the caller's sign-off): see :mod:`screening_ids`."""
        with self._ctx.reading() as session:
            return screening_ids.find(session, self._ctx, text)

    def review_queue(self) -> list[ScreeningSummary]:
        """Submitted screenings awaiting sign-off in the lead's team (lowered ones first)."""
        roles.require_role(self._ctx, roles.LEADING_ROLES, "see the review queue", "screening")
        with self._ctx.reading() as session:
            stmt = (
                _summaries()
                .where(Screening.status == "submitted", roles.change_scope(self._ctx.user))
                .order_by(None)
                .order_by(Screening.needs_signoff.desc(), Screening.submitted_at, Screening.id)
            )
            return _summary_list(session, stmt)

    # --- decisions --------------------------------------------------------------------------
    def submit(
        self, screening_id: int, final_outcome: str | None = None, reason: str | None = None
    ) -> ScreeningRecord:
        """Score and submit; ``final_outcome``/``reason`` record a professional judgement."""
        with self._ctx.transaction() as session:
            row, child = self._editable(session, screening_id)
            lifecycle.submit(session, self._ctx, row, child, final_outcome, reason)
            return record(session, row, child.case_ref)

    def lowering(self, screening_id: int) -> Lowering | None:
        """What signing off this screening would agree to, if its judgement is lower than the
        computed outcome: the view shows it, and hands it back to :meth:`sign_off`."""
        with self._ctx.reading() as session:
            row, _child = self._load(session, screening_id, "view screenings of")
            return lifecycle.lowering(row)

    def sign_off(
        self, screening_id: int, acknowledged_lowering: Lowering | None = None
    ) -> ScreeningRecord:
        """A team lead (or admin) accepts a submitted screening; never its own submitter.

        A lowered screening is accepted only with ``acknowledged_lowering``: the lowering the
        lead was shown (outcomes and floors), as :meth:`lowering` gave it. Without it, or if
        the screening changed since, the sign-off is refused.
        """
        roles.require_role(self._ctx, roles.LEADING_ROLES, "sign off screenings", "screening")
        with self._ctx.transaction() as session:
            row, child = self._load(session, screening_id, "sign off screenings of")
            lifecycle.sign_off(session, self._ctx, row, child, acknowledged_lowering)
            return record(session, row, child.case_ref)

    def return_to_worker(self, screening_id: int, reason: str) -> ScreeningRecord:
        """Send a submitted screening back for changes, with the reason the worker will read."""
        roles.require_role(self._ctx, roles.LEADING_ROLES, "return screenings", "screening")
        with self._ctx.transaction() as session:
            row, child = self._load(session, screening_id, "return screenings of")
            lifecycle.return_to_worker(session, self._ctx, row, child, reason)
            return record(session, row, child.case_ref)


def _check_answer(q: Questionnaire, item_id: str, value: str, note: str | None) -> None:
    if not q.has_item(item_id):
        raise AnswersInvalid(f"{q.label} has no item {item_id}")
    item = q.item(item_id)
    if value not in item.values:
        raise AnswersInvalid(
            f"item {item_id} cannot be answered '{value}'; use one of {', '.join(item.values)}"
        )
    if note is not None and len(note) > MAX_NOTE:
        raise AnswersInvalid(f"the evidence note for item {item_id} is over {MAX_NOTE} characters")


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _summaries() -> Any:
    answered = (
        select(func.count())
        .select_from(Answer)
        .where(Answer.screening_id == Screening.id)
        .scalar_subquery()
    )
    return (
        select(Screening, Child.case_ref, answered.label("answered"), Child.name, Child.dob)
        .join(Child, Child.id == Screening.child_id)
        .order_by(Screening.screen_date.desc(), Screening.id.desc())
    )


def _age(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _floors(s: Screening) -> tuple[str, ...]:
    if not (s.needs_signoff and s.final_outcome and s.status == "submitted"):
        return ()
    try:
        q = questionnaire_of(s)
    except NotFound:
        return ()
    return tuple(f.id for f in floors_below(q, s.result, s.final_outcome))


def _summary_list(session: Session, stmt: Any) -> list[ScreeningSummary]:
    summaries = []
    for row in session.execute(stmt):
        s: Screening = row[0]
        summaries.append(
            ScreeningSummary(
                id=s.id,
                public_id=s.public_id,
                child_id=s.child_id,
                child_ref=str(row[1]),
                status=s.status,
                screen_date=s.screen_date,
                trigger=s.trigger,
                instrument_version=s.instrument_version,
                computed_outcome=s.computed_outcome,
                final_outcome=s.final_outcome,
                needs_signoff=s.needs_signoff,
                created_by=s.created_by,
                updated_at=s.updated_at,
                answered=int(row[2] or 0),
                child_name=str(row[3]),
                child_age=_age(row[4], s.screen_date),
                submitted_at=s.submitted_at,
                override_reason=s.override_reason,
                returned_by=s.returned_by,
                returned_at=s.returned_at,
                returned_reason=s.returned_reason,
                floors_below=_floors(s),
            )
        )
    return summaries
