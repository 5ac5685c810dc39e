"""Dates in screenings: age at screening and when the next screening is due.

Messages never repeat the date itself: a date of birth is personal data and errors may be logged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from cse_screen.core.model import Questionnaire, Windows
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


#: Days in an average month, for saying a window in the words a worker would use.
_MONTH_DAYS = 30.4375


def period_words(days: int) -> str:
    """180 → "6 months", 365 → "12 months"; a window that is no whole number of months (give
    or take a week) stays in days, so the words never stretch what the definition says."""
    months = round(days / _MONTH_DAYS)
    if months >= 1 and abs(months * _MONTH_DAYS - days) <= 7:
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"


def windows_legend(windows: Windows) -> str:
    """One line saying what "current" and "previous" mean under a definition's windows."""
    current = period_words(windows.current_days)
    previous = period_words(windows.previous_days)
    unit = current.split(" ", 1)[1]
    since = current.split(" ", 1)[0] if previous.endswith(unit) else current
    return f"Current: now or in the last {current}. Previous: {since} to {previous} ago."
