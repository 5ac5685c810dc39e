"""The report to Cabinet: the board workbook's figures, pseudonymised, for leads and admins."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cse_screen.cli import main
from cse_screen.documents.board_figures import board_figures
from cse_screen.documents.service import DocumentRefused, save_board_report
from cse_screen.errors import EXIT_AUTH
from cse_screen.export import ExportOptions, export_workbook
from cse_screen.export.headings import uk
from tests.documents.conftest import PASSWORD, TODAY, has, pdf_text
from tests.export.helpers import block, load, table

START, END = TODAY - timedelta(days=200), TODAY - timedelta(days=10)


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _change(text: str) -> int | None:
    return None if text == "[c]" else int(text.replace(",", ""))


def _summary(store, tmp_path, start: date, end: date):
    out = tmp_path / f"board-{start}.xlsx"
    export_workbook(store, out, ExportOptions(date_from=start, date_to=end, pseudonymise=True))
    return load(out)


def test_figures_equal_the_board_workbooks(seeded, open_store, tmp_path):
    store = open_store("admin")
    figures = board_figures(store, START, END)
    summary = _summary(store, tmp_path, START, END)["Summary"]
    suppressed = 0

    kids = {r["Measure"]: r for r in block(summary, "Children as at")}
    assert figures.children
    for line in figures.children:
        assert line.now == _cell(
            kids[line.label.replace("Looked-after children", "Children")]["Children"]
        ), line
    now_col, before_col = f"As at {uk(figures.as_at)}", f"As at {uk(figures.before_at)}"
    position = {r["Measure"]: r for r in block(summary, "Position as at")}
    for line in figures.position:
        row = position[line.label]
        assert (line.now, line.before) == (_cell(row[now_col]), _cell(row[before_col])), line
        assert _change(line.change) == row["Change"], line
        suppressed += line.now in ("<5", "[c]")
    activity = {r["Measure"]: r for r in block(summary, "This period against the previous one")}
    for line in figures.activity:
        row = activity[line.label]
        assert (line.now, line.before) == (_cell(row["This period"]), _cell(row["Previous period"]))
        assert _change(line.change) == row["Change"], line
    moves = {r["Latest outcome against the one before"]: r for r in block(summary, "Change since")}
    assert figures.moves == [(k, _cell(moves[k]["Children"])) for k, _ in figures.moves]
    teams = block(summary, "By team as at")
    assert [r[0] for r in figures.teams] == [r["Team"] for r in teams]
    for board_row, sheet_row in zip(figures.teams, teams, strict=True):
        assert board_row[1:] == [_cell(sheet_row[h]) for h in figures.team_head[1:]]
    assert suppressed, "the seeded data should exercise disclosure control"


def test_the_trend_equals_the_trends_sheet_of_its_twelve_months(seeded, open_store, tmp_path):
    store = open_store("admin")
    figures = board_figures(store, START, END)
    assert len(figures.trend) == 12
    first = figures.trend[0].month
    trends = table(_summary(store, tmp_path, first, END)["Trends"], header_row=3)
    months = [r for r in trends if r["Month"] != "Total"]
    assert [r["Month"].date() for r in months] == [m.month for m in figures.trend]
    for month, row in zip(figures.trend, months, strict=True):
        assert month.screenings == _cell(row["Completed screenings"])
        assert [month.shown[o.id] for o in figures.outcomes] == [
            _cell(row[o.label]) for o in figures.outcomes
        ]


def test_the_pdf_names_no_child_and_reads_as_a_report(seeded, open_store, tmp_path):
    store = open_store("lead1")
    out = tmp_path / "cabinet.pdf"
    save_board_report(store, START, END, out)
    text = pdf_text(out.read_bytes())
    for phrase in (
        "report to Cabinet",
        "Trend over the last 12 months",
        "By team as at",
        "Overdue for re-screening",
        "Pseudonymised",
        "OFFICIAL-SENSITIVE",
        "page 1 of",
    ):
        assert has(text, phrase), phrase
    squashed = "".join(text.split())
    for secret in seeded.names + seeded.refs + seeded.notes + ["worker1", "Wren Ashdown"]:
        assert "".join(secret.split()) not in squashed, secret
    for dob in seeded.dobs:
        assert f"{dob:%d/%m/%Y}" not in text and dob.isoformat() not in text
    entry = store.audit.entries(limit=1)[0]
    assert (entry.action, entry.entity, entry.detail["pseudonymised"]) == ("export", "board", True)


def test_only_leads_and_admins(seeded, open_store, tmp_path, monkeypatch, capsys):
    out = tmp_path / "w.pdf"
    with pytest.raises(DocumentRefused):
        save_board_report(open_store("worker1"), START, END, out)
    assert not out.exists()
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
    args = ["report", "board", "--db", str(seeded.db), "--from", f"{START}", "--to", f"{END}"]
    assert main([*args, "--user", "worker1", "--out", str(out)]) == EXIT_AUTH
    assert capsys.readouterr().err.count("\n") == 1 and not out.exists()
    assert main([*args, "--user", "lead1", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    bad = ["report", "board", "--db", str(seeded.db), "--user", "lead1", "--out", str(out)]
    assert main([*bad, "--from", f"{END}", "--to", f"{START}"]) == 2
    assert main([*bad, "--from", "2026-02-30", "--to", f"{END}"]) == 2
