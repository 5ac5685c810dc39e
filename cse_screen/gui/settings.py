"""The desktop app's preferences: a small JSON file in the user's config folder.

Nothing here is personal data about a child. The file is written atomically (temp file + rename)
so a crash mid-save never leaves a half-written settings file; an unreadable or out-of-range file
falls back to the defaults rather than stopping the app from starting.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from cse_screen.gui.forms.ui_settings import Ui_SettingsDialog
from cse_screen.paths import config_dir

THEMES = ("system", "light", "dark")
REGISTER_FILTERS = ("mine", "team")
MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 60


@dataclasses.dataclass
class Settings:
    idle_lock_minutes: int = 5
    register_filter: str = "mine"  # "mine" = my caseload, "team" = my team's children
    theme: str = "system"
    last_user: str = ""  # the worker's own sign-in name, pre-filled on the unlock screen

    def normalised(self) -> Settings:
        """Out-of-range values (a hand-edited file) replaced by defaults."""
        defaults = Settings()
        minutes = self.idle_lock_minutes
        if not isinstance(minutes, int) or not MIN_IDLE_MINUTES <= minutes <= MAX_IDLE_MINUTES:
            minutes = defaults.idle_lock_minutes
        return Settings(
            idle_lock_minutes=minutes,
            register_filter=self.register_filter
            if self.register_filter in REGISTER_FILTERS
            else defaults.register_filter,
            theme=self.theme if self.theme in THEMES else defaults.theme,
            last_user=self.last_user if isinstance(self.last_user, str) else "",
        )


def settings_path() -> Path:
    return config_dir() / "settings.json"


def load_settings(path: Path | None = None) -> Settings:
    path = path or settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    known = {f.name for f in dataclasses.fields(Settings)}
    return Settings(**{k: v for k, v in raw.items() if k in known}).normalised()


def save_settings(settings: Settings, path: Path | None = None) -> None:
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(dataclasses.asdict(settings.normalised()), indent=2)
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class SettingsDialog(QDialog):
    """Edits a copy of the settings; ``result_settings()`` holds the accepted values."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = Ui_SettingsDialog()
        self.form.setupUi(self)
        self._base = settings
        self.form.idleMinutesSpin.setRange(MIN_IDLE_MINUTES, MAX_IDLE_MINUTES)
        self.form.idleMinutesSpin.setValue(settings.idle_lock_minutes)
        self.form.filterCombo.setCurrentIndex(REGISTER_FILTERS.index(settings.register_filter))
        self.form.themeCombo.setCurrentIndex(THEMES.index(settings.theme))
        self.form.buttonBox.button(QDialogButtonBox.StandardButton.Ok).setObjectName(
            "settingsOkButton"
        )

    def result_settings(self) -> Settings:
        return dataclasses.replace(
            self._base,
            idle_lock_minutes=self.form.idleMinutesSpin.value(),
            register_filter=REGISTER_FILTERS[self.form.filterCombo.currentIndex()],
            theme=THEMES[self.form.themeCombo.currentIndex()],
        )
