"""A screening in progress, without any user interface.

The wizard in the desktop app asks this object what to show (skip logic), how far along the
screening is, what is still required and what the result would be now; the same object backs
the command line and storage, so a screening behaves the same whichever way it was taken.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from cse_screen.core.model import Item, Questionnaire, Section
from cse_screen.core.scoring import ScoreResult, check_answers, score
from cse_screen.core.visibility import visible_ids
from cse_screen.errors import AnswersInvalid


class ScreeningSession:
    def __init__(
        self,
        q: Questionnaire,
        answers: Mapping[str, str] | None = None,
        context: Mapping[str, object] | None = None,
    ) -> None:
        self.q = q
        self._answers: dict[str, str] = {}
        self._context: dict[str, object] = dict(context or {})
        for item_id, value in (answers or {}).items():
            self.set_answer(item_id, value)

    # -- answers and context ----------------------------------------------------------------
    @property
    def answers(self) -> Mapping[str, str]:
        """A read-only view: change answers through set_answer so each is checked."""
        return MappingProxyType(self._answers)

    @property
    def context(self) -> Mapping[str, object]:
        return MappingProxyType(self._context)

    def set_answer(self, item_id: str, value: str | None) -> None:
        """Record (or with None, clear) an answer; AnswersInvalid for an unknown item or value."""
        if value is None:
            if not self.q.has_item(item_id):
                raise AnswersInvalid(f"{self.q.label} has no item '{item_id}'.")
            self._answers.pop(item_id, None)
            return
        check_answers(self.q, {item_id: value})
        self._answers[item_id] = value

    def set_context(self, key: str, value: object) -> None:
        if value is None:
            self._context.pop(key, None)
        else:
            self._context[key] = value

    # -- skip logic ---------------------------------------------------------------------------
    def _visible(self) -> tuple[frozenset[str], frozenset[str]]:
        if not self.q.has_skip_logic:
            return frozenset(s.id for s in self.q.sections), frozenset(i.id for i in self.q.items)
        return visible_ids(self.q, self._answers, self._context)

    def visible_sections(self) -> tuple[Section, ...]:
        sections, _ = self._visible()
        return tuple(s for s in self.q.sections if s.id in sections)

    def visible_items(self) -> tuple[Item, ...]:
        _, items = self._visible()
        return tuple(i for i in self.q.items if i.id in items)

    def is_visible(self, item_id: str) -> bool:
        return item_id in self._visible()[1]

    def is_present(self, item_id: str) -> bool:
        item = self.q.item(item_id)
        return self._answers.get(item_id, "") in self.q.answer_types[item.answer].present

    # -- progress and completeness ------------------------------------------------------------
    def progress(self) -> tuple[int, int]:
        """(answered, total) over the items currently shown."""
        shown = self.visible_items()
        return sum(1 for i in shown if i.id in self._answers), len(shown)

    def missing_required(self) -> list[str]:
        """Shown, required items still unanswered (hidden items are never required)."""
        return [i.id for i in self.visible_items() if i.required and i.id not in self._answers]

    def missing_context(self) -> list[str]:
        """Required context fields (such as the date of birth) not yet given."""
        return [
            f.id
            for f in self.q.context_fields
            if f.required and self._context.get(f.id) in (None, "", [])
        ]

    def evidence_needed(self) -> list[str]:
        """Shown items answered present whose definition asks for an evidence note."""
        return [
            i.id
            for i in self.visible_items()
            if i.evidence == "required_if_present" and self.is_present(i.id)
        ]

    def evidence_missing(self, notes: Mapping[str, str]) -> list[str]:
        """Items that need an evidence note (see :meth:`evidence_needed`) and have none yet.

        Notes are not part of the session because scoring never reads them; the caller keeps
        them beside the answers and asks here which are still owed.
        """
        return [i for i in self.evidence_needed() if not (notes.get(i) or "").strip()]

    def is_complete(self) -> bool:
        return not self.missing_required()

    def next_unanswered(self) -> str | None:
        """The first shown item without an answer, where the wizard should resume."""
        return next((i.id for i in self.visible_items() if i.id not in self._answers), None)

    def result(self) -> ScoreResult:
        """The outcome the answers give now (unanswered items count as absent)."""
        return score(self.q, self._answers, self._context)


def scoring_context(
    base: Mapping[str, object] | None,
    *,
    screen_date: date,
    dob: date | None,
    disability: str | None,
) -> dict[str, object]:
    """The context a screening is scored with: its own context fields, overlaid with the
    child's date of birth and the screening date from the record, and the child's recorded
    disability unless the screening states one.

    Both the stored result and any preview of it (the wizard's result page) are built from
    this one function, so what a worker sees before submitting is what is recorded.
    """
    context: dict[str, object] = dict(base or {})
    context["screen_date"] = screen_date.isoformat()
    if dob is not None:
        context["dob"] = dob.isoformat()
    if "disability" not in context and disability:
        context["disability"] = disability.strip().lower()
    return context
