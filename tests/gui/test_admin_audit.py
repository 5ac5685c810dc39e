"""The audit viewer on a real encrypted database: order, filters, paging, scope and the chain."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QDateEdit, QLabel, QMessageBox
from screens_fixtures import PASSWORD, admin_ctx, known, known_template, make_context, open_store

from cse_screen.errors import PermissionDenied
from cse_screen.storage.services.audit import AuditQuery
from cse_screen.vault.store import Store

__all__ = ["admin_ctx", "known", "known_template"]


def wait_idle(qtbot, page) -> None:
    """Until every query the page started has reported."""
    qtbot.waitUntil(lambda: not page.ctx.runner.busy(), timeout=5000)


@pytest.fixture
def page(qtbot, admin_ctx, known):
    from cse_screen.gui.audit_view import AuditPage

    Store.open(known.db, "sam", PASSWORD).close()  # a second user in the trail
    made = AuditPage(admin_ctx)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitUntil(lambda: made.model.total > 0, timeout=5000)
    wait_idle(qtbot, made)
    return made


def entries(page) -> list:
    return [page.model.entry_at(r) for r in range(page.model.rowCount())]


def choose(combo: QComboBox, value: str) -> None:
    index = combo.findData(value)
    assert index >= 0, f"{value} is not offered"
    combo.setCurrentIndex(index)


def test_every_control_has_an_object_and_accessible_name(page):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QAbstractSpinBox

    kinds = (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox)
    controls = [c for kind in kinds for c in page.findChildren(kind)]
    # Qt's own parts: named qt_*, or in a combo box's pop-up window
    controls = [c for c in controls if not c.objectName().startswith("qt_") and c.window() is page]
    assert len(controls) >= 11
    for control in controls:
        assert control.objectName() and control.accessibleName(), control


def test_the_trail_is_listed_newest_first_with_its_total(page, admin_ctx):
    seqs = [e.seq for e in entries(page)]
    assert seqs == sorted(seqs, reverse=True)
    total = admin_ctx.read(lambda s: s.audit.page(AuditQuery(limit=1)).total)
    assert page.model.total == total == len(seqs)
    assert page.findChild(QLabel, "auditCountLabel").text() == f"{total:,} entries"
    newest = page.model.index(0, 2).data()
    assert newest == "signed in"  # the admin's own sign-in is the latest entry


def test_filters_by_action_user_and_date(qtbot, page):
    choose(page.findChild(QComboBox, "actionFilter"), "login")
    qtbot.waitUntil(lambda: {e.action for e in entries(page)} == {"login"}, timeout=5000)
    logins = page.model.total
    choose(page.findChild(QComboBox, "userFilter"), "sam")
    qtbot.waitUntil(lambda: page.model.total < logins, timeout=5000)
    assert {(e.action, e.actor) for e in entries(page)} == {("login", "sam")}
    page.findChild(QComboBox, "actionFilter").setCurrentIndex(0)
    page.findChild(QComboBox, "userFilter").setCurrentIndex(0)
    wait_idle(qtbot, page)
    everything = page.model.total
    page.findChild(QCheckBox, "fromCheck").setChecked(True)  # from today: all of it
    wait_idle(qtbot, page)
    assert page.model.total == everything
    page.findChild(QCheckBox, "toCheck").setChecked(True)
    page.findChild(QDateEdit, "toDate").setDate(QDate.currentDate().addDays(-1))
    qtbot.waitUntil(lambda: page.model.total == 0, timeout=5000)
    page.findChild(QCheckBox, "fromCheck").setChecked(False)
    wait_idle(qtbot, page)
    assert page.model.rowCount() == 0  # nothing before today in a database made today
    page.findChild(QCheckBox, "toCheck").setChecked(False)
    qtbot.waitUntil(lambda: page.model.total == everything, timeout=5000)


def test_the_audit_model_passes_qtmodeltester_while_paging(qtmodeltester, known):
    from cse_screen.gui.audit_model import AuditModel

    store = open_store(known)
    try:
        model = AuditModel(store.audit.page, page_size=3)
        model.refresh()
        total = model.total
        assert model.rowCount() == 3 and total > 6
        qtmodeltester.check(model, force_py=True)
        store.audit.record("export", "workbook", None, {"rows": 0})  # the trail grows meanwhile
        while model.canFetchMore():
            model.fetchMore()
        assert model.rowCount() == total  # no entry shown twice, none skipped
        seqs = [model.entry_at(r).seq for r in range(total)]
        assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == total
        qtmodeltester.check(model, force_py=True)
        creates = AuditModel(store.audit.page, page_size=3)
        creates.refresh(action="create")
        while creates.canFetchMore():
            creates.fetchMore()
        assert creates.rowCount() == creates.total < total
        assert {creates.entry_at(r).action for r in range(creates.rowCount())} == {"create"}
    finally:
        store.close()


def test_the_detail_shows_changes_and_never_a_childs_name(page):
    texts = [page.model.index(r, 5).data() for r in range(page.model.rowCount())]
    refs = [page.model.index(r, 4).data() for r in range(page.model.rowCount())]
    assert "LAC0001" in refs  # the case reference has a column of its own
    texts += refs
    for name in ("Amy", "Able", "Ben Brook", "Eve East"):
        assert not any(name in t for t in texts)


def test_verify_reports_intact_then_the_first_broken_link(qtbot, page, admin_ctx):
    label = page.findChild(QLabel, "verifyLabel")
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "intact" in label.text(), timeout=10000)
    total = admin_ctx.read(lambda s: s.audit.head()[0])
    assert label.text() == (
        f"The audit trail is intact: all {total:,} entries link correctly, "
        "and the database file checks out."
    )
    with admin_ctx.runner.db_lock, admin_ctx.store.engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER audit_no_update")
        connection.exec_driver_sql("UPDATE audit SET actor = 'lee' WHERE seq = 3")
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "broken" in label.text(), timeout=10000)
    assert label.text().startswith(
        "The audit trail is broken at entry 3: its content does not match its hash;"
    )
    assert page.verify_button.isEnabled() and admin_ctx.errors == []


def test_a_lead_sees_their_teams_part_and_is_told_so(qtbot, known, runner):
    from cse_screen.gui.audit_view import AuditPage

    store = open_store(known, "lee")
    try:
        ctx = make_context(store, runner, known.db)
        made = AuditPage(ctx)
        qtbot.addWidget(made)
        qtbot.waitUntil(lambda: made.model.total > 0, timeout=5000)
        assert "North" in made.findChild(QLabel, "auditScopeLabel").text()
        seen = {(e.entity, e.entity_id) for e in entries(made)}
        assert ("child", str(known.ids["LAC0001"])) in seen
        assert ("child", str(known.ids["LAC0005"])) not in seen  # a South child
        assert ctx.errors == []
    finally:
        runner.wait(10000)
        store.close()


def test_a_worker_opening_the_audit_page_is_refused_through_the_funnel(qtbot, known, runner):
    from cse_screen.gui.audit_view import AuditPage

    store = open_store(known, "sam")
    try:
        ctx = make_context(store, runner, known.db)
        made = AuditPage(ctx)
        qtbot.addWidget(made)
        qtbot.waitUntil(lambda: bool(ctx.errors), timeout=5000)
        runner.wait(5000)
        assert len(ctx.errors) == 1 and isinstance(ctx.errors[0], PermissionDenied)
        message = made.findChild(QLabel, "auditMessageLabel")
        assert "may not read the audit trail" in message.text()
        assert made.model.rowCount() == 0 and not made.verify_button.isEnabled()
        for box in QApplication.topLevelWidgets():
            if isinstance(box, QMessageBox) and box.objectName() == "errorBox":
                box.close()
    finally:
        runner.wait(10000)
        store.close()
    with open_store(known) as admin:
        denied = admin.audit.page(AuditQuery(action="denied", actor="sam")).entries
    assert [(e.entity, e.detail["attempted"]) for e in denied] == [
        ("audit", "read the audit trail")
    ]
