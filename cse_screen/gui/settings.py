"""The desktop app's preferences: IT's machine-wide defaults under the user's own JSON file.

Nothing here is personal data about a child. Three layers, lowest first: the built-in defaults,
the ``defaults.json`` IT places in :func:`~cse_screen.paths.site_config_dir` (so a council sets,
say, the idle-lock time once per machine instead of copying a file into every profile), then the
user's own ``settings.json``. The user's value wins, except for the settings IT lists under
``"locked"``: those are policy (the idle-lock time above all), so the user's value is ignored and
the dialog shows them greyed out. The user's file keeps only what differs from the machine
defaults, so when IT later changes a default it reaches everyone who never chose otherwise.

Files are written atomically (temp file + rename) so a crash mid-save never leaves a half-written
settings file. An unreadable, malformed or out-of-range file falls back to the defaults rather
than stopping the app from starting; a broken machine-wide file is logged in one line (its path
and what is wrong, never a value) so IT can find it.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from cse_screen.fileowner import make_folders
from cse_screen.gui.forms.ui_settings import Ui_SettingsDialog
from cse_screen.paths import config_dir, site_config_dir

log = logging.getLogger(__name__)

THEMES = ("system", "light", "dark")
REGISTER_FILTERS = ("mine", "team")
MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 60
SITE_FILE_NAME = "defaults.json"
#: What IT may pre-set and lock; ``last_user`` is each person's own sign-in name, never IT's.
SITE_KEYS = ("idle_lock_minutes", "register_filter", "theme")
LOCKED_TOOLTIP = "Set by your IT department for this computer; it cannot be changed here."


def _valid(name: str, value: object) -> bool:
    """Whether ``value`` is allowed for the setting ``name`` (hand-edited files get anything)."""
    if name == "idle_lock_minutes":
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and MIN_IDLE_MINUTES <= value <= MAX_IDLE_MINUTES
        )
    if name == "register_filter":
        return isinstance(value, str) and value in REGISTER_FILTERS
    if name == "theme":
        return isinstance(value, str) and value in THEMES
    if name == "last_user":
        return isinstance(value, str)
    return False


@dataclasses.dataclass(frozen=True)
class SiteDefaults:
    """IT's machine-wide values (each already checked) and the settings users may not change."""

    values: Mapping[str, object] = dataclasses.field(default_factory=dict)
    locked: frozenset[str] = frozenset()

    def base(self) -> Settings:
        """The defaults a user starts from on this machine: built-in, then IT's values."""
        return Settings(**self.values)  # type: ignore[arg-type]


@dataclasses.dataclass
class Settings:
    idle_lock_minutes: int = 5
    register_filter: str = "mine"  # "mine" = my caseload, "team" = my team's children
    theme: str = "system"
    last_user: str = ""  # the worker's own sign-in name, pre-filled on the unlock screen
    #: Where the defaults and locks came from; not a preference, so not compared or saved.
    site: SiteDefaults = dataclasses.field(default_factory=SiteDefaults, compare=False, repr=False)

    def normalised(self) -> Settings:
        """Out-of-range values (a hand-edited file) replaced by this machine's defaults, and
        locked settings put back to IT's value whatever was asked for."""
        base = self.site.base()
        values: dict[str, object] = {}
        for name in USER_KEYS:
            value = getattr(self, name)
            if name in self.site.locked or not _valid(name, value):
                value = getattr(base, name)
            values[name] = value
        return Settings(**values, site=self.site)  # type: ignore[arg-type]

    def is_locked(self, name: str) -> bool:
        return name in self.site.locked


USER_KEYS = tuple(f.name for f in dataclasses.fields(Settings) if f.name != "site")


def settings_path() -> Path:
    return config_dir() / "settings.json"


def site_defaults_path() -> Path:
    return site_config_dir() / SITE_FILE_NAME


