"""Signed user records and signed audit heads: what a holder of the database key cannot forge.

On a standalone database every user's password unwraps the one database key, so a worker can open
the file directly, make themselves an administrator, cut their entries out of the audit trail and
rebuild its hash chain. Hashes anyone can recompute prove nothing against that; an Ed25519
signature whose private key only administrators can unwrap does. An administrator's session signs:

* each user record it creates or changes (id, name, role, team, active and a counter that only
  grows), so a role set with SQL fails the check at sign-in and in ``verify``;
* the audit chain's head (sequence number, hash, time) as it works, backs up and exports, with a
  digest of every user's counter, so history rewritten before a signed head, or an older signed
  user record put back, is reported.

The key itself lives in the vault (the keyslot file); this module sees only a :class:`Signer`
and the public half kept in ``meta``. A database without a public key (the team server, which is
the authority and never signs; a file not yet upgraded by an administrator) is not checked.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cse_screen.errors import DatabaseDamaged, PermissionDenied
from cse_screen.storage.models import AuditHead, AuditRow, Meta, SyncState, User
from cse_screen.storage.services.context import ServiceContext

#: The ``meta`` key holding the administrator signing key's public half (base64, raw 32 bytes).
PUBLIC_KEY = "signing_public_key"
SESSION, BACKUP, EXPORT, CHANGE = "session", "backup", "export", "user_change"
#: Audit action when the key is made (at set-up, or the first administrator sign-in after an
#: upgrade) and when an administrator re-signs a record they have checked.
KEY_CREATED = "signing_key_created"
RESIGNED = "user_resigned"
_USER_LABEL = "cse-screen user record v1"
_HEAD_LABEL = "cse-screen audit head v1"


class Signer(Protocol):
    """An administrator's session holding the signing key (the vault provides it)."""

    def sign(self, message: bytes) -> bytes: ...

    def admin_changed(self, name: str, admin: bool) -> None:
        """Grant the key to a new administrator's keyslot, or take it from a demoted one."""
        ...


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def user_message(row: User) -> bytes:
    """What a user record's signature covers."""
    return _canonical(
        {
            "label": _USER_LABEL,
            "id": row.id,
            "name": row.name,
            "role": row.role,
            "team": row.team,
            "active": bool(row.active),
            "counter": row.signed_counter,
        }
    )


def head_message(head: AuditHead) -> bytes:
    """What a signed audit head covers."""
    return _canonical(
        {
            "label": _HEAD_LABEL,
            "seq": head.seq,
            "hash": head.hash,
            "at": head.signed_at,
            "signer": head.signer,
            "purpose": head.purpose,
            "roster": head.roster,
        }
    )


def public_key(session: Session) -> bytes | None:
    """The signing key's public half recorded in this database, or None (not signed)."""
    text = session.scalar(select(Meta.value).where(Meta.key == PUBLIC_KEY))
    return base64.b64decode(text) if text else None


def set_public_key(session: Session, raw: bytes) -> None:
    session.merge(Meta(key=PUBLIC_KEY, value=base64.b64encode(raw).decode("ascii")))


