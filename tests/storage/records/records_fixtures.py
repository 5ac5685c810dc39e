"""Helpers for the records tests: real encrypted databases with a small council in them.

North team: lead ``lena`` (lead), workers ``wes`` and ``wynn``; South team: lead ``sam``,
worker ``sue``; administrator ``ada``. Children: N1 and N2 allocated to wes, N3 to wynn,
S1 to sue.

The same council is built on the encrypted local file (:class:`FileCouncil`) and on PostgreSQL
(:class:`ServerCouncil`); both hand out the same record services.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, event, text

from cse_screen.core.model import Questionnaire
from cse_screen.server.database import apply_scope
from cse_screen.storage.engines import postgresql_engine
from cse_screen.storage.records import ChildInput, UserRecord
from cse_screen.storage.services import audit
from cse_screen.storage.services.context import utc_now
from cse_screen.storage.services.users import insert_user
from cse_screen.storage.signed_in import SignedIn, context_for, load_user, placeholder_user
from cse_screen.vault.store import Store

#: The engines the record services run on: the local encrypted file, and the team server's.
ENGINE_KINDS = ("sqlcipher", "postgresql")
#: PostgreSQL with the policies forced and each transaction scoped as the server scopes it.
SCOPED = "postgresql-scoped"
PASSWORD = 'pässword "quoted" @/:'
ADMIN = "ada"
PEOPLE = {
    "lena": ("lead", "North"),
    "wes": ("worker", "North"),
    "wynn": ("worker", "North"),
    "sam": ("lead", "South"),
    "sue": ("worker", "South"),
}
CHILDREN = {
    "N1": ("Amelia Ashdown", dt.date(2012, 5, 1), "wes"),
    "N2": ("Tyler Brereton", dt.date(2015, 2, 3), "wes"),
    "N3": ("Jade Coldharbour", dt.date(2010, 9, 9), "wynn"),
    "S1": ("Kian Dunmore", dt.date(2011, 1, 20), "sue"),
}


def complete_answers(q: Questionnaire, **chosen: str) -> dict[str, str]:
    """Every item answered absent ("none"/"no"), with ``chosen`` items overriding."""
    answers = {i.id: ("no" if "no" in i.values else "none") for i in q.items}
    answers.update(chosen)
    return answers


class Council:
    """The small council on one engine; ``open`` signs a user in and returns their services."""

    kind: str
    ids: dict[str, int]

    def open(self, user: str = ADMIN) -> SignedIn:
        raise NotImplementedError

    def screen(
        self,
        user: str,
        ref: str,
        q: Questionnaire,
        answers: Mapping[str, str],
        day: dt.date | None = None,
        submit: bool = True,
    ) -> int:
        store = self.open(user)
        draft = store.screenings.start_draft(self.ids[ref], q, screen_date=day)
        store.screenings.save_answers(draft.id, answers)
        if submit:
            store.screenings.submit(draft.id)
        return draft.id

    def verify_ok(self, store: SignedIn) -> bool:
        """The audit chain is intact (and, for the local file, its pages and structure too)."""
        return store.audit.verify().ok

    def close(self) -> None:
        raise NotImplementedError


@dataclass
class FileCouncil(Council):
    """On the encrypted local file, opened the way the app and the command line open it."""

    path: Path
    ids: dict[str, int] = field(default_factory=dict)
    kind: str = "sqlcipher"
    _open: list[Store] = field(default_factory=list)

    def open(self, user: str = ADMIN) -> Store:
        store = Store.open(self.path, user, PASSWORD)
        self._open.append(store)
        return store

    def verify_ok(self, store: SignedIn) -> bool:
        assert isinstance(store, Store)
        return store.verify().ok

    def close(self) -> None:
        for store in self._open:
            store.close()


class AccountPasswords:
    """Where passwords go on PostgreSQL, for these tests: the record services only need a
    :class:`~cse_screen.storage.services.users.Keyring`; on the team server the accounts
    (Argon2id hashes) are that keyring, and the password checks are tested with the server."""

    def __init__(self) -> None:
        self.hashes: dict[str, str] = {}

    def users(self) -> list[str]:
        return sorted(self.hashes)

    def add_user(self, user: str, password: str, key: bytes) -> None:
        self.hashes[user] = hashlib.sha256(password.encode()).hexdigest()

    def set_password(self, user: str, new_password: str, key: bytes) -> None:
        if user not in self.hashes:
            raise KeyError(user)
        self.add_user(user, new_password, key)

    def remove_user(self, user: str) -> None:
        self.hashes.pop(user, None)

    def save(self) -> None:
        """Nothing to write: the hashes above stand for rows the server keeps."""

    def record_save(self, session: object) -> None:
        """Nothing to record: on a server the credentials are rows of the same database."""


@dataclass
class ServerCouncil(Council):
    """On PostgreSQL through the same services, as the team server runs them."""

    engine: Engine
    ids: dict[str, int] = field(default_factory=dict)
    kind: str = "postgresql"
    passwords: AccountPasswords = field(default_factory=AccountPasswords)

    def open(self, user: str = ADMIN) -> SignedIn:
        record = load_user(context_for(self.engine, placeholder_user(user)), user)
        signed_in = SignedIn(context_for(self.engine, record), self.passwords, b"")
        signed_in.audit.record(audit.LOGIN, "user", record.id)
        return signed_in

    def copy_at(self, url: str) -> ServerCouncil:
        """The same council in a copy of its database at ``url``."""
        copy = ServerCouncil(postgresql_engine(url), dict(self.ids))
        copy.passwords.hashes = dict(self.passwords.hashes)
        return copy

    def close(self) -> None:
        self.engine.dispose()


@dataclass
class ScopedServerCouncil(ServerCouncil):
    """On PostgreSQL with row-level security forced, each transaction scoped as the team
    server scopes a request (``cse.scope``/``cse.team`` for the signed-in user): the same
    tests, with the policies as a second check under the services' own."""

    kind: str = SCOPED

    @classmethod
    def forced(cls, council: ServerCouncil) -> ScopedServerCouncil:
        """``council``'s database, its policies forced again (the template lifts them)."""
        with council.engine.begin() as connection:
            tables = connection.execute(
                text(
                    "SELECT relname FROM pg_class WHERE relrowsecurity "
                    "AND relnamespace = 'public'::regnamespace"
                )
            ).scalars()
            for table in list(tables):
                connection.execute(text(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY'))
        scoped = cls(council.engine, dict(council.ids))
        scoped.passwords = council.passwords
        return scoped

    def open(self, user: str = ADMIN) -> SignedIn:
        record = load_user(context_for(self.engine, placeholder_user(user)), user)
        context = context_for(self.engine, record)

        def scope(_session: object, _transaction: object, connection: Connection) -> None:
            apply_scope(connection, record)

        event.listen(context.sessions, "after_begin", scope)
        signed_in = SignedIn(context, self.passwords, b"")
        signed_in.audit.record(audit.LOGIN, "user", record.id)
        return signed_in


def _populate(council: Council, admin: SignedIn) -> None:
    for name, (role, team) in PEOPLE.items():
        admin.users.add(name, PASSWORD, role, team=team)
    for ref, (name, dob, worker) in CHILDREN.items():
        record = admin.children.add(ChildInput(ref, name, dob, worker=worker))
        council.ids[ref] = record.id


def build_council(path: Path) -> FileCouncil:
    council = FileCouncil(path)
    with Store.create(path, ADMIN, PASSWORD, full_name="Ada Admin") as admin:
        _populate(council, admin)
    return council


def build_server_council(url: str) -> ServerCouncil:
    """The council in a database already at the schema head; the first administrator is
    enrolled the way a new database gets one (row and ``create database`` entry together)."""
    council = ServerCouncil(postgresql_engine(url))
    first = UserRecord(0, ADMIN, "Ada Admin", "admin", None, True, utc_now())
    ctx = context_for(council.engine, first)
    with ctx.transaction() as session:
        insert_user(session, ctx, ADMIN, "admin", None, "Ada Admin")
        audit.append(session, ctx, audit.CREATE, "database", None, {})
    council.passwords.add_user(ADMIN, PASSWORD, b"")
    _populate(council, council.open())
    return council
