"""Settings persist in the config folder and take effect at once (idle lock, theme)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtWidgets import QApplication, QComboBox, QSpinBox

from cse_screen.gui.settings import Settings, SettingsDialog, load_settings, save_settings


def _config_file() -> Path:
    return Path(os.environ["CSE_SCREEN_CONFIG_DIR"]) / "settings.json"


def test_settings_round_trip_and_bad_files_fall_back_to_defaults() -> None:
    assert load_settings() == Settings()  # no file yet
    save_settings(Settings(idle_lock_minutes=12, register_filter="team", theme="dark"))
    assert load_settings() == Settings(12, "team", "dark")
    _config_file().write_text(json.dumps({"idle_lock_minutes": 0, "theme": "purple"}))
    assert load_settings() == Settings()
    _config_file().write_text("{not json")
    assert load_settings() == Settings()


def test_the_dialog_changes_idle_time_and_theme_and_saves_them(qtbot, shell) -> None:
    shell.main.form.actionSettings.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SettingsDialog))
    dialog.findChild(QSpinBox, "idleMinutesSpin").setValue(2)
    dialog.findChild(QComboBox, "themeCombo").setCurrentIndex(2)  # dark
    dialog.findChild(QComboBox, "filterCombo").setCurrentIndex(0)  # my caseload
    dialog.accept()
    saved = load_settings()
    assert (saved.idle_lock_minutes, saved.theme, saved.register_filter) == (2, "dark", "mine")
    assert shell.ctx.settings.idle_lock_minutes == 2
    assert shell.lock._idle_seconds == 120
    assert QApplication.instance().property("cseScheme") == "dark"
    assert QApplication.instance().palette().window().color().lightness() < 80
    shell.theme.set_choice("light")
