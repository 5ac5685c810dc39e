"""A small council in a real encrypted database for the casework commands' tests.

Team north: workers wendy and wes, leads lena and lou; team south: worker sam, lead lars and
manager mary; an administrator, admin (team north). Children N1, N2 (wendy's), N3 (wes's) and
S1 (sam's). Each person has their own password; :func:`as_user` runs a command as one of them.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cli_run import run

from cse_screen.core import registry
from cse_screen.storage.records import ChildInput
from cse_screen.vault.store import Store

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = ROOT / "docs" / "examples" / "answers-complete.json"

PEOPLE = {
    "admin": ("admin", "north", "council office passphrase 1"),
    "wendy": ("worker", "north", "north worker passphrase 2"),
    "wes": ("worker", "north", "north worker passphrase 3"),
    "lena": ("lead", "north", "north lead passphrase 4"),
    "lou": ("lead", "north", "north lead passphrase 5"),
    "sam": ("worker", "south", "south worker passphrase 6"),
    "lars": ("lead", "south", "south lead passphrase 8"),
    "mary": ("manager", "south", "south manager passphrase 7"),
}
CHILDREN = (
    ("N1", "Nina North", "wendy", "north"),
    ("N2", "Noah North", "wendy", "north"),
    ("N3", "Nell North", "wes", "north"),
    ("S1", "Sid South", "sam", "south"),
)


def build(path: Path) -> Path:
    """Create the council's database at ``path`` (CSE_SCREEN_KDF must be 'test')."""
    with Store.create(path, "admin", PEOPLE["admin"][2], team="north") as store:
        for name, (role, team, password) in PEOPLE.items():
            if name != "admin":
                store.users.add(name, password, role, team=team)
        for ref, child_name, worker, team in CHILDREN:
            store.children.add(
                ChildInput(ref, child_name, dt.date(2012, 5, 6), worker=worker, team=team)
            )
    return path


def open_as(path: Path, user: str) -> Store:
    return Store.open(path, user, PEOPLE[user][2])


def submit(
    path: Path,
    user: str,
    ref: str,
    outcome: str | None = None,
    reason: str = "",
    on: dt.date | None = None,
) -> str:
    """A submitted screening of child ``ref`` by ``user`` from the complete example answers
    (computed outcome moderate), dated ``on`` (default: ten days ago); ``outcome`` records a
    judgement. Returns its public id."""
    answers = json.loads(ANSWERS.read_text(encoding="utf-8"))
    q = registry.get_questionnaire(answers["questionnaire"], answers["version"])
    context = {k: v for k, v in answers["context"].items() if k not in ("dob", "screen_date")}
    with open_as(path, user) as store:
        child = store.children.by_ref(ref)
        draft = store.screenings.start_draft(
            child.id, q, screen_date=on or dt.date.today() - dt.timedelta(days=10)
        )
        store.screenings.save_context(draft.id, context)
        store.screenings.save_answers(draft.id, answers["answers"])
        done = store.screenings.submit(draft.id, outcome, reason or None)
        return done.public_id


def as_user(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    user: str,
    *argv: str,
) -> tuple[int, str, str]:
    """``cse-screen ARGV --db DB --user USER`` with that user's password in the environment."""
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PEOPLE[user][2])
    return run(capsys, *argv, "--db", str(db), "--user", user)


def one_line_error(err: str) -> bool:
    return err.startswith("cse-screen: error: ") and err.count("\n") == 1 and "Traceback" not in err
