"""A holder of the database key cannot forge a role or rewrite the audit trail unnoticed.

Every test here is about the encrypted file itself: the attacker is an enrolled worker who takes
the database key through the vault's own unwrap and edits the SQLCipher file with SQL.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from records_fixtures import ADMIN, PASSWORD, FileCouncil
from sqlalchemy import Engine, text

from cse_screen.cli import main
from cse_screen.errors import EXIT_DAMAGED, DatabaseDamaged, PermissionDenied
from cse_screen.storage.services import signatures
from cse_screen.storage.services.audit import GENESIS, canonical, entry_hash
from cse_screen.vault.engine import open_engine
from cse_screen.vault.keyslots import KeyslotFile, keyslot_path
from cse_screen.vault.signing import public_bytes
from cse_screen.vault.store import Store


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``cse-screen ARGV`` in-process (the password comes from CSE_SCREEN_PASSWORD)."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)


def raw_engine(path: Path, user: str = "wes") -> Engine:
    """What a worker can do: unwrap the key with their own password and open the file."""
    key = KeyslotFile.load(keyslot_path(path)).unlock(user, PASSWORD)
    return open_engine(path, key)


def sql(path: Path, *statements: str, **params: object) -> None:
    engine = raw_engine(path)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement), params)
    finally:
        engine.dispose()


def rebuild_chain(path: Path, delete_seq: int) -> None:
    """Delete one entry, renumber the rest and recompute every hash, as a forger would."""
    engine = raw_engine(path)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP TRIGGER IF EXISTS audit_no_delete"))
            connection.execute(text("DROP TRIGGER IF EXISTS audit_no_update"))
            connection.execute(text("DELETE FROM audit WHERE seq = :s"), {"s": delete_seq})
            rows = connection.execute(
                text(
                    "SELECT seq, at, actor, action, entity, entity_id, detail FROM audit "
                    "ORDER BY seq"
                )
            ).all()
            connection.execute(text("DELETE FROM audit"))
            prev = GENESIS
            for new_seq, row in enumerate(rows, start=1):
                body = {
                    "seq": new_seq,
                    "at": row.at,
                    "actor": row.actor,
                    "action": row.action,
                    "entity": row.entity,
                    "entity_id": row.entity_id,
                    "detail": json.loads(row.detail),
                }
                digest = entry_hash(prev, body)
                connection.execute(
                    text(
                        "INSERT INTO audit (seq, at, actor, action, entity, entity_id, detail, "
                        "prev_hash, hash) VALUES (:seq, :at, :actor, :action, :entity, :eid, "
                        ":detail, :prev, :hash)"
                    ),
                    {
                        "seq": new_seq,
                        "at": row.at,
                        "actor": row.actor,
                        "action": row.action,
                        "entity": row.entity,
                        "eid": row.entity_id,
                        "detail": canonical(json.loads(row.detail)),
                        "prev": prev,
                        "hash": digest,
                    },
                )
                prev = digest
    finally:
        engine.dispose()


def test_a_role_set_with_sql_is_refused_at_sign_in_and_reported_by_verify(
    file_council: FileCouncil, capsys: pytest.CaptureFixture[str]
):
    path = file_council.path
    sql(path, "UPDATE users SET role = 'admin' WHERE name = 'wes'")
    with pytest.raises(DatabaseDamaged, match=r"record of user 'wes'.*not validly signed") as err:
        Store.open(path, "wes", PASSWORD)
    assert err.value.exit_code == EXIT_DAMAGED
    with Store.open(path, ADMIN, PASSWORD) as admin:
        report = admin.verify()
    assert not report.ok and report.signatures is not None
    assert report.signatures.unsigned_users == ("wes",)
    code, _out, err_text = run(capsys, "verify", "--db", str(path), "--user", "lena")
    assert code == EXIT_DAMAGED
    assert "record of user 'wes' is not validly signed" in err_text


def test_an_older_signed_record_put_back_is_refused(file_council: FileCouncil):
    """A demoted administrator replays the signed record of when they were one."""
    path = file_council.path
    with Store.open(path, ADMIN, PASSWORD) as admin:
        admin.users.update("wes", role="admin")
    engine = raw_engine(path)
    with engine.connect() as connection:
        old = connection.execute(
            text("SELECT role, signature, signed_counter FROM users WHERE name = 'wes'")
        ).one()
    engine.dispose()
    with Store.open(path, ADMIN, PASSWORD) as admin:
        admin.users.update("wes", role="worker")
    sql(
        path,
        "UPDATE users SET role = :r, signature = :s, signed_counter = :c WHERE name = 'wes'",
        r=old.role,
        s=old.signature,
        c=old.signed_counter,
    )
    with pytest.raises(DatabaseDamaged, match=r"user 'wes'.*older signed record was put back"):
        Store.open(path, "wes", PASSWORD)
    with Store.open(path, "lena", PASSWORD) as lead:  # everyone else still signs in
        report = lead.verify()
    assert report.signatures is not None and report.signatures.replayed_users == ("wes",)
    assert not report.ok


def test_a_rebuilt_chain_is_named_by_verify_and_exits_4(
    file_council: FileCouncil, capsys: pytest.CaptureFixture[str]
):
    path = file_council.path
    rebuild_chain(path, delete_seq=5)
    with Store.open(path, "wes", PASSWORD) as worker:
        report = worker.verify()
    assert report.chain.ok  # the forger's hashes hold...
    assert report.signatures is not None and report.signatures.rewrite  # ...the signatures not
    assert "rewritten before the head signed" in report.signatures.rewrite
    code, _out, err_text = run(capsys, "verify", "--db", str(path), "--user", "wes")
    assert code == EXIT_DAMAGED
    assert "audit trail was rewritten" in err_text
    engine = raw_engine(path)
    with engine.connect() as connection:
        heads = connection.execute(text("SELECT count(*) FROM audit_heads")).scalar()
    engine.dispose()
    with Store.open(path, ADMIN, PASSWORD) as admin:  # an administrator's session...
        assert admin.verify().signatures.rewrite  # type: ignore[union-attr]
    engine = raw_engine(path)
    with engine.connect() as connection:  # ...does not vouch for the rewritten history
        assert connection.execute(text("SELECT count(*) FROM audit_heads")).scalar() == heads
    engine.dispose()


def test_entries_after_the_signed_head_are_an_unsigned_tail_not_an_error(
    file_council: FileCouncil, capsys: pytest.CaptureFixture[str]
):
    path = file_council.path
    for _ in range(3):
        Store.open(path, "wes", PASSWORD).close()  # a worker's sign-ins are never signed
    code, out, err_text = run(capsys, "verify", "--db", str(path), "--user", "wes")
    assert code == 0, err_text
    line = next(x for x in out.splitlines() if x.startswith("audit chain:"))
    assert "covered by a signed head of" in line and "are not yet signed" in line
    with Store.open(path, "wes", PASSWORD) as worker:
        signed = worker.verify().signatures
    assert signed is not None and signed.ok
    assert signed.covered < signed.entries and signed.unsigned_tail >= 4


def test_a_public_key_swapped_in_the_database_alone_is_refused(file_council: FileCouncil):
    path = file_council.path
    other = base64.b64encode(public_bytes(Ed25519PrivateKey.generate())).decode()
    sql(path, "UPDATE meta SET value = :v WHERE key = :k", v=other, k=signatures.PUBLIC_KEY)
    with pytest.raises(DatabaseDamaged, match="differs between the database and the keyslot"):
        Store.open(path, "wes", PASSWORD)


def test_a_key_removed_from_the_database_alone_is_refused(file_council: FileCouncil):
    sql(file_council.path, "DELETE FROM meta WHERE key = :k", k=signatures.PUBLIC_KEY)
    with pytest.raises(DatabaseDamaged, match="missing from the database"):
        Store.open(file_council.path, "wes", PASSWORD)


def test_a_new_administrator_gets_the_key_and_a_demoted_one_loses_it(file_council: FileCouncil):
    path = file_council.path
    with Store.open(path, ADMIN, PASSWORD) as admin:
        assert admin.context.signer is not None
        admin.users.update("lena", role="admin")
    assert "lena" in KeyslotFile.load(keyslot_path(path)).signing.grants
    with Store.open(path, "lena", PASSWORD) as lena:
        assert lena.context.signer is not None
        lena.users.add("nell", PASSWORD, "worker", team="North")  # signed by lena's session
    with Store.open(path, "nell", PASSWORD) as nell:
        assert nell.user.role == "worker"
    with Store.open(path, ADMIN, PASSWORD) as admin:
        admin.users.update("lena", role="lead")
    assert "lena" not in KeyslotFile.load(keyslot_path(path)).signing.grants
    with Store.open(path, "lena", PASSWORD) as lena:
        assert lena.context.signer is None and lena.user.role == "lead"


def test_an_administrator_without_the_key_cannot_sign_a_change(file_council: FileCouncil):
    path = file_council.path
    with Store.open(path, ADMIN, PASSWORD) as admin:
        admin.users.update("lena", role="admin")
    slots = KeyslotFile.load(keyslot_path(path))
    slots.unlock(ADMIN, PASSWORD)  # a save is bound to the key (the epoch)
    slots.signing.revoke("lena")  # as if her grant had not reached her slot yet
    slots.save()
    with Store.open(path, "lena", PASSWORD) as lena, pytest.raises(PermissionDenied, match="key"):
        lena.users.update("wes", role="lead")
    with Store.open(path, "wes", PASSWORD) as wes:
        assert wes.user.role == "worker"  # nothing was changed unsigned


def test_an_existing_database_gets_its_key_at_the_first_administrator_sign_in(
    file_council: FileCouncil,
):
    """A database from before signing: no key, no signatures, a keyslot file without them."""
    path = file_council.path
    sql(
        path,
        "DELETE FROM meta WHERE key = 'signing_public_key'",
        "UPDATE users SET signature = NULL, signed_counter = NULL",
        "DELETE FROM audit_heads",
    )
    keys = keyslot_path(path)
    data = json.loads(keys.read_text())
    del data["signing"]
    keys.write_text(json.dumps(data))
    with Store.open(path, "wes", PASSWORD) as worker:  # a worker first: nothing to check yet
        assert worker.verify().signatures == signatures.SignatureReport(
            False, entries=worker.audit.head()[0]
        )
    with Store.open(path, ADMIN, PASSWORD) as admin:
        made = admin.audit.entries(action=signatures.KEY_CREATED)
        assert len(made) == 1 and made[0].detail == {"users_signed": 6}
        assert admin.context.signer is not None
        report = admin.verify()
    assert report.ok and report.signatures is not None and report.signatures.signed
    with Store.open(path, "wes", PASSWORD) as worker:
        assert worker.verify().ok


def test_an_administrator_re_signs_a_checked_record_and_it_is_audited(
    file_council: FileCouncil, capsys: pytest.CaptureFixture[str]
):
    path = file_council.path
    sql(path, "UPDATE users SET team = 'South' WHERE name = 'wes'")  # a move IT checked
    with pytest.raises(DatabaseDamaged):
        Store.open(path, "wes", PASSWORD)
    code, out, err_text = run(
        capsys, "user", "resign", "--db", str(path), "--user", ADMIN, "--target", "wes"
    )
    assert code == 0, err_text
    assert "re-signed 'wes' as worker, team South, active" in out
    with Store.open(path, "wes", PASSWORD) as wes:
        assert wes.user.team == "South" and wes.verify().ok
    with Store.open(path, ADMIN, PASSWORD) as admin:
        entry = admin.audit.entries(action=signatures.RESIGNED)[0]
    assert entry.actor == ADMIN
    assert entry.detail == {"role": "worker", "team": "South", "active": True}
    code, _out, err_text = run(
        capsys, "user", "resign", "--db", str(path), "--user", "lena", "--target", "wes"
    )
    assert code != 0 and "may not re-sign users" in err_text


def test_an_administrators_backup_and_export_sign_the_head_a_leads_export_does_not(
    file_council: FileCouncil, tmp_path: Path
):
    from cse_screen.export import ExportOptions, export_workbook

    path = file_council.path

    def heads() -> list[tuple[int, str, str]]:
        engine = raw_engine(path)
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT seq, purpose, signer FROM audit_heads ORDER BY id")
            ).all()
        engine.dispose()
        return [tuple(r) for r in rows]

    with Store.open(path, ADMIN, PASSWORD) as admin:
        admin.backup(tmp_path / "one.backup")
        backup_seq = admin.audit.head()[0]
        export_workbook(admin, tmp_path / "all.xlsx", ExportOptions())
        export_seq = admin.audit.head()[0]
    assert (backup_seq, "backup", ADMIN) in heads()
    assert (export_seq, "export", ADMIN) in heads()
    before = heads()
    with Store.open(path, "lena", PASSWORD) as lead:
        export_workbook(lead, tmp_path / "north.xlsx", ExportOptions())
    assert heads() == before  # a lead cannot sign: the export is in the unsigned tail


def test_a_deactivated_administrator_loses_the_key_and_a_reactivated_one_gets_it_back(
    file_council: FileCouncil,
):
    path = file_council.path
    with Store.open(path, ADMIN, PASSWORD) as admin:
        admin.users.update("lena", role="admin")
        admin.users.deactivate("lena")
    signing = KeyslotFile.load(keyslot_path(path)).signing
    assert "lena" not in signing.grants and "lena" not in signing.boxes
    new_password = "lantern harbour 55 returning"
    with Store.open(path, ADMIN, PASSWORD) as admin:
        admin.users.reactivate("lena", new_password)
    with Store.open(path, "lena", new_password) as lena:
        assert lena.user.role == "admin" and lena.context.signer is not None
        assert lena.verify().ok
