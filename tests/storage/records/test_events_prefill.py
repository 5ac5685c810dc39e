"""The count of recent events the wizard pre-fills "missing episodes in the last 90 days" from:
only the child's own events of that kind, only inside the period ending on the screening date,
and only for someone who may see the child."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from cse_screen.errors import NotFound, PermissionDenied, ValidationFailed
from cse_screen.vault.store import Store

TODAY = dt.date.today()


def _days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def test_counts_only_the_kind_and_the_days_ending_on_the_date(
    opener: Callable[[str], Store], council
):
    wes = opener("wes")
    n1, n2 = council.ids["N1"], council.ids["N2"]
    for n in (0, 10, 89):  # inside: today and the 90th day back counted inclusively
        wes.events.record(n1, "missing_episode", _days_ago(n))
    wes.events.record(n1, "missing_episode", _days_ago(90))  # the 91st day back: outside
    wes.events.record(n1, "placement_move", _days_ago(5))  # another kind
    wes.events.record(n2, "missing_episode", _days_ago(3))  # another child
    assert wes.events.count_recent(n1, "missing_episode", TODAY, 90) == 3
    assert wes.events.count_recent(n1, "placement_move", TODAY, 90) == 1
    assert wes.events.count_recent(n2, "missing_episode", TODAY, 90) == 1
    # Counted up to the screening date, not today: today's episode falls after a screening
    # dated five days ago, and the one 90 days back falls inside its period.
    assert wes.events.count_recent(n1, "missing_episode", _days_ago(5), 90) == 3
    assert wes.events.count_recent(n1, "missing_episode", _days_ago(11), 90) == 2
    assert opener("wynn").events.count_recent(council.ids["N3"], "missing_episode", TODAY, 90) == 0


@pytest.mark.standalone_admin
def test_refused_to_someone_who_may_not_see_the_child(opener: Callable[[str], Store], council):
    n1 = council.ids["N1"]
    opener("wes").events.record(n1, "missing_episode", _days_ago(1))
    with pytest.raises(PermissionDenied):
        opener("sue").events.count_recent(n1, "missing_episode", TODAY, 90)
    with pytest.raises(PermissionDenied):
        opener("sam").events.count_recent(n1, "missing_episode", TODAY, 90)
    assert opener("lena").events.count_recent(n1, "missing_episode", TODAY, 90) == 1
    assert opener("ada").events.count_recent(n1, "missing_episode", TODAY, 90) == 1


def test_bad_requests_say_what_is_wrong(opener: Callable[[str], Store], council):
    ada = opener("ada")
    with pytest.raises(NotFound):
        ada.events.count_recent(999_999, "missing_episode", TODAY, 90)
    with pytest.raises(ValidationFailed, match="unknown event kind"):
        ada.events.count_recent(council.ids["N1"], "runaway", TODAY, 90)
    with pytest.raises(ValidationFailed, match="at least one day"):
        ada.events.count_recent(council.ids["N1"], "missing_episode", TODAY, 0)
