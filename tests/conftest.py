"""Test configuration shared by every test: headless Qt and isolated user folders."""

from __future__ import annotations

import os

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
