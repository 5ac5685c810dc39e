"""Writes the wizard's changes off the GUI thread, one at a time, and retries what failed.

The wizard hands over keys (``answer:A1``, ``context``); each is written as it stands when its turn
comes, so ten quick clicks on one answer cost one save of the last. A save that failed for a
passing reason (another program holding the database, a full disk being cleared) stays queued and
is retried after a growing pause; any other failure leaves the change unsaved, with its sentence,
until it is changed again or the worker presses Retry. What is saved is the controller's ledger's
to say, never this queue's: it only reports that something changed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from cse_screen.core.save_ledger import retry_delay
from cse_screen.gui.worker import Runner
from cse_screen.storage.services.draft_saves import PendingSave
from cse_screen.storage.services.drafts import DraftController
from cse_screen.storage_faults import is_retryable

ErrorFn = Callable[[BaseException], None]


class AutosaveQueue(QObject):
    """Serialised background saves of one draft, on the runner's database lane."""

    #: Something about what is saved changed (a save started, finished or failed).
    changed = Signal()

    def __init__(
        self,
        controller: DraftController,
        runner: Runner,
        on_error: ErrorFn | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._runner = runner
        self._on_error = on_error
        self._queued: list[str] = []
        self._in_flight: PendingSave | None = None
        self._retry_timer = QTimer(self, singleShot=True)
        self._retry_timer.timeout.connect(self._pump)
        #: The last save failure, while something is still unsaved (for the marks' short words).
        self.last_error: BaseException | None = None
        #: When the next automatic retry is due, in seconds from when it was planned (or None).
        self.retry_in: float | None = None

    def save(self, key: str) -> None:
        """Queue ``key``'s current value for writing (after any save already running)."""
        if key not in self._queued:
            self._queued.append(key)
        self._pump()

    def retry_now(self) -> None:
        """Try every unsaved change again at once (the worker's Retry, closing, locking)."""
        for unsaved in self._controller.ledger.unsaved():
            if unsaved.key not in self._queued:
                self._queued.append(unsaved.key)
        self._retry_timer.stop()
        self.retry_in = None
        self._pump()

    def stop(self) -> None:
        """Drop what is queued and any planned retry (the draft was discarded)."""
        self._queued.clear()
        self._retry_timer.stop()
        self.retry_in = None

    def busy(self) -> bool:
        """Whether a save is running or waiting its turn (including a planned retry)."""
        return self._in_flight is not None or bool(self._queued)

    def saving(self) -> bool:
        return self._in_flight is not None

    def _pump(self) -> None:
        if self._in_flight is not None or self._retry_timer.isActive() or not self._queued:
            return
        self.retry_in = None
        key = self._queued.pop(0)
        if self._controller.ledger.is_saved(key):
            self._pump()
            return
        pending = self._controller.save_for(key)
        self._in_flight = pending
        # Bound methods, not lambdas: Qt drops the connection if the wizard is gone by the time
        # the write finishes (the write itself still completes, from its snapshot).
        self._runner.run(
            lambda _control: pending.write(), on_success=self._done, on_failure=self._failed
        )
        self.changed.emit()

    def _done(self, _result: object) -> None:
        pending, self._in_flight = self._in_flight, None
        if pending is None:
            return
        if not self._controller.save_done(pending) and pending.key not in self._queued:
            self._queued.append(pending.key)  # changed again while it was being written
        self.changed.emit()
        self._pump()

    def _failed(self, exc: BaseException) -> None:
        pending, self._in_flight = self._in_flight, None
        if pending is None:
            return
        in_a_row = self._controller.save_failed(pending, exc)
        self.last_error = exc
        if is_retryable(exc):
            if pending.key not in self._queued:
                self._queued.insert(0, pending.key)
            self.retry_in = retry_delay(in_a_row - 1)
            self._retry_timer.start(int(self.retry_in * 1000))
        elif self._on_error is not None and in_a_row == 1:
            self._on_error(exc)  # a refusal the worker must read; retrying would not help
        self.changed.emit()
        self._pump()
