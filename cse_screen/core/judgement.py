"""Professional judgement: a final outcome that differs from the computed one, with a reason.

Both outcomes are kept. Lowering the outcome below what the rules computed is the risky
direction (inquiries into exploitation found premature de-escalation again and again), so it
always needs a written reason and a team lead's sign-off; raising it needs only the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from cse_screen.core.model import Questionnaire
from cse_screen.errors import OverrideInvalid


@dataclass(frozen=True)
class Judgement:
    computed_outcome: str
    final_outcome: str
    reason: str
    lowered: bool
    needs_signoff: bool

    @property
    def overridden(self) -> bool:
        return self.final_outcome != self.computed_outcome


def _known(q: Questionnaire, outcome_id: str, what: str) -> None:
    if outcome_id not in {o.id for o in q.outcomes}:
        expected = ", ".join(o.id for o in q.outcomes)
        raise OverrideInvalid(
            f"The {what} '{outcome_id}' is not an outcome of {q.label} (expected: {expected})."
        )


def apply_judgement(
    q: Questionnaire, computed: str, final: str | None, reason: str | None
) -> Judgement:
    """Check an override; ``final`` None or equal to ``computed`` means the computed one stands."""
    _known(q, computed, "computed outcome")
    final = final or computed
    _known(q, final, "final outcome")
    reason = (reason or "").strip()
    if final != computed and not reason:
        raise OverrideInvalid(
            "A final outcome different from the computed one needs a written reason."
        )
    lowered = q.outcome_rank(final) < q.outcome_rank(computed)
    return Judgement(computed, final, reason, lowered=lowered, needs_signoff=lowered)


def outcome_in_force(q: Questionnaire, computed: str, final: str, signed_off: bool) -> str:
    """The outcome the child's plan follows now: a lowered judgement takes effect only once a
    team lead has signed it off; until then the higher, computed outcome stands (due date,
    actions, register and dashboard alike)."""
    if signed_off:
        return final
    return final if q.outcome_rank(final) >= q.outcome_rank(computed) else computed
