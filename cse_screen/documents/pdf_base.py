"""The page every cse-screen document is printed on: A4, a footer marking it OFFICIAL-SENSITIVE
with "page N of M", the shipped DejaVu fonts, and optional AES-256 password protection.

Why fpdf2: the documents are made by the Qt-free core (the command line has no Qt, so Qt's
QPdfWriter is out), and fpdf2 is pure Python, small, actively kept, embeds TrueType fonts (a
child's name in any European script prints as typed), draws tables and charts from primitives
and encrypts with AES-256 through the ``cryptography`` package the project already uses. The
whole document is built in memory: fpdf2 writes no temporary file, so no plaintext reaches the
disk before the caller's atomic write.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import date, datetime

with warnings.catch_warnings():
    # The documents hold no images, so the bundle leaves Pillow out; fpdf2 then warns once.
    warnings.filterwarnings("ignore", message="Pillow could not be imported")
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod, XPos, YPos

from cse_screen.paths import resource

MARKING = "OFFICIAL-SENSITIVE"
FONT = "DejaVu"
#: Body text size in points; small print (table cells, the footer) is 8.
BODY_PT = 10
#: A neutral name for the file's metadata: no user, child or library name.
NEUTRAL = "cse-screen"
_GREY = (90, 90, 90)
_RULE = (170, 170, 170)
_SHADE = (235, 238, 242)
#: Regular and bold only: the laptop bundle has little room (notes are small and grey instead).
_FACES = (("", "DejaVuSans"), ("B", "DejaVuSans-Bold"))


def uk_date(day: date | datetime | None) -> str:
    """``07/12/2026`` as the council's case systems write dates; a dash when unknown."""
    return "–" if day is None else f"{day:%d/%m/%Y}"


def uk_moment(moment: datetime | None) -> str:
    """``07/12/2026 15:42 UTC``: stored times are UTC and printed as such."""
    return "–" if moment is None else f"{moment:%d/%m/%Y %H:%M} UTC"


class Document(FPDF):
    """An A4 page with the marking on every page, and helpers for headed, tabled text."""

    def __init__(self, title: str, subtitle: str = "") -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.doc_title = title
        self.doc_subtitle = subtitle
        for style, name in _FACES:
            self.add_font(FONT, style, str(resource("fonts", f"{name}.ttf")))
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_title(title)  # a kind of document ("Screening record"), never a name
        self.set_creator(NEUTRAL)
        self.set_producer(NEUTRAL)
        self.set_author(NEUTRAL)
        self.set_lang("en-GB")
        self.alias_nb_pages()
        self.add_page()
        self.set_font(FONT, "", BODY_PT)

    # -- every page ---------------------------------------------------------------------------
    def header(self) -> None:
        self.set_font(FONT, "B", 8)
        self.set_text_color(*_GREY)
        self.cell(0, 4, MARKING, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_draw_color(*_RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_font(FONT, "", 8)
        self.set_text_color(*_GREY)
        self.cell(0, 6, f"{MARKING} · {self.doc_title}", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 6, f"page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    # -- text ---------------------------------------------------------------------------------
    def title_block(self) -> None:
        self.set_font(FONT, "B", 16)
        self.multi_cell(0, 8, self.doc_title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if self.doc_subtitle:
            self.set_font(FONT, "", BODY_PT)
            self.set_text_color(*_GREY)
            self.multi_cell(0, 5, self.doc_subtitle, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(0, 0, 0)
        self.ln(3)

    def heading(self, text: str, level: int = 1) -> None:
        """A section heading, kept with at least a few lines of what follows it."""
        if self.will_page_break(24):
            self.add_page()
        size = 13 if level == 1 else 11
        self.ln(2 if level == 1 else 1)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, 6.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if level == 1:
            self.set_draw_color(*_RULE)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(1.5)
        self.set_font(FONT, "", BODY_PT)

    def para(self, text: str, style: str = "", size: float = BODY_PT) -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", BODY_PT)
        self.ln(1)

    def note(self, text: str) -> None:
        """Small grey print: what a figure covers, or why something is missing."""
        self.set_text_color(*_GREY)
        self.para(text, "", 8.5)
        self.set_text_color(0, 0, 0)

    def bullets(self, lines: Sequence[str]) -> None:
        for line in lines:
            self.set_x(self.l_margin)
            self.cell(5, 5, "•")
            self.multi_cell(0, 5, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def facts(self, pairs: Sequence[tuple[str, str]], label_width: float = 55) -> None:
        """Label and value on a line each (a record's details)."""
        for label, value in pairs:
            if self.will_page_break(5):
                self.add_page()
            self.set_font(FONT, "B", 9.5)
            self.cell(label_width, 5, label)
            self.set_font(FONT, "", 9.5)
            self.multi_cell(0, 5, value or "–", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", BODY_PT)
        self.ln(1.5)

    def grid(
        self,
        head: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        align: Sequence[str] | None = None,
        size: float = 8.5,
        keep_together: bool = False,
    ) -> None:
        """A table whose header repeats on each page and whose cells wrap (never cut off);
        ``keep_together`` starts a short table on a new page rather than split it."""
        if keep_together and self.will_page_break(size * 0.9 * (len(rows) + 2)):
            self.add_page()
        self.set_font(FONT, "", size)
        self.set_fill_color(*_SHADE)
        self.set_draw_color(*_RULE)
        text_align = tuple(align) if align else "LEFT"
        with self.table(
            col_widths=tuple(widths),
            width=self.epw,
            line_height=size * 0.5,
            headings_style=_heading_style(size),
            cell_fill_color=_SHADE,
            cell_fill_mode="ROWS",
            repeat_headings=1,
            padding=1,
            text_align=text_align,
        ) as table:
            table.row(list(head))
            for row in rows:
                table.row([str(c) for c in row])
        self.set_font(FONT, "", BODY_PT)
        self.ln(2)

    # -- the file -----------------------------------------------------------------------------
    def to_bytes(self, password: str | None = None) -> bytes:
        """The finished PDF; with ``password``, AES-256 encrypted (needed even to open it)."""
        if password:
            self.set_encryption(
                owner_password=password,
                user_password=password,
                encryption_method=EncryptionMethod.AES_256,
                encrypt_metadata=True,
            )
        return bytes(self.output())


def _heading_style(size: float) -> object:
    from fpdf.fonts import FontFace

    return FontFace(family=FONT, emphasis="BOLD", size_pt=size, fill_color=(210, 216, 224))
