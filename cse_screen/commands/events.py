"""Events in a child's life from the command line: event add.

The events service decides what an event means: every kind makes the child due for a
screening on the event's date (a missing episode, a placement move, new information, a referral
to the CSE team or its confirmation), unless a later screening already covers it. This module
finds the child by case reference and says what the event changed.
"""

from __future__ import annotations

import argparse
import json

from cse_screen.commands.casework import iso_date, plain, refusals_exit_3
from cse_screen.commands.common import add_user_options
from cse_screen.commands.store import open_store
from cse_screen.storage.records import EVENT_KINDS
from cse_screen.storage.services.due import EVENT_WORDS


def _event_add(args: argparse.Namespace) -> int:
    with open_store(args) as store, refusals_exit_3():
        child = store.children.by_ref(args.child)
        event = store.events.record(child.id, args.kind, args.date, args.note)
        after = store.children.by_ref(args.child)
    if args.json:
        shown = {
            "id": event.public_id,
            "child_ref": after.case_ref,
            "kind": event.kind,
            "date": plain(event.on_date),
            "next_due": plain(after.next_due),
        }
        print(json.dumps(shown))
        return 0
    words = EVENT_WORDS.get(event.kind, "event")
    due = f"; next screening due {after.next_due.isoformat()}" if after.next_due else ""
    print(f"recorded {words} on {event.on_date.isoformat()} for child {after.case_ref}{due}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    event = subparsers.add_parser("event", help="record events in a child's life")
    inner = event.add_subparsers(dest="event_command", metavar="COMMAND", required=True)
    add = inner.add_parser(
        "add",
        help="record an event; it makes a screening due on its date",
        description="Kinds: missing_episode, placement_move, new_information, cse_referral "
        "(referred to the CSE team), cse_confirmed (the CSE team confirmed exploitation), other. "
        "Each makes the child due for a screening on the event's date.",
    )
    add_user_options(add)
    add.add_argument("--child", required=True, metavar="REF", help="the child's case reference")
    add.add_argument(
        "--kind",
        required=True,
        choices=EVENT_KINDS,
        metavar="KIND",
        help=f"one of {', '.join(EVENT_KINDS)}",
    )
    add.add_argument(
        "--date", required=True, type=iso_date, metavar="YYYY-MM-DD", help="when it happened"
    )
    add.add_argument(
        "--note", metavar="TEXT", help="what happened (kept in the encrypted database)"
    )
    add.add_argument("--json", action="store_true", help="print one JSON object")
    add.set_defaults(func=_event_add)