def _valid(public: bytes, signature: str | None, message: bytes) -> bool:
    if not signature:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(base64.b64decode(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def user_signed(public: bytes, row: User) -> bool:
    return row.signed_counter is not None and _valid(public, row.signature, user_message(row))


def roster(session: Session) -> str:
    """Every user's (id, counter) as JSON text: an older signed record put back differs."""
    rows = session.execute(select(User.id, User.signed_counter).order_by(User.id)).all()
    return _canonical([[i, c] for i, c in rows]).decode("utf-8")


def _counters(text: str) -> dict[int, int | None]:
    try:
        return {int(i): c for i, c in json.loads(text)}
    except (ValueError, TypeError):
        return {}


def replayed(session: Session, head: AuditHead) -> list[str]:
    """Users whose counter is not the one ``head`` vouches for (an older record put back)."""
    vouched = _counters(head.roster)
    rows = session.execute(select(User.id, User.name, User.signed_counter).order_by(User.name))
    return [name for i, name, c in rows if i not in vouched or vouched[i] != c]


def sign_user(session: Session, ctx: ServiceContext, row: User) -> None:
    """Sign ``row`` as it now is with the next counter; refuse if this database is signed and
    the session cannot sign (the change would lock its subject out as tampered)."""
    signer = ctx.signer
    if signer is None:
        if public_key(session) is not None:
            raise PermissionDenied(
                "this change needs the administrator signing key, which your account does not "
                "hold yet; an administrator who holds it grants it by signing in after you"
            )
        return
    session.flush()
    counter = session.scalar(select(func.max(User.signed_counter))) or 0
    row.signed_counter = int(counter) + 1
    row.signature = base64.b64encode(signer.sign(user_message(row))).decode("ascii")
    session.flush()


def sign_head(session: Session, ctx: ServiceContext, purpose: str) -> AuditHead | None:
    """Sign the chain's head as the caller's transaction sees it (nothing without a signer)."""
    if ctx.signer is None:
        return None
    session.flush()
    last = session.execute(
        select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)
    ).first()
    if last is None:
        return None
    public = public_key(session)
    latest = _latest_valid_head(session, public) if public is not None else None
    current = roster(session)
    if latest is not None:
        if latest.seq == last[0] and latest.roster == current:
            return latest  # already signed as it is
        if session.scalar(select(AuditRow.hash).where(AuditRow.seq == latest.seq)) != latest.hash:
            return None  # history before the last signed head was rewritten: never vouch for it
    now = ctx.now()
    if now.tzinfo is not None:
        now = now.astimezone(UTC).replace(tzinfo=None)
    head = AuditHead(
        seq=int(last[0]),
        hash=str(last[1]),
        signed_at=now.isoformat(timespec="seconds") + "Z",
        signer=ctx.user.name,
        purpose=purpose,
        roster=current,
        signature="",
    )
    head.signature = base64.b64encode(ctx.signer.sign(head_message(head))).decode("ascii")
    session.add(head)
    session.flush()
    return head


def sign_head_now(ctx: ServiceContext, purpose: str) -> None:
    """Sign the head in its own transaction (after a backup or an export was audited)."""
    if ctx.signer is not None:
        with ctx.transaction() as session:
            sign_head(session, ctx, purpose)


def tampered_user(where: object, name: str) -> DatabaseDamaged:
    return DatabaseDamaged(
        f"the record of user '{name}' in {where} is not validly signed by an administrator: "
        "it was changed outside the application, so sign-in is refused; an administrator "
        f"should check it and re-sign it with 'cse-screen user resign --target {name}'"
    )


def server_vouches(session: Session) -> bool:
    """Whether this is a laptop enrolled with a team server: its users, roles and teams come
    from the server, whose records are their authority, so no laptop key signs them."""
    return session.get(SyncState, 1) is not None


def require_signed(session: Session, where: object, name: str) -> None:
    """Refuse a sign-in whose user record is not validly signed (exit 4: tampering)."""
    public = public_key(session)
    if public is None or server_vouches(session):
        return
    row = session.scalar(select(User).where(User.name == name))
    if row is None or not user_signed(public, row):
        raise tampered_user(where, name)
    latest = _latest_valid_head(session, public)
    if latest is not None and name in replayed(session, latest):
        raise DatabaseDamaged(
            f"the record of user '{name}' in {where} is not the one the latest signed audit "
            "head vouches for (an older signed record was put back outside the application), "
            "so sign-in is refused; an administrator should check it with 'cse-screen verify'"
        )


def _latest_valid_head(session: Session, public: bytes) -> AuditHead | None:
    heads = session.scalars(select(AuditHead).order_by(AuditHead.seq.desc(), AuditHead.id.desc()))
    for head in heads:
        if _valid(public, head.signature, head_message(head)):
            return head
    return None


@dataclass(frozen=True)
class SignatureReport:
    """What ``verify`` found about the signatures; ``ok`` unless something was forged."""

    signed: bool
    unsigned_users: tuple[str, ...] = ()
    bad_heads: tuple[int, ...] = ()
    #: The sentence naming a rewrite of history before a signed head, if any.
    rewrite: str | None = None
    #: Users whose record is not the one the latest signed head vouches for.
    replayed_users: tuple[str, ...] = ()
    entries: int = 0
    covered: int = 0
    covered_at: str | None = None
    #: Enrolled with a team server: the server's records vouch for the users, not a key here.
    by_server: bool = False

    @property
    def ok(self) -> bool:
        return not (self.unsigned_users or self.bad_heads or self.rewrite or self.replayed_users)

    @property
    def unsigned_tail(self) -> int:
        return max(self.entries - self.covered, 0)

    def coverage(self) -> str:
        """E.g. "audit chain: 1,234 entries, 1,200 covered by a signed head of 2026-12-07
        16:03"."""
        if self.by_server:
            return (
                f"audit chain: {self.entries:,} entries; users and roles come from the team "
                "server, whose records are their authority"
            )
        if not self.signed:
            return f"audit chain: {self.entries:,} entries, none signed (no signing key yet)"
        if self.covered_at is None:
            return f"audit chain: {self.entries:,} entries, none covered by a signed head"
        when = self.covered_at.removesuffix("Z").replace("T", " ")[:16]
        text = (
            f"audit chain: {self.entries:,} entries, {self.covered:,} covered by a signed head "
            f"of {when} UTC"
        )
        if self.unsigned_tail:
            text += f"; the last {self.unsigned_tail:,} are not yet signed"
        return text

    def problems(self) -> list[str]:
        found = [f"the record of user '{n}' is not validly signed" for n in self.unsigned_users]
        found += [
            f"the signed audit head at entry {s} has a forged signature" for s in self.bad_heads
        ]
        if self.rewrite:
            found.append(self.rewrite)
        found += [
            f"the record of user '{n}' is not the one the latest signed audit head vouches for "
            "(an older signed record was put back)"
            for n in self.replayed_users
        ]
        return found


def check(session: Session) -> SignatureReport:
    """Every user record's signature and every signed head against the chain as it is."""
    entries = int(session.scalar(select(func.max(AuditRow.seq))) or 0)
    public = public_key(session)
    if server_vouches(session):
        return SignatureReport(False, by_server=True, entries=entries)
    if public is None:
        return SignatureReport(False, entries=entries)
    unsigned = tuple(
        row.name
        for row in session.scalars(select(User).order_by(User.name))
        if not user_signed(public, row)
    )
    bad: list[int] = []
    rewrite = None
    latest: AuditHead | None = None
    for head in session.scalars(select(AuditHead).order_by(AuditHead.seq, AuditHead.id)):
        if not _valid(public, head.signature, head_message(head)):
            bad.append(head.seq)
            continue
        found = session.scalar(select(AuditRow.hash).where(AuditRow.seq == head.seq))
        if found != head.hash and rewrite is None:
            rewrite = (
                f"the audit trail was rewritten before the head signed at {head.signed_at} by "
                f"'{head.signer}': entry {head.seq} "
                + ("is missing" if found is None else "no longer matches its signed hash")
                + " (entries were deleted or changed and the chain rebuilt)"
            )
        latest = head
    changed = tuple(replayed(session, latest)) if latest is not None else ()
    return SignatureReport(
        True,
        unsigned,
        tuple(bad),
        rewrite,
        changed,
        entries,
        covered=latest.seq if latest else 0,
        covered_at=latest.signed_at if latest else None,
    )
