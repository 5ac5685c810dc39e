"""Audit entries for things that happen while the database cannot be written.

A failed login cannot be written to a database it could not open, and a restore runs with the
database closed and no password. Each is noted in a small file beside the database
(``<db>.pending-audit``: actions, times and counts, never a user name, since what was typed as a
name might be a password) and moved into the audit trail by the next successful open.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from cse_screen.errors import UserError
from cse_screen.storage.services.context import utc_now
from cse_screen.vault.atomic import atomic_write_bytes

SUFFIX = ".pending-audit"
MAX_NOTES = 1000


def pending_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + SUFFIX)


def read_notes(db_path: Path) -> list[dict[str, Any]]:
    """The notes waiting to be audited (an unreadable file counts as none)."""
    try:
        data = json.loads(pending_path(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    notes = data.get("notes") if isinstance(data, dict) else None
    return [n for n in notes if isinstance(n, dict)] if isinstance(notes, list) else []


def _write(db_path: Path, notes: list[dict[str, Any]]) -> None:
    payload = json.dumps({"notes": notes[-MAX_NOTES:]}, sort_keys=True).encode("ascii")
    atomic_write_bytes(pending_path(db_path), payload)


def note(db_path: Path, action: str, detail: dict[str, Any] | None = None) -> None:
    """Add a note (best effort: a failure here must never hide the error being reported)."""
    now = utc_now().isoformat(timespec="seconds") + "Z"
    notes = read_notes(db_path)
    if action == "login_failed" and notes and notes[-1].get("action") == action:
        notes[-1]["count"] = int(notes[-1].get("count", 1)) + 1
        notes[-1]["last"] = now
    else:
        notes.append({"action": action, "first": now, "last": now, "count": 1, **(detail or {})})
    with contextlib.suppress(OSError, UserError):
        _write(db_path, notes)


def clear(db_path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        pending_path(db_path).unlink()
