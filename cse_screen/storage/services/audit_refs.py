"""The case reference each audit entry is about, for people reading the trail.

Entries name the record by its row id (``screening 42``), which nobody reading the audit log can
place; the case reference of the child concerned is what they know. It is looked up when a page
is read, never stored in the chain, so an entry's hash is unchanged; a discarded draft, whose
row is gone, carries its child's reference in its detail.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cse_screen.storage.models import Child, Event, Screening
from cse_screen.storage.records import AuditEntry

#: Entities kept beside a child, and the column naming it.
_CHILD_OF: Mapping[str, Any] = {"screening": Screening, "event": Event}


def _ids(entries: Iterable[AuditEntry], entity: str) -> set[int]:
    return {
        int(e.entity_id) for e in entries if e.entity == entity and (e.entity_id or "").isdigit()
    }


def _child_refs(session: Session, child_ids: set[int]) -> dict[int, str]:
    if not child_ids:
        return {}
    rows = session.execute(select(Child.id, Child.case_ref).where(Child.id.in_(child_ids)))
    return {int(i): str(ref) for i, ref in rows}


def _owners(session: Session, model: Any, ids: set[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = session.execute(select(model.id, model.child_id).where(model.id.in_(ids)))
    return {int(i): int(child) for i, child in rows}


def case_refs(session: Session, entries: Sequence[AuditEntry]) -> dict[int, str]:
    """Entry seq → the case reference of the child the entry concerns, where there is one."""
    owners = {
        entity: _owners(session, model, _ids(entries, entity))
        for entity, model in _CHILD_OF.items()
    }
    wanted = _ids(entries, "child") | {c for found in owners.values() for c in found.values()}
    wanted |= {
        int(e.detail["child_id"]) for e in entries if isinstance(e.detail.get("child_id"), int)
    }
    refs = _child_refs(session, wanted)
    found: dict[int, str] = {}
    for entry in entries:
        ref = _ref_of(entry, owners, refs)
        if ref:
            found[entry.seq] = ref
    return found


def _ref_of(
    entry: AuditEntry, owners: Mapping[str, Mapping[int, int]], refs: Mapping[int, str]
) -> str | None:
    row_id = int(entry.entity_id) if (entry.entity_id or "").isdigit() else None
    child_id: int | None = None
    if entry.entity == "child":
        child_id = row_id
    elif entry.entity in owners and row_id is not None:
        child_id = owners[entry.entity].get(row_id)
    if child_id is None and isinstance(entry.detail.get("child_id"), int):
        child_id = entry.detail["child_id"]
    if child_id is not None and child_id in refs:
        return refs[child_id]
    named = entry.detail.get("case_ref")
    return named if isinstance(named, str) else None
