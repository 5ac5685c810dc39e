"""Background sync for an enrolled laptop: every few minutes, on "Sync now" (F9), one at a time.

Offline is normal for a social worker's laptop, so a sync that finds no server is not an error:
the status bar says "Offline — last synced 14:05" and the next attempt comes at the next tick.
A refused sync (a disabled account, a revoked laptop, a changed certificate) shows its one
sentence there too; nothing here opens a dialog by itself, so a laptop offline all day never
collects a pile of them. Only "Sync now" asks for a password, when the day's sign-in has run out.

Sync waits on the network for seconds at a time, so it does not run on the database thread
(which would hold every screen's reads behind it): it runs in the worker pool with a copy of
the store's service context whose sessions each take the database lock, so its reads and
writes still queue with everyone else's, and it holds nothing while it waits for the server.

The sync package (and httpx under it) is imported only when the first sync starts: a
standalone database never loads it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMetaMethod, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLineEdit, QStatusBar, QWidget

from cse_screen.errors import UserError
from cse_screen.gui.sync_status import IDLE, OFFLINE, PROBLEM, SYNCING, SyncStatus, SyncView

if TYPE_CHECKING:
    from cse_screen.gui.context import AppContext
    from cse_screen.gui.worker import Op, OpControl
    from cse_screen.storage.services.context import DriverErrors, ServiceContext
    from cse_screen.vault.store import Store

#: How often an open, enrolled database syncs by itself.
BACKGROUND_INTERVAL_MS = 5 * 60 * 1000
#: The first sync waits until the register is on screen and its first page read.
FIRST_SYNC_DELAY_MS = 3000
#: Local changes come in bursts (a screening submitted): count what waits once they settle.
RECOUNT_DELAY_MS = 500
SYNC_KEY = "F9"
UNEXPECTED = (
    "sync stopped because of an unexpected problem; your work stays on this laptop and goes "
    "at the next sync"
)


class _Locked:
    """Driver-error translation that also holds the database lock around each session."""

    def __init__(self, inner: DriverErrors, lock: threading.RLock) -> None:
        self._inner = inner
        self._lock = lock

    @contextlib.contextmanager
    def reading(self) -> Iterator[object]:
        with self._lock, self._inner.reading():
            yield None

    @contextlib.contextmanager
    def writing(self) -> Iterator[object]:
        with self._lock, self._inner.writing():
            yield None


def locked_context(ctx: ServiceContext, lock: threading.RLock) -> ServiceContext:
    """``ctx`` whose every session queues on ``lock`` with the app's other database work."""
    return dataclasses.replace(ctx, errors=_Locked(ctx.errors, lock))


def _is_enrolled(store: Store) -> bool:
    from cse_screen.storage.services.changes import enrolled

    with store.reading() as session:
        return enrolled(session)


