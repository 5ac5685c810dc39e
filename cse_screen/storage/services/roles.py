"""Who may do what, checked in the service layer so no caller (GUI, CLI, export) can bypass it.

* ``worker``: their own caseload (children allocated to them) and its screenings and events.
* ``lead``: everything of their team: read, screen, sign off, return, export.
* ``manager`` (a service manager, or the council's CSE team): reads every team's records,
  exports council-wide and runs the CSE team's tools, but changes nothing outside their own
  team, where they act as its lead.
* ``admin``: users, backups, instrument versions, and every record of every team; except an
  administrator who sees counts only (the team server's, ``UserRecord.counts_only``), who
  manages accounts and sees no child's record.

A refusal is written to the audit trail (in its own transaction, since the refused work is
rolled back) and raised as :class:`PermissionDenied` with a sentence naming who and what.
"""

from __future__ import annotations

from typing import Any, NoReturn

from sqlalchemy import ColumnElement, false, true

from cse_screen.storage.models import Child
from cse_screen.storage.records import UserRecord
from cse_screen.storage.services.context import Refusal, ServiceContext, Unseen

ROLE_WORDS = {
    "worker": "a social worker",
    "lead": "a team lead",
    "manager": "a manager",
    "admin": "an administrator",
}

#: The actions on a child that only read it; every other action changes something.
READ_ACTIONS = frozenset({"view", "look up", "view screenings of", "view events of"})

#: Roles that lead a team: sign off, return, review queue, the team's audit trail and export.
LEADING_ROLES = ("lead", "manager", "admin")


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
    only to themselves within their own team, a lead or manager within their team, an
    administrator anywhere."""
    if user.role == "worker" and team != user.team:
        return False
    return can_change_child(user, worker, team)


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


def _in_team(user: UserRecord, team: str | None) -> bool:
    return team == user.team  # no team leads the children without one


def can_see_child(user: UserRecord, worker: str | None, team: str | None) -> bool:
    """Read rights on one child, from its allocation."""
    if user.role == "admin":
        return not user.counts_only
    if user.role == "manager":
        return True
    if user.role == "lead":
        return _in_team(user, team)
    return worker == user.name


def can_change_child(user: UserRecord, worker: str | None, team: str | None) -> bool:
    """Casework rights on one child (screen, record events, change details, allocate): a
    manager reads every team but changes only their own."""
    if user.role == "admin":
        return not user.counts_only
    if user.role in ("lead", "manager"):
        return _in_team(user, team)
    return worker == user.name


def child_scope(user: UserRecord) -> ColumnElement[bool]:
    """The WHERE clause limiting ``children`` to what ``user`` may see."""
    if user.role == "admin":
        return false() if user.counts_only else true()
    if user.role == "manager":
        return true()
    if user.role == "lead":
        return Child.team == user.team if user.team else Child.team.is_(None)
    return Child.worker == user.name


def count_scope(user: UserRecord) -> ColumnElement[bool]:
    """The children counted in ``stats``: an administrator counts everyone, even one who
    sees no child's record (counts are what the team server's administrator sees)."""
    return true() if user.role == "admin" else child_scope(user)


def change_scope(user: UserRecord) -> ColumnElement[bool]:
    """The WHERE clause limiting ``children`` to those ``user`` may change (a review queue
    holds only what its reader may sign off)."""
    if user.role == "manager":
        return Child.team == user.team if user.team else Child.team.is_(None)
    return child_scope(user)


def require_child(ctx: ServiceContext, child: Any, action: str) -> None:
    """Refuse unless the signed-in user's caseload or team includes this child (for reading:
    a manager's every team; for changing: their own)."""
    check = can_see_child if action in READ_ACTIONS else can_change_child
    if check(ctx.user, child.worker, child.team):
        return
    role = ctx.user.role
    scope = "their own allocated" if role == "worker" else "their team's"
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
    words = [ROLE_WORDS[r].split(" ", 1)[1] + "s" for r in roles]
    allowed = f"{', '.join(words[:-1])} or {words[-1]}" if len(words) > 1 else words[0]
    deny(ctx, action, entity, None, f"{who(ctx.user)} may not {action}; only {allowed} may")
