"""The lines that open each aggregate sheet and each block: title, scope and base.

Every block names its base (children or screenings, as at a day or within a period), so a
reader never has to guess what a percentage is a percentage of.
"""

from __future__ import annotations

from datetime import date

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cse_screen.export.cells import CellMaker
from cse_screen.export.context import BuildContext
from cse_screen.export.privacy import SUPPRESSION_NOTE


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
