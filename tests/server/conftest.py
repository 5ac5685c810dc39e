"""A PostgreSQL cluster for the session, made and stopped by the tests themselves."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cse_screen.server.devcluster import DevCluster, running_cluster


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[DevCluster]:
    with running_cluster() as cluster:
        yield cluster


@pytest.fixture
def pg_url(pg_cluster: DevCluster) -> str:
    """A fresh, empty database owned by an ordinary role (no superuser, no BYPASSRLS)."""
    return pg_cluster.create_database()
