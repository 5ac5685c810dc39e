"""Sync: the server's change sequence and applied change ids, the laptop's outbox and state.

``change_log`` numbers every committed change the server makes (its ``seq`` is what a laptop's
cursor counts; no clock is involved); ``applied_changes`` remembers each pushed change id with
a hash of its content, so a retry is answered without being applied twice and a reused id with
other content is refused. On a laptop, ``outbox`` holds the local changes waiting to travel and
``sync_state`` the enrolment (server, pinned certificate, account, device token, cursor). All
four tables exist on every copy, so one schema history serves both engines; each side fills
only its own.

On PostgreSQL ``change_log`` and ``outbox`` name children and carry their team, so they get the
same forced row-level security as ``children``. The server's existing records are numbered
once here (a change per child, per decided screening, per event) so that a laptop enrolling
on a server that predates sync still pulls its whole caseload; that backfill spans teams, so
it lifts the forced row-level security of the tables it reads inside this transaction only.

Revision ID: 0010_sync
Revises: 0012_signatures
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

from cse_screen.storage.backfill import cross_team_backfill
from cse_screen.storage.types import JsonDocument, PublicId, UtcDateTime

revision = "0010_sync"
down_revision = "0012_signatures"
branch_labels = None
depends_on = None

#: A 64-bit sequence on PostgreSQL; SQLite's rowid is already 64-bit and must be INTEGER.
BigSeq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

SCOPE = "current_setting('cse.scope', true)"
TEAM_MATCH = "coalesce(team, '') = coalesce(current_setting('cse.team', true), '')"
TEAM_TABLES = ("change_log", "outbox")
READ_TABLES = ("children", "screenings", "events")


def _tables() -> None:
    op.create_table(
        "change_log",
        sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
        sa.Column("entity", sa.String(16), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("public_id", PublicId, nullable=False),
        sa.Column("team", sa.String(100)),
        sa.Column("payload", JsonDocument, nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "applied_changes",
        sa.Column("change_id", PublicId, primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("user_name", sa.String(64), nullable=False),
        sa.Column("device", PublicId),
        sa.Column("applied_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("change_id", PublicId, nullable=False, unique=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("public_id", PublicId, nullable=False),
        sa.Column("team", sa.String(100)),
        sa.Column("payload", JsonDocument, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_outbox_state", "outbox", ["state", "seq"])
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("server_url", sa.String(300), nullable=False),
        sa.Column("ca_pem", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("server_user", sa.String(64), nullable=False),
        sa.Column("device", PublicId),
        sa.Column("token", sa.String(200)),
        sa.Column("token_expires", UtcDateTime),
        sa.Column("epoch", sa.String(64)),
        sa.Column("cursor", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("last_sync", UtcDateTime),
    )


def _number_existing_records() -> None:
    """One change per record the server already holds, in the order they were made."""
    postgresql = op.get_bind().dialect.name == "postgresql"
    if not postgresql:
        return  # a laptop pulls its records; it numbers nothing of its own
    with cross_team_backfill(*READ_TABLES):
        op.execute(
            "INSERT INTO change_log (entity, action, public_id, team, payload, at)"
            " SELECT 'child', 'create', public_id, team, '{}', created_at FROM children ORDER BY id"
        )
        op.execute(
            "INSERT INTO change_log (entity, action, public_id, team, payload, at)"
            " SELECT 'event', 'create', e.public_id, c.team, '{}', e.recorded_at"
            " FROM events e JOIN children c ON c.id = e.child_id ORDER BY e.id"
        )
        op.execute(
            "INSERT INTO change_log (entity, action, public_id, team, payload, at)"
            " SELECT 'screening', 'submit', s.public_id, c.team, '{}', s.updated_at"
            " FROM screenings s JOIN children c ON c.id = s.child_id"
            " WHERE s.status <> 'draft' ORDER BY s.id"
        )


def _row_security() -> None:
    read = f"({SCOPE} = 'all' OR ({SCOPE} = 'team' AND {TEAM_MATCH}))"
    write = f"({SCOPE} IN ('all', 'team') AND {TEAM_MATCH})"
    for table in TEAM_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {table}_read ON {table} FOR SELECT USING {read}")
        op.execute(f"CREATE POLICY {table}_add ON {table} FOR INSERT WITH CHECK {write}")


def upgrade() -> None:
    _tables()
    _number_existing_records()
    if op.get_bind().dialect.name == "postgresql":
        _row_security()
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.bulk_insert(meta, [{"key": "sync_epoch", "value": str(uuid.uuid4())}])


def downgrade() -> None:
    op.execute("DELETE FROM meta WHERE key = 'sync_epoch'")
    for table in ("sync_state", "outbox", "applied_changes", "change_log"):
        op.drop_table(table)
