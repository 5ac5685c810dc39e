"""What every route depends on: the caller, resolved once, and the request's transaction.

The bearer token is looked up inside the request's own transaction, the caller's row-level
security settings are made in it, and the routes receive a :class:`Unit` whose services are
the laptop's, on that transaction. The dependency exits before the response is sent
(``scope="function"``), so a commit that fails is answered as an error, never as a success.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Header, Request, Response
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from cse_screen.errors import PermissionDenied, UserError
from cse_screen.server import accounts
from cse_screen.server.faults import Expired, Gone, Unauthenticated
from cse_screen.server.transaction import Unit, unit_of_work
from cse_screen.storage.models import Child, Event, Screening
from cse_screen.storage.records import UserRecord
from cse_screen.storage.services import audit, roles
from cse_screen.storage.services.audit import AuditLog
from cse_screen.storage.services.context import utc_now


def _token(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("sign in first: send the token as 'Authorization: Bearer TOKEN'")
    return token.strip()


def request_unit(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> Iterator[Unit]:
    token = _token(authorization)

    def who(connection: Connection) -> UserRecord:
        with Session(bind=connection) as session:
            try:
                caller = accounts.authenticate(session, token, utc_now())
            except accounts.TokenExpired as expired:
                raise Expired(expired.message) from None
            except PermissionDenied as refused:
                raise Unauthenticated(refused.message) from None
            session.flush()
        request.state.caller = caller
        return caller.user

    with unit_of_work(request.app.state.engine, who) as unit:
        yield unit


Work = Annotated[Unit, Depends(request_unit, scope="function")]


def _gone(what: str, public_id: UUID) -> Gone:
    return Gone(f"there is no {what} with id {public_id}")


def child_row_id(unit: Unit, public_id: UUID) -> int:
    """The child's row id, if the caller may see it; else 404, exactly as for no child."""
    with unit.session() as session:
        row = session.execute(
            select(Child.id, Child.worker, Child.team).where(Child.public_id == str(public_id))
        ).first()
    if row is None or not roles.can_see_child(unit.user, row.worker, row.team):
        raise _gone("child", public_id)
    return int(row.id)


def screening_row_id(unit: Unit, public_id: UUID) -> tuple[int, str]:
    """(screening row id, its child's public id), if the caller may see it; else 404."""
    with unit.session() as session:
        row = session.execute(
            select(Screening.id, Child.public_id, Child.worker, Child.team)
            .join(Child, Child.id == Screening.child_id)
            .where(Screening.public_id == str(public_id))
        ).first()
    if row is None or not roles.can_see_child(unit.user, row.worker, row.team):
        raise _gone("screening", public_id)
    return int(row.id), str(row.public_id)


class IdTaken(UserError):
    """A create named an id that another record (one the caller may not see) holds."""


def replayed(
    unit: Unit,
    model: type[Screening] | type[Event],
    public_id: UUID,
    child_row: int,
    response: Response,
) -> int | None:
    """The row id of the record a create names if it was made already (a replay, answered
    200 with the record as it stands), or None for a new one. An id that another child's
    record holds is refused."""
    with unit.session() as session:
        found = session.execute(
            select(model.id, model.child_id).where(model.public_id == str(public_id))
        ).first()
    if found is None:
        return None
    if found.child_id != child_row:
        raise IdTaken(f"the id {public_id} is already another record's")
    response.status_code = 200
    return int(found.id)


def audit_read(
    unit: Unit, read: str, records: int, entity: str = "register", entity_id: object = None
) -> None:
    """Record that the caller read ``records`` records of a kind (one entry per request, not
    per record; never what they searched for, which may be a child's name). It joins the
    request's transaction, so an answer that fails leaves no entry for what was not read."""
    detail = {"read": read, "records": records}
    AuditLog(unit.context()).record(audit.VIEW, entity, entity_id, detail)


def child_public_id(unit: Unit, row_id: int) -> str:
    with unit.session() as session:
        return str(session.scalar(select(Child.public_id).where(Child.id == row_id)))
