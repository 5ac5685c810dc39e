"""The keyslot epoch: a counter in the keyslot file that the database also records.

Every save of the keyslot file (a password set, a user added or removed, the recovery key
enrolled, a re-key) raises its epoch by one, and the database records the new value in its
``meta`` table inside the same transaction (or, for a save made before the database is open,
at the next open). A keyslot file whose epoch is below the database's is an older copy put back
(yesterday's file, with a password since changed or a slot since removed): it is refused as
rolled back, before the user is signed in.

The epoch is bound to the database key by an HMAC, so changing the number in a text editor
gets nowhere; someone who holds the database key can still recompute it, which is why removing
a person for good is a re-key (``rekey.py``), not only a new epoch. A file one step ahead of
its database is what a kill between the file's save and the database's commit leaves; the
database is then brought up to the file's epoch.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cse_screen.errors import DatabaseDamaged
from cse_screen.storage.models import Meta

META_KEY = "key_epoch"
_LABEL = b"cse-screen keyslot epoch v1\x00"


def epoch_mac(key: bytes, epoch: int, check: str) -> str:
    """Binds the epoch to this database's key (and its key check) without revealing either."""
    message = _LABEL + str(int(epoch)).encode("ascii") + b"\x00" + check.encode("ascii")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def mac_matches(key: bytes, epoch: int, check: str, mac: str | None) -> bool:
    """Whether ``mac`` is the epoch's; a file from before epochs (epoch 0, no mac) passes."""
    if epoch == 0 and mac is None:
        return True
    return isinstance(mac, str) and hmac.compare_digest(mac, epoch_mac(key, epoch, check))


def recorded(session: Session) -> int:
    """The epoch the database last recorded (0 for one written before epochs existed)."""
    found = session.scalar(select(Meta.value).where(Meta.key == META_KEY))
    try:
        return int(found) if found is not None else 0
    except ValueError:
        return 0


def record(session: Session, epoch: int) -> None:
    """Raise the database's epoch to ``epoch`` inside the caller's transaction (never lower)."""
    row = session.get(Meta, META_KEY)
    if row is None:
        session.add(Meta(key=META_KEY, value=str(int(epoch))))
    elif recorded(session) < epoch:
        row.value = str(int(epoch))
    session.flush()


def rolled_back(keys_path: Path, db_path: Path, file_epoch: int, db_epoch: int) -> DatabaseDamaged:
    """The refusal of a keyslot file older than its database."""
    return DatabaseDamaged(
        f"the keyslot file {keys_path} is older than the database {db_path}: an earlier copy "
        "was put back, and with it passwords since changed and users since removed would work "
        "again, so it was refused. Put back the current keyslot file, or have IT restore a "
        f"backup of both files (keyslot epoch {file_epoch}, the database's {db_epoch})"
    )


def require_current(session: Session, keys_path: Path, db_path: Path, file_epoch: int) -> bool:
    """Refuse a rolled-back keyslot file; bring the database up to a file one save ahead.

    Returns True when the database's record was raised (the caller's transaction commits it).
    """
    db_epoch = recorded(session)
    if file_epoch < db_epoch:
        raise rolled_back(keys_path, db_path, file_epoch, db_epoch)
    if file_epoch > db_epoch:
        record(session, file_epoch)
        return True
    return False
