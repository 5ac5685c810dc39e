"""The screening session: skip logic, progress, completeness and the result so far."""

from __future__ import annotations

import pytest

from cse_screen.core.model import Item, Questionnaire, Section
from cse_screen.core.scoring import score
from cse_screen.core.session import ScreeningSession
from cse_screen.errors import AnswersInvalid

OLDER = {"dob": "2010-05-01", "screen_date": "2026-11-01"}
YOUNGER = {"dob": "2016-05-01", "screen_date": "2026-11-01"}


def ids(things: tuple[Item, ...] | tuple[Section, ...]) -> list[str]:
    return [thing.id for thing in things]


def test_follow_up_appears_only_when_parent_present(skip: Questionnaire) -> None:
    session = ScreeningSession(skip, context=OLDER)
    assert ids(session.visible_items()) == ["B1"]
    session.set_answer("B1", "previous")
    assert ids(session.visible_items()) == ["B1", "C1"]
    session.set_answer("C1", "current")
    assert ids(session.visible_items()) == ["B1", "C1", "C2"]


def test_hidden_chain_collapses_and_stops_counting(skip: Questionnaire) -> None:
    session = ScreeningSession(skip, {"B1": "current", "C1": "current", "C2": "current"}, OLDER)
    assert session.result().outcome == "significant"
    session.set_answer("B1", "none")
    assert ids(session.visible_items()) == ["B1"]
    assert not session.is_visible("C2")
    result = session.result()
    assert result.outcome == "no_current_risk"
    assert "C1" not in result.unanswered


def test_section_by_age_and_item_by_context(skip: Questionnaire) -> None:
    older = ScreeningSession(skip, context=OLDER)
    assert ids(older.visible_sections()) == ["main"]
    younger = ScreeningSession(skip, context={**YOUNGER, "placement_type": "residential"})
    assert ids(younger.visible_sections()) == ["main", "young"]
    assert ids(younger.visible_items()) == ["B1", "P1", "Y1"]


def test_progress_and_required(skip: Questionnaire) -> None:
    session = ScreeningSession(skip, context={**YOUNGER, "placement_type": "residential"})
    assert session.progress() == (0, 3)
    assert session.missing_required() == ["B1", "Y1"]  # P1 is optional
    assert session.next_unanswered() == "B1"
    session.set_answer("B1", "current")
    assert session.progress() == (1, 4)
    assert session.missing_required() == ["C1", "Y1"]
    for item_id in ("C1", "Y1"):
        session.set_answer(item_id, "none")
    assert session.is_complete() and session.progress() == (3, 4)
    session.set_answer("C1", None)
    assert session.missing_required() == ["C1"]


def test_bad_answers_refused(skip: Questionnaire) -> None:
    session = ScreeningSession(skip)
    with pytest.raises(AnswersInvalid, match="'yes' is not an allowed answer"):
        session.set_answer("B1", "yes")
    with pytest.raises(AnswersInvalid, match="has no item 'Z1'"):
        session.set_answer("Z1", "none")
    with pytest.raises(AnswersInvalid):
        ScreeningSession(skip, {"B1": "sometimes"})


def test_answers_view_is_read_only(lac: Questionnaire) -> None:
    session = ScreeningSession(lac, {"A1": "current"})
    with pytest.raises(TypeError):
        session.answers["A1"] = "none"  # type: ignore[index]


def test_session_result_equals_score(lac: Questionnaire) -> None:
    answers = {"A2": "current", "B3": "current", "L11": "yes"}
    session = ScreeningSession(lac, answers, OLDER)
    assert session.result() == score(lac, answers, OLDER)
    assert session.is_present("A2") and not session.is_present("A1")
    assert session.progress() == (3, 69)
    assert len(session.missing_required()) == 66


def test_evidence_and_context_needed(lac: Questionnaire) -> None:
    session = ScreeningSession(lac, {"A1": "current", "A2": "none", "L1": "yes", "B1": "unknown"})
    assert session.evidence_needed() == ["A1", "L1"]
    assert session.missing_context() == ["dob", "screen_date"]
    session.set_context("dob", "2012-01-01")
    assert session.missing_context() == ["screen_date"]


def test_evidence_missing_counts_only_blank_notes(lac: Questionnaire) -> None:
    session = ScreeningSession(lac, {"A1": "current", "A2": "previous", "B1": "none"}, OLDER)
    assert session.evidence_missing({}) == ["A1", "A2"]
    assert session.evidence_missing({"A1": "  ", "A2": "seen by school"}) == ["A1"]
    assert session.evidence_missing({"A1": "police report", "A2": "school"}) == []


def test_scoring_context_takes_record_facts_and_keeps_stated_disability() -> None:
    from datetime import date

    from cse_screen.core.session import scoring_context

    built = scoring_context(
        {"trigger": "missing_episode"},
        screen_date=date(2026, 11, 1),
        dob=date(2014, 1, 2),
        disability=" Learning ",
    )
    assert built == {
        "trigger": "missing_episode",
        "screen_date": "2026-11-01",
        "dob": "2014-01-02",
        "disability": "learning",
    }
    stated = scoring_context(
        {"disability": "none"}, screen_date=date(2026, 11, 1), dob=None, disability="learning"
    )
    assert stated["disability"] == "none" and "dob" not in stated
