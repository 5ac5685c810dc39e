"""How SQLite's integrity report is turned into findings a person can read."""

from __future__ import annotations

from cse_screen.vault.integrity import _structure_problems


def test_a_packed_multi_line_report_becomes_one_finding_per_line() -> None:
    report = (
        "*** in database main ***\n"
        "Tree 13 page 13: btreeInitPage() returns error code 11\n"
        "Tree 16 page 16: btreeInitPage() returns error code 11\n"
        + "".join(f"Page {n}: never used\n" for n in range(26, 111))
    )
    problems = _structure_problems([(report,)])
    assert problems == [
        "the database structure is damaged: Tree 13 page 13: btreeInitPage() returns error code 11",
        "the database structure is damaged: Tree 16 page 16: btreeInitPage() returns error code 11",
        "the database structure is damaged: 85 page(s) are lost",
    ]
    assert all("\n" not in p for p in problems)


def test_ok_is_no_finding() -> None:
    assert _structure_problems([("ok",)]) == []
