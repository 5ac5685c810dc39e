"""The board report's 12-month trend: stacked bars of completed screenings by outcome.

Drawn with rectangles and lines rather than an image, so it prints sharp and carries no
chart library. A month whose outcome counts are withheld shows only what disclosure control
lets it: the shown outcomes in their colours and the rest of a shown total in grey; a withheld
total shows its marker instead of a bar, so no bar can be measured to recover a small count.
"""

from __future__ import annotations

from collections.abc import Sequence

from cse_screen.documents.board_figures import Month
from cse_screen.documents.pdf_base import FONT, Document
from cse_screen.export.rows import OutcomeInfo

HEIGHT = 62
_WITHHELD = (190, 190, 190)
_AXIS = (120, 120, 120)


def _rgb(colour: str) -> tuple[int, int, int]:
    text = colour.lstrip("#")
    if len(text) != 6:
        return (100, 100, 100)
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def _total(month: Month) -> int | None:
    try:
        return int(month.screenings.replace(",", ""))
    except ValueError:
        return None


def _scale(months: Sequence[Month]) -> int:
    """A round top for the axis, above every bar."""
    top = max([_total(m) or sum(v or 0 for v in m.by_outcome.values()) for m in months] + [1])
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top <= step * 4:
            return step * ((top + step - 1) // step)
    return top


def _legend(doc: Document, outcomes: Sequence[OutcomeInfo], y: float) -> None:
    x = doc.l_margin
    doc.set_font(FONT, "", 7.5)
    for colour, label in [(_rgb(o.colour), o.label) for o in outcomes] + [(_WITHHELD, "Withheld")]:
        doc.set_fill_color(*colour)
        doc.rect(x, y, 3.5, 3.5, style="F")
        doc.set_xy(x + 4.5, y - 0.5)
        width = doc.get_string_width(label) + 2
        doc.cell(width, 4.5, label)
        x += 4.5 + width + 4


def trend_chart(doc: Document, months: Sequence[Month], outcomes: Sequence[OutcomeInfo]) -> None:
    """Draw the chart at the current position and move below it."""
    if not months:
        doc.note("No month in range.")
        return
    if doc.will_page_break(HEIGHT + 20):
        doc.add_page()
    left, top = doc.l_margin + 10, doc.get_y() + 2
    width, height = doc.epw - 10, HEIGHT - 14
    base = top + height
    scale = _scale(months)
    doc.set_draw_color(*_AXIS)
    doc.set_font(FONT, "", 7)
    for tick in range(0, 5):
        value = scale * tick // 4
        y = base - height * tick / 4
        doc.line(left, y, left + width, y) if tick else doc.line(left, base, left + width, base)
        doc.set_xy(doc.l_margin, y - 2)
        doc.cell(9, 4, str(value), align="R")
    slot = width / len(months)
    bar = slot * 0.62
    for i, month in enumerate(months):
        x = left + i * slot + (slot - bar) / 2
        _bar(doc, month, outcomes, x, bar, base, height / scale)
        doc.set_xy(left + i * slot, base + 1)
        doc.cell(slot, 4, f"{month.month:%b %y}", align="C")
    _legend(doc, outcomes, base + 7)
    doc.set_xy(doc.l_margin, top + HEIGHT)


def _bar(
    doc: Document,
    month: Month,
    outcomes: Sequence[OutcomeInfo],
    x: float,
    width: float,
    base: float,
    per: float,
) -> None:
    total = _total(month)
    if total is None:  # withheld: its marker, no bar to measure
        doc.set_xy(x, base - 5)
        doc.cell(width, 4, month.screenings, align="C")
        return
    y = base
    for outcome in sorted(outcomes, key=lambda o: o.rank):
        value = month.by_outcome.get(outcome.id)
        if not value:
            continue
        doc.set_fill_color(*_rgb(outcome.colour))
        doc.rect(x, y - value * per, width, value * per, style="F")
        y -= value * per
    rest = total - sum(v or 0 for v in month.by_outcome.values())
    if rest > 0:
        doc.set_fill_color(*_WITHHELD)
        doc.rect(x, y - rest * per, width, rest * per, style="F")
        y -= rest * per
    if total:
        doc.set_xy(x - 2, y - 4.5)
        doc.cell(width + 4, 4, month.screenings, align="C")
