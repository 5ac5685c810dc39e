"""Reading an answers file (JSON) for ``cse-screen score`` and ``cse-screen screen``.

Every problem names the file and the key, never the value: the context holds a child's date of
birth and other personal data that must not end up in error messages or logs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cse_screen.core.dates import parse_date
from cse_screen.core.model import Questionnaire
from cse_screen.errors import AnswersInvalid

MAX_BYTES = 1024 * 1024
TOP_KEYS = ("questionnaire", "version", "context", "answers")


@dataclass(frozen=True)
class AnswersFile:
    questionnaire: str
    context: dict[str, object]
    answers: dict[str, str]
    version: str | None = None
    source: str = field(default="", compare=False)


def _read_text(path: Path) -> str:
    name = str(path)
    if not path.exists():
        raise AnswersInvalid(f"{name}: no such file.")
    if path.is_dir():
        raise AnswersInvalid(f"{name}: this is a folder, not an answers file.")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise AnswersInvalid(f"{name}: the file cannot be read ({exc.strerror}).") from None
    if len(data) > MAX_BYTES:
        raise AnswersInvalid(f"{name}: the file is larger than {MAX_BYTES // 1024} KiB.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AnswersInvalid(f"{name}: the file is not UTF-8 text.") from None


def read_answers_file(path: Path | str, default_id: str = "lac-cse-screen") -> AnswersFile:
    """Parse and shape-check the file; checking against a definition is check_against()."""
    path = Path(path)
    name = str(path)
    text = _read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnswersInvalid(f"{name}:{exc.lineno}: not valid JSON ({exc.msg}).") from None
    except RecursionError:
        raise AnswersInvalid(f"{name}: the JSON is nested too deeply.") from None
    if not isinstance(data, dict):
        raise AnswersInvalid(f"{name}: expected a JSON object with 'answers' and 'context'.")
    for key in data:
        if key not in TOP_KEYS:
            raise AnswersInvalid(f"{name}: unknown key '{key}' (expected {', '.join(TOP_KEYS)}).")
    if "answers" not in data:
        raise AnswersInvalid(f"{name}: missing key 'answers'.")
    return AnswersFile(
        questionnaire=_text(data, "questionnaire", name) or default_id,
        version=_text(data, "version", name),
        context=_context(data.get("context", {}), name),
        answers=_answers(data["answers"], name),
        source=name,
    )


def _text(data: Mapping[str, object], key: str, name: str) -> str | None:
    value = data.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise AnswersInvalid(f"{name}: key '{key}' must be a non-empty text.")
    return value


def _answers(value: object, name: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise AnswersInvalid(f"{name}: key 'answers' must be an object of item id to answer.")
    for item_id, answer in value.items():
        if not isinstance(answer, str):
            raise AnswersInvalid(f"{name}: key 'answers.{item_id}' must be a text answer.")
    return dict(value)


def _context(value: object, name: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise AnswersInvalid(f"{name}: key 'context' must be an object.")
    for key, entry in value.items():
        ok = entry is None or (isinstance(entry, str | int) and not isinstance(entry, bool))
        if isinstance(entry, list):
            ok = all(isinstance(e, str) for e in entry)
        if not ok:
            raise AnswersInvalid(
                f"{name}: key 'context.{key}' must be a text, a whole number or a list of texts."
            )
    return dict(value)


def check_against(af: AnswersFile, q: Questionnaire) -> None:
    """Check answers and context against the definition, naming the key that does not fit."""
    name = af.source or "answers file"
    for item_id, value in af.answers.items():
        if not q.has_item(item_id):
            raise AnswersInvalid(f"{name}: key 'answers.{item_id}': {q.label} has no such item.")
        allowed = q.item(item_id).values
        if value not in allowed:
            raise AnswersInvalid(
                f"{name}: key 'answers.{item_id}': '{value}' is not an allowed answer "
                f"(expected one of {', '.join(allowed)})."
            )
    fields = {f.id: f for f in q.context_fields}
    for key, entry in af.context.items():
        where = f"{name}: key 'context.{key}'"
        if key not in fields:
            raise AnswersInvalid(f"{where}: {q.label} has no such context field.")
        _check_context_value(where, fields[key].type, fields[key].options, entry)


def _check_context_value(where: str, kind: str, options: tuple[str, ...], value: object) -> None:
    """Values are never quoted back: the context is personal data."""
    if value is None:
        return
    if kind == "date":
        parse_date(value, where)
    elif kind == "integer" and (not isinstance(value, int) or value < 0):
        raise AnswersInvalid(f"{where}: expected a whole number of 0 or more.")
    elif kind == "choice" and value not in options:
        raise AnswersInvalid(f"{where}: not one of {', '.join(options)}.")
    elif kind == "multi_choice" and (
        not isinstance(value, list) or any(v not in options for v in value)
    ):
        raise AnswersInvalid(f"{where}: expected a list of {', '.join(options)}.")
