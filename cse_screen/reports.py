"""Crash reports that can be sent to IT without leaking personal data.

A report holds the exception type and the stack (file, line, function), never the exception's
message or any local values: messages from database drivers quote the parameters of the failing
statement, which may be a child's name.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import traceback
from pathlib import Path

from cse_screen import __version__
from cse_screen.diagnose import missing_library
from cse_screen.fileowner import make_folders
from cse_screen.paths import log_dir


def describe(exc: BaseException) -> str:
    """Exception type and frames, without messages (for chained exceptions too)."""
    lines = [f"cse-screen {__version__} on Python {platform.python_version()} ({sys.platform})"]
    library = missing_library(exc)
    if library is not None:  # a file name from the loader: no personal data
        lines.append(f"missing shared library: {library}")
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        lines.append(f"{type(current).__module__}.{type(current).__qualname__}")
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"  {Path(frame.filename).name}:{frame.lineno} in {frame.name}")
        current = current.__cause__ or current.__context__
    return "\n".join(lines) + "\n"


def write_crash_report(exc: BaseException, folder: Path | None = None) -> Path | None:
    """Write a report to the log folder and return its path, or None if it cannot be written."""
    try:
        target = folder or log_dir()
        make_folders(target)  # 0700: a report names no child, but the folder is the user's own
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = target / f"crash-{stamp}.txt"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(describe(exc))
        return path
    except OSError:
        return None
