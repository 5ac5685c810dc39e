"""Keep Qt from writing its own settings file, above all the file dialogs' folder history.

Qt's file dialog saves the folders it visited (``history``, ``lastVisited``) through QSettings
under the name "QtProject" (``~/.config/QtProject.conf`` on Linux, the registry on Windows).
Councils often name folders after children, so that would be personal data outside the
encrypted database. The app keeps its own settings in ``settings.json`` and uses QSettings for
nothing, so QSettings is pointed at a place below the null device, which no one (root included)
can create: Qt's writes there fail silently and nothing is kept. The dialogs still open in the
folder the app chooses for them.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

#: A folder that can never exist: the null device is not a directory.
NOWHERE = str(Path(os.devnull) / "cse-screen-keeps-no-qt-settings")


def keep_qt_settings_off_disk() -> None:
    """Send every user-scope QSettings (files and, through the INI format, the registry's
    replacement) to :data:`NOWHERE`. Call before any dialog is made."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for kind in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, NOWHERE)
