"""The ledger behind "saved": a later success never covers an earlier failure."""

from __future__ import annotations

from cse_screen.core.save_ledger import RETRY_DELAYS, SaveLedger, retry_delay


def test_a_change_is_saved_only_once_its_latest_number_is_committed() -> None:
    ledger = SaveLedger()
    first = ledger.changed("answer:A1")
    second = ledger.changed("answer:A1")
    assert not ledger.all_saved()
    assert not ledger.committed("answer:A1", first)  # an older value landed, the newer did not
    assert [u.key for u in ledger.unsaved()] == ["answer:A1"]
    assert ledger.committed("answer:A1", second)
    assert ledger.all_saved()


def test_a_success_elsewhere_never_clears_a_failure() -> None:
    ledger = SaveLedger()
    failed = ledger.changed("answer:A1")
    ok = ledger.changed("answer:A2")
    assert ledger.failed("answer:A1", failed, "the disk is full") == 1
    assert ledger.committed("answer:A2", ok)
    assert not ledger.all_saved()
    assert [(u.key, u.reason) for u in ledger.failing()] == [("answer:A1", "the disk is full")]
    assert ledger.reason("answer:A1") == "the disk is full"


def test_failures_count_in_a_row_and_a_stale_failure_is_not_news() -> None:
    ledger = SaveLedger()
    n = ledger.changed("context")
    assert ledger.failed("context", n, "locked") == 1
    assert ledger.failed("context", n, "locked") == 2
    newer = ledger.changed("context")
    assert ledger.committed("context", newer)
    assert ledger.failed("context", n, "locked") == 0  # overtaken by a committed newer save
    assert ledger.all_saved() and ledger.reason("context") is None


def test_unsaved_changes_are_listed_oldest_first() -> None:
    ledger = SaveLedger()
    for key in ("answer:B1", "answer:A1", "context"):
        ledger.changed(key)
    ledger.changed("answer:B1")
    assert [u.key for u in ledger.unsaved()] == ["answer:A1", "context", "answer:B1"]


def test_retry_pauses_grow_to_a_ceiling() -> None:
    delays = [retry_delay(n) for n in range(len(RETRY_DELAYS) + 3)]
    assert delays == sorted(delays)
    assert delays[0] > 0 and delays[-1] == RETRY_DELAYS[-1] <= 30
