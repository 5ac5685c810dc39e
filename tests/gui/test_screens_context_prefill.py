""" "Missing episodes in the last 90 days" on the wizard's "About this screening" page, counted
from the missing episodes recorded for the child: saved to the new draft like a typed value,
explained on the page, and never put over a number the worker gave."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QSpinBox
from screens_fixtures import admin_ctx, known, known_template

__all__ = ["admin_ctx", "known", "known_template"]

TODAY = date.today()


def _days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def open_wizard(qtbot, ctx, child_id: int):
    from cse_screen.gui.wizard.page import open_screening

    wizard = open_screening(ctx, child_id)
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.resize(1000, 760)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def _record(store, child_id: int, *days_ago: int, kind: str = "missing_episode") -> None:
    for n in days_ago:
        store.events.record(child_id, kind, _days_ago(n))


def test_recorded_episodes_fill_the_count_save_it_and_say_where_it_came_from(
    qtbot, admin_ctx, known
):
    store = admin_ctx.require_store()
    child_id = known.ids["LAC0001"]
    _record(store, child_id, 2, 30, 89)  # inside the 90 days up to today's screening
    _record(store, child_id, 95)  # before them: not counted
    _record(store, child_id, 12, kind="placement_move")  # another kind: not counted
    wizard = open_wizard(qtbot, admin_ctx, child_id)
    spin = wizard.findChild(QSpinBox, "context_missing_episodes")
    assert spin.value() == 3
    saved = store.screenings.get(wizard.controller.screening_id)  # from the database
    assert saved.screen_date == TODAY and saved.context["missing_episodes"] == 3
    assert saved.context["trigger"] == "missing_episode"  # the trigger pre-fill still stands
    note = wizard.findChild(QLabel, "countNote_missing_episodes")
    assert note.isVisible()
    assert "3 missing episodes recorded" in note.text()
    assert f"90 days up to {TODAY:%d %b %Y}" in note.text()
    # The worker knows of one more: their number is saved and the note no longer claims it.
    spin.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is spin, timeout=3000)
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    qtbot.waitUntil(wizard.all_saved, timeout=5000)  # saves are written off the GUI thread
    assert store.screenings.get(wizard.controller.screening_id).context["missing_episodes"] == 4
    assert not note.isVisible()


def test_a_number_the_worker_gave_is_never_replaced_on_reopening(qtbot, admin_ctx, known):
    store = admin_ctx.require_store()
    child_id = known.ids["LAC0001"]
    _record(store, child_id, 3)
    first = open_wizard(qtbot, admin_ctx, child_id)
    sid = first.controller.screening_id
    assert first.findChild(QSpinBox, "context_missing_episodes").value() == 1
    first.controller.set_context("missing_episodes", 0)  # the worker corrects it
    first.close()
    _record(store, child_id, 1, 4)  # more recorded later: the draft is not recounted
    again = open_wizard(qtbot, admin_ctx, child_id)
    assert again.controller.screening_id == sid  # the same draft, resumed
    assert again.findChild(QSpinBox, "context_missing_episodes").value() == 0
    assert store.screenings.get(sid).context["missing_episodes"] == 0
    assert not again.findChild(QLabel, "countNote_missing_episodes").isVisible()


def test_no_recorded_episode_leaves_the_count_for_the_worker(qtbot, admin_ctx, known):
    store = admin_ctx.require_store()
    child_id = known.ids["LAC0004"]
    _record(store, child_id, 120)  # outside the 90 days
    wizard = open_wizard(qtbot, admin_ctx, child_id)
    spin = wizard.findChild(QSpinBox, "context_missing_episodes")
    assert spin.value() == spin.minimum() and spin.text() == "Not given"
    assert "missing_episodes" not in store.screenings.get(wizard.controller.screening_id).context
    assert not wizard.findChild(QLabel, "countNote_missing_episodes").isVisible()
