"""At sign-in: check the signed user record, and give an administrator's session the key.

:mod:`cse_screen.vault.signing` keeps the administrator signing key in the keyslot file and
:mod:`cse_screen.storage.services.signatures` signs and checks with it; this joins the two when a
store opens. The public half must be the same in the database and in the keyslot file (a key
swapped in one of them alone is tampering); the user signing in must have a validly signed
record; an administrator whose slot holds a grant gets a signer, makes the key on a database
that has none yet (the first administrator sign-in after an upgrade, audited) and grants it to
every other administrator whose slot can take it.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from cse_screen.errors import DatabaseDamaged, UserError
from cse_screen.storage.models import User
from cse_screen.storage.records import UserRecord
from cse_screen.storage.services import audit, signatures
from cse_screen.storage.services.context import ServiceContext
from cse_screen.vault.keyslots import KeyslotFile
from cse_screen.vault.signing import public_bytes


class VaultSigner:
    """The signing key of an administrator's session, and its keyslot file for grants."""

    def __init__(self, key: Ed25519PrivateKey, keyslots: KeyslotFile) -> None:
        self._key = key
        self._keyslots = keyslots

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)

    def moved_to(self, keyslots: KeyslotFile) -> VaultSigner:
        """The same key over another keyslot file (the re-keyed one), so grants made after a
        re-key are saved into the file in use, not the one it replaced."""
        return VaultSigner(self._key, keyslots)

    def admin_changed(self, name: str, admin: bool) -> None:
        """Wrap the key for a new administrator, drop it for a former one, and save."""
        if admin:
            self._keyslots.signing.grant(name, self._key)
        else:
            self._keyslots.signing.revoke(name)
        self._keyslots.save()

    def wrap_for_recovery(self, public_key: rsa.RSAPublicKey) -> None:
        """Let IT's recovery key unwrap the signing key too (saved with the recovery slot)."""
        self._keyslots.signing.wrap_for_recovery(public_key, self._key)

    def grant_waiting(self, session: Session) -> list[str]:
        """Grant the key to each active administrator whose slot has a box but no grant yet
        (they signed in with this version after the key was made, or had a password reset)."""
        section = self._keyslots.signing
        admins = session.scalars(select(User.name).where(User.role == "admin", User.active))
        granted = [n for n in admins if n not in section.grants and section.grant(n, self._key)]
        return granted


def _damaged(db_path: Path, what: str) -> DatabaseDamaged:
    return DatabaseDamaged(
        f"the administrator signing key of {db_path} {what}: the database or its keyslot file "
        "was changed outside the application; sign-in is refused"
    )


def check_binding(session: Session, keyslots: KeyslotFile, db_path: Path) -> bytes | None:
    """The public key both places agree on (None: not signed yet); anything else is tampering."""
    in_db = signatures.public_key(session)
    in_file = keyslots.signing.public
    if in_db is None and in_file is None:
        return None
    if in_db is None:
        raise _damaged(db_path, "is missing from the database but named in the keyslot file")
    if in_file is None:
        raise _damaged(db_path, "is missing from the keyslot file but named in the database")
    if in_db != in_file:
        raise _damaged(db_path, "differs between the database and the keyslot file")
    return in_db


def start_session(
    ctx: ServiceContext, keyslots: KeyslotFile, user: UserRecord, recovered: bool = False
) -> None:
    """Check the user's signed record; give an administrator's session its signer.

    ``recovered``: the key came through IT's recovery key, whose own copy of the signing key
    (when enrolled after it was made) signs for this session.
    """
    db_path = Path(ctx.db_path)
    with ctx.transaction() as session:
        public = check_binding(session, keyslots, db_path)
        if public is not None:
            signatures.require_signed(session, db_path, user.name)
        granted = _admin_signer(session, ctx, keyslots, user, recovered, public is None)
    if granted or keyslots.signing.changed:
        _save_quietly(keyslots)


def _admin_signer(
    session: Session,
    ctx: ServiceContext,
    keyslots: KeyslotFile,
    user: UserRecord,
    recovered: bool,
    unsigned: bool,
) -> bool:
    """Set an administrator's signer (making the key if the database has none); True when
    grants were added and the keyslot file should be saved."""
    if user.role != "admin" or signatures.server_vouches(session):
        return False  # an enrolled laptop's users are the team server's to vouch for
    key = keyslots.recovered_signing_key if recovered else None
    key = key or keyslots.signing.signing_key(user.name)
    if unsigned:
        key = _make_key(session, ctx, keyslots, user)
    if key is None:
        return False
    signer = VaultSigner(key, keyslots)
    ctx.signer = signer
    granted = signer.grant_waiting(session)
    if recovered and keyslots.signing.grant(user.name, key):
        granted.append(user.name)
    return bool(granted)


def _make_key(
    session: Session, ctx: ServiceContext, keyslots: KeyslotFile, user: UserRecord
) -> Ed25519PrivateKey:
    """The first administrator sign-in on a database without a key makes one and vouches for
    the user records as they are (audited, so IT can check who did and when)."""
    key = keyslots.signing.create(user.name)
    signatures.set_public_key(session, public_bytes(key))
    ctx.signer = VaultSigner(key, keyslots)
    rows = list(session.scalars(select(User).order_by(User.id)))
    for row in rows:
        signatures.sign_user(session, ctx, row)
    detail = {"users_signed": len(rows)}
    audit.append(session, ctx, signatures.KEY_CREATED, "database", None, detail)
    keyslots.save()  # inside the transaction: a failed save leaves the database unsigned
    return key


def _save_quietly(keyslots: KeyslotFile) -> None:
    """Best effort, like a rehash: a read-only folder keeps the file as it was."""
    with contextlib.suppress(OSError, UserError):
        keyslots.save()
