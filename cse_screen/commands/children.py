"""Children and screenings from the command line: child add, child import, screen (child list
and child edit live in :mod:`cse_screen.commands.caseload`)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
from pathlib import Path
from typing import Any

from cse_screen.commands import caseload
from cse_screen.commands.common import add_user_options
from cse_screen.commands.store import open_store
from cse_screen.errors import UsageError, UserError
from cse_screen.storage.records import ChildInput
from cse_screen.vault.store import Store


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a date as YYYY-MM-DD") from None


def _child_add(args: argparse.Namespace) -> int:
    child = ChildInput(
        case_ref=args.ref,
        name=args.name,
        dob=args.dob,
        gender=args.gender,
        ethnicity=args.ethnicity,
        disability=args.disability,
        placement_type=args.placement_type,
        legal_status=args.legal_status,
        worker=args.worker,
        team=args.team,
    )
    with open_store(args) as store:
        record = store.children.add(child)
    print(json.dumps({"id": record.public_id, "case_ref": record.case_ref}))
    return 0


def _child_import(args: argparse.Namespace) -> int:
    from cse_screen.storage.importer import import_children

    with open_store(args) as store:
        plan = import_children(store, args.file)
    print(f"imported {len(plan.children)} children from {Path(args.file).name}")
    if plan.ignored_columns:
        print(f"columns not imported: {', '.join(plan.ignored_columns)}")
    return 0


def _screen(args: argparse.Namespace) -> int:
    from cse_screen.core.answers_file import check_against, read_answers_file

    if args.reason and not args.outcome:
        raise UsageError("--reason goes with --outcome (a professional judgement)")
    answers = read_answers_file(args.answers)
    context = {k: v for k, v in answers.context.items() if k not in ("dob", "screen_date")}
    day = answers.context.get("screen_date")
    on = dt.date.fromisoformat(str(day)) if day else None
    with open_store(args) as store:
        # The installed version the file names, else the one active on the screening date.
        if answers.version:
            q = store.versions.get(answers.version, answers.questionnaire)
        else:
            q = store.versions.active_on(on, answers.questionnaire)
        check_against(answers, q)
        child = store.children.by_ref(args.child)
        screening = store.screenings.start_draft(child.id, q, screen_date=on)
        store.screenings.save_context(screening.id, context)
        store.screenings.save_answers(screening.id, answers.answers)
        if args.submit:
            screening = _submit_or_discard(store, screening.id, args.outcome, args.reason)
    print(
        json.dumps(
            {
                "id": screening.public_id,
                "status": screening.status,
                "outcome": screening.final_outcome,
                "computed_outcome": screening.computed_outcome,
                "needs_signoff": screening.needs_signoff,
                "next_due": screening.next_due.isoformat() if screening.next_due else None,
            }
        )
    )
    return 0


def _submit_or_discard(store: Store, sid: int, outcome: str | None, reason: str | None) -> Any:
    """Submit, or leave nothing behind: the answers file is the user's copy, and a refused
    --submit run repeated would otherwise pile up drafts."""
    try:
        return store.screenings.submit(sid, outcome, reason)
    except UserError:
        with contextlib.suppress(UserError):
            store.screenings.discard_draft(sid)
        raise


def _register_child(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    child = subparsers.add_parser("child", help="add, import, list or change looked-after children")
    inner = child.add_subparsers(dest="child_command", metavar="COMMAND", required=True)
    add = inner.add_parser("add", help="add one child")
    add_user_options(add)
    add.add_argument("--ref", required=True, help="case reference (unique)")
    add.add_argument("--name", required=True, help="the child's name")
    add.add_argument("--dob", required=True, type=_iso_date, help="date of birth, YYYY-MM-DD")
    add.add_argument("--gender", help="a code or its label: F, M, N, O, U (Female, Male, ...)")
    add.add_argument("--ethnicity", help="an SSDA903 ETHNIC code or its label, e.g. WBRI")
    add.add_argument(
        "--disability",
        help="one of the questionnaire's choices, e.g. none, learning, physical, asd (see "
        "'cse-screen questionnaire show'); anything else is refused, since scoring reads it",
    )
    add.add_argument("--placement-type", help="an SSDA903 placement code or its label, e.g. U6, K2")
    add.add_argument("--legal-status", help="an SSDA903 legal status code or its label, e.g. C2")
    add.add_argument("--worker", help="allocated worker's user name (a worker: yourself)")
    add.add_argument("--team", help="team (default: the worker's, else yours)")
    add.set_defaults(func=_child_add)
    imp = inner.add_parser(
        "import",
        help="import children from a CSV or Excel file (all rows or none)",
        description="Columns: Case Ref, Name, Date of Birth (dd/mm/yyyy), and optionally Gender, "
        "Ethnicity, Disability, Placement Type, Legal Status, Allocated Worker, Team. "
        "If any row is wrong nothing is imported and every bad row is named.",
    )
    add_user_options(imp)
    imp.add_argument("file", type=Path, metavar="FILE.csv|FILE.xlsx")
    imp.set_defaults(func=_child_import)
    caseload.register_list(inner)
    caseload.register_edit(inner)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    _register_child(subparsers)
    screen = subparsers.add_parser(
        "screen", help="record a screening for a child from an answers file"
    )
    add_user_options(screen)
    screen.add_argument("--child", required=True, metavar="REF", help="the child's case reference")
    screen.add_argument("--answers", required=True, type=Path, metavar="FILE.json")
    screen.add_argument("--submit", action="store_true", help="score and submit (else a draft)")
    screen.add_argument("--outcome", help="professional judgement: final outcome (with --submit)")
    screen.add_argument("--reason", help="the reason for a different final outcome")
    screen.set_defaults(func=_screen)
