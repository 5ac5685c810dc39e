"""How a stored code reads in a document: the one place documents turn a stored value into the
words a person reads.

Placement types, legal status, gender and ethnicity are stored as codes from the shared code
lists (:mod:`cse_screen.core.codes`, the SSDA903 codes where one exists) and read as their
labels, as the register and the workbooks show them; a value kept from before the lists, and
the kinds without a list, read as stored (tidied of underscores).
"""

from __future__ import annotations

from cse_screen.core import codes

#: The kinds of stored value a document shows: a code list each.
KINDS = ("gender", "ethnicity", "disability", "placement_type", "legal_status", "event")


def shown(kind: str, value: str | None) -> str:
    """The words for ``value`` of ``kind`` (one of :data:`KINDS`); a dash when there is none."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of value {kind!r}")
    if value is None or not str(value).strip():
        return "–"
    text = str(value).strip()
    if kind in codes.LISTS and codes.is_code(kind, text):
        return codes.label(kind, text)
    return text.replace("_", " ")
