"""Indicators (how the CSE team improves the tool), Trends by month, and Data quality."""

from __future__ import annotations

from datetime import date, timedelta

from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cse_screen.export.cells import CellMaker
from cse_screen.export.chartpages import PageFit, place_on_pages, rows_after
from cse_screen.export.charts import TREND_CHART_HEIGHT_CM, outcomes_by_month
from cse_screen.export.context import HEADER_ROW_POINTS, BuildContext, set_filter
from cse_screen.export.headings import scope_sentence
from cse_screen.export.privacy import SUPPRESSION_NOTE
from cse_screen.export.rows import InstrumentInfo, ItemInfo
from cse_screen.export.tally import ScreeningTally

# Width of the column holding indicator and rule texts (the third column of the sheet).
TEXT_WIDTH = 60
_TIERS = ("harm", "significant", "moderate", "low", "vulnerability")


def _heading(ws: WriteOnlyWorksheet, cm: CellMaker, ctx: BuildContext, title: str) -> None:
    ws.append([cm.text(title, "title")])
    note = scope_sentence(ctx) + (f" {SUPPRESSION_NOTE}" if ctx.pseudonymise else "")
    ws.append([cm.text(note, "note")])


def _all_items(instruments: list[InstrumentInfo]) -> list[ItemInfo]:
    seen: dict[str, ItemInfo] = {}
    for instrument in instruments:
        for item in instrument.items:
            seen.setdefault(item.id, item)
    return list(seen.values())


def trend_months(ctx: BuildContext, tally: ScreeningTally) -> list[date]:
    seen = sorted(tally.months)
    first = ctx.options.date_from.replace(day=1) if ctx.options.date_from else None
    last = ctx.options.date_to.replace(day=1) if ctx.options.date_to else None
    first = first or (seen[0] if seen else None)
    last = last or (seen[-1] if seen else None)
    months: list[date] = []
    while first is not None and last is not None and first <= last and len(months) < 1200:
        months.append(first)
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return months


