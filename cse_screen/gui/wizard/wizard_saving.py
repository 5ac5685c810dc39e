"""The wizard's side of saving: what the footer and the marks say, closing and locking with
changes not yet committed. The truth is the draft controller's ledger; this only shows it.

A mixin of :class:`~cse_screen.gui.wizard.wizard.ScreeningWizard`, kept apart so the wizard's
pages and navigation read on their own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTime

from cse_screen.gui.wizard.close_prompt import ask_before_closing, unsaved_summary
from cse_screen.storage.services.draft_saves import answer_key
from cse_screen.storage_faults import short_phrase

if TYPE_CHECKING:
    from cse_screen.gui.wizard.wizard import ScreeningWizard

    _Base = ScreeningWizard
else:
    _Base = object


class WizardSaving(_Base):
    """Footer, per-answer marks, close and lock, as the ledger and the autosave queue say."""

    _after_saved: Callable[[], None] | None
    _date_answered: bool

    def close_wizard(self) -> None:
        """Close once everything is committed; with changes unsaved, say how many and offer to
        retry, never claiming they are saved."""
        self.flush_notes()
        if self.controller.ledger.all_saved():
            self.closed.emit(self.controller.screening_id)
        elif not self.controller.ledger.failing():
            self._when_saved(self.close_wizard)  # still on their way: close when they land
        else:
            ask_before_closing(self, self.controller, self.autosave.retry_now, self._close_unsaved)

    def _close_unsaved(self) -> None:
        self._after_saved = None
        self.closed.emit(self.controller.screening_id)

    def _when_saved(self, then: Callable[[], None]) -> None:
        self._after_saved = then
        self._show_save_state()

    def all_saved(self) -> bool:
        """Whether every change given in this wizard is committed (what "saved" may claim)."""
        return self.controller.ledger.all_saved() and not self.autosave.busy()

    def on_locked(self) -> None:
        """Locking writes typed notes and tries the unsaved changes once more at once."""
        self.flush_notes()
        self.autosave.retry_now()

    def _show_save_state(self) -> None:
        """The footer and the items say what the ledger says: saved, on its way, or failed."""
        unsaved = {u.key for u in self.controller.ledger.unsaved()}
        failing = self.controller.ledger.failing()
        why = short_phrase(self.autosave.last_error) if failing else "saving…"
        for page in self.pages.values():
            for item_id, widget in page.items.items():
                widget.set_unsaved(why if answer_key(item_id) in unsaved else None)
        self.retry_button.setVisible(bool(failing))
        if failing:
            text = unsaved_summary(self.controller)
            if self.autosave.retry_in is not None:
                text += f" Trying again in {self.autosave.retry_in:g} s."
            self.save_status.setText(text)
        elif not self.all_saved():
            self.save_status.setText("Saving…")
        else:
            now = QTime.currentTime().toString("HH:mm:ss")
            self.save_status.setText(f"All answers saved at {now}")
            then, self._after_saved = self._after_saved, None
            if then is not None:
                then()

    def _redate_and_submit(self, day: object, final_outcome: str, reason: str) -> None:
        """ "This one is current": dated as the latest, it wins on the order of submission."""
        self._context_changed("screen_date", day)
        self._submit_as_dated(final_outcome, reason)

    def _submit_as_dated(self, final_outcome: str, reason: str) -> None:
        self._date_answered = True
        self._submit(final_outcome, reason)
