"""The Summary sheet: what a manager reads first.

Every count is written under a key naming what it counts (``kids:o:significant``: children whose
latest outcome is significant), and every total a reader could check is declared as an
equation, so a board file's disclosure control sees the workbook as a reader would.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cse_screen.export.cells import CellMaker
from cse_screen.export.context import BuildContext
from cse_screen.export.privacy import AGE_BANDS, SUPPRESSION_NOTE
from cse_screen.export.rows import PeriodCounts
from cse_screen.export.tally import (
    BREAKDOWNS,
    ChildTally,
    GroupCounts,
    Position,
    ScreeningTally,
)


def uk(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "any"


def date_range_text(start: date | None, end: date | None) -> str:
    if start and end:
        return f"screenings dated {uk(start)} to {uk(end)}"
    if start:
        return f"screenings dated from {uk(start)}"
    if end:
        return f"screenings dated up to {uk(end)}"
    return "all screenings"


def scope_sentence(ctx: BuildContext) -> str:
    opts = ctx.options
    text = (
        f"Children as recorded on {uk(ctx.meta.today)}; "
        f"{date_range_text(opts.date_from, opts.date_to)}."
    )
    if opts.team:
        text += f" Team: {opts.team}."
    if opts.worker:
        text += (
            " Worker: one worker's caseload." if ctx.pseudonymise else f" Worker: {opts.worker}."
        )
    return text


def heading(ws: WriteOnlyWorksheet, cm: CellMaker, ctx: BuildContext, title: str) -> None:
    ws.append([cm.text(title, "title")])
    ws.append([cm.text(scope_sentence(ctx), "note")])
    if ctx.pseudonymise:
        ws.append([cm.text(SUPPRESSION_NOTE, "note")])
    ws.append([])


def section(ws: WriteOnlyWorksheet, cm: CellMaker, title: str, base: str) -> None:
    """A block's title and the line naming its base (what is counted, and when)."""
    ws.append([cm.text(title, "section")])
    ws.append([cm.text(f"Base: {base}.", "note")])


def _subset(ctx: BuildContext, part: str, value: int, whole: str, whole_value: int) -> None:
    """``part`` is a subset of ``whole``: what is left is a count a reader can compute."""
    rest = ctx.hidden(f"{part}~rest", whole_value - value)
    ctx.equation([part, rest], whole)


def _children_block(
    ws: WriteOnlyWorksheet, cm: CellMaker, ctx: BuildContext, kids: ChildTally
) -> None:
    section(
        ws,
        cm,
        f"Children as at {uk(kids.today)}",
        f"children in scope; position as at {uk(kids.today)} (each child's latest completed "
        "screening dated on or before that day)",
    )
    ws.append(cm.header_row(["Measure", "Children", "% of children"]))
    total = kids.total
    ws.append([cm.text("Children in scope"), ctx.count(total, "kids:all")])
    for label, key, n in (
        ("Screened at least once", "kids:screened", kids.screened),
        ("Screened in the last 3 months", "kids:3m", kids.screened_3m),
        ("Screened in the last 12 months", "kids:12m", kids.screened_12m),
        ("Never screened", "kids:never", kids.never_screened),
        ("Re-screen due in the next 30 days", "kids:due_soon", kids.due_soon),
        ("Overdue for re-screening", "kids:overdue", kids.overdue),
    ):
        ws.append([cm.text(label), ctx.count(n, key), ctx.share(n, total, key, "kids:all")])
    ctx.equation(["kids:screened", "kids:never"], "kids:all")
    _subset(ctx, "kids:12m", kids.screened_12m, "kids:screened", kids.screened)
    _subset(ctx, "kids:3m", kids.screened_3m, "kids:12m", kids.screened_12m)
    rest = ctx.hidden("kids:due_rest", total - kids.overdue - kids.due_soon)
    ctx.equation(["kids:overdue", "kids:due_soon", rest], "kids:all")
    ws.append([])
    section(
        ws,
        cm,
        f"Latest outcome as at {uk(kids.today)}",
        f"children screened at least once by {uk(kids.today)}; each child's latest completed "
        "screening dated on or before that day",
    )
    ws.append(cm.header_row(["Outcome", "Children", "% of screened children"]))
    keys = []
    for outcome in ctx.meta.outcomes:
        n = kids.by_outcome.get(outcome.id, 0)
        key = f"kids:o:{outcome.id}"
        keys.append(key)
        ws.append(
            [
                cm.outcome(outcome.id, outcome.label),
                ctx.count(n, key),
                ctx.share(n, kids.screened, key, "kids:screened"),
            ]
        )
    ws.append([cm.text("Total screened", "label"), ctx.count(kids.screened, "kids:screened")])
    ctx.equation(keys, "kids:screened")
    ws.append([])


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


