"""The audit trail: what is recorded, append-only triggers, and tamper detection by the chain."""

from __future__ import annotations

import itertools
import json

import pytest
from records_fixtures import ADMIN, PASSWORD, Council, complete_answers
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from cse_screen.errors import WrongPassword
from cse_screen.storage.services.audit import GENESIS, canonical, entry_hash
from cse_screen.storage.signed_in import SignedIn
from cse_screen.vault.store import Store


def raw(store: SignedIn, sql: str, **params: object) -> None:
    with store.engine.begin() as connection:
        connection.execute(text(sql), params)


def drop_trigger(store: SignedIn, name: str) -> None:
    """What someone with the database's own rights could do to hide their tracks."""
    on_table = " ON audit" if store.engine.dialect.name == "postgresql" else ""
    raw(store, f"DROP TRIGGER {name}{on_table}")


def test_every_kind_of_action_is_recorded_with_ids_not_names(file_council: Council, q):
    """The local file's sign-ins, failed ones and backups, with the records' own actions."""
    council = file_council
    sid = council.screen("wes", "N1", q, complete_answers(q, A1="current"))
    council.open("lena").screenings.sign_off(sid)
    council.open("wes").children.get(council.ids["N1"])
    with pytest.raises(WrongPassword):
        Store.open(council.path, "wes", "not the password")
    admin = council.open()
    admin.backup(council.path.with_name("x.backup"))
    entries = admin.audit.entries(limit=200)
    actions = {e.action for e in entries}
    assert {"create", "login", "submit", "sign_off", "view", "login_failed", "backup"} <= actions
    failed = next(e for e in entries if e.action == "login_failed")
    assert failed.detail["count"] == 1 and "wes" not in json.dumps(failed.detail)
    text = json.dumps([e.detail for e in entries])
    for name in ("Amelia", "Ashdown", "Tyler", "Kian", "2012-05-01"):
        assert name not in text


def test_the_chain_links_each_entry_to_the_one_before(council: Council):
    admin = council.open()
    entries = sorted(admin.audit.entries(limit=100), key=lambda e: e.seq)
    assert entries[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
        body = {k: getattr(after, k) for k in ("seq", "at", "actor", "action", "entity")}
        body |= {"entity_id": after.entity_id, "detail": after.detail}
        assert after.hash == entry_hash(before.hash, body)
    assert canonical({"b": 1, "a": "é"}) == '{"a":"é","b":1}'
    report = admin.audit.verify()
    assert report.ok and report.entries == len(entries)


def test_update_and_delete_are_refused_by_triggers(council: Council):
    admin = council.open()
    with pytest.raises(sa_exc.DatabaseError, match="append-only"):
        raw(admin, "UPDATE audit SET actor = 'someone' WHERE seq = 2")
    with pytest.raises(sa_exc.DatabaseError, match="append-only"):
        raw(admin, "DELETE FROM audit WHERE seq = 2")
    assert council.verify_ok(admin)


@pytest.mark.parametrize(
    ("tamper", "first_bad", "problem"),
    [
        ('UPDATE audit SET detail = \'{"name":"bob"}\' WHERE seq = 3', 3, "content"),
        ("UPDATE audit SET actor = 'wes' WHERE seq = 5", 5, "content"),
        ("DELETE FROM audit WHERE seq = 4", 5, "entry 4 is missing"),
        ("UPDATE audit SET seq = seq + 1000 WHERE seq = 2", 3, "entry 2 is missing"),
    ],
)
def test_tampering_is_reported_at_the_first_broken_link(
    council: Council, tamper, first_bad, problem
):
    admin = council.open()
    drop_trigger(admin, "audit_no_update")
    drop_trigger(admin, "audit_no_delete")
    raw(admin, tamper)
    if isinstance(admin, Store):
        assert admin.verify().integrity_problems == ()  # the file itself is sound
    report = admin.audit.verify()
    assert not report.ok
    assert report.first_bad_seq == first_bad
    assert problem in report.problem


def test_a_rewritten_entry_with_a_recomputed_hash_still_breaks_the_next_link(council: Council):
    admin = council.open()
    drop_trigger(admin, "audit_no_update")
    entries = {e.seq: e for e in admin.audit.entries(limit=100)}
    forged = entries[3]
    body = {
        "seq": 3,
        "at": forged.at,
        "actor": "sam",
        "action": forged.action,
        "entity": forged.entity,
        "entity_id": forged.entity_id,
        "detail": forged.detail,
    }
    raw(
        admin,
        "UPDATE audit SET actor = 'sam', hash = :hash WHERE seq = 3",
        hash=entry_hash(forged.prev_hash, body),
    )
    report = admin.audit.verify()
    assert report.first_bad_seq == 4 and "link" in report.problem


def test_login_of_the_admin_closes_pending_failed_logins(file_council: Council):
    """Failed sign-ins to the local file are noted beside it until the next open."""
    council = file_council
    for _ in range(3):
        with pytest.raises(WrongPassword):
            Store.open(council.path, "nobody", PASSWORD)
    with Store.open(council.path, ADMIN, PASSWORD) as admin:
        failed = [e for e in admin.audit.entries(limit=10) if e.action == "login_failed"]
    assert len(failed) == 1 and failed[0].detail["count"] == 3
    assert not council.path.with_name(council.path.name + ".pending-audit").exists()


def test_an_older_copy_put_back_in_place_is_noticed(file_council: Council, q, tmp_path):
    """A copy of the local file put back: this computer remembers the chain's head."""
    council = file_council
    import shutil

    from cse_screen.vault.keyslots import keyslot_path

    council.close()
    old_copy = tmp_path / "old-copy"
    old_copy.mkdir()
    for path in (council.path, keyslot_path(council.path)):
        shutil.copy(path, old_copy / path.name)
    council.screen("wes", "N1", q, complete_answers(q))
    council.close()
    for path in (council.path, keyslot_path(council.path)):
        shutil.copy(old_copy / path.name, path)  # the whole pair, validly encrypted, but older
    with Store.open(council.path, ADMIN, PASSWORD) as admin:
        assert admin.warnings and "older copy put back in place" in admin.warnings[0]
        assert admin.verify().ok  # the copy itself is sound: only the history says otherwise
        assert any(e.action == "rollback_suspected" for e in admin.audit.entries(limit=5))
    with Store.open(council.path, ADMIN, PASSWORD) as again:  # used since: still not the one
        assert again.warnings and "put back in place" in again.warnings[0]


def test_a_cut_audit_tail_is_noticed_at_the_next_open(file_council: Council):
    """Noticed by the head this computer remembers for its local file."""
    council = file_council
    admin = council.open()
    drop_trigger(admin, "audit_no_delete")
    last = admin.audit.head()[0]
    raw(admin, "DELETE FROM audit WHERE seq >= :cut", cut=last - 2)
    council.close()
    report = admin.verify()
    assert report.chain.ok  # the remaining links hold...
    assert report.signatures is not None and report.signatures.rewrite  # ...the signed head not
    assert "is missing (entries were deleted" in report.signatures.rewrite
    with Store.open(council.path, ADMIN, PASSWORD) as again:
        assert again.warnings  # ...and this computer saw more entries than are left
