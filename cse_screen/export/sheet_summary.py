"""The Summary sheet (what a manager reads first) and the About sheet (what the file is)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cse_screen.export.cells import CellMaker
from cse_screen.export.context import BuildContext
from cse_screen.export.privacy import AGE_BANDS, SUPPRESSION_NOTE
from cse_screen.export.rows import InstrumentInfo, PeriodCounts
from cse_screen.export.tally import ChildTally, GroupCounts, ScreeningTally


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


def _heading(ws: WriteOnlyWorksheet, cm: CellMaker, ctx: BuildContext, title: str) -> None:
    ws.append([cm.text(title, "title")])
    ws.append([cm.text(scope_sentence(ctx), "note")])
    if ctx.pseudonymise:
        ws.append([cm.text(SUPPRESSION_NOTE, "note")])
    ws.append([])


def _measure(
    ws: WriteOnlyWorksheet, cm: CellMaker, ctx: BuildContext, label: str, n: int, total: int
) -> None:
    share = ctx.share(n, total)
    ws.append(
        [
            cm.text(label),
            ctx.count(n),
            share,
        ]
    )


def _children_block(
    ws: WriteOnlyWorksheet, cm: CellMaker, ctx: BuildContext, kids: ChildTally
) -> None:
    ws.append([cm.text("Children", "section")])
    ws.append(cm.header_row(["Measure", "Children", "% of children"]))
    total = kids.total
    ws.append([cm.text("Children in scope"), ctx.count(total)])
    for label, n in (
        ("Screened at least once", kids.screened),
        ("Screened in the last 3 months", kids.screened_3m),
        ("Screened in the last 12 months", kids.screened_12m),
        ("Never screened", kids.never_screened),
        ("Re-screen due in the next 30 days", kids.due_soon),
        ("Overdue for re-screening", kids.overdue),
    ):
        _measure(ws, cm, ctx, label, n, total)
    ws.append([])
    ws.append([cm.text("Latest outcome (latest completed screening of each child)", "section")])
    ws.append(cm.header_row(["Outcome", "Children", "% of screened children"]))
    for outcome in ctx.meta.outcomes:
        n = kids.by_outcome.get(outcome.id, 0)
        share = ctx.share(n, kids.screened)
        ws.append(
            [
                cm.outcome(outcome.id, outcome.label),
                ctx.count(n),
                share,
            ]
        )
    ws.append([cm.text("Not yet screened"), ctx.count(kids.never_screened)])
    ws.append([])


def _change(now: int, before: int, ctx: BuildContext) -> int | None:
    if ctx.pseudonymise and (0 < now < 5 or 0 < before < 5):
        return None
    return now - before


def _period_block(
    ws: WriteOnlyWorksheet,
    cm: CellMaker,
    ctx: BuildContext,
    now: PeriodCounts,
    before: PeriodCounts,
) -> None:
    ws.append([cm.text("This period against the previous one (completed screenings)", "section")])
    ws.append(cm.header_row(["Measure", "This period", "Previous period", "Change"]))
    ws.append(
        [
            cm.text("Dates"),
            f"{uk(now.start)} – {uk(now.end)}",
            f"{uk(before.start)} – {uk(before.end)}",
        ]
    )
    lines: list[tuple[Any, int, int]] = [
        (cm.text("Screenings completed"), now.screenings, before.screenings),
        (cm.text("Children screened"), now.children, before.children),
    ]
    for outcome in ctx.meta.outcomes:
        lines.append(
            (
                cm.outcome(outcome.id, f"Screenings: {outcome.label}"),
                now.by_outcome.get(outcome.id, 0),
                before.by_outcome.get(outcome.id, 0),
            )
        )
    lines += [
        (
            cm.text("Children at risk (any outcome above the lowest)"),
            now.at_risk_children,
            before.at_risk_children,
        ),
        (cm.text("Outcomes changed by professional judgement"), now.overridden, before.overridden),
    ]
    for label, a, b in lines:
        ws.append([label, ctx.count(a), ctx.count(b), _change(a, b, ctx)])
    ws.append([])


def _group_block(
    ws: WriteOnlyWorksheet,
    cm: CellMaker,
    ctx: BuildContext,
    title: str,
    groups: Mapping[str, GroupCounts],
    pseudonymise_names: bool,
    order: list[str] | None = None,
) -> None:
    ws.append([cm.text(title, "section")])
    labels = [o.label for o in ctx.meta.outcomes]
    ws.append(
        cm.header_row(
            [
                title.removeprefix("By ").capitalize(),
                "Children",
                "Overdue",
                "Due in 30 days",
                "Not yet screened",
                *labels,
            ]
        )
    )
    ranked = {name: i for i, name in enumerate(order or [])}
    for name in sorted(groups, key=lambda n: (ranked.get(n, len(ranked)), n)):
        g = groups[name]
        shown = name
        if pseudonymise_names and ctx.pseudonyms is not None and not name.startswith("("):
            shown = ctx.pseudonyms.staff(name) or name
        ws.append(
            [
                cm.text(shown),
                ctx.count(g.children),
                ctx.count(g.overdue),
                ctx.count(g.due_soon),
                ctx.count(g.never_screened),
                *(ctx.count(g.by_outcome.get(o.id, 0)) for o in ctx.meta.outcomes),
            ]
        )
    ws.append([])


def _screenings_block(
    ws: WriteOnlyWorksheet, cm: CellMaker, ctx: BuildContext, screenings: ScreeningTally
) -> None:
    ws.append([cm.text("Screenings in the date range", "section")])
    ws.append(cm.header_row(["Measure", "Screenings"]))
    for label, n in (
        ("Screenings (any status)", screenings.total),
        ("Completed (submitted or signed off)", screenings.completed),
        ("Outcome raised by professional judgement", screenings.raised),
        ("Outcome lowered by professional judgement", screenings.lowered),
        ("Awaiting a team lead's sign-off", screenings.awaiting_signoff),
    ):
        ws.append([cm.text(label), ctx.count(n)])
    ws.append([])
    moves = screenings.changes()
    ws.append(
        [
            cm.text(
                "Change since the previous screening (children screened twice or "
                "more in the date range)",
                "section",
            )
        ]
    )
    ws.append(cm.header_row(["Latest outcome against the one before", "Children"]))
    for label, key in (("Higher", "up"), ("Lower", "down"), ("Unchanged", "same")):
        ws.append([cm.text(label), ctx.count(moves.get(key, 0))])
    ws.append([])


def write_summary(
    ws: WriteOnlyWorksheet,
    ctx: BuildContext,
    kids: ChildTally,
    periods: tuple[PeriodCounts, PeriodCounts],
    screenings: ScreeningTally,
) -> None:
    cm = ctx.sheet(ws, [52, 24, 24, 16, 18] + [27] * len(ctx.meta.outcomes))
    _heading(ws, cm, ctx, "CSE screening summary")
    _children_block(ws, cm, ctx, kids)
    _period_block(ws, cm, ctx, *periods)
    _screenings_block(ws, cm, ctx, screenings)
    _group_block(ws, cm, ctx, "By team", kids.by_team, pseudonymise_names=False)
    _group_block(ws, cm, ctx, "By worker", kids.by_worker, pseudonymise_names=True)
    _group_block(
        ws,
        cm,
        ctx,
        "By age band",
        kids.by_age_band,
        pseudonymise_names=False,
        order=[label for _, _, label in AGE_BANDS],
    )
    _group_block(ws, cm, ctx, "By gender", kids.by_gender, pseudonymise_names=False)


def write_about(
    ws: WriteOnlyWorksheet,
    ctx: BuildContext,
    instruments: list[InstrumentInfo],
    counts: dict[str, int],
    use: Mapping[tuple[str, str, str], int],
) -> None:
    cm = ctx.sheet(ws, [30, 60, 16, 20])
    opts, meta = ctx.options, ctx.meta
    ws.append([cm.text("About this workbook", "title")])
    ws.append([])
    by = "withheld in a pseudonymised export (recorded in the audit log)"
    rows: list[tuple[str, Any]] = [
        ("Exported at", cm.date(meta.exported_at)),
        ("Exported by", by if ctx.pseudonymise else meta.exported_by),
        ("Screenings dated from", cm.date(opts.date_from) or "the first screening"),
        ("Screenings dated to", cm.date(opts.date_to) or "the export date"),
        ("Team", opts.team or "all teams"),
        (
            "Worker",
            ("one worker" if ctx.pseudonymise else opts.worker) if opts.worker else "all workers",
        ),
        (
            "Pseudonymised",
            "Yes: no names, case references, dates of birth or free text; "
            "IDs are new in every export"
            if ctx.pseudonymise
            else "No: contains personal data",
        ),
        ("Password protected", "Yes" if opts.encrypted else "No"),
        ("Children rows", counts.get("children", 0)),
        ("Screening rows", counts.get("screenings", 0)),
        (
            "Children sheet",
            "each child's latest completed screening as recorded on the export date",
        ),
        ("At risk", "a final outcome above the lowest one"),
        ("Overdue", "next re-screen date before the export date"),
    ]
    if ctx.pseudonymise:
        rows.append(("Small numbers", SUPPRESSION_NOTE))
    for label, value in rows:
        ws.append([cm.text(label, "label"), cm.text(value) if isinstance(value, str) else value])
    ws.append([])
    ws.append([cm.text("Questionnaire versions", "section")])
    ws.append(cm.header_row(["Questionnaire", "Title", "Version", "Screenings in this file"]))
    for info in instruments:
        n = use.get((info.id, info.version, info.content_hash), 0)
        ws.append([cm.text(info.id), cm.text(info.title), cm.text(info.version), ctx.count(n)])
