"""The About sheet: what the file is, what it was filtered on and which questionnaires."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cse_screen.export.context import BuildContext
from cse_screen.export.privacy import SUPPRESSION_NOTE
from cse_screen.export.rows import InstrumentInfo


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
    ws.append(
        cm.header_row(
            ["Questionnaire", "Title", "Version", "Screenings in this file"], numbers=(3,)
        )
    )
    for info in instruments:
        n = use.get((info.id, info.version, info.content_hash), 0)
        ws.append([cm.text(info.id), cm.text(info.title), cm.text(info.version), ctx.count(n)])
