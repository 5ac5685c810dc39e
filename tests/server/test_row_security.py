"""Row-level security: the team boundary holds inside PostgreSQL even when the services are
bypassed, for the app role that owns the tables (no superuser, no BYPASSRLS)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import psycopg
import pytest

from cse_screen.core import registry
from cse_screen.server import admin
from cse_screen.server.database import database_url, open_engine
from cse_screen.server.transaction import unit_of_work
from cse_screen.storage.records import ChildInput
from cse_screen.storage.services.children import ChildrenService
from cse_screen.storage.services.events import EventsService
from cse_screen.storage.services.screenings import ScreeningsService

PASSWORD = "correct horse battery"
CHILD_TABLES = ("children", "screenings", "answers", "events")


@pytest.fixture
def two_teams(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Team A (lead alex) has a child with a screening, answers and an event; team B none."""
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    engine = open_engine(database_url(pg_url), pool_size=2)
    try:
        ada = admin.init(engine, "ada", PASSWORD, None)
        admin.add_user(engine, ada, "alex", PASSWORD, "lead", "A", None)
        admin.add_user(engine, ada, "bea", PASSWORD, "lead", "B", None)
        alex = admin.signed_in(engine, "alex", PASSWORD)
        with unit_of_work(engine, alex) as unit:
            ctx = unit.context()
            child = ChildrenService(ctx).add(ChildInput("A1", "Team A Child", dt.date(2012, 1, 1)))
            draft = ScreeningsService(ctx).start_draft(child.id, registry.get_questionnaire())
            ScreeningsService(ctx).save_answers(draft.id, {"A1": "current"})
            EventsService(ctx).record(child.id, "missing_episode", dt.date(2026, 1, 2))
    finally:
        engine.dispose()
    yield pg_url


def _counts(conn: psycopg.Connection[tuple[object, ...]]) -> dict[str, int]:
    return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in CHILD_TABLES}


def _as(conn: psycopg.Connection[tuple[object, ...]], scope: str, team: str) -> None:
    conn.execute(
        "SELECT set_config('cse.scope', %s, true), set_config('cse.team', %s, true)", (scope, team)
    )


def test_team_b_reads_none_of_team_as_rows_with_raw_sql(two_teams: str) -> None:
    with psycopg.connect(two_teams) as conn:
        role = conn.execute(
            "SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles "
            "WHERE rolname = current_user"
        ).fetchone()
        assert role == (False, False, False)
        owner = conn.execute(
            "SELECT bool_and(tableowner = current_user) FROM pg_tables WHERE tablename = ANY(%s)",
            (list(CHILD_TABLES),),
        ).fetchone()
        assert owner == (True,)  # the policies bind the tables' own owner: they are FORCED
        _as(conn, "team", "B")
        assert _counts(conn) == dict.fromkeys(CHILD_TABLES, 0)
        assert conn.execute(
            "SELECT count(*) FROM children WHERE name LIKE 'Team A%'"
        ).fetchone() == (0,)
        conn.rollback()
        _as(conn, "team", "A")
        assert _counts(conn) == {"children": 1, "screenings": 1, "answers": 1, "events": 1}


def test_without_settings_nothing_is_visible(two_teams: str) -> None:
    with psycopg.connect(two_teams) as conn:
        assert _counts(conn) == dict.fromkeys(CHILD_TABLES, 0)


def test_team_b_cannot_change_or_add_team_as_rows(two_teams: str) -> None:
    with psycopg.connect(two_teams) as conn:
        _as(conn, "all", "B")  # a manager of team B reads every team ...
        assert _counts(conn)["children"] == 1
        changed = conn.execute("UPDATE children SET worker = 'bea' WHERE team = 'A'")
        assert changed.rowcount == 0  # ... but changes none of team A's rows
        assert conn.execute("DELETE FROM events").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO children (public_id, case_ref, name, name_key, dob, team, created_at, "
                "updated_at) VALUES (gen_random_uuid(), 'X1', 'x', 'x', '2012-01-01', 'A', now(), "
                "now())"
            )


def test_every_child_table_has_forced_row_security(two_teams: str) -> None:
    with psycopg.connect(two_teams) as conn:
        rows = conn.execute(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
            "WHERE relname = ANY(%s)",
            (list(CHILD_TABLES),),
        ).fetchall()
    assert sorted(rows) == sorted((t, True, True) for t in CHILD_TABLES)
