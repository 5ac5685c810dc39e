"""The decisions on a screening (submit, sign off, return), inside the caller's transaction.

Scoring, the override rules and the review interval all come from the core package, applied to
the definition the screening was started with; nothing here re-implements them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from cse_screen.core import dates, judgement, registry, scoring
from cse_screen.core.child_details import SCORED_RECORD_FIELDS, unmapped_details
from cse_screen.core.model import Questionnaire
from cse_screen.core.session import ScreeningSession
from cse_screen.core.session import scoring_context as session_scoring_context
from cse_screen.errors import InvalidTransition, ScreeningIncomplete, ValidationFailed
from cse_screen.storage.models import Answer, Child, InstrumentVersion, Screening
from cse_screen.storage.services import audit, clock, hands, roles
from cse_screen.storage.services.context import ServiceContext
from cse_screen.storage.services.latest import refresh_child
from cse_screen.storage.services.lowering import Lowering, lowering_of


def questionnaire_of(row: Screening) -> Questionnaire:
    """The exact definition the screening was started with (never a newer version): a shipped
    file, or the one installed in the row's own database."""
    key = (row.instrument_id, row.instrument_version, row.instrument_hash)
    if registry.offered(*key) is None:
        session = object_session(row)
        if session is not None:
            stmt = select(InstrumentVersion.definition).where(
                InstrumentVersion.instrument_id == row.instrument_id,
                InstrumentVersion.version == row.instrument_version,
                InstrumentVersion.content_hash == row.instrument_hash,
            )
            text = session.scalar(stmt)
            if text is not None:
                registry.offer(*key, text)
    return registry.get_by_hash(*key)


def scoring_context(row: Screening, child: Child) -> dict[str, Any]:
    """What the scorer needs, built by core from the screening and the child's record."""
    return session_scoring_context(
        row.context, screen_date=row.screen_date, dob=child.dob, disability=child.disability
    )


def _answers(session: Session, screening_id: int) -> dict[str, str]:
    stmt = select(Answer.item_id, Answer.value).where(Answer.screening_id == screening_id)
    return {item: value for item, value in session.execute(stmt)}


def _require_complete(q: Any, answers: dict[str, str], context: dict[str, Any], sid: int) -> None:
    missing = ScreeningSession(q, answers, context).missing_required()
    if not missing:
        return
    # Every id is named: a worker (or a script reading stderr) must know exactly what to answer.
    shown = ", ".join(missing)
    raise ScreeningIncomplete(
        f"screening {sid} cannot be submitted: {len(missing)} required item(s) are unanswered: "
        f"{shown}"
    )


def _require_mapped_details(q: Questionnaire, row: Screening, child: Child) -> None:
    """Refuse to score a record detail the rules would misread (a disability typed as words no
    option matches) unless the screening itself chose a value for it."""
    record = {field: getattr(child, field) for field in SCORED_RECORD_FIELDS}
    unmapped = [f for f in unmapped_details(q, record) if not (row.context or {}).get(f.id)]
    if unmapped:
        names = ", ".join(f.label.lower() for f in unmapped)
        raise ScreeningIncomplete(
            f"screening {row.id} cannot be submitted: child {child.case_ref}'s recorded {names} "
            "is none of the questionnaire's choices; choose it in the screening's context or "
            "correct the child's record"
        )


def submit(
    session: Session,
    ctx: ServiceContext,
    row: Screening,
    child: Child,
    final_outcome: str | None,
    reason: str | None,
    answers: dict[str, str] | None = None,
) -> None:
    """Submit ``row``; ``answers`` are its stored answers when the caller has just written
    them all (a screening recorded whole), so they are not read back."""
    q = questionnaire_of(row)
    if answers is None:
        answers = _answers(session, row.id)
    context = scoring_context(row, child)
    _require_complete(q, answers, context, row.id)
    _require_mapped_details(q, row, child)
    result = scoring.score(q, answers, context)
    decided = judgement.apply_judgement(q, result.outcome, final_outcome or result.outcome, reason)
    now = ctx.now()
    # Numbered before the row changes, so its changes reach the database in one UPDATE.
    number = clock.next_submission(session, row.child_id)
    row.status = "submitted"
    row.team = child.team  # the team it was made in, whatever the child's team becomes
    row.result = result.to_dict()
    row.computed_outcome = decided.computed_outcome
    row.final_outcome = decided.final_outcome
    row.override_reason = decided.reason if decided.final_outcome != result.outcome else None
    row.needs_signoff = bool(decided.needs_signoff)
    # Until a lead signs a lowering off, the computed (higher) outcome sets the review date.
    in_force = judgement.outcome_in_force(q, result.outcome, decided.final_outcome, False)
    row.next_due = dates.next_due(q, in_force, row.screen_date)
    row.submitted_at = now
    row.submitted_seq = number
    row.updated_at = now
    hands.note(session, row.id, ctx.user.name, hands.SUBMITTED)
    if decided.final_outcome != decided.computed_outcome:
        hands.note(session, row.id, ctx.user.name, hands.JUDGED)
    session.flush()
    refresh_child(session, child)
    audit.append(
        session,
        ctx,
        audit.SUBMIT,
        "screening",
        row.id,
        {
            "child_id": child.id,
            "outcome": [None, decided.final_outcome],
            "rules": [f.id for f in result.fired],
        },
    )
    if decided.final_outcome != decided.computed_outcome:
        audit.append(
            session,
            ctx,
            audit.OVERRIDE,
            "screening",
            row.id,
            {
                "outcome": [decided.computed_outcome, decided.final_outcome],
                "lowered": bool(decided.lowered),
                "reason": decided.reason,
            },
        )


