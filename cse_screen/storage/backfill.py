"""Row-level security inside migrations: new tables closed, backfills that span teams.

On the team server the tables that hold a child's data have their row-level security forced
(``FORCE ROW LEVEL SECURITY``), so it binds their owner, the role migrations run as, too. A
migration that fills a new column from rows of every team would then see no rows at all; it has
to lift the force for its backfill and put it back before it commits. Doing that by hand in
each migration is one forgotten ``FORCE`` away from a server without its team boundary, so
every migration asks these helpers instead. On SQLite (the laptop) there is no row-level
security and both are no-ops.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import op


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


@contextmanager
def cross_team_backfill(*tables: str) -> Iterator[None]:
    """Run the block with the forced row-level security of ``tables`` lifted for the owner.

    Alembic runs each migration in one transaction (PostgreSQL's DDL is transactional), so the
    lift is never seen by another session, the force is back before the commit, and a failed
    backfill rolls the lift back with it (nothing is run after a failure: an aborted
    transaction would refuse it and hide the backfill's own error).
    """
    postgresql = _on_postgresql()
    if postgresql:
        for table in tables:
            op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    yield
    if postgresql:
        for table in tables:
            op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


def close_table(table: str) -> None:
    """Enable and force row-level security on a new table (no policy: no one reads it raw
    until a policy says who may)."""
    if _on_postgresql():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
