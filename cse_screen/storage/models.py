"""The schema of the encrypted database, as typed SQLAlchemy 2 models.

Only the services in :mod:`cse_screen.storage.services` use these classes; everything outside the
storage package receives the plain records of :mod:`cse_screen.storage.records`. Alembic revisions
in ``migrations/versions`` create the tables; these models must match them.

Integer keys are internal row ids, local to one copy of the database; what leaves it (the
command line's JSON, the server's API, sync) names a record by its ``public_id``.

The register is the query people wait on, so ``children`` carries a denormalised copy of its
latest decided screening (id, effective outcome and its state, date) and ``next_due``,
maintained whenever a screening is submitted, signed off or returned and when an event is
recorded.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from cse_screen.storage.types import JsonDocument, PublicId, UtcDateTime, new_public_id


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    __table_args__ = (Index("ux_users_public_id", "public_id", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The public id: never changes, the same on every copy (laptop, server, export, audit).
    public_id: Mapped[str] = mapped_column(PublicId, default=new_public_id)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    team: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: An administrator's Ed25519 signature over the fields above and ``signed_counter``
    #: (``storage/services/signatures.py``); empty on the team server, which is the authority.
    signature: Mapped[str | None] = mapped_column(Text)
    signed_counter: Mapped[int | None] = mapped_column(Integer)


class Child(Base):
    __tablename__ = "children"
    __table_args__ = (
        Index("ix_children_team_ref", "team", "case_ref"),
        Index("ix_children_worker_ref", "worker", "case_ref"),
        Index("ix_children_outcome_ref", "latest_outcome", "case_ref"),
        Index("ix_children_next_due", "next_due"),
        Index("ix_children_name_key", "name_key"),
        Index("ix_children_rank_ref", "outcome_rank", "case_ref"),
        Index("ux_children_public_id", "public_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The public id: never changes, the same on every copy (laptop, server, export, audit).
    public_id: Mapped[str] = mapped_column(PublicId, default=new_public_id)
    case_ref: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: casefolded name and reference: what the register's search matches.
    name_key: Mapped[str] = mapped_column(String(300))
    dob: Mapped[date] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(50))
    ethnicity: Mapped[str | None] = mapped_column(String(100))
    disability: Mapped[str | None] = mapped_column(String(50))
    placement_type: Mapped[str | None] = mapped_column(String(50))
    legal_status: Mapped[str | None] = mapped_column(String(50))
    worker: Mapped[str | None] = mapped_column(String(64))
    team: Mapped[str | None] = mapped_column(String(100))
    latest_screening_id: Mapped[int | None] = mapped_column(Integer)
    latest_outcome: Mapped[str | None] = mapped_column(String(32))
    #: position of latest_outcome from lowest (0) to highest, for sorting by an index
    outcome_rank: Mapped[int | None] = mapped_column(Integer)
    #: why latest_outcome is what it is: submitted, signed_off, lowered (awaiting sign-off, the
    #: higher outcome stands) or returned (not final); see services.latest.effective_outcome
    outcome_state: Mapped[str | None] = mapped_column(String(16))
    last_screened: Mapped[date | None] = mapped_column(Date)
    next_due: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: The day the child stopped being looked after (from the SSDA903 return), and why (an
    #: episode-end code, see :mod:`cse_screen.core.codes`): no longer due for screening, the
    #: record kept. None while looked after.
    left_care_on: Mapped[date | None] = mapped_column(Date)
    left_care_reason: Mapped[str | None] = mapped_column(String(8))


class Screening(Base):
    __tablename__ = "screenings"
    __table_args__ = (
        Index("ix_screenings_child_status_date", "child_id", "status", "screen_date"),
        Index("ix_screenings_status", "status"),
        Index("ix_screenings_screen_date", "screen_date"),
        Index("ux_screenings_public_id", "public_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The public id: never changes, the same on every copy (laptop, server, export, audit).
    public_id: Mapped[str] = mapped_column(PublicId, default=new_public_id)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="RESTRICT"))
    instrument_id: Mapped[str] = mapped_column(String(100))
    instrument_version: Mapped[str] = mapped_column(String(32))
    instrument_hash: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))
    returned_reason: Mapped[str | None] = mapped_column(Text)
    returned_by: Mapped[str | None] = mapped_column(String(64))
    returned_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    screen_date: Mapped[date] = mapped_column(Date)
    trigger: Mapped[str] = mapped_column(String(32))
    #: the child's team when the screening was made (started, then submitted): breakdowns by
    #: team count a screening to this team, not to the one the child is in today
    team: Mapped[str | None] = mapped_column(String(100))
    context: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    computed_outcome: Mapped[str | None] = mapped_column(String(32))
    final_outcome: Mapped[str | None] = mapped_column(String(32))
    override_reason: Mapped[str | None] = mapped_column(Text)
    needs_signoff: Mapped[bool] = mapped_column(Boolean, default=False)
    next_due: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: The order of submission (1, 2, ...): breaks a tie of screening dates without the clock.
    submitted_seq: Mapped[int | None] = mapped_column(Integer, index=True)
    signed_off_by: Mapped[str | None] = mapped_column(String(64))
    signed_off_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ScreeningHand(Base):
    """Someone who had a hand in a screening (started it, changed its answers, context or
    judgement, submitted it): none of them may sign it off, so four eyes are really four."""

    __tablename__ = "screening_hands"

    screening_id: Mapped[int] = mapped_column(
        ForeignKey("screenings.id", ondelete="CASCADE"), primary_key=True
    )
    user_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: started, edited, judged or submitted
    part: Mapped[str] = mapped_column(String(16), primary_key=True)


class Answer(Base):
    """One row per answered item; keyed by (screening, item) without a rowid: half the size of
    a rowid table plus a unique index, which matters at tens of millions of answers."""

    __tablename__ = "answers"
    __table_args__ = ({"sqlite_with_rowid": False},)

    screening_id: Mapped[int] = mapped_column(
        ForeignKey("screenings.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_child_date", "child_id", "on_date"),
        Index("ux_events_public_id", "public_id", unique=True),
        Index("ux_events_source_key", "source_key", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The public id: never changes, the same on every copy (laptop, server, export, audit).
    public_id: Mapped[str] = mapped_column(PublicId, default=new_public_id)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(32))
    on_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: Where an imported event came from ("903:M:<child>:<start>"), so importing the same
    #: return again finds it instead of adding it twice; None for an event typed by hand.
    source_key: Mapped[str | None] = mapped_column(String(120))


class AuditRow(Base):
    """Append-only (triggers refuse UPDATE and DELETE) and hash-chained by ``seq``."""

    __tablename__ = "audit"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The audit chain's head (sequence number, hash, time) as an administrator signed it."""

    __tablename__ = "audit_heads"
    __table_args__ = (Index("ix_audit_heads_seq", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[str] = mapped_column(String(40))
    signer: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(String(32))
    #: Every user's [id, signed counter] as JSON: an old signed user record put back (a
    #: demoted administrator's earlier one) no longer matches it.
    roster: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(Text)


class InstrumentVersion(Base):
    """A questionnaire definition installed in the database, with the day it becomes active.

    Council-wide, not team data: every team screens under the same instrument, so the table has
    no team column and no row-level security. ``definition`` is the file's text exactly as
    installed (its SHA-256 is ``content_hash``, the hash a screening keeps); ``active_from`` is
    None while the version is installed but not yet active.
    """

    __tablename__ = "instrument_versions"
    __table_args__ = (
        Index("ux_instrument_versions_version", "instrument_id", "version", unique=True),
        Index("ux_instrument_versions_public_id", "public_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(PublicId, default=new_public_id)
    instrument_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(32))
    content_hash: Mapped[str] = mapped_column(String(128))
    definition: Mapped[str] = mapped_column(Text)
    active_from: Mapped[date | None] = mapped_column(Date)
    installed_by: Mapped[str] = mapped_column(String(64))
    installed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Meta(Base):
    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ImportStaging(Base):
    """Children of an import on their way in, written in batches that each commit (so other
    writers get the database between them) and moved into ``children`` by one short
    transaction: an import is added whole or not at all. Rows left by a killed import are
    invisible to every screen and are cleared by the next import."""

    __tablename__ = "import_staging"

    import_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    public_id: Mapped[str] = mapped_column(PublicId)
    case_ref: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(300))
    dob: Mapped[date] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(50))
    ethnicity: Mapped[str | None] = mapped_column(String(100))
    disability: Mapped[str | None] = mapped_column(String(50))
    placement_type: Mapped[str | None] = mapped_column(String(50))
    legal_status: Mapped[str | None] = mapped_column(String(50))
    worker: Mapped[str | None] = mapped_column(String(64))
    team: Mapped[str | None] = mapped_column(String(100))
    next_due: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: How error messages name the row ("row 4 (LAC1003)").
    label: Mapped[str] = mapped_column(String(120))
    #: The child's id and audit entry, worked out before the last transaction from the newest
    #: id and audit entry then; used only if those are still the newest when it runs.
    child_id: Mapped[int] = mapped_column(Integer)
    audit_seq: Mapped[int] = mapped_column(Integer)
    audit_at: Mapped[str] = mapped_column(String(40))
    audit_detail: Mapped[str] = mapped_column(Text)
    audit_prev: Mapped[str] = mapped_column(String(64))
    audit_hash: Mapped[str] = mapped_column(String(64))


# --- the team server's accounts (present on every copy; only the server fills them) -----------


class Credential(Base):
    """A server account's password: an Argon2id hash, never the password."""

    __tablename__ = "credentials"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    password_hash: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Device(Base):
    """A laptop (or other client) a user signed in from: tokens are bound to one, and revoking
    the device (or disabling the user, which revokes all of theirs) ends every token of it."""

    __tablename__ = "devices"
    __table_args__ = (
        Index("ux_devices_public_id", "public_id", unique=True),
        Index("ix_devices_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(PublicId, default=new_public_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Token(Base):
    """A bearer token, kept only as its SHA-256 (a stolen copy of the table signs nobody in)."""

    __tablename__ = "tokens"
    __table_args__ = (
        Index("ux_tokens_hash", "token_hash", unique=True),
        Index("ix_tokens_device", "device_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SignInFailure(Base):
    """One failed sign-in: the account name tried and the address it came from, what the
    slowing-down counts (per account and per address) over a recent window."""

    __tablename__ = "signin_failures"
    __table_args__ = (
        Index("ix_signin_failures_account", "account", "at"),
        Index("ix_signin_failures_address", "address", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


# --- sync (see migration 0010_sync): the server fills the first two, a laptop the others -------


class ChangeLog(Base):
    """One committed change on the server, numbered by ``seq``: what a laptop's cursor counts.

    It names the record (entity, public id) and its team; a pull reads the record as it stands,
    so the log holds no copy of a child's details."""

    __tablename__ = "change_log"

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    entity: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))
    public_id: Mapped[str] = mapped_column(PublicId)
    team: Mapped[str | None] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class AppliedChange(Base):
    """A pushed change id the server has applied, with the hash of what it said."""

    __tablename__ = "applied_changes"

    change_id: Mapped[str] = mapped_column(PublicId, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    user_name: Mapped[str] = mapped_column(String(64))
    device: Mapped[str | None] = mapped_column(PublicId)
    applied_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OutboxEntry(Base):
    """A local change waiting to travel, frozen as it was made (a later edit is a new entry).

    ``state``: pending (not yet acknowledged), applied (the server has it) or refused (the
    server said no; ``error`` says why, and the entry stays for a person to see)."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state", "state", "seq"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_id: Mapped[str] = mapped_column(PublicId, unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    public_id: Mapped[str] = mapped_column(PublicId)
    team: Mapped[str | None] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    state: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SyncState(Base):
    """The laptop's enrolment: one row (id 1), present only on an enrolled database."""

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    server_url: Mapped[str] = mapped_column(String(300))
    #: The CA certificate the server's certificate must chain to (PEM), pinned at enrolment.
    ca_pem: Mapped[str] = mapped_column(Text)
    #: SHA-256 of the server's certificate (DER) as first seen: a different one is refused.
    fingerprint: Mapped[str] = mapped_column(String(64))
    server_user: Mapped[str] = mapped_column(String(64))
    device: Mapped[str | None] = mapped_column(PublicId)
    token: Mapped[str | None] = mapped_column(String(200))
    token_expires: Mapped[datetime | None] = mapped_column(UtcDateTime)
    epoch: Mapped[str | None] = mapped_column(String(64))
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    last_sync: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: How far the server holds this laptop's audit chain (entries 1..N, and N's hash).
    audit_acked: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    audit_acked_hash: Mapped[str | None] = mapped_column(String(64))
    audit_acked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class DeviceAuditRow(Base):
    """An enrolled laptop's audit entry as the team server holds it (append-only, chained per
    device exactly as on the laptop; see ``POST /sync/audit``)."""

    __tablename__ = "device_audit"

    device: Mapped[str] = mapped_column(PublicId, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    team: Mapped[str | None] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