def lowering(row: Screening) -> Lowering | None:
    """The lowering a sign-off of ``row`` would agree to (None when nothing was lowered)."""
    if not row.needs_signoff:
        return None
    return lowering_of(
        questionnaire_of(row),
        row.id,
        row.computed_outcome,
        row.final_outcome,
        row.override_reason,
        row.result,
    )


def _check_acknowledged(
    row: Screening, agreed: Lowering | None, acknowledged: Lowering | None
) -> None:
    """A lowered screening is signed off only with the lowering that was shown, unchanged."""
    if agreed is None:
        return
    q = questionnaire_of(row)
    if acknowledged is None:
        raise InvalidTransition(
            f"screening {row.id} would {agreed.sentence(q)}; open the screening, read its "
            "answers and the reason, and confirm the lowering there before signing it off"
        )
    shown = (acknowledged.from_outcome, acknowledged.to_outcome, acknowledged.floor_ids)
    if acknowledged.screening_id != row.id or shown != (
        agreed.from_outcome,
        agreed.to_outcome,
        agreed.floor_ids,
    ):
        raise InvalidTransition(
            f"screening {row.id} has changed since it was shown (it would now "
            f"{agreed.sentence(q)}); open it again before signing it off"
        )


def _require_other_eyes(session: Session, ctx: ServiceContext, row: Screening) -> None:
    """Refuse a sign-off by anyone who shaped the screening: its starter, an editor of its
    answers or judgement, its submitter. A lowering is then never approved by its author."""
    parts = hands.parts_of(session, row.id, ctx.user.name)
    if not parts and row.created_by == ctx.user.name:
        parts = [hands.STARTED]
    if not parts:
        return
    what = " and ".join(hands.PART_WORDS[p] for p in parts)
    roles.deny(
        ctx,
        "sign off",
        "screening",
        row.id,
        f"{roles.who(ctx.user)} {what} screening {row.id} and may not sign it off; "
        "another team lead must",
    )


def sign_off(
    session: Session,
    ctx: ServiceContext,
    row: Screening,
    child: Child,
    acknowledged: Lowering | None = None,
) -> None:
    if row.status != "submitted":
        raise InvalidTransition(
            f"screening {row.id} is {row.status.replace('_', ' ')}; only a submitted screening "
            "can be signed off"
        )
    _require_other_eyes(session, ctx, row)
    agreed = lowering(row)
    _check_acknowledged(row, agreed, acknowledged)
    now = ctx.now()
    row.status = "signed_off"
    row.signed_off_by = ctx.user.name
    row.signed_off_at = now
    row.updated_at = now
    if agreed is not None:
        # The agreed, lower outcome now sets the review date.
        row.next_due = dates.next_due(questionnaire_of(row), agreed.to_outcome, row.screen_date)
    session.flush()
    refresh_child(session, child)
    detail: dict[str, Any] = {
        "child_id": child.id,
        "status": ["submitted", "signed_off"],
        "outcome": row.final_outcome,
        "lowered": row.needs_signoff,
    }
    if agreed is not None:
        # What was on screen when the lead agreed: both outcomes and every floor gone below.
        detail["shown"] = {
            "outcomes": [agreed.from_outcome, agreed.to_outcome],
            "floors": list(agreed.floor_ids),
            "reason_shown": True,
        }
    audit.append(session, ctx, audit.SIGN_OFF, "screening", row.id, detail)


def return_to_worker(
    session: Session, ctx: ServiceContext, row: Screening, child: Child, reason: str
) -> None:
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed(f"a reason is needed to return screening {row.id} to its worker")
    if row.status != "submitted":
        raise InvalidTransition(
            f"screening {row.id} is {row.status.replace('_', ' ')}; only a submitted screening "
            "can be returned"
        )
    now = ctx.now()
    row.status = "returned"
    row.returned_reason = text
    row.returned_by = ctx.user.name
    row.returned_at = now
    row.needs_signoff = False
    row.updated_at = now
    session.flush()
    refresh_child(session, child)
    audit.append(
        session,
        ctx,
        audit.RETURN,
        "screening",
        row.id,
        {
            "child_id": child.id,
            "status": ["submitted", "returned"],
            "reason": text,
        },
    )
