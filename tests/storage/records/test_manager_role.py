"""The manager role on a standalone database: reads every team, changes only their own.

``mona`` manages the South team; N1 belongs to worker wes in the North team, S1 to the South.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from records_fixtures import PASSWORD, Council, build_council, complete_answers

from cse_screen.core import registry
from cse_screen.errors import PermissionDenied
from cse_screen.storage.records import ChildInput

Q = registry.get_questionnaire()


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Council]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CSE_SCREEN_KDF", "test")
        built = build_council(tmp_path_factory.mktemp("manager") / "manager.db")
        built.open().users.add("mona", PASSWORD, "manager", team="South")
        yield built
        built.close()


def _submitted(c: Council, worker: str, ref: str) -> int:
    store = c.open(worker)
    sid = store.screenings.start_draft(c.ids[ref], Q).id
    store.screenings.save_answers(sid, complete_answers(Q))
    store.screenings.submit(sid)
    return sid


def test_a_manager_reads_every_team(council: Council) -> None:
    mona = council.open("mona")
    refs = {r.case_ref for r in mona.children.register().rows}
    assert {"N1", "N2", "N3", "S1"} <= refs
    assert mona.children.get(council.ids["N1"]).case_ref == "N1"
    assert mona.screenings.history(council.ids["N1"]) is not None
    assert mona.events.for_child(council.ids["N1"]) is not None
    assert mona.audit.entries(limit=3)


@pytest.mark.parametrize(
    "action",
    ["change", "screen", "event", "sign off", "return", "add"],
)
def test_a_manager_changes_nothing_outside_their_own_team(council: Council, action: str) -> None:
    mona = council.open("mona")
    north = council.ids["N1"]
    runs = {
        "change": lambda: mona.children.update(north, placement_type="foster_ifa"),
        "screen": lambda: mona.screenings.start_draft(north, Q),
        "event": lambda: mona.events.record(north, "new_information", dt.date.today()),
        "sign off": lambda: mona.screenings.sign_off(_submitted(council, "wes", "N1")),
        "return": lambda: mona.screenings.return_to_worker(
            _submitted(council, "wes", "N1"), "please check"
        ),
        "add": lambda: mona.children.add(
            ChildInput("M-N9", "Test Child", dt.date(2012, 1, 1), team="North")
        ),
    }
    with pytest.raises(PermissionDenied, match="user 'mona' \\(a manager\\)"):
        runs[action]()


def test_a_manager_leads_their_own_team(council: Council) -> None:
    mona = council.open("mona")
    sid = _submitted(council, "sue", "S1")
    queue = {s.id for s in mona.screenings.review_queue()}
    assert sid in queue
    assert all(s.child_ref.startswith("S") for s in mona.screenings.review_queue())
    assert mona.screenings.sign_off(sid).status == "signed_off"
    added = mona.children.add(ChildInput("M-S9", "Test Child", dt.date(2012, 1, 1), team="South"))
    assert added.team == "South"


@pytest.mark.parametrize("action", ["add user", "backup"])
def test_a_manager_is_not_an_administrator(council: Council, action: str) -> None:
    mona = council.open("mona")
    with pytest.raises(PermissionDenied):
        if action == "add user":
            mona.users.add("someone", PASSWORD, "worker", team="South")
        else:
            mona.backup(council.path.with_name("m.backup"))
