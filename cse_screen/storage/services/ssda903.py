"""The SSDA903 import: the council's return keeps the register's care details and events current.

For each child of the return already in the register (matched on CHILD = case reference):
date of birth, gender and ethnicity from Header; placement type and legal status from the
episode in force; a placement move for each episode begun by a change of placement; a missing
or away event for each Missing row; and a child whose last episode ended is marked as no
longer looked after (out of the due counts and the register's default view, the record kept).
Children of the return not in the register are listed, never created (the return has no
names); looked-after children of the register not in the return are listed too.

All or nothing, in one transaction: the files are checked in full before anything is written
(:mod:`cse_screen.core.ssda903`), and any refusal while writing rolls everything back. Each
imported event carries a source key, so a second import of the same return adds nothing. A
dry run reads and reports without writing. One audit entry records the import, with counts.

Leads and administrators only: a return covers the whole council, and a lead's import changes
the children of their own team (others are counted, not touched).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from cse_screen.core import registry, ssda903
from cse_screen.core.model import Questionnaire
from cse_screen.errors import Cancelled, ChildDetailsInvalid, ImportFailed
from cse_screen.storage.models import Child, Event
from cse_screen.storage.services import audit, roles
from cse_screen.storage.services.children import change_details
from cse_screen.storage.services.context import ServiceContext
from cse_screen.storage.services.events import event_values
from cse_screen.storage.services.latest import refresh_children

#: The audit action of an import (the entity is "ssda903").
IMPORT_ACTION = "import"
ROLES = ("lead", "admin")
#: Children changed per progress report.
PROGRESS_EVERY = 500

Progress = Callable[[int, int], None]


@dataclass
class Import903Result:
    """What an import changed (or, in a dry run, would change)."""

    children_updated: int = 0
    placement_moves: int = 0
    missing_episodes: int = 0
    left_care: int = 0
    returned_to_care: int = 0
    not_in_register: list[str] = field(default_factory=list)
    not_in_return: list[str] = field(default_factory=list)
    #: children of the return in the register but outside the user's team: left alone
    other_teams: int = 0
    files: list[tuple[str, str]] = field(default_factory=list)
    not_used: list[tuple[str, str]] = field(default_factory=list)
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        """The command line's ``--json`` object (contract: exactly these keys)."""
        return {
            "children_updated": self.children_updated,
            "placement_moves": self.placement_moves,
            "missing_episodes": self.missing_episodes,
            "left_care": self.left_care,
            "not_in_register": self.not_in_register,
            "not_in_return": self.not_in_return,
        }

    def counts(self) -> dict[str, Any]:
        """The audit entry's detail: counts and file names, never a child."""
        return {
            "children_updated": self.children_updated,
            "placement_moves": self.placement_moves,
            "missing_episodes": self.missing_episodes,
            "left_care": self.left_care,
            "returned_to_care": self.returned_to_care,
            "not_in_register": len(self.not_in_register),
            "not_in_return": len(self.not_in_return),
            "other_teams": self.other_teams,
            "files": [f"{name} ({table})" for name, table in self.files],
        }


