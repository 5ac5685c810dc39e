"""Sync in the app, against a real team server (uvicorn over TLS on a real PostgreSQL) and real
laptop databases made through the command line: the status bar's counts are those of
``sync status``; Sync now sends the waiting work (the server then has it); the background timer
syncs by itself, one sync at a time; offline is a quiet status line, never a dialog; the
enrolment dialog makes the encrypted database and pulls the caseload, and refuses with one
sentence, keeping every field and creating nothing.

Screenshots go to $CSE_SCREEN_SHOTS (default /tmp/cse-screen-sync-shots).
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server" / "api"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

from laptops import Fleet
from server_support import PASSWORD, TeamServer, seed, start_server

from cse_screen.gui.context import AppContext
from cse_screen.gui.errors import show_error
from cse_screen.gui.main_window import MainWindow
from cse_screen.gui.settings import Settings
from cse_screen.gui.sync_status import IDLE, OFFLINE, SYNCING
from cse_screen.gui.worker import Runner
from cse_screen.server.devcluster import DevCluster, free_port
from cse_screen.storage.models import SyncState
from cse_screen.storage.records import ChildInput
from cse_screen.vault.store import Store

SHOTS = Path(os.environ.get("CSE_SCREEN_SHOTS", "/tmp/cse-screen-sync-shots"))
NEVER_MS = 10**8  # a first background sync that a test does not want to race


@pytest.fixture(scope="module")
def team_server(
    pg_cluster: DevCluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TeamServer]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CSE_SCREEN_KDF", "test")
        url = pg_cluster.create_database()
        ids = seed(url)
    server = start_server(url, tmp_path_factory.mktemp("gui-team-server"), ids)
    try:
        yield server
    finally:
        server.stop(signal.SIGKILL)


@pytest.fixture
def fleet(team_server: TeamServer, tmp_path: Path) -> Fleet:
    return Fleet(team_server, tmp_path)


def _shot(widget, name: str) -> Path:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


class Laptop:
    """The app's main window on ``user``'s enrolled database, opened in this process."""

    def __init__(self, qtbot, db: Path, user: str, first_delay_ms: int = NEVER_MS) -> None:  # type: ignore[no-untyped-def]
        self.store = Store.open(db, user, PASSWORD)
        self.runner = Runner()
        self.ctx = AppContext(
            db_path=db,
            settings=Settings(idle_lock_minutes=30, theme="light"),
            runner=self.runner,
            show_error=show_error,
            store=self.store,
        )
        self.main = MainWindow(self.ctx)
        self.sync = self.main.sync
        self.sync.first_delay_ms = first_delay_ms
        qtbot.addWidget(self.main)
        self.main.resize(1200, 700)
        self.main.show()
        qtbot.waitExposed(self.main)

    def close(self) -> None:
        self.sync.stop()
        self.runner.wait(60000)
        self.main.close()
        self.store.close()


@pytest.fixture
def laptops(qtbot) -> Iterator[list[Laptop]]:  # type: ignore[no-untyped-def]
    opened: list[Laptop] = []
    yield opened
    for laptop in opened:
        laptop.close()


def _open(qtbot, laptops: list[Laptop], fleet: Fleet, user: str, **kw: int) -> Laptop:  # type: ignore[no-untyped-def]
    laptop = Laptop(qtbot, fleet.db(user), user, **kw)
    laptops.append(laptop)
    laptop.sync.start()
    qtbot.waitUntil(lambda: laptop.sync.widget is not None, timeout=20000)
    qtbot.waitUntil(lambda: laptop.sync.view.last_sync is not None, timeout=20000)
    return laptop


def _message_boxes() -> set[QMessageBox]:
    return {w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)}


def _new_message_boxes(before: set[QMessageBox]) -> list[str]:
    """The texts of dialogs that came up since ``before``; boxes that earlier tests in this
    process left behind, hidden, do not count."""
    return [w.text() for w in _message_boxes() - before if w.isVisible()]


def _server_screenings(fleet: Fleet, user: str, ref: str) -> int:
    with fleet.server.as_user(user) as http:
        listed = http.get("/api/v1/children", params={"search": ref}).json()["children"]
        child = next(c for c in listed if c["case_ref"] == ref)
        found = http.get(f"/api/v1/children/{child['id']}/screenings").json()
    return len(found["screenings"])


def test_status_bar_shows_the_cores_counts_and_sync_now_sends_them(
    qtbot, fleet: Fleet, laptops: list[Laptop]
) -> None:
    fleet.enrol("wes")
    fleet.add_child("wes", "W7", "Rowan Quillfeather")
    fleet.screen("wes", "W7")
    status = fleet.run("wes", "sync", "status", "--json").json()
    assert status["waiting"] == 2  # the child and the submitted screening
    laptop = _open(qtbot, laptops, fleet, "wes")
    widget = laptop.sync.widget
    assert widget is not None and laptop.sync.action.isEnabled()
    assert laptop.sync.view.waiting == status["waiting"]
    assert laptop.sync.view.conflicts == status["conflicts"]
    assert widget.waitingLabel.text() == "2 changes waiting"
    assert widget.stateLabel.text().startswith("Synced ")
    assert widget.syncButton.accessibleName() == "Sync now"
    assert widget.accessibleDescription().endswith("2 changes waiting.")
    _shot(widget, "status-waiting")

    qtbot.mouseClick(widget.syncButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: laptop.sync.view.phase == IDLE and not laptop.sync.busy(), timeout=60000
    )
    assert laptop.sync.view.waiting == 0
    assert widget.waitingLabel.text() == "Nothing waiting"
    assert fleet.run("wes", "sync", "status", "--json").json()["waiting"] == 0
    assert _server_screenings(fleet, "lena", "W7") == 1
    _shot(widget, "status-synced")
    _shot(laptop.main, "main-window-synced")


def _repoint(laptop: Laptop, url: str) -> None:
    with laptop.store.context.transaction() as session:
        session.get(SyncState, 1).server_url = url  # type: ignore[union-attr]


def test_offline_is_a_quiet_status_line_and_work_goes_when_the_server_answers(
    qtbot, fleet: Fleet, laptops: list[Laptop]
) -> None:
    fleet.enrol("wynn")
    before = _message_boxes()
    laptop = _open(qtbot, laptops, fleet, "wynn")
    last = laptop.sync.view.last_sync
    _repoint(laptop, f"https://127.0.0.1:{free_port()}")
    laptop.ctx.run(
        lambda s, _c: s.children.add(ChildInput("Y9", "Esme Thornbury", date(2013, 4, 5))),
        on_success=lambda _r: laptop.ctx.signals.dataChanged.emit("children"),
    )
    qtbot.waitUntil(lambda: laptop.sync.view.waiting == 1, timeout=20000)
    for _ in range(3):  # three ticks offline: three quiet lines, no dialog
        laptop.sync.sync_in_background()
        qtbot.waitUntil(lambda: not laptop.sync.busy(), timeout=60000)
        assert laptop.sync.view.phase == OFFLINE
    widget = laptop.sync.widget
    assert widget is not None
    assert widget.stateLabel.text().startswith("Offline — last synced ")
    assert laptop.sync.view.last_sync == last and laptop.sync.view.waiting == 1
    assert not _new_message_boxes(before)
    _shot(widget, "status-offline")
    _repoint(laptop, fleet.server.base)
    assert laptop.sync.action.shortcut().toString() == "F9"
    laptop.sync.action.trigger()
    qtbot.waitUntil(
        lambda: laptop.sync.view.phase == IDLE and not laptop.sync.busy(), timeout=60000
    )
    assert laptop.sync.view.waiting == 0


def test_the_background_timer_syncs_by_itself_one_sync_at_a_time(
    qtbot, fleet: Fleet, laptops: list[Laptop]
) -> None:
    fleet.enrol("sue")
    laptop = _open(qtbot, laptops, fleet, "sue")
    assert laptop.sync.timer.isActive()
    assert laptop.sync.timer.interval() == 5 * 60 * 1000
    laptop.ctx.run(
        lambda s, _c: s.children.add(ChildInput("S8", "Idris Fallowmere", date(2011, 6, 7))),
        on_success=lambda _r: laptop.ctx.signals.dataChanged.emit("children"),
    )
    qtbot.waitUntil(lambda: laptop.sync.view.waiting == 1, timeout=20000)
    pushed: list[int] = []
    laptop.sync.synced.connect(lambda outcome: pushed.append(outcome.pushed))
    laptop.sync.timer.setInterval(300)  # the same timer, ticking sooner; nobody clicks
    qtbot.waitUntil(lambda: laptop.sync.view.waiting == 0 and bool(pushed), timeout=60000)
    assert pushed[0] == 1
    laptop.sync.timer.stop()
    qtbot.waitUntil(lambda: not laptop.sync.busy(), timeout=60000)
    laptop.sync.sync_in_background()
    running = laptop.sync._op
    assert running is not None and laptop.sync.view.phase == SYNCING
    laptop.sync.sync_in_background()  # a tick while one runs starts nothing
    laptop.sync.sync_now()
    assert laptop.sync._op is running
    qtbot.waitUntil(lambda: not laptop.sync.busy(), timeout=60000)
    assert sum(pushed) == 1 and laptop.sync.view.phase == IDLE


def test_a_standalone_database_shows_nothing_of_sync(qtbot, app_context) -> None:  # type: ignore[no-untyped-def]
    main = MainWindow(app_context)
    qtbot.addWidget(main)
    main.sync.start()
    qtbot.waitUntil(lambda: not app_context.runner.busy(), timeout=20000)
    assert main.sync.widget is None and not main.sync.enrolled
    assert not main.sync.action.isEnabled() and not main.sync.timer.isActive()
