"""Every failure as a JSON error with a stable code, and nothing personal in it.

The body is always ``{"error": {"code": CODE, "message": SENTENCE}}`` (plus ``fields`` for a
request that does not fit its model: where, never the value sent, which may be a child's
name). Codes are part of the API; messages are for people and may be reworded.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException

from cse_screen.errors import (
    AnswersInvalid,
    InvalidTransition,
    NotFound,
    OverrideInvalid,
    PermissionDenied,
    UserError,
    WrongPassword,
)
from cse_screen.server.accounts import TooManyAttempts

log = logging.getLogger("cse_screen.server")


class Unauthenticated(UserError):
    """No token, or one that is unknown, expired or revoked."""


class Expired(Unauthenticated):
    """A token that has run out (the client may sign in again; a revoked one may not)."""


class Gone(NotFound):
    """A record the caller may not see, answered exactly as one that does not exist."""


def error_body(code: str, message: str, **more: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **more}}


def reply(status: int, code: str, message: str, **more: Any) -> JSONResponse:
    headers = {"Cache-Control": "no-store"}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(error_body(code, message, **more), status_code=status, headers=headers)


def _where(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _invalid(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return reply(400, "malformed_json", "the request body is not valid JSON")
    fields = [{"where": _where(e.get("loc", ())), "problem": e.get("type", "")} for e in errors]
    first = fields[0] if fields else {"where": "body", "problem": "invalid"}
    message = f"the request does not fit: {first['where']} ({first['problem']})"
    return reply(422, "invalid_request", message, fields=fields)


def _user_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, UserError)
    if isinstance(exc, TooManyAttempts):
        response = reply(429, "too_many_attempts", exc.message)
        response.headers["Retry-After"] = str(exc.wait_seconds)
        return response
    table: list[tuple[type[UserError], int, str]] = [
        (Expired, 401, "token_expired"),
        (Unauthenticated, 401, "unauthenticated"),
        (WrongPassword, 401, "wrong_password"),
        (NotFound, 404, "not_found"),
        (PermissionDenied, 403, "forbidden"),
        (InvalidTransition, 409, "invalid_transition"),
        (AnswersInvalid, 422, "answers_invalid"),
        (OverrideInvalid, 422, "override_invalid"),
    ]
    for kind, status, code in table:
        if isinstance(exc, kind):
            return reply(status, code, exc.message)
    return reply(422, "rejected", exc.message)


def _database(_request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, IntegrityError):
        return reply(409, "conflict", "the change clashes with a record saved at the same time")
    if isinstance(exc, OperationalError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    ):
        log.warning("database unavailable: %s", type(exc.orig).__name__)
        return reply(
            503, "database_unavailable", "the database is not available; nothing was changed"
        )
    log.error("database error: %s", type(getattr(exc, "orig", exc)).__name__)
    return reply(500, "internal_error", "the server failed; nothing was changed")


def _http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    codes = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}
    code = codes.get(exc.status_code, "http_error")
    return reply(exc.status_code, code, str(exc.detail))


def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    # The type only: an exception's text may quote a record.
    log.error("unexpected %s", type(exc).__name__)
    return reply(500, "internal_error", "the server failed; nothing was changed")


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(UserError, _user_error)
    app.add_exception_handler(DBAPIError, _database)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
