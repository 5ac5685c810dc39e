"""``cse-screen report``: printable documents (a screening for the case file, a subject access
export, the report to Cabinet or the board). The documents themselves are made by
:mod:`cse_screen.documents`; this module only reads the options and prints what was written."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from cse_screen.commands.common import (
    add_user_options,
    db_path,
    export_password,
    password,
    user_name,
)
from cse_screen.errors import UsageError


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date in the form YYYY-MM-DD") from None


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from cse_screen.vault.store import Store

    path, name = db_path(args), user_name(args)
    return Store.open(path, name, password(args))


def _wrote(saved: object) -> int:
    path, what, encrypted = saved.path, saved.what, saved.encrypted  # type: ignore[attr-defined]
    print(f"wrote {path}: {what}{' (encrypted)' if encrypted else ''}")
    return 0


def _screening(args: argparse.Namespace) -> int:
    from cse_screen.documents.service import save_screening_pdf

    secret = export_password(args) if args.encrypt else None
    with _open(args) as store:
        return _wrote(save_screening_pdf(store, args.screening, args.out, secret))


def _subject_access(args: argparse.Namespace) -> int:
    from cse_screen.documents.service import save_subject_access

    secret = export_password(args) if args.encrypt else None
    with _open(args) as store:
        return _wrote(save_subject_access(store, args.child, args.out, secret))


def _board(args: argparse.Namespace) -> int:
    from cse_screen.documents.service import save_board_report

    start, end = _day(args.date_from, "--from"), _day(args.date_to, "--to")
    if end < start:
        raise UsageError(f"--from {args.date_from} is after its end date --to {args.date_to}")
    with _open(args) as store:
        return _wrote(save_board_report(store, start, end, args.out, args.team))


def _encrypt_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--encrypt",
        action="store_true",
        help="protect the file with a password, AES-256 ($CSE_SCREEN_EXPORT_PASSWORD, "
        "--export-password-file, or a prompt)",
    )
    parser.add_argument(
        "--export-password-file", type=Path, help="file whose first line is the export password"
    )


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("report", help="print a screening, subject access, board report")
    reports = parser.add_subparsers(dest="report", metavar="REPORT", required=True)
    one = reports.add_parser("screening", help="one screening as a PDF for the child's case file")
    add_user_options(one)
    one.add_argument("--screening", type=int, required=True, metavar="ID", help="screening id")
    one.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="PDF to write")
    _encrypt_options(one)
    one.set_defaults(func=_screening)
    sar = reports.add_parser(
        "subject-access",
        help="everything held about one child, as PDF and JSON in a zip (leads and admins)",
    )
    add_user_options(sar)
    sar.add_argument("--child", required=True, metavar="REF", help="the child's case reference")
    sar.add_argument("--out", type=Path, required=True, metavar="FILE.zip", help="zip to write")
    _encrypt_options(sar)
    sar.set_defaults(func=_subject_access)
    board = reports.add_parser(
        "board", help="pseudonymised PDF report for Cabinet or the board (leads and admins)"
    )
    add_user_options(board)
    board.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
    board.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")
    board.add_argument("--team", help="only children of this team")
    board.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="PDF to write")
    board.set_defaults(func=_board)
