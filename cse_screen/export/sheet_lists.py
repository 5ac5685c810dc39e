"""The two list sheets: one row per child (latest status) and one row per screening.

Both stream their rows straight into the sheet and feed the tallies on the way, so the data is
read once. A pseudonymised export leaves out the identifying columns entirely rather than
blanking them: names, case references, dates of birth, free text and staff names never appear.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, TypeVar

from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cse_screen.core import codes
from cse_screen.export.cells import fit_list_row, forget_row, wrapped_lines
from cse_screen.export.context import BuildContext, set_filter
from cse_screen.export.privacy import age_band, age_on
from cse_screen.export.rows import ChildRow, InstrumentInfo, ScreeningRow
from cse_screen.export.tally import ChildTally, ScreeningTally

T = TypeVar("T")


def shuffled(rows: Iterable[T]) -> Iterator[T]:
    """The rows in an order no one can reproduce, so row N of a board file is not row N of the
    named one (held in memory only: the rows never touch the disk)."""
    kept = list(rows)
    secrets.SystemRandom().shuffle(kept)
    return iter(kept)


def as_month(cm: Any, day: date | None) -> Any:
    """A date reduced to its month, for the row-level sheets of a board file."""
    return None if day is None else cm.styled(day.replace(day=1), "month")


def tally_only(rows: Iterable[T], add: Any, ctx: BuildContext) -> int:
    """Feed the tallies without writing a list sheet (a board file holds no rows)."""
    count = 0
    for row in rows:
        add(row)
        count += 1
        ctx.step()
    return count


#: List columns that hold numbers or dates: their headings sit right, over the figures.
FIGURE_HEADINGS = frozenset(
    {
        "Screening ID",
        "Date of birth",
        "Age",
        "Age at screening",
        "Last screened",
        "Next due",
        "Days overdue",
        "Completed screenings",
        "Screen date",
        "Unknown answers",
    }
)


def figure_columns(heads: list[tuple[str, float]]) -> list[int]:
    """The indices of the list columns whose values are numbers or dates."""
    return [i for i, (head, _) in enumerate(heads) if head in FIGURE_HEADINGS]


_CHILD_HEAD_PLAIN = [("Case reference", 16), ("Name", 24), ("Date of birth", 13), ("Age", 6)]
_CHILD_HEAD_PSEUDO = [("Child ID", 13), ("Age band", 11)]
_CHILD_HEAD_COMMON = [
    ("Gender", 10),
    ("Ethnicity", 16),
    ("Disability", 12),
    ("Placement type", 24),
    ("Legal status", 20),
    ("Team", 16),
    ("Worker", 16),
    ("Last screened", 13),
    ("Latest outcome", 24),
    ("Next due", 12),
    ("Overdue", 9),
    ("Days overdue", 9),
    ("Completed screenings", 11),
    ("Draft in progress", 10),
]


def write_children(
    ws: WriteOnlyWorksheet,
    ctx: BuildContext,
    rows: Iterable[ChildRow],
    tally: ChildTally,
    expected: int = 0,
) -> int:
    """The Children sheet; returns the number of children written."""
    heads = (_CHILD_HEAD_PSEUDO if ctx.pseudonymise else _CHILD_HEAD_PLAIN) + _CHILD_HEAD_COMMON
    cm = ctx.sheet(
        ws,
        [w for _, w in heads],
        freeze="C2",
        header_row=1,
        stream_rows=expected,
        title_cols="A:A" if ctx.pseudonymise else "A:B",
    )
    ws.append(cm.header_row([h for h, _ in heads], numbers=figure_columns(heads)))
    today, count = ctx.meta.today, 0
    day = as_month if ctx.pseudonymise else (lambda cm, d: cm.date(d))
    wide = dict(heads)
    for child in shuffled(rows) if ctx.pseudonymise else rows:
        tally.add(child)
        overdue = tally.is_overdue(child)
        if ctx.pseudonyms is not None:
            who: list[Any] = [ctx.pseudonyms.child(child.child_id), age_band(child.dob, today)]
            worker = ctx.pseudonyms.staff(child.worker)
        else:
            who = [
                cm.text(child.case_ref),
                cm.text(child.name),
                cm.date(child.dob),
                age_on(child.dob, today),
            ]
            worker = child.worker
        # the code lists' labels are long ("Foster placement with other foster carer, long
        # term"): wrapped in their columns, with the row as tall as its tallest, they print
        # whole instead of cut off at the next column
        labels = {
            "Ethnicity": codes.label("ethnicity", child.ethnicity) or None,
            "Placement type": codes.label("placement_type", child.placement_type) or None,
            "Legal status": codes.label("legal_status", child.legal_status) or None,
        }
        row = count + 2
        fit_list_row(ws, row, max(wrapped_lines(t, wide[h]) for h, t in labels.items()))
        ws.append(
            [
                *who,
                cm.text(codes.label("gender", child.gender) or None),
                cm.text(labels["Ethnicity"], "wrap_list"),
                cm.text(child.disability),
                cm.text(labels["Placement type"], "wrap_list"),
                cm.text(labels["Legal status"], "wrap_list"),
                cm.text(child.team),
                cm.text(worker),
                day(cm, child.last_screened),
                cm.outcome(child.latest_outcome, ctx.label(child.latest_outcome)),
                day(cm, child.next_due),
                cm.text("Yes", "flag") if overdue else None,
                (today - child.next_due).days
                if overdue and child.next_due and not ctx.pseudonymise
                else None,
                child.completed_screenings,
                "Yes" if child.has_draft else None,
            ]
        )
        forget_row(ws, row)
        count += 1
        ctx.step()
    set_filter(ws, 1, len(heads), count + 1)
    ctx.book.finish_sheet(ws)
    return count


def item_columns(instruments: list[InstrumentInfo]) -> list[str]:
    """Indicator ids in questionnaire order, newest instrument first, then any others."""
    seen: dict[str, None] = {}
    for instrument in instruments:
        for item in instrument.items:
            seen.setdefault(item.id, None)
    return list(seen)


Heads = list[tuple[str, float]]


def _screening_heads(ctx: BuildContext) -> Heads:
    if ctx.pseudonymise:
        first: Heads = [("Child ID", 13), ("Age band at screening", 11)]
    else:
        first = [("Screening ID", 10), ("Case reference", 16), ("Age at screening", 9)]
    middle: Heads = [
        ("Team", 16),
        ("Worker", 16),
        ("Assessor", 16),
        ("Screen date", 12),
        ("Instrument", 16),
        ("Version", 8),
        ("Trigger", 16),
        ("Status", 11),
        ("Computed outcome", 17),
        ("Final outcome", 17),
        ("Overridden", 10),
    ]
    if not ctx.pseudonymise:
        middle += [("Override reason", 30), ("Returned reason", 30), ("Signed off by", 14)]
    return first + middle + [("Awaiting sign-off", 10), ("Next due", 12), ("Unknown answers", 9)]


def _screening_cells(ctx: BuildContext, cm: Any, row: ScreeningRow) -> list[Any]:
    overridden = bool(row.computed_outcome and row.final_outcome) and (
        row.computed_outcome != row.final_outcome
    )
    day = as_month if ctx.pseudonymise else (lambda cm, d: cm.date(d))
    if ctx.pseudonyms is not None:
        staff = ctx.pseudonyms.staff
        first: list[Any] = [ctx.pseudonyms.child(row.child_id), age_band(row.dob, row.screen_date)]
        people = [staff(row.worker), staff(row.created_by)]
    else:
        age = age_on(row.dob, row.screen_date) if row.dob else None
        first = [row.screening_id, cm.text(row.child_ref), age]
        people = [cm.text(row.worker), cm.text(row.created_by)]
    cells = [
        *first,
        cm.text(row.team),
        *people,
        day(cm, row.screen_date),
        cm.text(row.instrument_id),
        cm.text(row.instrument_version),
        cm.text(row.trigger),
        cm.text(row.status),
        cm.outcome(row.computed_outcome, ctx.label(row.computed_outcome)),
        cm.outcome(row.final_outcome, ctx.label(row.final_outcome)),
        "Yes" if overridden else None,
    ]
    if ctx.pseudonyms is None:
        cells += [
            cm.text(row.override_reason),
            cm.text(row.returned_reason),
            cm.text(row.signed_off_by),
        ]
    awaiting = row.needs_signoff and row.status == "submitted"
    return [*cells, "Yes" if awaiting else None, day(cm, row.next_due)]


def write_screenings(
    ws: WriteOnlyWorksheet,
    ctx: BuildContext,
    rows: Iterable[ScreeningRow],
    instruments: list[InstrumentInfo],
    tally: ScreeningTally,
    expected: int = 0,
) -> int:
    """The Screenings sheet, a column per indicator; returns the number of screenings written."""
    heads = _screening_heads(ctx)
    items = item_columns(instruments)
    unknown_values = {v for i in instruments for item in i.items for v in item.unknown}
    safe_values = {v for i in instruments for item in i.items for v in item.present | item.unknown}
    safe_values |= {"none", "no", "yes", "current", "previous", "both", "unknown"}
    widths = [w for _, w in heads] + [7.0] * len(items)
    cm = ctx.sheet(
        ws,
        widths,
        freeze="C2" if ctx.pseudonymise else "D2",
        header_row=1,
        fit_width=False,
        stream_rows=expected,
        title_cols="A:A" if ctx.pseudonymise else "A:B",
        # Too wide to print usefully (a column per indicator): only its headings print.
        print_area=f"A1:{get_column_letter(len(widths))}1",
    )
    ws.append(cm.header_row([h for h, _ in heads] + items, numbers=figure_columns(heads)))
    count = 0
    for row in shuffled(rows) if ctx.pseudonymise else rows:
        tally.add(row)
        answers = row.answers
        values = [answers.get(i) for i in items]
        unknown = 0
        for index, value in enumerate(values):
            if value is not None:
                unknown += value in unknown_values
                if value not in safe_values:
                    values[index] = cm.text(value)
        ws.append([*_screening_cells(ctx, cm, row), unknown, *values])
        count += 1
        ctx.step()
    set_filter(ws, 1, len(heads) + len(items), count + 1)
    ctx.book.finish_sheet(ws)
    return count
