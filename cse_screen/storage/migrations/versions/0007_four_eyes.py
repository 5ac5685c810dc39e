"""Every screening keeps who had a hand in it: who started it, who changed its answers, context
or judgement, and who submitted it, so a sign-off can refuse all of them and not only the
person who started it (a lead who edited a worker's draft, lowered it and submitted it could
otherwise sign it off alone).

Existing screenings are given their starter (``created_by``) and, from the audit trail, whoever
submitted or overrode them; answer edits made before this revision were not recorded and
cannot be recovered.

Revision ID: 0007_four_eyes
Revises: 0008_team_history
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_four_eyes"
down_revision = "0008_team_history"
branch_labels = None
depends_on = None

#: Audit actions on a screening that name a person who decided its judgement.
DECIDING = {"submit": "submitted", "override": "judged"}


def upgrade() -> None:
    op.create_table(
        "screening_hands",
        sa.Column(
            "screening_id",
            sa.Integer,
            sa.ForeignKey("screenings.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("user_name", sa.String(64), primary_key=True),
        sa.Column("part", sa.String(16), primary_key=True),
    )
    _backfill(op.get_bind())


def _backfill(bind: sa.Connection) -> None:
    hands = sa.table(
        "screening_hands",
        sa.column("screening_id", sa.Integer),
        sa.column("user_name", sa.String),
        sa.column("part", sa.String),
    )
    starters = bind.execute(sa.text("SELECT id, created_by FROM screenings")).all()
    seen = {(int(sid), str(who), "started") for sid, who in starters}
    existing = {int(sid) for sid, _who in starters}
    decided = bind.execute(
        sa.text(
            "SELECT entity_id, actor, action FROM audit "
            "WHERE entity = 'screening' AND action IN ('submit', 'override')"
        )
    )
    for entity_id, actor, action in decided:
        if entity_id is not None and str(entity_id).isdigit() and int(entity_id) in existing:
            seen.add((int(entity_id), str(actor), DECIDING[str(action)]))
    rows = [{"screening_id": s, "user_name": u, "part": p} for s, u, p in sorted(seen)]
    if rows:
        bind.execute(hands.insert(), rows)


def downgrade() -> None:
    op.drop_table("screening_hands")
