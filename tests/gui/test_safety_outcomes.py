"""No screen may make a child look safer than the answers say (outcome states and sign-off).

Each test drives one hazard of docs/safety.md through the real widgets, found by object name,
on a real encrypted database: a blank screening shows no outcome; an unsigned lowering leaves
the register, dashboard, due date and actions at the higher outcome; a returned screening's
risk stays visible; the review queue's quick Sign off refuses a lowering nobody opened.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTextBrowser,
    QWidget,
)
from screens_fixtures import (
    PASSWORD,
    TODAY,
    admin_ctx,
    all_absent,
    known,
    known_template,
    make_context,
    open_store,
)

from cse_screen.core import dates
from cse_screen.storage.records import ChildInput

__all__ = ["admin_ctx", "known", "known_template"]

SIDEBAR = 220  # the main window's navigation column, beside each page
YOUNG = "LAC0010"  # aged 10: below 13, so the O2 floor applies to any significant indicator


@pytest.fixture
def stores(known, runner):
    """Open stores by user name, closed at the end; a 10-year-old allocated to sam."""
    opened: dict[str, object] = {}

    def get(user: str):
        if user not in opened:
            opened[user] = open_store(known, user)
        return opened[user]

    admin = get("admin")
    young = admin.children.add(
        ChildInput(YOUNG, "Finn Frost", date(TODAY.year - 10, 1, 1), worker="sam", team="North")
    )
    known.ids[YOUNG] = young.id
    yield get
    runner.wait(10000)
    for store in opened.values():
        store.close()
    known.ids.pop(YOUNG, None)


def sam_questionnaire():
    from cse_screen.core import registry

    return registry.get_questionnaire()


def ctx_for(stores, runner, known, user: str):
    return make_context(stores(user), runner, known.db)


def answered_wizard(qtbot, ctx, child_id: int, present: dict[str, str]):
    """A wizard on a complete draft (every item answered), as the worker left it."""
    from cse_screen.gui.wizard import DraftController, ScreeningWizard

    store = ctx.require_store()
    child = store.children.get(child_id)
    controller = DraftController.start(store.screenings, child.id, ctx.questionnaire(), child=child)
    for item_id, value in {**all_absent(controller.questionnaire), **present}.items():
        controller.answer(item_id, value)
    for item_id in present:
        controller.set_note(item_id, "Disclosed to the school nurse")
    wizard = ScreeningWizard(controller)
    qtbot.addWidget(wizard)
    wizard.resize(1366, 768)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def lower_in_wizard(qtbot, wizard, outcome: str, reason: str) -> None:
    combo = wizard.findChild(QComboBox, "overrideOutcome")
    combo.setCurrentIndex(combo.findData(outcome))
    qtbot.keyClicks(wizard.findChild(QPlainTextEdit, "overrideReason"), reason)


def submit_lowered(qtbot, stores, runner, known) -> int:
    """sam screens the 10-year-old: A1 current (significant), lowered to low with a reason."""
    ctx = ctx_for(stores, runner, known, "sam")
    wizard = answered_wizard(qtbot, ctx, known.ids[YOUNG], {known.significant_item: "current"})
    assert wizard.on_result_page()
    lower_in_wizard(qtbot, wizard, "low", "Carer says the contact has stopped")
    with qtbot.waitSignal(wizard.submitted, timeout=3000):
        wizard.findChild(QPushButton, "submitButton").click()
    return wizard.controller.screening_id


def register_for(qtbot, ctx):
    from cse_screen.gui.register import RegisterPage

    page = RegisterPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    qtbot.waitUntil(lambda: page.model.total > 0, timeout=5000)
    return page


def register_cells(page, ref: str) -> dict[str, str]:
    from cse_screen.gui.register_model import COLUMNS

    model = page.model
    for row in range(model.rowCount()):
        if model.row_at(row).case_ref.startswith(ref):
            return {COLUMNS[c][0]: model.index(row, c).data() for c in range(len(COLUMNS))}
    raise AssertionError(f"{ref} is not in the register")


def dashboard_for(qtbot, ctx):
    from cse_screen.gui.dashboard import DashboardPage

    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.data is not None, timeout=5000)
    qtbot.waitUntil(lambda: page.scope_label.text() != "Loading…", timeout=5000)
    return page


def attention_rows(page) -> dict[str, str]:
    model = page.model
    return {model.item(r, 0).text(): model.item(r, 2).text() for r in range(model.rowCount())}


# -- hazard H1: a blank screening shows a green result --------------------------------------
def test_blank_screening_shows_no_outcome(qtbot, admin_ctx, known):
    from cse_screen.gui.wizard.page import open_screening

    wizard = open_screening(admin_ctx, known.ids["LAC0004"])
    qtbot.addWidget(wizard)
    wizard.resize(1366, 768)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.show_result()
    q = admin_ctx.questionnaire()
    badge = wizard.findChild(QLabel, "outcomeBadge")
    assert badge.text() == "Incomplete: no outcome yet"
    assert all(o.label not in badge.text() for o in q.outcomes)
    assert "#2E7D32" not in badge.styleSheet()  # not the green of "no current risk"
    assert not wizard.findChild(QLabel, "nextDue").isVisible()
    assert not wizard.findChild(QLabel, "actions").isVisible()
    # Submit stays on a 1366x768 screen, with the way back to what is missing.
    submit = wizard.findChild(QPushButton, "submitButton")
    first = wizard.findChild(QPushButton, "firstUnansweredButton")
    assert submit.isVisible() and not submit.visibleRegion().isEmpty()
    assert first.isVisible() and not first.visibleRegion().isEmpty()
    first.click()
    missing = wizard.controller.missing_required()[0]
    assert wizard.current_section_id() == q.section_of(missing).id
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=2000)
    assert QApplication.focusWidget().objectName().startswith(f"answer_{missing}_")


# -- hazard H2: an override replaces the actions and due date before sign-off ---------------
def test_unsigned_lowering_keeps_the_higher_outcome_everywhere(qtbot, stores, runner, known):
    ctx = ctx_for(stores, runner, known, "sam")
    wizard = answered_wizard(qtbot, ctx, known.ids[YOUNG], {known.significant_item: "current"})
    questionnaire = ctx.questionnaire()
    significant, low = questionnaire.outcome("significant"), questionnaire.outcome("low")
    lower_in_wizard(qtbot, wizard, "low", "Carer says the contact has stopped")
    badge = wizard.findChild(QLabel, "outcomeBadge")
    assert badge.text() == (
        f"Tool: {significant.label}; worker's judgement: {low.label}, awaiting sign-off"
    )
    assert significant.colour in badge.styleSheet()
    actions = wizard.findChild(QLabel, "actions").text()
    assert "Refer to the CSE team and MASH the same day." in actions
    assert "Discuss with the team manager." not in actions
    due = dates.next_due(questionnaire, "significant", TODAY)
    assert wizard.findChild(QLabel, "nextDue").text() == f"Next screening due: {due:%d %B %Y}."
    with qtbot.waitSignal(wizard.submitted, timeout=3000):
        wizard.findChild(QPushButton, "submitButton").click()

    lead = ctx_for(stores, runner, known, "lee")
    register = register_for(qtbot, lead)
    cells = register_cells(register, YOUNG)
    assert cells["Outcome"] == f"{significant.label} (lowering awaits sign-off)"
    assert cells["Next due"].startswith(f"{due:%d %b %Y}")
    dashboard = dashboard_for(qtbot, lead)
    assert attention_rows(dashboard)[YOUNG] == cells["Outcome"]
    stats = stores("lee").stats()["screenings"]["by_outcome"]
    assert dashboard.outcome_chart.values() == stats
    assert stats["low"] == 0  # LAC0002/3 have none present; only the lowering could be low
    # The tile counts lowerings (not every submitted screening) and says so.
    assert dashboard.findChild(QLabel, "tileAwaitingSignoffValue").text() == "1"
    caption = dashboard.findChild(QLabel, "tileAwaitingSignoffCaption").text()
    assert caption == "Lowered, awaiting sign-off"
    from cse_screen.gui.child_record import ChildRecordPage

    record = ChildRecordPage(lead, known.ids[YOUNG])
    qtbot.addWidget(record)
    qtbot.waitUntil(lambda: record.data is not None, timeout=5000)
    assert record.findChild(QLabel, "field_latest_outcome").text() == (
        f"Tool: {significant.label}; worker's judgement: {low.label}, awaiting sign-off"
    )
    assert record.findChild(QLabel, "field_next_due").text().startswith(f"{due:%d %b %Y}")


# -- hazard H3: a returned screening hides its risk ----------------------------------------
def test_returned_screening_risk_shows_in_register_and_dashboard(qtbot, stores, runner, known):
    from cse_screen.gui.app import drafts_message
    from cse_screen.gui.return_dialog import ReturnDialog
    from cse_screen.gui.screening_view import ScreeningViewDialog

    sam = ctx_for(stores, runner, known, "sam")
    wizard = answered_wizard(qtbot, sam, known.ids["LAC0002"], {known.significant_item: "current"})
    with qtbot.waitSignal(wizard.submitted, timeout=3000):
        wizard.findChild(QPushButton, "submitButton").click()
    sid = wizard.controller.screening_id
    lead = ctx_for(stores, runner, known, "lee")
    record = stores("lee").screenings.get(sid)
    view = ScreeningViewDialog(record, None, ctx=lead)
    qtbot.addWidget(view)
    view.findChild(QPushButton, "viewReturnButton").click()
    dialog = view.findChild(ReturnDialog)
    qtbot.keyClicks(dialog.reason, "Please add the police report from Friday")
    dialog.accept()
    assert stores("lee").screenings.get(sid).status == "returned"

    label = lead.questionnaire().outcome("significant").label
    register = register_for(qtbot, lead)
    assert register_cells(register, "LAC0002")["Outcome"] == f"Returned: {label} (not final)"
    assert register_cells(register, "LAC0002")["Why due"].startswith("returned for changes on")
    dashboard = dashboard_for(qtbot, lead)
    assert attention_rows(dashboard)["LAC0002"] == f"Returned: {label} (not final)"
    from cse_screen.gui.child_record import ChildRecordPage

    page = ChildRecordPage(lead, known.ids["LAC0002"])
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.data is not None, timeout=5000)
    assert page.findChild(QLabel, "field_latest_outcome").text() == f"Returned: {label} (not final)"
    # The worker is told who returned it, when and why, and can list what came back.
    mine = register_for(qtbot, sam)
    show = mine.findChild(QComboBox, "showFilter")
    with qtbot.waitSignal(mine.updated, timeout=5000):
        show.setCurrentIndex(show.findData("returned_to_me"))
    assert [mine.model.row_at(r).case_ref for r in range(mine.model.rowCount())] == ["LAC0002"]
    message = drafts_message(stores("sam").screenings.drafts())
    assert message.startswith("Screening for LAC0002 was returned to you by lee on ")
    assert message.endswith(": Please add the police report from Friday.")
    assert "recovered" not in message


def test_returned_message_is_one_sentence_with_one_full_stop():
    from datetime import datetime
    from types import SimpleNamespace

    from cse_screen.gui.app import drafts_message

    def back(ref: str, reason: str) -> SimpleNamespace:
        at = datetime(2026, 11, 16, 9, 30)
        return SimpleNamespace(
            status="returned",
            child_ref=ref,
            returned_by="lee",
            returned_at=at,
            returned_reason=reason,
            updated_at=at,
        )

    one = drafts_message([back("LAC0002", "Please add the police report.")])
    assert one.endswith(": Please add the police report.") and not one.endswith("..")
    two = drafts_message([back("LAC0002", "Add the report."), back("LAC0003", "Check B3")])
    assert two.endswith("Add the report. 1 more returned to you (Register: Returned to me).")


# -- hazard H4: a lowered outcome is signed off with one click, unseen ----------------------
def test_queue_sign_off_refuses_a_lowering_that_was_not_opened(qtbot, stores, runner, known):
    from cse_screen.gui.review import ReviewPage
    from cse_screen.gui.screening_view import ScreeningViewDialog, SignOffConfirm

    sid = submit_lowered(qtbot, stores, runner, known)
    lead = ctx_for(stores, runner, known, "lee")
    page = ReviewPage(lead)
    qtbot.addWidget(page)
    table = page.findChild(QTableWidget, "reviewTable")
    assert page.selected().id == sid  # lowered first
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    row = {headers[c]: table.item(0, c).text() for c in range(table.columnCount())}
    assert (row["Child"], row["Age"]) == ("Finn Frost", "10")
    assert row["Lowered"] == "2 levels down, below floor O2"
    assert row["Reason"] == "Carer says the contact has stopped"
    assert row["Waiting"].endswith(("minute", "minutes"))
    page.findChild(QPushButton, "signOffButton").click()
    assert stores("lee").screenings.get(sid).status == "submitted"
    assert "open the screening" in page.findChild(QLabel, "reviewMessage").text()

    page.findChild(QPushButton, "openScreeningButton").click()
    view = page.findChild(ScreeningViewDialog)
    assert view is not None and view.isVisible()
    text = view.findChild(QTextBrowser, "screeningText").toPlainText()
    assert "Tool: Significant risk; worker's judgement: Low risk / vulnerable" in text
    assert "Carer says the contact has stopped" in text
    assert "O2: The child is under 13" in text
    assert "Yes, in the last 6 months" in text  # the wizard's words, not "current"
    assert "R1:" not in text and "O2:" in text
    view.findChild(QPushButton, "viewSignOffButton").click()
    confirm = view.findChild(SignOffConfirm)
    assert confirm.isVisible()
    wording = confirm.findChild(QLabel, "signOffConfirmText").text()
    assert (
        "agree to lower from Significant risk to Low risk / vulnerable, below floor O2" in wording
    )
    confirm.findChild(QPushButton, "confirmSignOffButton").click()
    signed = stores("lee").screenings.get(sid)
    assert (signed.status, signed.signed_off_by) == ("signed_off", "lee")
    entry = next(e for e in stores("admin").audit.entries(limit=40) if e.action == "sign_off")
    assert entry.detail["shown"]["outcomes"] == ["significant", "low"]
    assert entry.detail["shown"]["floors"] == ["O2"]


def test_queue_keeps_the_wait_on_screen_at_1366x768(qtbot, stores, runner, known):
    """A long reason is elided in its cell, never pushing "Waiting" and "By" off a laptop."""
    from cse_screen.core import registry
    from cse_screen.gui.review import HEADERS, ReviewPage

    sam = stores("sam")
    q = registry.get_questionnaire()
    draft = sam.screenings.start_draft(known.ids[YOUNG], q)
    sam.screenings.save_answers(draft.id, {**all_absent(q), known.significant_item: "current"})
    reason = "The carer says contact with the older group stopped in September; " * 3
    sam.screenings.submit(draft.id, "low", reason)
    page = ReviewPage(ctx_for(stores, runner, known, "lee"))
    qtbot.addWidget(page)
    page.resize(1366 - SIDEBAR, 700)
    page.show()
    qtbot.waitExposed(page)
    table = page.findChild(QTableWidget, "reviewTable")
    header = table.horizontalHeader()
    width = table.viewport().width()
    for name in ("Waiting", "By"):
        column = HEADERS.index(name)
        assert header.sectionViewportPosition(column) + header.sectionSize(column) <= width, name
    reason_cell = table.item(0, HEADERS.index("Reason"))
    assert reason_cell.toolTip() == reason.strip()


def test_screening_view_cancel_leaves_the_lowering_unsigned(qtbot, stores, runner, known):
    from cse_screen.gui.screening_view import ScreeningViewDialog, SignOffConfirm

    sid = submit_lowered(qtbot, stores, runner, known)
    lead = ctx_for(stores, runner, known, "lee")
    view = ScreeningViewDialog(stores("lee").screenings.get(sid), None, ctx=lead)
    qtbot.addWidget(view)
    view.findChild(QPushButton, "viewSignOffButton").click()
    confirm = view.findChild(SignOffConfirm)
    assert confirm.findChild(QPushButton, "cancelSignOffButton").isDefault()
    confirm.findChild(QPushButton, "cancelSignOffButton").click()
    assert stores("lee").screenings.get(sid).status == "submitted"


# -- a child moved to another worker takes its unfinished screening along ---------------------
def test_new_worker_continues_the_draft_of_a_reallocated_child(qtbot, stores, runner, known):
    from cse_screen.gui.wizard.page import open_screening

    sam = stores("sam")
    draft = sam.screenings.start_draft(known.ids["LAC0002"], sam_questionnaire())
    sam.screenings.save_answer(draft.id, known.significant_item, "current", "Told the nurse")
    admin = stores("admin")
    admin.users.add("kim", PASSWORD, "worker", team="North")
    admin.children.update(known.ids["LAC0002"], worker="kim")
    kim = ctx_for(stores, runner, known, "kim")
    wizard = open_screening(kim, known.ids["LAC0002"])
    assert wizard is not None and kim.errors == []
    qtbot.addWidget(wizard)
    assert wizard.controller.screening_id == draft.id  # the same screening, not a blank one
    assert wizard.controller.value(known.significant_item) == "current"
    assert [d.child_ref for d in stores("sam").screenings.drafts()] == []


# -- hazard H5: why a child is due, and an empty register that says what to do ---------------
def test_register_and_record_say_why_a_child_is_due(qtbot, stores, runner, known):
    from cse_screen.gui.child_record import ChildRecordPage

    moved = TODAY - timedelta(days=3)
    stores("admin").events.record(known.ids["LAC0001"], "placement_move", moved)
    lead = ctx_for(stores, runner, known, "lee")
    register = register_for(qtbot, lead)
    assert register.model.query.sort == "attention"  # a lead opens on what needs attention
    expected = f"placement move on {moved.day} {moved:%b}"
    if moved.year != TODAY.year:
        expected += f" {moved.year}"
    assert register_cells(register, "LAC0001")["Why due"] == f"{expected}; overdue by 3 days"
    assert register_cells(register, "LAC0002")["Why due"].startswith(
        "review after the screening of "
    )
    page = ChildRecordPage(lead, known.ids["LAC0001"])
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.data is not None, timeout=5000)
    assert (
        page.findChild(QLabel, "field_next_due").text().endswith(f"{expected}; overdue by 3 days")
    )
    search = register.findChild(QLineEdit, "searchEdit")
    with qtbot.waitSignal(register.updated, timeout=5000):
        qtbot.keyClicks(search, "nobody-by-this-name")
    empty = register.findChild(QLabel, "registerEmpty")
    assert empty.isVisible() and "No child matches" in empty.text()
    assert register.findChild(QTableView, "registerTable") is not None


def test_leads_open_on_their_team_sorted_by_what_needs_attention(qtbot, stores, runner, known):
    from cse_screen.gui.register import RegisterPage

    opened = {}
    for user in ("lee", "sam"):
        ctx = make_context(stores(user), runner, known.db, register_filter="mine")
        page = RegisterPage(ctx)
        qtbot.addWidget(page)
        qtbot.waitUntil(lambda page=page: page.model.total > 0, timeout=5000)
        scope = page.findChild(QComboBox, "scopeFilter").currentData()
        opened[user] = (scope, page.model.query.sort)
        if user == "lee":  # the overdue child comes before those merely due
            refs = [page.model.row_at(r).case_ref for r in range(page.model.rowCount())]
            assert refs.index("LAC0002") < refs.index("LAC0003")
    # A worker keeps the caseload they chose; a lead opens on the team, most urgent first.
    assert opened == {"lee": ("team", "attention"), "sam": ("mine", "ref")}


def test_an_empty_register_says_how_to_add_children(qtbot, tmp_path, runner):
    from screens_fixtures import PASSWORD

    from cse_screen.gui.register import RegisterPage
    from cse_screen.vault.store import Store

    db = tmp_path / "empty.db"
    store = Store.create(db, "admin", PASSWORD)
    try:
        ctx = make_context(store, runner, db, register_filter="all")
        page = RegisterPage(ctx)
        qtbot.addWidget(page)
        page.show()
        empty = page.findChild(QLabel, "registerEmpty")
        qtbot.waitUntil(lambda: empty.isVisible(), timeout=5000)
        assert empty.text().startswith("No children yet. Add a child")
        assert page.findChild(QWidget, "addChildButton").isVisible()
    finally:
        runner.wait(10000)
        store.close()
