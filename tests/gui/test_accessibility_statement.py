"""The accessibility statement says what the accessibility tests check, and no more.

A council publishes ``docs/accessibility.md`` as its statement: it must name every check the
tests make (so a new check is documented) and every test it names must exist, the screens it
says were walked must be the walk's screens, its "not yet" list must not describe anything a
test now checks, and its dates must be real.
"""

from __future__ import annotations

import ast
import re
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATEMENT = ROOT / "docs" / "accessibility.md"
TESTS = ("test_accessibility.py", "test_accessibility_status.py", "test_accessibility_walker.py")
HEADINGS = (
    "Compliance status",
    "Non-accessible content",
    "Reporting accessibility problems",
    "Enforcement procedure",
    "Preparation of this accessibility statement",
    "Technical information about this software's accessibility",
)
#: What was once listed as not accessible, the words the statement used for it, and the test
#: that now checks it: none of those words may come back into the "not yet" part.
NOW_CHECKED = {
    "test_the_main_window_reflows_into_960_by_540": ("sideways", "register's table"),
    "test_pages_need_no_sideways_scrolling_at_960_wide": ("wider than the window",),
    "test_each_chart_gives_its_figures_as_words_and_as_a_table": (
        "dashboard charts",
        "dashboard's charts",
        "no table view",
    ),
    "test_focus_is_a_visible_ring_on_every_tab_stop": ("focus ring", "focus is"),
    "test_a_status_change_is_heard_only_when_announced": ("not announced", "silent"),
    "test_every_theme_colour_pair_meets_its_wcag_threshold": ("contrast below", "under 4.5"),
    "test_a_glyph_read_aloud_is_reported": ("glyph",),
}


def _text() -> str:
    return STATEMENT.read_text(encoding="utf-8")


def _test_names() -> set[str]:
    names: set[str] = set()
    for name in TESTS:
        tree = ast.parse((Path(__file__).parent / name).read_text(encoding="utf-8"))
        names |= {
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        }
    return names


def _walked_screens() -> set[str]:
    tree = ast.parse((Path(__file__).parent / "test_accessibility.py").read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign | ast.Assign):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(isinstance(t, ast.Name) and t.id == "SCREENS" for t in targets):
                assert isinstance(node.value, ast.Dict)
                return {k.value for k in node.value.keys if isinstance(k, ast.Constant)}
    raise AssertionError("test_accessibility.py has no SCREENS")


def _not_yet(text: str) -> str:
    """The parts listing what is not accessible yet (both the summary and the detail)."""
    summary = text.split("## How accessible this software is", 1)[1].split("\n## ", 1)[0]
    detail = text.split("### Non-accessible content", 1)[1].split("#### Disproportionate", 1)[0]
    return summary + detail


def test_the_statement_has_the_published_format() -> None:
    from screens_fixtures import PASSWORD

    from cse_screen.gui.a11y import SORT_KEY

    text = _text()
    for heading in HEADINGS:
        assert f"## {heading}" in text or f"### {heading}" in text, heading
    assert "WCAG 2.2" in text and "AA" in text and SORT_KEY in text
    assert PASSWORD not in text
    for name in TESTS:
        assert f"tests/gui/{name}" in text, name


def test_every_accessibility_test_is_named_and_every_name_is_a_test() -> None:
    named = set(re.findall(r"`(test_\w+)`", _text()))
    tests = _test_names()
    assert tests - named == set(), "tests the statement does not name"
    assert named - tests == set(), "names in the statement that are no test"


def test_the_screens_it_names_are_the_screens_walked() -> None:
    line = re.search(r"Screens walked:(.*?)each in the light", _text(), re.S)
    assert line is not None
    assert set(re.findall(r"`([\w-]+)`", line.group(1))) == _walked_screens()


def test_nothing_listed_as_not_yet_accessible_is_checked_by_a_test() -> None:
    not_yet = _not_yet(_text())
    assert not set(re.findall(r"test_\w+", not_yet))
    tests = _test_names()
    for test, words in NOW_CHECKED.items():
        assert test in tests, test
        for word in words:
            assert word.lower() not in not_yet.lower(), f"{word!r}: {test} checks it now"


def test_the_dates_are_real_and_in_order() -> None:
    text = " ".join(_text().split())

    def day(label: str) -> date:
        found = re.search(label + r" on (\d{1,2} \w+ \d{4})", text)
        assert found is not None, label
        return datetime.strptime(found.group(1), "%d %B %Y").date()

    prepared, reviewed, tested = day("prepared"), day("last reviewed"), day("last tested")
    assert prepared <= reviewed <= date.today()
    assert prepared <= tested <= date.today()
