"""Reading answers files: clear errors naming the file and key, never the child's data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cse_screen.core.answers_file import check_against, read_answers_file
from cse_screen.core.model import Questionnaire
from cse_screen.errors import AnswersInvalid

GOOD = {
    "questionnaire": "lac-cse-screen",
    "context": {"dob": "2013-04-02", "screen_date": "2026-11-01", "disability": "none"},
    "answers": {"A1": "current", "L11": "no"},
}


def write(tmp_path: Path, data: object, name: str = "a.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_reads_a_good_file(tmp_path: Path, lac: Questionnaire) -> None:
    answers = read_answers_file(write(tmp_path, GOOD))
    assert answers.questionnaire == "lac-cse-screen" and answers.version is None
    assert answers.answers == {"A1": "current", "L11": "no"}
    check_against(answers, lac)


def test_questionnaire_defaults(tmp_path: Path) -> None:
    answers = read_answers_file(write(tmp_path, {"answers": {}}))
    assert answers.questionnaire == "lac-cse-screen" and answers.context == {}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", r"a\.json:1: not valid JSON"),
        ('{"answers": {}}\n{"x": 1}', r"a\.json:2: not valid JSON"),
        ([1, 2], "expected a JSON object"),
        ({"context": {}}, "missing key 'answers'"),
        ({"answers": {}, "anwsers": {}}, "unknown key 'anwsers'"),
        ({"answers": ["A1"]}, "key 'answers' must be an object"),
        ({"answers": {"A1": 1}}, r"key 'answers\.A1' must be a text answer"),
        ({"answers": {}, "context": []}, "key 'context' must be an object"),
        ({"answers": {}, "context": {"dob": {"y": 2013}}}, r"key 'context\.dob' must be"),
        ({"answers": {}, "questionnaire": 3}, "key 'questionnaire' must be a non-empty text"),
    ],
)
def test_shape_errors(tmp_path: Path, content: object, message: str) -> None:
    path = write(tmp_path, content)
    with pytest.raises(AnswersInvalid, match=message) as caught:
        read_answers_file(path)
    assert caught.value.message.startswith(str(path))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"answers": {"Z9": "current"}}, "key 'answers.Z9': lac-cse-screen 1.0.0 has no such item"),
        ({"answers": {"A1": "yes"}}, "key 'answers.A1': 'yes' is not an allowed answer"),
        (
            {"context": {"disabilty": "none"}},
            "key 'context.disabilty': lac-cse-screen 1.0.0 has no",
        ),
        ({"context": {"disability": "lrn"}}, "key 'context.disability': not one of none"),
        ({"context": {"dob": "02/04/2013"}}, "key 'context.dob' is not a date"),
        ({"context": {"missing_episodes": -1}}, "key 'context.missing_episodes': expected a whole"),
        ({"context": {"sources": "police"}}, "key 'context.sources': expected a list"),
    ],
)
def test_errors_against_the_definition(
    tmp_path: Path, lac: Questionnaire, change: dict[str, dict[str, object]], message: str
) -> None:
    data = {**GOOD, **change}
    path = write(tmp_path, data)
    with pytest.raises(AnswersInvalid) as caught:
        check_against(read_answers_file(path), lac)
    assert caught.value.message.startswith(f"{path}: ")
    assert message in caught.value.message
    assert "02/04/2013" not in caught.value.message


def test_file_problems(tmp_path: Path) -> None:
    with pytest.raises(AnswersInvalid, match="no such file"):
        read_answers_file(tmp_path / "missing.json")
    with pytest.raises(AnswersInvalid, match="is a folder"):
        read_answers_file(tmp_path)
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"answers": {}, "context": {"x": "Zoë"}}'.encode("latin-1"))
    with pytest.raises(AnswersInvalid, match="not UTF-8"):
        read_answers_file(latin)
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (1024 * 1024 + 1))
    with pytest.raises(AnswersInvalid, match="larger than"):
        read_answers_file(huge)
    deep = write(tmp_path, "[" * 100000 + "]" * 100000, "deep.json")
    with pytest.raises(AnswersInvalid):
        read_answers_file(deep)
