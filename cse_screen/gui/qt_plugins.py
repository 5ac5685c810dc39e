"""Find out, before Qt aborts the process, whether its platform plugin can be found.

Without its platform plugin Qt prints a warning and aborts: no Python error, no report, nothing
for IT to go on. Looking for the file first turns that into a sentence naming it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo


def plugin_file_name(platform: str) -> str:
    if sys.platform == "win32":
        return f"q{platform}.dll"
    if sys.platform == "darwin":
        return f"libq{platform}.dylib"
    return f"libq{platform}.so"


def platform_plugin_folders() -> list[Path]:
    """Where Qt looks for platform plugins: the override variable, then its own folder."""
    override = os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH", "")
    folders = [Path(p) for p in override.split(os.pathsep) if p]
    plugins = QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)
    folders.append(Path(plugins) / "platforms")
    return folders


def missing_platform_plugin(platform: str) -> tuple[str, list[Path]] | None:
    """The plugin's file name and the folders searched when none holds it, else None."""
    name = plugin_file_name(platform)
    folders = platform_plugin_folders()
    if any((folder / name).is_file() for folder in folders):
        return None
    return name, folders
