"""IT's machine-wide defaults.json: defaults under the user's own settings, and locks."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QSpinBox

from cse_screen.gui.app import make_context
from cse_screen.gui.settings import (
    LOCKED_TOOLTIP,
    Settings,
    SettingsDialog,
    load_settings,
    save_settings,
)


def _site_file(data: object) -> Path:
    folder = Path(os.environ["CSE_SCREEN_SITE_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "defaults.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def _user_file(data: dict[str, object]) -> Path:
    path = Path(os.environ["CSE_SCREEN_CONFIG_DIR"]) / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_machine_defaults_apply_to_a_user_without_settings() -> None:
    _site_file({"idle_lock_minutes": 3, "theme": "dark"})
    settings = make_context(Path("unused.db")).settings
    assert (settings.idle_lock_minutes, settings.theme) == (3, "dark")
    assert settings.register_filter == Settings().register_filter  # not set by IT: built-in


def test_the_users_own_value_wins_over_a_machine_default() -> None:
    _site_file({"idle_lock_minutes": 3, "theme": "dark"})
    _user_file({"theme": "light", "idle_lock_minutes": 99})  # 99 is out of range
    settings = load_settings()
    assert settings.theme == "light"
    assert settings.idle_lock_minutes == 3  # a bad user value falls back to IT's, not built-in


def test_saving_keeps_only_the_users_own_choices_so_later_it_changes_reach_them() -> None:
    _site_file({"idle_lock_minutes": 3})
    settings = load_settings()
    settings.last_user = "jsmith"
    save_settings(settings)
    _site_file({"idle_lock_minutes": 7})
    assert load_settings().idle_lock_minutes == 7
    assert load_settings().last_user == "jsmith"


def test_a_locked_setting_ignores_the_users_value_and_cannot_be_changed(qtbot, shell) -> None:
    _site_file({"idle_lock_minutes": 2, "locked": ["idle_lock_minutes"]})
    _user_file({"idle_lock_minutes": 45, "theme": "dark"})
    settings = load_settings()
    assert settings.idle_lock_minutes == 2 and settings.theme == "dark"
    assert settings.is_locked("idle_lock_minutes") and not settings.is_locked("theme")

    shell.ctx.settings = settings
    shell.main.form.actionSettings.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SettingsDialog))
    spin = dialog.findChild(QSpinBox, "idleMinutesSpin")
    assert not spin.isEnabled() and spin.value() == 2
    assert spin.toolTip() == LOCKED_TOOLTIP and "IT" in spin.toolTip()
    assert dialog.findChild(QComboBox, "themeCombo").isEnabled()
    assert dialog.findChild(QComboBox, "themeCombo").toolTip() == ""
    assert not dialog.findChild(QLabel, "lockedNoteLabel").isHidden()
    spin.setValue(30)  # even if something changes the control, the lock holds
    dialog.accept()
    assert shell.ctx.settings.idle_lock_minutes == 2
    assert shell.lock._idle_seconds == 120
    assert load_settings().idle_lock_minutes == 2
    saved = json.loads((Path(os.environ["CSE_SCREEN_CONFIG_DIR"]) / "settings.json").read_text())
    assert "idle_lock_minutes" not in saved  # a lock IT lifts later leaves no stale user value


def test_without_locks_the_dialog_says_nothing_about_it(qtbot) -> None:
    dialog = SettingsDialog(load_settings())
    qtbot.addWidget(dialog)
    assert dialog.findChild(QSpinBox, "idleMinutesSpin").isEnabled()
    assert dialog.findChild(QLabel, "lockedNoteLabel").isHidden()


def test_a_lock_on_a_setting_it_gave_no_value_holds_the_built_in_default() -> None:
    _site_file({"locked": ["theme"]})
    _user_file({"theme": "dark"})
    assert load_settings().theme == Settings().theme


def test_a_malformed_machine_file_is_ignored_with_one_log_line(caplog) -> None:
    _user_file({"theme": "light"})
    for broken in ("{not json", "[1, 2]", '{"idle_lock_minutes": 2, "locked": "idle"}'):
        path = _site_file(broken)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="cse_screen.gui.settings"):
            settings = load_settings()
        assert settings == Settings(theme="light")  # built-in defaults under the user's file
        assert not settings.is_locked("idle_lock_minutes")
        assert len(caplog.records) == 1 and str(path) in caplog.records[0].getMessage()
    path.write_bytes(b"\xff\xfe\x00garbage")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="cse_screen.gui.settings"):
        assert load_settings() == Settings(theme="light")
    assert len(caplog.records) == 1


def test_a_bad_value_is_dropped_alone_and_named_without_its_value(caplog) -> None:
    _site_file({"idle_lock_minutes": 500, "theme": "dark", "secret_colour": "Philippa"})
    with caplog.at_level(logging.WARNING, logger="cse_screen.gui.settings"):
        settings = load_settings()
    assert settings.idle_lock_minutes == Settings().idle_lock_minutes and settings.theme == "dark"
    assert len(caplog.records) == 1
    line = caplog.records[0].getMessage()
    assert "idle_lock_minutes" in line and "500" not in line and "Philippa" not in line


def test_an_unreadable_machine_file_does_not_stop_the_app(caplog) -> None:
    folder = _site_file({}).parent
    (folder / "defaults.json").unlink()
    (folder / "defaults.json").mkdir()  # reading a folder fails with an OSError on every OS
    with caplog.at_level(logging.WARNING, logger="cse_screen.gui.settings"):
        assert load_settings() == Settings()
    assert len(caplog.records) == 1 and "cannot be read" in caplog.records[0].getMessage()
