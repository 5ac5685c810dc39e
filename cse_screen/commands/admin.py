"""User administration: enrol, re-sign and disable users, change passwords, re-key the database."""

from __future__ import annotations

import argparse
from pathlib import Path

from cse_screen.commands.common import add_user_options, new_password
from cse_screen.commands.store import open_store, read_file
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


def _recovery_public_key(args: argparse.Namespace) -> bytes | None:
    found = getattr(args, "recovery_public_key", None)
    return read_file(found, "recovery public key") if found else None


def _user_disable(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        record = store.disable_user(args.target, recovery_public_key=_recovery_public_key(args))
        epoch = store.keyslots.epoch
    print(
        f"disabled '{record.name}' and re-encrypted the database to a new key (keyslot epoch "
        f"{epoch}); copies of the keyslot file made before now no longer open it, but backups "
        "made before now still hold the old key"
    )
    return 0


def _rekey(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        done = store.rekey(recovery_public_key=_recovery_public_key(args))
        fp = store.keyslots.recovery_fingerprint
    recovery = f" and the recovery slot (IT key fingerprint {fp})" if fp else ""
    print(
        f"re-encrypted the database to a new key and resealed {done.slots} keyslot(s){recovery} "
        f"(keyslot epoch {done.epoch}); backups made before now still hold the old key"
    )
    return 0


def _add_recovery_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--recovery-public-key",
        type=Path,
        help="IT's recovery public key (PEM), needed once for a recovery slot enrolled before "
        "0.2.0 so it can be rewrapped to the new key",
    )


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
    disable = inner.add_parser(
        "disable", help="deactivate a user and re-key the database without their keyslot"
    )
    add_user_options(disable)
    disable.add_argument("--target", required=True, help="the user to disable")
    _add_recovery_option(disable)
    disable.set_defaults(func=_user_disable)

    rekey = subparsers.add_parser(
        "rekey", help="re-encrypt the database to a new key, resealing every keyslot (admins)"
    )
    add_user_options(rekey)
    _add_recovery_option(rekey)
    rekey.set_defaults(func=_rekey)

    passwd = subparsers.add_parser("passwd", help="change your password")
    add_user_options(passwd)
    passwd.add_argument(
        "--new-password-file",
        type=Path,
        help="file holding the new password (default: $CSE_SCREEN_NEW_PASSWORD, else a prompt)",
    )
    passwd.set_defaults(func=_passwd)
