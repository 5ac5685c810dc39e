"""The latest time the database has seen, so a laptop clock that went back is noticed.

A council laptop whose clock jumped back a day would date a new screening before the one made
yesterday, and the register would keep yesterday's outcome as the latest. Every audit entry
records the clock it was written under and raises a high-water mark kept in ``meta``; sign-in
compares the clock with it. While the clock is behind, the services' "today" is the mark's date,
so a new screening is never dated before work already recorded, and the sign-in and the wizard
say what is wrong. Which screening is latest is then decided by date and by the order of
submission (``screenings.submitted_seq``), never by the wall clock alone.

The audit trail's own times tell the same from another side: an entry newer than "now" (work
done on a computer whose clock was right) is named at sign-in by :func:`clock_warning`, since
every due date and "overdue by" is counted from the computer's today.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from cse_screen.storage.models import AuditRow, Meta, Screening
from cse_screen.storage.services.context import ServiceContext

LATEST_SEEN_KEY = "latest_time_seen"
#: Clocks drift and are corrected by a few minutes; only a larger step back is worth a warning.
TOLERANCE = timedelta(minutes=10)
#: The newest entries are enough: the check runs at each sign-in, on a trail that only grows.
RECENT = 50


def latest_seen(session: Session) -> datetime | None:
    """The latest time (naive UTC) any write to this database was made at, if recorded."""
    row = session.get(Meta, LATEST_SEEN_KEY)
    return datetime.fromisoformat(row.value) if row is not None else None


def note_seen(session: Session, now: datetime) -> None:
    """Raise the mark to ``now`` (never lower it), inside the caller's transaction."""
    if now.tzinfo is not None:  # the mark is naive UTC, whatever clock the opener gave
        now = now.astimezone(UTC).replace(tzinfo=None)
    stamp = {"now": now.isoformat(), "key": LATEST_SEEN_KEY}
    if session.connection().execute(_RAISE_SEEN, stamp).rowcount:
        cached = session.identity_map.get(Session.identity_key(Meta, LATEST_SEEN_KEY))
        if cached is not None:  # read earlier in this session: read it again if asked
            session.expire(cached)
        return
    row = session.get(Meta, LATEST_SEEN_KEY)
    if row is None:
        session.add(Meta(key=LATEST_SEEN_KEY, value=now.isoformat()))
    elif datetime.fromisoformat(row.value) < now:
        row.value = now.isoformat()


def behind(now: datetime, seen: datetime | None) -> bool:
    """Whether the clock reads noticeably earlier than a time already recorded."""
    return seen is not None and now < seen - TOLERANCE


def behind_warning(now: datetime, seen: datetime) -> str:
    """The sentence for sign-in and the wizard (times in UTC, as stored)."""
    return (
        f"This computer's clock reads {now:%d %b %Y %H:%M} UTC, earlier than work already saved "
        f"in this database ({seen:%d %b %Y %H:%M} UTC): check its date and time settings. "
        f"Until then new screenings are dated no earlier than {seen:%d %b %Y}."
    )


def at_least(today: Callable[[], date], floor: date) -> Callable[[], date]:
    """A "today" that never reads earlier than ``floor`` (the date the mark was reached)."""
    return lambda: max(today(), floor)


#: The last submission number handed out, for the whole database (see :func:`next_submission`).
SUBMISSIONS_KEY = "submissions"

#: One round trip: the counter, raised past the child's own numbers, plus one.
_TAKE_NUMBER = text(
    "UPDATE meta SET value = CAST(1 + CASE"
    " WHEN CAST(value AS INTEGER) >= (SELECT COALESCE(MAX(submitted_seq), 0) FROM screenings"
    " WHERE child_id = :child) THEN CAST(value AS INTEGER)"
    " ELSE (SELECT COALESCE(MAX(submitted_seq), 0) FROM screenings WHERE child_id = :child)"
    " END AS VARCHAR(20)) WHERE key = :key RETURNING value"
)
#: Raise the mark in one statement when it is behind (the usual case: time goes on).
_RAISE_SEEN = text("UPDATE meta SET value = :now WHERE key = :key AND value < :now")


def next_submission(session: Session, child_id: int | None = None) -> int:
    """Take the number of the next submission (inside the caller's write transaction).

    The numbers count every submission in the database, whoever can read it: on the team
    server a maximum over the screenings the caller may see (row-level security hides other
    teams') would hand two teams the same number, so a council-wide list in order of
    submission would be ambiguous, and a team with few screenings would scan every other
    team's to find its own. The counter lives in ``meta`` (no child's data, so no row-level
    security) and is raised past the child's own screenings too: a laptop holds numbers the
    server gave (pulled with the records), and the child's next screening must still come
    after every one of its earlier ones, which is what decides its latest.
    """
    # On the session's connection: no autoflush, so what the caller still holds back (the
    # hands of a screening recorded whole) reaches the database with its next flush, in one
    # statement with the rest.
    taken = (
        session.connection()
        .execute(_TAKE_NUMBER, {"child": child_id, "key": SUBMISSIONS_KEY})
        .scalar_one_or_none()
    )
    if taken is not None:
        return int(taken)
    # A database from before the counter: start it after every number it can see.
    number = int(session.scalar(select(func.max(Screening.submitted_seq))) or 0) + 1
    session.add(Meta(key=SUBMISSIONS_KEY, value=str(number)))
    session.flush()
    return number


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
