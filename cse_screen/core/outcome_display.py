"""What a screen may say about an outcome before it is final, so none can look safer than it is.

Three states a person must never mistake for each other:

* incomplete: required items are unanswered, so there is no outcome yet: no colour, no
  actions, no next-due date (a blank screening used to show a green "no current risk");
* lowered: the worker's judgement is below what the rules computed; until a team lead signs it
  off the computed outcome stays in force, and both are shown side by side;
* otherwise the outcome in force, which is the judgement when it raises the computed one.

The GUI only draws an :class:`OutcomeDisplay`; the rules are here, tested without Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cse_screen.core import dates
from cse_screen.core.judgement import outcome_in_force
from cse_screen.core.model import Questionnaire

#: A neutral grey: the colour of "no outcome yet", never one of the outcome colours.
INCOMPLETE_COLOUR = "#757575"
INCOMPLETE_TEXT = "Incomplete: no outcome yet"


@dataclass(frozen=True)
class OutcomeDisplay:
    complete: bool
    badge: str
    colour: str
    note: str
    in_force: str | None  # the outcome whose actions and review interval apply now
    actions: tuple[str, ...]
    next_due: date | None
    lowered: bool = False


def result_display(
    q: Questionnaire,
    computed: str,
    final: str | None,
    missing_required: int,
    screen_date: date,
) -> OutcomeDisplay:
    """What the result page shows for the answers so far and the judgement chosen."""
    if missing_required:
        items = "item is" if missing_required == 1 else "items are"
        return OutcomeDisplay(
            complete=False,
            badge=INCOMPLETE_TEXT,
            colour=INCOMPLETE_COLOUR,
            note=(
                f"{missing_required} required {items} unanswered. The outcome, the recommended "
                "actions and the next due date appear when every required item is answered."
            ),
            in_force=None,
            actions=(),
            next_due=None,
        )
    chosen = final or computed
    force = outcome_in_force(q, computed, chosen, signed_off=False)
    tool, judged = q.outcome(computed), q.outcome(chosen)
    lowered = force != chosen
    if lowered:
        badge = f"Tool: {tool.label}; worker's judgement: {judged.label}, awaiting sign-off"
        note = (
            f"Until a team lead signs the lowering off, {tool.label} stays in force: its actions "
            "and review date apply, and the register and dashboard show it."
        )
    elif chosen != computed:
        badge = judged.label
        note = f"Professional judgement; the scoring rules computed “{tool.label}”."
    else:
        badge = tool.label
        note = f"Computed by the scoring rules of {q.label}."
    outcome = q.outcome(force)
    return OutcomeDisplay(
        complete=True,
        badge=badge,
        colour=outcome.colour,
        note=note,
        in_force=force,
        actions=tuple(outcome.actions),
        next_due=dates.next_due(q, force, screen_date),
        lowered=lowered,
    )
