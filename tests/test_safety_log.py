"""The hazard log (docs/safety.md) cannot drift from the code: every test it names as checking
a control exists, and every hazard is either checked by a test or marked open."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "docs" / "safety.md"
TEST_REF = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")
HAZARD = re.compile(r"^### (H-\d\d) ", re.MULTILINE)
# The hazards the safety pass was asked to drive through the real widgets, each by its test.
REQUIRED = (
    "tests/gui/test_safety_outcomes.py::test_blank_screening_shows_no_outcome",
    "tests/gui/test_safety_outcomes.py::test_unsigned_lowering_keeps_the_higher_outcome_everywhere",
    "tests/gui/test_safety_outcomes.py::test_returned_screening_risk_shows_in_register_and_dashboard",
    "tests/gui/test_safety_outcomes.py::test_queue_sign_off_refuses_a_lowering_that_was_not_opened",
    "tests/gui/test_safety_forms.py::test_typed_value_cannot_reach_choice",
    "tests/gui/test_safety_forms.py::test_unmapped_child_detail_blocks_context_page",
    "tests/gui/test_safety_forms.py::test_dob_starts_blank",
    "tests/gui/test_safety_forms.py::test_wizard_header_names_child",
    "tests/gui/test_safety_forms.py::test_discard_draft_confirms_and_audits",
)


def module_tests(path: Path) -> set[str]:
    """The test functions defined at the top level of a test module (what pytest collects)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    }


def sections(text: str) -> dict[str, str]:
    """Each hazard's id and the text of its entry, up to the next hazard."""
    found = list(HAZARD.finditer(text))
    ends = [m.start() for m in found[1:]] + [len(text)]
    return {m.group(1): text[m.start() : end] for m, end in zip(found, ends, strict=True)}


def test_every_test_the_log_names_exists():
    text = LOG.read_text(encoding="utf-8")
    refs = TEST_REF.findall(text)
    assert refs, "the hazard log names no tests"
    missing = []
    cache: dict[str, set[str]] = {}
    for file, name in refs:
        path = ROOT / file
        if not path.is_file():
            missing.append(f"{file} (no such file)")
            continue
        if name not in cache.setdefault(file, module_tests(path)):
            missing.append(f"{file}::{name}")
    assert missing == []


def test_every_hazard_is_tested_or_marked_open():
    entries = sections(LOG.read_text(encoding="utf-8"))
    ids = list(entries)
    assert ids == [f"H-{n:02d}" for n in range(1, len(ids) + 1)]  # numbered in order, none lost
    for hazard, entry in entries.items():
        for part in ("**Cause:**", "**Effect:**", "**Controls:**", "**Tests:**", "**Risk:**"):
            assert part in entry, f"{hazard} has no {part}"
        if "**Status:** open" not in entry:
            assert TEST_REF.search(entry), f"{hazard} names no test and is not marked open"


def test_the_hazards_of_the_safety_pass_are_in_the_log():
    named = {f"{file}::{name}" for file, name in TEST_REF.findall(LOG.read_text(encoding="utf-8"))}
    assert [ref for ref in REQUIRED if ref not in named] == []
