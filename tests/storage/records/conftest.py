"""Fixtures for the records tests (helpers live in records_fixtures, a name no other test
folder uses, so test modules can import it wherever pytest is started).

``council`` runs each test that takes it twice, once per engine the services run on: the
encrypted local file (``sqlcipher``) and PostgreSQL (``postgresql``, a fresh database copied
from one migrated to head). ``file_council`` is the local file alone, for tests about the file
itself: keyslots and passwords, backups, page integrity, crashes of the process holding it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from records_fixtures import (
    ENGINE_KINDS,
    SCOPED,
    Council,
    FileCouncil,
    ScopedServerCouncil,
    ServerCouncil,
    build_council,
    build_server_council,
)

from cse_screen.core import registry
from cse_screen.core.model import Questionnaire
from cse_screen.storage.signed_in import SignedIn


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")


@pytest.fixture(scope="session")
def q() -> Questionnaire:
    return registry.get_questionnaire()


#: Modules whose tests also run with row-level security forced and each transaction scoped
#: as the team server scopes a request: children, screenings, sign-off, events and the
#: dashboard's counts (tests marked ``standalone_admin`` excepted).
SCOPED_MODULES = {
    "test_dashboard_service",
    "test_events_prefill",
    "test_four_eyes",
    "test_manager_role",
    "test_lifecycle",
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine_kind" in metafunc.fixturenames:
        kinds = list(ENGINE_KINDS)
        module = metafunc.module.__name__.rsplit(".", 1)[-1]
        standalone = metafunc.definition.get_closest_marker("standalone_admin") is not None
        if module in SCOPED_MODULES and not standalone:
            kinds.append(SCOPED)
        metafunc.parametrize("engine_kind", kinds, indirect=True)


@pytest.fixture
def engine_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def pg_council_template(pg_copies) -> ServerCouncil:
    """The council built once on PostgreSQL; each test gets a copy of its database (a file
    copy, cheaper than enrolling everyone again)."""
    built = build_server_council(pg_copies.new())
    built.close()  # a template may have no open sessions
    return built


@pytest.fixture
def council(engine_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Council]:
    if engine_kind in ("postgresql", SCOPED):
        template: ServerCouncil = request.getfixturevalue("pg_council_template")
        copies = request.getfixturevalue("pg_copies")
        url = copies.new(template=template.engine.url.database)
        made: Council = template.copy_at(url)
        if engine_kind == SCOPED:
            made = ScopedServerCouncil.forced(made)  # type: ignore[arg-type]
        yield made
        made.close()
        copies.drop(url)
        return
    made = build_council(tmp_path / "council.db")
    yield made
    made.close()


@pytest.fixture
def new_council(
    engine_kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[], Council]]:
    """Makes further councils on the test's engine (for tests that compare two databases)."""
    made: list[tuple[Council, str | None]] = []

    def make() -> Council:
        if engine_kind in ("postgresql", SCOPED):
            url = request.getfixturevalue("pg_copies").new()
            built: Council = build_server_council(url)
            if engine_kind == SCOPED:
                built = ScopedServerCouncil.forced(built)  # type: ignore[arg-type]
            made.append((built, url))
        else:
            made.append((build_council(tmp_path / f"council-{len(made)}.db"), None))
        return made[-1][0]

    yield make
    for council, url in made:
        council.close()
        if url is not None:
            request.getfixturevalue("pg_copies").drop(url)


@pytest.fixture
def file_council(tmp_path: Path) -> Iterator[FileCouncil]:
    made = build_council(tmp_path / "council.db")
    yield made
    made.close()


@pytest.fixture
def opener(council: Council) -> Callable[[str], SignedIn]:
    return council.open
