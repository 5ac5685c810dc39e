"""Options and secrets shared by the commands that open a database or write an export.

Passwords come from an environment variable, else a file, else a no-echo prompt; never from a
command-line argument, which other users of the machine could read in the process list.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from cse_screen.errors import UsageError, UserError
from cse_screen.fileowner import acting_for_message
from cse_screen.paths import default_database


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,
        help="database file (default: the user data folder)",
    )


def add_user_options(parser: argparse.ArgumentParser) -> None:
    """--db, --user and --password-file, for every command that unlocks a database."""
    add_db_option(parser)
    parser.add_argument(
        "--user",
        default=os.environ.get("CSE_SCREEN_USER"),
        help="user name (default: $CSE_SCREEN_USER)",
    )
    parser.add_argument(
        "--password-file",
        type=Path,
        help="file whose first line is the password (default: $CSE_SCREEN_PASSWORD, else a prompt)",
    )


_ANNOUNCED: set[Path] = set()


def db_path(args: argparse.Namespace) -> Path:
    """The database named by --db (or the default); as root, says whose files these are."""
    value = getattr(args, "db", None)
    path = Path(value) if value else default_database()
    if path not in _ANNOUNCED:
        _ANNOUNCED.add(path)
        message = acting_for_message(path)
        if message:
            sys.stderr.write(f"cse-screen: note: {message}\n")
    return path


def user_name(args: argparse.Namespace) -> str:
    if not getattr(args, "user", None):
        raise UsageError("no user name given: use --user NAME or set CSE_SCREEN_USER")
    return str(args.user)


def _read_secret_file(path: Path, what: str) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"the {what} file {path} does not exist") from None
    except (OSError, UnicodeDecodeError):
        raise UserError(f"the {what} file {path} cannot be read as UTF-8 text") from None
    line = text.splitlines()[0] if text else ""
    if not line:
        raise UserError(f"the {what} file {path} is empty")
    return line


def _prompt(prompt: str, what: str) -> str:
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError(f"no {what} given and there is no terminal to ask for one")
    return getpass.getpass(prompt)


def secret(env: str, file: Path | None, prompt: str, what: str, confirm: bool = False) -> str:
    """A secret from ``env``, else ``file``, else a prompt (twice when ``confirm``)."""
    value = os.environ.get(env)
    if value:
        return value
    if file is not None:
        return _read_secret_file(file, what)
    first = _prompt(prompt, what)
    if confirm and _prompt(f"Repeat {what}: ", what) != first:
        raise UserError(f"the two {what}s typed do not match")
    if not first:
        raise UserError(f"an empty {what} is not allowed")
    return first


def password(args: argparse.Namespace) -> str:
    """The signed-in user's password."""
    return secret(
        "CSE_SCREEN_PASSWORD", getattr(args, "password_file", None), "Password: ", "password"
    )


def new_password(args: argparse.Namespace) -> str:
    """A password being set (user add, passwd, recovery)."""
    return secret(
        "CSE_SCREEN_NEW_PASSWORD",
        getattr(args, "new_password_file", None),
        "New password: ",
        "new password",
        confirm=True,
    )


def export_password(args: argparse.Namespace) -> str:
    """The password that protects an encrypted export."""
    return secret(
        "CSE_SCREEN_EXPORT_PASSWORD",
        getattr(args, "export_password_file", None),
        "Export password: ",
        "export password",
        confirm=True,
    )
