"""Keyslots: each user's password unwraps their own copy of the one random database key.

The database is encrypted with a random 256-bit key, never with a password. Each user has a slot
in a small JSON sidecar next to the database (``<db file name>.keys``): Argon2id turns the
password into a key-encryption key, which opens an AES-256-GCM box holding the database key. The
user's name is bound into the box as associated data, so slots cannot be swapped between users.
Consequences the rest of the application relies on:

* a wrong password fails here, before the database is touched, so it is never confused with
  damage (SQLCipher cannot tell the two apart);
* changing a password rewraps one slot and leaves the database and every other slot alone;
* each slot (format 2) seals the database key to a key pair of its own (``slotbox.py``), so a
  re-key (``rekey.py``) reseals every remaining slot to a new key without anyone's password;
* the file carries an epoch, raised by every save and recorded inside the database
  (``epoch.py``): a keyslot file older than its database (one copied back) is refused;
* every new password passes the one policy of :mod:`cse_screen.core.passwords` here, the one
  place all of them (set-up, users, passwords, recovery, command line, app) go through;
* an optional recovery slot wraps the same key to IT's public key (see ``recovery.py``).

The sidecar holds no personal data about children: user names, salts, parameters, boxes.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from cse_screen.core.passwords import require_strong_password
from cse_screen.errors import KeyslotConflict, UserError, WrongPassword
from cse_screen.fileowner import permission_problem
from cse_screen.storage.usernames import normalise_user
from cse_screen.vault import epoch as epochs
from cse_screen.vault import recovery
from cse_screen.vault.atomic import atomic_write_bytes, remove_stale_temps
from cse_screen.vault.journal import finish_interrupted_restore
from cse_screen.vault.kdf import current_params
from cse_screen.vault.keyslot_rekey import KeyslotRekeying
from cse_screen.vault.signing import SigningSection
from cse_screen.vault.slots import (  # noqa: F401 (re-exported: the format's names)
    _AD_LABEL,
    _BOX_LABEL,
    _CHECK_LABEL,
    _SUM_LABEL,
    FORMAT_NAME,
    FORMAT_VERSION,
    KEY_BYTES,
    NONCE_BYTES,
    READABLE_VERSIONS,
    SUFFIX,
    WRONG_CREDENTIALS,
    PasswordSlot,
    RecoverySlot,
    SlotDamaged,
    _b64,
    _damaged,
    _parse,
    _parse_epoch,
    _Parsed,
    _unb64,
    key_check,
    keyslot_path,
    new_database_key,
    slot_sum,
)


class KeyslotFile(KeyslotRekeying):
    """The sidecar file in memory. Nothing reaches the disk until :meth:`save`."""

    def __init__(
        self,
        path: Path,
        check: str,
        slots: dict[str, PasswordSlot],
        recovery_slot: RecoverySlot | None = None,
        loaded_digest: str | None = None,
        signing: SigningSection | None = None,
        epoch: int = 0,
        epoch_mac: str | None = None,
    ) -> None:
        self.path = Path(path)
        self._check = check
        self._slots = dict(slots)
        self._recovery = recovery_slot
        self._loaded_digest = loaded_digest
        #: The administrator signing key's section (``vault/signing.py``).
        self.signing = signing or SigningSection()
        #: The signing key IT's recovery key unwrapped, on the recovery path.
        self.recovered_signing_key: Any = None
        #: Raised by every save; the database records it (see ``epoch.py``).
        self.epoch = epoch
        #: The epoch as read, before any save of this session (what the rollback check needs:
        #: saves made at sign-in, before the database is open, must not lift an old copy).
        self.loaded_epoch = epoch
        self._epoch_mac = epoch_mac
        self._key: bytes | None = None  # known once unlocked: saving binds the epoch to it

    # -- creating and loading -------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str, user: str, password: str) -> tuple[KeyslotFile, bytes]:
        """A new keyslot file with a fresh random database key and its first user's slot.

        Refuses when ``path`` exists: replacing a keyslot file would lock everyone out of the
        database it belongs to.
        """
        path = Path(path)
        if path.exists():
            raise UserError(f"the keyslot file {path} already exists; it was not overwritten")
        user = normalise_user(user)
        require_strong_password(password, (user,), user)
        key = new_database_key()
        slot, kek = PasswordSlot.seal_kek(user, password, key, current_params())
        made = cls(path, key_check(key), {user: slot})
        made.signing.unlocked(user, kek)
        made._key = key
        return made, key

    @classmethod
    def load(cls, path: Path | str) -> KeyslotFile:
        """Read and validate a keyslot file; missing or damaged → DatabaseDamaged naming it."""
        path = Path(path)
        _finish_restore(path)
        remove_stale_temps(path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise _damaged(path, "is missing") from None
        except OSError as exc:
            refused = permission_problem(exc)  # not damage: say whose it is and the fix
            raise refused or _damaged(path, "cannot be read") from None
        return cls.from_bytes(path, raw)

    @classmethod
    def from_bytes(cls, path: Path | str, raw: bytes) -> KeyslotFile:
        """Parse keyslot bytes read from ``path`` (or carried inside a backup)."""
        path = Path(path)
        found = _parse(path, raw)
        digest = hashlib.sha256(raw).hexdigest()
        return cls(
            path,
            found.check,
            found.slots,
            found.recovery,
            digest,
            _signing(path, raw),
            found.epoch,
            found.epoch_mac,
        )

    # -- unlocking -----------------------------------------------------------------------

    def unlock(self, user: str, password: str) -> bytes:
        """The database key for this user and password, or WrongPassword (not saying which)."""
        slot = self._slots.get(normalise_user(user))
        if slot is None:
            # Spend the same time as a real attempt, so timing does not reveal valid user names.
            PasswordSlot.seal("", password or "-", new_database_key(), current_params())
            raise WrongPassword(WRONG_CREDENTIALS)
        try:
            key, kek = slot.open_kek(password)
        except SlotDamaged:
            raise _damaged(self.path, "is damaged (a keyslot's sealed key does not open)") from None
        if key is None:
            raise WrongPassword(WRONG_CREDENTIALS)
        if not hmac.compare_digest(key_check(key), self._check):
            raise _damaged(self.path, "is damaged (a keyslot does not match the key check)")
        key = self._unlocked(key)
        self.signing.unlocked(slot.user, kek)
        return key

    def _unlocked(self, key: bytes) -> bytes:
        """Check the epoch's binding to the key just opened, and keep the key for saving."""
        if not epochs.mac_matches(key, self.epoch, self._check, self._epoch_mac):
            raise _damaged(self.path, "is damaged (its epoch was altered)")
        self._key = key
        return key

    def legacy_users(self) -> list[str]:
        """Users whose slots predate sealed slots: a re-key cannot reseal them until each has
        signed in once (which upgrades the slot)."""
        return sorted(u for u, slot in self._slots.items() if slot.legacy)

    def needs_rehash(self, user: str) -> bool:
        """Whether the user's slot was made cheaper than today's parameters, or predates
        sealed slots (then it is resealed while the password is at hand)."""
        slot = self._slots.get(normalise_user(user))
        return slot is not None and slot.weaker_than(current_params())

    def rehash(self, user: str, password: str, key: bytes) -> None:
        """Reseal a weak slot under today's parameters with the password just proven right.

        Not a password change, so the policy for new passwords does not apply: an older,
        weaker password keeps working until its owner changes it."""
        self._require_key(key)
        user = normalise_user(user)
        if user not in self._slots:
            raise UserError(f"the keyslot file {self.path} has no slot for this user")
        self._seal(user, password, key)

    def recover_key(self, private_key_pem: bytes | str, passphrase: str | None = None) -> bytes:
        """The database key from the recovery slot, using IT's private key."""
        if self._recovery is None:
            raise UserError(f"the keyslot file {self.path} has no recovery slot")
        private_key = recovery.load_private_key(private_key_pem, passphrase)
        if recovery.fingerprint(private_key.public_key()) != self._recovery.fingerprint:
            raise WrongPassword("this recovery key does not belong to this database")
        try:
            key = recovery.unwrap_key(private_key, self._recovery.wrapped)
        except ValueError:
            raise _damaged(self.path, "has a damaged recovery slot") from None
        if not hmac.compare_digest(key_check(key), self._check):
            raise _damaged(self.path, "has a damaged recovery slot")
        key = self._unlocked(key)
        self.recovered_signing_key = self.signing.recover(private_key)
        return key

    # -- changing slots (each needs the database key, proving the caller unlocked first) ---

    def users(self) -> list[str]:
        return sorted(self._slots)

    @property
    def digest(self) -> str | None:
        """SHA-256 of the file as last read or saved (None for one never on disk)."""
        return self._loaded_digest

    @property
    def has_recovery(self) -> bool:
        return self._recovery is not None

    @property
    def recovery_fingerprint(self) -> str | None:
        """The enrolled recovery key's fingerprint, for IT to compare with the one they kept."""
        return self._recovery.fingerprint if self._recovery else None

    def add_user(self, user: str, password: str, key: bytes) -> None:
        self._require_key(key)
        user = normalise_user(user)
        if user in self._slots:
            raise UserError(f"the keyslot file {self.path} already has a slot for this user")
        require_strong_password(password, (user,), user)
        self._seal(user, password, key)

    def set_password(self, user: str, new_password: str, key: bytes) -> None:
        """Rewrap only this user's slot, with a new salt and the current parameters."""
        self._require_key(key)
        user = normalise_user(user)
        if user not in self._slots:
            raise UserError(f"the keyslot file {self.path} has no slot for this user")
        require_strong_password(new_password, (user,), user)
        self._seal(user, new_password, key)

    def _seal(self, user: str, password: str, key: bytes) -> None:
        """Seal ``user``'s slot (and their signing box with it) under today's parameters."""
        self._slots[user], kek = PasswordSlot.seal_kek(user, password, key, current_params())
        self.signing.resealed(user, kek)

    def remove_user(self, user: str) -> None:
        """Drop a user's slot; the last way into the database can never be removed."""
        user = normalise_user(user)
        if user not in self._slots:
            raise UserError(f"the keyslot file {self.path} has no slot for this user")
        if len(self._slots) == 1 and self._recovery is None:
            raise UserError(
                "the last user's keyslot cannot be removed: nobody could unlock the data"
            )
        del self._slots[user]
        self.signing.removed(user)

    def add_recovery(self, public_key_pem: bytes | str, key: bytes) -> str:
        """Wrap the database key to IT's public key (replacing any earlier recovery slot)."""
        self._require_key(key)
        public_key = recovery.load_public_key(public_key_pem)
        fp = recovery.fingerprint(public_key)
        pem = recovery.public_pem(public_key)
        wrapped = recovery.wrap_key(public_key, key)
        self._recovery = RecoverySlot(fingerprint=fp, wrapped=wrapped, public_pem=pem)
        return fp

    def enrol_recovery(self, public_key_pem: bytes | str, key: bytes) -> str:
        """Enrol or replace IT's recovery slot on an existing database and save at once.

        A refused key or a failed save leaves both the file and this object with the earlier
        slot (or none), so a bad attempt never costs the recovery key IT already had.
        """
        previous = self._recovery
        fp = self.add_recovery(public_key_pem, key)
        try:
            self.save()
        except BaseException:
            self._recovery = previous
            raise
        return fp

    def belongs_to(self, key: bytes) -> bool:
        """Whether ``key`` is the key this file's slots hold."""
        return isinstance(key, bytes) and hmac.compare_digest(key_check(key), self._check)

    def _require_key(self, key: bytes) -> None:
        if not isinstance(key, bytes) or not hmac.compare_digest(key_check(key), self._check):
            raise ValueError("the key given is not this database's key")
        self._key = key

    # -- saving --------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The file as it stands, at its present epoch."""
        return self._serialise(self.epoch, self._epoch_mac)

    def _serialise(self, epoch: int, mac: str | None) -> bytes:
        data = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "epoch": epoch,
            "epoch_mac": mac,
            "key_check": self._check,
            "slots": [self._slots[u].to_json() for u in sorted(self._slots)],
            "recovery": self._recovery.to_json() if self._recovery else None,
        }
        signing = self.signing.to_json()
        if signing is not None:  # additive: older versions ignore the field
            data["signing"] = signing
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")

    def save(self) -> None:
        """Write the file atomically one epoch on; refuse if another program changed it since
        it was read. The caller records the new epoch in the database (``epoch.record``)."""
        if self._key is None:
            raise ValueError("a keyslot file is saved only after it was unlocked or created")
        self._check_unchanged_on_disk()
        epoch = self.epoch + 1
        mac = epochs.epoch_mac(self._key, epoch, self._check)
        data = self._serialise(epoch, mac)
        atomic_write_bytes(self.path, data)
        self.epoch, self._epoch_mac = epoch, mac
        self._loaded_digest = hashlib.sha256(data).hexdigest()

    def record_save(self, session: Session) -> None:
        """Record this file's epoch in the database, inside the caller's transaction."""
        epochs.record(session, self.epoch)

    def _check_unchanged_on_disk(self) -> None:
        """Refuse to overwrite another program's change; read the file as it now is first, so
        that trying the same change again applies it to that (and does not fail until sign-out).
        """
        try:
            raw: bytes | None = self.path.read_bytes()
        except FileNotFoundError:
            raw = None
        found = hashlib.sha256(raw).hexdigest() if raw is not None else None
        if found == self._loaded_digest:
            return  # as read (or, for a new database, still not there)
        if raw is not None:
            self._adopt(raw)
        raise KeyslotConflict(
            f"the keyslot file {self.path} was changed or removed by another program since it "
            "was read; nothing was saved, please try again"
        )

    def _adopt(self, raw: bytes) -> None:
        """Take the file's slots as they now are, when it still belongs to this database (a
        file for another key, or a damaged one, is left for the next sign-in to refuse)."""
        with contextlib.suppress(UserError):
            found = _parse(self.path, raw)
            if hmac.compare_digest(found.check, self._check):
                self._slots, self._recovery = dict(found.slots), found.recovery
                self.epoch, self._epoch_mac = found.epoch, found.epoch_mac
                opened, self.signing = self.signing.opened, _signing(self.path, raw)
                self.signing.opened = {u: k for u, k in opened.items() if u in self._slots}
                self._loaded_digest = hashlib.sha256(raw).hexdigest()


def _signing(path: Path, raw: bytes) -> SigningSection:
    """The file's signing section (an empty one for files written before it existed)."""
    try:
        return SigningSection.from_json(json.loads(raw.decode("utf-8")).get("signing"))
    except (ValueError, UnicodeDecodeError):
        raise _damaged(path, "has a damaged signing section") from None


def _finish_restore(path: Path) -> None:
    """Complete a restore a kill interrupted, before anyone unlocks with a half-restored pair."""
    if path.name.endswith(SUFFIX):
        finish_interrupted_restore(path.with_name(path.name[: -len(SUFFIX)]), path)
