"""Events in a child's life (a missing episode, a placement move, new information).

Recording one makes the child due for a screening on the event's date, unless a later
screening already covers it.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from cse_screen.errors import NotFound, ValidationFailed
from cse_screen.storage.models import Child, Event
from cse_screen.storage.records import EVENT_KINDS, EventRecord
from cse_screen.storage.services import audit, roles
from cse_screen.storage.services.context import ServiceContext
from cse_screen.storage.services.latest import refresh_child
from cse_screen.storage.services.screenings import TRIGGERS
from cse_screen.storage.types import new_public_id

MAX_NOTE = 10_000
#: The screening trigger an event kind stands for when the questionnaire has no word of its own
#: for it: a referral to the CSE team, or its confirmation that a child is being exploited, is
#: new information about the child's risk.
TRIGGER_OF_KIND = {
    "cse_referral": "new_information",
    "cse_confirmed": "new_information",
    # Away from placement without permission (SSDA903 "AWAY"): a whereabouts episode, screened
    # for as a missing episode is.
    "away_from_placement": "missing_episode",
}


def trigger_for(kind: str) -> str | None:
    """The screening trigger to offer for a screening this kind of event made due (None: the
    questionnaire lists none, and the usual default, initial or review, stands)."""
    if kind in TRIGGERS:
        return kind
    return TRIGGER_OF_KIND.get(kind)


def event_record(row: Event) -> EventRecord:
    return EventRecord(
        id=row.id,
        child_id=row.child_id,
        kind=row.kind,
        on_date=row.on_date,
        note=row.note,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
        public_id=row.public_id,
    )


def event_values(
    ctx: ServiceContext,
    child_id: int,
    kind: str,
    on_date: date,
    note: str | None,
    public_id: str | None = None,
    source_key: str | None = None,
) -> dict[str, object]:
    """The columns of a new event row, typed by hand or imported alike; the caller refreshes
    the child's due date once its events are in (see ``refresh_child``)."""
    return {
        "public_id": public_id or new_public_id(),
        "child_id": child_id,
        "kind": kind,
        "on_date": on_date,
        "note": (note or "").strip() or None,
        "recorded_by": ctx.user.name,
        "recorded_at": ctx.now(),
        "source_key": source_key,
    }


class EventsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def record(
        self,
        child_id: int,
        kind: str,
        on_date: date,
        note: str | None = None,
        *,
        public_id: str | None = None,
    ) -> EventRecord:
        """Record an event that may make a screening due; ``public_id`` is the id another copy
        already gave it (a laptop's, sent to the server)."""
        if kind not in EVENT_KINDS:
            raise ValidationFailed(
                f"unknown event kind '{kind}'; use one of {', '.join(EVENT_KINDS)}"
            )
        if on_date > self._ctx.today():
            raise ValidationFailed("an event cannot be dated in the future")
        if note is not None and len(note) > MAX_NOTE:
            raise ValidationFailed(f"an event note may hold at most {MAX_NOTE} characters")
        with self._ctx.transaction() as session:
            child = session.get(Child, child_id)
            if child is None:
                raise NotFound(f"there is no child with id {child_id}")
            roles.require_child(self._ctx, child, "record events for")
            row = Event(**event_values(self._ctx, child.id, kind, on_date, note, public_id))
            session.add(row)
            session.flush()
            before = child.next_due
            refresh_child(session, child)
            audit.append(
                session,
                self._ctx,
                audit.CREATE,
                "event",
                row.id,
                {
                    "child_id": child.id,
                    "kind": kind,
                    "next_due": [_iso(before), _iso(child.next_due)],
                },
            )
            return event_record(row)

    def due_event(self, child_id: int) -> EventRecord | None:
        """The event that brought the child's next screening forward, if one did.

        That is the earliest event after the latest completed screening when it falls on or
        before the due date (see ``refresh_child``); a child never screened is due for their
        initial screening whatever has happened, so none is returned. The wizard uses it to
        say why this screening is being done without the worker having to type it again.
        """
        with self._ctx.reading() as session:
            child = session.get(Child, child_id)
            if child is None:
                raise NotFound(f"there is no child with id {child_id}")
            roles.require_child(self._ctx, child, "view events of")
            if child.last_screened is None or child.next_due is None:
                return None
            stmt = (
                select(Event)
                .where(Event.child_id == child_id, Event.on_date > child.last_screened)
                .order_by(Event.on_date, Event.id)
                .limit(1)
            )
            first = session.scalars(stmt).first()
            return event_record(first) if first and first.on_date <= child.next_due else None

    def count_recent(self, child_id: int, kind: str, up_to: date, days: int) -> int:
        """How many events of ``kind`` the child has on the ``days`` days ending on ``up_to``.

        A screening asks, for example, how many times the child went missing in the 90 days up
        to the screening date; the wizard offers this count so the worker need not tally the
        events recorded here by hand. Only a count leaves storage, never the events' notes.
        """
        if kind not in EVENT_KINDS:
            raise ValidationFailed(
                f"unknown event kind '{kind}'; use one of {', '.join(EVENT_KINDS)}"
            )
        if days < 1:
            raise ValidationFailed("a period of events must cover at least one day")
        first_day = up_to - timedelta(days=days - 1)
        with self._ctx.reading() as session:
            child = session.get(Child, child_id)
            if child is None:
                raise NotFound(f"there is no child with id {child_id}")
            roles.require_child(self._ctx, child, "view events of")
            stmt = select(func.count(Event.id)).where(
                Event.child_id == child_id,
                Event.kind == kind,
                Event.on_date >= first_day,
                Event.on_date <= up_to,
            )
            return int(session.scalar(stmt) or 0)

    def for_child(self, child_id: int) -> list[EventRecord]:
        """The child's events, newest first."""
        with self._ctx.reading() as session:
            child = session.get(Child, child_id)
            if child is None:
                raise NotFound(f"there is no child with id {child_id}")
            roles.require_child(self._ctx, child, "view events of")
            stmt = (
                select(Event)
                .where(Event.child_id == child_id)
                .order_by(Event.on_date.desc(), Event.id.desc())
            )
            return [event_record(r) for r in session.scalars(stmt)]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
