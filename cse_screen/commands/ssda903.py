"""``import-903``: keep the register current from the council's SSDA903 return."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from cse_screen.commands.common import add_user_options
from cse_screen.commands.store import open_store

#: How many references a text report lists before saying how many more there are.
LISTED = 20


def _listed(refs: list[str]) -> str:
    shown = ", ".join(refs[:LISTED])
    more = len(refs) - LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def _import_903(args: argparse.Namespace) -> int:
    from cse_screen.storage.services.ssda903 import import_return

    with open_store(args) as store:
        result = import_return(store.context, args.files, dry_run=args.dry_run)
    if args.json:
        print(json.dumps(result.as_json()))
        return 0
    verb = "would update" if args.dry_run else "updated"
    for name, table in result.files:
        print(f"read {name} as the {table} table")
    for name, table in result.not_used:
        print(f"not used: {name} (the {table} table)")
    print(
        f"{verb} {result.children_updated} children's details; "
        f"{result.placement_moves} placement moves, {result.missing_episodes} missing or away "
        f"episodes; {result.left_care} children left care"
    )
    if result.returned_to_care:
        print(f"{result.returned_to_care} children are looked after again")
    if result.not_in_register:
        print(
            f"in the return but not in the register ({len(result.not_in_register)}): "
            f"{_listed(result.not_in_register)}"
        )
    if result.not_in_return:
        print(
            f"looked after in the register but not in the return "
            f"({len(result.not_in_return)}): {_listed(result.not_in_return)}"
        )
    if result.other_teams:
        print(f"{result.other_teams} children of the return belong to other teams: left alone")
    if args.dry_run:
        print("dry run: nothing was written")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "import-903",
        help="update placements, legal status and events from the SSDA903 return (CSV)",
        description="Reads the SSDA903 Header, Episodes and Missing tables as CSV files, each "
        "recognised by its columns. Children are matched on CHILD = case reference; none are "
        "created. If any file is malformed nothing is imported. Leads and administrators.",
    )
    add_user_options(parser)
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE.csv")
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would change and write nothing"
    )
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    parser.set_defaults(func=_import_903)
