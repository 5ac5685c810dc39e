"""The board file attacked as a reader would: every table against its own totals.

The attacker here is written apart from the export's own check: it reads the saved workbook,
turns each table's rows, columns and totals into equations, gives every ``<5`` the range 1 to 4
and every ``[c]`` the range 0 upwards, and tightens the ranges by integer interval propagation
(subtracting what is known, chained as far as it goes). Nothing withheld may come out exact.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from cse_screen.export import ExportOptions
from cse_screen.export.disclosure import Disclosure
from cse_screen.export.listsource import ListSource
from cse_screen.export.workbook import build_workbook
from tests.export import rowfactory
from tests.export.helpers import load, rows

MARKERS = ("<5", "[c]")
BIG = 10**9
OUTCOME_LABELS = [o.label for o in rowfactory.OUTCOMES]


def varied_source(n_children: int = 160, seed: int = 7) -> ListSource:
    """Children spread thinly over teams, ethnicities, placements: many small cells."""
    rng = random.Random(seed)
    outcomes = [o.id for o in rowfactory.OUTCOMES]
    kids = []
    for i in range(1, n_children + 1):
        outcome = rng.choice([*outcomes, outcomes[0], outcomes[1], None])
        kid = rowfactory.child(i, outcome=outcome)
        kids.append(
            replace(
                kid,
                team=rng.choice(["North", "North", "South", "South", "East", "West"]),
                gender=rng.choice(["Female", "Female", "Male", "Male", "Non-binary"]),
                ethnicity=rng.choice(["White British"] * 4 + ["Black African", "Roma", "Mixed"]),
                disability=rng.choice([None, None, "Yes", "No"]),
                placement_type=rng.choice(["Foster care"] * 3 + ["Residential", "Kinship"]),
                dob=kid.dob - timedelta(days=rng.randrange(0, 3000)),
            )
        )
    screenings = [
        rowfactory.screening(i, kids[i % n_children], rng)
        for i in range(1, 3 * n_children)
        if kids[i % n_children].latest_outcome
    ]
    return ListSource.from_lists(rowfactory.meta(), [rowfactory.instrument()], kids, screenings)


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    built = build_workbook(varied_source(), ExportOptions(pseudonymise=True))
    out = tmp_path_factory.mktemp("board") / "board.xlsx"
    out.write_bytes(built.data.getvalue())
    return load(out)


def blocks(ws: Any) -> list[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    """Each run of rows under a styled header row: (headings, rows)."""
    found = []
    values = rows(ws)
    for index, row in enumerate(ws.iter_rows()):
        first = row[0]
        if first.value is None or first.fill is None or first.fill.fgColor.rgb != "001F3864":
            continue
        body = []
        for following in values[index + 1 :]:
            if all(v is None for v in following):
                break
            body.append(following)
        found.append((values[index], body))
    return found


def bound(value: Any) -> tuple[int, int] | None:
    if value == "<5":
        return (1, 4)
    if value == "[c]":
        return (0, BIG)
    if isinstance(value, int) and not isinstance(value, bool):
        return (value, value)
    return None


def propagate(cells: dict[Any, tuple[int, int]], equations: list[tuple[list[Any], Any]]):
    changed = True
    while changed:
        changed = False
        for members, total in equations:
            lo = sum(cells[m][0] for m in members)
            hi = sum(cells[m][1] for m in members)
            t = cells[total]
            nt = (max(t[0], lo), min(t[1], hi))
            if nt != t:
                cells[total], changed = nt, True
            for m in members:
                c = cells[m]
                nc = (max(c[0], nt[0] - (hi - c[1])), min(c[1], nt[1] - (lo - c[0])))
                if nc != c:
                    cells[m], changed = nc, True
                    lo, hi = lo + nc[0] - c[0], hi + nc[1] - c[1]
    return cells


def attack(grid: dict[Any, Any], equations: list[tuple[list[Any], Any]]) -> list[Any]:
    """The withheld cells the equations pin down to a single value."""
    cells = {key: bound(value) for key, value in grid.items()}
    cells = {k: v for k, v in cells.items() if v is not None}
    usable = [
        (members, total)
        for members, total in equations
        if total in cells and all(m in cells for m in members)
    ]
    solved = propagate(dict(cells), usable)
    return [k for k, v in solved.items() if grid[k] in MARKERS and v[1] - v[0] < 1]


def equations_for(heads: tuple[Any, ...], body: list[tuple[Any, ...]]):
    """Rows and columns of a table with its totals, as the reader sees them."""
    col = {h: i for i, h in enumerate(heads) if isinstance(h, str)}
    grid = {(r, c): v for r, row in enumerate(body) for c, v in enumerate(row)}
    equations: list[tuple[list[Any], Any]] = []
    outcome_cols = [col[label] for label in OUTCOME_LABELS if label in col]
    has_total_row = body and body[-1][0] in ("Total", "Total screened")
    if "Not yet screened" in col and "Children" in col:  # a breakdown of children
        for r in range(len(body)):
            members = [(r, col["Not yet screened"])] + [(r, c) for c in outcome_cols]
            equations.append((members, (r, col["Children"])))
    present_when = [i for h, i in col.items() if h.startswith("Present when")]
    if present_when:  # indicators: screenings with it present = present when each outcome
        for r in range(len(body)):
            equations.append(([(r, c) for c in present_when], (r, col["Screenings"])))
    if "Completed screenings" in col:  # trends by month
        for r in range(len(body)):
            equations.append(([(r, c) for c in outcome_cols], (r, col["Completed screenings"])))
    if has_total_row:
        last = len(body) - 1
        for c in range(1, len(heads)):
            equations.append(([(r, c) for r in range(last)], (last, c)))
    labels = {row[0]: r for r, row in enumerate(body) if isinstance(row[0], str)}
    value_cols = (
        [1, 3] if len(heads) > 3 and heads[3] and str(heads[3]).startswith("As at") else [1]
    )
    if {"Children in scope", "Screened at least once", "Never screened"} <= labels.keys():
        for c in value_cols:
            parts = [(labels["Screened at least once"], c), (labels["Never screened"], c)]
            equations.append((parts, (labels["Children in scope"], c)))
    latest = [r for label, r in labels.items() if label.startswith("Latest outcome: ")]
    if latest:
        for c in value_cols:
            equations.append(([(r, c) for r in latest], (labels["Screened at least once"], c)))
    if "Screenings completed" in labels:
        outcome_rows = [r for label, r in labels.items() if label.startswith("Screenings: ")]
        for c in (col["This period"], col["Previous period"]):
            equations.append(([(r, c) for r in outcome_rows], (labels["Screenings completed"], c)))
    return grid, equations


def test_the_board_file_suppresses_something_and_holds_no_small_count(board):
    seen = {value for ws in board for row in rows(ws) for value in row}
    assert "<5" in seen and "[c]" in seen
    for ws in board:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, int) and "%" not in cell.number_format:
                    assert not 0 < value < 5, (ws.title, cell.coordinate)


def test_no_withheld_cell_is_recovered_from_its_tables_totals(board):
    attacked = 0
    for ws in board:
        for heads, body in blocks(ws):
            grid, equations = equations_for(heads, body)
            attacked += bool(equations)
            recovered = attack(grid, equations)
            assert not recovered, (ws.title, heads[0], recovered[:5])
    assert attacked >= 10


def test_no_share_or_change_gives_a_withheld_count_back(board):
    for ws in board:
        for heads, body in blocks(ws):
            for row in body:
                for i, head in enumerate(heads):
                    if not isinstance(head, str) or i == 0:
                        continue
                    value = row[i] if i < len(row) else None
                    if head.startswith("%") or head.startswith("Change"):
                        count = row[i - 1]
                        if count in MARKERS:
                            assert not isinstance(value, (int, float)), (ws.title, row[0], head)
            if heads[:2] == ("Measure", "This period"):
                for row in body:
                    if row[1] in MARKERS or row[3] in MARKERS:
                        assert row[5] is None and row[6] is None, row[0]


def test_a_row_with_one_small_count_and_its_total_is_protected():
    """The East row of the issue: 154 = 135 + 9 + 7 + 3 must not give the 3 back."""
    d = Disclosure()
    cells = {"a": 135, "b": 9, "c": 7, "d": 3}
    for key, value in cells.items():
        d.cell(key, value)
    d.cell("total", 154)
    d.equation(list(cells), "total")
    d.protect()
    assert d.marker("d") == "<5"
    assert d.marker("c") == "[c]"  # the next smallest goes with it
    bounds = d.attack()
    assert bounds["d"][1] - bounds["d"][0] >= 1 and bounds["c"][1] - bounds["c"][0] >= 1


def test_a_count_shared_by_two_tables_is_withheld_in_both():
    d = Disclosure()
    for key, value in {"x": 3, "y": 40, "z": 50, "t1": 43, "w": 30, "t2": 80}.items():
        d.cell(key, value)
    d.equation(["x", "y"], "t1")
    d.equation(["t1", "w", "x"], "t2")  # x appears again beside other counts
    d.protect()
    assert d.withheld("x")
    bounds = d.attack()
    assert all(bounds[k][1] - bounds[k][0] >= 1 for k in ("x", "y", "t1") if d.withheld(k))
