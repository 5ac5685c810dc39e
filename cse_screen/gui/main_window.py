"""The main window: sidebar navigation, a stack of pages, and the status area.

It implements the :class:`~cse_screen.gui.context.Navigator` the pages use. Root pages (the
children register; the review queue, audit log and dashboard for leads; users for
administrators) sit under a stack of pages opened from them (a child record, a screening). Only
screens that exist and that the user's role may use appear. The long operations (import,
export, backup) open as dialogs.

The window title is "cse-screen – <signed-in user>" and nothing else, whatever a page does: a
title change is put back at once, because a child's name in a title ends up in the taskbar,
Alt+Tab and screen-sharing previews.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QDialog, QMainWindow, QPushButton, QWidget

from cse_screen.gui.a11y import announce
from cse_screen.gui.context import AppContext
from cse_screen.gui.forms.ui_main_window import Ui_MainWindow
from cse_screen.gui.sync_control import SyncController

ROOT_PAGES: dict[str, tuple[str, str]] = {
    "register": ("cse_screen.gui.register", "RegisterPage"),
    "review": ("cse_screen.gui.review", "ReviewPage"),
    "users": ("cse_screen.gui.users", "UsersPage"),
    "audit": ("cse_screen.gui.audit_view", "AuditPage"),
    "dashboard": ("cse_screen.gui.dashboard", "DashboardPage"),
}
REVIEW_ROLES = ("lead", "manager", "admin")
#: Roles offered each root page (None: everyone); the services refuse the others anyway.
ROOT_ROLES: dict[str, tuple[str, ...] | None] = {
    "register": None,
    "review": REVIEW_ROLES,
    "users": ("admin",),
    "audit": ("lead", "manager", "admin"),
    # a team's position; a worker's caseload is the register
    "dashboard": ("lead", "manager", "admin"),
}
#: The deliberate long operations: dialog (module, class) and the roles offered each. They
#: mirror the services' own checks (export.service.EXPORT_ROLES, documents.service.BOARD_ROLES,
#: Store.backup, and the import's
#: per-row caseload check, which lets every role import children it may hold).
OPERATIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "import": (
        "cse_screen.gui.import_dialog",
        "ImportDialog",
        ("worker", "lead", "manager", "admin"),
    ),
    # a return covers the council: leads and administrators (ssda903.ROLES)
    "import903": ("cse_screen.gui.ssda903_dialog", "Ssda903Dialog", ("lead", "admin")),
    "export": ("cse_screen.gui.export_dialog", "ExportDialog", ("lead", "manager", "admin")),
    "board": ("cse_screen.gui.document_dialog", "BoardReportDialog", ("lead", "manager", "admin")),
    "backup": ("cse_screen.gui.backup_dialog", "BackupDialog", ("admin",)),
}


def _page_class(name: str) -> Callable[[AppContext], QWidget] | None:
    module_name, class_name = ROOT_PAGES[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    return getattr(module, class_name, None)


def safe_title(ctx: AppContext) -> str:
    store = ctx.store
    if store is None:
        return "cse-screen"
    return f"cse-screen – {store.user.name}"


class MainWindow(QMainWindow):
    """The signed-in app. Settings and locking are wired in by the shell (``app.py``)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = safe_title(ctx)
        self.form = Ui_MainWindow()
        self.form.setupUi(self)
        self.ctx = ctx
        ctx.nav = self
        self.setWindowTitle(self._title)
        self._roots: dict[str, QWidget] = {}
        self._root_classes: dict[str, Callable[[AppContext], QWidget]] = {}
        self._stack: list[QWidget] = []  # pages opened above the current root
        self._current_root = ""
        f = self.form
        self.addActions(
            [
                f.actionLock,
                f.actionQuickHide,
                f.actionSettings,
                f.actionBack,
                f.actionShowRegister,
                f.actionShowReview,
                f.actionShowUsers,
                f.actionShowAudit,
                f.actionShowDashboard,
                f.actionImport,
                f.actionImport903,
                f.actionExport,
                f.actionBoard,
                f.actionBackup,
                f.actionQuit,
            ]
        )
        for name in ROOT_PAGES:
            self._root_button(name).clicked.connect(lambda _c=False, n=name: self.show_root(n))
            self._root_action(name).triggered.connect(lambda _c=False, n=name: self.show_root(n))
        f.backButton.clicked.connect(self.back)
        f.actionBack.triggered.connect(self.back)
        f.actionQuit.triggered.connect(self.close)
        f.settingsButton.clicked.connect(f.actionSettings.trigger)
        f.lockButton.clicked.connect(f.actionLock.trigger)
        # A reader that visits the status bar hears its message, not just "Status messages".
        f.statusBar.messageChanged.connect(f.statusBar.setAccessibleDescription)
        # Shows itself only on a database enrolled with a team server (the shell starts it).
        self.sync = SyncController(ctx, self, f.statusBar)
        self._show_user()
        self._build_roots()
        self._build_operations()
        self._update_back()

    # -- set-up ------------------------------------------------------------------------------

    def _show_user(self) -> None:
        store = self.ctx.store
        if store is None:
            return
        user = store.user
        who = user.full_name or user.name
        self.form.userLabel.setText(f"Signed in as {who}\n({user.role})")

    def _build_roots(self) -> None:
        """Decide which root pages exist; only the register is built now (start-up time)."""
        store = self.ctx.store
        role = store.user.role if store is not None else ""
        for name, roles in ROOT_ROLES.items():
            allowed = roles is None or role in roles
            cls = _page_class(name) if allowed else None
            self._root_button(name).setVisible(cls is not None)
            self._root_action(name).setEnabled(cls is not None)
            if cls is not None:
                self._root_classes[name] = cls
        if "register" in self._root_classes:
            self.show_root("register")
        else:
            self.form.emptyLabel.setText("The children register is not part of this installation.")

    def _root_button(self, name: str) -> QPushButton:
        button: QPushButton = getattr(self.form, f"{name}Button")
        return button

    def _root_action(self, name: str) -> QAction:
        action: QAction = getattr(self.form, f"actionShow{name.capitalize()}")
        return action

    def _build_operations(self) -> None:
        """Offer each long operation to the roles that may run it (Export, Back up, Import)."""
        store = self.ctx.store
        role = store.user.role if store is not None else ""
        for name, (_module, _cls, roles) in OPERATIONS.items():
            allowed = role in roles
            button: QPushButton = getattr(self.form, f"{name}Button")
            action: QAction = getattr(self.form, f"action{name.capitalize()}")
            button.setVisible(allowed)
            action.setEnabled(allowed)
            button.clicked.connect(action.trigger)
            action.triggered.connect(lambda _c=False, n=name: self.open_operation(n))

    def open_operation(self, name: str) -> QDialog | None:
        """Open the dialog of operation ``name`` (window-modal: the lock covers it, keeps it)."""
        module_name, class_name, roles = OPERATIONS[name]
        store = self.ctx.store
        if store is None or store.user.role not in roles:
            return None
        module = importlib.import_module(module_name)  # export pulls in openpyxl: load late
        dialog: QDialog = getattr(module, class_name)(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def root(self, name: str) -> QWidget | None:
        """The root page ``name``, built on first use; None if this user has no such page."""
        page = self._roots.get(name)
        cls = self._root_classes.get(name)
        if page is None and cls is not None:
            page = cls(self.ctx)
            page.setObjectName(page.objectName() or f"{name}Page")
            self._roots[name] = page
            self.form.pageStack.addWidget(page)
        return page

    def root_names(self) -> list[str]:
        return list(self._root_classes)

    # -- Navigator ---------------------------------------------------------------------------

    def show_root(self, name: str) -> None:
        page = self.root(name)
        if page is None:
            return
        self._close_stack()
        self._current_root = name
        self.form.pageStack.setCurrentWidget(page)
        self._root_button(name).setChecked(True)
        self._update_back()

    def open_page(self, page: QWidget) -> None:
        self._stack.append(page)
        self.form.pageStack.addWidget(page)
        self.form.pageStack.setCurrentWidget(page)
        page.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_back()

    def close_page(self, page: QWidget) -> None:
        if page not in self._stack:
            return
        index = self._stack.index(page)
        for above in self._stack[index:]:
            self._discard(above)
        del self._stack[index:]
        self._show_top()

    def show_home(self) -> None:
        self.show_root("register")

    def back(self) -> None:
        if self._stack:
            self.close_page(self._stack[-1])

    def notify(self, message: str, msecs: int = 8000) -> None:
        """Show ``message`` in the status bar and read it out (focus is never on the bar)."""
        self.form.statusBar.showMessage(message, msecs)
        announce(self.form.statusBar, message)

    def current_page(self) -> QWidget | None:
        return self.form.pageStack.currentWidget()

    def pages(self) -> list[QWidget]:
        return [*self._roots.values(), *self._stack]

    def _close_stack(self) -> None:
        for page in self._stack:
            self._discard(page)
        self._stack.clear()

    def _discard(self, page: QWidget) -> None:
        self.form.pageStack.removeWidget(page)
        page.hide()
        page.deleteLater()

    def _show_top(self) -> None:
        top = self._stack[-1] if self._stack else self.root(self._current_root)
        if top is not None:
            self.form.pageStack.setCurrentWidget(top)
            top.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_back()

    def _update_back(self) -> None:
        self.form.backButton.setVisible(bool(self._stack))
        self.form.actionBack.setEnabled(bool(self._stack))

    # -- discretion --------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.WindowTitleChange and self.windowTitle() != self._title:
            self.setWindowTitle(self._title)  # pages never get to put a name in the title
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Pages hide as they close, which is when the wizard writes any note still being typed.
        self._close_stack()
        self.sync.stop()
        event.accept()