def month_label(month: date, ctx: BuildContext) -> str:
    """``Sep 2026``, marked when the date range or the export date cuts the month short."""
    last = date(month.year + month.month // 12, month.month % 12 + 1, 1) - timedelta(days=1)
    start, end = ctx.options.date_from, ctx.options.date_to or ctx.meta.today
    end = min(end, ctx.meta.today)
    label = f"{month:%b %Y}"
    if end < last:
        return f"{label} (to {end:%d/%m})"
    if start and start > month:
        return f"{label} (from {start:%d/%m})"
    return label


def write_trends(ws: WriteOnlyWorksheet, ctx: BuildContext, tally: ScreeningTally) -> None:
    outcomes = ctx.meta.outcomes
    heads = [
        "Month",
        "Completed screenings",
        *(o.label for o in outcomes),
        "Children at risk",
        "Outcome changed by judgement",
    ]
    helper = len(heads) + 1  # hidden chart columns: month label, then a share per outcome
    last_col = get_column_letter(len(heads))
    widths = [12, 13] + [14] * len(outcomes) + [12, 14]
    page = PageFit.for_columns(widths, HEADER_ROW_POINTS)
    chart_cm = (page.chart_width_cm, min(TREND_CHART_HEIGHT_CM, page.chart_height_cm))
    # The chart goes below the total row and a blank one, on a page of its own.
    chart_from = 3 + len(trend_months(ctx, tally)) + 3
    cm = ctx.sheet(
        ws,
        widths + [16] + [8] * len(outcomes),
        freeze="B4",
        header_row=3,
        print_area=f"A1:{last_col}{rows_after(chart_from, [chart_cm[1]])}",
    )
    for col in range(helper, helper + 1 + len(outcomes)):
        ws.column_dimensions[get_column_letter(col)].hidden = True
    _heading(ws, cm, ctx, "Trends by month")
    ws.append(
        cm.header_row(
            [*heads, "Chart: month", *(f"Chart: {o.label}" for o in outcomes)],
            # the months are dates; the chart's month labels are words
            numbers=[*range(len(heads)), *range(len(heads) + 1, len(heads) + 1 + len(outcomes))],
        )
    )
    months = trend_months(ctx, tally)
    overridden = []
    for month in months:
        m = tally.months.get(month)
        by = m.by_outcome if m else {}
        k = f"month:{month:%Y-%m}"
        n = m.screenings if m else 0
        ws.append(
            [
                cm.styled(month, "month"),
                ctx.count(n, f"{k}:scr"),
                *(ctx.count(by.get(o.id, 0), f"{k}:o:{o.id}") for o in outcomes),
                ctx.count(len(m.at_risk_children) if m else 0, f"{k}:risk"),
                ctx.count(m.overridden if m else 0, f"{k}:over"),
                cm.text(month_label(month, ctx)),
                *(by.get(o.id, 0) if ctx.shown(f"{k}:o:{o.id}") else None for o in outcomes),
            ]
        )
        ctx.equation([f"{k}:o:{o.id}" for o in outcomes], f"{k}:scr")
        if ctx.pseudonymise:
            rest = ctx.hidden(f"{k}:over~rest", n - (m.overridden if m else 0))
            ctx.equation([f"{k}:over", rest], f"{k}:scr")
        overridden.append(f"{k}:over")
    in_months = sum(tally.months[m].screenings for m in months if m in tally.months)
    ws.append(
        [
            cm.text("Total", "label"),
            ctx.count(in_months, "scr:completed" if in_months == tally.completed else None),
            *(ctx.count(tally.by_outcome.get(o.id, 0), f"scr:o:{o.id}") for o in outcomes),
            None,
            ctx.count(tally.overridden, "scr:overridden"),
        ]
    )
    if in_months == tally.completed:
        for o in outcomes:
            ctx.equation([f"month:{m:%Y-%m}:o:{o.id}" for m in months], f"scr:o:{o.id}")
        ctx.equation([f"scr:o:{o.id}" for o in outcomes], "scr:completed")
        ctx.equation([f"month:{m:%Y-%m}:scr" for m in months], "scr:completed")
        ctx.equation(overridden, "scr:overridden")
    set_filter(ws, 3, len(heads), 3 + len(months))
    if months:
        (anchor_row,) = place_on_pages(ws, chart_from, [chart_cm[1]])
        outcomes_by_month(
            ws,
            3,
            3 + len(months),
            outcomes,
            first_col=helper + 1,
            label_col=helper,
            anchor=f"A{anchor_row}",
            size_cm=chart_cm,
            withheld=ctx.pseudonymise,
        )


def write_data_quality(
    ws: WriteOnlyWorksheet,
    ctx: BuildContext,
    tally: ScreeningTally,
    overdue_children: int,
    instruments: list[InstrumentInfo],
) -> None:
    cm = ctx.sheet(ws, [46, 18, 18, 18, 18, 18, 18])
    _heading(ws, cm, ctx, "Data quality")
    ws.append([])
    ws.append(cm.header_row(["Measure", "Count", "% of screenings"]))
    total = tally.total
    for label, key, n in (
        ("Screenings in the date range (any status)", "scr:all", total),
        ("Screenings with at least one answer 'unknown'", "scr:with_unknown", tally.with_unknown),
        ("Screenings missing required context", "scr:missing", tally.missing_context),
        ("Screenings returned to the worker", "scr:returned", tally.by_status.get("returned", 0)),
        ("Drafts not yet submitted", "scr:drafts", tally.by_status.get("draft", 0)),
        ("Outcome changed by professional judgement", "scr:overridden", tally.overridden),
    ):
        ws.append([cm.text(label), ctx.count(n, key), ctx.share(n, total, key, "scr:all")])
        if ctx.pseudonymise and key != "scr:all":
            rest = ctx.hidden(f"{key}~all", total - n)
            ctx.equation([key, rest], "scr:all")
    ws.append(
        [
            cm.text("Answers 'unknown' (all indicators)"),
            ctx.count(tally.unknown_answers, "scr:unknown_answers"),
        ]
    )
    ws.append(
        [
            cm.text("Children overdue for re-screening"),
            ctx.count(overdue_children, "kids:overdue"),
        ]
    )
    ws.append([])
    ws.append([cm.text("Context not recorded", "section")])
    ws.append(cm.header_row(["Context field", "Not recorded", "% of screenings"]))
    for name, n in sorted(tally.missing_by_field.items()):
        label = tally.field_labels.get(name, name)
        key = f"context:{name}"
        ws.append([cm.text(label), ctx.count(n, key), ctx.share(n, total, key, "scr:all")])
    ws.append([])
    _assessors(ws, cm, ctx, tally)
    _top_unknown(ws, cm, ctx, tally, instruments)


def _assessors(
    ws: WriteOnlyWorksheet, cm: CellMaker, ctx: BuildContext, tally: ScreeningTally
) -> None:
    ws.append([cm.text("By assessor (who completed the screening)", "section")])
    ws.append(
        cm.header_row(
            [
                "Assessor",
                "Screenings",
                "With unknowns",
                "Unknown answers",
                "Changed outcome",
                "Returned",
                "Missing context",
            ]
        )
    )
    columns: dict[str, list[str]] = {}
    for name in sorted(tally.assessors):
        a = tally.assessors[name]
        shown = ctx.pseudonyms.staff(name) if ctx.pseudonyms is not None else name
        k = f"assessor:{name}"
        cells = {
            "all": a.screenings,
            "with_unknown": a.with_unknown,
            "unknown_answers": a.unknown_answers,
            "overridden": a.overridden,
            "returned": a.returned,
            "missing": a.missing_context,
        }
        ws.append([cm.text(shown), *(ctx.count(v, f"{k}:{c}") for c, v in cells.items())])
        for column in cells:
            columns.setdefault(column, []).append(f"{k}:{column}")
        if ctx.pseudonymise:
            for column in ("with_unknown", "overridden", "returned", "missing"):
                rest = ctx.hidden(f"{k}:{column}~all", a.screenings - cells[column])
                ctx.equation([f"{k}:{column}", rest], f"{k}:all")
    if ctx.pseudonymise:
        for column, members in columns.items():
            ctx.equation(members, f"scr:{column}")
    ws.append([])


def _top_unknown(
    ws: WriteOnlyWorksheet,
    cm: CellMaker,
    ctx: BuildContext,
    tally: ScreeningTally,
    instruments: list[InstrumentInfo],
) -> None:
    texts = {item.id: item.text for item in _all_items(instruments)}
    ranked = sorted(((c.unknown, i) for i, c in tally.items.items() if c.unknown), reverse=True)
    ws.append([cm.text("Indicators most often answered 'unknown'", "section")])
    ws.append(cm.header_row(["Indicator", "Unknown answers", "Text"], numbers=(1,)))
    for n, item_id in ranked[:15]:
        ws.append(
            [
                cm.text(item_id),
                ctx.count(n, f"item:{item_id}:unknown"),
                cm.text(texts.get(item_id, "")),
            ]
        )
