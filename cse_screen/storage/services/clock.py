"""Notice a computer whose clock is behind the work already in the database.

Every due date, every "overdue by N days" and every wait in the review queue is counted from
the computer's today. A laptop whose date went back (a flat clock battery, a manual change)
makes overdue children look due later and nothing says so. The audit trail records when each
entry was written, so an entry newer than "now" shows the clock is wrong.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from cse_screen.storage.models import AuditRow
from cse_screen.storage.services.context import ServiceContext

#: Clocks drift, and computers sharing a database over a network disagree by a little.
TOLERANCE = timedelta(minutes=10)
#: The newest entries are enough: the check runs at each sign-in, on a trail that only grows.
RECENT = 50


def newest_entry_time(ctx: ServiceContext) -> datetime | None:
    """The latest time among the trail's most recent entries (UTC, naive), if any."""
    with ctx.reading() as session:
        stamps = session.scalars(select(AuditRow.at).order_by(AuditRow.seq.desc()).limit(RECENT))
        times = [datetime.fromisoformat(at.rstrip("Z")) for at in stamps]
    return max(times, default=None)


def clock_warning(ctx: ServiceContext) -> str | None:
    """A sentence for the user when this computer's clock is behind the database, else None.

    Names dates only: nothing about a child or a user.
    """
    newest, now = newest_entry_time(ctx), ctx.now()
    if newest is None or newest <= now + TOLERANCE:
        return None
    return (
        f"this computer's clock says {_local(now)}, but the database holds work recorded on "
        f"{_local(newest)}; until its date and time are corrected, due and overdue dates are "
        "counted from the wrong day"
    )


def _local(moment: datetime) -> str:
    """A UTC time as this computer's local time, in UK words: '7 Dec 2026 at 14:05'."""
    local = moment.replace(tzinfo=UTC).astimezone()
    return f"{local.day} {local:%b %Y} at {local:%H:%M}"
