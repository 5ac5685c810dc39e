"""Each enrolled laptop's audit trail, held on the team server, whose copy is the authority.

``device_audit`` keeps, per device, the entries its laptop uploaded (``POST /sync/audit``), as
they were chained there: sequence number, the hashed fields and both hashes. The server accepts
only a batch that continues the chain it already holds for that device, so a laptop whose trail
was rewritten locally (by someone holding the database key) is refused at its next sync, and
``server verify`` walks every device's chain as well as its own.

On PostgreSQL the table carries the device's team and gets forced row-level security like
``change_log`` (entries name records and their reasons), and refuses UPDATE, DELETE and
TRUNCATE like ``audit``. On a laptop it stays empty. ``sync_state`` gains how far the server
has acknowledged the laptop's chain (sequence number, hash, time).

Revision ID: 0019_device_audit
Revises: 0013_care_codes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cse_screen.storage.backfill import close_table
from cse_screen.storage.types import PublicId, UtcDateTime

revision = "0019_device_audit"
down_revision = "0013_care_codes"
branch_labels = None
depends_on = None

SCOPE = "current_setting('cse.scope', true)"
TEAM_MATCH = "coalesce(team, '') = coalesce(current_setting('cse.team', true), '')"


def _table() -> None:
    op.create_table(
        "device_audit",
        sa.Column("device", PublicId, primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(64)),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("team", sa.String(100)),
        sa.Column("received_at", UtcDateTime, nullable=False),
    )


def _row_security() -> None:
    """Read: the device's team (or every team for a manager or a count); add: only entries for
    the caller's own team, whatever their role (an administrator's laptop uploads too)."""
    close_table("device_audit")
    read = f"({SCOPE} = 'all' OR {TEAM_MATCH})"
    op.execute(f"CREATE POLICY device_audit_read ON device_audit FOR SELECT USING {read}")
    add = f"({TEAM_MATCH})"
    op.execute(f"CREATE POLICY device_audit_add ON device_audit FOR INSERT WITH CHECK {add}")
    for name, event in (("update", "UPDATE"), ("delete", "DELETE")):
        op.execute(
            f"CREATE TRIGGER device_audit_no_{name} BEFORE {event} ON device_audit "
            "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
        )
    op.execute(
        "CREATE TRIGGER device_audit_no_truncate BEFORE TRUNCATE ON device_audit "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()"
    )


def upgrade() -> None:
    _table()
    if op.get_bind().dialect.name == "postgresql":
        _row_security()
    with op.batch_alter_table("sync_state", recreate="never") as batch:
        batch.add_column(sa.Column("audit_acked", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("audit_acked_hash", sa.String(64)))
        batch.add_column(sa.Column("audit_acked_at", UtcDateTime))


def downgrade() -> None:
    with op.batch_alter_table("sync_state") as batch:
        batch.drop_column("audit_acked_at")
        batch.drop_column("audit_acked_hash")
        batch.drop_column("audit_acked")
    op.drop_table("device_audit")
