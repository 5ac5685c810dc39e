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
