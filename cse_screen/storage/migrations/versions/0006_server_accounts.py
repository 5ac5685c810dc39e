"""The team server's accounts: the ``manager`` role, passwords, devices, tokens, failed
sign-ins, and (on PostgreSQL only) row-level security on every table holding a child's data.

``manager`` joins the roles a user may hold (a service manager or the council's CSE team: reads
every team, changes only their own). The server's tables exist on every copy so that one schema
history serves both engines; only the server writes them.

Row-level security is the team boundary a second time, under the services: enabled and FORCED
(so it binds the tables' owner, which is the role the server runs as) on children, screenings,
answers and events. The policies read per-transaction settings the server sets with
``set_config(..., true)``: ``cse.scope`` (``team`` or ``all``: what the caller may read),
``cse.team`` (the team they may change; '' for the children without a team). With no settings
(``cse.scope`` unset or empty) no row is visible or writable at all: a connection that forgets
them sees nothing rather than everything.

Revision ID: 0006_server_accounts
Revises: 0003_effective_outcome
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cse_screen.storage.types import PublicId, UtcDateTime

revision = "0006_server_accounts"
down_revision = "0003_effective_outcome"
branch_labels = None
depends_on = None

OLD_ROLES = ("worker", "lead", "admin")
NEW_ROLES = ("worker", "lead", "manager", "admin")

#: Tables holding a child's data, each with how a row reaches its child's team.
CHILD_TABLES = {
    "children": "{team}",
    "screenings": "EXISTS (SELECT 1 FROM children c WHERE c.id = child_id AND {c_team})",
    "events": "EXISTS (SELECT 1 FROM children c WHERE c.id = child_id AND {c_team})",
    "answers": (
        "EXISTS (SELECT 1 FROM screenings s JOIN children c ON c.id = s.child_id "
        "WHERE s.id = screening_id AND {c_team})"
    ),
}
SCOPE = "current_setting('cse.scope', true)"
TEAM = "coalesce(current_setting('cse.team', true), '')"


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return " OR ".join(f"{column} = '{value}'" for value in values)


def _roles(values: tuple[str, ...]) -> None:
    """Swap the users' role check (SQLite rebuilds the table: it cannot alter a constraint)."""
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.drop_constraint("ck_users_role", "users", type_="check")
        op.create_check_constraint("ck_users_role", "users", _one_of("role", values))
        return
    with op.batch_alter_table("users", recreate="always") as batch:
        batch.create_check_constraint("ck_users_role", _one_of("role", values))


def _tables() -> None:
    op.create_table(
        "credentials",
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("changed_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("public_id", PublicId, nullable=False),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
        ),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("last_seen_at", UtcDateTime),
        sa.Column("revoked_at", UtcDateTime),
    )
    op.create_index("ux_devices_public_id", "devices", ["public_id"], unique=True)
    op.create_index("ix_devices_user", "devices", ["user_id"])
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column(
            "device_id",
            sa.Integer,
            sa.ForeignKey("devices.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("issued_at", UtcDateTime, nullable=False),
        sa.Column("expires_at", UtcDateTime, nullable=False),
        sa.Column("revoked_at", UtcDateTime),
    )
    op.create_index("ux_tokens_hash", "tokens", ["token_hash"], unique=True)
    op.create_index("ix_tokens_device", "tokens", ["device_id"])
    op.create_table(
        "signin_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_signin_failures_account", "signin_failures", ["account", "at"])
    op.create_index("ix_signin_failures_address", "signin_failures", ["address", "at"])


def _team_match(column: str) -> str:
    return f"coalesce({column}, '') = {TEAM}"


def _row_security() -> None:
    """Enable and force RLS with one read and one write policy per table."""
    for table, reach in CHILD_TABLES.items():
        team = reach.format(team=_team_match("team"), c_team=_team_match("c.team"))
        read = f"({SCOPE} = 'all' OR ({SCOPE} = 'team' AND {team}))"
        write = f"({SCOPE} IN ('all', 'team') AND {team})"
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {table}_read ON {table} FOR SELECT USING {read}")
        op.execute(f"CREATE POLICY {table}_add ON {table} FOR INSERT WITH CHECK {write}")
        op.execute(
            f"CREATE POLICY {table}_change ON {table} FOR UPDATE USING {write} WITH CHECK {write}"
        )
        op.execute(f"CREATE POLICY {table}_remove ON {table} FOR DELETE USING {write}")


def _drop_row_security() -> None:
    for table in CHILD_TABLES:
        for policy in ("read", "add", "change", "remove"):
            op.execute(f"DROP POLICY IF EXISTS {table}_{policy} ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


def upgrade() -> None:
    _roles(NEW_ROLES)
    _tables()
    if op.get_bind().dialect.name == "postgresql":
        _row_security()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _drop_row_security()
    for table in ("signin_failures", "tokens", "devices", "credentials"):
        op.drop_table(table)
    op.execute("UPDATE users SET role = 'lead' WHERE role = 'manager'")
    _roles(OLD_ROLES)
