"""Who had a hand in a screening, so that sign-off is really by a second pair of eyes.

Four eyes means the person who accepts a screening (and with it any lowering of its outcome) is
none of the people who shaped it: not who started it, not anyone who changed its answers,
context or judgement, not who submitted it. Comparing only the starter let a lead edit a
worker's draft, lower it, submit it and sign it off alone.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cse_screen.storage.models import ScreeningHand

STARTED = "started"
EDITED = "edited"
JUDGED = "judged"
SUBMITTED = "submitted"

#: How each part reads in a refusal: "<who> <part> screening 12 and may not sign it off".
PART_WORDS = {
    STARTED: "started",
    EDITED: "changed the answers of",
    JUDGED: "set the judgement of",
    SUBMITTED: "submitted",
}
#: Strongest reason first, so a refusal names the part that matters most.
ORDER = (SUBMITTED, JUDGED, EDITED, STARTED)


#: Where a session keeps what it has noted already, and the screenings it created (whose
#: hands are all noted in it), so a screening recorded whole does not ask the database, for
#: each part, whether it was noted before.
NOTED = "hands_noted"
CREATED = "hands_created"


def created(session: Session, screening_id: int) -> None:
    """The screening was made in this session: it has no hands but those noted here."""
    session.info.setdefault(CREATED, set()).add(screening_id)


def note(session: Session, screening_id: int, user_name: str, part: str) -> None:
    """Record that ``user_name`` played ``part`` in the screening (once; inside the caller's
    transaction, so it commits with the change it describes)."""
    key = (screening_id, user_name, part)
    noted: set[tuple[int, str, str]] = session.info.setdefault(NOTED, set())
    if key in noted:
        return
    noted.add(key)
    new = screening_id in session.info.get(CREATED, ())
    if new or session.get(ScreeningHand, key) is None:
        session.add(ScreeningHand(screening_id=screening_id, user_name=user_name, part=part))


def parts_of(session: Session, screening_id: int, user_name: str) -> list[str]:
    """The parts ``user_name`` played in the screening, strongest first (empty: none)."""
    stmt = select(ScreeningHand.part).where(
        ScreeningHand.screening_id == screening_id, ScreeningHand.user_name == user_name
    )
    found = set(session.scalars(stmt))
    return [part for part in ORDER if part in found]


def people(session: Session, screening_id: int) -> set[str]:
    """Everyone who had a hand in the screening."""
    stmt = select(ScreeningHand.user_name).where(ScreeningHand.screening_id == screening_id)
    return set(session.scalars(stmt))


def forget(session: Session, screening_id: int) -> None:
    """Drop the record with its discarded draft."""
    session.execute(delete(ScreeningHand).where(ScreeningHand.screening_id == screening_id))
    noted = session.info.get(NOTED, set())
    noted -= {key for key in noted if key[0] == screening_id}
