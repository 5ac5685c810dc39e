"""Users: enrolment, roles, teams and passwords.

A user exists twice: a row in the database (name, role, team) and a keyslot in the sidecar file
(their password's copy of the database key). Enrolment writes both; the sidecar is saved inside
the database transaction, so a failure of either leaves neither. The sidecar is whatever
:class:`Keyring` the opener hands in (the vault's keyslot file on a laptop).
"""

from __future__ import annotations

import re
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cse_screen.core.passwords import require_strong_password
from cse_screen.errors import KeyslotConflict, NotFound, ValidationFailed
from cse_screen.storage.models import User
from cse_screen.storage.records import ROLES, UserRecord
from cse_screen.storage.services import audit, roles, signatures
from cse_screen.storage.services.context import ServiceContext
from cse_screen.storage.usernames import normalise_user

_NAME = re.compile(r"^[\w.@-]{1,64}$")


class Keyring(Protocol):
    """Where each user's password unwraps the database key (the vault's keyslot file)."""

    def users(self) -> list[str]: ...

    def add_user(self, user: str, password: str, key: bytes) -> None: ...

    def set_password(self, user: str, new_password: str, key: bytes) -> None: ...

    def remove_user(self, user: str) -> None: ...

    def save(self) -> None: ...

    def record_save(self, session: Session) -> None:
        """Note in the caller's transaction what the database must remember of the save just
        made (the vault records the keyslot file's new epoch, so an older copy is refused)."""
        ...


def user_record(row: User) -> UserRecord:
    return UserRecord(
        id=row.id,
        name=row.name,
        full_name=row.full_name,
        role=row.role,
        team=row.team,
        active=row.active,
        created_at=row.created_at,
        public_id=row.public_id,
    )


def check_name(name: str) -> str:
    name = normalise_user(name.strip())
    if not _NAME.match(name):
        raise ValidationFailed(
            "a user name is 1 to 64 letters, digits, dots, dashes, underscores or @, with no spaces"
        )
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationFailed(f"unknown role '{role}'; use one of {', '.join(ROLES)}")
    return role


def insert_user(
    session: Session,
    ctx: ServiceContext,
    name: str,
    role: str,
    team: str | None,
    full_name: str | None,
) -> User:
    """The database half of enrolment (the caller handles the keyslot)."""
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise ValidationFailed(f"a user named '{name}' already exists")
    row = User(
        name=name,
        full_name=(full_name or "").strip() or None,
        role=check_role(role),
        team=(team or "").strip() or None,
        active=True,
        created_at=ctx.now(),
    )
    session.add(row)
    session.flush()
    audit.append(
        session,
        ctx,
        audit.CREATE,
        "user",
        row.id,
        {
            "name": name,
            "role": role,
            "team": row.team,
        },
    )
    signed_change(session, ctx, row, None)  # the caller grants the key with the keyslot
    return row


def signed_change(session: Session, ctx: ServiceContext, row: User, admin: bool | None) -> None:
    """Sign the changed record and the head that now follows its audit entry; give the signing
    key to a new administrator (``admin`` True) or take it from a former one (False)."""
    signatures.sign_user(session, ctx, row)
    signatures.sign_head(session, ctx, signatures.CHANGE)
    if admin is not None and ctx.signer is not None:
        ctx.signer.admin_changed(row.name, admin)