def import_return(
    ctx: ServiceContext,
    paths: Sequence[Path | str],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Import903Result:
    """Read, check and apply an SSDA903 return (see the module's docstring). ``cancel`` is
    asked between children; True stops the import with nothing written."""
    roles.require_role(ctx, ROLES, "import an SSDA903 return", "children")
    found = ssda903.read_return(paths, ctx.today())
    result = Import903Result(files=list(found.files), not_used=list(found.not_used))
    result.dry_run = dry_run
    opener = ctx.reading if dry_run else ctx.transaction
    with opener() as session:
        _apply(ctx, session, found, result, dry_run, _Steps(progress, cancel))
        if not dry_run:
            audit.append(session, ctx, IMPORT_ACTION, "ssda903", None, result.counts())
    return result


def _apply(
    ctx: ServiceContext,
    session: Session,
    found: ssda903.Return903,
    result: Import903Result,
    dry_run: bool,
    steps: _Steps,
) -> None:
    in_return = found.children()
    rows = {c.case_ref: c for c in session.scalars(select(Child))}
    mine = {ref: c for ref, c in rows.items() if roles.can_change_child(ctx.user, c.worker, c.team)}
    result.not_in_register = sorted(in_return - rows.keys())
    result.other_teams = len((in_return & rows.keys()) - mine.keys())
    result.not_in_return = sorted(
        ref for ref, c in mine.items() if ref not in in_return and c.left_care_on is None
    )
    stored: dict[str, Any] = {
        key: note
        for key, note in session.execute(
            select(Event.source_key, Event.note).where(Event.source_key.like("903:%"))
        )
    }
    keys: set[str] = set(stored)
    missing_by_child: dict[str, list[ssda903.MissingPeriod]] = {}
    for period in found.missing:
        missing_by_child.setdefault(period.child, []).append(period)
    matched = sorted(in_return & mine.keys())
    q = registry.get_questionnaire()  # once: every changed child's details are checked on it
    new_events: list[dict[str, object]] = []
    touched: list[Child] = []
    for done, ref in enumerate(matched, start=1):
        row = mine[ref]
        facts = ssda903.child_facts(found, ref)
        periods = missing_by_child.get(ref, [])
        events = _events(ctx, row, facts, periods, keys, result)
        if dry_run:
            changed = bool(_detail_changes(row, facts))
        else:
            changed = _details(ctx, session, row, facts, found, q)
            _ended_since(session, row, periods, stored)
        care = _care(row, facts, result, dry_run)
        result.children_updated += changed
        if events or changed or care:
            new_events.extend(events)
            touched.append(row)
        steps.report(done, len(matched))
    if dry_run:
        return
    if new_events:
        session.execute(insert(Event), new_events)
    refresh_children(session, touched)


@dataclass(frozen=True)
class _Steps:
    """Progress reports and the cancel check, every PROGRESS_EVERY children."""

    progress: Progress | None
    cancel: Callable[[], bool] | None

    def report(self, done: int, total: int) -> None:
        if done % PROGRESS_EVERY and done != total:
            return
        if self.cancel is not None and self.cancel():
            raise Cancelled("the SSDA903 import was cancelled; nothing was changed")
        if self.progress is not None:
            self.progress(done, total)


def _detail_changes(row: Child, facts: ssda903.ChildFacts) -> dict[str, Any]:
    wanted = {
        "dob": facts.dob,
        "gender": facts.gender,
        "ethnicity": facts.ethnicity,
        "placement_type": facts.placement_type,
        "legal_status": facts.legal_status,
    }
    # a detail the return leaves blank is not news: the register keeps what it holds
    return {k: v for k, v in wanted.items() if v is not None and getattr(row, k) != v}


def _ended_since(
    session: Session, row: Child, periods: list[ssda903.MissingPeriod], stored: dict[str, Any]
) -> None:
    """A period open at the last import that has ended since: its event's note says so now
    (the same event: a second import adds nothing)."""
    for period in periods:
        key = ssda903.missing_key(row.case_ref, period.start)
        note = ssda903.missing_note(period)
        if key in stored and stored[key] != note:
            session.execute(
                Event.__table__.update().where(Event.source_key == key).values(note=note)
            )


def _details(
    ctx: ServiceContext,
    session: Session,
    row: Child,
    facts: ssda903.ChildFacts,
    found: ssda903.Return903,
    q: Questionnaire,
) -> bool:
    changes = _detail_changes(row, facts)
    if not changes:
        return False
    try:
        return bool(change_details(ctx, session, row, changes, q))
    except ChildDetailsInvalid as refused:
        header = next((name for name, table in found.files if table == "Header"), "the return")
        where = f"in {header}, row {facts.header_row}" if facts.header_row else f"in {header}"
        column = {"dob": "DOB", "gender": "SEX", "ethnicity": "ETHNIC"}.get(
            refused.problems[0][0] if refused.problems else "", "CHILD"
        )
        raise ImportFailed(f"{where}, column {column}: {refused}") from None


def _care(row: Child, facts: ssda903.ChildFacts, result: Import903Result, dry_run: bool) -> bool:
    """Mark a child whose last episode ended as no longer looked after (or back in care when
    the return shows an episode in force again); True when that changed."""
    has_episodes = facts.placement_type is not None or facts.legal_status is not None
    if facts.left_care_on is not None:
        if (row.left_care_on, row.left_care_reason) == (facts.left_care_on, facts.left_care_reason):
            return False
        result.left_care += row.left_care_on is None
        if not dry_run:
            row.left_care_on, row.left_care_reason = facts.left_care_on, facts.left_care_reason
        return True
    if row.left_care_on is not None and has_episodes:
        result.returned_to_care += 1
        if not dry_run:
            row.left_care_on, row.left_care_reason = None, None
        return True
    return False


def _events(
    ctx: ServiceContext,
    row: Child,
    facts: ssda903.ChildFacts,
    periods: list[ssda903.MissingPeriod],
    keys: set[str],
    result: Import903Result,
) -> list[dict[str, object]]:
    """New event rows for the child's placement moves and missing or away periods; those
    already imported (the same source key) are skipped."""
    rows: list[dict[str, object]] = []
    for start, reason in facts.moves:
        key = ssda903.episode_key(row.case_ref, start)
        if key not in keys:
            keys.add(key)
            note = ssda903.move_note(reason)
            rows.append(event_values(ctx, row.id, "placement_move", start, note, source_key=key))
            result.placement_moves += 1
    for period in periods:
        key = ssda903.missing_key(row.case_ref, period.start)
        if key not in keys:
            keys.add(key)
            kind = ssda903.MISSING_EVENT_KINDS[period.kind]
            note = ssda903.missing_note(period)
            rows.append(event_values(ctx, row.id, kind, period.start, note, source_key=key))
            result.missing_episodes += 1
    return rows
