"""Where things live: shipped resources and the user's own folders.

Resources sit at ``cse_screen/resources`` inside a wheel and a PyInstaller bundle, and at the
top-level ``resources/`` folder of a source checkout (editable installs). One lookup serves all
three, with no special case for frozen runs.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "cse-screen"
APP_AUTHOR = "cse-screen"

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_root() -> Path:
    """The folder holding questionnaires, icons and stylesheets."""
    for candidate in (_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("The application's resources folder is missing from this installation.")


def resource(*parts: str) -> Path:
    """A path inside the resource root."""
    return resource_root().joinpath(*parts)


def questionnaire_dir() -> Path:
    """Shipped questionnaire definitions."""
    return resource("questionnaires")


def _override(env: str) -> Path | None:
    value = os.environ.get(env)
    return Path(value) if value else None


def data_dir() -> Path:
    """Per-user data folder (the encrypted database and its keyslots live here by default)."""
    return _override("CSE_SCREEN_DATA_DIR") or Path(
        platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False)
    )


def config_dir() -> Path:
    """Per-user settings folder."""
    return _override("CSE_SCREEN_CONFIG_DIR") or Path(
        platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)
    )


def site_config_dir() -> Path:
    """Machine-wide settings folder, written by IT and read-only for users.

    IT pre-sets (and may lock) settings for everyone here instead of copying a file into each
    profile. The override exists so tests never read the real machine's folder.
    """
    return _override("CSE_SCREEN_SITE_CONFIG_DIR") or Path(
        platformdirs.site_config_dir(APP_NAME, APP_AUTHOR)
    )


def log_dir() -> Path:
    """Per-user log folder; logs and error reports never contain personal data."""
    return _override("CSE_SCREEN_LOG_DIR") or Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def default_database() -> Path:
    """The installation's database when ``--db`` is not given."""
    return data_dir() / "cse-screen.db"
