"""The shared behaviour of the dialogs that start a long operation (export, backup, import).

Each of them is a deliberate act: the user fills in the dialog, presses its start button, and
watches a progress bar while the work runs on the database thread (through the one background
abstraction, :mod:`cse_screen.gui.worker`). While it runs the inputs are frozen and Cancel asks the
operation to stop instead of closing the dialog, so no operation is ever left running behind a
closed window, and the user always learns how it ended: the success sentence, the cancellation
sentence, or the refusal sentence, in the dialog itself beside what they may want to change.
Only a failure that is not a user error (a bug) goes to the error funnel's report and apology.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from cse_screen.errors import Cancelled, UserError
from cse_screen.gui.errors import as_sentence
from cse_screen.gui.theme import set_tone

if TYPE_CHECKING:
    from cse_screen.gui.context import AppContext
    from cse_screen.gui.worker import Op, OpControl
    from cse_screen.vault.store import Store

Work = Callable[["Store", "OpControl"], Any]

#: Progress values are scaled to this range: a backup counts bytes, which overflow a Qt int.
SCALE = 1000


def scaled(control: OpControl) -> Callable[[int, int], None]:
    """A progress callback for byte-sized counts, reported to the GUI as parts of SCALE."""

    def report(done: int, total: int) -> None:
        if total > 0:
            control.progress(min(done, total) * SCALE // total, SCALE)
        else:
            control.progress(0, 0)

    return report


class OperationDialog(QDialog):
    """Base class: subclasses build their inputs, then call :meth:`bind` and :meth:`start`.

    ``bind`` names the widgets the base drives: the start button, the Cancel/Close button, the
    progress bar, the status label and the inputs to freeze while the operation runs.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.op: Op | None = None
        self._cancel_requested = False

    def add_help(self, layout: QBoxLayout, text: str, object_name: str, accessible: str) -> None:
        """The sentence at the top that says what the operation does and what it needs."""
        label = QLabel(text, self)
        label.setObjectName(object_name)
        label.setAccessibleDescription(accessible)  # its name stays the words it shows
        label.setWordWrap(True)
        layout.addWidget(label)

    def add_file_row(
        self, layout: QBoxLayout, label_text: str, edit_name: str, what: str, placeholder: str
    ) -> tuple[QLineEdit, QPushButton]:
        """A read-only path with a Choose… button: the path is only ever set by a file dialog,
        so what is shown is what will be used."""
        row = QHBoxLayout()
        edit = QLineEdit(self)
        edit.setObjectName(edit_name)
        edit.setAccessibleName(what)
        edit.setReadOnly(True)
        edit.setPlaceholderText(placeholder)
        browse = QPushButton("C&hoose…", self)
        browse.setObjectName("browseButton")
        browse.setAccessibleName(f"Choose the {what.lower()}")
        browse.setAutoDefault(False)
        row.addWidget(edit, 1)
        row.addWidget(browse)
        label = QLabel(label_text, self)
        label.setBuddy(browse)
        form = QFormLayout()
        form.addRow(label, row)
        layout.addLayout(form)
        return edit, browse

    def add_status_area(self, layout: QBoxLayout, what: str) -> tuple[QLabel, QProgressBar]:
        """The status sentence and progress bar every operation dialog shows under its inputs."""
        status = QLabel(self)
        status.setObjectName("statusLabel")
        status.setAccessibleDescription(f"{what} status")  # read as what it says
        status.setWordWrap(True)
        layout.addWidget(status)
        bar = QProgressBar(self)
        bar.setObjectName("progressBar")
        bar.setAccessibleName(f"{what} progress")
        layout.addWidget(bar)
        return status, bar

    def action_row(
        self, text: str, object_name: str, accessible: str
    ) -> tuple[QHBoxLayout, QPushButton, QPushButton]:
        """The start button (the default) and the Close/Cancel button, right-aligned."""
        row = QHBoxLayout()
        row.addStretch(1)
        start = QPushButton(text, self)
        start.setObjectName(object_name)
        start.setAccessibleName(accessible)
        start.setDefault(True)
        close = QPushButton("Close", self)
        close.setObjectName("cancelButton")
        close.setAccessibleName("Close this dialog")
        close.setAutoDefault(False)
        row.addWidget(start)
        row.addWidget(close)
        return row, start, close

    def bind(
        self,
        start_button: QPushButton,
        cancel_button: QPushButton,
        bar: QProgressBar,
        status: QLabel,
        inputs: Sequence[QWidget],
    ) -> None:
        self._start_button = start_button
        self._cancel_button = cancel_button
        self._bar = bar
        self._status = status
        self._inputs = tuple(inputs)
        bar.hide()
        status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_tone(status, "")
        cancel_button.clicked.connect(self.reject)

    # -- running -----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.op is not None

    def start(self, work: Work, busy_text: str) -> Op:
        """Run ``work(store, control)`` on the database thread and show its progress."""
        self._cancel_requested = False
        self._set_busy(True)
        self.say(busy_text)
        self._bar.setRange(0, 0)  # busy until the first progress report
        self.op = self.ctx.run(
            work,
            on_success=self._op_succeeded,
            on_failure=self._op_failed,
            on_progress=self._op_progressed,
        )
        return self.op

    def _set_busy(self, busy: bool) -> None:
        for widget in self._inputs:
            widget.setEnabled(not busy)
        self._start_button.setEnabled(not busy)
        self._bar.setVisible(busy)
        self.fit()
        self._cancel_button.setText("Cancel" if busy else "Close")
        self._cancel_button.setEnabled(True)
        self._cancel_button.setAccessibleName(
            "Cancel the operation" if busy else "Close this dialog"
        )
        if busy:
            self._cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _op_progressed(self, done: int, total: int) -> None:
        if total <= 0:
            self._bar.setRange(0, 0)
            return
        self._bar.setRange(0, total)
        self._bar.setValue(min(done, total))

    def _op_succeeded(self, result: object) -> None:
        self.op = None
        self._set_busy(False)
        self._bar.setRange(0, 1)
        self._bar.setValue(1)
        self._bar.show()  # a full bar beside the success sentence
        self.fit()
        self.succeeded(result)

    def _op_failed(self, exc: BaseException) -> None:
        self.op = None
        self._set_busy(False)
        if isinstance(exc, Cancelled):
            self.say(as_sentence(exc.message), "warn")
        elif isinstance(exc, UserError):
            self.say(as_sentence(exc.message), "error")
        else:
            self.say(self.failed_text(), "error")
            self.ctx.show_error(self, exc)
        self.failed(exc)

    # -- for subclasses ----------------------------------------------------------------------

    def succeeded(self, result: Any) -> None:
        """Show what was done; the base has already stopped the progress display."""
        raise NotImplementedError

    def failed(self, exc: BaseException) -> None:
        """Put focus back where the user can change something (the base showed the sentence)."""
        self._start_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def failed_text(self) -> str:
        """The sentence beside an unexpected failure (the funnel shows the apology and report)."""
        return "The operation did not finish; nothing was changed."

    def cancelling_text(self) -> str:
        """What happens now that Cancel was pressed (the operation stops at its next check)."""
        return "Cancelling… nothing is kept from an unfinished run."

    def show_problem(self, text: str, widget: QWidget | None = None) -> None:
        """A problem found before starting (a missing destination, passwords that differ)."""
        self.say(text, "error")
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def say(self, text: str, tone: str = "info") -> None:
        """Show ``text`` in the status line (tones as in app.qss) and make room for it."""
        set_tone(self._status, text, tone)
        self.fit()

    def fit(self) -> None:
        """Grow (never shrink) to fit a longer sentence or the progress bar appearing, so
        nothing is squeezed; the dialog opens at its natural height."""
        layout = self.layout()
        if layout is None:
            return
        width = self.width()
        need = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        if need > self.height():
            self.resize(width, need)

    def status_text(self) -> str:
        return self._status.text()

    # -- closing -----------------------------------------------------------------------------

    def reject(self) -> None:
        """Cancel (or Escape) stops a running operation; the dialog stays to say how it ended."""
        if self.op is None:
            super().reject()
            return
        if not self._cancel_requested:
            self._cancel_requested = True
            self.op.cancel()
            self._cancel_button.setEnabled(False)
            self.say(self.cancelling_text())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.op is not None:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)
