"""Run one export in a child process and kill it (SIGKILL) at a chosen point.

Used by the crash tests: ``python kill_export.py DB OUT STAGE``. Stages: ``mid_save`` (while
the zip is being assembled in memory), ``before_replace`` (the file is written under its
temporary name, not yet renamed) and ``progress`` (prints progress so the parent can kill it at
any moment while rows are written).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from typing import Any

PASSWORD = "Heron-candle-93-meadow"


def _die(*_args: Any, **_kwargs: Any) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _arm(stage: str, memory: Any, atomic: Any) -> Any:
    """Set the kill point (after the database is open, so only the export can reach it)."""
    if stage == "mid_save":
        original = memory._BookWriter.write_worksheet
        written: list[object] = []

        def write_worksheet(self: Any, ws: Any) -> None:
            written.append(ws)
            if len(written) == 3:
                _die()
            original(self, ws)

        memory._BookWriter.write_worksheet = write_worksheet
    elif stage == "before_replace":
        atomic.os.replace = _die
    elif stage == "progress":

        def progress(done: int, total: int) -> None:
            print("progress", done, total, flush=True)
            time.sleep(0.02)

        return progress
    return None


def main() -> None:
    db, out, stage = sys.argv[1:4]
    from cse_screen.export import ExportOptions, export_workbook, memory
    from cse_screen.vault import atomic
    from cse_screen.vault.store import Store

    with Store.open(db, "admin", PASSWORD) as store:
        progress = _arm(stage, memory, atomic)
        export_workbook(store, out, ExportOptions(), progress=progress)
    print("finished", flush=True)


if __name__ == "__main__":
    main()
