"""What the admin pages rely on: the user roster, reactivation, the last-administrator guard,
password resets that touch one keyslot, and the audit viewer's filtered, scoped pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from records_fixtures import ADMIN, PASSWORD, Council, complete_answers

from cse_screen.errors import PermissionDenied, ValidationFailed, WrongPassword
from cse_screen.storage.services.audit import AuditQuery
from cse_screen.vault.keyslots import keyslot_path
from cse_screen.vault.store import Store


def slots(council: Council) -> dict[str, dict[str, object]]:
    """Each user's keyslot as stored in the sidecar file."""
    data = json.loads(keyslot_path(council.path).read_text())
    return {slot["user"]: slot for slot in data["slots"]}


def test_the_roster_is_every_user_and_only_for_administrators(council: Council):
    admin = council.open()
    admin.users.deactivate("wynn")
    roster = {u.name: u.active for u in admin.users.roster()}
    assert roster == {
        "ada": True,
        "lena": True,
        "wes": True,
        "wynn": False,
        "sam": True,
        "sue": True,
    }
    for name in ("lena", "wes"):
        with pytest.raises(PermissionDenied, match="may not manage users"):
            council.open(name).users.roster()
    denied = admin.audit.page(AuditQuery(action="denied")).entries
    assert {e.actor for e in denied} == {"lena", "wes"}


def test_a_deactivated_user_is_reactivated_with_a_new_password(file_council: Council):
    """On the local file a deactivated user's keyslot goes, so the password opens nothing."""
    council = file_council
    admin = council.open()
    admin.users.deactivate("wes")
    with pytest.raises(WrongPassword):
        Store.open(council.path, "wes", PASSWORD)
    back = admin.users.reactivate("wes", "a brand new secret")
    assert back.active
    with Store.open(council.path, "wes", "a brand new secret") as wes:
        assert wes.user.role == "worker"
    with pytest.raises(ValidationFailed, match="already active"):
        admin.users.reactivate("wes", "again")
    with pytest.raises(PermissionDenied):
        council.open("lena").users.reactivate("wes", "x")
    change = admin.audit.page(AuditQuery(action="change", limit=1)).entries[0]
    assert change.detail == {"active": [False, True], "password": "set by an administrator"}


def test_the_last_administrator_cannot_be_demoted_or_deactivated(council: Council):
    admin = council.open()
    with pytest.raises(ValidationFailed, match="last active administrator"):
        admin.users.update(ADMIN, role="lead")
    assert admin.users.get(ADMIN).role == "admin"
    admin.users.update("sam", role="admin")
    sam = council.open("sam")
    sam.users.update(ADMIN, role="lead")  # another admin remains: allowed
    with pytest.raises(ValidationFailed, match="signed in with"):
        sam.users.deactivate("sam")
    with pytest.raises(ValidationFailed, match="last active administrator"):
        admin.users.update("sam", role="worker")


def test_an_admin_password_reset_rewraps_only_that_users_keyslot(file_council: Council):
    """About the local file's keyslots."""
    council = file_council
    before = slots(council)
    council.open().users.set_password("sue", "reset by the admin")
    after = slots(council)
    assert set(after) == set(before)
    assert after["sue"]["wrapped"] != before["sue"]["wrapped"]
    assert {n: s for n, s in after.items() if n != "sue"} == {
        n: s for n, s in before.items() if n != "sue"
    }
    with pytest.raises(WrongPassword):
        Store.open(council.path, "sue", PASSWORD)
    Store.open(council.path, "sue", "reset by the admin").close()


def test_audit_pages_are_newest_first_filtered_and_counted(council: Council, q):
    council.screen("wes", "N1", q, complete_answers(q))
    admin = council.open()
    everything = admin.audit.page(AuditQuery(limit=1000))
    seqs = [e.seq for e in everything.entries]
    assert seqs == sorted(seqs, reverse=True) and everything.total == len(seqs)
    first = admin.audit.page(AuditQuery(limit=3))
    second = admin.audit.page(AuditQuery(limit=3, offset=3))
    assert [e.seq for e in first.entries + second.entries] == seqs[:6]
    uncounted = admin.audit.page(AuditQuery(limit=3, offset=3, with_total=False))
    assert uncounted.entries == second.entries and uncounted.total is None
    keyset = admin.audit.page(AuditQuery(limit=3, below_seq=first.entries[-1].seq))
    assert keyset.entries == second.entries and keyset.total == everything.total
    logins = admin.audit.page(AuditQuery(action="login", actor="wes"))
    assert logins.total >= 1 and {(e.action, e.actor) for e in logins.entries} == {("login", "wes")}
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert admin.audit.page(AuditQuery(since=future)).total == 0
    assert admin.audit.page(AuditQuery(before=future)).total == everything.total
    assert admin.audit.page(AuditQuery(before=dt.datetime(2000, 1, 1))).total == 0
    actions, actors = admin.audit.choices()
    assert {"create", "login", "submit"} <= set(actions) and {"ada", "wes"} <= set(actors)


def test_a_lead_reads_only_their_teams_part_of_the_trail(council: Council, q):
    council.screen("wes", "N1", q, complete_answers(q))
    council.screen("sue", "S1", q, complete_answers(q))
    council.open("sue").children.get(council.ids["S1"])
    admin = council.open()
    admin.users.update(ADMIN, team="North")
    admin.children.get(council.ids["S1"])  # a North member acting on a South record
    admin.children.get(council.ids["N2"])
    lena = council.open("lena")
    seen = lena.audit.page(AuditQuery(limit=1000)).entries
    actors = {e.actor for e in seen}
    assert "sue" not in actors and "sam" not in actors and "wes" in actors
    child_ids = {e.entity_id for e in seen if e.entity == "child"}
    assert str(council.ids["S1"]) not in child_ids and str(council.ids["N1"]) in child_ids
    assert ("ada", str(council.ids["N2"])) in {(e.actor, e.entity_id) for e in seen}
    assert {"login", "change"} <= {e.action for e in seen if e.actor == "ada"}
    assert "sue" not in lena.audit.choices()[1]
    with pytest.raises(PermissionDenied, match="may not read the audit trail"):
        council.open("wes").audit.page()
