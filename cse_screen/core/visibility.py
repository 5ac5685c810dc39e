"""Skip logic: which sections and items a screening shows, given the answers so far.

An answer to an item that is hidden no longer counts, and an item hidden that way can hide others
in turn; the pass repeats until nothing changes so the order of items in the file does not matter.
"""

from __future__ import annotations

from collections.abc import Mapping

from cse_screen.core.dates import age_at_screen
from cse_screen.core.expressions import Env
from cse_screen.core.model import Item, Questionnaire, Section


def _with_age(context: Mapping[str, object]) -> dict[str, object]:
    full = dict(context)
    if "age_at_screen" not in full:
        full["age_at_screen"] = age_at_screen(full)
    return full


def visible_ids(
    q: Questionnaire, answers: Mapping[str, str], context: Mapping[str, object]
) -> tuple[frozenset[str], frozenset[str]]:
    """(visible section ids, visible item ids)."""
    context = _with_age(context)
    effective = dict(answers)
    for _ in range(len(q.items) + 1):
        env = Env(effective, context)
        sections = frozenset(s.id for s in q.sections if s.show_if is None or s.show_if.truth(env))
        items = frozenset(
            i.id
            for i in q.items
            if i.section in sections and (i.show_if is None or i.show_if.truth(env))
        )
        narrowed = {k: v for k, v in answers.items() if k in items}
        if narrowed == effective:
            break
        effective = narrowed
    return sections, items


def visible_sections(
    q: Questionnaire, answers: Mapping[str, str], context: Mapping[str, object]
) -> tuple[Section, ...]:
    sections, _ = visible_ids(q, answers, context)
    return tuple(s for s in q.sections if s.id in sections)


def visible_items(
    q: Questionnaire, answers: Mapping[str, str], context: Mapping[str, object]
) -> tuple[Item, ...]:
    _, items = visible_ids(q, answers, context)
    return tuple(i for i in q.items if i.id in items)
