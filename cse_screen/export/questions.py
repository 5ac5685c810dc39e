"""The figures behind the questions Cabinet and Ofsted ask, from each child's history.

* re-screens that fell due in the period: made by the due date, late, or not yet made;
* what followed a positive screen in the period: re-screened within its interval or not;
* missing episodes in the period: children with 1, 2, 3 or more, and how many episodes were
  followed by a screening within :data:`AFTER_EPISODE_DAYS` days;
* a trend of the last quarters, as shares of completed screenings by outcome.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from cse_screen.export.periods import AFTER_EPISODE_DAYS, History, Mark, last_quarters
from cse_screen.export.rows import EventRow

MISSING_EPISODE = "missing_episode"
#: Re-screen states, in the order the sheet shows them.
DUE_STATES = ("on_time", "late", "not_yet")
POSITIVE_STATES = ("within", "late", "not_due", "overdue")


@dataclass
class Questions:
    """Counts for the Key questions sheet, keyed by outcome id where they are by outcome."""

    due: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    positive: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    signoff_days: list[int] = field(default_factory=list)
    children_by_episodes: Counter[str] = field(default_factory=Counter)
    episodes: int = 0
    episodes_followed: int = 0
    children_with_episodes: int = 0
    quarters: list[tuple[date, date, Counter[str]]] = field(default_factory=list)

    @property
    def median_signoff_days(self) -> float | None:
        return statistics.median(self.signoff_days) if self.signoff_days else None


def answer_questions(
    history: History,
    events: Iterable[EventRow],
    start: date,
    end: date,
    ranks: dict[str, int],
) -> Questions:
    """Every figure for ``start``..``end``, as at ``end``: a screening after the period's last
    day does not count, so a period's figures are the same whenever it is exported."""
    q = Questions()
    for marks in history.marks.values():
        for index, mark in enumerate(marks):
            following = marks[index + 1] if index + 1 < len(marks) else None
            if following is not None and following.day > end:
                following = None
            due = mark.next_due
            if due is not None and start <= due <= end:
                if following is not None and following.day <= due:
                    q.due[mark.outcome]["on_time"] += 1
                elif following is not None and following.day <= end:
                    q.due[mark.outcome]["late"] += 1
                else:
                    q.due[mark.outcome]["not_yet"] += 1
            if start <= mark.day <= end and ranks.get(mark.outcome, 0) > 0:
                q.positive[mark.outcome][_positive_state(mark.next_due, following, end)] += 1
                if mark.submitted and mark.signed_off:
                    q.signoff_days.append((mark.signed_off - mark.submitted).days)
    _episodes(q, history, events, end)
    for first, last in last_quarters(end):
        by = Counter(
            m.outcome for marks in history.marks.values() for m in marks if first <= m.day <= last
        )
        q.quarters.append((first, last, by))
    return q


def _positive_state(due: date | None, following: Mark | None, end: date) -> str:
    next_day = following.day if following is not None else None
    if due is None:
        return "within" if next_day is not None else "not_due"
    if next_day is not None and next_day <= due:
        return "within"
    if next_day is not None:
        return "late"
    return "not_due" if due >= end else "overdue"


def _episodes(q: Questions, history: History, events: Iterable[EventRow], end: date) -> None:
    per_child: Counter[int] = Counter()
    for event in events:
        if event.kind != MISSING_EPISODE:
            continue
        per_child[event.child_id] += 1
        q.episodes += 1
        after = history.first_on_or_after(event.child_id, event.on_date)
        limit = min(end, event.on_date + timedelta(days=AFTER_EPISODE_DAYS))
        if after is not None and after.day <= limit:
            q.episodes_followed += 1
    q.children_with_episodes = len(per_child)
    for n in per_child.values():
        q.children_by_episodes["3 or more" if n >= 3 else str(n)] += 1
