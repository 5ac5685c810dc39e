"""Cancel while a document is made: it stops between stages, writes nothing and audits nothing.

The control here is the GUI's own operation control (`gui.worker.OpControl`'s two calls,
``progress`` and ``cancelled``), driven by a test that presses Cancel after a chosen stage.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cse_screen.documents.service import save_board_report, save_screening_pdf, save_subject_access
from cse_screen.errors import Cancelled
from tests.documents.conftest import EXPORT_PASSWORD


class CancelAfter:
    """Says "cancelled" once ``stages`` progress reports have arrived; records them all."""

    def __init__(self, stages: int) -> None:
        self.stages = stages
        self.reports: list[tuple[int, int]] = []

    def progress(self, done: int, total: int) -> None:
        self.reports.append((done, total))

    def cancelled(self) -> bool:
        return len(self.reports) >= self.stages


def _exports(store) -> int:
    return len(store.audit.entries(action="export", limit=10_000))


def _documents(seeded):
    today = date.today()
    return {
        "screening": lambda s, out, c: save_screening_pdf(
            s, seeded.screenings["noted"], out, EXPORT_PASSWORD, c
        ),
        "subject access": lambda s, out, c: save_subject_access(
            s, seeded.refs[1], out, EXPORT_PASSWORD, c
        ),
        "board": lambda s, out, c: save_board_report(
            s, today - timedelta(days=365), today, out, None, c
        ),
    }


@pytest.mark.parametrize("kind", ["screening", "subject access", "board"])
@pytest.mark.parametrize("stage", [1, 2])
def test_cancel_after_a_stage_writes_and_audits_nothing(seeded, open_store, tmp_path, kind, stage):
    store = open_store("admin")
    before = _exports(store)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / ("doc.zip" if kind == "subject access" else "doc.pdf")
    control = CancelAfter(stage)
    with pytest.raises(Cancelled, match="no file was written"):
        _documents(seeded)[kind](store, out, control)
    assert control.reports == [(n, 3) for n in range(1, stage + 1)]
    assert list(folder.iterdir()) == []  # neither the file nor a temporary beside it
    assert _exports(store) == before


@pytest.mark.parametrize("kind", ["screening", "subject access", "board"])
def test_a_run_not_cancelled_reports_every_stage(seeded, open_store, tmp_path, kind):
    store = open_store("admin")
    out = tmp_path / ("doc.zip" if kind == "subject access" else "doc.pdf")
    control = CancelAfter(99)
    saved = _documents(seeded)[kind](store, out, control)
    assert saved.path == out and out.exists()
    assert control.reports == [(1, 3), (2, 3), (3, 3)]
