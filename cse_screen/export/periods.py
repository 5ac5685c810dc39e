"""Reporting periods, and each child's screening history for figures "as at" a day.

A quarter is compared with the calendar quarter before it (a month with the month before, a
year with the year before, any other range with the same number of days just before it), so
that the previous period's figures are the ones that period's own export gives.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from cse_screen.errors import UsageError
from cse_screen.export.rows import ChildRow, HistoryRow

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
#: Days after a missing episode within which a screening counts as "after the episode".
AFTER_EPISODE_DAYS = 14
#: Quarters in the trend of shares.
TREND_QUARTERS = 8


def quarter_bounds(text: str) -> tuple[date, date]:
    """``2026-Q3`` as its first and last day; one sentence when the text is not a quarter."""
    match = _QUARTER.match(text.strip())
    if not match:
        raise UsageError(f"--quarter {text!r} is not a quarter in the form YYYY-Qn (e.g. 2026-Q3)")
    year, quarter = int(match.group(1)), int(match.group(2))
    return quarter_of(date(year, 3 * quarter - 2, 1))


def quarter_of(day: date) -> tuple[date, date]:
    """The calendar quarter holding ``day``."""
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return first, _months_later(first, 3) - timedelta(days=1)


def quarter_label(start: date) -> str:
    return f"{start.year} Q{(start.month - 1) // 3 + 1}"


def _months_later(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _calendar_months(start: date, end: date) -> int | None:
    """How many whole calendar months ``start``..``end`` spans exactly, or None."""
    if start.day != 1 or (end + timedelta(days=1)).day != 1:
        return None
    after = end + timedelta(days=1)
    return (after.year - start.year) * 12 + after.month - start.month


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before ``start``..``end``."""
    months = _calendar_months(start, end)
    if months in (1, 3, 6, 12):
        first = _months_later(start, -months)
        return first, start - timedelta(days=1)
    length = end - start
    before_end = start - timedelta(days=1)
    return before_end - length, before_end


def period_bounds(
    date_from: date | None, date_to: date | None, today: date
) -> tuple[tuple[date, date], tuple[date, date]]:
    """This period (the date range, or the twelve months to its end) and the one before it."""
    end = date_to or today
    start = date_from or (end - timedelta(days=364))
    return (start, end), previous_period(start, end)


def last_quarters(end: date, count: int = TREND_QUARTERS) -> list[tuple[date, date]]:
    """The ``count`` calendar quarters up to the one holding ``end``, oldest first."""
    quarters = [quarter_of(end)]
    while len(quarters) < count:
        quarters.insert(0, quarter_of(quarters[0][0] - timedelta(days=1)))
    return quarters


@dataclass(frozen=True, slots=True)
class Mark:
    day: date
    outcome: str
    next_due: date | None
    submitted: date | None
    signed_off: date | None
    team: str | None = None


class History:
    """Every child's completed screenings in date order (a few fields each)."""

    def __init__(self, rows: Iterable[HistoryRow]) -> None:
        marks: dict[int, list[Mark]] = defaultdict(list)
        for row in rows:
            marks[row.child_id].append(
                Mark(
                    row.screen_date,
                    row.final_outcome,
                    row.next_due,
                    row.submitted,
                    row.signed_off,
                    row.team,
                )
            )
        for kept in marks.values():
            kept.sort(key=lambda m: m.day)
        self.marks: dict[int, list[Mark]] = dict(marks)
        self._days = {child: [m.day for m in kept] for child, kept in self.marks.items()}

    def upto(self, child_id: int, day: date) -> list[Mark]:
        """The child's completed screenings dated on or before ``day``."""
        kept = self.marks.get(child_id, [])
        return kept[: bisect.bisect_right(self._days.get(child_id, []), day)]

    def next_after(self, child_id: int, day: date) -> Mark | None:
        """The child's first completed screening dated after ``day``."""
        kept = self.marks.get(child_id, [])
        index = bisect.bisect_right(self._days.get(child_id, []), day)
        return kept[index] if index < len(kept) else None

    def first_on_or_after(self, child_id: int, day: date) -> Mark | None:
        kept = self.marks.get(child_id, [])
        index = bisect.bisect_left(self._days.get(child_id, []), day)
        return kept[index] if index < len(kept) else None

    def team_as_at(self, child: ChildRow, day: date) -> ChildRow:
        """The child counted to the team of their latest screening dated on or before ``day``
        (the team they were in when screened), or to their own team if there is none."""
        before = self.upto(child.child_id, day)
        team = before[-1].team if before else None
        return replace(child, team=team) if team and team != child.team else child

    def as_at(self, child: ChildRow, day: date) -> ChildRow:
        """The child as the register stood at the end of ``day``: latest outcome, due date.

        A due date brought forward by an event is not in the history; a past position uses the
        due date its latest screening set. The child is counted to the team they were in when
        that screening was made.
        """
        before = self.upto(child.child_id, day)
        if not before:
            return replace(
                child,
                latest_outcome=None,
                last_screened=None,
                next_due=None,
                completed_screenings=0,
                has_draft=False,
            )
        latest = before[-1]
        return replace(
            child,
            team=latest.team or child.team,
            latest_outcome=latest.outcome,
            last_screened=latest.day,
            next_due=latest.next_due,
            completed_screenings=len(before),
            has_draft=False,
        )
