"""The "About this screening" half of a draft: context values, the date and the trigger.

Kept apart from :mod:`cse_screen.storage.services.drafts` (answers, saving, submitting) so each
reads in one sitting; :class:`DraftContext` is only ever used as the draft controller's base,
and relies on the attributes the controller sets (record, questionnaire, session, ledger).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

from cse_screen.core.answers_file import AnswersFile, check_against
from cse_screen.core.child_details import unmapped_details
from cse_screen.core.model import ContextField, Questionnaire
from cse_screen.core.save_ledger import SaveLedger
from cse_screen.core.session import ScreeningSession, scoring_context
from cse_screen.errors import ValidationFailed
from cse_screen.storage.records import ChildRecord, ScreeningRecord
from cse_screen.storage.services.draft_saves import CONTEXT_KEY, PendingSave
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


class DraftContext:
    """Context values of a draft, checked by core and kept in the record the controller holds."""

    record: ScreeningRecord
    questionnaire: Questionnaire
    session: ScreeningSession
    ledger: SaveLedger
    counted: dict[str, EventCount]
    _child: ChildRecord | None
    #: The services' "today" (held at the latest time the database has seen if the clock is
    #: behind it), so the wizard accepts the date storage defaulted to.
    today: Callable[[], date]
    #: Why the clock is not to be trusted, when sign-in found it behind; None when it is fine.
    clock_note: str | None

    def dated_before_latest(self) -> date | None:
        """The date of the child's latest completed screening when this one is dated before
        it: submitting would then leave that one as the latest, so the worker is asked."""
        child = self._child
        if child is None or child.last_screened is None:
            return None
        if child.latest_screening_id == self.record.id:
            return None
        return child.last_screened if self.record.screen_date < child.last_screened else None

    def ledger_change(self, key: str) -> str:
        self.ledger.changed(key)
        return key

    def save_for(self, key: str) -> PendingSave:  # pragma: no cover - the controller's
        raise NotImplementedError

    def commit(self, pending: PendingSave) -> None:  # pragma: no cover - the controller's
        raise NotImplementedError

    @property
    def screen_date(self) -> date:
        return self.record.screen_date

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
        self.commit(self.save_for(self.give_context(field_id, value)))

    def give_context(self, field_id: str, value: Any) -> str:
        """Check and keep a context value in memory; returns the key its save goes by."""
        field = self._context_field(field_id)
        if value in ("", []):
            value = None
        if field.id == "screen_date":
            self._give_screen_date(value)
        else:
            self._give_context_entry(field, value)
        self._sync_session()
        return self.ledger_change(CONTEXT_KEY)

    def _context_field(self, field_id: str) -> ContextField:
        for field in self.asked_context():
            if field.id == field_id:
                return field
        raise ValidationFailed(f"{self.questionnaire.label} asks no context field '{field_id}'")

    def _give_screen_date(self, day: Any) -> None:
        if not isinstance(day, date):
            raise ValidationFailed("The date of screening cannot be left empty.")
        if day > self.today():
            raise ValidationFailed("A screening cannot be dated in the future.")
        self.record = dataclasses.replace(self.record, screen_date=day)

    def _give_context_entry(self, field: ContextField, value: Any) -> None:
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
        self.record = dataclasses.replace(
            self.record, context=context, trigger=trigger or self.record.trigger
        )

    def _save_context_entry(self, field: ContextField, value: Any) -> None:
        self._give_context_entry(field, value)
        self.commit(self.save_for(self.ledger_change(CONTEXT_KEY)))

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
