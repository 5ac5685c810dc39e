"""Children, screenings, events and users get a public id: a UUID that never changes and is the
same on every copy (laptop, server, export, audit), while integer keys stay internal row ids.

Existing rows are given a random (version 4) id each, then the column becomes NOT NULL with a
unique index. The ``meta`` row ``write_lock`` is what every write transaction updates first: on
SQLite that takes the file's write lock at once (as before), on PostgreSQL it queues writers on
one row, so the audit chain's next link is always computed from the latest committed one.

Revision ID: 0005_public_ids
Revises: 0002
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

from cse_screen.storage.types import PublicId

revision = "0005_public_ids"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("users", "children", "screenings", "events")
#: Backfill in batches so a laptop with a large database does not hold every id in memory.
BATCH = 5000


def _backfill(table: str) -> None:
    rows = sa.table(table, sa.column("id", sa.Integer), sa.column("public_id", PublicId))
    bind = op.get_bind()
    update = (
        rows.update()
        .where(rows.c.id == sa.bindparam("row_id"))
        .values(public_id=sa.bindparam("pid"))
    )
    last = 0
    while True:
        ids = (
            bind.execute(
                sa.select(rows.c.id).where(rows.c.id > last).order_by(rows.c.id).limit(BATCH)
            )
            .scalars()
            .all()
        )
        if not ids:
            return
        bind.execute(update, [{"row_id": i, "pid": str(uuid.uuid4())} for i in ids])
        last = ids[-1]


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, recreate="never") as batch:
            batch.add_column(sa.Column("public_id", PublicId))
        _backfill(table)
        with op.batch_alter_table(table) as batch:
            batch.alter_column("public_id", existing_type=PublicId, nullable=False)
        op.create_index(f"ux_{table}_public_id", table, ["public_id"], unique=True)
    op.execute("INSERT INTO meta (key, value) VALUES ('write_lock', '')")


def downgrade() -> None:
    op.execute("DELETE FROM meta WHERE key = 'write_lock'")
    for table in TABLES:
        op.drop_index(f"ux_{table}_public_id", table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("public_id")
