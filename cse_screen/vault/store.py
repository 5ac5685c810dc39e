"""The open, unlocked database as the rest of the application sees it.

``Store.open`` unlocks the user's keyslot (a wrong password fails there, before the database is
touched), opens the encrypted engine, brings the schema up to date and loads the user's role;
the services hanging off the store do the rest. The command line, the export and the desktop
app all go through here, so they share the same role checks and audit trail.

Failed logins and restores happen while the database cannot be written; they are noted beside
it (see :mod:`cse_screen.vault.pending`) and audited by the next successful open.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from cse_screen.core.passwords import require_strong_password
from cse_screen.errors import UserError, WrongPassword
from cse_screen.storage.records import UserRecord
from cse_screen.storage.services import audit, signatures
from cse_screen.storage.services.context import utc_now, writes_in
from cse_screen.storage.services.users import UsersService, check_name, insert_user, user_record
from cse_screen.storage.signed_in import SignedIn
from cse_screen.storage.usernames import normalise_user
from cse_screen.vault import admin_key, anchor, continuity, migrate, pending, wal_check
from cse_screen.vault import epoch as epochs
from cse_screen.vault.backup_unlock import Credential
from cse_screen.vault.context import local_context
from cse_screen.vault.engine import database_files, open_engine
from cse_screen.vault.keyslots import KeyslotFile, keyslot_path
from cse_screen.vault.oslock import OpenLock
from cse_screen.vault.recovery import load_public_key
from cse_screen.vault.sign_in import ROLLBACK, UPGRADE, SignIn, load_user_record, rehash_if_weak
from cse_screen.vault.store_admin import ANCHOR_RESET, StoreAdministration, VerifyReport
from cse_screen.vault.tuning import CACHE_KIB, tune_engine

#: Names callers import from here; they live in the modules the store is made of.
__all__ = [
    "ANCHOR_RESET",
    "CACHE_KIB",
    "ROLLBACK",
    "UPGRADE",
    "Store",
    "VerifyReport",
    "restore",
    "tune_engine",
]


class Store(SignIn, StoreAdministration, SignedIn):
    """An unlocked database and the services of the signed-in user."""

    def __init__(
        self, db_path: Path, engine: Any, keyslots: KeyslotFile, key: bytes, user: UserRecord
    ) -> None:
        super().__init__(local_context(engine, db_path, user), keyslots, key)
        self.path = db_path
        self._open_lock = OpenLock(db_path)  # a restore refuses while any store holds it
        self._keyslots = keyslots
        self._key = key  # rewrapping keyslots needs it; UsersService holds it already
        self._closed = False
        #: Sentences the user should see after opening (e.g. an older copy of the database).
        self.warnings: tuple[str, ...] = ()
        #: Set at sign-in when this computer's clock reads earlier than work already saved.
        self.clock_warning: str | None = None
        #: The database id whose write count this store records (None: a copy, or torn).
        self._watched: str | None = None
        #: Sentences that inform without alarming (an upgrade done, a copy recognised).
        self.notices: tuple[str, ...] = ()
        self.upgraded: migrate.Upgraded | None = None

    # --- opening ----------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        db_path: Path | str,
        admin_user: str,
        password: str,
        *,
        full_name: str | None = None,
        recovery_public_key: bytes | str | None = None,
        team: str | None = None,
    ) -> Store:
        """A new database with its first user, an administrator."""
        db_path = Path(db_path)
        name = check_name(admin_user)
        slots_file = keyslot_path(db_path)
        if db_path.exists() or slots_file.exists():
            raise UserError(f"a database already exists at {db_path}; it was not overwritten")
        require_strong_password(password, (name, full_name or ""), name)
        keyslots, key = KeyslotFile.create(slots_file, name, password)
        signing_key = keyslots.signing.create(name)
        if recovery_public_key is not None:
            keyslots.add_recovery(recovery_public_key, key)
            keyslots.signing.wrap_for_recovery(load_public_key(recovery_public_key), signing_key)
        engine = tune_engine(open_engine(db_path, key, create=True))
        try:
            migrate.upgrade(engine, db_path)
            keyslots.save()
            store = cls._first_user(db_path, engine, keyslots, key, name, full_name, team)
        except BaseException:
            engine.dispose()
            for path in (*database_files(db_path), slots_file):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            raise
        return store

    @classmethod
    def _first_user(
        cls,
        db_path: Path,
        engine: Any,
        keyslots: KeyslotFile,
        key: bytes,
        name: str,
        full_name: str | None,
        team: str | None,
    ) -> Store:
        placeholder = UserRecord(0, name, full_name, "admin", team, True, utc_now())
        ctx = local_context(engine, db_path, placeholder)
        signing_key = keyslots.signing.signing_key(name)
        assert signing_key is not None and keyslots.signing.public is not None
        ctx.signer = admin_key.VaultSigner(signing_key, keyslots)
        with ctx.transaction() as session:
            signatures.set_public_key(session, keyslots.signing.public)
            row = insert_user(session, ctx, name, "admin", team, full_name)
            recovery = "yes" if keyslots.has_recovery else "no"
            db_id = anchor.database_id(session)
            keyslots.record_save(session)
            detail = {"recovery_slot": recovery}
            last = audit.append(session, ctx, audit.CREATE, "database", None, detail)
            signatures.sign_head(session, ctx, signatures.SESSION)
            record = user_record(row)
        anchor.remember(db_id, last.seq, last.hash, db_path)
        store = cls(db_path, engine, keyslots, key, record)
        store.context.signer = ctx.signer
        return store

    @classmethod
    def open(cls, db_path: Path | str, user: str, password: str) -> Store:
        """Unlock with a user's password; wrong user or password → WrongPassword (exit 3)."""
        db_path = Path(db_path)
        if not db_path.exists() and not keyslot_path(db_path).exists():
            raise UserError(f"there is no database at {db_path}; create one with 'cse-screen init'")
        keyslots = KeyslotFile.load(keyslot_path(db_path))
        try:
            key = keyslots.unlock(user, password)
        except WrongPassword:
            pending.note(db_path, audit.LOGIN_FAILED)
            raise
        store = cls.open_with_key(db_path, keyslots, key, user)
        # Only now: a save before the rollback check would lift an older copy to the
        # database's epoch, and the next attempt would pass.
        try:
            rehash_if_weak(store, user, password, key)
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def open_with_key(
        cls, db_path: Path, keyslots: KeyslotFile, key: bytes, user: str, recovered: bool = False
    ) -> Store:
        """Open with a key already unwrapped (password or IT recovery) as ``user``.

        A user record that is not validly signed is refused (exit 4); an administrator's
        session gets the signing key and signs the audit head after the login entry."""
        torn_log = wal_check.wal_problem(db_path)  # before SQLite replays (and then resets) it
        engine = tune_engine(open_engine(db_path, key))
        try:
            upgraded = migrate.upgrade_reporting(engine, db_path)
            record = load_user_record(engine, db_path, normalise_user(user))
            store = cls(db_path, engine, keyslots, key, record)
            store.upgraded = upgraded
            store._require_not_rolled_back()  # before sign-in's own saves raise the epoch
            admin_key.start_session(store.context, keyslots, record, recovered)
            store._audit_login()
            signatures.sign_head_now(store.context, signatures.SESSION)
            if torn_log is not None:
                store.warnings = (*store.warnings, torn_log)
        except BaseException:
            engine.dispose()
            raise
        return store

    @classmethod
    def recover(
        cls,
        db_path: Path | str,
        user: str,
        private_key_pem: bytes | str,
        passphrase: str | None,
        new_password: str,
    ) -> Store:
        """IT's path for a forgotten password: the recovery slot's private key opens the
        database and ``user`` gets ``new_password`` (a new keyslot if theirs was removed)."""
        db_path = Path(db_path)
        keyslots = KeyslotFile.load(keyslot_path(db_path))
        key = keyslots.recover_key(private_key_pem, passphrase)
        store = cls.open_with_key(db_path, keyslots, key, user, recovered=True)
        try:
            name = store.user.name
            if name in keyslots.users():
                keyslots.set_password(name, new_password, key)
            else:
                keyslots.add_user(name, new_password, key)
            if store.context.signer is not None and store.user.role == "admin":
                store.context.signer.admin_changed(name, True)  # the new slot needs the key
            with store.context.transaction() as session:
                keyslots.save()
                keyslots.record_save(session)
                detail = {"password": "reset by recovery"}
                audit.append(session, store.context, "recover", "user", store.user.id, detail)
        except BaseException:
            store.close()
            raise
        return store

    # --- the signed-in user -----------------------------------------------------------------
    @property
    def keyslots(self) -> KeyslotFile:
        return self._keyslots

    def require_current(self, keyslots: KeyslotFile) -> None:
        """Refuse a keyslot file read again from disk (the lock screen's check) that is older
        than this database or holds another key: a copy put back while the app was locked
        must not let an old password back in."""
        if not keyslots.belongs_to(self._key):
            raise epochs.rolled_back(keyslots.path, self.path, keyslots.epoch, self._keyslots.epoch)
        with self.context.reading() as session:
            recorded = epochs.recorded(session)
        if keyslots.epoch < recorded:
            raise epochs.rolled_back(keyslots.path, self.path, keyslots.epoch, recorded)

    def _require_not_rolled_back(self) -> None:
        """Refuse a keyslot file that was older than this database when it was read."""
        keyslots = self.keyslots
        with self.context.reading() as session:
            recorded = epochs.recorded(session)
        if keyslots.loaded_epoch < recorded:
            raise epochs.rolled_back(keyslots.path, self.path, keyslots.loaded_epoch, recorded)

    def _detach(self) -> None:
        """Let go of the file (engine, write count, open lock) for a re-key to replace it."""
        self.engine.dispose()
        if self._watched is not None:
            continuity.flush(self._watched)
        self._open_lock.release()

    def _attach(self, keyslots: KeyslotFile, key: bytes) -> None:
        """Open the file again, with ``key`` and ``keyslots`` (the new pair after a re-key,
        the old one after a re-key that did not happen)."""
        engine = tune_engine(open_engine(self.path, key))
        self.context.rebind(engine)  # the services (and whoever holds them) follow
        if self.context.signer is not None:  # grants from now on go into the file in use
            self.context.signer = self.context.signer.moved_to(keyslots)
        self.engine = engine
        self.users = UsersService(self.context, keyslots, key)
        self._keyslots, self._key = keyslots, key
        self._open_lock = OpenLock(self.path)
        with self.context.reading() as session:
            db_id, writes = anchor.database_id(session), writes_in(session)
        seq, head = self.audit.head()
        anchor.remember(db_id, seq, head, self.path)
        if self._watched is not None:
            continuity.reset(db_id, writes)
            self.context.on_commit = lambda count: continuity.committed(db_id, count)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            # An administrator's session signs as it goes; closing never fails for it.
            with contextlib.suppress(UserError, SQLAlchemyError):
                signatures.sign_head_now(self.context, signatures.SESSION)
            self.engine.dispose()
            if self._watched is not None:
                continuity.flush(self._watched)
            self._open_lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def restore(
    backup: Path | str,
    db_path: Path | str,
    credential: Credential,
    *,
    allow_unauthenticated: bool = False,
) -> Any:
    """Replace the closed database with a backup, authenticated and checked first.

    ``credential`` (a password of any user in the backup, or IT's recovery key) must open the
    backup's own keyslots. The old files are kept beside it as ``.before-restore-<UTC stamp>``,
    one generation per restore; the restore is audited by the next successful open.
    """
    from cse_screen.vault.restore import restore_backup

    db_path = Path(db_path)
    return restore_backup(
        backup,
        db_path,
        credential,
        keep_previous=True,
        audit=True,
        allow_unauthenticated=allow_unauthenticated,
    )
