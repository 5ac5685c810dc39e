"""A team lead's review from the command line: review list, show, signoff and return.

Everything a lead decides goes through the screenings service, which holds the rules: only
leads, managers (their own team) and administrators may review; nobody signs off a screening
they started, changed, judged or submitted; a lowered outcome is accepted only with the lowering
the lead was shown; a return needs a reason the worker will read. This module only finds the
screening by the id people see, and prints.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import Any

from cse_screen.commands.casework import Refused, plain, refusals_exit_3, table
from cse_screen.commands.common import add_user_options
from cse_screen.commands.store import open_store
from cse_screen.core import registry
from cse_screen.core.model import Questionnaire
from cse_screen.errors import InvalidTransition, NotFound, UsageError
from cse_screen.storage.records import ScreeningRecord, ScreeningSummary
from cse_screen.storage.services.lowering import Lowering
from cse_screen.vault.store import Store


def summary_json(s: ScreeningSummary) -> dict[str, Any]:
    """One screening awaiting sign-off, as ``review list --json`` prints it."""
    return {
        "id": s.public_id,
        "child_ref": s.child_ref,
        "status": s.status,
        "outcome": s.final_outcome,
        "computed_outcome": s.computed_outcome,
        "lowered": s.needs_signoff,
        "floors_below": list(s.floors_below),
        "screen_date": plain(s.screen_date),
        "trigger": s.trigger,
        "questionnaire_version": s.instrument_version,
        "started_by": s.created_by,
        "submitted_at": plain(s.submitted_at),
        "reason": s.override_reason,
    }


def _review_list(args: argparse.Namespace) -> int:
    with open_store(args) as store, refusals_exit_3():
        queue = store.screenings.review_queue()
    if args.json:
        print(json.dumps([summary_json(s) for s in queue], indent=2))
        return 0
    if not queue:
        print("no screenings are awaiting sign-off")
        return 0
    rows = [
        (
            s.public_id,
            s.child_ref,
            s.screen_date,
            s.final_outcome,
            s.computed_outcome if s.needs_signoff else "",
            s.created_by,
        )
        for s in queue
    ]
    print(table(("ID", "Child", "Date", "Outcome", "Lowered from", "Started by"), rows))
    print(f"{len(queue)} awaiting sign-off")
    return 0


def _definition(record: ScreeningRecord) -> Questionnaire | None:
    """The definition the screening was scored with (None if it is no longer installed)."""
    try:
        return registry.get_by_hash(
            record.instrument_id, record.instrument_version, record.instrument_hash
        )
    except NotFound:
        return None


def _answers_json(record: ScreeningRecord, q: Questionnaire | None) -> dict[str, Any]:
    """The answers in the questionnaire's order, each with its question when it is known."""
    texts = {item.id: item.text for item in q.items} if q is not None else {}
    order = [i for i in texts if i in record.answers] + sorted(set(record.answers) - set(texts))
    return {
        item: {
            "question": texts.get(item),
            "value": record.answers[item].value,
            "note": record.answers[item].note,
        }
        for item in order
    }


def _record_json(store: Store, record: ScreeningRecord) -> dict[str, Any]:
    """One screening as ``review show`` prints it, with what signing it off would agree to."""
    q = _definition(record)
    lowered = store.screenings.lowering(record.id)
    words = None
    if lowered is not None:
        words = (
            lowered.sentence(q)
            if q is not None
            else (f"lower from {lowered.from_outcome} to {lowered.to_outcome}")
        )
    return {
        "id": record.public_id,
        "child_ref": record.child_ref,
        "status": record.status,
        "outcome": record.final_outcome,
        "computed_outcome": record.computed_outcome,
        "lowered": record.needs_signoff,
        "lowering": words,
        "confirm_lowering": f"{lowered.from_outcome}:{lowered.to_outcome}" if lowered else None,
        "reason": record.override_reason,
        "screen_date": plain(record.screen_date),
        "trigger": record.trigger,
        "questionnaire": record.instrument_id,
        "questionnaire_version": record.instrument_version,
        "started_by": record.created_by,
        "submitted_at": plain(record.submitted_at),
        "signed_off_by": record.signed_off_by,
        "returned_by": record.returned_by,
        "returned_reason": record.returned_reason,
        "answers": _answers_json(record, q),
    }


