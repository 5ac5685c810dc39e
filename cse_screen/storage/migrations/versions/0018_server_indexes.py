"""The team server at scale: row-level security PostgreSQL can plan once, and one submission
counter for the whole database.

Row-level security: the policies of 0006 and 0010 called ``current_setting(...)`` in each row's
check, a volatile function PostgreSQL evaluates again for every row it looks at (and, for the
tables reached through ``children``, once more inside each row's subquery). Each call is now a
scalar subquery, ``(SELECT current_setting(...))``, which the planner runs once per statement
as an InitPlan and then compares like a constant; what the policies allow is unchanged.

``meta.submissions``: the last submission number handed out (see
:func:`cse_screen.storage.services.clock.next_submission`). The numbers used to be one more
than the largest the caller could see, which on the server is only their team's: two teams
could be given the same number. The counter starts after every number already given, in
every team (a cross-team read, hence :func:`cross_team_backfill`).

Revision ID: 0018_server_indexes
Revises: 0013_care_codes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cse_screen.storage.backfill import cross_team_backfill

revision = "0018_server_indexes"
down_revision = "0019_device_audit"
branch_labels = None
depends_on = None

#: The settings, read once per statement.
SCOPE = "(SELECT current_setting('cse.scope', true))"
TEAM = "(SELECT coalesce(current_setting('cse.team', true), ''))"
#: The settings as 0006 and 0010 read them (for the downgrade).
OLD_SCOPE = "current_setting('cse.scope', true)"
OLD_TEAM = "coalesce(current_setting('cse.team', true), '')"

#: Tables holding a child's data (0006), each with how a row reaches its child's team.
CHILD_TABLES = {
    "children": "{team}",
    "screenings": "EXISTS (SELECT 1 FROM children c WHERE c.id = child_id AND {c_team})",
    "events": "EXISTS (SELECT 1 FROM children c WHERE c.id = child_id AND {c_team})",
    "answers": (
        "EXISTS (SELECT 1 FROM screenings s JOIN children c ON c.id = s.child_id "
        "WHERE s.id = screening_id AND {c_team})"
    ),
}
#: Sync's tables (0010): read and added to by team, never changed.
TEAM_TABLES = ("change_log", "outbox")

SUBMISSIONS_KEY = "submissions"


def _policies(scope: str, team: str) -> None:
    """(Re)create every row-level security policy reading the settings as ``scope``/``team``."""
    for table, reach in CHILD_TABLES.items():
        match = reach.format(
            team=f"coalesce(team, '') = {team}", c_team=f"coalesce(c.team, '') = {team}"
        )
        read = f"({scope} = 'all' OR ({scope} = 'team' AND {match}))"
        write = f"({scope} IN ('all', 'team') AND {match})"
        for policy in ("read", "add", "change", "remove"):
            op.execute(f"DROP POLICY IF EXISTS {table}_{policy} ON {table}")
        op.execute(f"CREATE POLICY {table}_read ON {table} FOR SELECT USING {read}")
        op.execute(f"CREATE POLICY {table}_add ON {table} FOR INSERT WITH CHECK {write}")
        op.execute(
            f"CREATE POLICY {table}_change ON {table} FOR UPDATE USING {write} WITH CHECK {write}"
        )
        op.execute(f"CREATE POLICY {table}_remove ON {table} FOR DELETE USING {write}")
    match = f"coalesce(team, '') = {team}"
    read = f"({scope} = 'all' OR ({scope} = 'team' AND {match}))"
    write = f"({scope} IN ('all', 'team') AND {match})"
    for table in TEAM_TABLES:
        for policy in ("read", "add"):
            op.execute(f"DROP POLICY IF EXISTS {table}_{policy} ON {table}")
        op.execute(f"CREATE POLICY {table}_read ON {table} FOR SELECT USING {read}")
        op.execute(f"CREATE POLICY {table}_add ON {table} FOR INSERT WITH CHECK {write}")


def _start_counter() -> None:
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    screenings = sa.table("screenings", sa.column("submitted_seq", sa.Integer))
    with cross_team_backfill("children", "screenings"):
        top = op.get_bind().scalar(sa.select(sa.func.max(screenings.c.submitted_seq)))
    op.execute(meta.delete().where(meta.c.key == SUBMISSIONS_KEY))
    op.bulk_insert(meta, [{"key": SUBMISSIONS_KEY, "value": str(int(top or 0))}])


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _policies(SCOPE, TEAM)
    _start_counter()


def downgrade() -> None:
    meta = sa.table("meta", sa.column("key", sa.String))
    op.execute(meta.delete().where(meta.c.key == SUBMISSIONS_KEY))
    if op.get_bind().dialect.name == "postgresql":
        _policies(OLD_SCOPE, OLD_TEAM)
