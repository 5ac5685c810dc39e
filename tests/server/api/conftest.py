"""One real team server per test module (uvicorn subprocess, HTTPS, real PostgreSQL)."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest
from server_support import TeamServer, seed, start_server

from cse_screen.server.devcluster import DevCluster


@pytest.fixture(scope="module")
def team_server(
    pg_cluster: DevCluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TeamServer]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CSE_SCREEN_KDF", "test")
        url = pg_cluster.create_database()
        ids = seed(url)
    server = start_server(url, tmp_path_factory.mktemp("team-server"), ids)
    try:
        yield server
    finally:
        server.stop(signal.SIGKILL)
