"""Care details as codes, children who have left care, and imported events keyed by source.

The child's gender, ethnicity, placement type and legal status were free text or the
questionnaire's option ids ("Foster care", ``semi_independent``); they become the codes of
:mod:`cse_screen.core.codes` (the SSDA903 ones where the return has one), shown as labels. A
value that names no code is kept as it was, for ``verify`` to list and a person to correct.

``children.left_care_on`` / ``left_care_reason``: the SSDA903 import marks a child whose last
episode ended as no longer looked after, from that day and for that reason. ``events.source_key``
names where an imported event came from, so a second import of the same return adds nothing.

Revision ID: 0013_care_codes
Revises: 0010_sync
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cse_screen.core import codes
from cse_screen.storage.backfill import cross_team_backfill

revision = "0013_care_codes"
down_revision = "0010_sync"
branch_labels = None
depends_on = None

_FIELDS = codes.RECORD_FIELDS


def _map_values() -> None:
    """Rewrite each distinct value that names a code as that code; leave the rest as typed."""
    bind = op.get_bind()
    for field in _FIELDS:
        column = sa.column(field)
        children = sa.table("children", column)
        found = bind.execute(sa.select(column).where(column.is_not(None)).distinct()).scalars()
        for value in list(found):
            code = codes.code_for(field, value)
            if code is not None and code != value:
                bind.execute(children.update().where(column == value).values({field: code}))


def upgrade() -> None:
    with op.batch_alter_table("children", recreate="never") as batch:
        batch.add_column(sa.Column("left_care_on", sa.Date))
        batch.add_column(sa.Column("left_care_reason", sa.String(8)))
    with op.batch_alter_table("events", recreate="never") as batch:
        batch.add_column(sa.Column("source_key", sa.String(120)))
    op.create_index("ux_events_source_key", "events", ["source_key"], unique=True)
    with cross_team_backfill("children"):  # the mapping spans teams
        _map_values()


def downgrade() -> None:
    op.drop_index("ux_events_source_key", "events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("source_key")
    with op.batch_alter_table("children") as batch:
        batch.drop_column("left_care_reason")
        batch.drop_column("left_care_on")
