"""Finding a screening by its public id, as people type it on the command line.

The command line names screenings by their public id (the UUID every JSON output shows), never by
the local row number, which differs from copy to copy. A full id finds any screening the caller
may see; a shorter prefix (at least :data:`MIN_PREFIX` hexadecimal digits, dashes ignored) is
matched only among the screenings awaiting sign-off that the caller may decide, which is the list
``review list`` prints, so a lead can type the first few digits of what is on screen. A screening
outside the caller's caseload or team is answered exactly as one that does not exist.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from cse_screen.errors import NotFound, ValidationFailed
from cse_screen.storage.models import Child, Screening
from cse_screen.storage.services import roles
from cse_screen.storage.services.context import ServiceContext

MIN_PREFIX = 8
_HEX = re.compile(r"^[0-9a-f]+$")


def find(session: Session, ctx: ServiceContext, text: str) -> int:
    """The local id of the screening ``text`` names, or NotFound in one sentence."""
    typed = text.strip().lower()
    missing = f"there is no screening with id {typed}"
    try:
        full = str(uuid.UUID(typed))
    except ValueError:
        return _by_prefix(session, ctx, typed)
    row = session.execute(
        select(Screening.id, Child.worker, Child.team)
        .join(Child, Child.id == Screening.child_id)
        .where(Screening.public_id == full)
    ).first()
    if row is None:
        raise NotFound(missing)
    if not roles.can_see_child(ctx.user, row.worker, row.team):
        roles.hide(ctx, "look up", "screening", row.id, missing)
    return int(row.id)


def _by_prefix(session: Session, ctx: ServiceContext, typed: str) -> int:
    digits = typed.replace("-", "")
    if len(digits) < MIN_PREFIX or len(digits) > 32 or not _HEX.match(digits):
        raise ValidationFailed(
            f"'{typed}' is not a screening id: give the id as 'review list' shows it, or at "
            f"least its first {MIN_PREFIX} characters"
        )
    stmt = (
        select(Screening.id, Screening.public_id)
        .join(Child, Child.id == Screening.child_id)
        .where(Screening.status == "submitted", roles.change_scope(ctx.user))
    )
    found = [
        int(row.id)
        for row in session.execute(stmt)
        if str(row.public_id).replace("-", "").startswith(digits)
    ]
    if not found:
        raise NotFound(f"no screening awaiting your sign-off has an id starting {typed}")
    if len(found) > 1:
        raise ValidationFailed(
            f"{len(found)} screenings awaiting sign-off have ids starting {typed}; type more of it"
        )
    return found[0]
