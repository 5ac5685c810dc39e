"""How a stored code reads in a document: the one place documents turn a stored value into the
words a person reads.

Placement types, legal status, gender and ethnicity are stored as they were typed or imported.
Until the shared code lists give them labels, a value is shown as stored (tidied of
underscores); when they do, this function is the single place to point at them.
"""

from __future__ import annotations

#: The kinds of stored value a document shows: a code list each.
KINDS = ("gender", "ethnicity", "disability", "placement_type", "legal_status", "event")


def shown(kind: str, value: str | None) -> str:
    """The words for ``value`` of ``kind`` (one of :data:`KINDS`); a dash when there is none."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of value {kind!r}")
    if value is None or not str(value).strip():
        return "–"
    return str(value).strip().replace("_", " ")
