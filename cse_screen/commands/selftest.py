"""``cse-screen selftest``: check this installation works, headless, leaving nothing behind.

Creates a temporary encrypted database, checks that SQLCipher 4 does the encryption, runs a
scripted screening through the services, writes an Excel export and reads it back, and opens the
main window offscreen; then removes everything it made. Exit code 0 when all is well, otherwise 1
with one sentence naming what failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cse_screen.selftest import probe_startup, run_selftest


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "selftest",
        help="check this installation works (headless; exit code 0 when all is well)",
        description=__doc__,
    )
    # For the packaging checks only: time the start-up to the unlock screen of an existing
    # database (see scripts/check_bundle.py).
    parser.add_argument("--startup-probe", type=Path, metavar="DB", help=argparse.SUPPRESS)
    # Also for those checks: where the running program takes Python and its modules from.
    parser.add_argument("--runtime-paths", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(func=run)


def runtime_paths() -> dict[str, object]:
    """The interpreter's prefixes and import path: a bundle must name only its own folder."""
    keys = ("executable", "prefix", "base_prefix", "exec_prefix", "base_exec_prefix")
    return {key: getattr(sys, key) for key in keys} | {"path": list(sys.path)}


def run(args: argparse.Namespace) -> int:
    if args.runtime_paths:
        sys.stdout.write(json.dumps(runtime_paths()) + "\n")
        return 0
    if args.startup_probe is not None:
        return probe_startup(args.startup_probe)
    return run_selftest()
