"""``cse-screen sync ...``: enrol a laptop with its team server, sync, and say where it stands.

Exit codes as for every command, and: 3 when the server refused the user or the device
(their unsynced work stays in the encrypted database), 5 when the server could not be reached
or its certificate did not match the pinned one (nothing local was changed).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from cse_screen.commands.common import add_user_options, db_path, password, user_name
from cse_screen.commands.store import open_store, tell


def _print(outcome: Any, as_json: bool) -> None:
    data = outcome.as_json()
    if as_json:
        print(json.dumps(data, sort_keys=True))
        return
    print(
        f"sync finished: {data['pushed']} sent, {data['pulled']} received, "
        f"{data['waiting']} waiting, {data['conflicts']} conflicts"
    )


def _enrol(args: argparse.Namespace) -> int:
    from cse_screen.sync import run
    from cse_screen.sync.client import server_url
    from cse_screen.sync.desktop import checked_server, read_ca_file
    from cse_screen.vault.store import Store

    server_url(args.server)  # a plain http:// address is refused before any file is read
    ca_pem = read_ca_file(args.ca_cert) if args.ca_cert else ""
    recovery = args.recovery_key.read_bytes() if args.recovery_key else None
    server = checked_server(args.server, ca_pem)  # exit 2 or 5 before anything
    url = server.url
    name, secret = user_name(args), password(args)
    signed_in = run.sign_in(server, name, secret)  # exit 3 before anything is created
    path = db_path(args)
    if path.exists():
        store = open_store(args)
    else:
        team = signed_in["user"].get("team")
        store = Store.create(path, name, secret, recovery_public_key=recovery, team=team)
    with store:
        run.enrol(store.context, server, signed_in)
    with Store.open(path, name, secret) as store:  # now with the role the server gave
        tell(store)
        outcome = run.sync(store.context, secret)
    print(f"enrolled {path} with the team server {url} as {name}")
    _print(outcome, args.json)
    return 0


def _sync(args: argparse.Namespace) -> int:
    from cse_screen.sync import run

    with open_store(args) as store:
        outcome = run.sync(store.context, password(args))
    _print(outcome, args.json)
    return 0


def _status(args: argparse.Namespace) -> int:
    from cse_screen.sync import run

    with open_store(args) as store:
        data = run.status(store.context)
    if args.json:
        print(json.dumps(data, sort_keys=True))
        return 0
    print(f"team server: {data['server']}")
    print(f"last sync: {data['last_sync'] or 'never'}")
    print(f"waiting: {data['waiting']}; conflicts: {data['conflicts']}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sync = subparsers.add_parser(
        "sync", help="send this laptop's changes to the team server and fetch the team's"
    )
    add_user_options(sync)
    sync.add_argument("--json", action="store_true", help="print one JSON object")
    sync.set_defaults(func=_sync)
    inner = sync.add_subparsers(dest="sync_command", metavar="ACTION")

    enrol = inner.add_parser("enrol", help="join this laptop to a team server")
    add_user_options(enrol)
    enrol.add_argument(
        "--server", required=True, metavar="https://HOST:PORT", help="the team server"
    )
    enrol.add_argument(
        "--ca-cert",
        type=Path,
        metavar="FILE",
        help="the CA certificate (PEM) the server's certificate must chain to; pinned from "
        "then on (default: the system's trust store, and the certificate itself is pinned)",
    )
    enrol.add_argument(
        "--recovery-key",
        type=Path,
        metavar="PUBFILE",
        help="IT's recovery public key, when the database is created here (as for 'init')",
    )
    enrol.add_argument("--json", action="store_true", help="print the first sync as JSON")
    enrol.set_defaults(func=_enrol)

    status = inner.add_parser("status", help="the server, the last sync and what is waiting")
    add_user_options(status)
    status.add_argument("--json", action="store_true", help="print one JSON object")
    status.set_defaults(func=_status)
