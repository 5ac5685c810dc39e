"""Which of a draft's changes are committed, which are not, and why: the truth behind "saved".

A worker must never read "All answers saved" while an answer is only in memory. Each change (an
answer with its note, the screening's context, its date) is numbered when it is given; a save
carries the number it was taken at. Only a commit of the latest number marks the change saved, so
a later success can never cover an earlier failure, and a save that finishes after a newer change
of the same answer leaves that newer change unsaved. No Qt and no storage here: the wizard and the
draft controller both ask this ledger, and it is tested on its own.
"""

from __future__ import annotations

import dataclasses

#: Seconds to wait before each automatic retry of a save that failed for a passing reason (a lock
#: held by an import, a disk being cleared); the last figure repeats.
RETRY_DELAYS: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)


def retry_delay(attempt: int) -> float:
    """The pause before retry number ``attempt`` (0 for the first), growing to a ceiling."""
    return RETRY_DELAYS[min(max(attempt, 0), len(RETRY_DELAYS) - 1)]


@dataclasses.dataclass(frozen=True)
class Unsaved:
    """A change not yet committed: its key, and the failure's sentence if a save failed."""

    key: str
    reason: str | None


class SaveLedger:
    """Numbers changes and records commits and failures per key (``answer:A1``, ``context``)."""

    def __init__(self) -> None:
        self._counter = 0
        self._latest: dict[str, int] = {}
        self._committed: dict[str, int] = {}
        self._failures: dict[str, str] = {}
        self._attempts: dict[str, int] = {}

    def changed(self, key: str) -> int:
        """A new value for ``key`` exists in memory only; returns its number for the save."""
        self._counter += 1
        self._latest[key] = self._counter
        return self._counter

    def committed(self, key: str, number: int) -> bool:
        """A save of change ``number`` reached the database; True when ``key`` is now saved."""
        if number > self._committed.get(key, 0):
            self._committed[key] = number
        saved = self.is_saved(key)
        if saved:
            self._failures.pop(key, None)
            self._attempts.pop(key, None)
        return saved

    def failed(self, key: str, number: int, reason: str) -> int:
        """A save of change ``number`` failed; returns how many times ``key`` has failed in a row.

        A failure of a change already overtaken by a committed newer one is no longer news.
        """
        if self._committed.get(key, 0) >= number:
            return 0
        self._failures[key] = reason
        self._attempts[key] = self._attempts.get(key, 0) + 1
        return self._attempts[key]

    def latest(self, key: str) -> int:
        return self._latest.get(key, 0)

    def is_saved(self, key: str) -> bool:
        return self._committed.get(key, 0) >= self._latest.get(key, 0)

    def reason(self, key: str) -> str | None:
        """Why the last save of ``key`` failed, while it is still unsaved."""
        return None if self.is_saved(key) else self._failures.get(key)

    def unsaved(self) -> list[Unsaved]:
        """Every change not committed, oldest first."""
        keys = sorted((k for k in self._latest if not self.is_saved(k)), key=self._latest.get)
        return [Unsaved(k, self._failures.get(k)) for k in keys]

    def failing(self) -> list[Unsaved]:
        """The unsaved changes whose last save failed (as opposed to ones still on their way)."""
        return [u for u in self.unsaved() if u.reason is not None]

    def all_saved(self) -> bool:
        return not self.unsaved()
