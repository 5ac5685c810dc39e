"""The laptop's outbox: what an enrolled database queues for sync, in the same transaction as
the change, and what a standalone one never queues.

On the encrypted file only: the outbox is the laptop's (the server numbers its changes in
``change_log`` instead, which the real-process tests in ``tests/sync/`` exercise on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt

import pytest
from records_fixtures import FileCouncil, complete_answers
from sqlalchemy import select

from cse_screen.errors import PermissionDenied
from cse_screen.storage.models import OutboxEntry, SyncState
from cse_screen.storage.records import ChildInput


def _entries(store) -> list[OutboxEntry]:  # type: ignore[no-untyped-def]
    with store.reading() as session:
        found = list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))
        for row in found:
            session.expunge(row)
        return found


def _enrol(store) -> None:  # type: ignore[no-untyped-def]
    with store.context.transaction() as session:
        session.add(
            SyncState(
                id=1,
                server_url="https://server.example:8443",
                ca_pem="",
                fingerprint="",
                server_user="wes",
                cursor=0,
            )
        )


def test_a_standalone_database_queues_nothing(file_council: FileCouncil, q) -> None:
    wes = file_council.open("wes")
    wes.children.add(ChildInput("W1", "Poppy Wexcombe", dt.date(2012, 3, 4)))
    file_council.screen("wes", "N1", q, complete_answers(q))
    assert _entries(wes) == []


def test_an_enrolled_database_queues_each_travelling_change_frozen(
    file_council: FileCouncil, q
) -> None:
    wes = file_council.open("wes")
    _enrol(wes)
    child = wes.children.add(ChildInput("W1", "Poppy Wexcombe", dt.date(2012, 3, 4)))
    wes.children.update(child.id, placement_type="foster")
    draft = wes.screenings.start_draft(child.id, q)
    wes.screenings.save_answers(draft.id, complete_answers(q, A1="current"))
    assert [e.kind for e in _entries(wes)] == ["child.create", "child.change"]  # no draft
    wes.screenings.submit(draft.id)
    entries = _entries(wes)
    assert [e.kind for e in entries] == ["child.create", "child.change", "screening.submit"]
    created, edited, submitted = entries
    assert created.payload["name"] == "Poppy Wexcombe"
    assert created.payload["placement_type"] is None  # as it was when queued: frozen
    # the stored code travels (core/codes.py), not the spelling that was typed
    assert edited.payload == {"id": child.public_id, "fields": {"placement_type": "U6"}}
    assert submitted.payload["answers"]["A1"] == ["current", None]
    assert (
        submitted.payload["status"] == "submitted" and submitted.payload["child"] == child.public_id
    )
    assert len({e.change_id for e in entries}) == 3
    assert {e.state for e in entries} == {"pending"} and {e.team for e in entries} == {"North"}


def test_a_refused_change_queues_nothing(file_council: FileCouncil) -> None:
    wes = file_council.open("wes")
    _enrol(wes)
    with pytest.raises(PermissionDenied):
        wes.children.add(ChildInput("X1", "Test Child", dt.date(2012, 3, 4), worker="sue"))
    assert _entries(wes) == []
