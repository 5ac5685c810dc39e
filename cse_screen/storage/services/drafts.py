"""The one path by which a screening's answers reach the database.

The wizard and the crash-recovery test both go through :class:`DraftController`, so what the test
proves (an answer is committed the moment it is given) is what the wizard does. No Qt here: the
controller pairs the core session (skip logic, progress, completeness, scoring) with the storage
service (the draft row), and the widgets only draw what it says. It lives beside the services, not
in the GUI, because it needs the store's records and triggers and because anything else that fills
in a screening (a script, a sync client) must take the same path.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any, Protocol

from cse_screen.core import registry
from cse_screen.core.judgement import Judgement, apply_judgement
from cse_screen.core.model import Item, Questionnaire, Section
from cse_screen.core.save_ledger import SaveLedger
from cse_screen.core.scoring import ScoreResult
from cse_screen.core.session import ScreeningSession
from cse_screen.errors import ScreeningIncomplete, UserError
from cse_screen.storage.records import ChildRecord, EventRecord, ScreeningRecord
from cse_screen.storage.services.draft_saves import CONTEXT_KEY, PendingSave, answer_key, item_of
from cse_screen.storage.services.drafts_context import (
    CHILD_RECORD_FIELDS,
    COUNTED_FROM_EVENTS,
    SCREENING_COLUMNS,
    DraftContext,
    EventCount,
    EventCounter,
)
from cse_screen.storage.services.screenings import TRIGGERS


class ScreeningService(Protocol):
    """What of ``store.screenings`` the wizard uses."""

    def start_draft(self, child_id: int, questionnaire: Questionnaire, **kwargs: Any) -> Any: ...
    def save_answer(
        self, screening_id: int, item_id: str, value: str, note: str | None = None
    ) -> Any: ...
    def save_context(
        self,
        screening_id: int,
        context: Mapping[str, Any],
        *,
        screen_date: date | None = None,
        trigger: str | None = None,
    ) -> Any: ...
    def get(self, screening_id: int) -> ScreeningRecord: ...
    def discard_draft(self, screening_id: int) -> None: ...
    def submit(
        self, screening_id: int, final_outcome: str | None = None, reason: str | None = None
    ) -> Any: ...


__all__ = [
    "CHILD_RECORD_FIELDS",
    "COUNTED_FROM_EVENTS",
    "SCREENING_COLUMNS",
    "DraftController",
    "EventCount",
    "ScreeningService",
]


def _screening_id(started: Any) -> int:
    return started if isinstance(started, int) else int(started.id)


class DraftController(DraftContext):
    """A draft screening being filled in.

    Two ways to save, one truth about what is saved (:attr:`ledger`): ``answer``, ``set_note`` and
    ``set_context`` commit before they return (scripts, the crash test); the wizard gives the
    change with ``give_*`` (checked and kept in memory at once, numbered in the ledger), then has
    :meth:`save_for` written off the GUI thread and reports the outcome with :meth:`save_done` or
    :meth:`save_failed`. Only a committed save marks a change saved.
    """

    def __init__(
        self,
        screenings: ScreeningService,
        record: ScreeningRecord,
        questionnaire: Questionnaire,
        lock: threading.RLock | None = None,
        child: ChildRecord | None = None,
    ) -> None:
        self._screenings = screenings
        self._lock = lock
        self._child = child
        self.record = record
        self.questionnaire = questionnaire
        #: The event the trigger was taken from when the draft was started, to say so.
        self.trigger_event: EventRecord | None = None
        #: Context values counted from recorded events when the draft was started, by field id.
        self.counted: dict[str, EventCount] = {}
        answers = {item_id: a.value for item_id, a in record.answers.items()}
        self.notes: dict[str, str] = {
            item_id: a.note for item_id, a in record.answers.items() if a.note
        }
        self.session = ScreeningSession(questionnaire, answers=answers, context=self.context)
        self.ledger = SaveLedger()
        self.today = date.today
        self.clock_note = None

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def start(
        cls,
        screenings: ScreeningService,
        child_id: int,
        questionnaire: Questionnaire,
        trigger: str | None = None,
        lock: threading.RLock | None = None,
        child: ChildRecord | None = None,
        count_events: EventCounter | None = None,
    ) -> DraftController:
        """Create the draft row first, so even an unanswered screening survives a crash.

        ``count_events`` lets a new draft (never a resumed one) start with counts the child's
        recorded events already answer, such as missing episodes in the last 90 days.
        """
        with _held(lock):
            started = screenings.start_draft(child_id, questionnaire, trigger=trigger)
            record = screenings.get(_screening_id(started))
        controller = cls(screenings, record, questionnaire, lock, child)
        controller._record_trigger_in_context()
        if count_events is not None:
            controller._fill_counts_from_events(count_events)
        return controller

    @classmethod
    def resume(
        cls,
        screenings: ScreeningService,
        screening_id: int,
        lock: threading.RLock | None = None,
        child: ChildRecord | None = None,
    ) -> DraftController:
        """Reopen a draft under the very definition it was started with, never a newer one."""
        with _held(lock):
            record = screenings.get(screening_id)
        questionnaire = registry.get_by_hash(
            record.instrument_id, record.instrument_version, record.instrument_hash
        )
        return cls(screenings, record, questionnaire, lock, child)

    @property
    def screening_id(self) -> int:
        return self.record.id

    @property
    def child(self) -> ChildRecord | None:
        """The child being screened, as the record held it when the wizard opened."""
        return self._child

    def discard(self) -> None:
        """Delete the draft through storage, which checks the role and audits the discard."""
        with _held(self._lock):
            self._screenings.discard_draft(self.screening_id)

    # -- answering ----------------------------------------------------------------------------
    def answer(self, item_id: str, value: str) -> None:
        """Check the value with the session, then commit it (with any note) at once."""
        self.commit(self.save_for(self.give_answer(item_id, value)))

    def give_answer(self, item_id: str, value: str) -> str:
        """Check the value with the session and keep it; returns the key its save goes by."""
        self.session.set_answer(item_id, value)
        return self.ledger_change(answer_key(item_id))

    def set_note(self, item_id: str, note: str) -> None:
        """Keep an evidence note; saved with the answer (a note without an answer waits)."""
        key = self.give_note(item_id, note)
        if key is not None:
            self.commit(self.save_for(key))

    def give_note(self, item_id: str, note: str) -> str | None:
        """Keep a note in memory; the key of the answer it is saved with, None until answered."""
        if note.strip():
            self.notes[item_id] = note
        else:
            self.notes.pop(item_id, None)
        if item_id not in self.session.answers:
            return None
        return self.ledger_change(answer_key(item_id))

    # -- saving -------------------------------------------------------------------------------
    def save_for(self, key: str) -> PendingSave:
        """The save of what ``key`` holds now, taken on the calling thread; ``write()`` may then
        run on another (it touches only the snapshot, the service and the lock)."""
        number = self.ledger.latest(key)
        sid, screenings, lock = self.screening_id, self._screenings, self._lock
        if key == CONTEXT_KEY:
            context, day = dict(self.record.context), self.record.screen_date
            trigger = self.record.trigger if self.record.trigger in TRIGGERS else None

            def write() -> None:
                with _held(lock):
                    screenings.save_context(sid, context, screen_date=day, trigger=trigger)

            return PendingSave(key, number, write)
        item_id = item_of(key)
        value, note = self.session.answers.get(item_id), self.notes.get(item_id) or None

        def write_answer() -> None:
            with _held(lock):
                screenings.save_answer(sid, item_id, value, note)  # type: ignore[arg-type]

        return PendingSave(key, number, write_answer)

    def commit(self, pending: PendingSave) -> None:
        """Write ``pending`` now, on this thread; a failure is recorded, then raised."""
        try:
            pending.write()
        except BaseException as exc:
            self.save_failed(pending, exc)
            raise
        self.save_done(pending)

    def save_done(self, pending: PendingSave) -> bool:
        """Record a committed save; True when its key holds nothing newer."""
        return self.ledger.committed(pending.key, pending.number)

    def save_failed(self, pending: PendingSave, exc: BaseException) -> int:
        """Record a failed save with its sentence; returns the failures in a row for its key."""
        reason = str(exc) if isinstance(exc, UserError) else "an unexpected error"
        return self.ledger.failed(pending.key, pending.number, reason)

    def unsaved_items(self) -> list[str]:
        """Item ids whose answer or note is not committed, in the order they were given."""
        return [item_of(u.key) for u in self.ledger.unsaved() if u.key != CONTEXT_KEY]

    def value(self, item_id: str) -> str | None:
        return self.session.answers.get(item_id)

    # -- what the core says about the answers -------------------------------------------------
    def visible_sections(self) -> list[Section]:
        return list(self.session.visible_sections())

    def is_visible(self, item_id: str) -> bool:
        return bool(self.session.is_visible(item_id))

    def progress(self) -> tuple[int, int]:
        answered, total = self.session.progress()
        return int(answered), int(total)

    def is_present(self, item: Item) -> bool:
        """Whether the answer counts as present, as the item's answer type defines it."""
        return bool(self.session.is_present(item.id))

    def needs_evidence(self, item: Item) -> bool:
        """The evidence box shows when the item's rule asks for a note and the item is present."""
        return item.evidence != "none" and self.is_present(item)

    def evidence_missing(self) -> list[str]:
        """Visible present items whose rule requires a note that is still empty."""
        return self.session.evidence_missing(self.notes)

    def next_unanswered(self) -> str | None:
        """Where a resumed draft picks up: the first shown item without an answer."""
        return self.session.next_unanswered()

    def missing_required(self) -> list[str]:
        return list(self.session.missing_required())

    def result(self) -> ScoreResult:
        return self.session.result()

    def judge(self, final_outcome: str | None, reason: str) -> Judgement | None:
        """The override as core rules it, or None when the computed outcome stands."""
        computed = self.result().outcome
        if not final_outcome or final_outcome == computed:
            return None
        return apply_judgement(self.questionnaire, computed, final_outcome, reason)

    def signoff_needed(self, final_outcome: str) -> bool:
        """Whether choosing ``final_outcome`` would need a lead's sign-off, as core rules it.

        Asked before the reason is typed, so a placeholder reason stands in for it; the real
        decision is made again on submit with the user's own reason.
        """
        computed = self.result().outcome
        if final_outcome == computed:
            return False
        return apply_judgement(
            self.questionnaire, computed, final_outcome, "(preview)"
        ).needs_signoff

    def submit(self, final_outcome: str | None, reason: str) -> ScreeningRecord:
        """Refuse required context not given and missing evidence notes (the definition's
        rules, decided by core), validate the override in core, then let storage refuse what
        it must (unanswered required items)."""
        lacking = self.missing_context()
        if lacking:
            names = ", ".join(f.label for f in lacking)
            raise ScreeningIncomplete(
                f"This screening cannot be submitted until these details are given on the "
                f"“About this screening” page: {names}."
            )
        missing = self.evidence_missing()
        if missing and not self.missing_required():
            raise ScreeningIncomplete(
                "An evidence note is needed for each indicator present: " + ", ".join(missing) + "."
            )
        judgement = self.judge(final_outcome, reason)
        with _held(self._lock):
            if judgement is None:
                self._screenings.submit(self.screening_id)
            else:
                self._screenings.submit(
                    self.screening_id, final_outcome=judgement.final_outcome, reason=reason
                )
            self.record = self._screenings.get(self.screening_id)
        return self.record


@contextlib.contextmanager
def _held(lock: threading.RLock | None) -> Iterator[None]:
    if lock is None:
        yield
    else:
        with lock:
            yield