def _period_block(
    ws: WriteOnlyWorksheet,
    cm: CellMaker,
    ctx: BuildContext,
    now: PeriodCounts,
    before: PeriodCounts,
) -> None:
    section(
        ws,
        cm,
        "This period against the previous one",
        "completed screenings dated within each period, and the children they were for",
    )
    ws.append(
        cm.header_row(
            ["Measure", "This period", "%", "Previous period", "%", "Change", "Change (% points)"]
        )
    )
    ws.append(
        [
            cm.text("Dates"),
            f"{uk(now.start)} – {uk(now.end)}",
            None,
            f"{uk(before.start)} – {uk(before.end)}",
        ]
    )
    for p, counts in (("p0", now), ("p1", before)):
        keys = [f"{p}:o:{o.id}" for o in ctx.meta.outcomes]
        for o, key in zip(ctx.meta.outcomes, keys, strict=True):
            ctx.disclosure.cell(key, counts.by_outcome.get(o.id, 0))
        ctx.disclosure.cell(f"{p}:scr", counts.screenings)
        ctx.disclosure.cell(f"{p}:kids", counts.children)
        ctx.equation(keys, f"{p}:scr")
        if ctx.pseudonymise:
            _subset(ctx, f"{p}:risk", counts.at_risk_children, f"{p}:kids", counts.children)
            _subset(ctx, f"{p}:over", counts.overridden, f"{p}:scr", counts.screenings)
    lines: list[tuple[Any, str, int, int, str, int, int]] = [
        (cm.text("Screenings completed"), "scr", now.screenings, before.screenings, "", 0, 0),
    ]
    for outcome in ctx.meta.outcomes:
        lines.append(
            (
                cm.outcome(outcome.id, f"Screenings: {outcome.label}"),
                f"o:{outcome.id}",
                now.by_outcome.get(outcome.id, 0),
                before.by_outcome.get(outcome.id, 0),
                "scr",
                now.screenings,
                before.screenings,
            )
        )
    lines += [
        (
            cm.text("Outcomes changed by professional judgement"),
            "over",
            now.overridden,
            before.overridden,
            "scr",
            now.screenings,
            before.screenings,
        ),
        (cm.text("Children screened"), "kids", now.children, before.children, "", 0, 0),
        (
            cm.text("Children at risk (any outcome above the lowest)"),
            "risk",
            now.at_risk_children,
            before.at_risk_children,
            "kids",
            now.children,
            before.children,
        ),
    ]
    _comparison_rows(ws, ctx, lines, ("p0", "p1"))
    ws.append([])


def _group_block(
    ws: WriteOnlyWorksheet,
    cm: CellMaker,
    ctx: BuildContext,
    title: str,
    dimension: str,
    groups: Mapping[str, GroupCounts],
    kids: ChildTally,
) -> None:
    """Children of each group by latest outcome and re-screening, with a total row."""
    section(
        ws,
        cm,
        f"{title} as at {uk(kids.today)}",
        f"children in scope; position as at {uk(kids.today)}",
    )
    outcomes = ctx.meta.outcomes
    ws.append(
        cm.header_row(
            [
                title.removeprefix("By ").capitalize(),
                "Children",
                "% of children",
                "Not yet screened",
                *(o.label for o in outcomes),
                "Overdue",
                "Due in 30 days",
            ]
        )
    )
    order = {label: i for i, (_, _, label) in enumerate(AGE_BANDS)} if dimension == "age" else {}
    columns: dict[str, list[str]] = {}
    for name in sorted(groups, key=lambda n: (order.get(n, len(order)), n)):
        g = groups[name]
        shown = name
        if dimension == "worker" and ctx.pseudonyms is not None and not name.startswith("("):
            shown = ctx.pseudonyms.staff(name) or name
        k = f"{dimension}:{name}"
        cells = {
            "all": g.children,
            "never": g.never_screened,
            **{f"o:{o.id}": g.by_outcome.get(o.id, 0) for o in outcomes},
            "overdue": g.overdue,
            "due_soon": g.due_soon,
        }
        row = [cm.text(shown), ctx.count(g.children, f"{k}:all")]
        row.append(ctx.share(g.children, kids.total, f"{k}:all", "kids:all"))
        row += [ctx.count(v, f"{k}:{c}") for c, v in cells.items() if c != "all"]
        ws.append(row)
        rest = ctx.hidden(f"{k}:due_rest", g.children - g.overdue - g.due_soon)
        for column in (*cells, "due_rest"):
            columns.setdefault(column, []).append(f"{k}:{column}")
        ctx.equation([f"{k}:never", *(f"{k}:o:{o.id}" for o in outcomes)], f"{k}:all")
        ctx.equation([f"{k}:overdue", f"{k}:due_soon", rest], f"{k}:all")
    for column, members in columns.items():
        ctx.equation(members, f"kids:{column}")
    ctx.equation(["kids:never", *(f"kids:o:{o.id}" for o in outcomes)], "kids:all")
    ws.append(
        [
            cm.text("Total", "label"),
            ctx.count(kids.total, "kids:all"),
            ctx.share(kids.total, kids.total, "kids:all", "kids:all"),
            ctx.count(kids.never_screened, "kids:never"),
            *(ctx.count(kids.by_outcome.get(o.id, 0), f"kids:o:{o.id}") for o in outcomes),
            ctx.count(kids.overdue, "kids:overdue"),
            ctx.count(kids.due_soon, "kids:due_soon"),
        ]
    )
    ws.append([])


