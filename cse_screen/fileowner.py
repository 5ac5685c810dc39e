"""Keep a user's files theirs when IT runs a command as root, and explain refused file access.

IT often runs support commands (``restore``, ``recovery recover``, ``init``) as root against a
social worker's database. A file root creates or replaces there would belong to root, and the
worker would then be refused their own database. So, when running as root, every file the
application writes beside a database (and every folder it creates on the way) is handed to the
owner of the folder it is in, and a replaced file keeps the owner and permissions it had.

Outside POSIX, or when not running as root, ownership is left to the operating system.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cse_screen.errors import UserError

_REFUSED_ERRNOS = frozenset({errno.EACCES, errno.EPERM})


@dataclass(frozen=True)
class Owner:
    """A file's owning user and group ids, and the user's login name for messages."""

    uid: int
    gid: int

    @property
    def name(self) -> str:
        try:
            import pwd

            return pwd.getpwuid(self.uid).pw_name
        except (ImportError, KeyError):
            return str(self.uid)


def running_as_root() -> bool:
    return os.name == "posix" and os.geteuid() == 0


def _existing_ancestor(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path(path.anchor or os.sep)


def folder_owner(path: Path | str) -> Owner | None:
    """The owner root should act for: who owns the nearest existing folder of ``path``.

    None when not running as root or when that folder belongs to root itself.
    """
    if not running_as_root():
        return None
    folder = _existing_ancestor(Path(path).absolute().parent)
    info = folder.stat()
    if info.st_uid == 0:
        return None
    return Owner(info.st_uid, info.st_gid)


def give_to_folder_owner(path: Path | str) -> None:
    """Hand a file or folder root just created to the owner of the folder it is in."""
    owner = folder_owner(path)
    if owner is not None:
        os.chown(path, owner.uid, owner.gid, follow_symlinks=False)


def keep_owner_and_mode(new: Path | str, replaced: os.stat_result | None) -> None:
    """Give ``new`` the owner (as root) and permissions of the file it is about to replace.

    With nothing replaced, a file root writes goes to the folder's owner.
    """
    if replaced is None:
        give_to_folder_owner(new)
        return
    Path(new).chmod(stat.S_IMODE(replaced.st_mode))
    if running_as_root():
        os.chown(new, replaced.st_uid, replaced.st_gid)


def stat_or_none(path: Path | str) -> os.stat_result | None:
    try:
        return Path(path).stat()
    except FileNotFoundError:
        return None


def make_folders(folder: Path | str, mode: int = 0o700) -> None:
    """``mkdir -p`` that, as root, gives each folder it creates to the owner of the folder above.

    ``init`` run by root for ``/home/sam/.local/share/cse-screen/cse-screen.db`` must not leave
    ``~/.local`` owned by root, or Sam's own programs are refused their folder.
    """
    folder = Path(folder).absolute()
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for created in reversed(missing):
        try:
            created.mkdir(mode=mode if created == folder else 0o777)  # parents as mkdir -p
        except FileExistsError:
            continue
        give_to_folder_owner(created)


def acting_for_message(path: Path | str) -> str | None:
    """What root is told before it works on another user's files, or None."""
    owner = folder_owner(path)
    if owner is None:
        return None
    return (
        f"running as root on files owned by {owner.name}: files written are given to "
        f"{owner.name}; IT procedures should run as that user "
        f"('runuser -u {owner.name} -- cse-screen ...')"
    )


def permission_problem(exc: BaseException) -> UserError | None:
    """One sentence naming the refused path and the fix, for a PermissionError; else None."""
    if not isinstance(exc, OSError) or exc.errno not in _REFUSED_ERRNOS:
        return None
    if exc.filename is None:
        return UserError(
            "the operating system refused access to a file cse-screen needs: run it as the "
            "user who owns the database and its folder"
        )
    where = os.fsdecode(exc.filename)
    return UserError(f"permission denied for {where}: {_fix_for(Path(where))}")


def _fix_for(path: Path) -> str:
    """The fix: whose the file is, and the one command that gives it back."""
    try:
        info = _existing_ancestor(path).stat()
    except OSError:
        info = None
    me = _current_user()
    if info is None or os.name != "posix":
        return "run cse-screen as the user who owns it, or give that user read and write access"
    owner = Owner(info.st_uid, info.st_gid).name
    if info.st_uid != os.geteuid():
        return (
            f"it belongs to {owner}, not {me}; an administrator can give it back with "
            f"'chown {me}: {path}' (or run the command as {owner})"
        )
    return f"its permissions refuse {me}; an administrator can fix them with 'chmod u+rw {path}'"


def _current_user() -> str:
    return Owner(os.geteuid(), os.getegid()).name if os.name == "posix" else "this user"
