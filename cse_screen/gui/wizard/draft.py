"""The one path by which a screening's answers reach the database.

The wizard and the crash-recovery test both go through :class:`DraftController`, so what the test
proves (an answer is committed the moment it is given) is what the wizard does. No Qt here: the
controller pairs the core session (skip logic, progress, completeness, scoring) with the storage
service (the draft row), and the widgets only draw what it says.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any, Protocol

from cse_screen.core import registry
from cse_screen.core.answers_file import AnswersFile, check_against
from cse_screen.core.child_details import unmapped_details
from cse_screen.core.judgement import Judgement, apply_judgement
from cse_screen.core.model import ContextField, Item, Questionnaire, Section
from cse_screen.core.scoring import ScoreResult
from cse_screen.core.session import ScreeningSession, scoring_context
from cse_screen.errors import ScreeningIncomplete, ValidationFailed
from cse_screen.storage.records import ChildRecord, EventRecord, ScreeningRecord
from cse_screen.storage.services.screenings import TRIGGERS

#: Context fields the child's record already holds (date of birth, gender, disability, ...):
#: never asked again, so the record stays the one place they are kept up to date.
CHILD_RECORD_FIELDS: frozenset[str] = frozenset(f.name for f in dataclasses.fields(ChildRecord))
#: Context fields the screening row keeps in a column of its own, so they always have a value.
SCREENING_COLUMNS: frozenset[str] = frozenset({"screen_date", "trigger"})
#: Context fields a new draft can count from the child's recorded events: field id -> (event
#: kind, days ending on the screening date), matching the period the field's label names.
COUNTED_FROM_EVENTS: dict[str, tuple[str, int]] = {"missing_episodes": ("missing_episode", 90)}
#: ``count(kind, up_to, days)``: how many of the child's events storage holds in that period.
EventCounter = Callable[[str, date, int], int]


@dataclasses.dataclass(frozen=True)
class EventCount:
    """A context value filled in from recorded events, kept so the page can say so."""

    field_id: str
    kind: str
    count: int
    up_to: date
    days: int


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


def _screening_id(started: Any) -> int:
    return started if isinstance(started, int) else int(started.id)


class DraftController:
    """A draft screening being filled in: every answer is saved before the call returns."""

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

    @property
    def context(self) -> dict[str, Any]:
        """The scoring context as storage builds it on submit (the child's date of birth and
        disability from the record, the screening date), so the preview agrees with the result."""
        child = self._child
        base = dict(self.record.context)
        if self._declares("trigger"):
            base.setdefault("trigger", self.record.trigger)
        return dict(
            scoring_context(
                base,
                screen_date=self.record.screen_date,
                dob=child.dob if child else None,
                disability=child.disability if child else None,
            )
        )

    # -- context ("About this screening") -----------------------------------------------------
    def _declares(self, field_id: str) -> bool:
        return any(f.id == field_id for f in self.questionnaire.context_fields)

    def asked_context(self) -> list[ContextField]:
        """The definition's context fields the worker answers in the wizard: all but those the
        child's record supplies, which scoring and the export take from the record; a record
        detail that matches none of the definition's choices is asked (see :meth:`must_ask`)."""
        unmapped = {f.id for f in self.unmapped_record_context()}
        return [
            f
            for f in self.questionnaire.context_fields
            if f.id not in CHILD_RECORD_FIELDS or f.id in unmapped
        ]

    def record_context(self) -> list[ContextField]:
        """The definition's context fields taken from the child's record (shown, not asked)."""
        unmapped = {f.id for f in self.unmapped_record_context()}
        return [
            f
            for f in self.questionnaire.context_fields
            if f.id in CHILD_RECORD_FIELDS and f.id not in unmapped
        ]

    def unmapped_record_context(self) -> list[ContextField]:
        """Record details scoring reads whose stored value is none of the definition's choices
        (typed before choices were enforced): a person must choose, never a default."""
        if self._child is None:
            return []
        return unmapped_details(self.questionnaire, dataclasses.asdict(self._child))

    def must_ask(self, field: ContextField) -> bool:
        """Whether the field must be given before submitting: required by the definition, or
        a record detail that matched none of its choices."""
        return field.required or any(f.id == field.id for f in self.unmapped_record_context())

    def recorded_value(self, field_id: str) -> str | None:
        """What the child's record holds for a detail (shown beside an unmapped one)."""
        value = getattr(self._child, field_id, None) if self._child is not None else None
        return value if isinstance(value, str) else None

    def context_clearable(self, field: ContextField) -> bool:
        """Whether "not given" is a choice: not for the date and trigger the row always has."""
        return field.id not in SCREENING_COLUMNS

    def context_value(self, field_id: str) -> Any:
        """The saved value: a date, an int, a str or a list of str, or None when not given."""
        if field_id == "screen_date":
            return self.record.screen_date
        value = self.record.context.get(field_id)
        if value is None and field_id == "trigger":
            return self.record.trigger
        field = self._context_field(field_id)
        if field.type == "date" and isinstance(value, str):
            return date.fromisoformat(value)
        return value

    def set_context(self, field_id: str, value: Any) -> None:
        """Check the value against the definition (core's rule for context values), then
        commit it to the draft at once, as every answer is, so nothing typed is lost."""
        field = self._context_field(field_id)
        if value in ("", []):
            value = None
        if field.id == "screen_date":
            self._save_screen_date(value)
        else:
            self._save_context_entry(field, value)
        self._sync_session()

    def _context_field(self, field_id: str) -> ContextField:
        for field in self.asked_context():
            if field.id == field_id:
                return field
        raise ValidationFailed(f"{self.questionnaire.label} asks no context field '{field_id}'")

    def _save_screen_date(self, day: Any) -> None:
        if not isinstance(day, date):
            raise ValidationFailed("The date of screening cannot be left empty.")
        with _held(self._lock):
            self._screenings.save_context(
                self.screening_id, dict(self.record.context), screen_date=day
            )
        self.record = dataclasses.replace(self.record, screen_date=day)

    def _save_context_entry(self, field: ContextField, value: Any) -> None:
        stored = value.isoformat() if isinstance(value, date) else value
        check_against(
            AnswersFile(self.questionnaire.id, {field.id: stored}, {}, source="this screening"),
            self.questionnaire,
        )
        context = dict(self.record.context)
        if stored is None:
            context.pop(field.id, None)
        else:
            context[field.id] = stored
        # The trigger also lives in its own column (lists, review queue): keep both the same.
        trigger = stored if field.id == "trigger" and stored in TRIGGERS else None
        with _held(self._lock):
            self._screenings.save_context(self.screening_id, context, trigger=trigger)
        self.record = dataclasses.replace(
            self.record, context=context, trigger=trigger or self.record.trigger
        )

    def _record_trigger_in_context(self) -> None:
        """Write the new draft's trigger into its context too, so storage scores and checks
        the same context the wizard shows (a definition may ask about, or require, it)."""
        if "trigger" in self.record.context or "trigger" in CHILD_RECORD_FIELDS:
            return
        field = next((f for f in self.asked_context() if f.id == "trigger"), None)
        if field is not None and self.record.trigger in field.options:
            self._save_context_entry(field, self.record.trigger)
            self._sync_session()

    def _fill_counts_from_events(self, count_events: EventCounter) -> None:
        """Save, like any value the worker gives, each count the records answer; a field that
        already holds a value keeps it, and a count of none is left for the worker to give,
        since no event recorded is not the same as none having happened."""
        for field in self.asked_context():
            counted_as = COUNTED_FROM_EVENTS.get(field.id)
            if counted_as is None or field.type != "integer":
                continue
            if self.record.context.get(field.id) is not None:
                continue
            kind, days = counted_as
            count = count_events(kind, self.screen_date, days)
            if count > 0:
                self._save_context_entry(field, count)
                self.counted[field.id] = EventCount(field.id, kind, count, self.screen_date, days)
        self._sync_session()

    def counted_from_events(self, field_id: str, value: Any) -> EventCount | None:
        """The event count behind ``value`` while the field still shows it, else None (the
        worker changed it, so the records are no longer where the number came from)."""
        counted = self.counted.get(field_id)
        return counted if counted is not None and counted.count == value else None

    def _sync_session(self) -> None:
        wanted = self.context
        for key in [k for k in self.session.context if k not in wanted]:
            self.session.set_context(key, None)
        for key, value in wanted.items():
            self.session.set_context(key, value)

    def missing_context(self) -> list[ContextField]:
        """Required context fields the wizard asks that are still not given (core decides)."""
        missing = set(self.session.missing_context())
        missing |= {
            f.id for f in self.unmapped_record_context() if not self.record.context.get(f.id)
        }
        return [f for f in self.asked_context() if f.id in missing]

    # -- answering ----------------------------------------------------------------------------
    def answer(self, item_id: str, value: str) -> None:
        """Check the value with the session, then commit it (with any note) at once."""
        self.session.set_answer(item_id, value)
        self._save(item_id)

    def set_note(self, item_id: str, note: str) -> None:
        """Keep an evidence note; saved with the answer (a note without an answer waits)."""
        if note.strip():
            self.notes[item_id] = note
        else:
            self.notes.pop(item_id, None)
        if item_id in self.session.answers:
            self._save(item_id)

    def _save(self, item_id: str) -> None:
        value = self.session.answers[item_id]
        with _held(self._lock):
            self._screenings.save_answer(
                self.screening_id, item_id, value, self.notes.get(item_id) or None
            )

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

    @property
    def screen_date(self) -> date:
        return self.record.screen_date


@contextlib.contextmanager
def _held(lock: threading.RLock | None) -> Iterator[None]:
    if lock is None:
        yield
    else:
        with lock:
            yield
