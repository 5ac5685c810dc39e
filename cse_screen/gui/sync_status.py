"""The sync corner of the status bar: when the laptop last synced, what is waiting, conflicts,
and the "Sync now" button, with a progress bar while a first pull comes in.

Presentation only: the numbers are those of ``sync status --json`` (read by the core), and
what a failure means (offline or refused) is decided by the core; this widget puts them into
words. It never names a child. Every part is reachable with Tab and has an accessible name;
a change of state is announced politely, as a status line should be.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from cse_screen.gui.a11y import announce
from cse_screen.gui.errors import as_sentence

IDLE, SYNCING, OFFLINE, PROBLEM = "idle", "syncing", "offline", "problem"


@dataclass
class SyncView:
    """Where sync stands, as the status bar shows it."""

    phase: str = IDLE
    last_sync: str | None = None  # ISO-8601 UTC with a Z, as ``sync status`` gives it
    waiting: int = 0
    conflicts: int = 0
    message: str = ""  # the one sentence of a failed or refused sync
    pages: int = 0  # pages of a pull received so far (0: none yet)
    received: int = 0  # records received so far in this sync


def clock_text(iso: str | None, now: datetime | None = None) -> str:
    """ "14:05" today, "6 Dec 14:05" before; local time, as the worker's watch shows it."""
    if not iso:
        return ""
    stamp = datetime.fromisoformat(iso.rstrip("Z")).replace(tzinfo=UTC).astimezone()
    today = (now or datetime.now().astimezone()).date()
    if stamp.date() == today:
        return stamp.strftime("%H:%M")
    return f"{stamp.day} {stamp.strftime('%b %H:%M')}"


def state_text(view: SyncView) -> str:
    last = clock_text(view.last_sync)
    if view.phase == SYNCING:
        return f"Syncing… {progress_text(view)}" if view.pages else "Syncing…"
    if view.phase == OFFLINE:
        return f"Offline — last synced {last}" if last else "Offline — not synced yet"
    if view.phase == PROBLEM:
        return as_sentence(view.message)
    return f"Synced {last}" if last else "Not synced yet"


def waiting_text(count: int) -> str:
    if count == 0:
        return "Nothing waiting"
    return f"{count} change{'s' if count != 1 else ''} waiting"


def conflicts_text(count: int) -> str:
    return f"{count} conflict{'s' if count != 1 else ''}"


def progress_text(view: SyncView) -> str:
    return f"received {view.received:,} records ({view.pages} page{'s' * (view.pages != 1)})"


class SyncStatus(QWidget):
    """Permanent status-bar widget; ``syncRequested`` when Sync now is pressed,
    ``conflictsClicked`` when the conflicts count is (only clickable when someone listens)."""

    syncRequested = Signal()
    conflictsClicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.setAccessibleName("Team server sync")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 4, 0)
        row.setSpacing(10)
        self.stateLabel = QLabel(self)
        self.stateLabel.setObjectName("syncStateLabel")
        self.stateLabel.setAccessibleName("Sync state")
        self.stateLabel.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.stateLabel.setMaximumWidth(520)
        self.progressBar = QProgressBar(self)
        self.progressBar.setObjectName("syncProgressBar")
        self.progressBar.setAccessibleName("Sync progress")
        self.progressBar.setRange(0, 0)  # the server does not say how much is coming
        self.progressBar.setTextVisible(False)
        self.progressBar.setFixedWidth(120)
        self.progressBar.hide()
        self.waitingLabel = QLabel(self)
        self.waitingLabel.setObjectName("syncWaitingLabel")
        self.waitingLabel.setAccessibleName("Changes waiting to be sent")
        self.conflictsButton = QPushButton(self)
        self.conflictsButton.setObjectName("syncConflictsButton")
        self.conflictsButton.setAccessibleName("Sync conflicts")
        self.conflictsButton.setFlat(True)
        self.conflictsButton.setAutoDefault(False)
        self.conflictsButton.clicked.connect(self.conflictsClicked)
        self.conflictsButton.hide()
        self.syncButton = QPushButton("&Sync now", self)
        self.syncButton.setObjectName("syncNowButton")
        self.syncButton.setAccessibleName("Sync now")
        self.syncButton.setAccessibleDescription(
            "Send this laptop's changes to the team server and fetch the team's (F9)"
        )
        self.syncButton.setToolTip("Send changes and fetch the team's now (F9)")
        self.syncButton.setAutoDefault(False)
        self.syncButton.clicked.connect(self.syncRequested)
        for widget in (
            self.stateLabel,
            self.progressBar,
            self.waitingLabel,
            self.conflictsButton,
            self.syncButton,
        ):
            row.addWidget(widget)
        self.setTabOrder(self.conflictsButton, self.syncButton)
        self._clickable = False
        self.view = SyncView()
        self.show_view(self.view)

    def set_conflicts_clickable(self, clickable: bool) -> None:
        self._clickable = clickable
        self.show_view(self.view)

    def show_view(self, view: SyncView) -> None:
        """Put ``view`` into words; announce the state line when it changed."""
        before = (self.view.phase, self.view.message, self.view.last_sync)
        self.view = view
        text = state_text(view)
        self.stateLabel.setText(text)
        self.stateLabel.setToolTip(text if view.phase == PROBLEM else "")
        self.stateLabel.setProperty("tone", "warn" if view.phase == PROBLEM else "")
        self.stateLabel.style().unpolish(self.stateLabel)
        self.stateLabel.style().polish(self.stateLabel)
        self.waitingLabel.setText(waiting_text(view.waiting))
        self.conflictsButton.setText(conflicts_text(view.conflicts))
        self.conflictsButton.setVisible(view.conflicts > 0)
        self.conflictsButton.setEnabled(self._clickable)
        self.conflictsButton.setFocusPolicy(
            Qt.FocusPolicy.StrongFocus if self._clickable else Qt.FocusPolicy.NoFocus
        )
        self.conflictsButton.setToolTip("Show the conflicts" if self._clickable else "")
        pulling = view.phase == SYNCING and view.pages > 0
        self.progressBar.setVisible(pulling)
        if pulling:
            self.progressBar.setAccessibleDescription(progress_text(view))
        self.syncButton.setEnabled(view.phase != SYNCING)
        summary = f"{text}. {waiting_text(view.waiting)}."
        if view.conflicts:
            summary += f" {conflicts_text(view.conflicts)}."
        self.setAccessibleDescription(summary)
        if (view.phase, view.message, view.last_sync) != before:
            announce(self.stateLabel, text)  # not each page: a reader would hear nothing else
