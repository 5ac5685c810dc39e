"""Pseudonyms, age bands and small-number suppression for board-ready exports.

Pseudonyms are a keyed hash of the record id under a key drawn fresh for every export and never
stored: within one workbook the same child always has the same pseudonym (so the Children and
Screenings sheets still join), but two exports cannot be linked to each other or back to the
database.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date

#: Counts from 1 to this value are hidden in aggregate sheets of a pseudonymised export.
SUPPRESS_BELOW = 5
SUPPRESSED = "<5"
SUPPRESSION_NOTE = (
    "Counts from 1 to 4 are shown as <5 (and their percentages hidden) so that no child can be "
    "identified."
)
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

#: Age bands used by councils' CSE reporting.
AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 9, "Under 10"),
    (10, 12, "10–12"),
    (13, 15, "13–15"),
    (16, 17, "16–17"),
    (18, None, "18 and over"),
)


def age_on(dob: date, day: date) -> int:
    """Whole years between ``dob`` and ``day``."""
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def age_band(dob: date | None, day: date) -> str | None:
    if dob is None:
        return None
    age = age_on(dob, day)
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return AGE_BANDS[0][2]


class Pseudonymiser:
    """Per-export pseudonyms: ``C-`` for children, ``W-`` for staff."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)
        self._cache: dict[tuple[str, str], str] = {}

    def _token(self, kind: str, value: str) -> str:
        cached = self._cache.get((kind, value))
        if cached is not None:
            return cached
        digest = hmac.new(self._key, f"{kind}\x00{value}".encode(), hashlib.sha256).digest()
        token = "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:8])
        result = f"{kind}-{token}"
        if len(self._cache) < 200_000:
            self._cache[(kind, value)] = result
        return result

    def child(self, child_id: int) -> str:
        return self._token("C", str(child_id))

    def staff(self, name: str | None) -> str | None:
        return None if name is None else self._token("W", name)


def shown_count(count: int, suppress: bool) -> int | str:
    """A count as it may appear in an aggregate sheet."""
    if suppress and 0 < count < SUPPRESS_BELOW:
        return SUPPRESSED
    return count


def shown_share(count: int, total: int, suppress: bool) -> float | str | None:
    """A share as a fraction for a percent cell; hidden when its count is suppressed."""
    if total <= 0:
        return None
    if suppress and 0 < count < SUPPRESS_BELOW:
        return SUPPRESSED
    return count / total
