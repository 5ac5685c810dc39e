"""One sync: push the outbox, then pull every change after the cursor.

Push before pull, so the server's answer to this laptop's own work comes back in the same
sync. Every step that writes locally is one transaction of the encrypted database: the
outcome of a pushed batch, and each pulled page together with the cursor that follows it, so
a sync killed at any moment leaves the laptop where a later sync can carry on, with nothing
doubled and nothing lost. Only the server's sequence decides what is new; the laptop's clock is
used for nothing but showing when the last sync happened.
"""

from __future__ import annotations

import platform
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cse_screen.storage.models import Child, Event, OutboxEntry, Screening, SyncState
from cse_screen.storage.services import audit, changes
from cse_screen.storage.services.context import ServiceContext
from cse_screen.sync import audit_upload, replica, scope, state
from cse_screen.sync.client import AccessRefused, Client, Resync, Server, certificate_fingerprint

PUSH_BATCH = 100
PULL_PAGE = 500
SYNC = "sync"


@dataclass
class Outcome:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    waiting: int = 0
    refused: int = 0
    #: Records removed because the server no longer shows them to this user.
    removed: int = 0
    #: Children the server no longer shows this user, kept for a draft or an unpushed change.
    kept: list[dict[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "pushed": self.pushed,
            "pulled": self.pulled,
            "conflicts": self.conflicts,
            "waiting": self.waiting,
        }
        if self.removed:
            found["removed"] = self.removed
        if self.kept:
            found["kept"] = self.kept
        return found


def device_label() -> str:
    """How the server's administrator recognises this laptop among a user's devices."""
    return f"cse-screen on {platform.node() or 'a laptop'}"[:100]


def sign_in(server: Server, user: str, password: str) -> dict[str, Any]:
    with Client(server) as http:
        body = {"user": user, "password": password, "device": device_label()}
        return http.call("POST", "/sign-in", json=body)


def enrol(ctx: ServiceContext, server: Server, signed_in: dict[str, Any]) -> None:
    """Write the enrolment (server, pinned certificate, token, the account's role)."""
    with ctx.transaction() as session:
        state.enrol(session, server, ctx.user.name, signed_in, ctx.now())
        queued = _queue_existing(session, ctx)
        detail = {"server": server.url, "device": signed_in["device"], "queued": queued}
        audit.append(session, ctx, "enrol", "sync", None, detail)


def _queue_existing(session: Session, ctx: ServiceContext) -> int:
    """A database that held records before it was enrolled sends them at its first sync: its
    children, their events and their decided screenings go into the outbox as if just made.
    Until the server accepts them they are held, so the check after the pull never removes
    them as records the server does not have."""
    queued = 0
    for entity, model, action in (
        ("child", Child, audit.CREATE),
        ("event", Event, audit.CREATE),
        ("screening", Screening, audit.SUBMIT),
    ):
        stmt = select(model.id).order_by(model.id)
        if model is Screening:
            stmt = stmt.where(Screening.status.not_in(("draft",)))
        for row_id in list(session.scalars(stmt)):
            changes.queue_change(session, ctx, action, entity, row_id, {})
            queued += 1
    return queued


def _session_client(ctx: ServiceContext, row: SyncState, password: str) -> Client:
    """A client with a live token: the one kept, or (only if it ran out) a new sign-in."""
    server = state.server_of(row)
    client = Client(server, row.token)
    try:
        account = client.call("GET", "/me")
    except AccessRefused as refused:
        client.close()
        if not refused.expired:
            raise
        signed_in = sign_in(server, row.server_user, password)
        with ctx.transaction() as session:
            state.keep_token(session, signed_in)
        client = Client(server, str(signed_in["token"]))
        account = signed_in["user"]
    with ctx.transaction() as session:
        if state.take_account(session, ctx.user.name, account):
            detail = {"role": account.get("role"), "team": account.get("team")}
            audit.append(session, ctx, audit.CHANGE, "user", ctx.user.id, detail)
    return client


def _push(ctx: ServiceContext, client: Client, outcome: Outcome) -> None:
    after = 0
    while True:
        with ctx.reading() as session:
            batch = list(
                session.scalars(
                    select(OutboxEntry)
                    .where(OutboxEntry.state.in_(state.WAITING), OutboxEntry.seq > after)
                    .order_by(OutboxEntry.seq)
                    .limit(PUSH_BATCH)
                )
            )
        if not batch:
            return
        after = batch[-1].seq
        changes = [{"id": e.change_id, "kind": e.kind, "payload": e.payload} for e in batch]
        answer = client.call("POST", "/sync/push", json={"changes": changes})
        _record_push(ctx, answer.get("results") or [], outcome)


def _record_push(ctx: ServiceContext, results: list[dict[str, Any]], outcome: Outcome) -> None:
    """What the server said about each change: applied ones leave the outbox, refused ones
    stay with the server's sentence (they are never dropped)."""
    with ctx.transaction() as session:
        for result in results:
            entry = session.scalar(
                select(OutboxEntry).where(OutboxEntry.change_id == str(result.get("id")))
            )
            if entry is None:
                continue
            if result.get("status") == "applied":
                session.delete(entry)
                outcome.pushed += 1
            else:
                entry.state = "refused"
                entry.error = str(result.get("message") or result.get("code") or "refused")[:1000]
                outcome.refused += 1


#: Told after each pulled page is stored: (pages so far, records received so far).
PageFn = Callable[[int, int], None]


def _pull(
    ctx: ServiceContext,
    client: Client,
    outcome: Outcome,
    resynced: bool = False,
    on_page: PageFn | None = None,
) -> bool:
    """Every page after the cursor; True if the server asked for (and got) a full read."""
    pages = 0
    while True:
        row = state.required(ctx)
        params = {"after": row.cursor, "limit": PULL_PAGE, "epoch": row.epoch or ""}
        try:
            page = client.call("GET", "/sync/pull", params=params)
        except Resync as again:
            if resynced:
                raise
            resynced = True
            _restart(ctx, again.epoch, "the server did not know this laptop's cursor")
            continue
        _store_page(ctx, page, outcome)
        pages += 1
        if on_page:
            on_page(pages, outcome.pulled)
        if not page.get("more"):
            return resynced


def _pull_verified(
    ctx: ServiceContext, client: Client, outcome: Outcome, on_page: PageFn | None = None
) -> None:
    """Pull, then check the copy against the server's: a drifted copy is read again in full
    once; what the server no longer shows this user is removed only once nothing is missing."""
    resynced = _pull(ctx, client, outcome, on_page=on_page)
    found = scope.compare(ctx, client)
    if found.missing():
        if resynced:
            raise scope.mismatch(client.server.url, found.missing())
        row = state.required(ctx)
        _restart(ctx, row.epoch or "", "this laptop lacked records the server shows it")
        _pull(ctx, client, outcome, resynced=True, on_page=on_page)
        found = scope.compare(ctx, client)
        if found.missing():
            raise scope.mismatch(client.server.url, found.missing())
    removal = scope.remove_extras(ctx, found)
    outcome.removed += removal.removed
    outcome.kept = removal.kept


def _restart(ctx: ServiceContext, epoch: str, why: str) -> None:
    """Read everything again from the start of the server's sequence; the outbox stays (its
    changes still go, and records with waiting changes are not overwritten)."""
    with ctx.transaction() as session:
        row = session.get(SyncState, 1)
        assert row is not None
        detail = {"from_cursor": row.cursor, "epoch": epoch, "why": why}
        row.cursor, row.epoch = 0, epoch or None
        audit.append(session, ctx, "resync", "sync", None, detail)


def _store_page(ctx: ServiceContext, page: dict[str, Any], outcome: Outcome) -> None:
    """One page of pulled records and the cursor after it, in one transaction."""
    with ctx.transaction() as session:
        now = ctx.now()
        for change in page.get("changes") or []:
            if replica.apply(session, change, now):
                outcome.pulled += 1
        row = session.get(SyncState, 1)
        assert row is not None
        row.cursor = int(page.get("cursor") or row.cursor)
        row.epoch = str(page.get("epoch") or row.epoch or "") or None


def sync(
    ctx: ServiceContext,
    password: str,
    progress: Callable[[str], None] | None = None,
    on_page: PageFn | None = None,
) -> Outcome:
    """Push, send the audit trail, then pull; the server refusing the user or device (exit 3)
    or not answering (exit 5) leaves every local record and the outbox as they were, and a
    trail the server finds rewritten (exit 4) stops the sync before the pull. ``on_page`` hears
    of each pulled page (the app shows a first pull's progress with it)."""
    row = state.required(ctx)
    if row.server_user != ctx.user.name:
        raise AccessRefused(
            f"this database is enrolled with {row.server_url} for '{row.server_user}'; "
            f"'{ctx.user.name}' cannot sync it"
        )
    fingerprint = certificate_fingerprint(state.server_of(row))
    outcome = Outcome()
    with _session_client(ctx, row, password) as client:
        if progress:
            progress("pushing")
        _push(ctx, client, outcome)
        if progress:
            progress("sending the audit trail")
        audit_upload.upload(ctx, client)  # a trail rewritten here is refused: exit 4, no pull
        if progress:
            progress("pulling")
        _pull_verified(ctx, client, outcome, on_page)
    with ctx.transaction() as session:
        done = session.get(SyncState, 1)
        assert done is not None
        done.last_sync = ctx.now()
        if not done.fingerprint:
            done.fingerprint = fingerprint
        outcome.waiting = state.waiting(session)
        audit.append(session, ctx, SYNC, "sync", None, outcome.as_json())
    return outcome


def status(ctx: ServiceContext) -> dict[str, Any]:
    row = state.required(ctx)
    with ctx.reading() as session:
        waiting = state.waiting(session)
    last = row.last_sync.isoformat(timespec="seconds") + "Z" if row.last_sync else None
    return {"server": row.server_url, "last_sync": last, "waiting": waiting, "conflicts": 0}
