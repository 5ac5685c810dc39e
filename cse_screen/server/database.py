"""The team server's PostgreSQL: the URL it is given, the engine, the per-transaction settings.

``--database-url`` is a libpq URL as PostgreSQL's own tools and managed services hand it out
(``postgresql://user:password@host:port/db?sslmode=require``, percent-encoded); SQLAlchemy's
psycopg 3 dialect passes the query (``sslmode``, ``sslrootcert``, ...) on to libpq unchanged.
The password in it never appears in any output: every message names the URL through
:func:`redacted`, and driver errors are reduced to their class, never their text (libpq's
messages can repeat the connection string).

Row-level security reads two settings made per transaction (``set_config(..., true)``, so they
end with it and a pooled connection never carries one request's scope into the next):
``cse.scope`` (``team``: the caller's team; ``all``: every team) and ``cse.team``.
"""

from __future__ import annotations

import os

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from cse_screen.errors import ServerUnreachable, UsageError
from cse_screen.storage.records import UserRecord

URL_ENV = "CSE_SCREEN_DATABASE_URL"
SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")

SET_SCOPE = text(
    "SELECT set_config('cse.scope', :scope, true), set_config('cse.team', :team, true)"
)


def database_url(given: str | None) -> URL:
    """The URL from ``--database-url`` or ``CSE_SCREEN_DATABASE_URL``, for psycopg 3."""
    raw = (given or os.environ.get(URL_ENV, "")).strip()
    if not raw:
        raise UsageError(f"give the team server's database as --database-url URL or in {URL_ENV}")
    try:
        url = make_url(raw)
    except ArgumentError:
        raise UsageError(
            "the database URL is not a libpq URL (postgresql://user:password@host:port/db)"
        ) from None
    if url.drivername not in SCHEMES:
        raise UsageError(f"the database URL must start with postgresql://, not {url.drivername}://")
    if not url.database:
        raise UsageError(f"the database URL {redacted(url)} names no database")
    return url.set(drivername="postgresql+psycopg")


def redacted(url: URL) -> str:
    """The URL as it may be shown: no password."""
    return url.set(password=None).render_as_string(hide_password=True)


def open_engine(url: URL, *, pool_size: int = 10) -> Engine:
    """An engine on the server's database (checked connections: a database restarted under a
    long-running server is reconnected to, not reported as broken for every pooled link)."""
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_timeout=10,
        connect_args={"connect_timeout": 5, "application_name": "cse-screen server"},
    )


def unreachable(url: URL) -> ServerUnreachable:
    """The one sentence for a database that did not answer (no driver text: it may hold the
    password)."""
    where = f"{url.host or 'localhost'}:{url.port or 5432}/{url.database}"
    return ServerUnreachable(
        f"the team server's database at {where} could not be reached or refused the "
        "connection; check that PostgreSQL is running, the URL and its password"
    )


def scope_of(user: UserRecord, *, counting: bool = False) -> tuple[str, str]:
    """(cse.scope, cse.team) for a caller: what row-level security lets them read and change.

    Workers and leads read their team (the services narrow a worker to their caseload);
    managers read every team; an administrator reads no child's record, except when
    ``counting`` (the statistics, which show counts only). Everyone changes only their team.
    """
    team = user.team or ""
    if user.role == "manager" or (user.role == "admin" and counting):
        return "all", team
    if user.role == "admin":
        return "", team
    return "team", team


def apply_scope(connection: Connection, user: UserRecord, *, counting: bool = False) -> None:
    """Set the caller's row-level security settings for the current transaction only."""
    scope, team = scope_of(user, counting=counting)
    connection.execute(SET_SCOPE, {"scope": scope, "team": team})
