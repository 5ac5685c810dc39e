"""The expression language: what conditions mean, and what is refused at load time."""

from __future__ import annotations

import pytest

from cse_screen.core.expr_parser import ExprError, Symbols, parse_condition
from cse_screen.core.expressions import Env
from cse_screen.core.loader_parts import symbols_for
from cse_screen.core.model import Questionnaire


@pytest.fixture(scope="module")
def symbols(lac: Questionnaire) -> Symbols:
    return symbols_for(lac.sections, lac.answer_types, lac.context_fields)


def holds(symbols: Symbols, source: str, answers: dict[str, str], **context: object) -> bool:
    return parse_condition(source, symbols).truth(Env(answers, context))


@pytest.mark.parametrize(
    ("source", "answers", "context", "expected"),
    [
        ("age_at_screen < 13", {}, {"age_at_screen": 12}, True),
        ("age_at_screen < 13", {}, {"age_at_screen": 13}, False),
        ("age_at_screen < 13", {}, {"age_at_screen": None}, False),
        ("disability == 'learning' or L11 == 'yes'", {"L11": "yes"}, {}, True),
        (
            "disability == 'learning' or L11 == 'yes'",
            {"L11": "no"},
            {"disability": "learning"},
            True,
        ),
        ("disability == 'learning' or L11 == 'yes'", {"L11": "unknown"}, {}, False),
        (
            "count(tier=moderate, answer in [current, both]) >= 3",
            {"A2": "current", "A3": "both", "B3": "current"},
            {},
            True,
        ),
        (
            "count(tier=moderate, answer in [current, both]) >= 3",
            {"A2": "current", "A3": "both", "B3": "previous"},
            {},
            False,
        ),
        ("any(kind=harm_indicator, present)", {"M1": "previous"}, {}, True),
        ("any(kind=harm_indicator, present)", {"M1": "unknown"}, {}, False),
        ("none(kind=harm_indicator, present)", {}, {}, True),
        ("not any(tier=significant, current)", {"A1": "previous"}, {}, True),
        ("any(tier=significant, previous)", {"A1": "both"}, {}, True),
        (
            "count(section=online, present) == 2",
            {"D1": "current", "D2": "previous", "A1": "current"},
            {},
            True,
        ),
        ("count(id in [A1, A2], current) == 1", {"A1": "current", "A2": "previous"}, {}, True),
        (
            "count(tier not in [moderate, low], answer != none, present) == 1",
            {"A1": "current", "A2": "current"},
            {},
            True,
        ),
        ("count(unknown) == 2", {"A1": "unknown", "L1": "unknown", "L2": "no"}, {}, True),
        ("A1 not in [none, unknown]", {"A1": "previous"}, {}, True),
        ("A1 != 'none'", {}, {}, True),
        ("A1 == null", {}, {}, True),
        ("sources in [police, health]", {}, {"sources": ["carer", "police"]}, True),
        ("sources in [police, health]", {}, {"sources": ["carer"]}, False),
        ("missing_episodes >= 3", {}, {"missing_episodes": 3}, True),
        ("missing_episodes >= 3", {}, {"missing_episodes": "3"}, False),
        ("true or false and false", {}, {}, True),
        ("(true or false) and false", {}, {}, False),
        ("not not true", {}, {}, True),
    ],
)
def test_meaning(
    symbols: Symbols,
    source: str,
    answers: dict[str, str],
    context: dict[str, object],
    expected: bool,
) -> None:
    assert holds(symbols, source, answers, **context) is expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("Z9 == 'yes'", "unknown name 'Z9'"),
        ("__import__('os')", "unknown name '__import__'"),
        ("A1 < 3", "'<' compares numbers only"),
        ("count(tier=moderate", "expected ','"),
        ("count(tier=moderate) and true", "both sides of 'and' must be conditions"),
        ("and", "cannot start a comparison"),
        ("true true", "expected 'and', 'or' or the end but found 'true'"),
        ("A1 == $x", "unexpected character '$'"),
        ("count(colour=red) > 1", "unknown filter 'colour'"),
        ("count(tier=sever) > 1", "unknown tier 'sever'"),
        ("count(kind in [risky]) > 1", "unknown kind 'risky'"),
        ("count(answer=maybe) > 1", "unknown answer 'maybe'"),
        ("count(section=nowhere) > 1", "unknown section 'nowhere'"),
        ("count(id=Q1) > 1", "unknown id 'Q1'"),
        ("A1 in [curent]", "'curent' is not a value of item A1"),
        ("gender == 'f'", "'f' is not a value of context field gender"),
        ("count > 1", "'count' must be followed by '('"),
        ("A1", "must be a condition"),
        ("not 3", "'not' must be followed by a condition"),
        ("", "expected a name, a number or a quoted value at the end"),
    ],
)
def test_refused(symbols: Symbols, source: str, message: str) -> None:
    with pytest.raises(ExprError, match=None) as caught:
        parse_condition(source, symbols)
    assert message in str(caught.value)


def test_source_kept_for_display(symbols: Symbols) -> None:
    assert str(parse_condition("age_at_screen < 13", symbols)) == "age_at_screen < 13"
