"""``cse-screen server ...``: set up, run and administer the team server.

Only the options live here: the server's code (FastAPI, uvicorn, psycopg) is imported when a
``server`` command runs, so the laptop's start-up never loads it and the laptop bundle, which
does not carry it, still starts.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
from pathlib import Path
from typing import Any

from cse_screen.commands.common import new_password, password, secret, user_name
from cse_screen.errors import UserError

SERVER_ROLES = ("worker", "lead", "manager", "admin")


def _server() -> Any:
    """The server's modules, or one sentence if the optional extra is not installed."""
    try:  # by name: the laptop bundle leaves the server package out, and says so here
        admin = importlib.import_module("cse_screen.server.admin")
        database = importlib.import_module("cse_screen.server.database")
    except ModuleNotFoundError as missing:
        raise UserError(
            f"the team server needs the 'server' extra ({missing.name} is missing): "
            "pip install 'cse-screen[server]'"
        ) from None
    return admin, database


def _url(args: argparse.Namespace) -> Any:
    _admin, database = _server()
    return database.database_url(args.database_url)


def _account(args: argparse.Namespace, engine: Any) -> Any:
    admin, _database = _server()
    return admin.signed_in(engine, user_name(args), password(args))


def _init(args: argparse.Namespace) -> int:
    admin, database = _server()
    url = _url(args)
    chosen = secret(
        "CSE_SCREEN_PASSWORD", args.password_file, "New password: ", "password", confirm=True
    )
    with admin.connected(url) as engine:
        user = admin.init(engine, user_name(args), chosen, args.full_name)
    print(f"set up the team server's database {database.redacted(url)}; administrator: {user.name}")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    admin, database = _server()
    url = _url(args)
    with admin.connected(url) as engine:
        before, after = admin.migrate(engine)
    where = database.redacted(url)
    if before == after:
        print(f"the team server's database {where} is up to date (schema {after})")
    else:
        print(f"upgraded the team server's database {where} from {before or 'empty'} to {after}")
    return 0


def _run(args: argparse.Namespace) -> int:
    admin, database = _server()
    serve = importlib.import_module("cse_screen.server.serve")

    url = _url(args)
    with admin.connected(url) as engine:
        admin._require_head(engine)
    raw = args.database_url or os.environ.get(database.URL_ENV, "")
    print(f"serving https://{args.host}:{args.port}/ on {database.redacted(url)}", flush=True)
    serve.run(raw, args.tls_cert, args.tls_key, args.host, args.port, args.workers)
    return 0


def _user_add(args: argparse.Namespace) -> int:
    admin, _database = _server()
    with admin.connected(_url(args)) as engine:
        caller = _account(args, engine)
        record = admin.add_user(
            engine, caller, args.new_user, new_password(args), args.role, args.team, args.full_name
        )
    print(f"added {record.role} '{record.name}' in team {record.team}")
    return 0


def _user_disable(args: argparse.Namespace) -> int:
    admin, _database = _server()
    with admin.connected(_url(args)) as engine:
        caller = _account(args, engine)
        record = admin.disable_user(engine, caller, args.target)
    print(f"disabled '{record.name}'; every device they signed in on is revoked")
    return 0


def _stats(args: argparse.Namespace) -> int:
    admin, _database = _server()
    with admin.connected(_url(args)) as engine:
        data = admin.counts(engine, _account(args, engine), args.team)
    print(json.dumps(data, indent=2, sort_keys=True))
    return 0


def _verify(args: argparse.Namespace) -> int:
    admin, database = _server()
    url = _url(args)
    with admin.connected(url) as engine:
        account = _account(args, engine)
        report = admin.verify(engine, account)
        laptops, held = admin.verify_devices(engine, account)
    print(f"ok: {database.redacted(url)}: the audit trail ({report.entries} entries) is intact")
    print(f"ok: the audit trails of {laptops} laptop(s) ({held} entries) held here are intact")
    return 0


def _common(parser: argparse.ArgumentParser, *, account: bool = True) -> None:
    parser.add_argument(
        "--database-url",
        help="libpq URL of the server's PostgreSQL, postgresql://user:password@host:port/db "
        "(default: $CSE_SCREEN_DATABASE_URL)",
    )
    if account:
        parser.add_argument(
            "--user",
            default=os.environ.get("CSE_SCREEN_USER"),
            help="server account name (default: $CSE_SCREEN_USER)",
        )
        parser.add_argument(
            "--password-file",
            type=Path,
            help="file whose first line is the password (default: $CSE_SCREEN_PASSWORD, "
            "else a prompt)",
        )


def _user_commands(commands: Any) -> None:
    user = commands.add_parser("user", help="add or disable server accounts")
    inner = user.add_subparsers(dest="server_user_command", metavar="COMMAND", required=True)
    add = inner.add_parser("add", help="add a server account")
    _common(add)
    add.add_argument("--new-user", required=True, help="the new account's name")
    add.add_argument("--role", required=True, choices=SERVER_ROLES)
    add.add_argument("--team", required=True, help="the new account's team")
    add.add_argument("--full-name", help="the new account's full name")
    add.add_argument(
        "--new-password-file",
        type=Path,
        help="file holding the new password (default: $CSE_SCREEN_NEW_PASSWORD, else a prompt)",
    )
    add.set_defaults(func=_user_add)
    disable = inner.add_parser("disable", help="disable an account and revoke its devices")
    _common(disable)
    disable.add_argument("--target", required=True, help="the account to disable")
    disable.set_defaults(func=_user_disable)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    server = subparsers.add_parser("server", help="the team server (PostgreSQL over HTTPS)")
    commands = server.add_subparsers(dest="server_command", metavar="COMMAND", required=True)
    init = commands.add_parser("init", help="create the schema and the first administrator")
    _common(init)
    init.add_argument("--full-name", help="the administrator's full name")
    init.set_defaults(func=_init)
    migrate = commands.add_parser("migrate", help="upgrade the schema to this release's")
    _common(migrate, account=False)
    migrate.set_defaults(func=_migrate)
    run = commands.add_parser("run", help="serve the API over HTTPS until SIGTERM or SIGINT")
    _common(run, account=False)
    run.add_argument("--tls-cert", type=Path, required=True, help="PEM certificate (chain)")
    run.add_argument("--tls-key", type=Path, required=True, help="PEM private key")
    run.add_argument("--host", default="127.0.0.1", help="address to listen on")
    run.add_argument("--port", type=int, default=8443, help="port to listen on")
    run.add_argument("--workers", type=int, default=1, help="server processes")
    run.set_defaults(func=_run)
    _user_commands(commands)
    stats = commands.add_parser("stats", help="counts over the server (as stats --json)")
    _common(stats)
    stats.add_argument("--json", action="store_true", required=True, help="print one JSON object")
    stats.add_argument("--team", help="count one team only")
    stats.set_defaults(func=_stats)
    verify = commands.add_parser(
        "verify", help="check the server's audit chain and every laptop's chain it holds"
    )
    _common(verify)
    verify.set_defaults(func=_verify)
