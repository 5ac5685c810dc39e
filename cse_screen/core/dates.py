"""Dates in screenings: age at screening and when the next screening is due.

Messages never repeat the date itself: a date of birth is personal data and errors may be logged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from cse_screen.core.model import Questionnaire
from cse_screen.errors import AnswersInvalid


def parse_date(value: object, what: str) -> dt.date:
    """A date from a date object or an ISO 'YYYY-MM-DD' text; AnswersInvalid otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise AnswersInvalid(f"{what} is not a date written YYYY-MM-DD.")


def age_on(dob: dt.date, day: dt.date) -> int:
    """Whole years between a date of birth and a day (a birthday counts on the day itself).

    A child born on 29 February turns a year older on 1 March in non-leap years.
    """
    if dob > day:
        raise AnswersInvalid("The date of birth is after the screening date.")
    years = day.year - dob.year
    if (day.month, day.day) < (dob.month, dob.day):
        years -= 1
    return years


def age_at_screen(context: Mapping[str, object]) -> int | None:
    """Age from context ``dob`` and ``screen_date`` (today when absent); None without a dob."""
    dob = context.get("dob")
    if dob in (None, ""):
        return None
    screen = context.get("screen_date")
    day = dt.date.today() if screen in (None, "") else parse_date(screen, "context screen_date")
    return age_on(parse_date(dob, "context dob"), day)


def next_due(q: Questionnaire, outcome_id: str, screen_date: dt.date | str) -> dt.date:
    """The date the next screening is due after one with this outcome."""
    day = parse_date(screen_date, "The screening date")
    try:
        outcome = q.outcome(outcome_id)
    except KeyError:
        raise AnswersInvalid(f"{q.label} has no outcome '{outcome_id}'.") from None
    return day + dt.timedelta(days=outcome.review_after_days)
