"""Re-keying a keyslot file: the same slots, resealed to a new database key one epoch on.

A mixin of :class:`cse_screen.vault.keyslots.KeyslotFile`; :mod:`cse_screen.vault.rekey` writes
the result in its journaled operation. Kept apart from the file's format and its saving, which
a re-key uses but does not change.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Self

from cse_screen.errors import UserError
from cse_screen.storage.usernames import normalise_user
from cse_screen.vault import epoch as epochs
from cse_screen.vault import recovery
from cse_screen.vault.signing import SigningSection
from cse_screen.vault.slots import PasswordSlot, RecoverySlot, key_check


class KeyslotRekeying:
    """``rekeyed``: what a re-key writes (see the module's docstring); it uses the file's own
    ``_require_key`` and ``to_bytes``."""

    path: Path
    epoch: int
    signing: SigningSection
    _check: str
    _slots: dict[str, PasswordSlot]
    _recovery: RecoverySlot | None
    _key: bytes | None
    _epoch_mac: str | None
    _loaded_digest: str | None

    def rekeyed(
        self,
        old_key: bytes,
        new_key: bytes,
        without: tuple[str, ...] = (),
        recovery_public_key: bytes | str | None = None,
    ) -> Self:
        """This file for ``new_key``, one epoch on: every slot but ``without`` resealed (no
        password needed) and the recovery slot rewrapped. Nothing is written.

        The signing section comes along (the signing key does not change with the database
        key, and a slot's box is sealed under its password, which a re-key leaves alone), less
        the boxes and grants of ``without``: a leaver loses the signing key with the slot.

        Refuses, naming them, when remaining slots predate sealed slots, and when the recovery
        slot predates kept public keys and IT's public key was not given: dropping either
        silently would lock someone out of the data.
        """
        self._require_key(old_key)
        gone = {normalise_user(name) for name in without}
        kept = {u: slot for u, slot in self._slots.items() if u not in gone}
        legacy = sorted(u for u, slot in kept.items() if slot.legacy)
        if legacy:
            raise UserError(
                "the keyslots of " + ", ".join(legacy) + " were made by an older version and "
                "can be resealed only after each of them signs in once; nothing was changed"
            )
        if not kept and self._recovery is None:
            raise UserError(
                "the last user's keyslot cannot be removed: nobody could unlock the data"
            )
        made = type(self)(
            self.path,
            key_check(new_key),
            {u: slot.resealed(new_key) for u, slot in kept.items()},
            self._rewrapped_recovery(new_key, recovery_public_key),
            None,
            self.signing.without(gone),
            self.epoch + 1,
        )
        made._key = new_key
        made._epoch_mac = epochs.epoch_mac(new_key, made.epoch, made._check)
        made._loaded_digest = hashlib.sha256(made.to_bytes()).hexdigest()  # as it will be written
        return made

    def _rewrapped_recovery(
        self, new_key: bytes, public_key_pem: bytes | str | None
    ) -> RecoverySlot | None:
        if self._recovery is None:
            return None
        pem = self._recovery.public_pem if public_key_pem is None else public_key_pem
        if pem is None:
            raise UserError(
                "this database's recovery slot was enrolled before its public key was kept "
                "with it; give IT's recovery public key (--recovery-public-key FILE) so it can be "
                "rewrapped; nothing was changed"
            )
        public_key = recovery.load_public_key(pem)
        if recovery.fingerprint(public_key) != self._recovery.fingerprint:
            raise UserError(
                "the recovery public key given is not the one enrolled on this database; "
                "nothing was changed"
            )
        wrapped = recovery.wrap_key(public_key, new_key)
        found = recovery.public_pem(public_key)
        return RecoverySlot(self._recovery.fingerprint, wrapped, public_pem=found)
