"""The CSE team's candidate comparison on each engine: it streams the completed screenings a
user may see with their answers in step, re-scores them, and agrees with the scorer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from records_fixtures import Council, complete_answers

from cse_screen.core import registry
from cse_screen.core.loader import load_questionnaire
from cse_screen.core.scoring import score
from cse_screen.core.session import scoring_context
from cse_screen.errors import PermissionDenied
from cse_screen.storage.services.compare import compare_candidate

TODAY = dt.date.today()


def _two_moderate(tmp_path: Path) -> Path:
    """The default with R2 needing two current moderate items instead of three."""
    text = (registry.default_folder() / "lac-cse-screen.yaml").read_text(encoding="utf-8")
    text = text.replace(
        '  version: "1.0.0"\n  status: active', '  version: "1.0.1"\n  status: draft'
    )
    text = text.replace('    - version: "1.0.0"', '    - version: "1.0.1"')
    old = 'when: "count(tier=moderate, answer in [current, both]) >= 3"'
    assert old in text
    text = text.replace(old, 'when: "count(tier=moderate, answer in [current, both]) >= 2"')
    path = tmp_path / "candidate.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _screen(council: Council, q) -> dict[str, int]:
    two = complete_answers(q, B3="current", B4="current")  # low now, moderate under the candidate
    return {
        "N1": council.screen("wes", "N1", q, two, TODAY - dt.timedelta(days=3)),
        "N2": council.screen("wes", "N2", q, complete_answers(q, A1="current")),
        "N3": council.screen("wynn", "N3", q, complete_answers(q)),
        "S1": council.screen("sue", "S1", q, two),
        "draft": council.screen("wes", "N2", q, complete_answers(q), submit=False),
    }


def test_the_installed_version_against_itself_changes_nothing(council: Council, q):
    _screen(council, q)
    tally = compare_candidate(council.open().context, q)
    assert (tally.screenings, tally.same) == (4, 4)  # drafts are not compared
    assert not tally.up and not tally.down and not tally.not_comparable


def test_a_candidate_moves_the_screenings_it_should_within_the_leads_team(
    council: Council, q, tmp_path
):
    ids = _screen(council, q)
    candidate = load_questionnaire(_two_moderate(tmp_path))
    seen = {}
    lena = council.open("lena")
    tally = compare_candidate(lena.context, candidate, seen.__setitem__)
    assert sorted(seen) == sorted([ids["N1"], ids["N2"], ids["N3"]])  # not South's S1
    assert tally.up == [ids["N1"]] and tally.same == 2
    child = lena.children.get(council.ids["N1"])
    stored = lena.screenings.get(ids["N1"])
    context = scoring_context(
        stored.context, screen_date=stored.screen_date, dob=child.dob, disability=child.disability
    )
    answers = {k: a.value for k, a in stored.answers.items()}
    assert seen[ids["N1"]].outcome == score(candidate, answers, context).outcome == "moderate"
    with pytest.raises(PermissionDenied):
        compare_candidate(council.open("wes").context, candidate)
