"""Plain, frozen records that the services hand to the command line, the export and the GUI.

Callers never see ORM objects: a record cannot lazily reach back into the database, cannot be
changed behind the service layer's role checks, and can be passed across threads freely.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

Role = Literal["worker", "lead", "manager", "admin"]
ROLES: tuple[str, ...] = ("worker", "lead", "manager", "admin")

ScreeningStatus = Literal["draft", "submitted", "signed_off", "returned"]
STATUSES: tuple[str, ...] = ("draft", "submitted", "signed_off", "returned")
#: Statuses whose answers may still change (the worker is filling them in).
EDITABLE_STATUSES: tuple[str, ...] = ("draft", "returned")
#: Statuses that count as a completed screening (register, stats, next due).
COMPLETED_STATUSES: tuple[str, ...] = ("submitted", "signed_off")

EventKind = Literal[
    "missing_episode",
    "away_from_placement",
    "placement_move",
    "new_information",
    "cse_referral",
    "cse_confirmed",
    "other",
]
#: Every kind makes a screening due on the event's date. ``cse_referral``: the child was referred
#: to the CSE team; ``cse_confirmed``: the CSE team confirmed the child is being exploited. Both
#: are triggers (new information about the child's risk), and the CSE team's analysis of how
#: well the screening works counts confirmations against earlier screenings.
EVENT_KINDS: tuple[str, ...] = (
    "missing_episode",
    "away_from_placement",
    "placement_move",
    "new_information",
    "cse_referral",
    "cse_confirmed",
    "other",
)

DueFilter = Literal["overdue", "7d", "30d"]
DUE_FILTERS: tuple[str, ...] = ("overdue", "7d", "30d")

#: Register sort keys accepted by :class:`RegisterQuery`.
SORT_KEYS: tuple[str, ...] = (
    "ref",
    "name",
    "dob",
    "worker",
    "team",
    "outcome",
    "last_screened",
    "next_due",
    "attention",
    "placement",
)
#: Register care filters: looked after now (the default view), left care, or both.
CARE_FILTERS: tuple[str, ...] = ("looked_after", "left_care", "all")


@dataclass(frozen=True)
class UserRecord:
    id: int
    name: str
    full_name: str | None
    role: str
    team: str | None
    active: bool
    created_at: datetime
    #: The public id (a UUID): never changes, the same on every copy; ``id`` is local.
    public_id: str = ""
    #: An administrator who sees counts, not children's records (the team server's): on a
    #: standalone database an administrator keeps every right, as always.
    counts_only: bool = False


@dataclass(frozen=True)
class ChildRecord:
    id: int
    case_ref: str
    name: str
    dob: date
    gender: str | None
    ethnicity: str | None
    disability: str | None
    placement_type: str | None
    legal_status: str | None
    worker: str | None
    team: str | None
    latest_screening_id: int | None
    latest_outcome: str | None
    last_screened: date | None
    next_due: date | None
    created_at: datetime
    updated_at: datetime
    #: The public id (a UUID): never changes, the same on every copy; ``id`` is local.
    public_id: str = ""
    #: why latest_outcome stands: submitted, signed_off, lowered or returned (None: not screened)
    outcome_state: str | None = None
    #: why the child is due or overdue, in words ("placement move on 16 Nov; overdue by 20 days")
    due_reason: str = ""
    #: when the child stopped being looked after and why (an episode-end code); None if not
    left_care_on: date | None = None
    left_care_reason: str | None = None


@dataclass(frozen=True)
class ChildInput:
    """A child's details as typed or imported, before they are stored."""

    case_ref: str
    name: str
    dob: date
    gender: str | None = None
    ethnicity: str | None = None
    disability: str | None = None
    placement_type: str | None = None
    legal_status: str | None = None
    worker: str | None = None
    team: str | None = None
    #: The public id a copy elsewhere already gave the child (a laptop's, sent to the server),
    #: so the same child has the same id everywhere; None makes a new one.
    public_id: str | None = None


