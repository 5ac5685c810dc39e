"""The team dashboard: its numbers are storage's, scoped to the user; it is offered to leads and
administrators only; a listed child opens their record; no name reaches a window title."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from PySide6.QtCharts import QChartView
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QWidget,
)
from screens_fixtures import TODAY, admin_ctx, known, known_template, make_context, open_store

from cse_screen.storage.records import ChildInput, RegisterQuery

__all__ = ["admin_ctx", "known", "known_template"]


def _loaded(qtbot, page, after: int = 0) -> None:
    """Wait until a load newer than ``after`` has been shown."""
    qtbot.waitUntil(lambda: page.data is not None and page._generation > after, timeout=5000)
    generation = page._generation
    qtbot.waitUntil(lambda: page.scope_label.text() != "Loading…", timeout=5000)
    assert page._generation == generation


def _page(qtbot, ctx):
    from cse_screen.gui.dashboard import DashboardPage

    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    _loaded(qtbot, page)
    return page


@pytest.mark.parametrize(("user", "children"), [("lee", 4), ("admin", 5)])
def test_tiles_and_outcome_chart_equal_storage_counts(qtbot, known, runner, user, children):
    store = open_store(known, user)
    try:
        ctx = make_context(store, runner, known.db)
        page = _page(qtbot, ctx)
        stats = store.stats()
        shown = {key: tile.value() for key, tile in page.tiles.items()}
        due_7d = store.children.register(RegisterQuery(due="7d", limit=1)).total
        assert shown == {
            "children": stats["children"],
            "in_interval": 2,  # LAC0001 and LAC0003; LAC0002 is overdue, the rest unscreened
            "due_7d": due_7d,
            "due_30d": stats["due_within_30_days"],
            "overdue": stats["overdue"],
            "not_screened": stats["not_screened"],
            "awaiting_signoff": stats["awaiting_signoff"],
            "returned": stats["screenings"]["by_status"]["returned"],
        }
        assert shown["children"] == children  # the lead's team only; the admin every team
        assert page.outcome_chart.values() == stats["screenings"]["by_outcome"]
        assert page.tiles["overdue"].accessibleName() == "Overdue: 1"
        assert not ctx.errors
    finally:
        runner.wait(10000)
        store.close()


def test_trend_counts_each_completed_screening_in_its_month(qtbot, admin_ctx):
    page = _page(qtbot, admin_ctx)
    expected: dict[date, int] = {}
    for days in (100, 10, 200, 176):  # the four submitted screenings of the known database
        month = (TODAY - timedelta(days=days)).replace(day=1)
        expected[month] = expected.get(month, 0) + 1
    drawn = page.trend_chart.values()
    months = [m.month for m in page.data.months]
    assert len(drawn) == 12 and months[-1] == TODAY.replace(day=1)
    assert {m: sum(v.values()) for m, v in zip(months, drawn, strict=True) if sum(v.values())} == (
        expected
    )
    significant_month = months.index((TODAY - timedelta(days=10)).replace(day=1))
    assert drawn[significant_month]["significant"] == 1


def _window(qtbot, ctx):
    from cse_screen.gui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_worker_gets_no_dashboard_and_a_lead_does(qtbot, known, runner):
    for user, offered in (("sam", False), ("lee", True)):
        store = open_store(known, user)
        try:
            window = _window(qtbot, make_context(store, runner, known.db))
            assert window.form.dashboardButton.isVisible() is offered
            assert window.form.actionShowDashboard.isEnabled() is offered
            assert (window.root("dashboard") is not None) is offered
            window.close()
        finally:
            runner.wait(10000)
            store.close()


def test_listed_child_opens_by_keyboard_and_double_click(qtbot, admin_ctx, known):
    window = _window(qtbot, admin_ctx)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_5, ctrl)  # the sidebar's shortcut
    page = window.root("dashboard")
    assert window.current_page() is page
    _loaded(qtbot, page)
    refs = [page.model.item(r, 0).text() for r in range(page.model.rowCount())]
    assert refs == ["LAC0002", "LAC0001"]  # overdue first, then the significant outcome
    assert "Amy Able" in page.model.item(1, 1).text()  # names show in the list ...
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    record = window.current_page()
    assert record.objectName() == "childRecordPage"
    assert record.child_id == known.ids["LAC0002"]
    for widget in QApplication.topLevelWidgets():  # ... never in a title
        if widget.isVisible():
            assert not re.search(r"Ben|Brook|Amy|Able", widget.windowTitle())
    assert window.windowTitle() == "cse-screen – admin"
    before = page._generation
    window.back()
    assert window.current_page() is page
    _loaded(qtbot, page, after=before)  # shown again: loaded again
    index = page.model.index(1, 0)
    rect = page.table.visualRect(index)
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_page().child_id == known.ids["LAC0001"]
    assert window.windowTitle() == "cse-screen – admin"
    assert not admin_ctx.errors


def test_shown_again_after_a_change_it_shows_the_new_figures(qtbot, admin_ctx):
    window = _window(qtbot, admin_ctx)
    window.show_root("dashboard")
    page = window.root("dashboard")
    _loaded(qtbot, page)
    assert page.tiles["children"].value() == 5
    window.show_root("register")
    admin_ctx.read(
        lambda store: store.children.add(ChildInput("LAC0006", "Fay Ford", date(2012, 1, 1)))
    )
    before = page._generation
    window.show_root("dashboard")
    _loaded(qtbot, page, after=before)
    assert page.tiles["children"].value() == 6
    assert page.tiles["not_screened"].value() == 3
    before = page._generation
    qtbot.mouseClick(page.refresh_button, Qt.MouseButton.LeftButton)
    _loaded(qtbot, page, after=before)


def _mnemonics(window) -> list[str]:
    keys = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            found = re.search(r"&([^&\s])", widget.text())
            if found:
                keys.append(found.group(1).lower())
    return keys


def test_controls_are_named_and_alt_keys_unique(qtbot, admin_ctx):
    window = _window(qtbot, admin_ctx)
    window.show_root("dashboard")
    page = window.root("dashboard")
    _loaded(qtbot, page)
    keys = _mnemonics(window)
    assert {"f", "a", "o"} <= set(keys)
    assert len(keys) == len(set(keys)), sorted(keys)
    controls = [
        w
        for w in page.findChildren(QWidget)
        if w.isVisible()
        and not isinstance(w, QHeaderView)  # the table's own parts, named by the table
        and (
            isinstance(w, QAbstractButton | QAbstractItemView | QChartView)
            or w.property("dashboardTile")
        )
    ]
    assert len(controls) >= 12  # 8 tiles, 2 charts, the list, its buttons
    for widget in controls:
        assert widget.objectName() and widget.accessibleName(), widget
        assert widget.focusPolicy() != Qt.FocusPolicy.NoFocus, widget.objectName()
    assert "Moderate risk" in page.outcome_chart.accessibleDescription()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    page.refresh_button.setFocus()
    visited = []
    for _ in range(14):  # Refresh, the eight tiles, each chart's table button and chart, the list
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget().objectName())
    assert visited[:10] == [f"tile{t}" for t in ("Children", "InInterval", "Due7d", "Due30d")] + [
        f"tile{t}" for t in ("Overdue", "NotScreened", "AwaitingSignoff", "Returned")
    ] + ["outcomeChartTableButton", "outcomeChart"]
    assert visited[10:13] == ["trendChartTableButton", "trendChart", "attentionTable"]
