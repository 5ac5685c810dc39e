"""Notice when a database is older than the one last opened on this computer.

SQLCipher cannot tell a validly encrypted older copy put back in place (or an audit trail with
its tail cut off) from the real thing. Each database gets a random id (in its ``meta`` table);
every open records the id, the number of audit entries and the last entry's hash in a small
file in the user's settings folder (no personal data: ids, counts and hashes). An open whose
chain no longer holds that entry with that hash warns, and keeps warning (the record is not
moved on) until a restore done with ``cse-screen restore``, which is expected to go back in
time, resets it, or an administrator clears it with ``cse-screen anchor reset`` (audited).

The record also keeps a digest of the database's path. A database opened at another path with
the same id is a copy (IT checking one, say): it is told so, and it neither moves the original's
record on nor is judged against it, so opening a copy never makes the original look rolled back.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cse_screen.errors import UserError
from cse_screen.fileowner import make_folders
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


def place_of(db_path: Path) -> str:
    """A digest of where the database is (a folder name might name a child: keep no path)."""
    resolved = str(Path(db_path).resolve())
    return hashlib.sha256(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def is_copy(db_id: str, db_path: Path) -> bool:
    """Whether this database was last seen here at another path (a copy of that one)."""
    seen = _load().get(db_id)
    if not isinstance(seen, dict) or not isinstance(seen.get("place"), str):
        return False  # never seen, or seen before places were kept: adopt this one
    return bool(seen["place"] != place_of(db_path))


def copy_notice(db_path: Path) -> str:
    """What the user of a copy is told."""
    return (
        f"the database {db_path} is a copy of a database opened at another place on this "
        "computer; it is not checked against, and does not change, the original's record of "
        "its audit trail. If this copy is now the database in use, an administrator can make "
        f"it the one checked with 'cse-screen anchor reset --db {db_path} --user ADMIN'"
    )


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


def remember(db_id: str, entries: int, head: str, db_path: Path | None = None) -> None:
    """Record what was seen (best effort: a settings folder we cannot write is not an error)."""
    data = _load()
    previous = data.get(db_id)
    place = place_of(db_path) if db_path is not None else None
    if place is None and isinstance(previous, dict):
        place = previous.get("place")
    data[db_id] = {
        "entries": entries,
        "head": head,
        "place": place,
        "at": utc_now().isoformat(timespec="seconds") + "Z",
    }
    with contextlib.suppress(OSError, UserError):
        make_folders(anchors_path().parent)
        atomic_write_bytes(anchors_path(), json.dumps(data, sort_keys=True).encode("ascii"))
