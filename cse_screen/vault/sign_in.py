"""Signing in, after the key opened the file: the pending notes, the rollback, copy and clock
checks, the login entry, and resealing a weak slot while the password is at hand.

A mixin of :class:`cse_screen.vault.store.Store`, kept apart so that opening the file and what
a sign-in checks and records read each on their own.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cse_screen import __version__
from cse_screen.errors import UserError
from cse_screen.storage.records import UserRecord
from cse_screen.storage.services import audit, child_import, clock
from cse_screen.storage.services.context import writes_in
from cse_screen.storage.signed_in import load_user, placeholder_user
from cse_screen.vault import anchor, backup_mac, continuity, migrate, pending
from cse_screen.vault import epoch as epochs
from cse_screen.vault.context import local_context

if TYPE_CHECKING:
    from cse_screen.storage.services.context import ServiceContext
    from cse_screen.vault.keyslots import KeyslotFile

ROLLBACK = "rollback_suspected"
UPGRADE = "upgrade"


class SignIn:
    """What a successful unlock records and checks (see the module's docstring)."""

    path: Path
    context: ServiceContext
    user: UserRecord
    keyslots: KeyslotFile
    _key: bytes
    warnings: tuple[str, ...]
    notices: tuple[str, ...]
    clock_warning: str | None
    upgraded: migrate.Upgraded | None
    _watched: str | None

    def _audit_login(self) -> None:
        """Write the pending notes, an upgrade and the login; warn if the database went back in
        time, and tell a copy that it is one."""
        notes = pending.read_notes(self.path)
        # A restore excuses going back in time only if it put this very keyslot file here and
        # its note carries a MAC under this database's key: a note typed into the side file,
        # even with the right keyslot hash, cannot switch the rollback check off.
        restored = any(
            n.get("action") == audit.RESTORE
            and n.get("keys_sha256") == self.keyslots.digest
            and backup_mac.note_is_genuine(self._key, n)
            for n in notes
        )
        with self.context.transaction() as session:
            epochs.require_current(session, self.keyslots.path, self.path, self.keyslots.epoch)
            db_id = anchor.database_id(session)
            entries = audit.chain_head(session)[0]
            copy = anchor.is_copy(db_id, self.path)
            warning = None if restored or copy else anchor.rollback_warning(session, db_id)
            torn = None if restored or copy or warning else continuity.torn_warning(session, db_id)
            self._check_clock(session)
            child_import.clear_abandoned(session, self.context)
            for entry in notes:
                action = str(entry.pop("action", "unknown"))
                entry.pop("mac", None)  # checked above; the trail's own chain covers the entry
                audit.append(session, self.context, action, "database", None, entry, actor="-")
            if self.upgraded is not None:
                detail = self.upgraded.audit_detail(__version__)
                audit.append(session, self.context, UPGRADE, "database", None, detail)
            if warning:
                detail = {"entries_found": entries}
                audit.append(session, self.context, ROLLBACK, "database", None, detail)
            last = audit.append(session, self.context, audit.LOGIN, "user", self.user.id)
        if notes:
            pending.clear(self.path)
        self.notices = self._notices(copy)
        if warning:
            self.warnings = (warning,)
        elif not copy:
            anchor.remember(db_id, last.seq, last.hash, self.path)
        if not copy:
            self._watch_writes(db_id, torn, restored)

    def _watch_writes(self, db_id: str, torn: str | None, restored: bool) -> None:
        """Record every commit's write count from now on, unless this copy is torn (then keep
        warning, and never let its later writes make it look whole)."""
        if torn is not None:
            self.warnings = (*self.warnings, torn)
            continuity.mark_torn(db_id)
            return
        with self.context.reading() as session:
            writes = writes_in(session)
        if restored:
            continuity.reset(db_id, writes)
        else:
            continuity.remember(db_id, writes)
        self.context.on_commit = lambda count: continuity.committed(db_id, count)
        self._watched = db_id

    def _check_clock(self, session: Any) -> None:
        """Before this sign-in's entries raise the mark: is the clock behind work saved?"""
        seen, now = clock.latest_seen(session), self.context.now()
        if seen is not None and clock.behind(now, seen):
            self.clock_warning = clock.behind_warning(now, seen)
            self.context.today = clock.at_least(self.context.today, seen.date())

    def _notices(self, copy: bool) -> tuple[str, ...]:
        found = []
        if self.upgraded is not None:
            found.append(self.upgraded.sentence(self.path, __version__))
        if copy:
            found.append(anchor.copy_notice(self.path))
        return tuple(found)


def rehash_if_weak(store: Any, user: str, password: str, key: bytes) -> None:
    """A slot made with cheaper parameters than today's (or before sealed slots) is resealed
    at today's cost while the password is at hand, and the database records the new epoch
    (best effort: a read-only folder keeps the old slot working)."""
    keyslots = store.keyslots
    if not keyslots.needs_rehash(user):
        return
    keyslots.rehash(user, password, key)
    with contextlib.suppress(OSError, UserError):
        keyslots.save()
        with store.context.transaction() as session:
            keyslots.record_save(session)


def load_user_record(engine: Any, db_path: Path, name: str) -> UserRecord:
    return load_user(local_context(engine, db_path, placeholder_user(name)), name)
