"""Server accounts: passwords, sign-in, devices and bearer tokens.

An account is a ``users`` row (role and team, as on a laptop) plus an Argon2id hash of its
password in ``credentials``. Signing in names a device (a laptop): the token returned is bound
to a ``devices`` row and kept only as its SHA-256, so a copy of the database signs nobody in.
Tokens expire (``TOKEN_HOURS``) and die with their device; disabling a user revokes every
device of theirs in the same transaction, so their next request is refused.

Repeated failures are slowed per account name and per address: after ``FREE_FAILURES`` in
``WINDOW`` each further attempt must wait twice as long as the last (capped), and is refused
with the wait (HTTP 429) without checking the password. Every failure is audited with the
address and the count, never the name typed when it matches no account (it may be anything a
user typed into the wrong box, a child's name included).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from cse_screen.errors import PermissionDenied, UserError, WrongPassword
from cse_screen.storage.models import Credential, Device, SignInFailure, Token, User
from cse_screen.storage.records import UserRecord
from cse_screen.storage.services import audit
from cse_screen.storage.services.context import ServiceContext
from cse_screen.storage.services.users import user_record
from cse_screen.storage.usernames import normalise_user

#: How long a token lasts: a working day, so a lost laptop's token dies by the next morning
#: even if nobody revokes it; the laptop signs in again each day.
TOKEN_HOURS = 12
WINDOW = timedelta(minutes=15)
FREE_FAILURES = 5
MAX_WAIT_SECONDS = 900
MIN_PASSWORD = 10


def hasher() -> PasswordHasher:
    """Argon2id at argon2-cffi's RFC 9106 low-memory profile (64 MiB, 3 passes): a sign-in is
    a server-side cost paid per request burst, not per unlock as on the laptop.
    ``CSE_SCREEN_KDF=test`` selects a cheap setting for the test suite only."""
    if os.environ.get("CSE_SCREEN_KDF", "").strip().lower() == "test":
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


#: Verified against when the account does not exist, so a wrong name costs as long as a
#: wrong password and the timing tells nobody which names exist.
_DUMMY = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("no such account")


class TooManyAttempts(UserError):
    """Sign-in refused without checking the password: too many recent failures."""

    def __init__(self, wait_seconds: int) -> None:
        super().__init__(
            f"too many failed sign-ins from this account or address; try again in "
            f"{wait_seconds} seconds"
        )
        self.wait_seconds = wait_seconds


class TokenExpired(PermissionDenied):
    """A token that was good and has run out: signing in again is the remedy (unlike a
    revoked one, whose device or user was stopped on purpose)."""


@dataclass(frozen=True)
class Caller:
    """Who is calling: the account (as the services see it) and the device it signed in on."""

    user: UserRecord
    device_id: int
    device_public_id: str


@dataclass(frozen=True)
class SignedIn:
    token: str
    expires_at: datetime
    device_public_id: str
    user: UserRecord


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def server_user(row: User) -> UserRecord:
    """The account as the services see it: the server's administrator sees counts only."""
    record = user_record(row)
    return replace(record, counts_only=record.role == "admin")


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"a server password needs at least {MIN_PASSWORD} characters")


def set_password(session: Session, user_id: int, password: str, now: datetime) -> None:
    check_password_strength(password)
    digest = hasher().hash(password)
    row = session.get(Credential, user_id)
    if row is None:
        session.add(Credential(user_id=user_id, password_hash=digest, changed_at=now))
    else:
        row.password_hash, row.changed_at = digest, now


def _wait_needed(
    session: Session, column: InstrumentedAttribute[str], value: str, now: datetime
) -> int:
    """Seconds still to wait before another attempt for this account name or address."""
    since = now - WINDOW
    count, last = session.execute(
        select(func.count(), func.max(SignInFailure.at)).where(
            column == value, SignInFailure.at >= since
        )
    ).one()
    if not count or count < FREE_FAILURES:
        return 0
    wait = min(2 ** (count - FREE_FAILURES + 1), MAX_WAIT_SECONDS)
    left = (last + timedelta(seconds=wait) - now).total_seconds()
    return max(0, int(left + 0.999))


