"""What a team lead agrees to when signing off a lowered outcome, in words they can check.

A lowering is only safe to accept once someone has looked at it: the outcome the rules computed,
the outcome the worker chose, the reason, and every floor (under 13, learning disability, harm)
that the chosen outcome goes below. The screening view shows a :class:`Lowering` and passes it
back with the sign-off; the service compares it with the screening as stored, so a sign-off made
without the view (the queue's quick button, a script) or on stale data is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cse_screen.core.model import Questionnaire


@dataclass(frozen=True)
class FloorShown:
    id: str
    outcome: str  # the outcome the floor lifts the child to, at least
    description: str


@dataclass(frozen=True)
class Lowering:
    """A lower judgement awaiting sign-off: from the computed outcome to the chosen one."""

    screening_id: int
    from_outcome: str
    to_outcome: str
    floors: tuple[FloorShown, ...]
    reason: str

    @property
    def floor_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.floors)

    def steps(self, q: Questionnaire) -> int:
        """How many outcome levels the judgement goes down."""
        return q.outcome_rank(self.from_outcome) - q.outcome_rank(self.to_outcome)

    def sentence(self, q: Questionnaire) -> str:
        """'lower from Significant risk to Low risk / vulnerable, below floor O2 (…)'."""
        text = (
            f"lower from {q.outcome(self.from_outcome).label} to {q.outcome(self.to_outcome).label}"
        )
        if self.floors:
            below = "; ".join(f"{f.id}: {_clause(f.description)}" for f in self.floors)
            word = "floor" if len(self.floors) == 1 else "floors"
            text += f", below {word} {below}"
        return text

    def short(self, q: Questionnaire) -> str:
        """For a table cell: '2 levels, below O2'."""
        steps = self.steps(q)
        text = f"{steps} level{'s' if steps != 1 else ''} down"
        if self.floors:
            text += ", below " + ", ".join(self.floor_ids)
        return text


def _clause(description: str) -> str:
    text = description.strip().rstrip(".")
    return text[:1].lower() + text[1:] if text else text


def floors_below(
    q: Questionnaire, result: dict[str, Any] | None, final: str
) -> tuple[FloorShown, ...]:
    """The floors that fired for this screening and lift it above ``final``."""
    if not result:
        return ()
    descriptions = {f.id: f.description for f in q.scoring.floors}
    shown = []
    for fired in result.get("fired") or []:
        if fired.get("kind") != "floor":
            continue
        outcome = str(fired.get("outcome"))
        if q.outcome_rank(outcome) > q.outcome_rank(final):
            fid = str(fired.get("id"))
            shown.append(FloorShown(fid, outcome, descriptions.get(fid, "")))
    return tuple(shown)


def lowering_of(
    q: Questionnaire,
    screening_id: int,
    computed: str | None,
    final: str | None,
    reason: str | None,
    result: dict[str, Any] | None,
) -> Lowering | None:
    """The lowering a screening asks a lead to agree, or None if its judgement is not lower."""
    if computed is None or final is None:
        return None
    if q.outcome_rank(final) >= q.outcome_rank(computed):
        return None
    return Lowering(screening_id, computed, final, floors_below(q, result, final), reason or "")
