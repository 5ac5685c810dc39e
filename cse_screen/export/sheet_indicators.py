"""The Indicators sheet: how often each indicator is present, among children and screenings.

Prevalence counts children (a child with the indicator present in any completed screening of
the date range); screenings are shown beside it, on their own base. Risk indicators and
vulnerabilities are listed and charted apart. Charts read a hidden column holding the share,
left empty where a board file withholds it, so nothing withheld is drawn as zero.
"""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cse_screen.export.cells import CellMaker, fit_row
from cse_screen.export.chartpages import PageFit, chunks, place_on_pages
from cse_screen.export.charts import indicator_prevalence
from cse_screen.export.context import HEADER_ROW_POINTS, BuildContext, set_filter
from cse_screen.export.headings import scope_sentence
from cse_screen.export.privacy import SUPPRESSION_NOTE
from cse_screen.export.rows import InstrumentInfo, ItemInfo
from cse_screen.export.tally import ScreeningTally

# Width of the column holding indicator and rule texts (the third column of the sheet).
TEXT_WIDTH = 60
_TIERS = ("harm", "significant", "moderate", "low", "vulnerability")
HEADER_ROW = 3
#: The printed columns before the one per outcome (the chart column after them is hidden).
COLUMN_WIDTHS = [10, 30, TEXT_WIDTH, 13, 10, 12, 11, 12, 10, 10]


def all_items(instruments: list[InstrumentInfo]) -> list[ItemInfo]:
    """Every indicator once, risk indicators first, then vulnerabilities (questionnaire order)."""
    seen: dict[str, ItemInfo] = {}
    for instrument in instruments:
        for item in instrument.items:
            seen.setdefault(item.id, item)
    items = list(seen.values())
    return [i for i in items if i.tier != "vulnerability"] + [
        i for i in items if i.tier == "vulnerability"
    ]


def write_indicators(
    ws: WriteOnlyWorksheet,
    ctx: BuildContext,
    tally: ScreeningTally,
    instruments: list[InstrumentInfo],
) -> None:
    outcomes = ctx.meta.outcomes
    heads = [
        "Indicator",
        "Section",
        "Text",
        "Tier",
        "Children",
        "% of children screened",
        "Screenings",
        "% of completed screenings",
        "Current",
        "Unknown",
        *(f"Present when {o.label}" for o in outcomes),
    ]
    chart_col = len(heads) + 1
    cm = ctx.sheet(
        ws,
        COLUMN_WIDTHS + [12] * len(outcomes),
        freeze=f"D{HEADER_ROW + 1}",
        header_row=HEADER_ROW,
        title_cols="A:A",
    )
    dims = ws.column_dimensions[get_column_letter(chart_col)]
    dims.width, dims.hidden = 10, True
    ws.append([cm.text("Indicators: how often each one is present", "title")])
    note = scope_sentence(ctx) + (f" {SUPPRESSION_NOTE}" if ctx.pseudonymise else "")
    ws.append([cm.text(note, "note")])
    ws.append(cm.header_row([*heads, "Chart: % of children"], numbers=range(4, len(heads) + 1)))
    items = all_items(instruments)
    children = tally.children_with()
    screened = tally.children_screened
    ctx.disclosure.cell("kids:screened_in_range", screened)
    for row, item in enumerate(items, start=HEADER_ROW + 1):
        c = tally.items.get(item.id)
        present, current, unknown = (c.present, c.current, c.unknown) if c else (0, 0, 0)
        by = c.by_outcome if c else {}
        fit_row(ws, row, item.text, TEXT_WIDTH)
        k = f"item:{item.id}"
        n_kids = children.get(item.id, 0)
        if ctx.pseudonymise:
            rest = ctx.hidden(f"{k}:kids~rest", screened - n_kids)
            ctx.disclosure.cell(f"{k}:kids", n_kids)
            ctx.equation([f"{k}:kids", rest], "kids:screened_in_range")
        share = n_kids / screened if screened else None
        ws.append(
            [
                cm.text(item.id),
                cm.text(item.section),
                cm.text(item.text, "wrap"),
                cm.text(item.tier),
                ctx.count(n_kids, f"{k}:kids"),
                ctx.share(n_kids, screened, f"{k}:kids", "kids:screened_in_range"),
                ctx.count(present, f"{k}:present"),
                ctx.share(present, tally.completed, f"{k}:present", "scr:completed"),
                ctx.count(current, f"{k}:current"),
                ctx.count(unknown, f"{k}:unknown"),
                *(ctx.count(by.get(o.id, 0), f"{k}:o:{o.id}") for o in outcomes),
                share if ctx.shown(f"{k}:kids") else None,
            ]
        )
        ctx.equation([f"{k}:o:{o.id}" for o in outcomes], f"{k}:present")
        if ctx.pseudonymise:
            rest = ctx.hidden(f"{k}:current~rest", present - current)
            ctx.equation([f"{k}:current", rest], f"{k}:present")
    last = HEADER_ROW + len(items)
    set_filter(ws, HEADER_ROW, len(heads), last)
    ws.append([])
    rows_after = _tier_table(ws, cm, ctx, tally, last + 2)
    end = _rules_table(ws, cm, ctx, tally, instruments, first_row=rows_after)
    _charts(ws, ctx, items, chart_col, end + 2)


