"""The wizard under a clock behind the database: it says so, dates no earlier than work already
saved, and asks which screening is current when one is dated before the child's latest.

The database here was last written "tomorrow" (a machine whose clock was right, this one's set
back): the high-water mark is raised the way any write raises it. The libfaketime run of the same
scenario through the command line is in tests/cli/test_clock_back_cli.py.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton, QRadioButton, QWidget
from screens_fixtures import PASSWORD, TODAY, all_absent, known, known_template, make_context

__all__ = ["known", "known_template"]  # fixtures, used by name


def _written_tomorrow(db) -> datetime:
    from cse_screen.storage.services import clock
    from cse_screen.storage.services.context import utc_now
    from cse_screen.vault.store import Store

    ahead = utc_now() + timedelta(days=1)
    with Store.open(db, "admin", PASSWORD) as store, store.context.transaction() as session:
        clock.note_seen(session, ahead)
    return ahead


def _open(qtbot, ctx, child_id: int):
    from cse_screen.gui.wizard.page import open_screening

    wizard = open_screening(ctx, child_id)
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.resize(1000, 760)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def _answer_everything(wizard) -> None:
    values = all_absent(wizard.controller.questionnaire)
    for section_id in wizard.visible_section_ids():
        wizard.show_section(section_id)
        for item_id in wizard.pages[section_id].items:
            if wizard.controller.is_visible(item_id):
                wizard.findChild(QRadioButton, f"answer_{item_id}_{values[item_id]}").click()


def test_a_clock_behind_the_database_is_said_and_the_date_is_held(qtbot, known, runner):
    from cse_screen.vault.store import Store

    ahead = _written_tomorrow(known.db)
    store = Store.open(known.db, "admin", PASSWORD)
    try:
        assert store.clock_warning is not None and "earlier than work already saved" in (
            store.clock_warning
        )
        ctx = make_context(store, runner, known.db)
        wizard = _open(qtbot, ctx, known.ids["LAC0004"])
        note = wizard.findChild(QLabel, "clockWarning")
        assert note is not None and note.isVisible()
        assert f"{ahead:%d %b %Y}" in note.text()
        held = max(date.today(), ahead.date())
        assert wizard.controller.screen_date == held
        from PySide6.QtWidgets import QDateEdit

        shown = wizard.findChild(QDateEdit, "context_screen_date").date()
        assert (shown.year(), shown.month(), shown.day()) == (held.year, held.month, held.day)
        wizard.grab().save("/tmp/wizard-clock-behind.png")
    finally:
        runner.wait(10000)
        store.close()


def test_a_screening_dated_before_the_latest_asks_which_is_current(qtbot, known, runner):
    from cse_screen.vault.store import Store

    store = Store.open(known.db, "admin", PASSWORD)
    try:
        ctx = make_context(store, runner, known.db)
        child_id = known.ids["LAC0001"]  # latest screening: significant, 10 days ago
        wizard = _open(qtbot, ctx, child_id)
        assert wizard.findChild(QLabel, "clockWarning") is None  # the clock is fine here
        wizard._context_changed("screen_date", TODAY - timedelta(days=20))
        _answer_everything(wizard)
        wizard.show_result()
        qtbot.waitUntil(wizard.all_saved, timeout=5000)
        wizard.findChild(QWidget, "submitButton").click()
        box = wizard.findChild(QMessageBox, "whichIsCurrentBox")
        assert box is not None and box.isVisible()
        assert f"{TODAY - timedelta(days=10):%d %b %Y}" in box.text()
        box.grab().save("/tmp/wizard-which-is-current.png")
        with qtbot.waitSignal(wizard.submitted, timeout=10000):
            box.findChild(QPushButton, "thisIsCurrentButton").click()
        QApplication.processEvents()
        record = ctx.read(lambda s: s.screenings.get(wizard.controller.screening_id))
        assert record.status == "submitted"
        assert record.screen_date == TODAY - timedelta(days=10)
        child = ctx.read(lambda s: s.children.get(child_id))
        assert child.latest_screening_id == record.id
        assert child.latest_outcome == "no_current_risk"  # the newer one, not the significant
    finally:
        runner.wait(10000)
        store.close()
