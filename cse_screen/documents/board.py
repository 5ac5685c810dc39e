"""The report to Cabinet or the safeguarding board: a few pages a councillor reads in minutes.

Pseudonymised by construction: it is laid out from the board workbook's aggregate figures only
(see :mod:`board_figures`), so it holds no name, case reference, date of birth, worker or free
text, and counts from 1 to 4 (and those that would reveal them) are withheld exactly as in the
workbook. The 12-month trend is drawn with the PDF library's own lines and rectangles.
"""

from __future__ import annotations

from cse_screen.documents.board_chart import trend_chart
from cse_screen.documents.board_figures import BoardFigures, Line
from cse_screen.documents.pdf_base import Document, uk_date

TITLE = "CSE screening: report to Cabinet and the safeguarding board"
SUPPRESSION = (
    "Pseudonymised: no names, case references or dates of birth. Counts from 1 to 4 are shown "
    "as <5, and counts that would let a reader work one out are shown as [c]."
)


def _lines(doc: Document, lines: list[Line], now: str, before: str) -> None:
    rows = [[x.label, x.now, x.before, x.change] for x in lines]
    doc.grid(["Measure", now, before, "Change"], rows, (88, 30, 30, 26), ("L", "R", "R", "R"))


def _headlines(doc: Document, f: BoardFigures) -> None:
    doc.heading(f"Children as at {uk_date(f.as_at)}")
    doc.note(
        "Looked-after children in scope, and their screening as at the period's last day (each "
        "child's latest completed screening dated on or before it)."
    )
    rows = [[x.label, x.now] for x in f.children]
    doc.grid(["Measure", "Children"], rows, (134, 40), ("L", "R"))


def _position(doc: Document, f: BoardFigures) -> None:
    doc.heading("Outcomes and how they moved since the previous period")
    doc.note(
        f"Children by their latest outcome as at {uk_date(f.as_at)} against "
        f"{uk_date(f.before_at)} (the end of the previous period), with those overdue."
    )
    _lines(doc, f.position, f"As at {uk_date(f.as_at)}", f"As at {uk_date(f.before_at)}")
    doc.heading("Children screened twice or more in the period", 2)
    doc.note("Their latest outcome against the one before it.")
    doc.grid(["Latest outcome against the one before", "Children"], f.moves, (134, 40), ("L", "R"))


def _activity(doc: Document, f: BoardFigures) -> None:
    doc.heading("Screenings this period against the previous one")
    (a, b), (c, d) = f.period, f.previous
    doc.note(
        f"Completed screenings dated {uk_date(a)} to {uk_date(b)}, against {uk_date(c)} to "
        f"{uk_date(d)}, and the children they were for."
    )
    _lines(doc, f.activity, "This period", "Previous period")


def _trend(doc: Document, f: BoardFigures) -> None:
    doc.heading("Trend over the last 12 months")
    doc.note("Completed screenings each month by outcome; grey is withheld (small numbers).")
    trend_chart(doc, f.trend, f.outcomes)
    head = ["Month", "Screenings", *(o.label for o in f.outcomes)]
    rows = [[m.label, m.screenings, *(m.shown[o.id] for o in f.outcomes)] for m in f.trend]
    rest = (doc.epw - 34 - 22) / max(len(f.outcomes), 1)
    widths = (34, 22, *([rest] * len(f.outcomes)))
    doc.grid(head, rows, widths, ("L", *("R" * (1 + len(f.outcomes)))))


def _teams(doc: Document, f: BoardFigures) -> None:
    if len(f.teams) < 30 and doc.will_page_break(7 * (len(f.teams) + 6)):
        doc.add_page()
    doc.heading(f"By team as at {uk_date(f.as_at)}")
    doc.note("Children of each team by latest outcome, not yet screened, overdue and due soon.")
    first = 24
    rest = (doc.epw - first) / (len(f.team_head) - 1)
    widths = (first, *([rest] * (len(f.team_head) - 1)))
    align = ("L", *("R" * (len(f.team_head) - 1)))
    doc.grid(f.team_head, f.teams, widths, align, size=7, keep_together=len(f.teams) < 30)


def board_document(f: BoardFigures) -> Document:
    (start, end) = f.period
    scope = f"team {f.team}" if f.team else "all teams"
    doc = Document(TITLE, f"Period {uk_date(start)} to {uk_date(end)} · {scope}")
    doc.title_block()
    doc.note(SUPPRESSION)
    _headlines(doc, f)
    _position(doc, f)
    _activity(doc, f)
    _trend(doc, f)
    _teams(doc, f)
    return doc


def board_pdf(f: BoardFigures) -> bytes:
    return board_document(f).to_bytes()
