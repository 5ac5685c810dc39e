"""Signing in and out, who am I, and the counts.

A failed sign-in is counted and audited in a transaction of its own that commits (the sign-in
itself failed, but its record must stay); the answer never says whether the name or the
password was wrong.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from cse_screen.errors import WrongPassword
from cse_screen.server import accounts, schemas
from cse_screen.server.deps import Work
from cse_screen.server.transaction import SYSTEM, unit_of_work
from cse_screen.storage.services import stats
from cse_screen.storage.services.context import utc_now

router = APIRouter()


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/sign-in")
def sign_in(request: Request, body: schemas.SignIn) -> dict[str, Any]:
    engine = request.app.state.engine
    address = _address(request)
    try:
        with unit_of_work(engine, SYSTEM) as unit:
            ctx = unit.context()
            with ctx.transaction() as session:
                done = accounts.sign_in(
                    session, ctx, body.user, body.password, body.device, address
                )
    except WrongPassword:
        with unit_of_work(engine, SYSTEM) as unit:
            ctx = unit.context()
            with ctx.transaction() as session:
                accounts.record_failure(session, ctx, body.user, address)
        raise
    return {
        "token": done.token,
        "token_type": "bearer",
        "expires_at": done.expires_at.isoformat() + "Z",
        "device": done.device_public_id,
        "user": schemas.user_out(done.user),
    }


@router.post("/sign-out")
def sign_out(request: Request, unit: Work) -> dict[str, Any]:
    """Revoke the device this token belongs to (and so the token)."""
    with Session(bind=unit.connection) as session:
        accounts.revoke_device(session, request.state.caller.device_id, utc_now())
        session.flush()
    return {"signed_out": True}


@router.get("/me")
def me(unit: Work) -> dict[str, Any]:
    return schemas.user_out(unit.user)


@router.get("/stats")
def counts(request: Request, unit: Work) -> dict[str, Any]:
    """The same keys as ``cse-screen stats --json``, over what the caller may see (an
    administrator: every team's counts, and still no child's record)."""
    engine = request.app.state.engine
    with unit_of_work(engine, unit.user, counting=True) as counting:
        return stats.compute(counting.context())