def _screenings_block(
    ws: WriteOnlyWorksheet, cm: CellMaker, ctx: BuildContext, screenings: ScreeningTally
) -> None:
    section(ws, cm, "Screenings in the date range", "screenings dated within the date range")
    ws.append(cm.header_row(["Measure", "Screenings"]))
    completed = screenings.completed
    for label, key, n in (
        ("Screenings (any status)", "scr:all", screenings.total),
        ("Completed (submitted or signed off)", "scr:completed", completed),
        ("Outcome raised by professional judgement", "scr:raised", screenings.raised),
        ("Outcome lowered by professional judgement", "scr:lowered", screenings.lowered),
        ("Awaiting a team lead's sign-off", "scr:awaiting", screenings.awaiting_signoff),
    ):
        ws.append([cm.text(label), ctx.count(n, key)])
    _subset(ctx, "scr:completed", completed, "scr:all", screenings.total)
    _subset(ctx, "scr:awaiting", screenings.awaiting_signoff, "scr:completed", completed)
    ctx.disclosure.cell("scr:overridden", screenings.overridden)
    ctx.equation(["scr:raised", "scr:lowered"], "scr:overridden")
    _subset(ctx, "scr:overridden", screenings.overridden, "scr:completed", completed)
    ws.append([])
    moves = screenings.changes()
    section(
        ws,
        cm,
        "Change since the previous screening",
        "children screened twice or more in the date range",
    )
    ws.append(cm.header_row(["Latest outcome against the one before", "Children"]))
    for label, key in (("Higher", "up"), ("Lower", "down"), ("Unchanged", "same")):
        ws.append([cm.text(label), ctx.count(moves.get(key, 0), f"moves:{key}")])
    ws.append([])


def _position_block(
    ws: WriteOnlyWorksheet, cm: CellMaker, ctx: BuildContext, kids: Position
) -> None:
    """The position at this period's end against the previous period's end."""
    now, before = kids.now, kids.before
    section(
        ws,
        cm,
        f"Position as at {uk(now.today)} against {uk(before.today)}",
        "children in scope; each child's latest completed screening dated on or before each day",
    )
    ws.append(
        cm.header_row(
            [
                "Measure",
                f"As at {uk(now.today)}",
                "%",
                f"As at {uk(before.today)}",
                "%",
                "Change",
                "Change (% points)",
            ]
        )
    )
    if ctx.pseudonymise:
        for o in ctx.meta.outcomes:
            ctx.disclosure.cell(f"prev:o:{o.id}", before.by_outcome.get(o.id, 0))
        for key, value in (
            ("prev:all", before.total),
            ("prev:screened", before.screened),
            ("prev:never", before.never_screened),
            ("prev:overdue", before.overdue),
        ):
            ctx.disclosure.cell(key, value)
        ctx.equation([f"prev:o:{o.id}" for o in ctx.meta.outcomes], "prev:screened")
        ctx.equation(["prev:screened", "prev:never"], "prev:all")
        _subset(ctx, "prev:overdue", before.overdue, "prev:all", before.total)
    lines: list[tuple[Any, str, int, int, str, int, int]] = [
        (cm.text("Children in scope"), "all", now.total, before.total, "", 0, 0),
        (
            cm.text("Never screened"),
            "never",
            now.never_screened,
            before.never_screened,
            "all",
            now.total,
            before.total,
        ),
        (
            cm.text("Overdue for re-screening"),
            "overdue",
            now.overdue,
            before.overdue,
            "all",
            now.total,
            before.total,
        ),
        (cm.text("Screened at least once"), "screened", now.screened, before.screened, "", 0, 0),
    ]
    for o in ctx.meta.outcomes:
        lines.append(
            (
                cm.outcome(o.id, f"Latest outcome: {o.label}"),
                f"o:{o.id}",
                now.by_outcome.get(o.id, 0),
                before.by_outcome.get(o.id, 0),
                "screened",
                now.screened,
                before.screened,
            )
        )
    _comparison_rows(ws, ctx, lines, ("kids", "prev"))
    ws.append([])


def write_summary(
    ws: WriteOnlyWorksheet,
    ctx: BuildContext,
    position: Position,
    periods: tuple[PeriodCounts, PeriodCounts],
    screenings: ScreeningTally,
) -> None:
    kids = position.now
    cm = ctx.sheet(ws, [46, 18, 14, 18, 14] + [14] * (len(ctx.meta.outcomes) + 2))
    heading(ws, cm, ctx, "CSE screening summary")
    _children_block(ws, cm, ctx, kids)
    _position_block(ws, cm, ctx, position)
    _period_block(ws, cm, ctx, *periods)
    _screenings_block(ws, cm, ctx, screenings)
    for title, dimension, _ in BREAKDOWNS:
        _group_block(ws, cm, ctx, title, dimension, kids.groups(dimension), kids)


def _comparison_rows(
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
