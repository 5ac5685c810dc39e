"""A version installed in the database (not shipped) that adds an outcome, "harm identified":
ranked, counted, labelled and coloured from its definition by the register, stats, the
dashboard and the export, on each engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from records_fixtures import Council, complete_answers

from cse_screen.core import registry
from cse_screen.core.loader import load_text
from cse_screen.core.model import Questionnaire
from cse_screen.export import ExportOptions, export_workbook
from cse_screen.storage.records import RegisterQuery
from cse_screen.storage.reporting import StoreSource
from cse_screen.storage.services import dashboard

HARM = """  - id: harm_identified
    label: "Harm identified"
    colour: "#6A1B9A"
    actions:
      - "Hold a strategy discussion today."
    review_after_days: 14

scoring:"""


def harm_version() -> tuple[Questionnaire, str]:
    """The default as 2.0.0 with a fifth, highest outcome that floor O1 raises to."""
    text = (registry.default_folder() / "lac-cse-screen.yaml").read_text(encoding="utf-8")
    text = text.replace('  version: "1.0.0"', '  version: "2.0.0"')
    text = text.replace('    - version: "1.0.0"', '    - version: "2.0.0"')
    text = text.replace("\n\nscoring:", "\n" + HARM, 1)
    old = '      at_least: significant\n      description: "A harm indicator'
    assert old in text
    text = text.replace(
        old, '      at_least: harm_identified\n      description: "A harm indicator'
    )
    return load_text(text, "lac-cse-screen-2.0.yaml"), text


@pytest.fixture(autouse=True)
def _forget() -> Iterator[None]:
    """The made-up version must not leak into other tests' outcome scales."""
    yield
    registry.forget_offered()


def test_an_installed_outcome_is_ranked_counted_and_exported(council: Council, q, tmp_path: Path):
    harm = next(i.id for i in q.items if i.tier == "harm")
    council.screen("wes", "N2", q, complete_answers(q, A1="current"))  # significant, 1.0.0
    admin = council.open()
    admin.versions.activate("1.0.0", dt.date.today() - dt.timedelta(days=400))
    new, text = harm_version()
    admin.versions.install(new, text, active_from=dt.date.today() - dt.timedelta(days=5))
    wes = council.open("wes")
    draft = wes.screenings.start_draft(council.ids["N1"])
    assert draft.instrument_version == "2.0.0"
    wes.screenings.save_answers(draft.id, complete_answers(new, **{harm: "current"}))
    assert wes.screenings.submit(draft.id).computed_outcome == "harm_identified"

    lena = council.open("lena")
    page = lena.children.register(RegisterQuery(sort="outcome", descending=True))
    assert [r.case_ref for r in page.rows][:2] == ["N1", "N2"]  # harm identified ranks highest
    by_outcome = lena.stats()["screenings"]["by_outcome"]
    assert by_outcome["harm_identified"] == 1 and by_outcome["significant"] == 1
    months = dashboard.compute(lena.context).months
    assert sum(m.by_outcome.get("harm_identified", 0) for m in months) == 1

    outcomes = StoreSource(lena, ExportOptions()).meta().outcomes
    assert [o.id for o in outcomes][-2:] == ["significant", "harm_identified"]
    assert (outcomes[-1].label, outcomes[-1].colour) == ("Harm identified", "#6A1B9A")
    out = tmp_path / "export.xlsx"
    export_workbook(lena, out, ExportOptions())
    cells = [
        c
        for ws in load_workbook(out, read_only=True)
        for row in ws.iter_rows(values_only=True)
        for c in row
    ]
    assert "Harm identified" in cells
