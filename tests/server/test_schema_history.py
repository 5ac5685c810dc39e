"""One schema history: the migrations build the models' schema on SQLCipher and PostgreSQL."""

from __future__ import annotations

import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from cse_screen.storage.models import Base
from cse_screen.storage.revisions import alembic_config, head_revision
from cse_screen.vault.engine import open_engine


def _differences(connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)


def test_postgresql_is_upgraded_from_empty_to_head_matching_the_models(pg_url):
    engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        with engine.connect() as connection:
            assert _differences(connection) == []
            stamp = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            assert stamp == head_revision()
            kinds = dict(
                connection.execute(
                    text(
                        "SELECT column_name, data_type FROM information_schema.columns "
                        "WHERE table_name = 'screenings'"
                    )
                ).all()
            )
        assert kinds["public_id"] == "uuid"
        assert kinds["created_at"] == "timestamp with time zone"
        assert kinds["context"] == "jsonb"
    finally:
        engine.dispose()


def test_the_audit_trail_is_append_only_on_postgresql(pg_url):
    engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
            connection.execute(
                text(
                    "INSERT INTO audit VALUES (1, 'now', 'a', 'create', 'database', NULL, '{}', "
                    "'0', '1')"
                )
            )
        for statement in ("UPDATE audit SET actor = 'b'", "DELETE FROM audit", "TRUNCATE audit"):
            with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
                connection.execute(text(statement))
    finally:
        engine.dispose()
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM audit").fetchone() == (1,)


def test_sqlcipher_is_upgraded_from_empty_to_head_matching_the_models(tmp_path):
    db = tmp_path / "schema.db"
    engine = open_engine(db, b"k" * 32, create=True)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        with engine.connect() as connection:
            assert _differences(connection) == []
    finally:
        engine.dispose()


def _insert_two_teams(url: str) -> None:
    """Children and submitted screenings in teams A and B, written past the forced policy."""
    with psycopg.connect(url) as conn:
        for table in ("children", "screenings"):
            conn.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        for n, team in enumerate(("A", "B", "A", "B"), 1):
            child = conn.execute(
                "INSERT INTO children (public_id, case_ref, name, name_key, dob, team, "
                "created_at, updated_at) VALUES (gen_random_uuid(), %s, 'x', 'x', '2012-01-01', "
                "%s, now(), now()) RETURNING id",
                (f"R{n}", team),
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO screenings (public_id, child_id, instrument_id, instrument_version, "
                "instrument_hash, status, screen_date, trigger, context, needs_signoff, "
                "created_by, created_at, updated_at, submitted_at) VALUES (gen_random_uuid(), "
                "%s, 'q', '1.0', 'h', 'submitted', '2026-01-01', 'routine', '{}', false, 'w', "
                "now(), now(), now() + %s * interval '1 minute')",
                (child, n),
            )
        for table in ("children", "screenings"):
            conn.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


def test_backfills_on_postgresql_span_every_team_and_leave_the_boundary_forced(pg_url):
    """The team and submission order are filled for every team's screenings, though the forced
    row-level security lets the owner (the migrating role) see none of them outside a backfill."""
    engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0006_server_accounts")
        _insert_two_teams(pg_url)
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
    finally:
        engine.dispose()
    with psycopg.connect(pg_url) as conn:
        forced = conn.execute(
            "SELECT relname FROM pg_class WHERE relname IN ('children', 'screenings', "
            "'import_staging') AND relrowsecurity AND relforcerowsecurity"
        ).fetchall()
        assert sorted(r[0] for r in forced) == ["children", "import_staging", "screenings"]
        assert conn.execute("SELECT count(*) FROM screenings").fetchone() == (0,)  # forced
        for table in ("children", "screenings"):
            conn.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        rows = conn.execute(
            "SELECT c.case_ref, s.team, s.submitted_seq FROM screenings s "
            "JOIN children c ON c.id = s.child_id ORDER BY c.case_ref"
        ).fetchall()
        conn.rollback()
    assert rows == [("R1", "A", 1), ("R2", "B", 2), ("R3", "A", 3), ("R4", "B", 4)]
