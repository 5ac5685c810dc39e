"""Test configuration shared by every test: headless Qt and isolated user folders."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

# Before anything imports Qt: there is no display on CI machines.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep every test's data, settings and logs out of the real user folders."""
    base = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("CSE_SCREEN_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("CSE_SCREEN_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("CSE_SCREEN_LOG_DIR", str(base / "logs"))
    monkeypatch.setenv("CSE_SCREEN_SITE_CONFIG_DIR", str(base / "site"))
    for name in (
        "CSE_SCREEN_PASSWORD",
        "CSE_SCREEN_NEW_PASSWORD",
        "CSE_SCREEN_EXPORT_PASSWORD",
        "CSE_SCREEN_USER",
    ):
        monkeypatch.delenv(name, raising=False)


# --- PostgreSQL: one throwaway cluster for the whole run, started only if a test asks ----------


@pytest.fixture(scope="session")
def pg_cluster():
    """A PostgreSQL cluster of the suite's own (initdb + pg_ctl), stopped at the end."""
    from cse_screen.server.devcluster import running_cluster

    with running_cluster() as cluster:
        yield cluster


@pytest.fixture
def pg_url(pg_cluster) -> str:
    """A fresh, empty database owned by an ordinary role (no superuser, no BYPASSRLS)."""
    return pg_cluster.create_database()


@pytest.fixture(scope="session")
def pg_template(pg_cluster) -> str:
    """The name of a database migrated to head, copied for each test that needs one: a copy
    is a file copy (a few milliseconds), the migrations take seconds."""
    from sqlalchemy.pool import NullPool

    from cse_screen.storage.engines import postgresql_engine, upgrade_to_head

    name = "cse_template_head"
    engine = postgresql_engine(pg_cluster.create_database(name), poolclass=NullPool)
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()  # CREATE DATABASE ... TEMPLATE needs the template to have no sessions
    _unforce_row_security(pg_cluster, name)
    return name


def _unforce_row_security(cluster, dbname: str) -> None:
    """Let the tables' owner past row-level security in the copies the record services are
    tested on: those tests check the services' own role checks on PostgreSQL, run as the
    local app runs them (an administrator may change every team's records). The server's
    forced policies under the same services are tested with the server, on databases made
    by ``pg_url`` and migrated there, where nothing is relaxed."""
    from psycopg import sql

    with cluster.admin_connection(dbname) as conn:
        forced = conn.execute(
            "SELECT relname FROM pg_class WHERE relforcerowsecurity "
            "AND relnamespace = 'public'::regnamespace"
        ).fetchall()
        for (table,) in forced:
            conn.execute(
                sql.SQL("ALTER TABLE {} NO FORCE ROW LEVEL SECURITY").format(sql.Identifier(table))
            )


class TemplateCopies:
    """Databases copied from the migrated template, each dropped when the run ends (or sooner,
    by :meth:`drop`)."""

    def __init__(self, cluster, template: str) -> None:
        self.cluster = cluster
        self.template = template
        self.made: list[str] = []

    def new(self, template: str | None = None) -> str:
        """A copy of the migrated template, or of ``template`` (a database made by
        :meth:`new` and filled, with no session left open on it)."""
        from secrets import token_hex

        from psycopg import sql

        name = f"cse_{token_hex(6)}"
        with self.cluster.admin_connection() as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {} OWNER {}").format(
                    sql.Identifier(name),
                    sql.Identifier(template or self.template),
                    sql.Identifier(self.cluster.app_role),
                )
            )
        self.made.append(name)
        return self.cluster.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[-1]
        self.cluster.drop_database(name)
        self.made.remove(name)


@pytest.fixture(scope="session")
def pg_copies(pg_cluster, pg_template):
    """Makes databases already at the schema head, for fixtures of any scope."""
    copies = TemplateCopies(pg_cluster, pg_template)
    yield copies
    for name in list(copies.made):
        pg_cluster.drop_database(name)


@pytest.fixture
def pg_migrated_url(pg_copies):
    """A database of its own for one test, already at the schema head; dropped afterwards."""
    url = pg_copies.new()
    yield url
    pg_copies.drop(url)


@pytest.fixture
def tiny_fs(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    """A small tmpfs (root only): real ENOSPC instead of a simulated one."""
    mounted: list[Path] = []
    if os.geteuid() != 0 or sys.platform != "linux":
        pytest.skip("a tmpfs mount needs root on Linux")

    def make(size_bytes: int) -> Path:
        point = tmp_path / f"tiny-{len(mounted)}"
        point.mkdir()
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_bytes}", "tmpfs", str(point)],
            capture_output=True,
            check=False,
        )
        if result.returncode != 0:
            pytest.skip("tmpfs cannot be mounted here")
        mounted.append(point)
        return point

    yield make
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)
