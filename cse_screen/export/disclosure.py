"""Statistical disclosure control for the board (pseudonymised) workbook.

Every count the board file shows is a keyed cell, and every total the file shows (or that a
reader could form by subtraction, such as "screened more than a year ago" from two shown
counts) is an equation between cells: members add up to a total. Cells that appear in several
tables share a key, so they are suppressed everywhere or nowhere.

Protection follows the practice of official statistics:

* primary suppression: counts from 1 to 4 are withheld (shown ``<5``);
* secondary suppression: any equation with exactly one withheld member would give it back by
  subtraction, so its smallest other count is withheld too (shown ``[c]``), repeated until
  nothing changes;
* a check by interval propagation (what a reader with the file, its totals and a pencil can
  work out): every withheld cell must still lie in a range holding more than one value, and
  where one does not, another member of its equations is withheld.

Hidden cells are counts the file does not show but that a reader could compute from shown ones
(complements of subsets); they take part in the equations like any withheld cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

SUPPRESS_BELOW = 5
PRIMARY = "<5"
SECONDARY = "[c]"
#: A bound standing for "no upper limit" in the propagation.
UNBOUNDED = 10**12


@dataclass
class Disclosure:
    """The workbook's keyed counts and equations, and which counts may be shown."""

    enabled: bool = True
    values: dict[str, int] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)
    equations: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    primary: set[str] = field(default_factory=set)
    secondary: set[str] = field(default_factory=set)
    _seen: set[tuple[tuple[str, ...], str]] = field(default_factory=set)

    def cell(self, key: str, value: int, hidden: bool = False) -> str:
        """Register a count (the same key must always carry the same value)."""
        known = self.values.setdefault(key, value)
        if known != value:
            raise ValueError(f"cell {key} registered with {known} and {value}")
        if hidden:
            self.hidden.add(key)
        return key

    def equation(self, members: Iterable[str], total: str) -> None:
        """``members`` add up to ``total`` (all registered cells)."""
        eq = (tuple(sorted(set(members))), total)
        if eq[0] and eq not in self._seen:
            self._seen.add(eq)
            self.equations.append(eq)

    def withheld(self, key: str) -> bool:
        return self.enabled and (key in self.primary or key in self.secondary or key in self.hidden)

    def marker(self, key: str) -> str | None:
        """``<5``, ``[c]`` or None (shown) for a registered cell."""
        if not self.enabled:
            return None
        if key in self.primary:
            return PRIMARY
        if key in self.secondary or key in self.hidden:
            return SECONDARY
        return None

    # -- protection ----------------------------------------------------------------------------

    def protect(self) -> None:
        """Apply primary and secondary suppression until no withheld count can be recovered."""
        if not self.enabled:
            return
        self.primary = {k for k, v in self.values.items() if 0 < v < SUPPRESS_BELOW}
        for _ in range(1000):
            changed = self._single_withheld_pass()
            if not changed:
                changed = self._repair_recoverable()
            if not changed:
                return
        raise RuntimeError("disclosure control did not settle")

    def _lines(self) -> list[tuple[str, ...]]:
        return [(*members, total) for members, total in self.equations]

    def _choose(self, line: tuple[str, ...]) -> str | None:
        """The smallest shown non-zero count of ``line`` (a zero only when nothing else is)."""
        shown = [k for k in line if not self.withheld(k)]
        if not shown:
            return None
        return min(shown, key=lambda k: (self.values[k] == 0, self.values[k], k))

    def _single_withheld_pass(self) -> bool:
        changed = False
        for line in self._lines():
            unknown = [k for k in line if self.withheld(k)]
            if len(unknown) == 1 and self._sensitive(unknown[0]):
                pick = self._choose(line)
                if pick is not None:
                    self.secondary.add(pick)
                    changed = True
        return changed

    def _repair_recoverable(self) -> bool:
        bounds = self.attack()
        for key, (low, high) in sorted(bounds.items()):
            if self.withheld(key) and high - low < 1 and self._sensitive(key):
                for line in self._lines():
                    if key in line:
                        pick = self._choose(line)
                        if pick is not None:
                            self.secondary.add(pick)
                            return True
        return False

    def _sensitive(self, key: str) -> bool:
        """Withheld cells that must keep a range: all but hidden complements of 0 or 5+."""
        value = self.values[key]
        return not (
            key in self.hidden
            and key not in self.primary
            and key not in self.secondary
            and (value == 0 or value >= SUPPRESS_BELOW)
        )

    def attack(self) -> dict[str, tuple[int, int]]:
        """What a reader can work out: integer bounds of every cell from the shown ones."""
        bounds: dict[str, tuple[int, int]] = {}
        for key, value in self.values.items():
            if not self.withheld(key):
                bounds[key] = (value, value)
            elif key in self.primary:
                bounds[key] = (1, SUPPRESS_BELOW - 1)
            else:
                bounds[key] = (0, UNBOUNDED)
        return propagate(bounds, self.equations)


def propagate(
    bounds: dict[str, tuple[int, int]], equations: list[tuple[tuple[str, ...], str]]
) -> dict[str, tuple[int, int]]:
    """Tighten integer bounds with ``sum(members) == total`` until nothing changes."""
    bounds = dict(bounds)
    for _ in range(10_000):
        changed = False
        for members, total in equations:
            lo_sum = sum(bounds[m][0] for m in members)
            hi_sum = sum(bounds[m][1] for m in members)
            t_lo, t_hi = bounds[total]
            new_t = (max(t_lo, lo_sum), min(t_hi, hi_sum))
            if new_t != (t_lo, t_hi):
                bounds[total], changed = new_t, True
            t_lo, t_hi = bounds[total]
            for m in members:
                m_lo, m_hi = bounds[m]
                others_lo, others_hi = lo_sum - m_lo, hi_sum - m_hi
                new_m = (max(m_lo, t_lo - others_hi), min(m_hi, t_hi - others_lo))
                if new_m != (m_lo, m_hi):
                    bounds[m], changed = new_m, True
                    lo_sum += new_m[0] - m_lo
                    hi_sum += new_m[1] - m_hi
        if not changed:
            return bounds
    return bounds
