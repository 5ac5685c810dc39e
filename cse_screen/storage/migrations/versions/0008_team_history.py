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

from cse_screen.storage.backfill import cross_team_backfill

revision = "0008_team_history"
down_revision = "0006_server_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screenings", recreate="never") as batch:
        batch.add_column(sa.Column("team", sa.String(100)))
    with cross_team_backfill("children", "screenings"):
        op.execute(
            "UPDATE screenings SET team = "
            "(SELECT children.team FROM children WHERE children.id = screenings.child_id)"
        )


def downgrade() -> None:
    with op.batch_alter_table("screenings") as batch:
        batch.drop_column("team")
