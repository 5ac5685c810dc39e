"""Child process for the crash tests: saves answers one by one into a draft and is killed (or
runs out of file size) at a chosen point. Each answer whose save returned is appended to an
fsynced acknowledgement log *after* the call returned, like a user seeing "saved".

usage: crash_child.py DB USER SCREENING_ID ACK_LOG MODE [N]
MODE: kill:<point> with point in before_begin, before_commit, after_commit_before_ack, and N
the answer at which to die; or fsize: keep saving big notes under RLIMIT_FSIZE.
"""

from __future__ import annotations

import os
import resource
import signal
import sys

from sqlalchemy import event

from cse_screen.core import registry
from cse_screen.errors import UserError
from cse_screen.vault.store import Store


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def ack(log: str, text: str) -> None:
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(text + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def main() -> int:
    db, user, sid, log, mode = sys.argv[1:6]
    at = int(sys.argv[6]) if len(sys.argv) > 6 else -1
    store = Store.open(db, user, os.environ["CSE_SCREEN_PASSWORD"])
    items = registry.get_questionnaire().items
    state = {"n": 0}
    point = mode.split(":", 1)[1] if mode.startswith("kill:") else ""

    @event.listens_for(store.engine, "begin")
    def _begin(_conn):
        if point == "before_begin" and state["n"] == at:
            die()

    @event.listens_for(store.engine, "commit")
    def _commit(_conn):
        if point == "before_commit" and state["n"] == at:
            die()

    if mode == "fsize":
        wal = db + "-wal"
        size = max(os.path.getsize(db), os.path.getsize(wal) if os.path.exists(wal) else 0)
        limit = size + 256 * 1024
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        try:
            for n in range(400):
                item = items[n % len(items)]
                value = "no" if "no" in item.values else "none"
                store.screenings.save_answer(int(sid), item.id, value, "evidence " * 1000)
                ack(log, f"{item.id}:{n}")
        except UserError as exc:
            sys.stderr.write(f"cse-screen: error: {exc.message}\n")
            return exc.exit_code
        return 0

    for n, item in enumerate(items):
        state["n"] = n
        value = "no" if "no" in item.values else "none"
        store.screenings.save_answer(int(sid), item.id, value, f"note {n}")
        if point == "after_commit_before_ack" and n == at:
            die()
        ack(log, item.id)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
