"""Hostile or mistaken files are refused quickly, safely and with a line number."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from cse_screen.core.loader import load_questionnaire
from cse_screen.core.yaml_nodes import MAX_BYTES
from cse_screen.errors import QuestionnaireInvalid

ALIAS_BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def refused(path: Path) -> tuple[int, str]:
    started = time.perf_counter()
    with pytest.raises(QuestionnaireInvalid) as caught:
        load_questionnaire(path)
    assert time.perf_counter() - started < 2.0
    match = re.match(rf"{re.escape(str(path))}:(\d+): (.+)\Z", caught.value.message)
    assert match, caught.value.message
    return int(match.group(1)), match.group(2)


def test_alias_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(ALIAS_BOMB)
    line, message = refused(path)
    assert line == 1 and "anchors and aliases" in message


@pytest.mark.parametrize(
    "payload",
    [
        "schema: !!python/object/apply:os.system ['echo pwned']\n",
        "schema: !!python/object:builtins.dict {}\n",
        "schema: !!binary aGVsbG8=\n",
        "schema: !!set {a, b}\n",
    ],
)
def test_object_tags_never_constructed(tmp_path: Path, payload: str) -> None:
    path = tmp_path / "tag.yaml"
    path.write_text("# header\n" + payload)
    line, message = refused(path)
    assert line == 2 and "is not allowed" in message


def test_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "garbage.yaml"
    path.write_bytes(b"schema: x\n" + bytes(range(256)) * 4)
    line, message = refused(path)
    assert line == 2 and "binary" in message


def test_latin1_text(tmp_path: Path, default_text: str) -> None:
    path = tmp_path / "latin1.yaml"
    text = default_text.replace('title: "Looked-after', 'title: "Café looked-after')
    path.write_bytes(text.encode("latin-1", errors="replace"))
    line, message = refused(path)
    assert "not UTF-8" in message
    assert line == text[: text.index("Café")].count("\n") + 1


def test_directory_and_missing_path(tmp_path: Path) -> None:
    assert refused(tmp_path) == (1, "this is a folder, not a questionnaire definition file")
    assert refused(tmp_path / "nope.yaml") == (1, "no such file")


def test_huge_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * MAX_BYTES + b"\n")
    line, message = refused(path)
    assert line == 1 and "larger than 1024 KiB" in message


def test_deep_nesting(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n")
    _, message = refused(path)
    assert "nested more than" in message


def test_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "ctrl.yaml"
    path.write_bytes(b"schema: x\nb: \x07bell\n")
    line, message = refused(path)
    assert line == 2 and message.startswith("YAML")


def test_long_expression_refused(default_text: str, tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    long_when = "true" + " and true" * 400
    path.write_text(default_text.replace('when: "true"', f'when: "{long_when}"'))
    _, message = refused(path)
    assert "longer than 2000 characters" in message


def test_deeply_nested_expression_refused(default_text: str, tmp_path: Path) -> None:
    path = tmp_path / "nested.yaml"
    path.write_text(default_text.replace('when: "true"', 'when: "' + "not " * 300 + 'true"'))
    _, message = refused(path)
    assert "nested more than" in message