def _charts(
    ws: WriteOnlyWorksheet, ctx: BuildContext, items: list[ItemInfo], col: int, row: int
) -> None:
    """Bar charts below the tables, labelled with the indicators' own text: risk indicators
    apart from vulnerabilities, each chart on a printed page of its own."""
    risk = sum(1 for i in items if i.tier != "vulnerability")
    withheld = " (withheld counts are not drawn)" if ctx.pseudonymise else ""
    page = PageFit.for_columns(COLUMN_WIDTHS + [12] * len(ctx.meta.outcomes), HEADER_ROW_POINTS)
    most = page.bars_per_chart()
    charts: list[tuple[int, int, str]] = []
    for first, count, what in (
        (0, risk, "Risk indicators"),
        (risk, len(items) - risk, "Vulnerabilities"),
    ):
        parts = chunks(count, most) if count else []
        for n, (offset, size) in enumerate(parts, 1):
            part = f" ({n} of {len(parts)})" if len(parts) > 1 else ""
            title = f"{what}{part}: share of children screened with each present{withheld}"
            charts.append((HEADER_ROW + 1 + first + offset, size, title))
    heights = [page.bar_chart_cm(size) for _, size, _ in charts]
    anchors = place_on_pages(ws, row, heights)
    for (first_row, size, title), height, anchor in zip(charts, heights, anchors, strict=True):
        indicator_prevalence(
            ws,
            first_row,
            first_row + size - 1,
            value_col=col,
            label_col=3,
            title=title,
            anchor=f"A{anchor}",
            size_cm=(page.chart_width_cm, height),
        )


def _tier_table(
    ws: WriteOnlyWorksheet, cm: CellMaker, ctx: BuildContext, tally: ScreeningTally, row: int
) -> int:
    """Completed screenings with at least one indicator of each tier; returns the next row."""
    outcomes = ctx.meta.outcomes
    ws.append([cm.text("Completed screenings with at least one indicator of each tier", "section")])
    ws.append(
        cm.header_row(
            [
                "Tier",
                "",
                "",
                "",
                "",
                "",
                "Screenings",
                "% of completed screenings",
                "",
                "",
                *(f"When {o.label}" for o in outcomes),
            ]
        )
    )
    for tier in _TIERS:
        counts: Mapping[str, int] = tally.tiers.get(tier, {})
        n = sum(counts.values())
        k = f"tier:{tier}"
        ws.append(
            [
                cm.text(tier.capitalize()),
                *([None] * 5),
                ctx.count(n, f"{k}:all"),
                ctx.share(n, tally.completed, f"{k}:all", "scr:completed"),
                None,
                None,
                *(ctx.count(counts.get(o.id, 0), f"{k}:o:{o.id}") for o in outcomes),
            ]
        )
        ctx.equation([f"{k}:o:{o.id}" for o in outcomes], f"{k}:all")
    ws.append([])
    return row + 2 + len(_TIERS) + 1


def _rules_table(
    ws: WriteOnlyWorksheet,
    cm: CellMaker,
    ctx: BuildContext,
    tally: ScreeningTally,
    instruments: list[InstrumentInfo],
    first_row: int,
) -> int:
    """Which scoring rules and floors decided the outcomes; returns the table's last row."""
    described: dict[str, str] = {}
    for instrument in instruments:
        for rule_id, text in instrument.rules:
            described.setdefault(rule_id, text)
    for rule_id in tally.rules_fired:
        described.setdefault(rule_id, "")
    ws.append([cm.text("Scoring rules and floors that fired (completed screenings)", "section")])
    ws.append(
        cm.header_row(
            ["Rule", "", "Description", "", "", "", "Screenings", "% of completed screenings"],
            numbers=(6, 7),
        )
    )
    row = first_row + 1
    for row, (rule_id, text) in enumerate(described.items(), start=first_row + 2):
        n = tally.rules_fired.get(rule_id, 0)
        fit_row(ws, row, text, TEXT_WIDTH)
        ws.append(
            [
                cm.text(rule_id),
                None,
                cm.text(text, "wrap"),
                *([None] * 3),
                ctx.count(n, f"rule:{rule_id}"),
                ctx.share(n, tally.completed, f"rule:{rule_id}", "scr:completed"),
            ]
        )
    return row