def _check_throttle(session: Session, name: str, address: str, now: datetime) -> None:
    wait = max(
        _wait_needed(session, SignInFailure.account, name, now),
        _wait_needed(session, SignInFailure.address, address, now),
    )
    if wait:
        raise TooManyAttempts(wait)


def verify_password(row: Credential | None, password: str) -> bool:
    try:
        if row is None:
            hasher().verify(_DUMMY, password)
            return False
        return bool(hasher().verify(row.password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def record_failure(session: Session, ctx: ServiceContext, name: str, address: str) -> None:
    """Count and audit one failure (the caller commits it even though sign-in fails)."""
    now = ctx.now()
    session.add(SignInFailure(account=name[:64], address=address[:64], at=now))
    session.flush()
    known = session.scalar(select(User.id).where(User.name == name)) is not None
    recent = session.scalar(
        select(func.count()).where(
            SignInFailure.address == address, SignInFailure.at >= now - WINDOW
        )
    )
    detail = {"address": address, "recent_failures_from_address": int(recent or 0)}
    audit.append(
        session, ctx, audit.LOGIN_FAILED, "account", None, detail, actor=name if known else "-"
    )


def sign_in(
    session: Session,
    ctx: ServiceContext,
    name: str,
    password: str,
    device_label: str,
    address: str,
) -> SignedIn:
    """Check the password and issue a token on a new device record, or raise WrongPassword
    (after :func:`record_failure`, which the caller must commit) or TooManyAttempts."""
    name = normalise_user(name.strip())
    now = ctx.now()
    _check_throttle(session, name, address, now)
    row = session.scalar(select(User).where(User.name == name))
    credential = session.get(Credential, row.id) if row is not None else None
    if not verify_password(credential, password) or row is None or not row.active:
        raise WrongPassword("unknown user name or wrong password")
    device = Device(user_id=row.id, label=device_label.strip()[:100] or "unnamed", created_at=now)
    session.add(device)
    session.flush()
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=TOKEN_HOURS)
    session.add(
        Token(
            token_hash=token_digest(token), device_id=device.id, issued_at=now, expires_at=expires
        )
    )
    user = server_user(row)
    detail = {"device": device.public_id, "address": address}
    audit.append(session, replace(ctx, user=user), audit.LOGIN, "device", device.public_id, detail)
    return SignedIn(token, expires, device.public_id, user)


def authenticate(session: Session, token: str, now: datetime) -> Caller:
    """The caller behind a bearer token, or PermissionDenied (expired, revoked, disabled)."""
    found = session.execute(
        select(Token, Device, User)
        .join(Device, Device.id == Token.device_id)
        .join(User, User.id == Device.user_id)
        .where(Token.token_hash == token_digest(token))
    ).first()
    if found is None:
        raise PermissionDenied("the sign-in token is not known; sign in again")
    tok, device, user = found
    if tok.revoked_at is not None or device.revoked_at is not None or not user.active:
        raise PermissionDenied("the sign-in token was revoked; sign in again")
    if tok.expires_at <= now:
        raise TokenExpired("the sign-in token has expired; sign in again")
    if device.last_seen_at is None or now - device.last_seen_at > timedelta(minutes=5):
        device.last_seen_at = now  # coarse, so reads do not all write
    return Caller(server_user(user), device.id, device.public_id)


def revoke_device(session: Session, device_id: int, now: datetime) -> None:
    session.execute(
        update(Device)
        .where(Device.id == device_id, Device.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.execute(
        update(Token)
        .where(Token.device_id == device_id, Token.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def revoke_all_devices(session: Session, user_id: int, now: datetime) -> int:
    """Revoke every device (and so every token) of a user; returns how many were live."""
    live = list(
        session.scalars(
            select(Device.id).where(Device.user_id == user_id, Device.revoked_at.is_(None))
        )
    )
    for device_id in live:
        revoke_device(session, device_id, now)
    return len(live)
