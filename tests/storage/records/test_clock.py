"""A computer whose clock went back is noticed: the audit trail holds work newer than now."""

from __future__ import annotations

from datetime import timedelta

from records_fixtures import CHILDREN, Council

from cse_screen.storage.services.clock import clock_warning
from cse_screen.storage.services.context import utc_now


def work_done_at(council: Council, ahead: timedelta) -> None:
    """Someone views a child on a computer whose clock was ``ahead`` of this one's."""
    store = council.open()
    store.context.now = lambda: utc_now() + ahead
    store.children.get(council.ids["N1"])


def test_a_clock_behind_the_database_is_named_without_any_child(council: Council):
    assert clock_warning(council.open().context) is None
    work_done_at(council, timedelta(days=3))
    warning = clock_warning(council.open().context)
    assert warning is not None and warning.startswith("this computer's clock says ")
    assert "due and overdue dates are counted from the wrong day" in warning
    assert not any(name in warning for name, _dob, _worker in CHILDREN.values())


def test_a_few_minutes_of_drift_is_not_a_warning(council: Council):
    work_done_at(council, timedelta(minutes=4))
    assert clock_warning(council.open().context) is None
