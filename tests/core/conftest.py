"""Shared fixtures for the core tests: the shipped instrument and the test definitions."""

from __future__ import annotations

from pathlib import Path

import pytest

from cse_screen.core.loader import load_questionnaire
from cse_screen.core.model import Questionnaire
from cse_screen.core.registry import default_folder

DATA = Path(__file__).parent / "data"


def default_path() -> Path:
    return default_folder() / "lac-cse-screen.yaml"


@pytest.fixture(scope="session")
def lac() -> Questionnaire:
    return load_questionnaire(default_path())


@pytest.fixture(scope="session")
def default_text() -> str:
    return default_path().read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seraf() -> Questionnaire:
    return load_questionnaire(DATA / "seraf-points.yaml")


@pytest.fixture(scope="session")
def skip() -> Questionnaire:
    return load_questionnaire(DATA / "skip-logic.yaml")
