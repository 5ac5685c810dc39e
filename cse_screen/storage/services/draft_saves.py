"""One save of a draft change, taken as a snapshot so it can be written off the GUI thread.

The draft controller numbers every change in its :class:`~cse_screen.core.save_ledger.SaveLedger`
under a key: ``answer:<item id>`` for an answer with its note, :data:`CONTEXT_KEY` for the "About
this screening" values and the screening date (written together, in one row). A
:class:`PendingSave` carries the number it was taken at, so its outcome lands on the right change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from cse_screen.core.save_ledger import Unsaved

CONTEXT_KEY = "context"
_ANSWER_PREFIX = "answer:"


def answer_key(item_id: str) -> str:
    return _ANSWER_PREFIX + item_id


def item_of(key: str) -> str:
    """The item id an ``answer:`` key stands for."""
    if not key.startswith(_ANSWER_PREFIX):
        raise ValueError(f"not an answer key: {key!r}")
    return key[len(_ANSWER_PREFIX) :]


@dataclasses.dataclass(frozen=True)
class PendingSave:
    """A change to write: ``write()`` commits exactly the values it was taken with."""

    key: str
    number: int
    write: Callable[[], None]


def _count(n: int, one: str, many: str) -> str:
    return f"1 {one}" if n == 1 else f"{n} {many}"


def unsaved_sentence(unsaved: Sequence[Unsaved]) -> str:
    """How much is not saved and the latest reason, as the footer and the close prompt say it:
    "2 answers and the details on “About this screening” are not saved: <reason>.\""""
    answers = sum(1 for u in unsaved if u.key != CONTEXT_KEY)
    parts = [_count(answers, "answer", "answers")] if answers else []
    if any(u.key == CONTEXT_KEY for u in unsaved):
        parts.append("the details on “About this screening”")
    if not parts:
        return "Everything is saved."
    verb = "is" if len(parts) == 1 and answers <= 1 else "are"
    reasons = [u.reason for u in unsaved if u.reason]
    why = f": {reasons[-1].rstrip('.')}." if reasons else " yet."
    text = " and ".join(parts)
    return f"{text[0].upper()}{text[1:]} {verb} not saved{why}"
