"""Notice when a database is older than the one last opened on this computer.

SQLCipher cannot tell a validly encrypted older copy put back in place (or an audit trail with
its tail cut off) from the real thing. Each database gets a random id (in its ``meta`` table);
every open records the id, the number of audit entries and the last entry's hash in a small
file in the user's settings folder (no personal data: ids, counts and hashes). An open whose
chain no longer holds that entry with that hash warns, and keeps warning (the record is not
moved on) until a restore done with ``cse-screen restore``, which is expected to go back in
time, resets it.
"""

from __future__ import annotations

import contextlib
import json
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cse_screen.errors import UserError
from cse_screen.paths import config_dir
from cse_screen.storage.models import AuditRow, Meta
from cse_screen.storage.services.context import utc_now
from cse_screen.vault.atomic import atomic_write_bytes

FILE_NAME = "database-anchors.json"
ID_KEY = "database_id"


def anchors_path() -> Path:
    return config_dir() / FILE_NAME


def database_id(session: Session) -> str:
    """This database's random id, made on first use (inside the caller's transaction)."""
    found = session.scalar(select(Meta.value).where(Meta.key == ID_KEY))
    if found:
        return found
    new = secrets.token_hex(16)
    session.add(Meta(key=ID_KEY, value=new))
    session.flush()
    return new


def _load() -> dict[str, Any]:
    try:
        data = json.loads(anchors_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def rollback_warning(session: Session, db_id: str) -> str | None:
    """A sentence when this database is not a continuation of the one last seen here.

    The entry seen last must still be in the chain with the same hash: an older copy lacks it,
    and a copy that was put back and then used has a different entry under that number.
    """
    seen = _load().get(db_id)
    if not isinstance(seen, dict) or not isinstance(seen.get("entries"), int):
        return None
    when = seen.get("at", "an earlier session")
    found = session.scalar(select(AuditRow.hash).where(AuditRow.seq == seen["entries"]))
    if found is None:
        return (
            f"this database's audit trail has fewer entries than the {seen['entries']} seen on "
            f"this computer at {when}: it may be an older copy put back in place, or its audit "
            "trail was cut short"
        )
    if found != seen.get("head"):
        return (
            f"this database's audit trail is not the one seen on this computer at {when}: it "
            "may be an older copy put back in place and used since"
        )
    return None


def remember(db_id: str, entries: int, head: str) -> None:
    """Record what was seen (best effort: a settings folder we cannot write is not an error)."""
    data = _load()
    data[db_id] = {
        "entries": entries,
        "head": head,
        "at": utc_now().isoformat(timespec="seconds") + "Z",
    }
    with contextlib.suppress(OSError, UserError):
        anchors_path().parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(anchors_path(), json.dumps(data, sort_keys=True).encode("ascii"))
