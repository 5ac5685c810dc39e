"""Commands on the database as a whole: init, stats, verify, backup, restore, recovery, demo."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from cse_screen.commands.common import (
    add_db_option,
    add_user_options,
    db_path,
    new_password,
    password,
    secret,
    user_name,
)
from cse_screen.errors import DatabaseDamaged, UsageError, UserError
from cse_screen.vault.backup_unlock import Credential, PasswordCredential, RecoveryCredential
from cse_screen.vault.store import Store, restore

# A damaged b-tree makes SQLite report every page under it; the first few tell IT enough.
LISTED_DAMAGE = 8

RECOVERY_HELP = """\
IT recovery, for a forgotten password:
  1. once, before set-up: cse-screen recovery keygen --private-out it.key --public-out it.pub
     (the private key is protected by a passphrase: $CSE_SCREEN_RECOVERY_PASSPHRASE or a prompt;
     keep it offline, e.g. in the council's key safe)
  2. at set-up: cse-screen init --db PATH --user ADMIN --recovery-key it.pub
     or later (or to replace it): cse-screen recovery enrol --db PATH --user ADMIN
     --recovery-key it.pub
  3. when a user forgets their password:
     cse-screen recovery recover --db PATH --user NAME --private-key it.key
     (asks for the key's passphrase, then the user's new password: $CSE_SCREEN_NEW_PASSWORD,
     --new-password-file or a prompt). The reset is written to the audit trail.
  A private key made before 0.2.0 (PKCS#8 with PBKDF2) still works; reseal it with Argon2id:
     cse-screen recovery upgrade-key --private-key it.key
     (a new passphrase, if the old one is too short: $CSE_SCREEN_NEW_RECOVERY_PASSPHRASE or
     --new-passphrase-file)
"""


def open_store(args: argparse.Namespace) -> Store:
    """Unlock the database named by --db as --user with the password from env, file or prompt;
    anything the user should know about the database (an older copy) goes to stderr."""
    store = Store.open(db_path(args), user_name(args), password(args))
    tell(store)
    return store


def tell(store: Store) -> None:
    """What opening found (an upgrade done, a copy, an older copy put back), on stderr."""
    for notice in store.notices:
        sys.stderr.write(f"cse-screen: note: {notice}\n")
    for warning in (*store.warnings, *filter(None, [store.clock_warning])):
        sys.stderr.write(f"cse-screen: warning: {warning}\n")


def _init(args: argparse.Namespace) -> int:
    path = db_path(args)
    name = user_name(args)
    pub = read_file(args.recovery_key, "recovery public key") if args.recovery_key else None
    secret_text = secret(
        "CSE_SCREEN_PASSWORD", args.password_file, "New password: ", "password", confirm=True
    )
    with Store.create(
        path, name, secret_text, full_name=args.full_name, recovery_public_key=pub, team=args.team
    ) as store:
        recovery = " with an IT recovery slot" if store.keyslots.has_recovery else ""
        print(f"created the encrypted database {path}{recovery}; administrator: {store.user.name}")
    return 0


def read_file(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"the {what} file {path} does not exist") from None
    except OSError:
        raise UserError(f"the {what} file {path} cannot be read") from None


def _stats(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        data = store.stats()
    if args.json:
        print(json.dumps(data, indent=2, sort_keys=True))
        return 0
    print(f"children: {data['children']} (overdue {data['overdue']})")
    print(f"screenings: {data['screenings']['total']}")
    for status, count in data["screenings"]["by_status"].items():
        print(f"  {status}: {count}")
    print("latest outcome per child:")
    for outcome, count in data["screenings"]["by_outcome"].items():
        print(f"  {outcome}: {count}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    path = db_path(args)
    with open_store(args) as store:
        report = store.verify()
        rolled_back = store.warnings
    shown = report.integrity_problems[:LISTED_DAMAGE]
    for problem in shown:
        sys.stderr.write(f"cse-screen: damage: {problem}\n")
    if len(report.integrity_problems) > len(shown):
        more = len(report.integrity_problems) - len(shown)
        sys.stderr.write(f"cse-screen: damage: and {more} further finding(s) of the same kind\n")
    chain = report.chain
    if not chain.ok:
        sys.stderr.write(
            f"cse-screen: damage: audit entry {chain.first_bad_seq}: {chain.problem}\n"
        )
    forged = report.signatures.problems() if report.signatures else []
    held = report.server_copy.problem() if report.server_copy else None
    forged = [*forged, held] if held else forged
    for problem in forged:
        sys.stderr.write(f"cse-screen: tampering: {problem}\n")
    if not report.ok:
        if report.integrity_problems:
            first = report.integrity_problems[0]
        elif not chain.ok:
            first = f"the audit trail is broken at entry {chain.first_bad_seq} ({chain.problem})"
        else:
            first = forged[0]
        raise DatabaseDamaged(f"verify found damage in {path}: {first}")
    if rolled_back:
        raise DatabaseDamaged(f"verify found {path} older than expected: {rolled_back[0]}")
    for seq, before in chain.time_steps_back[:LISTED_DAMAGE]:
        sys.stderr.write(
            f"cse-screen: warning: audit entry {seq} is timed before entry {before}: the "
            "computer's clock was set back when it was written (the entries' order stands)\n"
        )
    print(
        f"ok: {path}: encrypted pages, database structure and the audit trail "
        f"({chain.entries} entries) are intact"
    )
    if report.signatures is not None:
        print(report.signatures.coverage())
    if report.server_copy is not None:
        print(report.server_copy.sentence())
    for uncoded in report.uncoded:
        print(f"note: {uncoded.sentence()}")
    return 0


def _backup(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        out = store.backup(args.out)
    print(f"backup written to {out}")
    return 0


def _restore_credential(args: argparse.Namespace) -> Credential:
    """IT's recovery key (and its passphrase, as the recovery commands take it), or a password
    of any user in the backup (of --user's only, when given), from env, file or prompt."""
    if args.recovery_key is not None:
        pem = read_file(args.recovery_key, "recovery private key")
        return RecoveryCredential(pem, _passphrase(args, confirm=False))
    secret_text = secret(
        "CSE_SCREEN_PASSWORD",
        args.password_file,
        "Password of a user in the backup: ",
        "password",
    )
    return PasswordCredential(secret_text, args.user or None)


def _restore(args: argparse.Namespace) -> int:
    target = db_path(args)
    if args.recovery_key is not None and args.password_file is not None:
        raise UsageError("give either --password-file or --recovery-key, not both")
    credential = _restore_credential(args)
    info = restore(
        args.backup, target, credential, allow_unauthenticated=args.allow_unauthenticated
    )
    if not info.authenticated:
        sys.stderr.write(
            f"cse-screen: warning: {args.backup} was written before backups were "
            "authenticated: it was restored as asked, and its database passed every check, "
            "but nothing proves it is the file that was backed up\n"
        )
    print(
        f"restored {target} from {args.backup} (made {info.created}); the previous files were "
        "kept beside it with the suffix .before-restore and the time of this restore"
    )
    return 0


def _passphrase(args: argparse.Namespace, confirm: bool) -> str:
    return secret(
        "CSE_SCREEN_RECOVERY_PASSPHRASE",
        getattr(args, "passphrase_file", None),
        "Recovery key passphrase: ",
        "recovery key passphrase",
        confirm=confirm,
    )


def _keygen(args: argparse.Namespace) -> int:
    from cse_screen.vault.recovery import generate_recovery_keypair

    fingerprint = generate_recovery_keypair(
        args.private_out, args.public_out, _passphrase(args, confirm=True)
    )
    print(f"recovery key pair written; public key fingerprint {fingerprint}")
    print(
        f"give {args.public_out} to 'cse-screen init --recovery-key' (or 'cse-screen recovery "
        "enrol' for an existing database); keep the private key offline"
    )
    return 0


def _recover(args: argparse.Namespace) -> int:
    pem = read_file(args.private_key, "recovery private key")
    phrase = _passphrase(args, confirm=False)
    with Store.recover(db_path(args), user_name(args), pem, phrase, new_password(args)) as store:
        tell(store)
        print(f"a new password was set for user '{store.user.name}' using the recovery key")
    return 0


def _upgrade_key(args: argparse.Namespace) -> int:
    from cse_screen.vault.recovery import upgrade_private_key

    phrase = _passphrase(args, confirm=False)
    new = None
    if os.environ.get("CSE_SCREEN_NEW_RECOVERY_PASSPHRASE") or args.new_passphrase_file:
        new = secret(
            "CSE_SCREEN_NEW_RECOVERY_PASSPHRASE",
            args.new_passphrase_file,
            "New recovery key passphrase: ",
            "new recovery key passphrase",
            confirm=True,
        )
    fingerprint = upgrade_private_key(args.private_key, phrase, new)
    print(
        f"resealed {args.private_key} with Argon2id; public key fingerprint {fingerprint} "
        "(unchanged: enrolled databases need nothing)"
    )
    return 0


def _enrol(args: argparse.Namespace) -> int:
    from cse_screen.vault.recovery import load_public_key

    pem = read_file(args.recovery_key, "recovery public key")
    try:  # refuse a wrong file before unlocking, naming it
        load_public_key(pem, f"the file {args.recovery_key}")
    except UserError as exc:
        raise UserError(f"{exc.message}; nothing was changed") from None
    with open_store(args) as store:
        previous, new = store.enrol_recovery(pem)
    if previous is None:
        print(f"enrolled the IT recovery key in {store.path}; public key fingerprint {new}")
    elif previous == new:
        print(f"the IT recovery key of {store.path} was enrolled again; fingerprint {new}")
    else:
        print(
            f"replaced the IT recovery key of {store.path} (fingerprint {previous}); "
            f"public key fingerprint now {new}"
        )
    return 0


def _demo(args: argparse.Namespace) -> int:
    from cse_screen.demo.demo import DEMO_USER, populate

    if args.children < 0:
        raise UsageError("--children must be 0 or more")
    path = db_path(args)
    if not os.environ.get("CSE_SCREEN_PASSWORD"):
        raise UsageError("set CSE_SCREEN_PASSWORD to the demo user's password")
    secret_text = os.environ["CSE_SCREEN_PASSWORD"]
    if path.exists():
        store = Store.open(path, DEMO_USER, secret_text)
    else:
        store = Store.create(path, DEMO_USER, secret_text, full_name="Demo administrator")
    with store:
        summary = populate(store, children=args.children, seed=args.seed)
    print(
        f"demo data added to {path}: {summary.children} children, {summary.screenings} "
        f"screenings, {summary.events} events, {summary.drafts} drafts (user '{DEMO_USER}')"
    )
    return 0


def _register_restore(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "restore",
        help="replace the database with a backup, after authenticating and checking it "
        "(a password of a user in the backup, or IT's recovery key)",
    )
    add_db_option(parser)
    parser.add_argument("--backup", type=Path, required=True, help="backup file")
    parser.add_argument(
        "--user",
        help="whose password is given (default: any user in the backup)",
    )
    parser.add_argument(
        "--password-file",
        type=Path,
        help="file whose first line is the password (default: $CSE_SCREEN_PASSWORD, else a prompt)",
    )
    parser.add_argument(
        "--recovery-key",
        type=Path,
        metavar="FILE",
        help="IT's recovery private key instead of a password (its passphrase: "
        "$CSE_SCREEN_RECOVERY_PASSPHRASE, --passphrase-file or a prompt)",
    )
    parser.add_argument("--passphrase-file", type=Path, help="file holding the key's passphrase")
    parser.add_argument(
        "--allow-unauthenticated",
        action="store_true",
        help="also restore a backup written before 0.2.0, which has no authentication code",
    )
    parser.set_defaults(func=_restore)


def _register_recovery(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "recovery",
        help="IT recovery key: make the key pair, enrol it, or reset a forgotten password",
        description="IT recovery for a forgotten password.",
        epilog=RECOVERY_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    inner = parser.add_subparsers(dest="recovery_command", metavar="COMMAND", required=True)
    keygen = inner.add_parser("keygen", help="make IT's recovery key pair (once)")
    keygen.add_argument("--private-out", type=Path, required=True, help="private key file")
    keygen.add_argument("--public-out", type=Path, required=True, help="public key file")
    keygen.add_argument("--passphrase-file", type=Path, help="file holding the passphrase")
    keygen.set_defaults(func=_keygen)
    recover = inner.add_parser(
        "recover", help="set a new password for a user with IT's private key"
    )
    add_db_option(recover)
    recover.add_argument("--user", default=os.environ.get("CSE_SCREEN_USER"), help="user name")
    recover.add_argument("--private-key", type=Path, required=True, help="IT's private key file")
    recover.add_argument("--passphrase-file", type=Path, help="file holding the key's passphrase")
    recover.add_argument("--new-password-file", type=Path, help="file holding the new password")
    recover.set_defaults(func=_recover)
    upgrade = inner.add_parser(
        "upgrade-key", help="reseal an older recovery private key file with Argon2id"
    )
    upgrade.add_argument("--private-key", type=Path, required=True, help="IT's private key file")
    upgrade.add_argument("--passphrase-file", type=Path, help="file holding the key's passphrase")
    upgrade.add_argument(
        "--new-passphrase-file", type=Path, help="file holding a new passphrase (optional)"
    )
    upgrade.set_defaults(func=_upgrade_key)
    enrol = inner.add_parser(
        "enrol",
        help="enrol IT's recovery public key on an existing database, or replace it "
        "(administrators)",
    )
    add_user_options(enrol)
    enrol.add_argument(
        "--recovery-key",
        type=Path,
        required=True,
        metavar="PUBFILE",
        help="IT's recovery public key (PEM), from 'cse-screen recovery keygen'",
    )
    enrol.set_defaults(func=_enrol)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    init = subparsers.add_parser(
        "init", help="create a new encrypted database and its administrator"
    )
    add_user_options(init)
    init.add_argument("--full-name", help="the administrator's full name")
    init.add_argument("--team", help="the administrator's team")
    init.add_argument(
        "--recovery-key",
        type=Path,
        metavar="PUBFILE",
        help=(
            "IT's recovery public key (PEM): lets IT reset a forgotten password "
            "(see 'cse-screen recovery --help')"
        ),
    )
    init.set_defaults(func=_init)

    stats = subparsers.add_parser("stats", help="counts of children, screenings and outcomes")
    add_user_options(stats)
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    stats.set_defaults(func=_stats)

    verify = subparsers.add_parser(
        "verify", help="check encryption, database structure and the audit trail (exit 4 on damage)"
    )
    add_user_options(verify)
    verify.set_defaults(func=_verify)

    backup = subparsers.add_parser("backup", help="write an encrypted backup (administrators)")
    add_user_options(backup)
    backup.add_argument("--out", type=Path, required=True, help="backup file to write")
    backup.set_defaults(func=_backup)

    _register_restore(subparsers)

    _register_recovery(subparsers)

    demo = subparsers.add_parser(
        "demo", help="create or fill a database with synthetic children (user 'demo')"
    )
    add_db_option(demo)
    demo.add_argument("--children", type=int, default=200, help="how many children (default 200)")
    demo.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    demo.set_defaults(func=_demo)
