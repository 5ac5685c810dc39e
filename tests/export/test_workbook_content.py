"""A real export, opened sheet by sheet, checked against the database it came from."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from cse_screen.export import ExportOptions, export_workbook
from cse_screen.storage.models import Answer, Screening
from cse_screen.storage.records import RegisterQuery
from tests.export.helpers import all_parts, labelled, load, rows, table

SHEETS = [
    "Summary",
    "Key questions",
    "Children",
    "Screenings",
    "Indicators",
    "Trends",
    "Data quality",
    "Notes",
    "About",
]


@pytest.fixture
def exported(admin_store, tmp_path):
    out = tmp_path / "report.xlsx"
    summary = export_workbook(admin_store, out, ExportOptions())
    return out, summary


def _labels(store):
    from cse_screen.core import registry

    return {o.id: o.label for o in registry.get_questionnaire().outcomes}


def test_every_sheet_is_present_in_reading_order(exported):
    out, summary = exported
    assert load(out).sheetnames == SHEETS
    assert list(summary.sheets) == SHEETS


def test_summary_counts_equal_stats(exported, admin_store):
    out, _ = exported
    stats = admin_store.stats()
    summary = labelled(load(out)["Summary"])
    labels = _labels(admin_store)
    assert summary["Children in scope"][0] == stats["children"]
    assert summary["Overdue for re-screening"][0] == stats["overdue"]
    assert summary["Never screened"][0] == stats["not_screened"]
    assert summary["Re-screen due in the next 30 days"][0] == stats["due_within_30_days"]
    for outcome, count in stats["screenings"]["by_outcome"].items():
        assert summary[labels[outcome]][0] == count, outcome
    assert summary["Awaiting a team lead's sign-off"][0] == stats["awaiting_signoff"]
    assert summary["Screenings (any status)"][0] == stats["screenings"]["total"]


def test_children_sheet_has_latest_outcome_per_child(exported, admin_store):
    out, _ = exported
    stats = admin_store.stats()
    children = table(load(out)["Children"])
    assert len(children) == stats["children"]
    labels = _labels(admin_store)
    shown = Counter(c["Latest outcome"] for c in children if c["Latest outcome"])
    assert shown == {labels[o]: n for o, n in stats["screenings"]["by_outcome"].items() if n}
    assert sum(1 for c in children if c["Overdue"] == "Yes") == stats["overdue"]
    page = admin_store.children.register(RegisterQuery(limit=500))
    by_ref = {r.case_ref: r for r in page.rows}
    for child in children:
        record = by_ref[child["Case reference"]]
        assert child["Name"] == record.name
        assert child["Date of birth"].date() == record.dob
        assert (child["Next due"].date() if child["Next due"] else None) == record.next_due


def test_screenings_sheet_one_row_per_screening_with_indicator_columns(exported, admin_store):
    out, _ = exported
    stats = admin_store.stats()
    screenings = table(load(out)["Screenings"])
    assert len(screenings) == stats["screenings"]["total"]
    assert Counter(s["Status"] for s in screenings) == {
        k: v for k, v in stats["screenings"]["by_status"].items() if v
    }
    with admin_store.reading() as session:
        answers = {(a.screening_id, a.item_id): a.value for a in session.scalars(select(Answer))}
        reasons = {s.id: s.override_reason for s in session.scalars(select(Screening))}
    for row in screenings:
        sid = row["Screening ID"]
        for item in ("A1", "F2", "L11", "M3"):
            assert row[item] == answers.get((sid, item)), (sid, item)
        assert row["Override reason"] == reasons[sid]
        assert row["Instrument"] == "lac-cse-screen"
    overridden = [r for r in screenings if r["Overridden"] == "Yes"]
    assert {r["Screening ID"] for r in overridden} == {k for k, v in reasons.items() if v}


def test_indicator_prevalence_matches_the_answers(exported, admin_store):
    out, _ = exported
    indicators = {r["Indicator"]: r for r in table(load(out)["Indicators"], header_row=3)}
    with admin_store.reading() as session:
        done = select(Screening.id).where(Screening.status.in_(("submitted", "signed_off")))
        present = Counter(
            item
            for item, value in session.execute(
                select(Answer.item_id, Answer.value).where(Answer.screening_id.in_(done))
            )
            if value in ("current", "previous", "both", "yes")
        )
        completed = len(session.scalars(done).all())
        children = Counter(
            item
            for item, _ in set(
                session.execute(
                    select(Answer.item_id, Screening.child_id)
                    .join(Screening, Screening.id == Answer.screening_id)
                    .where(
                        Answer.screening_id.in_(done),
                        Answer.value.in_(("current", "previous", "both", "yes")),
                    )
                )
            )
        )
        screened = len(
            set(session.scalars(select(Screening.child_id).where(Screening.id.in_(done))))
        )
    assert len(indicators) == 69
    for item, row in indicators.items():
        assert row["Screenings"] == present.get(item, 0), item
        assert row["Children"] == children.get(item, 0), item
        assert row["% of children screened"] == pytest.approx(children.get(item, 0) / screened)
        assert row["% of completed screenings"] == pytest.approx(present.get(item, 0) / completed)


def test_trends_add_up_to_completed_screenings(exported, admin_store):
    out, _ = exported
    stats = admin_store.stats()["screenings"]["by_status"]
    rows_ = table(load(out)["Trends"], header_row=3)
    months, total = rows_[:-1], rows_[-1]
    completed = stats["submitted"] + stats["signed_off"]
    assert sum(m["Completed screenings"] for m in months) == completed
    assert total["Month"] == "Total" and total["Completed screenings"] == completed
    assert all(isinstance(m["Month"], datetime) and m["Month"].day == 1 for m in months)


def test_data_quality_counts_returned_and_drafts(exported, admin_store):
    out, _ = exported
    stats = admin_store.stats()
    dq = labelled(load(out)["Data quality"])
    assert (
        dq["Screenings returned to the worker"][0] == stats["screenings"]["by_status"]["returned"]
    )
    assert dq["Drafts not yet submitted"][0] == stats["screenings"]["by_status"]["draft"]
    assert dq["Children overdue for re-screening"][0] == stats["overdue"]


def test_about_says_who_what_and_how(exported, admin_store):
    out, summary = exported
    about = labelled(load(out)["About"])
    assert about["Exported by"][0] == "admin"
    assert about["Pseudonymised"][0].startswith("No")
    assert about["Password protected"][0] == "No"
    assert about["Children rows"][0] == summary.children
    assert about["Screening rows"][0] == summary.screenings
    assert any(r[0] == "lac-cse-screen" and r[2] == "1.0.0" for r in rows(load(out)["About"]))


def test_excel_conventions(exported):
    out, _ = exported
    wb = load(out)
    children, screenings = wb["Children"], wb["Screenings"]
    assert children.freeze_panes == "C2" and screenings.freeze_panes == "D2"
    assert children.auto_filter.ref.startswith("A1:")
    assert screenings.auto_filter.ref.startswith("A1:")
    assert children["A1"].font.bold and children["A1"].fill.fgColor.rgb.endswith("1F3864")
    dob = children["C2"]
    assert dob.is_date and dob.number_format == "DD/MM/YYYY"
    assert children.column_dimensions["B"].width >= 20
    outcome_cells = [r[12] for r in children.iter_rows(min_row=2) if r[12].value]
    assert any(c.fill.fgColor.rgb.endswith("C62828") for c in outcome_cells)
    with zipfile.ZipFile(out) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        # risk indicators (55: three parts of a printed page each), vulnerabilities, trends
        assert len(charts) == 5
        core = archive.read("docProps/core.xml").decode()
    props = wb.properties
    assert props.creator == "cse-screen" and props.lastModifiedBy == "cse-screen"
    assert "openpyxl" not in all_parts(out).lower()
    assert "admin" not in core


def test_filters_narrow_children_and_screenings(admin_store, tmp_path):
    out = tmp_path / "north.xlsx"
    start = date.today() - timedelta(days=200)
    options = ExportOptions(team="North", date_from=start, date_to=date.today())
    summary = export_workbook(admin_store, out, options)
    children = table(load(out)["Children"])
    north = admin_store.children.register(RegisterQuery(team="North", limit=500)).total
    assert len(children) == summary.children == north
    assert {c["Team"] for c in children} == {"North"}
    screenings = table(load(out)["Screenings"])
    assert screenings and all(s["Team"] == "North" for s in screenings)
    assert all(s["Screen date"].date() >= start for s in screenings)
    assert len(screenings) == summary.screenings


def test_a_lead_exports_only_their_team(export_db, tmp_path):
    from cse_screen.vault.store import Store
    from tests.export.conftest import PASSWORD

    with Store.open(export_db, "lead1", PASSWORD) as lead:
        export_workbook(lead, tmp_path / "lead.xlsx", ExportOptions())
        stats = lead.stats()
    children = table(load(tmp_path / "lead.xlsx")["Children"])
    assert {c["Team"] for c in children} == {"North"}
    assert len(children) == stats["children"]


def test_nothing_hidden_or_linked_in_the_file(exported):
    """Scenario 33: no hidden sheets, rows or columns; no comments, links, pivots or macros."""
    out, _ = exported
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        workbook_xml = archive.read("xl/workbook.xml").decode()
        sheets_xml = [archive.read(n).decode() for n in names if n.startswith("xl/worksheets/")]
    forbidden = ("comments", "externalLink", "pivotCache", "pivotTable", "vbaProject", "printer")
    assert not [n for n in names if any(word in n for word in forbidden)]
    assert 'state="hidden"' not in workbook_xml and 'state="veryHidden"' not in workbook_xml
    for xml in sheets_xml:
        assert 'hidden="1"' not in xml
    defined = re.findall(r'<definedName[^>]*name="([^"]+)"', workbook_xml)
    assert all(name.startswith("_xlnm.") for name in defined), defined


def test_rules_fired_and_changes_match_the_database(exported, admin_store):
    out, _ = exported
    from cse_screen.core import registry

    q = registry.get_questionnaire()
    ranks = {o.id: o.rank for o in q.outcomes}
    with admin_store.reading() as session:
        done = session.scalars(
            select(Screening).where(Screening.status.in_(("submitted", "signed_off")))
        ).all()
        fired = Counter(r for s in done for r in (s.result or {}).get("rules", []))
        by_child: dict[int, list] = {}
        for s in done:
            by_child.setdefault(s.child_id, []).append((s.screen_date, s.id, s.final_outcome))
    moves = Counter()
    for marks in by_child.values():
        if len(marks) >= 2:
            before, after = (ranks[m[2]] for m in sorted(marks)[-2:])
            moves["Higher" if after > before else "Lower" if after < before else "Unchanged"] += 1
    wb = load(out)
    indicators = labelled(wb["Indicators"])
    assert fired, "the test data should fire some rules"
    for rule in (*q.scoring.rules, *q.scoring.floors):
        assert indicators[rule.id][5] == fired.get(rule.id, 0), rule.id
        assert indicators[rule.id][1] == rule.description
    summary = labelled(wb["Summary"])
    for label in ("Higher", "Lower", "Unchanged"):
        assert summary[label][0] == moves.get(label, 0), label


def test_breakdowns_by_age_band_and_gender_cover_every_child(exported, admin_store):
    out, _ = exported
    from cse_screen.export.privacy import AGE_BANDS

    children = admin_store.stats()["children"]
    summary = labelled(load(out)["Summary"])
    bands = [summary[label][0] for _, _, label in AGE_BANDS if label in summary]
    assert sum(bands) == children
    assert summary["Female"][0] == children  # the gender code's label, as a reader knows it


def test_an_empty_database_still_exports(tmp_path):
    from cse_screen.export.listsource import ListSource
    from cse_screen.export.workbook import build_workbook
    from tests.export import rowfactory

    source = ListSource.from_lists(rowfactory.meta(), [rowfactory.instrument()], [], [])
    built = build_workbook(source, ExportOptions(pseudonymise=True, row_level=True))
    out = tmp_path / "empty.xlsx"
    out.write_bytes(built.data.getvalue())
    wb = load(out)
    assert wb.sheetnames == SHEETS
    assert table(wb["Children"]) == [] and table(wb["Screenings"]) == []
    assert labelled(wb["Summary"])["Children in scope"][0] == 0


def test_long_indicator_and_rule_texts_get_rows_tall_enough(exported):
    """LibreOffice keeps the default row height for wrapped text: the rows must say how tall."""
    out, _ = exported
    sheet = load(out)["Indicators"]
    texts = [row for row in sheet.iter_rows(min_row=4) if isinstance(row[2].value, str)]
    long_rows = [row for row in texts if len(row[2].value) > 70]
    assert long_rows, "the default instrument has indicator and rule texts that need wrapping"
    for row in long_rows:
        height = sheet.row_dimensions[row[2].row].height
        assert height is not None and height >= 30, (row[0].value, height)
    short = next(row for row in texts if len(row[2].value) < 50)
    assert sheet.row_dimensions[short[2].row].height is None
