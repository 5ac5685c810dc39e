"""Two programs (here: threads with their own connections) writing at once: both succeed,
nothing is lost and the audit chain stays one unbroken line."""

from __future__ import annotations

import datetime as dt
import threading

from records_fixtures import ADMIN, Council

from cse_screen.storage.records import ChildInput


def test_simultaneous_writers_wait_for_each_other(council: Council):
    failures: list[str] = []

    def work(n: int) -> None:
        try:
            store = council.open(ADMIN)  # its own engine: connections of its own
            for i in range(15):
                store.children.add(ChildInput(f"T{n}-{i}", "Some Child", dt.date(2012, 1, 1)))
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    admin = council.open()
    assert admin.stats()["children"] == 4 + 60
    assert council.verify_ok(admin)
    assert admin.audit.verify().entries == admin.audit.head()[0]
