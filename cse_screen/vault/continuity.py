"""Notice, at open, a database whose files are older or torn: work saved here is missing.

The audit anchor (:mod:`cse_screen.vault.anchor`) records the chain's head at sign-in,
but answers are saved many times a session without an audit entry, so a main file copied without
its WAL, a WAL cut short or one with flipped bytes (SQLite silently drops the frames from the
first bad one on) opened "intact" with the session's answers gone. So every write transaction
also counts itself in ``meta`` (the statement that takes the write lock does it, see
:data:`cse_screen.storage.services.context.TAKE_WRITE_LOCK`), and after each
commit the count is recorded in a small file in the user's settings folder (ids and numbers, no
personal data). An open that finds fewer writes than were recorded says so before anything else
is written, and keeps saying so until a restore, which is expected to go back, resets it.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from cse_screen.paths import config_dir
from cse_screen.storage.services.context import writes_in
from cse_screen.vault.atomic import PRIVATE_FILE_MODE, temp_path_for

FILE_NAME = "database-writes.json"


def records_path() -> Path:
    return config_dir() / FILE_NAME


def _load() -> dict[str, Any]:
    try:
        data = json.loads(records_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(data: dict[str, Any]) -> None:
    """Replace the file in one rename, without the flushes an export gets: this runs after every
    commit, and a record lost to a power cut only means one check fewer, never a false alarm."""
    target = records_path()
    temp = temp_path_for(target)
    with contextlib.suppress(OSError):  # best effort, as the audit anchor
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
        try:
            os.write(fd, json.dumps(data, sort_keys=True).encode("ascii"))
        finally:
            os.close(fd)
        temp.replace(target)
    with contextlib.suppress(OSError):
        temp.unlink(missing_ok=True)


def torn_warning(session: Session, db_id: str) -> str | None:
    """A sentence when this database holds fewer writes than were committed to it here.

    Called inside the sign-in's own write transaction, which has already counted itself.
    """
    seen = _load().get(db_id)
    if not isinstance(seen, dict) or not isinstance(seen.get("writes"), int):
        return None
    found = writes_in(session) - 1
    if found >= seen["writes"] and not seen.get("torn"):
        return None
    when = seen.get("at", "an earlier session")
    return (
        f"this database holds fewer saved changes than were saved to it on this computer (up "
        f"to {when}): its files are an older or torn copy (a database file copied without its "
        "-wal file, or a -wal file cut short or damaged), and work saved since is missing"
    )


#: After a commit the count is written to the file at most this often (and always on close):
#: an autosave commits every answer, and rewriting a settings file for each would double the
#: writes of a session. A crash can then leave the last few seconds unrecorded, which only
#: means those are not checked, never a false alarm.
RECORD_EVERY_S = 10.0
_written_at: dict[str, float] = {}
_pending: dict[str, int] = {}


def committed(db_id: str, writes: int) -> None:
    """A commit's count: recorded now if the last record is old enough, else on :func:`flush`."""
    _pending[db_id] = max(writes, _pending.get(db_id, 0))
    if time.monotonic() - _written_at.get(db_id, float("-inf")) >= RECORD_EVERY_S:
        flush(db_id)


def flush(db_id: str) -> None:
    """Record the latest count committed in this process (on close, and as it goes)."""
    writes = _pending.pop(db_id, None)
    if writes is not None:
        remember(db_id, writes)


def remember(db_id: str, writes: int) -> None:
    """Record the count now (never lower than a count already recorded)."""
    _written_at[db_id] = time.monotonic()
    data = _load()
    seen = data.get(db_id)
    recorded = isinstance(seen, dict) and isinstance(seen.get("writes"), int)
    if recorded and (seen.get("torn") or seen["writes"] >= writes):  # type: ignore[union-attr]
        return
    at = datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    data[db_id] = {"writes": writes, "at": at}
    _save(data)


def mark_torn(db_id: str) -> None:
    """Keep warning on every open until a restore resets the record."""
    data = _load()
    seen = data.get(db_id)
    if isinstance(seen, dict):
        seen["torn"] = True
        _save(data)


def reset(db_id: str, writes: int) -> None:
    """After a restore: the database put back is the one to continue from."""
    data = _load()
    at = datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    data[db_id] = {"writes": writes, "at": at}
    _save(data)
