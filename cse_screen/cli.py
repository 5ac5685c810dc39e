"""The ``cse-screen`` command line: argument parsing, the error funnel and exit codes.

Each group of subcommands lives in a module of :mod:`cse_screen.commands` that exposes
``register(subparsers)``; this module only assembles them and turns errors into one line on stderr.
With no subcommand the desktop app opens.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from cse_screen import __version__
from cse_screen.diagnose import library_sentence, missing_library
from cse_screen.errors import EXIT_ERROR, EXIT_USAGE, UserError
from cse_screen.fileowner import permission_problem
from cse_screen.reports import write_crash_report

# Modules of cse_screen.commands, in the order their commands appear in --help.
COMMAND_MODULES: tuple[str, ...] = (
    "store",
    "anchor",
    "admin",
    "children",
    "events",
    "review",
    "ssda903",
    "questionnaire",
    "score",
    "selftest",
    "export",
    "reports",
    "team_server",
    "sync",
)

PROG = "cse-screen"


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line, exit code 2, like every other error."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{PROG}: error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(EXIT_USAGE)


def version_line() -> str:
    """The release and the newest database schema it writes, for IT's upgrade planning."""
    from cse_screen.storage.revisions import head_revision

    return f"{PROG} {__version__} (database schema {head_revision()})"


class _VersionAction(argparse.Action):
    """``--version``, worked out only when asked (reading the migrations takes a moment)."""

    def __init__(self, option_strings: list[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> NoReturn:
        sys.stdout.write(version_line() + "\n")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Screen looked-after children for vulnerability to child sexual exploitation. "
        "With no command, the desktop app opens.",
    )
    parser.add_argument("--version", action=_VersionAction, help="show the release and exit")
    parser.add_argument("--db", help="database file (default: the user data folder)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"cse_screen.commands.{name}")
        module.register(subparsers)
    return parser


def _run_gui(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    try:
        gui = importlib.import_module("cse_screen.gui.app")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("cse_screen.gui"):
            parser.print_help()
            return 0
        raise
    return int(gui.run(args))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        handler = getattr(args, "func", None)
        if handler is None:
            return _run_gui(args, parser)
        return int(handler(args))
    except UserError as exc:
        sys.stderr.write(f"{PROG}: error: {exc.message}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: error: interrupted; nothing further was changed\n")
        return EXIT_ERROR
    except Exception as exc:  # the funnel for the unexpected: no traceback, no personal data
        refused = permission_problem(exc)
        if refused is not None:
            sys.stderr.write(f"{PROG}: error: {refused.message}\n")
            return refused.exit_code
        report = write_crash_report(exc)
        where = f"; a report without personal data was written to {report}" if report else ""
        library = missing_library(exc)
        if library is not None:
            sys.stderr.write(f"{PROG}: error: {library_sentence(library)}{where}\n")
            return EXIT_ERROR
        sys.stderr.write(f"{PROG}: error: an unexpected {type(exc).__name__} occurred{where}\n")
        return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
