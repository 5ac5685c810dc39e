"""A child's recorded details against the questionnaire's lists of choices.

The child's record holds details the definition also lists as choices (gender, disability, ...).
Scoring reads some of them (a learning disability lifts the outcome floor), and compares them
with the definition's option ids exactly: "Learning disability" typed where ``learning`` is
listed would silently not count. So a detail is matched to an option here, loosely (case,
spaces and punctuation do not matter), and a value that matches no option is named as such,
never stored or scored as if it meant something.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cse_screen.core.model import ContextField, Questionnaire

#: Details of the child's record that a definition may list as choices.
RECORD_CHOICE_FIELDS: tuple[str, ...] = (
    "gender",
    "ethnicity",
    "disability",
    "placement_type",
    "legal_status",
)
#: Record details the scoring context takes from the child's record (see
#: :func:`cse_screen.core.session.scoring_context`): a value here that matches no option would
#: be misread by the rules, so it is refused on entry and asked again in a screening.
SCORED_RECORD_FIELDS: tuple[str, ...] = ("disability",)


def option_key(text: str) -> str:
    """What two spellings of one option share: ``"S38 Interim"`` and ``s38_interim``."""
    return re.sub(r"[^0-9a-z]+", "_", text.casefold()).strip("_")


def match_option(field: ContextField, value: str | None) -> str | None:
    """The definition's option id that ``value`` spells, or None (also for a blank value)."""
    if value is None or not value.strip():
        return None
    key = option_key(value)
    return next((option for option in field.options if option_key(option) == key), None)


def choice_field(q: Questionnaire, field_id: str) -> ContextField | None:
    """The definition's choice field of that id (None when it lists no choices for it)."""
    for field in q.context_fields:
        if field.id == field_id and field.type == "choice" and field.options:
            return field
    return None


def unmapped_details(
    q: Questionnaire, details: Mapping[str, Any], field_ids: tuple[str, ...] = SCORED_RECORD_FIELDS
) -> list[ContextField]:
    """Choice fields whose recorded value is given but matches none of the definition's options.

    A blank value is "not recorded", which scoring already treats as unknown; a value that
    matches nothing is a guess the rules would misread, so a person must choose instead.
    """
    unmapped = []
    for field_id in field_ids:
        field = choice_field(q, field_id)
        value = details.get(field_id)
        if field is None or not isinstance(value, str) or not value.strip():
            continue
        if match_option(field, value) is None:
            unmapped.append(field)
    return unmapped


def choices_sentence(field: ContextField) -> str:
    """The options of a field as a reader would list them, for an error sentence."""
    return ", ".join(option.replace("_", " ") for option in field.options)
