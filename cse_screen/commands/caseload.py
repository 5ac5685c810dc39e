"""The children a user may see, and changing one child's details: child list and child edit.

A listing is written to the audit trail (who, how many, never which): the names and dates of
birth it prints leave the encrypted database for a terminal or a file.

The children service holds the rules: the register lists a worker's own caseload, a lead's
team, a manager's council and, on a standalone database, everything for an administrator; an
edit is validated like the child form's (choices stored as the definition's ids), audited by
field name, and a reallocation follows the allocation rules (a worker may not move a child, a
lead only within their team). This module turns options into those calls and prints.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import Any

from cse_screen.commands.casework import iso_date, plain, refusals_exit_3, table
from cse_screen.commands.common import add_user_options
from cse_screen.commands.store import open_store
from cse_screen.errors import UsageError
from cse_screen.storage.records import DUE_FILTERS, ChildRecord, RegisterQuery, RegisterRow
from cse_screen.storage.services import audit
from cse_screen.storage.services.outcome_words import standing_words
from cse_screen.storage.services.register import MAX_LIMIT
from cse_screen.vault.store import Store

#: child edit's options and the ChildInput field each one changes.
EDIT_OPTIONS = (
    ("name", "name"),
    ("dob", "dob"),
    ("gender", "gender"),
    ("ethnicity", "ethnicity"),
    ("disability", "disability"),
    ("placement_type", "placement_type"),
    ("legal_status", "legal_status"),
    ("worker", "worker"),
    ("team", "team"),
)


def row_json(row: RegisterRow) -> dict[str, Any]:
    """One child as ``child list --json`` prints it."""
    return {
        "id": row.public_id,
        "ref": row.case_ref,
        "name": row.name,
        "dob": plain(row.dob),
        "age": row.age,
        "placement_type": row.placement_type,
        "worker": row.worker,
        "team": row.team,
        "outcome": row.latest_outcome,
        "outcome_state": row.outcome_state,
        "last_screened": plain(row.last_screened),
        "next_due": plain(row.next_due),
        "overdue": row.overdue,
        "due_reason": row.due_reason or None,
        "has_draft": row.has_draft,
    }


def all_rows(store: Store, query: RegisterQuery) -> list[RegisterRow]:
    """Every page of the register for ``query`` (the service pages it)."""
    rows: list[RegisterRow] = []
    while True:
        page = store.children.register(
            dataclasses.replace(query, offset=len(rows), limit=MAX_LIMIT)
        )
        rows.extend(page.rows)
        if not page.rows or len(rows) >= page.total:
            return rows


def _child_list(args: argparse.Namespace) -> int:
    query = RegisterQuery(
        search=args.search or "", worker=args.worker, team=args.team, due=args.due, sort="ref"
    )
    with open_store(args) as store, refusals_exit_3():
        rows = all_rows(store, query)
        # Names and dates of birth leave the app here (a terminal, a pipe, a file): unlike
        # browsing the register on screen, that is written to the audit trail, counts only.
        detail = {"command": "child list", "children": len(rows), "json": bool(args.json)}
        store.audit.record(audit.VIEW, "children", None, detail)
    if args.json:
        print(json.dumps([row_json(r) for r in rows], indent=2))
        return 0
    if not rows:
        print("no children to list")
        return 0
    cells = [
        (
            r.case_ref,
            r.name,
            r.dob,
            r.placement_type,
            r.worker,
            r.team,
            standing_words(r.outcome_state, r.latest_outcome) if r.latest_outcome else "",
            r.next_due,
        )
        for r in rows
    ]
    headers = ("Ref", "Name", "Born", "Placement", "Worker", "Team", "Outcome", "Next due")
    print(table(headers, cells))
    print(f"{len(rows)} {'child' if len(rows) == 1 else 'children'}")
    return 0


def _changes(args: argparse.Namespace) -> dict[str, Any]:
    changes = {field: getattr(args, option) for option, field in EDIT_OPTIONS}
    changes = {field: value for field, value in changes.items() if value is not None}
    if not changes:
        options = ", ".join(f"--{option.replace('_', '-')}" for option, _ in EDIT_OPTIONS)
        raise UsageError(f"nothing to change: give at least one of {options}")
    return changes


def _changed_fields(before: ChildRecord, after: ChildRecord, asked: dict[str, Any]) -> list[str]:
    return [field for field in asked if getattr(before, field) != getattr(after, field)]


def _child_edit(args: argparse.Namespace) -> int:
    asked = _changes(args)
    with open_store(args) as store, refusals_exit_3():
        before = store.children.by_ref(args.ref)
        after = store.children.update(before.id, **asked)
    changed = _changed_fields(before, after, asked)
    if args.json:
        print(json.dumps({"id": after.public_id, "ref": after.case_ref, "changed": changed}))
        return 0
    words = ", ".join(f.replace("_", " ") for f in changed) if changed else "nothing (as it was)"
    print(f"child {after.case_ref}: changed {words}")
    return 0


def register_list(inner: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    listing = inner.add_parser(
        "list", help="the children you may see (your caseload, team or council)"
    )
    add_user_options(listing)
    listing.add_argument("--search", metavar="TEXT", help="only refs or names containing TEXT")
    listing.add_argument("--worker", metavar="NAME", help="only this worker's children")
    listing.add_argument("--team", metavar="TEAM", help="only this team's children")
    listing.add_argument("--due", choices=DUE_FILTERS, help="only overdue, or due within 7d/30d")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.set_defaults(func=_child_list)


def register_edit(inner: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    edit = inner.add_parser(
        "edit",
        help="change a child's details; only the options given change",
        description="Only the options given change; an empty value (--gender '') clears an "
        "optional detail. --worker and --team reallocate the child (team leads within their "
        "team, administrators anywhere). Every change is audited.",
    )
    add_user_options(edit)
    edit.add_argument("--ref", required=True, help="the child's case reference")
    edit.add_argument("--name", help="the child's name")
    edit.add_argument("--dob", type=iso_date, help="date of birth, YYYY-MM-DD")
    edit.add_argument("--gender")
    edit.add_argument("--ethnicity")
    edit.add_argument(
        "--disability", help="one of the questionnaire's choices (see 'questionnaire show')"
    )
    edit.add_argument("--placement-type", help="e.g. foster_inhouse, residential_home")
    edit.add_argument("--legal-status", help="e.g. S20, S31 Care Order")
    edit.add_argument("--worker", metavar="NAME", help="reallocate to this worker")
    edit.add_argument("--team", help="move to this team")
    edit.add_argument("--json", action="store_true", help="print one JSON object")
    edit.set_defaults(func=_child_edit)