class UsersService:
    def __init__(self, ctx: ServiceContext, keyslots: Keyring, key: bytes) -> None:
        self._ctx = ctx
        self._keyslots = keyslots
        self._key = key

    def add(
        self,
        name: str,
        password: str,
        role: str,
        *,
        team: str | None = None,
        full_name: str | None = None,
    ) -> UserRecord:
        """Enrol a user (administrators only). A lead without a team leads the children that
        have no team (a council that does not use teams)."""
        roles.require_role(self._ctx, ("admin",), "add users", "user")
        name = check_name(name)
        with self._ctx.transaction() as session:
            row = insert_user(session, self._ctx, name, role, team, full_name)
            require_strong_password(password, (name, full_name or ""), name)
            self._keyslots.add_user(name, password, self._key)
            try:
                self._keyslots.save()
            except KeyslotConflict:
                raise  # the file was read again as it now is: there is nothing to undo
            except BaseException:
                self._keyslots.remove_user(name)
                raise
            self._keyslots.record_save(session)
            return user_record(row)

    def set_password(self, name: str, new_password: str) -> None:
        """Change a password: your own, or anyone's if you are an administrator."""
        name = normalise_user(name)
        if name != self._ctx.user.name:
            roles.require_role(self._ctx, ("admin",), "change other users' passwords", "user")
        with self._ctx.transaction() as session:
            row = self._row(session, name)
            self._keyslots.set_password(name, new_password, self._key)
            if name != self._ctx.user.name and row.role == "admin" and self._ctx.signer:
                self._ctx.signer.admin_changed(name, True)  # their new slot needs the key again
            self._keyslots.save()
            self._keyslots.record_save(session)
            audit.append(session, self._ctx, audit.CHANGE, "user", row.id, {"password": "changed"})

    def update(
        self,
        name: str,
        *,
        role: str | None = None,
        team: str | None = None,
        full_name: str | None = None,
    ) -> UserRecord:
        """Change a user's role, team or full name (administrators only)."""
        roles.require_role(self._ctx, ("admin",), "change users", "user")
        with self._ctx.transaction() as session:
            row = self._row(session, normalise_user(name))
            diff: dict[str, list[str | None]] = {}
            for field, value in (("role", role), ("team", team), ("full_name", full_name)):
                if value is None or value == getattr(row, field):
                    continue
                if field == "role":
                    check_role(value)
                    if row.role == "admin":
                        _require_another_admin(session, row, "change the role of")
                diff[field] = [getattr(row, field), value]
                setattr(row, field, value)
            if diff:
                audit.append(session, self._ctx, audit.CHANGE, "user", row.id, diff)
            if "role" in diff or "team" in diff:
                admin = row.role == "admin" and row.active if "role" in diff else None
                signed_change(session, self._ctx, row, admin)
            return user_record(row)

    def deactivate(self, name: str) -> UserRecord:
        """Stop a user signing in (their keyslot is removed; their history stays).

        On a laptop this alone does not revoke anything the user already holds (an old copy
        of the keyslot file still opens the same key): the vault's ``Store.disable_user`` runs
        the same rule inside a re-key, and the command line and the app call that."""
        name = require_can_deactivate(self._ctx, name)
        with self._ctx.transaction() as session:
            row = deactivate_row(session, self._ctx, name)
            if name in self._keyslots.users():
                self._keyslots.remove_user(name)
                self._keyslots.save()
                self._keyslots.record_save(session)
            # Removing the slot dropped its box and any grant with it: no second save.
            signed_change(session, self._ctx, row, None)
            return user_record(row)

    def reactivate(self, name: str, password: str) -> UserRecord:
        """Let a deactivated user sign in again (administrators only).

        Deactivation removed their keyslot, so they come back with the new ``password`` the
        administrator sets; the keyslot file is saved inside the transaction, so a failure of
        either leaves neither.
        """
        roles.require_role(self._ctx, ("admin",), "reactivate users", "user")
        name = normalise_user(name)
        with self._ctx.transaction() as session:
            row = self._row(session, name)
            if row.active:
                raise ValidationFailed(f"user '{name}' is already active")
            row.active = True
            detail = {"active": [False, True], "password": "set by an administrator"}
            audit.append(session, self._ctx, audit.CHANGE, "user", row.id, detail)
            if name in self._keyslots.users():  # a slot left behind by an older version
                self._keyslots.remove_user(name)
            self._keyslots.add_user(name, password, self._key)
            signed_change(session, self._ctx, row, row.role == "admin")
            if row.role == "admin" and self._ctx.signer is not None:
                self._ctx.signer.admin_changed(name, True)
            try:
                self._keyslots.save()
            except KeyslotConflict:
                raise  # the file was read again as it now is: there is nothing to undo
            except BaseException:
                self._keyslots.remove_user(name)
                raise
            self._keyslots.record_save(session)
            return user_record(row)

    def resign(self, name: str) -> UserRecord:
        """Sign a user's record again as it now is, after an administrator has checked it
        (administrators holding the signing key; audited with what was vouched for).

        For a record ``verify`` reports as not validly signed: whatever was changed outside
        the application is accepted as it stands, so check the role, team and state first."""
        roles.require_role(self._ctx, ("admin",), "re-sign users", "user")
        with self._ctx.transaction() as session:
            row = self._row(session, normalise_user(name))
            if signatures.public_key(session) is None:
                raise ValidationFailed("this database has no signing key yet; nothing to re-sign")
            detail = {"role": row.role, "team": row.team, "active": bool(row.active)}
            audit.append(session, self._ctx, signatures.RESIGNED, "user", row.id, detail)
            signed_change(session, self._ctx, row, row.role == "admin" and bool(row.active))
            return user_record(row)

    def roster(self) -> list[UserRecord]:
        """Every user, active or not, for the user management page (administrators only).

        Unlike :meth:`list`, which narrows to what each role may see, this refuses anyone but
        an administrator, so a page built on it cannot show a partial list as if complete.
        """
        roles.require_role(self._ctx, ("admin",), "manage users", "user")
        with self._ctx.reading() as session:
            rows = session.scalars(select(User).order_by(User.name))
            return [user_record(r) for r in rows]

    def get(self, name: str) -> UserRecord:
        """One user's details, within the scope of :meth:`list`; anyone else reads as absent."""
        name = normalise_user(name)
        with self._ctx.reading() as session:
            row = self._row(session, name)
            if not roles.can_see_user(self._ctx.user, row.team, row.name):
                roles.hide(self._ctx, "view", "user", row.id, f"there is no user named '{name}'")
            return user_record(row)

    def list(self) -> list[UserRecord]:
        """Everyone for an administrator, the team for a lead, yourself for a worker."""
        stmt = select(User).order_by(User.name)
        user = self._ctx.user
        if user.role == "lead":
            stmt = stmt.where(User.team == user.team)
        elif user.role == "worker":
            stmt = stmt.where(User.name == user.name)
        with self._ctx.reading() as session:
            return [user_record(r) for r in session.scalars(stmt)]

    @staticmethod
    def _row(session: Session, name: str) -> User:
        row = session.scalar(select(User).where(User.name == name))
        if row is None:
            raise NotFound(f"there is no user named '{name}'")
        return row


