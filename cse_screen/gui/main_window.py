"""The main window: sidebar navigation, a stack of pages, and the status area.

It implements the :class:`~cse_screen.gui.context.Navigator` the pages use. Two root pages (the
children register, and the review queue for leads) sit under a stack of pages opened from them
(a child record, a screening). Only screens that exist and that the user's role may use appear.

The window title is "cse-screen – <signed-in user>" and nothing else, whatever a page does: a
title change is put back at once, because a child's name in a title ends up in the taskbar,
Alt+Tab and screen-sharing previews.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QWidget

from cse_screen.gui.context import AppContext
from cse_screen.gui.forms.ui_main_window import Ui_MainWindow

ROOT_PAGES: dict[str, tuple[str, str]] = {
    "register": ("cse_screen.gui.register", "RegisterPage"),
    "review": ("cse_screen.gui.review", "ReviewPage"),
}
REVIEW_ROLES = ("lead", "admin")


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
                f.actionQuit,
            ]
        )
        f.registerButton.clicked.connect(lambda: self.show_root("register"))
        f.reviewButton.clicked.connect(lambda: self.show_root("review"))
        f.actionShowRegister.triggered.connect(lambda: self.show_root("register"))
        f.actionShowReview.triggered.connect(lambda: self.show_root("review"))
        f.backButton.clicked.connect(self.back)
        f.actionBack.triggered.connect(self.back)
        f.actionQuit.triggered.connect(self.close)
        f.settingsButton.clicked.connect(f.actionSettings.trigger)
        f.lockButton.clicked.connect(f.actionLock.trigger)
        self._show_user()
        self._build_roots()
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
        wanted = {"register": True, "review": role in REVIEW_ROLES}
        buttons = {"register": self.form.registerButton, "review": self.form.reviewButton}
        actions = {"register": self.form.actionShowRegister, "review": self.form.actionShowReview}
        for name, allowed in wanted.items():
            cls = _page_class(name) if allowed else None
            buttons[name].setVisible(cls is not None)
            actions[name].setEnabled(cls is not None)
            if cls is not None:
                self._root_classes[name] = cls
        if "register" in self._root_classes:
            self.show_root("register")
        else:
            self.form.emptyLabel.setText("The children register is not part of this installation.")

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
        buttons = {"register": self.form.registerButton, "review": self.form.reviewButton}
        buttons[name].setChecked(True)
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
        self.form.statusBar.showMessage(message, msecs)

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
        event.accept()
