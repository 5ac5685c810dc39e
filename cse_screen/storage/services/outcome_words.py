"""The words every screen uses for a child's effective outcome and for a returned screening.

One wording, next to the rule (:func:`latest.effective_outcome`), so the register, the child
record, the dashboard and the screening view cannot describe the same state differently: a
returned screening always reads "Returned: <outcome> (not final)", never as the older outcome.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cse_screen.storage.services.latest import LOWERED, RETURNED

NOT_SCREENED_TEXT = "Not screened"


def standing_words(state: str | None, label: str | None, judged: str | None = None) -> str:
    """'Significant risk', 'Returned: Significant risk (not final)', 'Not screened'; with the
    judged outcome's label, a lowering reads 'Tool: …; worker's judgement: …, awaiting
    sign-off'."""
    if not label:
        return NOT_SCREENED_TEXT
    if state == RETURNED:
        return f"Returned: {label} (not final)"
    if state == LOWERED:
        if judged:
            return f"Tool: {label}; worker's judgement: {judged}, awaiting sign-off"
        return f"{label} (lowering awaits sign-off)"
    return label


def returned_sentence(
    case_ref: str, returned_by: str | None, returned_at: datetime | None, reason: str | None
) -> str:
    """What the worker reads about a screening sent back to them: who, when and why, as one
    sentence with one full stop (a lead's reason often ends with its own)."""
    who = f" by {returned_by}" if returned_by else ""
    when = ""
    if returned_at is not None:
        local = (
            returned_at.replace(tzinfo=UTC).astimezone()
            if returned_at.tzinfo is None
            else returned_at
        )
        when = f" on {local.day} {local:%b %Y} at {local:%H:%M}"
    why = f": {reason.strip()}" if reason and reason.strip() else ""
    text = f"Screening for {case_ref} was returned to you{who}{when}{why}"
    return text if text.endswith((".", "!", "?")) else text + "."


def waited_words(since: datetime | None, now: datetime) -> str:
    """How long a screening has waited for sign-off: '45 minutes', '5 hours', '3 days'."""
    if since is None:
        return "—"
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days = hours // 24
    return f"{days} days"
