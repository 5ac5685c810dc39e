"""The users page for administrators: who may open the database, in which role and team.

Everything here goes through the users service, which checks the role again and audits each
change: the page is built for administrators, but a worker who reaches it (an old shortcut, a
changed role) is refused by storage and told why through the error funnel. Adding a user,
resetting a password and reactivating derive an Argon2id key, so they run on the database thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cse_screen.errors import UserError
from cse_screen.gui.a11y import mark_heading
from cse_screen.gui.context import AppContext
from cse_screen.gui.errors import as_sentence
from cse_screen.gui.theme import set_tone
from cse_screen.gui.user_dialog import ROLE_WORDS, AddUserDialog, EditUserDialog, PasswordDialog
from cse_screen.storage.records import UserRecord

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("User name", "Full name", "Role", "Team", "Active")
COLUMN_WIDTHS = (160, 220, 130, 140, 110)


class UsersModel(QAbstractTableModel):
    """The roster: a few dozen users at most, so it is held whole."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._users: list[UserRecord] = []

    def reset_with(self, users: list[UserRecord]) -> None:
        self.beginResetModel()
        self._users = list(users)
        self.endResetModel()

    def user_at(self, row: int) -> UserRecord | None:
        return self._users[row] if 0 <= row < len(self._users) else None

    def row_of(self, name: str) -> int:
        return next((n for n, u in enumerate(self._users) if u.name == name), -1)

    def teams(self) -> list[str]:
        return sorted({u.team for u in self._users if u.team})

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._users)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        user = self.user_at(index.row()) if index.isValid() else None
        if user is None or not 0 <= index.column() < len(COLUMNS):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            values = (
                user.name,
                user.full_name or "—",
                ROLE_WORDS.get(user.role, user.role),
                user.team or "—",
                "Active" if user.active else "Deactivated",
            )
            return values[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and not user.active:
            return QPalette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        return None


class UsersPage(QWidget):
    """The users table and its actions."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersPage")
        self.setAccessibleName("Users")
        self.ctx = ctx
        self._shown_before = False
        self.model = UsersModel(self)
        layout = QVBoxLayout(self)
        heading = QLabel("<b>Users</b>", self)
        heading.setObjectName("usersHeading")
        mark_heading(heading)
        layout.addWidget(heading)
        intro = QLabel(
            "Who may open this database. Deactivating someone stops them signing in at once; "
            "their work and its history stay.",
            self,
        )
        intro.setObjectName("usersIntro")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = self._build_table()
        layout.addWidget(self.table, 1)
        self.message = QLabel(self)
        self.message.setObjectName("usersMessageLabel")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        layout.addLayout(self._build_actions())
        self._update_buttons()
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        """Coming back to the page (it is kept while the app runs) shows what changed since:
        another administrator may have changed users meanwhile."""
        super().showEvent(event)
        if self._shown_before and not event.spontaneous() and self.table.isEnabled():
            self.reload()
        self._shown_before = True

    def _build_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("usersTable")
        table.setAccessibleName("Users")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.verticalHeader().hide()
        table.verticalHeader().setObjectName("usersRowHeader")
        table.verticalHeader().setAccessibleName("Row numbers")
        header = table.horizontalHeader()
        header.setObjectName("usersColumnHeader")
        header.setAccessibleName("Column headings")
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(COLUMN_WIDTHS):
            table.setColumnWidth(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # full names vary most
        table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        table.activated.connect(lambda _index: self.edit_selected())
        return table

    def _build_actions(self) -> QHBoxLayout:
        """Mnemonics avoid the sidebar's (B, C, D, H, I, K, L, Q, R, S, X), which stay live."""
        row = QHBoxLayout()
        row.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for name, text, accessible, slot in (
            ("addUserButton", "&Add user…", "Add a user", self.add_user),
            ("editUserButton", "Change role or &team…", "Change role or team", self.edit_selected),
            ("resetPasswordButton", "Reset pass&word…", "Reset password", self.reset_password),
            ("deactivateButton", "Deacti&vate", "Deactivate user", self.deactivate_selected),
            ("reactivateButton", "R&eactivate…", "Reactivate user", self.reactivate_selected),
        ):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.setAccessibleName(accessible)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[name] = button
        return row

    # -- loading ------------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        """Fetch the roster on the database thread, keeping (or moving) the selection."""
        current = self.selected_user()
        chosen = select or (current.name if current is not None else None)
        self.ctx.run(
            lambda store, _op: store.users.roster(),
            on_success=lambda users: self._show(users, chosen),
            on_failure=self._refused,
            parent=self,
        )

    def _show(self, users: list[UserRecord], chosen: str | None) -> None:
        self.model.reset_with(users)
        row = self.model.row_of(chosen) if chosen else -1
        if row >= 0:
            self.table.selectRow(row)
        self._update_buttons()

    def _refused(self, exc: BaseException) -> None:
        """A refused roster leaves a page that says why; the funnel shows it as well."""
        if isinstance(exc, UserError):
            set_tone(self.message, as_sentence(exc.message), "error")
            self.table.setEnabled(False)
            for button in self.buttons.values():
                button.setEnabled(False)
        self.ctx.show_error(self, exc)

    # -- selection ----------------------------------------------------------------------------
    def selected_user(self) -> UserRecord | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model is not None else []
        return self.model.user_at(rows[0].row()) if rows else None

    def select_user(self, name: str) -> bool:
        row = self.model.row_of(name)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def _update_buttons(self) -> None:
        user = self.selected_user()
        refused = not self.table.isEnabled()
        self.buttons["addUserButton"].setEnabled(not refused)
        active = user is not None and user.active and not refused
        for name in ("editUserButton", "resetPasswordButton", "deactivateButton"):
            self.buttons[name].setEnabled(active)
        inactive = user is not None and not user.active and not refused
        self.buttons["reactivateButton"].setEnabled(inactive)

    # -- actions ------------------------------------------------------------------------------
    def _open(self, dialog: QDialog, done: Callable[[object], None]) -> None:
        dialog.finished.connect(
            lambda result: done(dialog.result_value) if result else None  # type: ignore[attr-defined]
        )
        dialog.open()

    def _changed(self, user: UserRecord, words: str) -> None:
        self.reload(select=user.name)
        if self.ctx.nav is not None:
            self.ctx.nav.notify(f"User {user.name} {words}")

    def add_user(self) -> None:
        dialog = AddUserDialog(self.ctx, self.model.teams(), self)
        self._open(dialog, lambda user: self._changed(user, "added"))  # type: ignore[arg-type]

    def edit_selected(self) -> None:
        user = self.selected_user()
        if user is None or not user.active:
            return
        dialog = EditUserDialog(self.ctx, user, self.model.teams(), self)
        self._open(dialog, lambda saved: self._changed(saved, "changed"))  # type: ignore[arg-type]

    def reset_password(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        name = user.name
        dialog = PasswordDialog(
            self.ctx,
            user,
            f"Reset the password of {name}",
            lambda store, password: store.users.set_password(name, password),
            self,
        )
        self._open(dialog, lambda _none: self._changed(user, "has a new password"))

    def reactivate_selected(self) -> None:
        user = self.selected_user()
        if user is None or user.active:
            return
        name = user.name
        dialog = PasswordDialog(
            self.ctx,
            user,
            f"Reactivate {name}",
            lambda store, password: store.users.reactivate(name, password),
            self,
        )
        self._open(dialog, lambda saved: self._changed(saved, "reactivated"))  # type: ignore[arg-type]

    def deactivate_selected(self) -> None:
        """Ask first; your own account goes straight to storage, which refuses it and says why
        (asking "are you sure?" about something that cannot be done helps nobody)."""
        user = self.selected_user()
        if user is None or not user.active:
            return
        if user.name == self.ctx.require_store().user.name:
            self._deactivate(user)
            return
        box = QMessageBox(self)
        box.setObjectName("confirmDeactivateBox")
        box.setAccessibleName("Confirm deactivation")
        box.setWindowTitle("Deactivate user")
        box.setIcon(QMessageBox.Icon.Question)
        box.setText(
            f"Deactivate {user.name}? They can no longer sign in; their work stays. The "
            "database is re-encrypted to a new key, which takes a moment. You can reactivate "
            "them later with a new password."
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(
            lambda result: (
                self._deactivate(user) if result == QMessageBox.StandardButton.Yes else None
            )
        )
        box.open()

    def _deactivate(self, user: UserRecord) -> None:
        """Deactivate and re-key (the one rule, in the vault), with its progress shown; your
        own account goes straight to it, to be refused with the sentence why."""
        from cse_screen.gui.deactivate_dialog import DeactivateDialog

        if user.name == self.ctx.require_store().user.name:
            self.ctx.run(lambda store, _op: store.disable_user(user.name), parent=self)
            return
        dialog = DeactivateDialog(
            self.ctx, user, lambda saved: self._changed(saved, "deactivated"), self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        dialog.deactivate()
