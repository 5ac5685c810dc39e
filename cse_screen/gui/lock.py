"""Locking: after idle time, on demand (Ctrl+L) and on quick-hide (Ctrl+Shift+H).

A locked app shows nothing of the data. Every window of the app is hidden, except modal dialogs
that are waiting in ``exec()``: hiding one would end its event loop and throw away what was typed
in it, so those are covered with an opaque panel instead and uncovered after unlock. The lock
screen is its own application-modal window so it stays usable above any such dialog.

"Idle" means no typing, clicking or scrolling in this app. It is measured on the wall clock as well
as the monotonic one, so a laptop that slept with its lid closed for longer than the idle time is
locked when it wakes, before the first keystroke reaches a page. The database stays open while
locked; unlocking re-checks the same user's password against the keyslots (off the GUI thread).
The wizard saves every answer as it is given, so a lock never loses work.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMainWindow, QVBoxLayout, QWidget

from cse_screen.gui.unlock import UnlockWidget
from cse_screen.gui.worker import Runner

LOCK_KEYS = QKeySequence("Ctrl+L")
QUICK_HIDE_KEYS = QKeySequence("Ctrl+Shift+H")

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


def _matches(combo: QKeyCombination, sequence: QKeySequence) -> bool:
    return sequence.count() == 1 and sequence[0] == combo  # type: ignore[index]


class LockCover(QWidget):
    """An opaque panel over a modal dialog while the app is locked."""

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self.setObjectName("lockCover")
        self.setAccessibleName("Locked")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        label = QLabel("cse-screen is locked", self)
        label.setObjectName("lockCoverLabel")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)
        self.setGeometry(target.rect())
        target.installEventFilter(self)
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
            self.raise_()
        return False

    def remove(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            parent.removeEventFilter(self)
        self.hide()
        self.deleteLater()


class LockScreen(QWidget):
    """The window shown while locked: the unlock form for the signed-in user only."""

    def __init__(self, unlock: UnlockWidget) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setObjectName("lockScreen")
        self.setWindowTitle("cse-screen (locked)")
        self.setAccessibleName("cse-screen is locked")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.unlock = unlock
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(unlock)
        self.quit_requested = False

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing the lock screen quits the app: the data stays hidden, drafts are saved.
        self.quit_requested = True
        event.accept()
        QTimer.singleShot(0, QApplication.quit)


class LockController(QObject):
    """Owns the idle timer, the lock shortcuts and the lock screen."""

    lockedChanged = Signal(bool)

    def __init__(
        self,
        runner: Runner,
        db_path: Path,
        user: str,
        verify: Callable[[str, str], object],
        idle_minutes: float = 5,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.locked = False
        self._idle_seconds = 60.0 * idle_minutes
        self._last_mono = time.monotonic()
        self._last_wall = time.time()
        self._hidden: list[tuple[QWidget, Qt.WindowState]] = []
        self._covers: list[tuple[QWidget, LockCover, Qt.WindowState]] = []
        unlock = UnlockWidget(runner, db_path, verify, user=user, fixed_user=True, db_lane=False)
        unlock.setObjectName("lockUnlockForm")
        self.screen = LockScreen(unlock)
        unlock.unlocked.connect(lambda _result: self.unlock())
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check_idle)
        self._restart_timer()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # -- idle --------------------------------------------------------------------------------

    def set_idle_minutes(self, minutes: float) -> None:
        self._idle_seconds = 60.0 * minutes
        self._touch()
        self._restart_timer()

    def _restart_timer(self) -> None:
        # Check often enough to lock within ~5 s of the deadline, and on waking from sleep.
        interval = max(50, int(min(self._idle_seconds / 2, 5.0) * 1000))
        self._timer.start(interval)

    def _touch(self) -> None:
        self._last_mono = time.monotonic()
        self._last_wall = time.time()

    def idle_for(self) -> float:
        return max(time.monotonic() - self._last_mono, time.time() - self._last_wall)

    def _check_idle(self) -> None:
        if not self.locked and self.idle_for() >= self._idle_seconds:
            self.lock()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Show and self.locked and isinstance(watched, QWidget):
            self._late_window(watched)
            return False
        if kind not in _INPUT_EVENTS:
            return False
        if kind == QEvent.Type.KeyPress:
            combo = event.keyCombination()  # type: ignore[attr-defined]
            if _matches(combo, QUICK_HIDE_KEYS):
                self.quick_hide()
                return True
            if _matches(combo, LOCK_KEYS):
                self.lock()
                return True
        if self.locked:
            return False
        if self.idle_for() >= self._idle_seconds:
            self.lock()  # woke from sleep: this input must not reach the data
            return True
        self._touch()
        return False

    # -- locking -----------------------------------------------------------------------------

    def lock(self) -> None:
        if self.locked:
            return
        self.locked = True
        self._timer.stop()
        for window in QApplication.topLevelWidgets():
            if window is not self.screen and window.isVisible():
                self._conceal(window)
        clipboard = QGuiApplication.clipboard()
        if clipboard.ownsClipboard():
            clipboard.clear()
        hidden = [w for w, _state in self._hidden]
        like = next(
            (w for w in hidden if isinstance(w, QMainWindow)), hidden[0] if hidden else None
        )
        self._show_screen(like)
        self.lockedChanged.emit(True)

    def _conceal(self, window: QWidget) -> bool:
        """Cover a modal dialog (True) or hide any other window (False), to restore later."""
        if window.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
            window.hide()  # menus and tooltips close; they are not brought back
            return False
        if isinstance(window, QDialog) and window.isModal():
            if not any(w is window for w, _c, _s in self._covers):
                self._covers.append((window, LockCover(window), window.windowState()))
            return True
        if not any(w is window for w, _s in self._hidden):
            self._hidden.append((window, window.windowState()))
        window.hide()
        return False

    def _late_window(self, widget: QWidget) -> None:
        """A window that opens while locked (a finished background task's message, say) is
        concealed too, once it has finished showing."""
        if not widget.isWindow() or self._belongs_to_screen(widget):
            return

        def conceal() -> None:
            if self.locked and widget.isVisible():
                self._conceal(widget)
                self.screen.raise_()

        QTimer.singleShot(0, conceal)

    def _belongs_to_screen(self, widget: QWidget) -> bool:
        """The lock screen and its own windows (an error shown by it) stay visible."""
        current: QWidget | None = widget
        while current is not None:
            if current is self.screen:
                return True
            current = current.parentWidget()
        return False

    def _show_screen(self, like: QWidget | None) -> None:
        self.screen.unlock.reset()
        if like is not None:
            self.screen.setGeometry(like.geometry())
            if like.windowState() & Qt.WindowState.WindowMaximized:
                self.screen.showMaximized()
            else:
                self.screen.show()
        else:
            self.screen.resize(720, 520)
            self.screen.show()
        self.screen.raise_()
        self.screen.activateWindow()
        self.screen.unlock.focus_first_empty()

    def quick_hide(self) -> None:
        """Lock and get every window of the app off the screen at once."""
        self.lock()
        self.screen.showMinimized()
        for window, _cover, _state in self._covers:
            window.showMinimized()

    def unlock(self) -> None:
        if not self.locked:
            return
        self.screen.hide()
        for window, state in self._hidden:
            window.setWindowState(state & ~Qt.WindowState.WindowMinimized)
            window.show()
        for window, cover, state in self._covers:
            cover.remove()
            window.setWindowState(state & ~Qt.WindowState.WindowMinimized)
            window.show()
            window.raise_()
            window.activateWindow()
        self._hidden.clear()
        self._covers.clear()
        self.locked = False
        self._touch()
        self._restart_timer()
        self.lockedChanged.emit(False)

    def shutdown(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()
        self.screen.hide()
        self.screen.deleteLater()
