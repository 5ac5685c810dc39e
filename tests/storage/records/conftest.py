"""Fixtures for the records tests (helpers live in records_fixtures, a name no other test
folder uses, so test modules can import it wherever pytest is started)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from records_fixtures import Council, build_council

from cse_screen.core import registry
from cse_screen.core.model import Questionnaire
from cse_screen.vault.store import Store


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")


@pytest.fixture(scope="session")
def q() -> Questionnaire:
    return registry.get_questionnaire()


@pytest.fixture
def council(tmp_path: Path) -> Iterator[Council]:
    made = build_council(tmp_path / "council.db")
    yield made
    made.close()


@pytest.fixture
def opener(council: Council) -> Callable[[str], Store]:
    return council.open
