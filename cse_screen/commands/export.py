"""``cse-screen export``: the Excel workbook for team leads, managers and boards."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TextIO

from cse_screen.commands.common import (
    add_user_options,
    db_path,
    export_password,
    password,
    user_name,
)
from cse_screen.errors import UsageError

_BAR = 30


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date in the form YYYY-MM-DD") from None


class ProgressBar:
    """A one-line bar on a terminal; silent when stderr is a file or a pipe."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        percent = min(100, done * 100 // total)
        if percent == self._last:
            return
        self._last = percent
        filled = percent * _BAR // 100
        self.stream.write(f"\rExporting [{'#' * filled}{'.' * (_BAR - filled)}] {percent:3d}%")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled and self._last >= 0:
            self.stream.write("\n")
            self.stream.flush()


def _run(args: argparse.Namespace) -> int:
    from cse_screen.export import ExportOptions, export_workbook
    from cse_screen.export.periods import quarter_bounds
    from cse_screen.vault.store import Store

    date_from = _day(args.date_from, "--from") if args.date_from else None
    date_to = _day(args.date_to, "--to") if args.date_to else None
    if args.quarter:
        if date_from or date_to:
            raise UsageError("give either --quarter or --from/--to, not both")
        date_from, date_to = quarter_bounds(args.quarter)
    options = ExportOptions(
        date_from=date_from,
        date_to=date_to,
        team=args.team,
        worker=args.worker,
        pseudonymise=args.pseudonymise,
        row_level=args.row_level,
    )
    options.validate()
    path, name = db_path(args), user_name(args)
    secret = password(args)
    if args.encrypt:
        options = replace(options, password=export_password(args))
        options.validate()
    if options.row_level:
        print(
            "warning: row-level sheets can re-identify children from their combination of "
            "age band, gender, ethnicity, team and dates; do not circulate this file",
            file=sys.stderr,
        )
    bar = ProgressBar(sys.stderr)
    with Store.open(path, name, secret) as store:
        try:
            summary = export_workbook(store, args.out, options, progress=bar)
        finally:
            bar.finish()
    how = [
        w
        for w, on in (("pseudonymised", summary.pseudonymised), ("encrypted", summary.encrypted))
        if on
    ]
    extra = f" ({', '.join(how)})" if how else ""
    print(
        f"wrote {summary.path}: {summary.children} children, {summary.screenings} screenings{extra}"
    )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "export", help="write the Excel workbook (team leads and administrators)"
    )
    add_user_options(parser)
    parser.add_argument(
        "--out", type=Path, required=True, metavar="FILE.xlsx", help="workbook to write"
    )
    parser.add_argument(
        "--from",
        dest="date_from",
        metavar="YYYY-MM-DD",
        help="only screenings on or after this date",
    )
    parser.add_argument(
        "--to", dest="date_to", metavar="YYYY-MM-DD", help="only screenings on or before this date"
    )
    parser.add_argument(
        "--quarter",
        metavar="YYYY-Qn",
        help="a calendar quarter (e.g. 2026-Q3): screenings dated within it, positions as at its "
        "last day, compared with the quarter before",
    )
    parser.add_argument("--team", help="only children of this team")
    parser.add_argument("--worker", help="only children allocated to this worker")
    parser.add_argument(
        "--pseudonymise",
        action="store_true",
        help="no names, case references, dates of birth or free text; "
        "small counts suppressed (for boards)",
    )
    parser.add_argument(
        "--row-level",
        action="store_true",
        help="with --pseudonymise: add the children and screenings rows (shuffled, dates as "
        "months) for analysts; rows can re-identify children, so keep the file internal",
    )
    parser.add_argument(
        "--encrypt",
        action="store_true",
        help="protect the file with a password ($CSE_SCREEN_EXPORT_PASSWORD, "
        "--export-password-file, or a prompt)",
    )
    parser.add_argument(
        "--export-password-file", type=Path, help="file whose first line is the export password"
    )
    parser.set_defaults(func=_run)
