"""Start the desktop app: set-up on first run, unlock afterwards, then the main window.

``run(args)`` is what ``cse-screen`` with no subcommand calls. The :class:`Shell` owns the
life cycle (start window → main window, lock, settings, shut-down); it is separate from
``run`` so tests and the screenshot script can drive it without a second event loop.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from cse_screen.gui.context import AppContext
from cse_screen.gui.errors import as_sentence, install_error_hooks, show_error
from cse_screen.gui.lock import LockController
from cse_screen.gui.main_window import MainWindow
from cse_screen.gui.qt_settings import keep_qt_settings_off_disk
from cse_screen.gui.settings import SettingsDialog, load_settings
from cse_screen.gui.setup import SetupWidget
from cse_screen.gui.theme import ThemeFollower
from cse_screen.gui.unlock import UnlockWidget
from cse_screen.gui.worker import Runner
from cse_screen.paths import default_database, resource
from cse_screen.storage.services.clock import clock_warning
from cse_screen.storage.services.outcome_words import returned_sentence


def database_exists(db_path: Path) -> bool:
    """Either half of a database (file or keyslots) means "unlock", never "set up over it"."""
    from cse_screen.vault.keyslots import keyslot_path

    return db_path.exists() or keyslot_path(db_path).exists()


def open_store(db_path: Path) -> Callable[[str, str], object]:
    def attempt(user: str, password: str) -> object:
        from cse_screen.vault.store import Store

        return Store.open(db_path, user, password)

    return attempt


def create_store(db_path: Path) -> Callable[[str, str, str, bytes | None], object]:
    def create(full_name: str, user: str, password: str, recovery: bytes | None) -> object:
        from cse_screen.vault.store import Store

        return Store.create(
            db_path, user, password, full_name=full_name, recovery_public_key=recovery
        )

    return create


def verify_password(db_path: Path, store: Any = None) -> Callable[[str, str], object]:
    """The lock screen's check: the keyslots as they are on disk now (a changed password counts;
    a file older than the open database, put back meanwhile, is refused by the store)."""

    def attempt(user: str, password: str) -> object:
        from cse_screen.errors import WrongPassword
        from cse_screen.storage.services import audit
        from cse_screen.vault import pending
        from cse_screen.vault.keyslots import KeyslotFile, keyslot_path

        keyslots = KeyslotFile.load(keyslot_path(db_path))
        try:
            keyslots.unlock(user, password)
        except WrongPassword:
            pending.note(db_path, audit.LOGIN_FAILED)  # audited like a failed sign-in
            raise
        if store is not None:
            store.require_current(keyslots)
        return None

    return attempt


# Imported while the unlock screen waits for the password, so that pressing Enter costs only
# the password check and opening the database, not half a second of imports.
WARM_MODULES = (
    "cse_screen.vault.store",
    "cse_screen.gui.register",
    "cse_screen.gui.review",
    "cse_screen.gui.child_record",
    "cse_screen.gui.wizard",
)


def warm_imports(_control: object = None) -> None:
    for name in WARM_MODULES:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def drafts_message(drafts: list[Any]) -> str:
    """ "Draft screening for LAC0042 from 14:05 recovered": case references, never names."""
    if not drafts:
        return ""

    def when(stamp: datetime) -> str:
        local = stamp.replace(tzinfo=UTC).astimezone() if stamp.tzinfo is None else stamp
        today = datetime.now().astimezone().date()
        return local.strftime("%H:%M") if local.date() == today else local.strftime("%d %b %H:%M")

    returned = [d for d in drafts if d.status == "returned"]
    if returned:
        # Who sent it back, when and why: the worker must not read it as their own draft.
        first = returned[0]
        text = returned_sentence(
            first.child_ref, first.returned_by, first.returned_at, first.returned_reason
        )
        if len(returned) > 1:
            text += f" {len(returned) - 1} more returned to you (Register: Returned to me)."
        return text
    latest = sorted(drafts, key=lambda d: d.updated_at, reverse=True)
    first = latest[0]
    text = f"Draft screening for {first.child_ref} from {when(first.updated_at)} recovered"
    if len(latest) > 1:
        others = ", ".join(d.child_ref for d in latest[1:4])
        more = f" and {len(latest) - 4} more" if len(latest) > 4 else ""
        text += f"; also unfinished: {others}{more}"
    return text + "."


CLOCK_ADVICE = (
    "Please ask your IT department to set this computer's date and time; check any child's "
    "due date against the case system until they have."
)
STORE_WARNING_ADVICE = (
    "Please tell your IT department before you carry on: they can check this database with "
    "'cse-screen verify'."
)


def app_icon() -> QIcon:
    icon = QIcon()
    with contextlib.suppress(OSError, FileNotFoundError):
        for png in sorted(resource("icons").glob("cse-screen-*.png")):
            icon.addFile(str(png))
    return icon


class Shell(QObject):
    """The app's life cycle, from the first window to shut-down."""

    def __init__(self, app: QApplication, ctx: AppContext) -> None:
        super().__init__()
        self.app = app
        self.ctx = ctx
        self.theme = ThemeFollower(app, ctx.settings.theme)
        self.start_window: QWidget | None = None
        self.main: MainWindow | None = None
        self.lock: LockController | None = None
        self._sync_password: str | None = None
        self.enrol_dialog: QWidget | None = None
        app.aboutToQuit.connect(self.shutdown)

    def start(self) -> QWidget:
        db = self.ctx.db_path
        widget: QWidget
        if database_exists(db):
            unlock = UnlockWidget(
                self.ctx.runner,
                db,
                self._keeping_password(open_store(db)),
                user=self.ctx.settings.last_user,
            )
            unlock.unlocked.connect(self.store_ready)
            self.ctx.runner.run(warm_imports, db=False, on_failure=lambda _exc: None)
            widget = unlock
        else:
            setup = SetupWidget(self.ctx.runner, db, create_store(db))
            setup.created.connect(self.store_ready)
            setup.joinRequested.connect(self.open_enrolment)
            widget = setup
        widget.setWindowTitle("cse-screen")
        widget.resize(760, 600 if isinstance(widget, SetupWidget) else 480)
        widget.show()
        self.start_window = widget
        return widget

    def _keeping_password(
        self, attempt: Callable[[str, str], object]
    ) -> Callable[[str, str], object]:
        """The unlock's attempt, keeping the password for the first sync only: should the
        day's sign-in to the team server have run out, it signs in again without asking."""

        def opened(user: str, password: str) -> object:
            store = attempt(user, password)
            self._sync_password = password
            return store

        return opened

    def open_enrolment(self) -> QWidget:
        """The enrolment dialog over the first-run screen; it makes the database and opens it."""
        from cse_screen.gui.enrol_dialog import EnrolDialog

        dialog = EnrolDialog(self.ctx.runner, self.ctx.db_path, self.start_window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.enrolled.connect(self.store_ready)
        dialog.open()
        self.enrol_dialog = dialog
        return dialog

    def store_ready(self, store: Any) -> None:
        ctx = self.ctx
        ctx.store = store
        if ctx.settings.last_user != store.user.name:
            ctx.settings.last_user = store.user.name
            with contextlib.suppress(OSError):
                ctx.update_settings(ctx.settings)
        self.main = MainWindow(ctx)
        self.main.form.actionSettings.triggered.connect(self.open_settings)
        self.lock = LockController(
            ctx.runner,
            ctx.db_path,
            store.user.name,
            verify_password(ctx.db_path, store),
            ctx.settings.idle_lock_minutes,
            parent=self,
        )
        self.lock.lockedChanged.connect(self._lock_changed)
        self.main.form.actionLock.triggered.connect(self.lock.lock)
        self.main.form.actionQuickHide.triggered.connect(self.lock.quick_hide)
        self.main.resize(1200, 760)
        self.main.show()
        password, self._sync_password = self._sync_password, None
        self.main.sync.start(password)
        if self.start_window is not None:
            self.start_window.close()
            self.start_window.deleteLater()
            self.start_window = None
        ctx.run(lambda s, _c: s.screenings.drafts(), on_success=self._show_drafts)
        self.check_clock()
        self.show_store_warnings(list(getattr(store, "warnings", ())))
        self.show_store_notices(list(getattr(store, "notices", ())))

    def _show_drafts(self, drafts: list[Any]) -> None:
        message = drafts_message(drafts)
        if message and self.main is not None:
            self.main.notify(message, 0)

    def check_clock(self) -> None:
        """Warn, once signed in, when this computer's clock is behind the database: every due
        date and "overdue by" is counted from its today (storage decides, off the GUI thread)."""
        self.ctx.run(lambda s, _c: clock_warning(s.context), on_success=self._show_clock_warning)

    def _show_clock_warning(self, warning: str | None) -> None:
        if not warning or self.main is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "cse-screen",
            as_sentence(warning),
            QMessageBox.StandardButton.Ok,
            self.main,
        )
        box.setObjectName("clockWarningBox")
        box.setInformativeText(CLOCK_ADVICE)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_store_warnings(self, warnings: list[str]) -> None:
        """What the store noticed on opening (an older copy of the database put back), each in
        a box on the main window that the user must acknowledge, one after another.

        Unlike the draft note in the status bar, which the next message replaces, this may mean
        work is missing, so it waits for an answer. It is shown, never logged: the log is not
        where the user looks, and it must hold nothing about the records.
        """
        if not warnings or self.main is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "cse-screen",
            as_sentence(warnings[0]),
            QMessageBox.StandardButton.Ok,
            self.main,
        )
        box.setObjectName("storeWarningBox")
        box.setInformativeText(STORE_WARNING_ADVICE)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result: self.show_store_warnings(warnings[1:]))
        box.open()  # window-modal, without a nested event loop: the lock timer keeps running

    def show_store_notices(self, notices: list[str]) -> None:
        """What opening did that the user and IT should know (an upgrade and where its backup
        is, a copy recognised as one), in one information box."""
        if not notices or self.main is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "cse-screen",
            "\n\n".join(as_sentence(n) for n in notices),
            QMessageBox.StandardButton.Ok,
            self.main,
        )
        box.setObjectName("storeNoticeBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _lock_changed(self, locked: bool) -> None:
        signal = self.ctx.signals.locked if locked else self.ctx.signals.unlocked
        signal.emit()

    def open_settings(self) -> None:
        if self.main is None:
            return
        dialog = SettingsDialog(self.ctx.settings, self.main)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_settings(dialog))
        dialog.open()

    def apply_settings(self, dialog: SettingsDialog) -> None:
        new = dialog.result_settings()
        try:
            self.ctx.update_settings(new)
        except OSError as exc:
            show_error(self.main, exc)
            return
        self.theme.set_choice(new.theme)
        if self.lock is not None:
            self.lock.set_idle_minutes(new.idle_lock_minutes)
        if self.main is not None:
            self.main.notify("Settings saved.")

    def shutdown(self) -> None:
        """Let background work finish, then close the store (WAL checkpoint, key dropped)."""
        if self.lock is not None:
            self.lock.shutdown()
            self.lock = None
        self.ctx.runner.wait(30000)
        store, self.ctx.store = self.ctx.store, None
        if store is not None:
            with contextlib.suppress(Exception):
                store.close()


def make_app(argv: list[str] | None = None) -> QApplication:
    keep_qt_settings_off_disk()  # before any file dialog: no folder history on disk
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication(argv or sys.argv[:1])
    app.setApplicationName("cse-screen")
    app.setApplicationDisplayName("cse-screen")
    app.setOrganizationName("cse-screen")
    app.setDesktopFileName("cse-screen")
    app.setWindowIcon(app_icon())
    return app


def make_context(db_path: Path) -> AppContext:
    settings = load_settings()
    runner = Runner()
    ctx = AppContext(db_path=db_path, settings=settings, runner=runner, show_error=show_error)
    runner.set_error_handler(lambda exc: show_error(QApplication.activeWindow(), exc))
    return ctx


def run(args: argparse.Namespace) -> int:
    """Open the desktop app on ``args.db`` (default: the user data folder); the exit code."""
    db = getattr(args, "db", None)
    db_path = Path(db).expanduser() if db else default_database()
    app = make_app()
    undo_hooks = install_error_hooks()
    try:
        shell = Shell(app, make_context(db_path))
        shell.start()
        return int(app.exec())
    finally:
        undo_hooks()
