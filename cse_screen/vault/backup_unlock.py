"""Who may restore a backup: anyone whose password opens one of the backup's own keyslots, or IT
with the recovery key enrolled in it.

Why the backup's own slots and not the current database's: a restore replaces the database and
its keyslots with the backup's, so the passwords that count are the ones that will open the
restored pair. A restore by someone who could not open the backup would put back a database
nobody can read; a restore with no password at all let anyone holding a copy roll a council's
records back. The key the slot yields is then what authenticates the backup (its MAC) and
decrypts the extracted database for its checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from cse_screen.errors import UserError, WrongPassword
from cse_screen.vault.backup import BackupInfo
from cse_screen.vault.keyslots import WRONG_CREDENTIALS, KeyslotFile


@dataclass(frozen=True)
class PasswordCredential:
    """A user's password; ``user`` None tries it against every user's slot in the backup."""

    password: str
    user: str | None = None

    def __repr__(self) -> str:  # never show the secret in a traceback or a log
        return f"PasswordCredential(user={self.user!r})"


@dataclass(frozen=True)
class RecoveryCredential:
    """IT's recovery private key (PEM) and its passphrase."""

    private_key_pem: bytes
    passphrase: str | None = None

    def __repr__(self) -> str:
        return "RecoveryCredential()"


Credential = PasswordCredential | RecoveryCredential


def backup_key(info: BackupInfo, credential: Credential) -> bytes:
    """The database key of the backup, from its own keyslots; WrongPassword (exit 3) if the
    credential opens none of them, DatabaseDamaged (exit 4) if a slot is damaged."""
    slots = info.keyslots
    if slots is None:
        raise UserError(f"the backup {info.path} was not read completely")
    if isinstance(credential, RecoveryCredential):
        return _recovery_key(info, slots, credential)
    if credential.user is not None:
        return slots.unlock(credential.user, credential.password)
    return _any_user(slots, credential.password)


def _recovery_key(info: BackupInfo, slots: KeyslotFile, credential: RecoveryCredential) -> bytes:
    if not slots.has_recovery:
        raise WrongPassword(
            f"the backup {info.path} has no IT recovery slot, so the recovery key cannot open "
            "it; use the password of a user it holds"
        )
    # A wrong passphrase, or a key of another council, is WrongPassword (exit 3) from here.
    return slots.recover_key(credential.private_key_pem, credential.passphrase)


def _any_user(slots: KeyslotFile, password: str) -> bytes:
    """Try each user's slot in turn: a restore is run by IT or an administrator who knows a
    password, not necessarily whose. Each try costs one full Argon2id derivation."""
    for user in slots.users():
        try:
            return slots.unlock(user, password)
        except WrongPassword:
            continue
    raise WrongPassword(f"{WRONG_CREDENTIALS}: no user of the backup has this password")
