"""The enrolment row and the outbox counts, read and written inside the encrypted database.

The device token lives only here (in ``sync_state``), never in a file, keyring or setting: a
laptop's copy of it is as safe as the children's records beside it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cse_screen.errors import UserError
from cse_screen.storage.models import OutboxEntry, SyncState, User
from cse_screen.storage.services.context import ServiceContext
from cse_screen.sync.client import Server

WAITING = ("pending", "refused")


def read(ctx: ServiceContext) -> SyncState | None:
    with ctx.reading() as session:
        row = session.get(SyncState, 1)
        if row is not None:
            session.expunge(row)
        return row


def required(ctx: ServiceContext) -> SyncState:
    row = read(ctx)
    if row is None:
        raise UserError(
            f"the database {ctx.db_path} is not enrolled with a team server; "
            "run 'cse-screen sync enrol' first"
        )
    return row


def server_of(row: SyncState) -> Server:
    return Server(row.server_url, row.ca_pem, row.fingerprint)


def waiting(session: Session) -> int:
    """Local changes the server does not have yet (pending, or refused and kept)."""
    found = session.scalar(
        select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state.in_(WAITING))
    )
    return int(found or 0)


def enrol(
    session: Session, server: Server, user: str, signed_in: dict[str, Any], now: datetime
) -> None:
    """Record the enrolment and take the account's role and team from the server."""
    if session.get(SyncState, 1) is not None:
        raise UserError("this database is already enrolled with a team server")
    session.add(
        SyncState(
            id=1,
            server_url=server.url,
            ca_pem=server.ca_pem,
            fingerprint=server.fingerprint,
            server_user=user,
            cursor=0,
        )
    )
    session.flush()
    keep_token(session, signed_in)
    take_account(session, user, signed_in["user"])


def keep_token(session: Session, signed_in: dict[str, Any]) -> None:
    row = session.get(SyncState, 1)
    assert row is not None
    row.token = str(signed_in["token"])
    row.device = str(signed_in["device"])
    expires = str(signed_in.get("expires_at", "")).rstrip("Z")
    row.token_expires = datetime.fromisoformat(expires) if expires else None


def take_account(session: Session, name: str, account: dict[str, Any]) -> bool:
    """The local user's role and team as the server has them; True if they changed."""
    row = session.scalar(select(User).where(User.name == name))
    if row is None:
        return False
    role, team = str(account.get("role") or row.role), account.get("team")
    changed = (row.role, row.team) != (role, team)
    row.role, row.team = role, team
    return changed
