"""Screenings record the team the child was in when screened.

Breakdowns by team counted each screening to the child's team on the export date, so a child
who moved from East to West took their whole history with them: East's quarter lost its
screenings and West gained ones it never did. The team is now kept on the screening when it is
started and again when it is submitted (the moment it is made); screenings made before this
revision take the child's team at the time of the upgrade, the best record there is.

Revision ID: 0008_team_history
Revises: 0006_server_accounts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_team_history"
down_revision = "0006_server_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screenings", recreate="never") as batch:
        batch.add_column(sa.Column("team", sa.String(100)))
    postgresql = op.get_bind().dialect.name == "postgresql"
    forced = ("children", "screenings")
    if postgresql:  # row-level security (0006) binds the owner too; the backfill spans teams
        for table in forced:
            op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(
        "UPDATE screenings SET team = "
        "(SELECT children.team FROM children WHERE children.id = screenings.child_id)"
    )
    if postgresql:  # in the same transaction: no moment without the team boundary
        for table in forced:
            op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


def downgrade() -> None:
    with op.batch_alter_table("screenings") as batch:
        batch.drop_column("team")
