"""``cse-screen questionnaire install|activate|versions``: versions as records in the database.

``install`` validates the file exactly as ``questionnaire validate`` does before the database is
even opened, so a failing file changes nothing and prints its ``FILE:LINE:`` sentence.
Installing the same content again is a no-op (exit 0, "already installed"); the same version
number with other content is refused. Without ``--active-from`` a version is installed
inactive; ``activate`` gives it a start date later (or ``--inactive`` takes it back).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from cse_screen.commands.casework import iso_date, refusals_exit_3, table
from cse_screen.commands.common import add_user_options
from cse_screen.commands.store import open_store
from cse_screen.core import registry
from cse_screen.core.loader import load_source
from cse_screen.core.yaml_nodes import read_source
from cse_screen.errors import EXIT_OK, UsageError
from cse_screen.storage.services.versions import VersionRecord


def register_actions(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    install = actions.add_parser(
        "install",
        help="install a definition into the database (administrators; audited)",
        description=__doc__,
    )
    add_user_options(install)
    install.add_argument("file", type=Path, metavar="FILE.yaml", help="definition file")
    install.add_argument(
        "--active-from",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the day new screenings start using it (default: installed inactive)",
    )
    install.add_argument("--json", action="store_true", help="print one JSON object")
    install.set_defaults(func=run_install)

    activate = actions.add_parser(
        "activate",
        help="set the day an installed version becomes active (administrators; audited)",
    )
    add_user_options(activate)
    activate.add_argument("--version", required=True, help="installed version, e.g. 1.1.0")
    activate.add_argument(
        "--id", default=registry.DEFAULT_ID, help="instrument id (default: %(default)s)"
    )
    when = activate.add_mutually_exclusive_group(required=True)
    when.add_argument("--from", dest="active_from", type=iso_date, metavar="YYYY-MM-DD")
    when.add_argument("--inactive", action="store_true", help="make the version inactive again")
    activate.add_argument("--json", action="store_true", help="print one JSON object")
    activate.set_defaults(func=run_activate)

    listing = actions.add_parser(
        "versions",
        help="the installed versions: who installed what, when, active from, what changed",
    )
    add_user_options(listing)
    listing.add_argument("--id", help="only this instrument")
    listing.add_argument("--json", action="store_true", help="print the list as JSON")
    listing.set_defaults(func=run_versions)


def run_install(args: argparse.Namespace) -> int:
    source = read_source(args.file)
    q = load_source(source)  # the checks of ``validate``, before anything is opened
    with open_store(args) as store, refusals_exit_3():
        done = store.versions.install(q, source.text, args.active_from)
    if args.json:
        print(json.dumps({**done.version.to_dict(), "installed": done.new}))
        return EXIT_OK
    v = done.version
    if not done.new:
        print(
            f"{q.label} is already installed with this content (hash {v.content_hash[:12]}); "
            "nothing changed"
        )
        return EXIT_OK
    state = f"active from {v.active_from.isoformat()}" if v.active_from else "inactive"
    print(f"installed {q.label} ({state}; hash {v.content_hash[:12]})")
    _print_changes(v)
    return EXIT_OK


def run_activate(args: argparse.Namespace) -> int:
    if args.inactive and args.active_from:
        raise UsageError("give --from or --inactive, not both")
    with open_store(args) as store, refusals_exit_3():
        v = store.versions.activate(args.version, args.active_from, args.id)
    if args.json:
        print(json.dumps(v.to_dict()))
        return EXIT_OK
    state = f"active from {v.active_from.isoformat()}" if v.active_from else "inactive"
    print(f"{v.instrument_id} {v.version} is now {state}")
    return EXIT_OK


def run_versions(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        listed = store.versions.list(args.id)
    if args.json:
        print(json.dumps({"versions": [v.to_dict() for v in listed]}, indent=2))
        return EXIT_OK
    sys.stdout.write(describe(listed))
    return EXIT_OK


def describe(listed: Iterable[VersionRecord]) -> str:
    """The version list as a table, then each version's changes from the one before."""
    rows = list(listed)
    head = table(
        ["instrument", "version", "active from", "installed by", "installed at", "hash"],
        [
            [
                v.instrument_id,
                v.version,
                v.active_from or "inactive",
                v.installed_by,
                v.installed_at.isoformat(sep=" ", timespec="minutes"),
                v.content_hash[:12],
            ]
            for v in rows
        ],
    )
    lines = [head, ""]
    for v in rows:
        lines.append(f"{v.instrument_id} {v.version}:")
        lines.extend(f"  {line}" for line in v.changes.lines())
    return "\n".join(lines) + "\n"


def _print_changes(v: VersionRecord) -> None:
    for line in v.changes.lines():
        print(f"  {line}")