@dataclass(frozen=True)
class RegisterQuery:
    """One page of the children register.

    ``due``: ``overdue`` = next due before today; ``7d``/``30d`` = due today or within the next
    7/30 days (not yet overdue). ``search`` matches case reference or name, ignoring case.
    ``outcome`` is the final outcome of the latest completed screening, or ``none`` for children
    never screened.
    """

    search: str = ""
    worker: str | None = None
    team: str | None = None
    outcome: str | None = None
    due: str | None = None
    mine_only: bool = False
    #: only children whose latest screening the signed-in user started and a lead returned
    returned_to_me: bool = False
    #: only children needing attention: returned, high risk, lowered awaiting sign-off, overdue
    attention: bool = False
    #: which children by care status (see CARE_FILTERS): those who left care are out of the
    #: default view, their records kept
    care: str = "looked_after"
    sort: str = "ref"
    descending: bool = False
    offset: int = 0
    limit: int = 200


@dataclass(frozen=True)
class RegisterRow:
    child_id: int
    case_ref: str
    name: str
    dob: date
    age: int
    worker: str | None
    team: str | None
    placement_type: str | None
    latest_outcome: str | None
    last_screened: date | None
    next_due: date | None
    overdue: bool
    due_soon: bool
    has_draft: bool
    #: The public id (a UUID): never changes, the same on every copy; ``id`` is local.
    public_id: str = ""
    outcome_state: str | None = None
    due_reason: str = ""
    left_care_on: date | None = None


@dataclass(frozen=True)
class RegisterPage:
    rows: tuple[RegisterRow, ...]
    total: int


@dataclass(frozen=True)
class AnswerRecord:
    value: str
    note: str | None = None


@dataclass(frozen=True)
class ScreeningRecord:
    id: int
    child_id: int
    child_ref: str
    instrument_id: str
    instrument_version: str
    instrument_hash: str
    status: str
    screen_date: date
    trigger: str
    answers: dict[str, AnswerRecord]
    context: dict[str, Any]
    computed_outcome: str | None
    final_outcome: str | None
    override_reason: str | None
    needs_signoff: bool
    next_due: date | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    signed_off_by: str | None
    signed_off_at: datetime | None
    returned_reason: str | None
    result: dict[str, Any] | None = None
    #: The public id (a UUID): never changes, the same on every copy; ``id`` is local.
    public_id: str = ""
    returned_by: str | None = None
    returned_at: datetime | None = None
    child_name: str = ""
    child_dob: date | None = None


@dataclass(frozen=True)
class ScreeningSummary:
    """A screening without its answers: history lists, drafts and the review queue."""

    id: int
    child_id: int
    child_ref: str
    status: str
    screen_date: date
    trigger: str
    instrument_version: str
    computed_outcome: str | None
    final_outcome: str | None
    needs_signoff: bool
    created_by: str
    updated_at: datetime
    answered: int
    #: The public id (a UUID): never changes, the same on every copy; ``id`` is local.
    public_id: str = ""
    child_name: str = ""
    child_age: int | None = None
    submitted_at: datetime | None = None
    override_reason: str | None = None
    returned_by: str | None = None
    returned_at: datetime | None = None
    returned_reason: str | None = None
    #: floors the judgement goes below (ids), for a lowered screening awaiting sign-off
    floors_below: tuple[str, ...] = ()


@dataclass(frozen=True)
class WholeScreening:
    """A screening made elsewhere and recorded at once: its date, trigger, context, answers
    and whether to submit it (with a professional judgement, if any)."""

    trigger: str | None = None
    screen_date: date | None = None
    context: Mapping[str, Any] = field(default_factory=dict)
    answers: Mapping[str, str] = field(default_factory=dict)
    submit: bool = False
    final_outcome: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class EventRecord:
    id: int
    child_id: int
    kind: str
    on_date: date
    note: str | None
    recorded_by: str
    recorded_at: datetime
    #: The public id (a UUID): never changes, the same on every copy; ``id`` is local.
    public_id: str = ""


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: str | None
    detail: dict[str, Any] = field(default_factory=dict)
    prev_hash: str = ""
    hash: str = ""


@dataclass(frozen=True)
class ChainReport:
    """Result of walking the audit chain: ``ok`` or the first broken link and why."""

    entries: int
    ok: bool
    first_bad_seq: int | None = None
    problem: str | None = None
    #: (entry, earlier entry it is timed before): where the clock went back while writing.
    time_steps_back: tuple[tuple[int, int], ...] = ()
