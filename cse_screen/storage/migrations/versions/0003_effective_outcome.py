"""Children carry the state of their effective outcome, and returned screenings say who returned
them and when.

A lowered judgement awaiting sign-off, or a screening returned for changes, used to leave the
register at the lower (or the previous, older) outcome. The effective-outcome rule now keeps the
higher outcome in force until a lead signs the lowering off, and counts a returned screening's
risk; this revision adds the columns and recomputes every child's register columns by that rule.

Revision ID: 0003_effective_outcome
Revises: 0005_public_ids (it came first on main; the ids are names, the chain is the order)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cse_screen.storage.types import UtcDateTime

revision = "0003_effective_outcome"
down_revision = "0005_public_ids"
branch_labels = None
depends_on = None

#: Outcome ids of the default instrument, lowest to highest (contract).
RANKS = {"no_current_risk": 0, "low": 1, "moderate": 2, "significant": 3}


def _higher(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    return a if RANKS.get(a, 4) >= RANKS.get(b, 4) else b


def upgrade() -> None:
    with op.batch_alter_table("children", recreate="never") as batch:
        batch.add_column(sa.Column("outcome_state", sa.String(16)))
    with op.batch_alter_table("screenings", recreate="never") as batch:
        batch.add_column(sa.Column("returned_by", sa.String(64)))
        batch.add_column(sa.Column("returned_at", UtcDateTime))
    _backfill(op.get_bind())


def _backfill(bind: sa.Connection) -> None:
    """Each child's latest decided screening, by the same rule the services apply."""
    rows = bind.execute(
        sa.text(
            "SELECT child_id, id, status, computed_outcome, final_outcome, needs_signoff "
            "FROM screenings WHERE status IN ('submitted', 'signed_off', 'returned') "
            "ORDER BY child_id, screen_date, id"
        )
    )
    latest: dict[int, tuple[object, ...]] = {}
    for row in rows:
        latest[int(row[0])] = tuple(row)
    for child_id, (_c, sid, status, computed, final, lowered) in latest.items():
        if status == "signed_off":
            outcome, state = final, "signed_off"
        elif status == "returned":
            outcome, state = _higher(computed, final), "returned"  # type: ignore[arg-type]
        else:
            outcome = _higher(computed, final)  # type: ignore[arg-type]
            state = "lowered" if lowered else "submitted"
        bind.execute(
            sa.text(
                "UPDATE children SET latest_screening_id = :sid, latest_outcome = :outcome, "
                "outcome_rank = :rank, outcome_state = :state WHERE id = :child"
            ),
            {
                "sid": sid,
                "outcome": outcome,
                "rank": RANKS.get(str(outcome), 4) if outcome else None,
                "state": state,
                "child": child_id,
            },
        )


def downgrade() -> None:
    with op.batch_alter_table("screenings") as batch:
        batch.drop_column("returned_at")
        batch.drop_column("returned_by")
    with op.batch_alter_table("children") as batch:
        batch.drop_column("outcome_state")
