"""Screenings carry the order they were submitted in, a sequence no clock can reorder.

Which screening is a child's latest was decided by screening date and then by id; a laptop clock
set back a day made a newer screening look older. The sequence is filled for screenings already
submitted in the order they were submitted (then by id), and indexed so the next number is cheap.

Revision ID: 0004_audit_sequence
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_audit_sequence"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screenings", recreate="never") as batch:
        batch.add_column(sa.Column("submitted_seq", sa.Integer))
    op.execute(
        "UPDATE screenings SET submitted_seq = ("
        "  SELECT count(*) FROM screenings AS earlier"
        "  WHERE earlier.submitted_at IS NOT NULL AND ("
        "    earlier.submitted_at < screenings.submitted_at OR ("
        "      earlier.submitted_at = screenings.submitted_at AND earlier.id <= screenings.id)))"
        " WHERE submitted_at IS NOT NULL"
    )
    op.create_index("ix_screenings_submitted_seq", "screenings", ["submitted_seq"])


def downgrade() -> None:
    op.drop_index("ix_screenings_submitted_seq", "screenings")
    with op.batch_alter_table("screenings") as batch:
        batch.drop_column("submitted_seq")
