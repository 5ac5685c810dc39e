"""Figures now against before (counts, shares, change, percentage points), and subsets.

Every count and base is keyed so that a board file's disclosure control withholds it the same
way wherever the same figure appears; the Summary's blocks share these writers so that a change
to how a compared figure is keyed is made once.
"""

from __future__ import annotations

from typing import Any

from cse_screen.export.context import BuildContext


def subset(ctx: BuildContext, part: str, value: int, whole: str, whole_value: int) -> None:
    """``part`` is a subset of ``whole``: what is left is a count a reader can compute."""
    rest = ctx.hidden(f"{part}~rest", whole_value - value)
    ctx.equation([part, rest], whole)


def _change(ctx: BuildContext, now: tuple[int, str], before: tuple[int, str]) -> int | None:
    """A change in a count, shown only when both counts are."""
    if not (ctx.shown(now[1]) and ctx.shown(before[1])):
        return None
    return now[0] - before[0]


def _points(
    ctx: BuildContext,
    now: tuple[int, str],
    now_base: tuple[int, str],
    before: tuple[int, str],
    before_base: tuple[int, str],
) -> Any:
    """The change in a share, in percentage points (a number formatted as such)."""
    if not all(ctx.shown(k) for _, k in (now, now_base, before, before_base)):
        return None
    if now_base[0] <= 0 or before_base[0] <= 0:
        return None
    points = 100 * (now[0] / now_base[0] - before[0] / before_base[0])
    return ctx.cells.styled(round(points, 1), "points") if ctx.cells else points


def comparison_rows(
    ws: Any,
    ctx: BuildContext,
    lines: list[tuple[Any, str, int, int, str, int, int]],
    prefixes: tuple[str, str],
) -> None:
    """One row per figure, now against before: counts, shares, change and percentage points.

    Each count and base is keyed (``prefix:key``) so disclosure control withholds it the same
    way wherever the same figure appears in the workbook.
    """
    now, before = prefixes
    for label, key, a, b, base, base_a, base_b in lines:
        ka, kb = f"{now}:{key}", f"{before}:{key}"
        ba, bb = (f"{now}:{base}", f"{before}:{base}") if base else ("", "")
        ws.append(
            [
                label,
                ctx.count(a, ka),
                ctx.share(a, base_a, ka, ba) if base else None,
                ctx.count(b, kb),
                ctx.share(b, base_b, kb, bb) if base else None,
                _change(ctx, (a, ka), (b, kb)),
                _points(ctx, (a, ka), (base_a, ba), (b, kb), (base_b, bb)) if base else None,
            ]
        )
