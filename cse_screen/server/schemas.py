"""What the API accepts (strict Pydantic models) and how records go out as JSON.

Every request model forbids unknown fields: a client that misspells one hears so, instead of
having it silently ignored. Strings have bounds, so a body cannot smuggle a megabyte into one
field under the body limit's radar. Records go out named by their public ids only; internal
row ids never leave the server.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from cse_screen.storage.records import (
    ChildRecord,
    EventRecord,
    RegisterRow,
    ScreeningRecord,
    ScreeningSummary,
    UserRecord,
)

Short = Field(default=None, max_length=200)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SignIn(Strict):
    user: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    device: str = Field(min_length=1, max_length=100)


class ChildIn(Strict):
    id: UUID
    case_ref: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    dob: date
    gender: str | None = Short
    ethnicity: str | None = Short
    disability: str | None = Short
    placement_type: str | None = Short
    legal_status: str | None = Short
    worker: str | None = Field(default=None, max_length=64)
    team: str | None = Field(default=None, max_length=100)


class ChildChange(Strict):
    """Some of a child's details; only the fields sent change."""

    case_ref: str | None = Field(default=None, min_length=1, max_length=64)
    name: str | None = Field(default=None, min_length=1, max_length=200)
    dob: date | None = None
    gender: str | None = Short
    ethnicity: str | None = Short
    disability: str | None = Short
    placement_type: str | None = Short
    legal_status: str | None = Short


class Allocation(Strict):
    worker: str | None = Field(default=None, max_length=64)
    team: str | None = Field(default=None, max_length=100)


class ScreeningIn(Strict):
    """A screening recorded in one request (as a laptop sends a finished one)."""

    id: UUID
    trigger: str | None = Field(default=None, max_length=32)
    screen_date: date | None = None
    context: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    answers: dict[str, str] = Field(default_factory=dict, max_length=500)
    submit: bool = False
    final_outcome: str | None = Field(default=None, max_length=32)
    reason: str | None = Field(default=None, max_length=4000)


class Submit(Strict):
    final_outcome: str | None = Field(default=None, max_length=32)
    reason: str | None = Field(default=None, max_length=4000)


class SignOff(Strict):
    #: The lead read and agrees to a judgement below the computed outcome.
    accept_lowering: bool = False


class ReturnForChanges(Strict):
    reason: str = Field(min_length=1, max_length=4000)


class EventIn(Strict):
    id: UUID
    kind: str = Field(max_length=32)
    on_date: date
    note: str | None = Field(default=None, max_length=4000)


# --- going out ---------------------------------------------------------------------------


def user_out(user: UserRecord) -> dict[str, Any]:
    return {"id": user.public_id, "name": user.name, "role": user.role, "team": user.team}


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def child_out(child: ChildRecord) -> dict[str, Any]:
    return {
        "id": child.public_id,
        "case_ref": child.case_ref,
        "name": child.name,
        "dob": child.dob.isoformat(),
        "gender": child.gender,
        "ethnicity": child.ethnicity,
        "disability": child.disability,
        "placement_type": child.placement_type,
        "legal_status": child.legal_status,
        "worker": child.worker,
        "team": child.team,
        "latest_outcome": child.latest_outcome,
        "outcome_state": child.outcome_state,
        "last_screened": _day(child.last_screened),
        "next_due": _day(child.next_due),
        "due_reason": child.due_reason,
    }


def row_out(row: RegisterRow) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "case_ref": row.case_ref,
        "name": row.name,
        "dob": row.dob.isoformat(),
        "worker": row.worker,
        "team": row.team,
        "latest_outcome": row.latest_outcome,
        "outcome_state": row.outcome_state,
        "last_screened": _day(row.last_screened),
        "next_due": _day(row.next_due),
        "overdue": row.overdue,
        "due_soon": row.due_soon,
    }


def summary_out(s: ScreeningSummary, child_public_id: str) -> dict[str, Any]:
    return {
        "id": s.public_id,
        "child": child_public_id,
        "status": s.status,
        "screen_date": s.screen_date.isoformat(),
        "trigger": s.trigger,
        "instrument_version": s.instrument_version,
        "computed_outcome": s.computed_outcome,
        "final_outcome": s.final_outcome,
        "needs_signoff": s.needs_signoff,
        "created_by": s.created_by,
    }


def screening_out(s: ScreeningRecord, child_public_id: str) -> dict[str, Any]:
    return {
        "id": s.public_id,
        "child": child_public_id,
        "status": s.status,
        "instrument": {"id": s.instrument_id, "version": s.instrument_version},
        "screen_date": s.screen_date.isoformat(),
        "trigger": s.trigger,
        "context": s.context,
        "answers": {k: {"value": a.value, "note": a.note} for k, a in s.answers.items()},
        "computed_outcome": s.computed_outcome,
        "final_outcome": s.final_outcome,
        "override_reason": s.override_reason,
        "needs_signoff": s.needs_signoff,
        "next_due": _day(s.next_due),
        "created_by": s.created_by,
        "signed_off_by": s.signed_off_by,
        "returned_reason": s.returned_reason,
        "returned_by": s.returned_by,
    }


def event_out(e: EventRecord, child_public_id: str) -> dict[str, Any]:
    return {
        "id": e.public_id,
        "child": child_public_id,
        "kind": e.kind,
        "on_date": e.on_date.isoformat(),
        "note": e.note,
        "recorded_by": e.recorded_by,
    }
