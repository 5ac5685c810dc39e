"""The Summary's data-quality warnings: every check with its count, base and threshold.

The counts are keyed as the Data quality sheet and the breakdowns key them, so a board file
withholds a small count in the same way wherever it appears; a warning is only marked where
both its count and its base are shown.
"""

from __future__ import annotations

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cse_screen.export.cells import CellMaker
from cse_screen.export.comparison import subset
from cse_screen.export.context import BuildContext
from cse_screen.export.headings import section, uk
from cse_screen.export.quality import QualityCheck, children_checks, screening_checks
from cse_screen.export.rows import InstrumentInfo
from cse_screen.export.tally import ChildTally, ScreeningTally

WARNING = "Warning"
WITHIN = "Within threshold"
NOTHING = "Nothing to check"
#: Keys first shown by this block (the others are shown, and related, elsewhere as well).
_OWN_KEYS = ("scr:contra:", "scr:older_version", "context:")


def summary_checks(
    tally: ScreeningTally, kids: ChildTally, instruments: list[InstrumentInfo]
) -> list[QualityCheck]:
    """Every check the Summary reports, screenings first, then children."""
    no_placement = kids.by_placement.get("(not recorded)")
    return [
        *screening_checks(
            tally.total,
            tally.with_unknown,
            tally.missing_by_field,
            tally.field_labels,
            tally.contradictions,
            tally.older_version(instruments),
        ),
        *children_checks(
            kids.total,
            kids.never_screened,
            no_placement.children if no_placement else 0,
            uk(kids.today),
        ),
    ]


def quality_block(
    ws: WriteOnlyWorksheet,
    cm: CellMaker,
    ctx: BuildContext,
    checks: list[QualityCheck],
) -> None:
    section(
        ws,
        cm,
        "Data quality warnings",
        "each check's own base, named on its row; details are on the Data quality sheet",
    )
    for check in checks:
        _register(ctx, check)
    shown = [ctx.shown(c.key) and ctx.shown(c.base_key) for c in checks]
    raised = sum(c.raised for c, s in zip(checks, shown, strict=True) if s)
    ws.append(
        cm.header_row(
            ["Check", "Count", "Out of", "%", "Threshold", "Warning", "Base"], numbers=(1, 2, 3, 4)
        )
    )
    for check, visible in zip(checks, shown, strict=True):
        flag = _flag(check) if visible else None
        ws.append(
            [
                cm.text(check.label),
                ctx.count(check.count, check.key),
                ctx.count(check.base, check.base_key),
                ctx.share(check.count, check.base, check.key, check.base_key),
                cm.styled(check.threshold, "percent"),
                cm.text(flag, "flag" if flag == WARNING else None),
                cm.text(check.base_label, "note"),
            ]
        )
    verdict = _verdict(raised, len(checks), shown.count(False))
    ws.append([cm.text(verdict, "flag" if raised else "note")])
    ws.append([])


def _flag(check: QualityCheck) -> str:
    if check.base <= 0:
        return NOTHING
    return WARNING if check.raised else WITHIN


def _verdict(raised: int, checks: int, withheld: int) -> str:
    """One sentence over the block; a withheld check is neither a warning nor a pass."""
    text = (
        f"{raised} of {checks} checks are above their threshold: read the figures below with "
        "them in mind."
        if raised
        else "No check shown is above its threshold."
    )
    if withheld:
        text += f" {withheld} cannot be judged in this file (small counts withheld)."
    return text


def _register(ctx: BuildContext, check: QualityCheck) -> None:
    """A count first shown here is a part of its base: what is left is computable."""
    if ctx.pseudonymise and check.key.startswith(_OWN_KEYS):
        ctx.disclosure.cell(check.base_key, check.base)
        subset(ctx, check.key, check.count, check.base_key, check.base)