def _review_show(args: argparse.Namespace) -> int:
    with open_store(args) as store, refusals_exit_3():
        record = store.screenings.get(store.screenings.find(args.screening))  # audited view
        shown = _record_json(store, record)
    if args.json:
        print(json.dumps(shown, indent=2))
        return 0
    for label, key in (
        ("Screening", "id"),
        ("Child", "child_ref"),
        ("Status", "status"),
        ("Date", "screen_date"),
        ("Questionnaire", "questionnaire_version"),
        ("Computed outcome", "computed_outcome"),
        ("Final outcome", "outcome"),
        ("Reason for the judgement", "reason"),
        ("Signing off would", "lowering"),
        ("Started by", "started_by"),
    ):
        if shown[key]:
            print(f"{label}: {shown[key]}")
    answers = [
        (item, _short(a["question"]), a["value"], a["note"] or "")
        for item, a in shown["answers"].items()
    ]
    print(table(("Item", "Question", "Answer", "Evidence note"), answers))
    if shown["confirm_lowering"]:
        print(
            "To agree to the lowering: cse-screen review signoff --screening "
            f"{shown['id']} --confirm-lowering {shown['confirm_lowering']}"
        )
    return 0


def _short(text: str | None, width: int = 60) -> str:
    """A question cut to one readable table cell."""
    if not text:
        return ""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= width else one_line[: width - 1].rstrip() + "…"


def _acknowledged(lowered: Lowering | None, typed: str | None) -> Lowering | None:
    """The lowering the lead says they read (FROM:TO), for the service to compare with the
    one it would agree to; None when nothing was typed."""
    if typed is None:
        return None
    parts = typed.split(":")
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise UsageError("--confirm-lowering takes FROM:TO, the outcome ids 'review show' names")
    if lowered is None:
        raise UsageError(
            "--confirm-lowering was given but signing off this screening lowers nothing"
        )
    return dataclasses.replace(lowered, from_outcome=parts[0].strip(), to_outcome=parts[1].strip())


def _review_signoff(args: argparse.Namespace) -> int:
    with open_store(args) as store, refusals_exit_3():
        sid = store.screenings.find(args.screening)
        shown = _acknowledged(store.screenings.lowering(sid), args.confirm_lowering)
        try:
            record = store.screenings.sign_off(sid, shown)
        except InvalidTransition as exc:
            if store.screenings.lowering(sid) is None:
                raise
            # A lowering not (or no longer) agreed to: refused, with how to agree on this line.
            raise Refused(
                f"{exc.message} (on the command line: 'cse-screen review show --screening "
                f"{args.screening}', then 'review signoff' with --confirm-lowering FROM:TO)"
            ) from None
    print(f"signed off screening {record.public_id} for child {record.child_ref}")
    return 0


def _review_return(args: argparse.Namespace) -> int:
    with open_store(args) as store, refusals_exit_3():
        record = store.screenings.return_to_worker(
            store.screenings.find(args.screening), args.reason
        )
    print(f"returned screening {record.public_id} for child {record.child_ref} to its worker")
    return 0


def _screening_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--screening",
        required=True,
        metavar="ID",
        help="the screening's id as 'review list' shows it (or its first 8 or more characters, "
        "for one awaiting your sign-off)",
    )


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    review = subparsers.add_parser(
        "review",
        help="review, sign off and return screenings (team leads, managers, administrators)",
    )
    inner = review.add_subparsers(dest="review_command", metavar="COMMAND", required=True)
    listing = inner.add_parser("list", help="screenings awaiting your sign-off, lowered first")
    add_user_options(listing)
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.set_defaults(func=_review_list)
    show = inner.add_parser("show", help="one screening with its answers and any lowering")
    add_user_options(show)
    _screening_option(show)
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(func=_review_show)
    signoff = inner.add_parser(
        "signoff",
        help="sign off a submitted screening (never one you started, changed or submitted)",
    )
    add_user_options(signoff)
    _screening_option(signoff)
    signoff.add_argument(
        "--confirm-lowering",
        metavar="FROM:TO",
        help="agree to the lowering 'review show' names, as its two outcome ids",
    )
    signoff.set_defaults(func=_review_signoff)
    ret = inner.add_parser("return", help="send a submitted screening back to its worker")
    add_user_options(ret)
    _screening_option(ret)
    ret.add_argument("--reason", required=True, help="what the worker should change")
    ret.set_defaults(func=_review_return)
