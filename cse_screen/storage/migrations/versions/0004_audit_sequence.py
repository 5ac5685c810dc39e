"""Screenings carry the order they were submitted in, a sequence no clock can reorder; and
imports stage their children before adding them.

Which screening is a child's latest was decided by screening date and then by id; a laptop clock
set back a day made a newer screening look older. The sequence is filled for screenings already
submitted in the order they were submitted (then by id), and indexed so the next number is cheap.

``import_staging`` holds an import's children while they are written in batches, each its own
short transaction, so a long import no longer holds the write lock from start to end; one last
transaction moves them into ``children``, so an import is still all or nothing.

Revision ID: 0004_audit_sequence
Revises: 0007_four_eyes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cse_screen.storage.backfill import close_table, cross_team_backfill
from cse_screen.storage.types import PublicId, UtcDateTime

revision = "0004_audit_sequence"
down_revision = "0007_four_eyes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screenings", recreate="never") as batch:
        batch.add_column(sa.Column("submitted_seq", sa.Integer))
    with cross_team_backfill("screenings"):  # the numbering spans teams
        op.execute(
            "UPDATE screenings SET submitted_seq = ("
            "  SELECT count(*) FROM screenings AS earlier"
            "  WHERE earlier.submitted_at IS NOT NULL AND ("
            "    earlier.submitted_at < screenings.submitted_at OR ("
            "      earlier.submitted_at = screenings.submitted_at"
            "      AND earlier.id <= screenings.id)))"
            " WHERE submitted_at IS NOT NULL"
        )
    op.create_index("ix_screenings_submitted_seq", "screenings", ["submitted_seq"])
    op.create_table(
        "import_staging",
        sa.Column("import_id", sa.String(32), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("public_id", PublicId, nullable=False),
        sa.Column("case_ref", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(300), nullable=False),
        sa.Column("dob", sa.Date, nullable=False),
        sa.Column("gender", sa.String(50)),
        sa.Column("ethnicity", sa.String(100)),
        sa.Column("disability", sa.String(50)),
        sa.Column("placement_type", sa.String(50)),
        sa.Column("legal_status", sa.String(50)),
        sa.Column("worker", sa.String(64)),
        sa.Column("team", sa.String(100)),
        sa.Column("next_due", sa.Date),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("label", sa.String(120), nullable=False),
        sa.Column("child_id", sa.Integer, nullable=False),
        sa.Column("audit_seq", sa.Integer, nullable=False),
        sa.Column("audit_at", sa.String(40), nullable=False),
        sa.Column("audit_detail", sa.Text, nullable=False),
        sa.Column("audit_prev", sa.String(64), nullable=False),
        sa.Column("audit_hash", sa.String(64), nullable=False),
    )
    close_table("import_staging")  # children's details on their way in: no one reads them raw


def downgrade() -> None:
    op.drop_table("import_staging")
    op.drop_index("ix_screenings_submitted_seq", "screenings")
    with op.batch_alter_table("screenings") as batch:
        batch.drop_column("submitted_seq")
