"""User administration: enrol users, re-sign checked records and change passwords."""

from __future__ import annotations

import argparse
from pathlib import Path

from cse_screen.commands.common import add_user_options, new_password
from cse_screen.commands.store import open_store
from cse_screen.storage.records import ROLES


def _user_add(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        record = store.users.add(
            args.new_user,
            new_password(args),
            args.role,
            team=args.team if args.team is not None else store.user.team,
            full_name=args.full_name,
        )
    team = f" in team {record.team}" if record.team else ""
    print(f"added {record.role} '{record.name}'{team}")
    return 0


def _passwd(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        store.users.set_password(store.user.name, new_password(args))
        print(f"the password of '{store.user.name}' was changed")
    return 0


def _user_resign(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        record = store.users.resign(args.target)
    team = f", team {record.team}" if record.team else ""
    state = "active" if record.active else "deactivated"
    print(f"re-signed '{record.name}' as {record.role}{team}, {state}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    user = subparsers.add_parser("user", help="manage users (administrators)")
    inner = user.add_subparsers(dest="user_command", metavar="COMMAND", required=True)
    add = inner.add_parser("add", help="enrol a new user with a role")
    add_user_options(add)
    add.add_argument("--new-user", required=True, help="the new user's name")
    add.add_argument("--role", required=True, choices=ROLES, help="worker, lead, manager or admin")
    add.add_argument("--team", help="the new user's team (default: your own)")
    add.add_argument("--full-name", help="the new user's full name")
    add.add_argument(
        "--new-password-file",
        type=Path,
        help="file holding the new user's password (default: $CSE_SCREEN_NEW_PASSWORD, else a "
        "prompt)",
    )
    add.set_defaults(func=_user_add)

    resign = inner.add_parser(
        "resign", help="sign a user's record again after checking it (verify names unsigned ones)"
    )
    add_user_options(resign)
    resign.add_argument("--target", required=True, help="the user whose record you checked")
    resign.set_defaults(func=_user_resign)

    passwd = subparsers.add_parser("passwd", help="change your password")
    add_user_options(passwd)
    passwd.add_argument(
        "--new-password-file",
        type=Path,
        help="file holding the new password (default: $CSE_SCREEN_NEW_PASSWORD, else a prompt)",
    )
    passwd.set_defaults(func=_passwd)