class SyncController(QObject):
    """Owns the sync timer, the "Sync now" action and the status-bar widget.

    ``conflictsRequested`` is the one hook for a conflicts screen: the conflicts count in the
    status bar is clickable only while something is connected to it.
    """

    conflictsRequested = Signal()
    #: After every finished sync, with its outcome (``pushed``/``pulled``/... counts).
    synced = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        window: QWidget,
        status_bar: QStatusBar,
        *,
        interval_ms: int = BACKGROUND_INTERVAL_MS,
        first_delay_ms: int = FIRST_SYNC_DELAY_MS,
    ) -> None:
        super().__init__(window)
        self.ctx = ctx
        self._window = window
        self._status_bar = status_bar
        self.first_delay_ms = first_delay_ms
        self.widget: SyncStatus | None = None
        self.view = SyncView()
        self.enrolled = False
        self._password: str | None = None
        self._op: Op | None = None
        self._interactive = False
        self.action = QAction("&Sync now", window)
        self.action.setObjectName("actionSyncNow")
        self.action.setShortcut(QKeySequence(SYNC_KEY))
        self.action.setToolTip("Send this laptop's changes to the team server and fetch the team's")
        self.action.setEnabled(False)
        self.action.triggered.connect(self.sync_now)
        window.addAction(self.action)
        self.timer = QTimer(self)
        self.timer.setObjectName("syncTimer")
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.sync_in_background)
        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(RECOUNT_DELAY_MS)
        self._recount.timeout.connect(self.refresh)
        ctx.signals.dataChanged.connect(self._local_change)

    # -- start-up ----------------------------------------------------------------------------

    def start(self, password: str | None = None) -> None:
        """Find out (off the GUI thread) whether the database is enrolled; if so, show the
        status and start the timer. ``password`` (the one just used to unlock) serves the
        first sync only, should the day's sign-in have run out, and is then dropped."""
        self._password = password
        self.ctx.run(
            lambda store, _c: _is_enrolled(store),
            on_success=self._found,
            on_failure=lambda _exc: self._forget_password(),
        )

    def _forget_password(self) -> None:
        self._password = None

    def _found(self, enrolled: bool) -> None:
        if not enrolled:
            self._forget_password()
            return
        self.enrolled = True
        widget = SyncStatus(self._status_bar)
        widget.syncRequested.connect(self.sync_now)
        widget.conflictsClicked.connect(self.conflictsRequested)
        self._status_bar.addPermanentWidget(widget)
        self.widget = widget
        self._show()
        self.refresh()  # the counts at once; the first sync follows once the register is up
        self.action.setEnabled(True)
        self.timer.start()
        QTimer.singleShot(self.first_delay_ms, self.sync_in_background)

    def connectNotify(self, signal: QMetaMethod) -> None:
        """A conflicts handler connected late makes the count clickable at once."""
        super().connectNotify(signal)
        if getattr(self, "widget", None) is not None:
            self._show()

    def conflicts_clickable(self) -> bool:
        hook = QMetaMethod.fromSignal(self.conflictsRequested)
        return self.isSignalConnected(hook) and self.widget is not None

    # -- syncing -----------------------------------------------------------------------------

    def sync_in_background(self) -> None:
        self._start(interactive=False)

    def sync_now(self) -> None:
        """The user asked: run now (or, if a sync is already running, report on that one)."""
        if not self.enrolled:
            return
        self._interactive = True
        self._start(interactive=True)

    def busy(self) -> bool:
        return self._op is not None

    def _start(self, interactive: bool, password: str | None = None) -> None:
        store = self.ctx.store
        if not self.enrolled or store is None or self._op is not None:
            return
        self._interactive = interactive
        secret, self._password = password or self._password, None
        context = locked_context(store.context, self.ctx.runner.db_lock)

        def work(control: OpControl) -> tuple[Any, Any]:
            from cse_screen.sync import desktop

            outcome = desktop.sync_now(context, secret, on_page=control.progress)
            return outcome, desktop.overview(context)

        self.view = dataclasses.replace(self.view, phase=SYNCING, pages=0, received=0)
        self._show()
        self._op = self.ctx.runner.run(
            work,
            db=False,
            on_success=self._succeeded,
            on_failure=self._failed,
            on_progress=self._progressed,
        )

    def _progressed(self, pages: int, received: int) -> None:
        self.view = dataclasses.replace(self.view, pages=pages, received=received)
        self._show()

    def _succeeded(self, result: tuple[Any, dict[str, Any] | None]) -> None:
        self._op = None
        outcome, overview = result
        self._take(overview, IDLE, "")
        if outcome.pulled:
            for what in ("children", "screenings", "events"):
                self.ctx.signals.dataChanged.emit(what)
        if self._interactive and self.ctx.nav is not None:
            self.ctx.nav.notify(f"Sync finished: {outcome.pushed} sent, {outcome.pulled} received.")
        self._interactive = False
        self.synced.emit(outcome)

    def _failed(self, exc: BaseException) -> None:
        self._op = None
        from cse_screen.sync import desktop

        interactive, self._interactive = self._interactive, False
        if isinstance(exc, desktop.SignInNeeded) and interactive:
            self.view = dataclasses.replace(self.view, phase=PROBLEM, message=exc.message)
            self._show()
            self._ask_password()
            return
        if desktop.is_offline(exc):
            self.view = dataclasses.replace(self.view, phase=OFFLINE, message="")
        elif isinstance(exc, UserError):
            self.view = dataclasses.replace(self.view, phase=PROBLEM, message=exc.message)
        else:
            self.view = dataclasses.replace(self.view, phase=PROBLEM, message=UNEXPECTED)
            if interactive:
                self.ctx.show_error(self._window, exc)  # a bug: the funnel's report, once
        self._show()
        self.refresh()  # a push that stopped half-way changed what waits

    def _ask_password(self) -> None:
        """Window-modal, without a nested event loop (the lock timer keeps running)."""
        store = self.ctx.store
        dialog = QInputDialog(self._window)
        dialog.setObjectName("syncPasswordDialog")
        dialog.setWindowTitle("Sign in to the team server")
        who = store.user.name if store is not None else ""
        dialog.setLabelText(f"Password for {who}:")
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        dialog.setAccessibleName("Sign in to the team server")
        dialog.textValueSelected.connect(
            lambda text: self._start(interactive=True, password=text) if text else None
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    # -- counts ------------------------------------------------------------------------------

    def _local_change(self, _what: str) -> None:
        if self.enrolled and self._op is None:
            self._recount.start()

    def refresh(self) -> None:
        """Read the counts again (off the GUI thread) and show them."""
        store = self.ctx.store
        if not self.enrolled or store is None:
            return
        context = locked_context(store.context, self.ctx.runner.db_lock)

        def read(_control: OpControl) -> Any:
            from cse_screen.sync import desktop

            return desktop.overview(context)

        self.ctx.runner.run(
            read,
            db=False,
            on_success=lambda overview: self._take(overview, self.view.phase, self.view.message),
            on_failure=lambda _exc: None,  # the counts stay as they were; the next read retries
        )

    def _take(self, overview: dict[str, Any] | None, phase: str, message: str) -> None:
        if overview is None:
            return
        if phase == SYNCING and self._op is None:
            phase = IDLE
        self.view = SyncView(
            phase=phase,
            last_sync=overview.get("last_sync"),
            waiting=int(overview.get("waiting") or 0),
            conflicts=int(overview.get("conflicts") or 0),
            message=message,
            pages=self.view.pages if phase == SYNCING else 0,
            received=self.view.received if phase == SYNCING else 0,
        )
        self._show()

    def _show(self) -> None:
        if self.widget is not None:
            self.widget.set_conflicts_clickable(self.conflicts_clickable())
            self.widget.show_view(self.view)

    def stop(self) -> None:
        self.timer.stop()
        self._recount.stop()
