"""The Summary's activity blocks: screenings completed within this period against the previous
one, and screenings within the date range (overrides, sign-off, change since the last one)."""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cse_screen.export.cells import CellMaker
from cse_screen.export.comparison import comparison_rows, subset
from cse_screen.export.context import BuildContext
from cse_screen.export.headings import section, uk
from cse_screen.export.rows import PeriodCounts
from cse_screen.export.tally import ScreeningTally


def period_block(
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
            subset(ctx, f"{p}:risk", counts.at_risk_children, f"{p}:kids", counts.children)
            subset(ctx, f"{p}:over", counts.overridden, f"{p}:scr", counts.screenings)
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
    comparison_rows(ws, ctx, lines, ("p0", "p1"))
    ws.append([])


def screenings_block(
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
    subset(ctx, "scr:completed", completed, "scr:all", screenings.total)
    subset(ctx, "scr:awaiting", screenings.awaiting_signoff, "scr:completed", completed)
    ctx.disclosure.cell("scr:overridden", screenings.overridden)
    ctx.equation(["scr:raised", "scr:lowered"], "scr:overridden")
    subset(ctx, "scr:overridden", screenings.overridden, "scr:completed", completed)
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
