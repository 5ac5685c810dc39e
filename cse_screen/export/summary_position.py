"""The Summary's position blocks: children as at the period's last day, against the previous
period's last day, and broken down by team, worker, age band, gender, ethnicity, disability and
placement type (each with its total row).

Every count is written under a key naming what it counts (``kids:o:significant``: children whose
latest outcome is significant), and every total a reader could check is declared as an
equation, so a board file's disclosure control sees the workbook as a reader would.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cse_screen.export.cells import CellMaker
from cse_screen.export.comparison import comparison_rows, subset
from cse_screen.export.context import BuildContext
from cse_screen.export.headings import section, uk
from cse_screen.export.privacy import AGE_BANDS
from cse_screen.export.tally import ChildTally, GroupCounts, Position


def children_block(
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
    subset(ctx, "kids:12m", kids.screened_12m, "kids:screened", kids.screened)
    subset(ctx, "kids:3m", kids.screened_3m, "kids:12m", kids.screened_12m)
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


def position_block(
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
        subset(ctx, "prev:overdue", before.overdue, "prev:all", before.total)
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
    comparison_rows(ws, ctx, lines, ("kids", "prev"))
    ws.append([])


def group_block(
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
