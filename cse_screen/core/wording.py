"""The words a person reads for stored values: answers as the wizard asks them, rules as
sentences. Stored values ("current", "R1") are for machines; a worker reading a screening back,
or a lead deciding whether to sign it off, must read what the worker chose, in the questionnaire's
own terms, without decoding ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cse_screen.core.model import Questionnaire, Windows


def _span(days: int) -> str:
    """180 → '6 months', 365 → '12 months', 14 → '14 days'."""
    months = round(days / 30.4)
    if days >= 28 and abs(months * 30.4 - days) <= 6:
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"


def answer_words(value: str, windows: Windows) -> str:
    """'current' → 'Yes, in the last 6 months', as the instrument's windows define them."""
    recent, older = _span(windows.current_days), _span(windows.previous_days)
    words = {
        "none": "Not present",
        "current": f"Yes, in the last {recent}",
        "previous": f"Yes, {recent} to {older} ago (not since)",
        "both": f"Yes, in the last {recent} and before",
        "unknown": "Don't know (counted as absent)",
        "yes": "Yes",
        "no": "No",
        "possible": "Possible",
    }
    return words.get(value, value.replace("_", " ").capitalize())


def _description(q: Questionnaire, rule_id: str) -> str | None:
    for rule in (*q.scoring.rules, *q.scoring.floors):
        if rule.id == rule_id:
            return rule.description
    for bonus in q.scoring.bonuses:
        if bonus.id == rule_id:
            return bonus.description
    return None


def _strip_id(rule_id: str, explanation: str) -> str:
    prefix = f"{rule_id}: "
    text = explanation[len(prefix) :] if explanation.startswith(prefix) else explanation
    return text[:1].upper() + text[1:]


def rule_sentence(q: Questionnaire, fired: Mapping[str, Any]) -> str:
    """A fired rule or floor as a sentence naming the indicators behind it."""
    rule_id = str(fired.get("id", ""))
    description = _description(q, rule_id)
    if description is None:
        return _strip_id(rule_id, str(fired.get("explanation", "")))
    text = description.rstrip(".")
    indicators = [i for i in fired.get("indicators") or () if q.has_item(str(i))]
    if indicators:
        named = "; ".join(f"{q.item(str(i)).text} ({i})" for i in indicators)
        text += f", because of: {named}"
    # The id last, as a reference for the CSE team; the sentence is what a person reads.
    word = "floor" if fired.get("kind") == "floor" else "rule"
    text += f" ({word} {rule_id})."
    if fired.get("kind") == "floor" and fired.get("raised") is False:
        text += " The outcome was already at least this high."
    return text
