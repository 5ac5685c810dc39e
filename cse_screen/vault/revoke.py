"""The events that revoke: a re-key on request, and disabling a user, which re-keys without
their slot. The command line and the app both call these, so the rule is one.

The open store lets go of its file, :func:`cse_screen.vault.rekey.rekey_closed` replaces the
pair, and the store opens the new pair (or, when the re-key did not happen, the old one again)
so the signed-in administrator carries on either way.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from cse_screen.errors import PermissionDenied
from cse_screen.storage.models import User
from cse_screen.storage.records import UserRecord
from cse_screen.storage.services import signatures
from cse_screen.storage.services.context import ServiceContext
from cse_screen.storage.services.users import (
    deactivate_row,
    require_can_deactivate,
    signed_change,
    user_record,
)
from cse_screen.vault import engine as engines
from cse_screen.vault.keyslots import KeyslotFile, new_database_key
from cse_screen.vault.rekey import Change, Rekeyed, rekey_closed


class Store(Protocol):
    """What a re-key needs of the open store (:class:`cse_screen.vault.store.Store`): named
    here, not imported, so the store and the events it offers do not import each other."""

    path: Path
    engine: Any
    context: ServiceContext
    user: UserRecord
    _key: bytes
    _closed: bool

    @property
    def keyslots(self) -> KeyslotFile: ...

    def reading(self) -> AbstractContextManager[Session]: ...

    def _detach(self) -> None: ...

    def _attach(self, keyslots: KeyslotFile, key: bytes) -> None: ...


Progress = Callable[[int, int], None]


def rekey_store(
    store: Store,
    *,
    without: tuple[str, ...] = (),
    change: Change | None = None,
    reason: str = "on request",
    recovery_public_key: bytes | str | None = None,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Rekeyed:
    """Re-key the store's database (the caller checked the role) and carry on with the result.

    Everything that can be refused (slots that cannot be resealed, a wrong recovery key) is
    refused before the file is touched.
    """
    old_keys, old_key = store.keyslots, store._key
    new_key = new_database_key()
    stray = tuple(name for name in old_keys.users() if name not in _active_users(store))
    new_keys = old_keys.rekeyed(old_key, new_key, (*without, *stray), recovery_public_key)
    engines.checkpoint(store.engine)
    store._detach()
    try:
        done = rekey_closed(
            store.path,
            old_key,
            new_keys,
            new_key,
            store.user,
            change=change,
            reason=reason,
            progress=progress,
            cancel=cancel,
            signer=store.context.signer,
        )
    except BaseException:
        _carry_on_after_failure(store, old_keys, old_key, new_keys, new_key)
        raise
    store._attach(new_keys, new_key)
    return done


def _active_users(store: Store) -> set[str]:
    """Who may keep a slot: a slot without an active user behind it (one planted in the file,
    or left by an older version) is not resealed, so a re-key never hands the new key to it."""
    with store.reading() as session:
        return set(session.scalars(select(User.name).where(User.active.is_(True))))


def _carry_on_after_failure(
    store: Store, old_keys: KeyslotFile, old_key: bytes, new_keys: KeyslotFile, new_key: bytes
) -> None:
    """Reopen whichever pair is now in place: a failure after the decision is finished now
    (or at the next open, if the disk still refuses)."""
    try:
        in_place = KeyslotFile.load(old_keys.path)  # finishes a decided re-key first
        if in_place.belongs_to(new_key):
            store._attach(new_keys, new_key)
        else:
            store._attach(old_keys, old_key)
    except Exception:  # the first failure is the one to report
        store._closed = True


def disable_user(
    store: Store,
    name: str,
    *,
    recovery_public_key: bytes | str | None = None,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> UserRecord:
    """Deactivate ``name`` and re-key without their slot (administrators only)."""
    name = require_can_deactivate(store.context, name)
    _require_signer(store)
    found: list[UserRecord] = []

    def deactivate(session: Session, ctx: ServiceContext) -> dict[str, Any]:
        row = deactivate_row(session, ctx, name)
        signed_change(session, ctx, row, None)  # the re-keyed file already holds no grant
        found.append(user_record(row))
        return {"user_disabled": row.id}

    gone = (name,) if name in store.keyslots.users() else ()
    rekey_store(
        store,
        without=gone,
        change=deactivate,
        reason="user disabled",
        recovery_public_key=recovery_public_key,
        progress=progress,
        cancel=cancel,
    )
    return found[0]


def _require_signer(store: Store) -> None:
    """Refuse before the copy when the record change could not be signed: the disabled user's
    record must be signed as inactive, or ``verify`` and sign-in would call it tampered."""
    if store.context.signer is not None:
        return
    with store.reading() as session:
        signed = signatures.public_key(session) is not None
    if signed:
        raise PermissionDenied(
            "disabling a user needs the administrator signing key, which your account does not "
            "hold yet; an administrator who holds it grants it by signing in after you; "
            "nothing was changed"
        )
