"""The SSDA903 import keeps the register current from the council's return, all or nothing.

Every file here is synthetic (:mod:`synthetic_903`); the council is the records tests' one,
on both engines.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from records_fixtures import ADMIN, PASSWORD, Council, complete_answers
from sqlalchemy import func, select
from synthetic_903 import council_return, episode, header, missing, write_table

from cse_screen.errors import ImportFailed, PermissionDenied
from cse_screen.storage.models import AuditRow, Child, Event
from cse_screen.storage.records import RegisterQuery
from cse_screen.storage.services.ssda903 import import_return


def snapshot(store) -> tuple:
    """Everything an import could change, to compare before and after."""
    with store.context.reading() as session:
        children = sorted(
            tuple(str(v) for v in row)
            for row in session.execute(
                select(
                    Child.case_ref,
                    Child.dob,
                    Child.gender,
                    Child.ethnicity,
                    Child.placement_type,
                    Child.legal_status,
                    Child.next_due,
                    Child.left_care_on,
                    Child.left_care_reason,
                    Child.updated_at,
                )
            )
        )
        events = session.scalar(select(func.count(Event.id)))
        audit = session.scalar(select(func.count(AuditRow.seq)))
    return children, events, audit


def events_of(store, ref: str) -> list[tuple[str, dt.date, str | None]]:
    child = store.children.by_ref(ref)
    return sorted((e.kind, e.on_date, e.note) for e in store.events.for_child(child.id))


def test_a_clean_import(council: Council, tmp_path):
    store = council.open()
    result = import_return(store.context, council_return(tmp_path))
    assert result.as_json() == {
        "children_updated": 3,
        "placement_moves": 1,
        "missing_episodes": 2,
        "left_care": 1,
        "not_in_register": ["X9"],
        "not_in_return": ["S1"],
    }
    n1 = store.children.by_ref("N1")
    assert (n1.placement_type, n1.legal_status, n1.gender, n1.ethnicity) == (
        "K2",
        "C2",
        "F",
        "WBRI",
    )
    assert events_of(store, "N1") == [
        (
            "placement_move",
            dt.date(2026, 6, 1),
            "New placement episode: Change of placement and carer (SSDA903 return)",
        )
    ]
    n3 = store.children.by_ref("N3")
    assert (n3.gender, n3.ethnicity, n3.placement_type, n3.legal_status) == (
        "F",
        "MWBC",
        "U6",
        "C1",
    )
    assert events_of(store, "N3") == [
        (
            "away_from_placement",
            dt.date(2026, 11, 20),
            "Away from placement without authorisation from 20 Nov 2026, still open in the "
            "SSDA903 return",
        ),
        (
            "missing_episode",
            dt.date(2026, 11, 1),
            "Missing from care from 01 Nov 2026 to 02 Nov 2026 (SSDA903 return)",
        ),
    ]
    n2 = store.children.by_ref("N2")
    assert (n2.left_care_on, n2.left_care_reason) == (dt.date(2026, 10, 1), "E4A")
    assert (n2.placement_type, n2.legal_status, n2.dob) == ("U6", "V2", dt.date(2015, 2, 3))
    entry = store.audit.entries()[0]
    assert (entry.action, entry.entity) == ("import", "ssda903")
    assert entry.detail["children_updated"] == 3 and entry.detail["not_in_register"] == 1
    text = json.dumps(entry.detail)
    assert not any(ref in text for ref in ("N1", "N2", "N3", "X9", "S1"))
    assert council.verify_ok(store)


def test_a_reimport_changes_nothing(council: Council, tmp_path):
    store = council.open()
    files = council_return(tmp_path)
    import_return(store.context, files)
    children, events, audit = snapshot(store)
    again = import_return(store.context, files)
    assert again.as_json() == {
        "children_updated": 0,
        "placement_moves": 0,
        "missing_episodes": 0,
        "left_care": 0,
        "not_in_register": ["X9"],
        "not_in_return": ["S1"],
    }
    assert snapshot(store) == (children, events, audit + 1)  # only the import's own entry


def test_a_period_that_ended_since_updates_its_event(council: Council, tmp_path):
    store = council.open()
    files = council_return(tmp_path)
    import_return(store.context, files)
    periods = [
        missing("N3", "M", "01/11/2026", "02/11/2026"),
        missing("N3", "A", "20/11/2026", "22/11/2026"),
    ]
    write_table(files[2], "Missing", periods)
    again = import_return(store.context, files)
    assert again.missing_episodes == 0
    notes = [note for kind, _day, note in events_of(store, "N3") if kind == "away_from_placement"]
    assert notes == [
        "Away from placement without authorisation from 20 Nov 2026 to 22 Nov 2026 (SSDA903 return)"
    ]


def test_a_dry_run_reports_and_writes_nothing(council: Council, tmp_path):
    store = council.open()
    before = snapshot(store)
    result = import_return(store.context, council_return(tmp_path), dry_run=True)
    assert result.as_json()["children_updated"] == 3
    assert (result.placement_moves, result.missing_episodes, result.left_care) == (1, 2, 1)
    assert snapshot(store) == before


MALFORMED = {
    "unknown layout": (
        lambda d: write_table(
            d / "odd.csv", "Missing", [missing("N3", "M", "01/11/2026")], ["CHILD", "DOB", "WHEN"]
        ),
        "in odd.csv, row 1: the columns are not those of an SSDA903 table",
    ),
    "bad date": (
        lambda d: write_table(
            d / "b.csv", "Episodes", [episode("N1", "01/01/2024"), episode("N2", "31/02/2025")]
        ),
        "in b.csv, row 3, column DECOM: '31/02/2025' is not a date written as dd/mm/yyyy",
    ),
    "unknown code": (
        lambda d: write_table(d / "b.csv", "Episodes", [episode("N1", "01/01/2024", place="Q9")]),
        "in b.csv, row 2, column PLACE: 'Q9' is not an SSDA903 code for PLACE",
    ),
    "duplicate key": (
        lambda d: write_table(d / "a.csv", "Header", [header("N1"), header("N2"), header("N1")]),
        "in a.csv, row 4, column CHILD: child 'N1' appears twice (also on row 2)",
    ),
    "bad date of birth": (
        lambda d: write_table(d / "a.csv", "Header", [header("N1", dob="1/13/2012")]),
        "in a.csv, row 2, column DOB: the date of birth is not a date written as dd/mm/yyyy",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_file_is_refused_and_nothing_is_imported(council: Council, tmp_path, case):
    store = council.open()
    files = council_return(tmp_path)  # good files, then one of them broken
    make, sentence = MALFORMED[case]
    broken = make(tmp_path)
    files = [f for f in files if f.name != broken.name] + [broken]
    before = snapshot(store)
    with pytest.raises(ImportFailed) as refused:
        import_return(store.context, files)
    assert str(refused.value).startswith(sentence)
    assert "\n" not in str(refused.value)
    assert snapshot(store) == before


def test_a_date_of_birth_is_never_repeated(council: Council, tmp_path):
    store = council.open()
    future = write_table(tmp_path / "a.csv", "Header", [header("N1", dob="01/05/2099")])
    with pytest.raises(ImportFailed) as refused:
        import_return(store.context, [future])
    assert str(refused.value) == "in a.csv, row 2, column DOB: the date of birth is after today"


def test_other_tables_are_reported_as_not_used(council: Council, tmp_path):
    store = council.open()
    reviews = tmp_path / "whatever.csv"
    reviews.write_text("CHILD,DOB,REVIEW,REVIEW_CODE\nN1,01/05/2012,01/01/2026,PN1\n")
    result = import_return(store.context, [*council_return(tmp_path), reviews])
    assert result.not_used == [("whatever.csv", "Reviews")]
    with pytest.raises(ImportFailed, match="none of the files is a Header, Episodes or Missing"):
        import_return(store.context, [reviews])


def test_columns_in_any_order_and_lower_case_codes(council: Council, tmp_path):
    store = council.open()
    columns = ["URN", "CHILD", "RNE", "DECOM", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC"]
    columns += ["REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST"]
    row = episode("N1", "01/01/2024", "s", "c2", "k3")
    result = import_return(
        store.context, [write_table(tmp_path / "e.csv", "Episodes", [row], columns)]
    )
    assert result.children_updated == 1
    assert store.children.by_ref("N1").placement_type == "K3"


def test_events_from_the_import_make_the_child_due(council: Council, tmp_path, q):
    council.screen("wynn", "N3", q, complete_answers(q), day=dt.date(2026, 10, 15))
    store = council.open()
    assert store.children.by_ref("N3").next_due > dt.date(2026, 11, 1)
    import_return(store.context, council_return(tmp_path))
    assert store.children.by_ref("N3").next_due == dt.date(2026, 11, 1)
    reason = store.children.get(council.ids["N3"]).due_reason
    assert "missing episode" in reason


def test_a_child_who_left_care_leaves_the_due_counts_and_the_default_view(
    council: Council, tmp_path
):
    store = council.open()
    due_before = store.stats()["due_within_30_days"] + store.stats()["overdue"]
    import_return(store.context, council_return(tmp_path))
    n2 = store.children.by_ref("N2")
    assert n2.next_due is None
    assert store.stats()["due_within_30_days"] + store.stats()["overdue"] == due_before - 1
    shown = [r.case_ref for r in store.children.register().rows]
    assert "N2" not in shown and "N1" in shown
    left = store.children.register(RegisterQuery(care="left_care")).rows
    assert [(r.case_ref, r.left_care_on) for r in left] == [("N2", dt.date(2026, 10, 1))]
    assert len(store.children.register(RegisterQuery(care="all")).rows) == len(shown) + 1
    assert store.children.get(n2.id).name  # the record stays


def test_a_child_back_in_care_returns_to_the_register(council: Council, tmp_path):
    store = council.open()
    files = council_return(tmp_path)
    import_return(store.context, files)
    episodes = [
        episode("N2", "01/01/2025", "S", "V2", "U6", "01/10/2026", "E4A"),
        episode("N2", "01/11/2026", "S", "C1", "U6"),
    ]
    result = import_return(store.context, [write_table(files[1], "Episodes", episodes)])
    assert result.returned_to_care == 1
    n2 = store.children.by_ref("N2")
    assert (n2.left_care_on, n2.legal_status) == (None, "C1")
    assert n2.next_due is not None


def test_a_worker_may_not_import_a_return(council: Council, tmp_path):
    wes = council.open("wes")
    with pytest.raises(PermissionDenied, match="may not import an SSDA903 return"):
        import_return(wes.context, council_return(tmp_path))


def test_a_lead_changes_their_own_team_only(council: Council, tmp_path):
    sam = council.open("sam")  # South: S1 only, which is not in the return
    result = import_return(sam.context, council_return(tmp_path))
    assert result.children_updated == 0 and result.other_teams == 3
    assert result.not_in_register == ["X9"] and result.not_in_return == ["S1"]
    assert council.open().children.by_ref("N1").placement_type is None


def _cli(args: list[str], monkeypatch, capsys) -> tuple[int, str, str]:
    from cse_screen.cli import main

    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_prints_exactly_the_json_keys(file_council, tmp_path, monkeypatch, capsys):
    files = [str(p) for p in council_return(tmp_path / "return")]
    base = ["import-903", "--db", str(file_council.path), "--user", ADMIN]
    file_council.close()
    code, out, _err = _cli([*base, *files, "--dry-run", "--json"], monkeypatch, capsys)
    assert code == 0
    assert json.loads(out) == {
        "children_updated": 3,
        "placement_moves": 1,
        "missing_episodes": 2,
        "left_care": 1,
        "not_in_register": ["X9"],
        "not_in_return": ["S1"],
    }
    code, out, _err = _cli([*base, *files], monkeypatch, capsys)
    assert code == 0
    assert "updated 3 children's details; 1 placement moves, 2 missing or away episodes" in out
    assert "in the return but not in the register (1): X9" in out
    code, out, _err = _cli([*base, *files, "--json"], monkeypatch, capsys)
    assert json.loads(out)["placement_moves"] == 0  # imported already: nothing added


def test_the_command_line_refuses_a_bad_file_in_one_line(
    file_council, tmp_path, monkeypatch, capsys
):
    bad = write_table(tmp_path / "b.csv", "Episodes", [episode("N1", "1 Jan 2024")])
    base = ["import-903", "--db", str(file_council.path), "--user", ADMIN]
    file_council.close()
    code, out, err = _cli([*base, str(bad)], monkeypatch, capsys)
    assert code == 1 and out == ""
    assert err == (
        "cse-screen: error: in b.csv, row 2, column DECOM: '1 Jan 2024' is not a date written "
        "as dd/mm/yyyy\n"
    )
