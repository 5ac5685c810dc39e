"""A laptop's audit trail goes to the team server at every sync, and the server's copy is the
authority: the entries arrive once (a retry is a replay), ``verify`` on the laptop says how much
the server holds, and a laptop whose trail was rewritten with its own database key (as the
security review's attacker did: triggers dropped, an old entry changed, the chain re-hashed,
even the recorded acknowledgement made to match) is refused at its next sync, while
``server verify`` still passes on the server's copy."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from laptops import Fleet, server_command
from server_support import PASSWORD
from sqlalchemy import Connection, text

from cse_screen.errors import EXIT_DAMAGED
from cse_screen.storage.services import audit
from cse_screen.vault.engine import open_engine
from cse_screen.vault.keyslots import KeyslotFile, keyslot_path


@pytest.fixture(autouse=True)
def _test_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")


@contextmanager
def raw(db: Path, user: str) -> Iterator[Connection]:
    """The SQLCipher file opened directly with its key, past every check of the application."""
    key = KeyslotFile.load(keyslot_path(db)).unlock(user, PASSWORD)
    engine = open_engine(db, key)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def laptop_chain(db: Path, user: str) -> list[tuple[int, str]]:
    with raw(db, user) as connection:
        return [
            tuple(r) for r in connection.execute(text("SELECT seq, hash FROM audit ORDER BY seq"))
        ]


def sync_row(db: Path, user: str) -> dict[str, Any]:
    with raw(db, user) as connection:
        row = connection.execute(text("SELECT * FROM sync_state WHERE id = 1")).mappings().one()
        return dict(row)


def server_chain(url: str, device: str) -> list[tuple[int, str]]:
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('cse.scope', 'all', true)")  # row-level security
        rows = conn.execute(
            "SELECT seq, hash FROM device_audit WHERE device = %s ORDER BY seq", (device,)
        ).fetchall()
    return [(int(s), str(h)) for s, h in rows]


def rewrite_entry(db: Path, user: str, seq: int) -> None:
    """Change entry ``seq``'s detail and re-hash the chain after it, and make the recorded
    acknowledgement match the new hash: a key holder's complete forgery."""
    with raw(db, user) as connection:
        connection.execute(text("DROP TRIGGER audit_no_update"))
        rows = connection.execute(text("SELECT * FROM audit ORDER BY seq")).mappings().all()
        prev = audit.GENESIS
        hashes: dict[int, str] = {}
        for row in rows:
            entry = dict(row)
            if entry["seq"] == seq:
                entry["detail"] = audit.canonical({"rewritten": True})
            if entry["seq"] >= seq:
                entry["prev_hash"] = prev
                entry["hash"] = audit.entry_hash(prev, audit.entry_body(_Row(entry)))
                connection.execute(
                    text(
                        "UPDATE audit SET detail = :detail, prev_hash = :prev_hash, hash = :hash "
                        "WHERE seq = :seq"
                    ),
                    entry,
                )
            prev = entry["hash"]
            hashes[entry["seq"]] = entry["hash"]
        acked = connection.execute(text("SELECT audit_acked FROM sync_state")).scalar_one()
        connection.execute(
            text("UPDATE sync_state SET audit_acked_hash = :h"), {"h": hashes[int(acked)]}
        )


class _Row:
    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def test_the_trail_arrives_once_and_a_rewritten_one_is_refused(fleet: Fleet) -> None:
    db, url = fleet.db("wes"), fleet.server.url
    fleet.enrol("wes")
    fleet.add_child("wes", "W7", "Poppy Wexcombe")
    fleet.sync("wes")
    state = sync_row(db, "wes")
    device, acked = str(uuid.UUID(str(state["device"]))), int(state["audit_acked"])
    held = server_chain(url, device)
    assert acked >= 3 and len(held) == acked
    assert held == laptop_chain(db, "wes")[:acked]  # the same entries, hashes and all

    # A retry of the very batch the server took is a replay: nothing doubled.
    with raw(db, "wes") as connection:
        rows = connection.execute(
            text("SELECT * FROM audit WHERE seq <= :n ORDER BY seq"), {"n": acked}
        )
        entries = [dict(r) for r in rows.mappings().all()]
    with fleet.server.client(str(state["token"])) as http:
        again = http.post("/api/v1/sync/audit", json={"entries": entries})
    assert again.status_code == 200, again.text
    assert again.json()["added"] == 0 and again.json()["replayed"] == acked
    assert server_chain(url, device) == held

    fleet.sync("wes")  # the next sync sends only what is new
    later = server_chain(url, device)
    assert later[:acked] == held and len(later) == int(sync_row(db, "wes")["audit_acked"])
    assert len({seq for seq, _ in later}) == len(later)

    checked = fleet.run("wes", "verify")
    assert checked.code == 0, checked.err
    assert f"the team server holds entries 1 to {len(later)} of this audit trail" in checked.out

    rewrite_entry(db, "wes", 2)
    before = sync_row(db, "wes")
    refused = fleet.run("wes", "sync", "--json")
    assert refused.code == EXIT_DAMAGED, refused.err
    errors = [line for line in refused.err.splitlines() if line.startswith("cse-screen: error:")]
    assert "Traceback" not in refused.err and len(errors) == 1
    assert "differs at entry" in errors[0] and "nothing was changed here" in errors[0]
    assert sync_row(db, "wes") == before  # no acknowledgement, no cursor moved
    assert server_chain(url, device) == later  # nothing of the forgery kept

    with psycopg.connect(url) as conn:
        noted = conn.execute(
            "SELECT actor, entity_id, detail FROM audit WHERE action = 'audit_refused'"
        ).fetchall()
    assert [(a, e) for a, e, _ in noted] == [("wes", device)]
    assert '"code":"audit_rewritten"' in noted[0][2]

    verified = server_command(fleet.server, "verify")
    assert verified.code == 0, verified.err
    assert "laptop(s)" in verified.out and f"({len(later)} entries)" in verified.out
    assert "Poppy" not in fleet.server.log_text()


def test_a_laptop_whose_acknowledged_entry_changed_fails_verify(fleet: Fleet) -> None:
    """Without the forger's last step (the recorded acknowledgement), ``verify`` on the laptop
    sees the rewrite by itself, before any sync."""
    db = fleet.db("wynn")
    fleet.enrol("wynn")
    fleet.sync("wynn")
    acked = int(sync_row(db, "wynn")["audit_acked"])
    kept = sync_row(db, "wynn")["audit_acked_hash"]
    rewrite_entry(db, "wynn", 2)
    with raw(db, "wynn") as connection:
        connection.execute(text("UPDATE sync_state SET audit_acked_hash = :h"), {"h": kept})
    checked = fleet.run("wynn", "verify")
    assert checked.code == EXIT_DAMAGED
    assert f"audit entry {acked} differs from the one the team server acknowledged" in checked.err
