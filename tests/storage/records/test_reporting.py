"""The export's reading side (``storage/reporting``) on each engine: rows, the rules that
fired, period counts and history come out the same, scoped to the reader, and a whole
workbook is written from either engine."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook
from records_fixtures import Council, complete_answers

from cse_screen.core.model import Questionnaire
from cse_screen.export import ExportOptions, export_workbook
from cse_screen.storage.reporting import StoreSource

TODAY = dt.date.today()


def _screen(council: Council, q: Questionnaire) -> dict[str, int]:
    return {
        "N1": council.screen(
            "wes", "N1", q, complete_answers(q, A1="current"), TODAY - dt.timedelta(days=20)
        ),
        "N2": council.screen("wes", "N2", q, complete_answers(q), TODAY - dt.timedelta(days=5)),
        "S1": council.screen("sue", "S1", q, complete_answers(q, B3="previous"), TODAY),
        "draft": council.screen("wynn", "N3", q, complete_answers(q), TODAY, submit=False),
    }


def test_screening_rows_carry_the_rules_that_fired_and_the_answers(council: Council, q):
    ids = _screen(council, q)
    source = StoreSource(council.open(), ExportOptions())
    rows = {r.screening_id: r for r in source.screenings()}
    assert list(rows) == sorted(rows)  # in id order on every engine
    assert set(rows) == set(ids.values())
    significant = rows[ids["N1"]]
    assert significant.final_outcome == "significant" and "R1" in significant.rules
    assert significant.answers["A1"] == "current" and len(significant.answers) == len(q.items)
    assert rows[ids["S1"]].rules and rows[ids["S1"]].final_outcome == "low"
    assert rows[ids["draft"]].rules == () and rows[ids["draft"]].status == "draft"
    assert source.count_screenings() == 4 and source.count_children() == 4


def test_a_lead_reads_only_their_team_and_periods_count_completed_screenings(council, q):
    ids = _screen(council, q)
    source = StoreSource(council.open("lena"), ExportOptions())
    assert {r.screening_id for r in source.screenings()} == {ids["N1"], ids["N2"], ids["draft"]}
    assert sorted(c.case_ref for c in source.children()) == ["N1", "N2", "N3"]
    counts = source.period_counts(TODAY - dt.timedelta(days=30), TODAY)
    assert (counts.screenings, counts.children, counts.at_risk_children) == (2, 2, 1)
    assert counts.by_outcome["significant"] == 1 and counts.by_outcome["no_current_risk"] == 1
    history = list(source.history(TODAY))
    assert [(h.child_id, h.final_outcome) for h in history] == [
        (council.ids["N1"], "significant"),
        (council.ids["N2"], "no_current_risk"),
    ]
    assert [i.id for i in source.instruments()] == [q.id]


def test_a_whole_workbook_is_written_from_either_engine(council: Council, q, tmp_path):
    ids = _screen(council, q)
    out = tmp_path / "team.xlsx"
    summary = export_workbook(council.open("lena"), out, ExportOptions())
    assert (summary.children, summary.screenings) == (3, 3)
    book = load_workbook(out, read_only=True)
    cells = [c for row in book["Screenings"].iter_rows(values_only=True) for c in row]
    assert ids["N1"] in cells and ids["S1"] not in cells
    exported = council.open().audit.entries(limit=5)
    assert any(e.action == "export" and e.actor == "lena" for e in exported)
