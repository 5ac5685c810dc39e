"""Load and validate a questionnaire definition file into the immutable model.

Everything a CSE team member can get wrong in the YAML is reported as one sentence starting
``FILE:LINE:`` (raised as :class:`cse_screen.errors.QuestionnaireInvalid`), so a changed
instrument is either loaded whole and consistent or refused with a pointer to the line to fix.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from yaml.nodes import Node

from cse_screen.core.loader_parts import (
    read_answer_types,
    read_context_fields,
    read_outcomes,
    read_sections,
)
from cse_screen.core.loader_scoring import read_scoring
from cse_screen.core.model import (
    EVIDENCE_RULES,
    STATUSES,
    ChangelogEntry,
    Questionnaire,
    Windows,
)
from cse_screen.core.yaml_nodes import Reader, Source, compose, read_source

SCHEMA = "cse-questionnaire/1"
PURPOSES = ("screening", "full_assessment")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}\Z")
_VERSION = re.compile(r"\d{1,4}\.\d{1,4}\.\d{1,4}\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")

TOP_KEYS = (
    "schema", "instrument", "context_fields", "answer_types", "sections", "outcomes", "scoring",
)  # fmt: skip
INSTRUMENT_KEYS = ("id", "title", "version", "status", "changelog")
INSTRUMENT_OPTIONAL = (
    "purpose", "description", "effective_from", "windows", "provenance", "evidence_note",
)  # fmt: skip


def load_questionnaire(path: Path | str) -> Questionnaire:
    """Read, validate and build a definition; QuestionnaireInvalid names file and line."""
    return load_source(read_source(path))


def load_text(text: str, name: str = "<text>") -> Questionnaire:
    """Load a definition held in memory (tests, previews in an editor)."""
    data = text.encode("utf-8")
    return load_source(Source(name, data, text, hashlib.sha256(data).hexdigest()))


def load_source(source: Source) -> Questionnaire:
    reader = Reader(source)
    top = reader.mapping(compose(source), "definition", TOP_KEYS)
    schema = reader.text(top["schema"], "schema")
    if schema != SCHEMA:
        source.fail_at(top["schema"], f"schema: unknown format '{schema}' (expected {SCHEMA})")
    head = reader.mapping(top["instrument"], "instrument", INSTRUMENT_KEYS, INSTRUMENT_OPTIONAL)
    instrument = _instrument(reader, head)
    answer_types = read_answer_types(reader, top["answer_types"])
    context_fields = read_context_fields(reader, top["context_fields"])
    evidence = "required_if_present"
    if "evidence_note" in head:
        evidence = reader.choice(
            head["evidence_note"], "instrument evidence_note", EVIDENCE_RULES, "evidence rule"
        )
    sections = read_sections(reader, top["sections"], answer_types, context_fields, evidence)
    outcomes = read_outcomes(reader, top["outcomes"])
    scoring = read_scoring(reader, top["scoring"], sections, answer_types, context_fields, outcomes)
    return Questionnaire(
        **instrument,
        content_hash=source.content_hash,
        source=source.name,
        windows=_windows(reader, head.get("windows")),
        context_fields=context_fields,
        answer_types=answer_types,
        sections=sections,
        outcomes=outcomes,
        scoring=scoring,
        changelog=_changelog(reader, head["changelog"], instrument["version"]),
    )


def _instrument(reader: Reader, head: dict[str, Node]) -> dict[str, str]:
    """The instrument's own text fields, checked (dates and provenance are checked only)."""
    if "effective_from" in head:
        _date(reader, head["effective_from"], "instrument effective_from")
    if "provenance" in head:
        reader.texts(head["provenance"], "instrument provenance")
    fields = {
        "id": _slug(reader, head["id"]),
        "title": reader.text(head["title"], "instrument title"),
        "version": _version(reader, head["version"], "instrument version"),
        "status": reader.choice(head["status"], "instrument status", STATUSES, "status"),
        "purpose": "screening",
        "description": "",
    }
    if "purpose" in head:
        fields["purpose"] = reader.choice(
            head["purpose"], "instrument purpose", PURPOSES, "purpose"
        )
    if "description" in head:
        fields["description"] = reader.text(head["description"], "instrument description")
    return fields


def _slug(reader: Reader, node: Node) -> str:
    value = reader.text(node, "instrument id")
    if not _SLUG.match(value):
        reader.source.fail_at(
            node, f"instrument id: '{value}' must be lower-case letters, digits and hyphens"
        )
    return value


def _version(reader: Reader, node: Node, where: str) -> str:
    value = reader.text(node, where)
    if not _VERSION.match(value):
        reader.source.fail_at(node, f"{where}: '{value}' is not a version like 1.0.0")
    return value


def _windows(reader: Reader, node: Node | None) -> Windows:
    if node is None:
        return Windows(current_days=180, previous_days=365)
    keys = reader.mapping(node, "instrument windows", ("current_days", "previous_days"))
    current = reader.integer(keys["current_days"], "windows current_days", minimum=1)
    previous = reader.integer(keys["previous_days"], "windows previous_days", minimum=1)
    if previous <= current:
        reader.source.fail_at(
            keys["previous_days"], "windows: previous_days must be longer than current_days"
        )
    return Windows(current, previous)


def _changelog(reader: Reader, node: Node, version: str) -> tuple[ChangelogEntry, ...]:
    entries = []
    for entry_node in reader.sequence(node, "instrument changelog", allow_empty=False):
        keys = reader.mapping(entry_node, "changelog entry", ("version", "date", "note"))
        date = _date(reader, keys["date"], "changelog date")
        entries.append(
            ChangelogEntry(
                version=_version(reader, keys["version"], "changelog version"),
                date=date,
                note=reader.text(keys["note"], "changelog note"),
            )
        )
    if version not in {e.version for e in entries}:
        reader.source.fail_at(node, f"instrument changelog: no entry for version {version}")
    return tuple(entries)


def _date(reader: Reader, node: Node, where: str) -> str:
    value = reader.text(node, where)
    if not _DATE.match(value):
        reader.source.fail_at(node, f"{where}: '{value}' is not a date written YYYY-MM-DD")
    return value
