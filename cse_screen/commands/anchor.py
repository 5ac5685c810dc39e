"""``anchor reset``: clear a false "older copy put back" alarm deliberately, with an audit entry.

Each computer remembers the last audit entry it saw of each database (see
:mod:`cse_screen.vault.anchor`). When IT has looked into a warning and found nothing
wrong (a copy that is now the database in use, a database moved to a new folder on purpose), an
administrator makes the database as it is now, at its path, the one later opens are checked
against. The rollback check itself stays on.
"""

from __future__ import annotations

import argparse

from cse_screen.commands.common import add_user_options
from cse_screen.commands.store import open_store


def _reset(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        cleared = bool(store.warnings)
        store.reset_anchor()
    what = "the warning was cleared; " if cleared else ""
    print(
        f"{what}{store.path} as it is now is the copy this computer checks later opens "
        "against (recorded in the audit trail)"
    )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "anchor",
        help="the rollback check's record of each database on this computer",
        description="Each computer remembers the audit trail it last saw of each database, to "
        "notice an older copy put back in place.",
    )
    inner = parser.add_subparsers(dest="anchor_command", metavar="COMMAND", required=True)
    reset = inner.add_parser(
        "reset",
        help="make the database as it is now the one checked against (administrators; audited)",
    )
    add_user_options(reset)
    reset.set_defaults(func=_reset)