def require_can_deactivate(ctx: ServiceContext, name: str) -> str:
    """The checks made before any transaction (a refusal is audited in its own): only an
    administrator deactivates, and never the account signed in. Returns the normalised name."""
    roles.require_role(ctx, ("admin",), "deactivate users", "user")
    name = normalise_user(name)
    if name == ctx.user.name:
        raise ValidationFailed("you cannot deactivate the account you are signed in with")
    return name


def deactivate_row(session: Session, ctx: ServiceContext, name: str) -> User:
    """The database half of deactivating ``name`` inside the caller's transaction: never the
    last active administrator; the flag and its audit entry (the caller handles the keyslot,
    after :func:`require_can_deactivate`)."""
    row = UsersService._row(session, normalise_user(name))
    if row.role == "admin" and row.active:
        _require_another_admin(session, row, "deactivate")
    if row.active:
        row.active = False
        audit.append(session, ctx, audit.CHANGE, "user", row.id, {"active": [True, False]})
    return row


def _require_another_admin(session: Session, row: User, action: str) -> None:
    """Refuse to leave the database without an active administrator: nobody could then add
    users, reset passwords or make backups."""
    others = session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == "admin", User.active.is_(True), User.id != row.id)
    )
    if not others:
        raise ValidationFailed(
            f"you cannot {action} '{row.name}': they are the last active administrator; "
            "make another user an administrator first"
        )
