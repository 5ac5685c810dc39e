"""Who may do what, checked in the service layer so no caller (GUI, CLI, export) can bypass it.

* ``worker``: their own caseload (children allocated to them) and its screenings and events.
* ``lead``: everything of their team: read, screen, sign off, return, export.
* ``admin``: users, backups, instrument versions, and every record of every team.

A refusal is written to the audit trail (in its own transaction, since the refused work is
rolled back) and raised as :class:`PermissionDenied` with a sentence naming who and what.
"""

from __future__ import annotations

from typing import Any, NoReturn

from sqlalchemy import ColumnElement, true

from cse_screen.storage.models import Child
from cse_screen.storage.records import UserRecord
from cse_screen.storage.services.context import Refusal, ServiceContext, Unseen

ROLE_WORDS = {"worker": "a social worker", "lead": "a team lead", "admin": "an administrator"}


def deny(
    ctx: ServiceContext, action: str, entity: str, entity_id: object, message: str
) -> NoReturn:
    """Raise the refusal; it is audited as soon as no session of ours is open (at once when
    none is), in its own transaction, since the refused work is rolled back."""
    refusal = Refusal(message, action, entity, entity_id)
    if not ctx.in_session:
        ctx.record_refusal(refusal)
    raise refusal


def hide(
    ctx: ServiceContext, action: str, entity: str, entity_id: object, not_found: str
) -> NoReturn:
    """Refuse as if the record did not exist (``not_found`` is the very sentence a missing one
    gets), audited like :func:`deny`: "not found" must not reveal what exists elsewhere."""
    refusal = Unseen(not_found, action, entity, entity_id)
    if not ctx.in_session:
        ctx.record_refusal(refusal)
    raise refusal


def can_allocate(user: UserRecord, worker: str | None, team: str | None) -> bool:
    """Whether ``user`` may put a child in this allocation (adding or moving one): a worker
    only to themselves within their own team, a lead within their team, an administrator
    anywhere."""
    if user.role == "worker" and team != user.team:
        return False
    return can_see_child(user, worker, team)


def can_see_user(viewer: UserRecord, team: str | None, name: str) -> bool:
    """Users' details follow the same scope as the users list: administrators everyone,
    leads their team, workers themselves."""
    if viewer.role == "admin":
        return True
    if viewer.role == "lead":
        return team == viewer.team or name == viewer.name
    return name == viewer.name


def who(user: UserRecord) -> str:
    return f"user '{user.name}' ({ROLE_WORDS.get(user.role, user.role)})"


def can_see_child(user: UserRecord, worker: str | None, team: str | None) -> bool:
    """Read and casework rights on one child, from its allocation."""
    if user.role == "admin":
        return True
    if user.role == "lead":
        return team == user.team  # no team leads the children without one
    return worker == user.name


def child_scope(user: UserRecord) -> ColumnElement[bool]:
    """The WHERE clause limiting ``children`` to what ``user`` may see."""
    if user.role == "admin":
        return true()
    if user.role == "lead":
        return Child.team == user.team if user.team else Child.team.is_(None)
    return Child.worker == user.name


def require_child(ctx: ServiceContext, child: Any, action: str) -> None:
    """Refuse unless the signed-in user's caseload or team includes this child."""
    if can_see_child(ctx.user, child.worker, child.team):
        return
    scope = "their team's" if ctx.user.role == "lead" else "their own allocated"
    deny(
        ctx,
        action,
        "child",
        child.id,
        f"{who(ctx.user)} may only {action} {scope} children; child {child.case_ref} is not one",
    )


def require_role(ctx: ServiceContext, roles: tuple[str, ...], action: str, entity: str) -> None:
    """Refuse unless the signed-in user holds one of ``roles``."""
    if ctx.user.role in roles:
        return
    allowed = " or ".join(ROLE_WORDS[r].split(" ", 1)[1] + "s" for r in roles)
    deny(ctx, action, entity, None, f"{who(ctx.user)} may not {action}; only {allowed} may")
