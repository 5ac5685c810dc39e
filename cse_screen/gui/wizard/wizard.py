"""The screening wizard: "About this screening", a page per visible section, then the result.

Which sections and items show, progress and completeness come from the core session through the
:class:`DraftController`. Every answer is written to the draft as it is given, off the GUI thread
(:class:`AutosaveQueue`); the footer says "All answers saved" only when the controller's ledger
says every change is committed, and an answer whose save failed stays marked, with the reason,
until a retry commits it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cse_screen.core import codes
from cse_screen.errors import OverrideInvalid, ScreeningIncomplete, UserError
from cse_screen.gui.a11y import announce, mark_heading
from cse_screen.gui.theme import set_tone
from cse_screen.gui.wizard.autosave import AutosaveQueue
from cse_screen.gui.wizard.close_prompt import unsaved_summary
from cse_screen.gui.wizard.context_page import ContextPage
from cse_screen.gui.wizard.date_question import ask_which_is_current
from cse_screen.gui.wizard.discard import child_heading, confirm_discard
from cse_screen.gui.wizard.result_page import ResultPage
from cse_screen.gui.wizard.section_page import SectionPage
from cse_screen.gui.wizard.wizard_saving import WizardSaving
from cse_screen.gui.worker import Runner
from cse_screen.storage.services.drafts import DraftController
from cse_screen.storage.services.outcome_words import returned_sentence

ErrorFn = Callable[[BaseException], None]
NOTE_DELAY_MS = 400
CONTEXT_KEY_HINT = (
    "Keys: Tab next field · arrow keys change a choice or a number · Space ticks a box · "
    "PgDn or Alt+N first section"
)
KEY_HINT = (
    "Keys: 1–5 choose an answer · Tab next question · F1 guidance · "
    "PgDn or Alt+N next section · PgUp or Alt+P previous section · Alt+U submit"
)


class ScreeningWizard(WizardSaving, QWidget):
    """Draws the controller's questionnaire; asks it everything else."""

    submitted = Signal(int)  # screening id
    closed = Signal(int)  # screening id; the draft is already saved
    discarded = Signal(int)  # screening id; the draft no longer exists

    def __init__(
        self,
        controller: DraftController,
        on_error: ErrorFn | None = None,
        parent: QWidget | None = None,
        runner: Runner | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("screeningWizard")
        self.controller = controller
        self._on_error = on_error
        self.autosave = AutosaveQueue(controller, runner or Runner(parent=self), self._failed, self)
        self.autosave.changed.connect(self._show_save_state)
        self._after_saved: Callable[[], None] | None = None
        self._date_answered = False  # the worker said which screening is current
        self._pending_notes: dict[str, str] = {}
        self._note_timer = QTimer(self, singleShot=True, interval=NOTE_DELAY_MS)
        self._note_timer.timeout.connect(self.flush_notes)
        q = controller.questionnaire
        layout = QVBoxLayout(self)
        self._build_header(layout)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("wizardPages")
        self.context_page: ContextPage | None = None
        if controller.asked_context():
            self.context_page = ContextPage(controller, self.stack)
            self.context_page.changed.connect(self._context_changed)
            self.stack.addWidget(self.context_page)
        self.pages: dict[str, SectionPage] = {}
        for section in q.sections:
            page = SectionPage(section, q.windows, self.stack)
            self.pages[section.id] = page
            self.stack.addWidget(page)
            for widget in page.items.values():
                widget.answered.connect(self._answered)
                widget.note_edited.connect(self._note_edited)
        self.result_page = ResultPage(q, self.stack)
        self.result_page.submit_requested.connect(self._submit)
        self.result_page.first_unanswered_requested.connect(self.go_to_first_unanswered)
        self.stack.addWidget(self.result_page)
        layout.addWidget(self.stack, 1)
        self._build_footer(layout)
        self._shortcuts()
        self._restore()
        QApplication.instance().focusChanged.connect(self._scroll_to_focus)  # type: ignore[union-attr]

    # -- construction -------------------------------------------------------------------------
    def _build_header(self, layout: QVBoxLayout) -> None:
        record = self.controller.record
        self.title = QLabel(self._title_text(), self)
        self.title.setObjectName("wizardTitle")
        mark_heading(self.title)
        layout.addWidget(self.title)
        if record.status == "returned" and record.returned_reason:
            sentence = returned_sentence(
                record.child_ref, record.returned_by, record.returned_at, record.returned_reason
            )
            returned = QLabel(sentence, self)
            returned.setObjectName("returnedReason")
            returned.setWordWrap(True)
            returned.setTextFormat(Qt.TextFormat.PlainText)
            returned.setStyleSheet("QLabel { font-weight: bold; }")
            layout.addWidget(returned)
        if controller_note := self.controller.clock_note:
            clock = QLabel(controller_note, self)
            clock.setObjectName("clockWarning")
            clock.setWordWrap(True)
            clock.setTextFormat(Qt.TextFormat.PlainText)
            clock.setStyleSheet("QLabel { font-weight: bold; }")
            layout.addWidget(clock)
        row = QHBoxLayout()
        self.step_label = QLabel(self)
        self.step_label.setObjectName("stepLabel")
        row.addWidget(self.step_label, 1)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("progress")
        self.progress.setAccessibleName("Questions answered")
        self.progress.setFormat("%v of %m answered")
        self.progress.setMinimumWidth(220)
        row.addWidget(self.progress)
        layout.addLayout(row)
        self.hint = QLabel(KEY_HINT, self)
        self.hint.setObjectName("keyHint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.problem = QLabel(self)  # why Submit was refused, shown on every page until fixed
        self.problem.setObjectName("submitProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)

    def _title_text(self) -> str:
        """Who is being screened, on every page: name, age on the screen date and case
        reference, so the right child is seen (the window title never names the child)."""
        record = self.controller.record
        q = self.controller.questionnaire
        child = self.controller.child
        care = [
            codes.label(kind, getattr(child, kind)) if child else ""
            for kind in ("placement_type", "legal_status")
        ]
        shown = " · ".join(html.escape(words) for words in care if words)
        return (
            f"<b>Screening for {html.escape(child_heading(self.controller))}</b> · "
            f"{html.escape(q.title)} (version {html.escape(q.version)}) · "
            f"screen date {record.screen_date:%d %b %Y}" + (f"<br>{shown}" if shown else "")
        )

    def _build_footer(self, layout: QVBoxLayout) -> None:
        self.save_status = QLabel(self)
        self.save_status.setObjectName("saveStatus")
        self.save_status.setWordWrap(True)
        self.save_status.setTextFormat(Qt.TextFormat.PlainText)
        self.save_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.save_status)  # a row of its own: a failure's sentence is long
        row = QHBoxLayout()
        row.addStretch(1)
        self.retry_button = QPushButton("&Retry saving", self)
        self.retry_button.setObjectName("retrySaveButton")
        self.retry_button.clicked.connect(self.autosave.retry_now)
        self.retry_button.hide()
        row.addWidget(self.retry_button)
        self.discard_button = QPushButton("Disc&ard draft…", self)
        self.discard_button.setObjectName("discardDraftButton")
        self.discard_button.setToolTip("Delete this draft and its answers (asks first)")
        self.discard_button.setVisible(self.controller.record.status == "draft")
        self.discard_button.clicked.connect(self.discard)
        row.addWidget(self.discard_button)
        self.close_button = QPushButton("Close", self)
        self.close_button.setObjectName("closeWizardButton")
        self.close_button.clicked.connect(self.close_wizard)
        row.addWidget(self.close_button)
        self.back_button = QPushButton("‹ &Previous", self)
        self.back_button.setObjectName("backButton")
        self.back_button.clicked.connect(self.go_back)
        row.addWidget(self.back_button)
        self.next_button = QPushButton("&Next ›", self)
        self.next_button.setObjectName("nextButton")
        self.next_button.clicked.connect(self.go_next)
        row.addWidget(self.next_button)
        layout.addLayout(row)

    def _shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for key, slot in ((Qt.Key.Key_PageDown, self.go_next), (Qt.Key.Key_PageUp, self.go_back)):
            shortcut = QShortcut(QKeySequence(key), self, context=context)
            shortcut.activated.connect(slot)

    def _restore(self) -> None:
        """Show a resumed draft's context, answers and notes, then open where the worker is up
        to: "About this screening" for a new draft or one lacking required details, else the
        first unfinished section."""
        for page in self.pages.values():
            for item_id, widget in page.items.items():
                widget.set_value(self.controller.value(item_id))
                widget.set_note(self.controller.notes.get(item_id, ""))
        self._refresh()
        if self.context_page is not None:
            self.context_page.restore()
            if not self.controller.session.answers or self.controller.missing_context():
                self.show_context()
                return
        start = self._first_unfinished()
        if start is None:
            self.show_result()
        else:
            self.show_section(start)

    # -- navigation ---------------------------------------------------------------------------
    def visible_section_ids(self) -> list[str]:
        return [s.id for s in self.controller.visible_sections()]

    def current_section_id(self) -> str | None:
        page = self.stack.currentWidget()
        return page.section.id if isinstance(page, SectionPage) else None

    def on_result_page(self) -> bool:
        return self.stack.currentWidget() is self.result_page

    def on_context_page(self) -> bool:
        return self.context_page is not None and self.stack.currentWidget() is self.context_page

    def show_context(self) -> None:
        if self.context_page is None:
            return
        self.flush_notes()
        self.stack.setCurrentWidget(self.context_page)
        self._update_chrome()
        self.context_page.focus_first()

    def _first_unfinished(self) -> str | None:
        item_id = self.controller.next_unanswered()
        return None if item_id is None else self.controller.questionnaire.section_of(item_id).id

    def show_section(self, section_id: str) -> None:
        self.flush_notes()
        page = self.pages[section_id]
        self.stack.setCurrentWidget(page)
        self._update_chrome()
        page.focus_first()

    def show_result(self) -> None:
        """The result page; the computed outcome is read before focus reaches the judgement."""
        self.flush_notes()
        set_tone(self.problem, "")
        self.result_page.show_result(self.controller)
        self.stack.setCurrentWidget(self.result_page)
        self._update_chrome()
        self.result_page.override.setFocus()

    def go_to_first_unanswered(self) -> None:
        """From the result page back to the first required item still unanswered."""
        missing = self.controller.missing_required()
        item_id = missing[0] if missing else self.controller.next_unanswered()
        if item_id is None:
            return
        section_id = self.controller.questionnaire.section_of(item_id).id
        self.show_section(section_id)
        page = self.pages[section_id]
        widget = page.items.get(item_id)
        if widget is not None:
            widget.focus_answer()
            page.ensureWidgetVisible(widget)

    def go_next(self) -> None:
        ids = self.visible_section_ids()
        if self.on_context_page():
            if ids:
                self.show_section(ids[0])
            else:
                self.show_result()
            return
        current = self.current_section_id()
        if current is None:
            return
        position = ids.index(current) if current in ids else -1
        if position + 1 < len(ids):
            self.show_section(ids[position + 1])
        else:
            self.show_result()

    def go_back(self) -> None:
        ids = self.visible_section_ids()
        if self.on_context_page():
            return
        current = self.current_section_id()
        if current is None and ids:
            self.show_section(ids[-1])
        elif current in ids and ids.index(current) > 0:
            self.show_section(ids[ids.index(current) - 1])
        else:
            self.show_context()

    def hideEvent(self, event: QHideEvent) -> None:
        """Leaving the page any way at all (Back, Home, lock) writes typed notes first."""
        self.flush_notes()
        super().hideEvent(event)

    def discard(self) -> bool:
        """Ask, naming the child's case reference, then delete the draft through storage (which
        checks the role and audits it); the wizard then closes. Returns whether it was."""
        self.flush_notes()
        if not confirm_discard(self, self.controller.record.child_ref):
            return False
        try:
            self.controller.discard()
        except Exception as exc:
            self._failed(exc)
            return False
        self.autosave.stop()  # what was still to save belonged to the draft now deleted
        self.discarded.emit(self.controller.screening_id)
        return True

    def _update_chrome(self) -> None:
        ids = self.visible_section_ids()
        current = self.current_section_id()
        on_context = self.on_context_page()
        if on_context:
            self.step_label.setText("<b>About this screening</b>")
        elif current is None:
            self.step_label.setText("<b>Result</b>")
        else:
            number = ids.index(current) + 1 if current in ids else 0
            title = html.escape(self.pages[current].section.title)
            self.step_label.setText(f"<b>Section {number} of {len(ids)}:</b> {title}")
        if on_context or current is not None:  # the result page announces its outcome instead
            spoken = html.unescape(re.sub(r"<[^>]+>", "", self.step_label.text()))
            announce(self.step_label, spoken)
        self.hint.setText(CONTEXT_KEY_HINT if on_context else KEY_HINT)
        first = bool(ids) and ids[0] == current
        self.back_button.setEnabled(
            not on_context and (current is None or not first or self.context_page is not None)
        )
        self.next_button.setVisible(current is not None or on_context)
        self._update_progress()

    def _update_progress(self) -> None:
        answered, total = self.controller.progress()
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(answered)

    # -- answers ------------------------------------------------------------------------------
    def _answered(self, item_id: str, value: str) -> None:
        try:
            key = self.controller.give_answer(item_id, value)
        except Exception as exc:
            self._failed(exc)
            return
        self.autosave.save(key)
        self._refresh()

    def _context_changed(self, field_id: str, value: object) -> None:
        try:
            key = self.controller.give_context(field_id, value)
        except Exception as exc:
            if self.context_page is not None:
                self.context_page.restore()  # show what is kept, not what was refused
            self._failed(exc)
            return
        self.autosave.save(key)
        self.title.setText(self._title_text())
        if self.context_page is not None and field_id == "trigger":
            self.context_page.restore()
        self._refresh()  # skip logic may read the context

    def _note_edited(self, item_id: str, text: str) -> None:
        self._pending_notes[item_id] = text
        self.save_status.setText("Saving…")
        self._note_timer.start()

    def flush_notes(self) -> None:
        """Write typed evidence notes now (called on a timer, page change, close and lock)."""
        self._note_timer.stop()
        if self.context_page is not None:
            self.context_page.flush()
        pending, self._pending_notes = self._pending_notes, {}
        for item_id, text in pending.items():
            key = self.controller.give_note(item_id, text)
            if key is not None:
                self.autosave.save(key)
        if pending:
            self._refresh_evidence()

    def _refresh(self) -> None:
        """Show or hide items as the session's skip logic says, and the evidence boxes."""
        for page in self.pages.values():
            for item_id, widget in page.items.items():
                widget.setVisible(self.controller.is_visible(item_id))
        self._refresh_evidence()
        self._update_progress()

    def _refresh_evidence(self) -> None:
        missing = set(self.controller.evidence_missing())
        for page in self.pages.values():
            for item_id, widget in page.items.items():
                widget.set_evidence_shown(self.controller.needs_evidence(widget.item))
                widget.set_evidence_missing(item_id in missing)

    def _failed(self, exc: BaseException) -> None:
        self._show_save_state()
        if self._on_error is not None:
            self._on_error(exc)
        else:
            raise exc

    def _scroll_to_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        page = self.stack.currentWidget()
        scrolled = isinstance(page, (SectionPage, ContextPage))
        if scrolled and new is not None and page.isAncestorOf(new):
            page.ensureWidgetVisible(new, 40, 80)

    # -- submitting ---------------------------------------------------------------------------
    def _submit(self, final_outcome: str, reason: str) -> None:
        """Submit only what is committed: wait for saves on their way; refuse while any failed."""
        self.flush_notes()
        if not self.all_saved():
            if self.controller.ledger.failing():
                self.autosave.retry_now()
                self.result_page.show_submit_error(
                    UserError(unsaved_summary(self.controller) + " Submit again once saved.")
                )
            else:
                self._when_saved(lambda: self._submit(final_outcome, reason))
            return
        latest = self.controller.dated_before_latest()
        if latest is not None and not self._date_answered:
            ask_which_is_current(
                self,
                self.controller.screen_date,
                latest,
                lambda: self._redate_and_submit(latest, final_outcome, reason),
                lambda: self._submit_as_dated(final_outcome, reason),
            )
            return
        self._date_answered = False
        try:
            self.controller.submit(final_outcome or None, reason)
        except OverrideInvalid as exc:
            self.result_page.show_override_error(exc)
            return
        except ScreeningIncomplete as exc:
            self.result_page.show_submit_error(exc)
            self._go_to_first_problem(str(exc))
            return
        except UserError as exc:
            self.result_page.show_submit_error(exc)
            self._go_to_first_problem(str(exc))
            return
        except Exception as exc:
            self._failed(exc)
            return
        self.submitted.emit(self.controller.screening_id)

    def _go_to_first_problem(self, refusal: str) -> None:
        """After a refused submit, put focus on the first thing to fix, scrolled into view.

        The refusal stays in words above the page (and is read out) so the worker knows why
        the wizard moved; it goes once the result page is shown again.
        """
        missing_context = self.controller.missing_context()
        unanswered = self.controller.next_unanswered()
        evidence = self.controller.evidence_missing()
        if missing_context and self.context_page is not None:
            self.show_context()
            where = f"now at {missing_context[0].label}"
        elif unanswered is not None or evidence:
            item_id = unanswered if unanswered is not None else evidence[0]
            section = self.controller.questionnaire.section_of(item_id).id
            self.show_section(section)
            self.pages[section].focus_item(item_id, evidence=unanswered is None)
            where = f"now at question {item_id}"
        else:
            return  # nothing to go to: focus stays on the refusal beside Submit
        set_tone(self.problem, f"Not submitted: {refusal}", "error")
        announce(self.problem, f"Not submitted: {refusal} {where.capitalize()}.", assertive=True)
