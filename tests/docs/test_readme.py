"""The README's command list and its answers file cannot drift from the program.

The list is compared with the argparse tree of ``cse-screen --help``: every leaf command is
listed once with a one-line purpose and exactly its options (those shown by ``--help``, less
``--password-file``, which the README describes once for all). The answers file shown must be
the complete example in ``docs/examples/`` and must score, and submit, under the current
default questionnaire.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from cli_run import run

from cse_screen.cli import build_parser
from cse_screen.core import registry
from cse_screen.core.answers_file import check_against, read_answers_file

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
EXAMPLE = ROOT / "docs" / "examples" / "answers-complete.json"
MARKER = "<!-- commands:"
UNLISTED_OPTIONS = {"-h", "--help", "--password-file"}


def readme_commands() -> list[tuple[str, str]]:
    """(purpose, usage line) for each command in the README's checked block."""
    text = README.read_text(encoding="utf-8")
    assert MARKER in text, "README.md lost its command list marker"
    block = text.split(MARKER, 1)[1].split("```", 2)[1]
    pairs, purpose = [], ""
    for line in block.splitlines():
        if line.startswith("# "):
            purpose = line[2:].strip()
        elif line.startswith("cse-screen "):
            pairs.append((purpose, line))
            purpose = ""
    return pairs


def leaves(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> dict:
    """Every runnable command path -> its parser."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return {prefix: parser}
    # A command that runs on its own and also has actions (``sync``, ``sync enrol``) is both.
    found: dict = {prefix: parser} if parser.get_default("func") else {}
    for action in subs:
        for name, sub in action.choices.items():
            found |= leaves(sub, (*prefix, name))
    return found


def command_path(line: str, tree: dict) -> tuple[str, ...]:
    words = line.split()[1:]
    path: tuple[str, ...] = ()
    for word in words:
        if any(key[: len(path) + 1] == (*path, word) for key in tree):
            path = (*path, word)
        else:
            break
    return path


def shown_options(parser: argparse.ArgumentParser) -> tuple[set[str], set[str]]:
    """The options --help shows, and those of them that are required."""
    shown, required = set(), set()
    for action in parser._actions:
        if action.help == argparse.SUPPRESS or not action.option_strings:
            continue
        name = action.option_strings[-1]
        if name in UNLISTED_OPTIONS:
            continue
        shown.add(name)
        if action.required:
            required.add(name)
    return shown, required


def test_every_command_is_listed_once_with_a_purpose() -> None:
    tree = leaves(build_parser())
    listed = [command_path(line, tree) for _, line in readme_commands()]
    assert len(listed) == len(set(listed)), "a command is listed twice"
    missing = sorted(" ".join(p) for p in set(tree) - set(listed))
    extra = sorted(" ".join(p) for p in set(listed) - set(tree))
    assert missing == [] and extra == [], f"README misses {missing}, lists unknown {extra}"
    for purpose, line in readme_commands():
        assert purpose, f"no one-line purpose above: {line}"


@pytest.mark.parametrize("purpose_line", readme_commands(), ids=lambda pair: pair[1][:40])
def test_each_listed_command_shows_exactly_its_options(purpose_line: tuple[str, str]) -> None:
    _, line = purpose_line
    tree = leaves(build_parser())
    shown, required = shown_options(tree[command_path(line, tree)])
    written = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", line))
    assert written == shown, f"{line}: README {sorted(written)} against --help {sorted(shown)}"
    optional = set(re.findall(r"\[(--[a-z][a-z-]*)", line))
    assert not (required & optional), f"{line}: required options shown as optional"


def _readme_answers() -> dict:
    text = README.read_text(encoding="utf-8").split(MARKER, 1)[1]
    return json.loads(text.split("```json", 1)[1].split("```", 1)[0])


def test_the_readme_shows_the_complete_example_file() -> None:
    assert _readme_answers() == json.loads(EXAMPLE.read_text(encoding="utf-8"))


def test_the_example_answers_every_required_item_of_the_current_questionnaire() -> None:
    answers = read_answers_file(EXAMPLE)
    q = registry.get_questionnaire(answers.questionnaire, answers.version)
    check_against(answers, q)  # raises on an unknown item, value or context field
    required = {item.id for item in q.items if item.required}
    assert required - set(answers.answers) == set()
    default = registry.get_questionnaire(answers.questionnaire, None)
    assert (q.id, q.version) == (default.id, default.version), "the example is not the default"
    context_required = {f.id for f in q.context_fields if getattr(f, "required", False)}
    assert context_required <= set(answers.context)


def test_the_example_scores_and_submits_as_the_readme_says(tmp_path, capsys, monkeypatch):
    code, out, err = run(capsys, "score", "--answers", str(EXAMPLE))
    assert code == 0, err
    assert json.loads(out)["outcome"] == "moderate" and json.loads(out)["unanswered"] == []
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", "example pass")
    db = str(tmp_path / "cse.db")
    assert run(capsys, "init", "--db", db, "--user", "admin")[0] == 0
    add = ("child", "add", "--db", db, "--user", "admin", "--ref", "C1", "--name", "Example")
    assert run(capsys, *add, "--dob", "2013-04-02")[0] == 0
    code, out, err = run(
        capsys, "screen", "--db", db, "--user", "admin", "--child", "C1", "--answers",
        str(EXAMPLE), "--submit",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["status"] == "submitted" and json.loads(out)["outcome"] == "moderate"