def _parse_site(raw: object) -> tuple[SiteDefaults, list[str]]:
    """IT's file as checked defaults, and what was wrong with it (setting names, no values).

    A file that is not an object, or whose ``locked`` is not a list of names, is ignored
    whole: half of a policy IT got wrong is not a policy anyone asked for.
    """
    if not isinstance(raw, dict):
        return SiteDefaults(), ["is not a JSON object; using the built-in defaults"]
    locked = raw.get("locked", [])
    if not isinstance(locked, list) or not all(isinstance(n, str) for n in locked):
        return SiteDefaults(), [
            'has a "locked" that is not a list of setting names; using the built-in defaults'
        ]
    problems: list[str] = []
    values = {k: raw[k] for k in SITE_KEYS if k in raw and _valid(k, raw[k])}
    bad = [k for k in SITE_KEYS if k in raw and k not in values]
    if bad:
        problems.append(f"ignored out-of-range {', '.join(bad)}")
    unknown = [k for k in raw if k not in SITE_KEYS and k != "locked"]
    unknown_locks = [n for n in locked if n not in SITE_KEYS]
    if unknown or unknown_locks:
        problems.append(f"ignored {len(unknown) + len(unknown_locks)} unknown setting name(s)")
    lockable = frozenset(n for n in locked if n in SITE_KEYS)
    return SiteDefaults(values, lockable), problems


def load_site_defaults(path: Path | None = None) -> SiteDefaults:
    """IT's machine-wide defaults; no file is normal, a broken one is logged once and ignored."""
    path = path or site_defaults_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return SiteDefaults()
    except OSError:
        log.warning(
            "machine-wide settings file %s cannot be read; using the built-in defaults", path
        )
        return SiteDefaults()
    except ValueError:  # not UTF-8, or not JSON
        log.warning(
            "machine-wide settings file %s is not valid JSON; using the built-in defaults", path
        )
        return SiteDefaults()
    site, problems = _parse_site(raw)
    if problems:
        log.warning("machine-wide settings file %s %s", path, "; ".join(problems))
    return site


def load_settings(path: Path | None = None, site: SiteDefaults | None = None) -> Settings:
    """The settings in force: this user's file over the machine defaults, locks applied."""
    site = load_site_defaults() if site is None else site
    path = path or settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raw = {}
    own = {k: v for k, v in raw.items() if k in USER_KEYS} if isinstance(raw, dict) else {}
    return Settings(**{**site.values, **own}, site=site).normalised()  # type: ignore[arg-type]


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write only the user's own choices: values that differ from the machine defaults and are
    not locked, so IT's later changes to a default still reach this user."""
    path = path or settings_path()
    make_folders(path.parent)  # 0700, as every folder of the user's files
    current = settings.normalised()
    base = current.site.base()
    own = {
        name: getattr(current, name)
        for name in USER_KEYS
        if not current.is_locked(name) and getattr(current, name) != getattr(base, name)
    }
    data = json.dumps(own, indent=2)
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
        self._show_locks(settings)

    def _show_locks(self, settings: Settings) -> None:
        """Grey out what IT set, saying so where the user looks (tooltip, note, screen reader)."""
        f = self.form
        controls: dict[str, tuple[QWidget, QWidget]] = {
            "idle_lock_minutes": (f.idleMinutesSpin, f.idleLabel),
            "register_filter": (f.filterCombo, f.filterLabel),
            "theme": (f.themeCombo, f.themeLabel),
        }
        locked = [name for name in controls if settings.is_locked(name)]
        for name in locked:
            control, label = controls[name]
            control.setEnabled(False)
            label.setEnabled(False)
            for widget in (control, label):
                widget.setToolTip(LOCKED_TOOLTIP)
            control.setAccessibleDescription(LOCKED_TOOLTIP)
        f.lockedNoteLabel.setVisible(bool(locked))

    def result_settings(self) -> Settings:
        return dataclasses.replace(
            self._base,
            idle_lock_minutes=self.form.idleMinutesSpin.value(),
            register_filter=REGISTER_FILTERS[self.form.filterCombo.currentIndex()],
            theme=THEMES[self.form.themeCombo.currentIndex()],
        ).normalised()
