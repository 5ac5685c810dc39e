"""Real processes for the sync tests: one team server per module (PostgreSQL + uvicorn over
TLS, seeded as in the API tests) and laptops driven through the real command line."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server" / "api"))

from laptops import Fleet
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


@pytest.fixture
def fleet(team_server: TeamServer, tmp_path: Path) -> Fleet:
    return Fleet(team_server, tmp_path)
