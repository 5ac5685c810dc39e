"""What the desktop app asks of sync: enrol a new laptop, sync with the sign-in it has, and
say in one sentence how a sync ended.

Qt-free, like the rest of the package: the app calls these from its worker threads and shows
their sentences; the rules (what counts as offline, when the user must sign in again) are here,
where they are tested without a window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cse_screen.errors import ServerUnreachable, UserError
from cse_screen.storage.services.context import ServiceContext
from cse_screen.sync import run, state
from cse_screen.sync.client import (
    AccessRefused,
    CertificateRefused,
    Server,
    certificate_fingerprint,
    server_url,
)

if TYPE_CHECKING:
    from cse_screen.vault.store import Store

#: How often the app syncs by itself while the database is open (seconds).
BACKGROUND_INTERVAL_S = 5 * 60


class SignInNeeded(UserError):
    """The device token ran out and the app holds no password to sign in again with."""


def read_ca_file(path: Path) -> str:
    """The CA certificate file's PEM text, or the one sentence saying what is wrong with it."""
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise UserError(f"the CA certificate file {path} does not exist") from None
    except (OSError, UnicodeDecodeError):
        raise UserError(f"the CA certificate file {path} cannot be read as PEM text") from None
    if "-----BEGIN CERTIFICATE-----" not in text:
        raise UserError(f"the CA certificate file {path} holds no PEM certificate")
    return text


def checked_server(address: str, ca_pem: str) -> Server:
    """The server at ``address`` with its certificate checked and its fingerprint taken: a
    plain http:// address is refused (exit 2), a certificate that does not chain to ``ca_pem``
    or a server that does not answer (exit 5) before anything is sent or created."""
    url = server_url(address)
    return Server(url, ca_pem, certificate_fingerprint(Server(url, ca_pem)))


@dataclass
class Enrolled:
    """A new laptop's database, open, and how its first sync went."""

    store: Store
    outcome: run.Outcome | None
    #: The sentence of a first sync that did not finish (the database is enrolled anyway and
    #: the next sync carries on from where this one stopped).
    problem: str | None = None


def enrol_new(
    db_path: Path,
    server: Server,
    user: str,
    password: str,
    recovery: bytes | None = None,
    on_page: run.PageFn | None = None,
) -> Enrolled:
    """Sign in, create the encrypted database (keyed by the same password), enrol it and pull
    the caseload. A wrong password (exit 3) creates nothing; an existing database is refused,
    never overwritten."""
    from cse_screen.vault.store import Store

    signed_in = run.sign_in(server, user, password)
    team = signed_in["user"].get("team")
    with Store.create(db_path, user, password, recovery_public_key=recovery, team=team) as store:
        run.enrol(store.context, server, signed_in)
    store = Store.open(db_path, user, password)  # now with the role the server gave
    try:
        outcome = run.sync(store.context, password, on_page=on_page)
    except UserError as exc:
        return Enrolled(store, None, exc.message)
    except BaseException:
        store.close()
        raise
    return Enrolled(store, outcome)


def sync_now(
    ctx: ServiceContext, password: str | None, on_page: run.PageFn | None = None
) -> run.Outcome:
    """One sync. Without a password (the app keeps none) a device token that has run out is
    :class:`SignInNeeded`, asked for before anything is sent."""
    row = state.required(ctx)
    if password is None:
        if _expired(row.token_expires, ctx.now()):
            raise SignInNeeded(
                f"your sign-in to the team server at {row.server_url} has run out; choose "
                "Sync now and type your password to sign in again"
            )
        password = ""  # the kept token is used; a sign-in is only made when it ran out
    return run.sync(ctx, password, on_page=on_page)


def _expired(expires: datetime | None, now: datetime) -> bool:
    if expires is None:
        return False
    stamp = expires.replace(tzinfo=None) if expires.tzinfo else expires
    moment = now.replace(tzinfo=None) if now.tzinfo else now
    return stamp <= moment


def overview(ctx: ServiceContext) -> dict[str, Any] | None:
    """What the status bar shows (``sync status --json``'s object); None when standalone."""
    if state.read(ctx) is None:
        return None
    return run.status(ctx)


def is_offline(exc: BaseException) -> bool:
    """Whether a failed sync only means the server did not answer: normal for a laptop, shown
    as "Offline", not as an error. A refused certificate is not offline: it is a warning."""
    return isinstance(exc, ServerUnreachable) and not isinstance(exc, CertificateRefused)


def is_refusal(exc: BaseException) -> bool:
    """The server refused this user or device: the user must act (or ask their lead)."""
    return isinstance(exc, AccessRefused)
