"""Quarter exports of a demo database: positions as at the quarter's last day, and the previous
quarter's figures equal to that quarter's own export."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from cse_screen.cli import main
from cse_screen.export.periods import quarter_label, quarter_of
from tests.export.helpers import block, load, table

PASSWORD = "periods export passphrase"
COMPLETED = {"submitted", "signed_off"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("periods")
    db = folder / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CSE_SCREEN_KDF", "test")
        mp.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
        for var in ("DATA", "CONFIG", "LOG"):
            mp.setenv(f"CSE_SCREEN_{var}_DIR", str(folder / var.lower()))
        assert main(["demo", "--db", str(db), "--children", "60", "--seed", "5"]) == 0
        last_q = quarter_of(quarter_of(date.today())[0] - timedelta(days=1))
        before_q = quarter_of(last_q[0] - timedelta(days=1))
        files = {}
        for name, extra in (
            ("all", []),
            ("q", ["--quarter", _q(last_q[0])]),
            ("q_before", ["--quarter", _q(before_q[0])]),
        ):
            out = folder / f"{name}.xlsx"
            args = ["export", "--db", str(db), "--user", "demo", "--out", str(out), *extra]
            assert main(args) == 0
            files[name] = load(out)
    return files, last_q, before_q


def _q(start: date) -> str:
    return quarter_label(start).replace(" ", "-")


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _hand_position(named, as_at: date) -> tuple[Counter, int, int]:
    """Latest completed screening of each child dated on or before ``as_at``, from the rows."""
    latest: dict[str, tuple[date, int, str]] = {}
    for n, row in enumerate(table(named["Screenings"])):
        day = _day(row["Screen date"])
        if row["Status"] in COMPLETED and day <= as_at:
            mark = (day, n, row["Final outcome"])
            latest[row["Case reference"]] = max(latest.get(row["Case reference"], mark), mark)
    children = len(table(named["Children"]))
    return Counter(m[2] for m in latest.values()), children, children - len(latest)


def _latest_outcomes(summary) -> dict[str, int]:
    rows = block(summary, "Latest outcome as at")
    return {r["Outcome"]: r["Children"] for r in rows if r["Outcome"] != "Total screened"}


def test_a_quarters_position_is_the_one_as_at_its_last_day(demo):
    files, (_, end), _ = demo
    by_outcome, children, never = _hand_position(files["all"], end)
    summary = files["q"]["Summary"]
    shown = _latest_outcomes(summary)
    assert {k: v for k, v in shown.items() if v} == dict(by_outcome)
    kids = {r["Measure"]: r["Children"] for r in block(summary, "Children as at")}
    assert kids["Children in scope"] == children
    assert kids["Never screened"] == never
    # and it is not simply today's position
    assert shown != _latest_outcomes(files["all"]["Summary"])


def test_the_previous_quarter_is_that_quarters_own_export(demo):
    files, _, (before_start, before_end) = demo
    this = block(files["q"]["Summary"], "This period against the previous one")
    own = block(files["q_before"]["Summary"], "This period against the previous one")
    dates = this[0]["Previous period"]
    assert dates == f"{before_start:%d/%m/%Y} – {before_end:%d/%m/%Y}"
    previous = {r["Measure"]: r["Previous period"] for r in this[1:]}
    itself = {r["Measure"]: r["This period"] for r in own[1:]}
    assert previous == itself
    assert previous["Screenings completed"] > 0
    position = block(files["q"]["Summary"], "Position as at")
    own_position = block(files["q_before"]["Summary"], "Position as at")
    then = {r["Measure"]: r[f"As at {before_end:%d/%m/%Y}"] for r in position}
    assert then == {r["Measure"]: r[f"As at {before_end:%d/%m/%Y}"] for r in own_position}


def test_changes_come_as_counts_and_percentage_points(demo):
    files, _, _ = demo
    rows = block(files["q"]["Summary"], "This period against the previous one")[1:]
    base = next(r for r in rows if r["Measure"] == "Screenings completed")
    now_base, before_base = base["This period"], base["Previous period"]
    outcome_rows = [r for r in rows if str(r["Measure"]).startswith("Screenings: ")]
    assert outcome_rows
    for row in outcome_rows:
        now, before = row["This period"], row["Previous period"]
        assert row["Change"] == now - before
        points = 100 * (now / now_base - before / before_base)
        assert row["Change (% points)"] == pytest.approx(points, abs=0.051)
