"""Audit entries for things that happen while the database cannot be written.

A failed login cannot be written to a database it could not open, and a restore runs with the
database closed (its note carries a MAC under the restored database's key, see
``backup_mac.note_mac``). Each is noted in a small file beside the database
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
LOGIN_FAILED = "login_failed"
RESTORE = "restore"
_MAX_TEXT = 255
#: The only notes accepted, each with the only fields it may carry and their types: the file
#: is writable without any password, so anything else (an injected "audit entry", a field
#: that would change how the next open behaves) is dropped unread.
KNOWN: dict[str, dict[str, type]] = {
    LOGIN_FAILED: {"first": str, "last": str, "count": int},
    RESTORE: {
        "first": str,
        "last": str,
        "count": int,
        "backup": str,
        "created": str,
        "restore_id": str,
        "keys_sha256": str,
        "mac": str,
    },
}


def _typed(note: Any) -> dict[str, Any] | None:
    """The note if it is a known action with known, well-typed fields; else None."""
    if not isinstance(note, dict):
        return None
    fields = KNOWN.get(note.get("action"))  # type: ignore[arg-type]
    if fields is None:
        return None
    for name, value in note.items():
        if name == "action":
            continue
        kind = fields.get(name)
        if kind is None or type(value) is not kind:
            return None
        if isinstance(value, str) and len(value) > _MAX_TEXT:
            return None
        if isinstance(value, int) and not 0 < value <= 10_000_000:
            return None
    return dict(note)


def pending_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + SUFFIX)


def read_notes(db_path: Path) -> list[dict[str, Any]]:
    """The notes waiting to be audited (an unreadable file counts as none)."""
    try:
        data = json.loads(pending_path(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    notes = data.get("notes") if isinstance(data, dict) else None
    if not isinstance(notes, list):
        return []
    return [typed for typed in map(_typed, notes) if typed is not None]


def _write(db_path: Path, notes: list[dict[str, Any]]) -> None:
    payload = json.dumps({"notes": notes[-MAX_NOTES:]}, sort_keys=True).encode("ascii")
    atomic_write_bytes(pending_path(db_path), payload)


def note(db_path: Path, action: str, detail: dict[str, Any] | None = None) -> None:
    """Add a note (best effort: a failure here must never hide the error being reported)."""
    now = utc_now().isoformat(timespec="seconds") + "Z"
    notes = read_notes(db_path)
    if action == LOGIN_FAILED and notes and notes[-1].get("action") == action:
        notes[-1]["count"] = int(notes[-1].get("count", 1)) + 1
        notes[-1]["last"] = now
    else:
        notes.append({"action": action, "first": now, "last": now, "count": 1, **(detail or {})})
    with contextlib.suppress(OSError, UserError):
        _write(db_path, notes)


def note_once(db_path: Path, action: str, detail: dict[str, Any]) -> None:
    """Add a note unless one with the same ``restore_id`` is already waiting."""
    ident = detail.get("restore_id")
    if ident and any(n.get("restore_id") == ident for n in read_notes(db_path)):
        return
    note(db_path, action, detail)


def clear(db_path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        pending_path(db_path).unlink()
