"""docs/deploying.md walked through as written: every shell block marked checked runs and succeeds.

The blocks after ``<!-- checked -->`` are run in document order as one bash script with
``set -euo pipefail``, against a scratch machine of folders: the block marked ``example
settings`` is replaced by names pointing there (the user, the program, where the keys go, the
home folder). As root (CI), the user is a real system user made for the test and ``runuser`` is
the real one, so the docs' root procedures are checked for what matters most: that the user's
files stay the user's. Otherwise ``runuser -u USER --`` just runs the command as the caller.

Passwords come from the environment (the docs' commands prompt for them), all the same one, so
every prompt has its answer; the key derivation is the test suite's fast one.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "deploying.md"
CHECKED = re.compile(
    r"^[ \t]*<!-- checked(?P<what>:[^>]*)? -->\n[ \t]*```sh\n(?P<body>.*?)^[ \t]*```", re.M | re.S
)
SBIN = "/usr/sbin:/sbin:/usr/bin:/bin"
PASSWORD = "walkthrough pass 1"
AS_ROOT = os.name == "posix" and os.geteuid() == 0 and shutil.which("useradd", path=SBIN)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix" or shutil.which("bash") is None, reason="needs bash"),
    pytest.mark.skipif(shutil.which("openssl") is None, reason="the docs use openssl"),
]


def checked_blocks() -> list[tuple[str, str]]:
    """(label, script) of every checked block, indentation of list items removed."""
    blocks = []
    for match in CHECKED.finditer(DOC.read_text(encoding="utf-8")):
        lines = match["body"].splitlines()
        indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
        blocks.append(
            ((match["what"] or "").strip(": "), "\n".join(line[indent:] for line in lines))
        )
    return blocks


def user_python() -> str:
    """A Python the test user may run: this one, unless it lives in root's home folder."""
    here = Path(sys.executable).resolve()
    if os.access(here, os.X_OK) and not str(here).startswith("/root/"):
        return sys.executable
    return shutil.which("python3", path="/usr/bin") or sys.executable


@pytest.fixture
def machine() -> Iterator[dict[str, str]]:
    """Folders standing in for a laptop (and, as root, a user made for the test)."""
    work = Path(tempfile.mkdtemp(prefix="cse-deploying-", dir="/tmp"))
    work.chmod(0o1777)  # like /tmp: the user writes its scratch copies here
    name = f"csedoc{os.getpid() % 100000}" if AS_ROOT else ""
    home = work / "home"
    home.mkdir(mode=0o700)
    try:
        if AS_ROOT:
            subprocess.run(
                [shutil.which("useradd", path=SBIN) or "useradd", "--system", "--no-create-home",
                 "--home-dir", str(home), "--shell", "/usr/sbin/nologin", name],
                check=True, capture_output=True,
            )  # fmt: skip
            shutil.chown(home, name, name)
        (work / "bin").mkdir(mode=0o755)
        shim = work / "bin" / "cse-screen"
        path = os.pathsep.join((str(ROOT), sysconfig.get_paths()["purelib"]))
        shim.write_text(
            f'#!/bin/sh\nPYTHONPATH="{path}" exec "{user_python()}" -m cse_screen "$@"\n'
        )
        shim.chmod(0o755)
        (work / "media").mkdir(mode=0o700)
        (work / "root-home").mkdir(mode=0o700)
        yield {"work": str(work), "user": name, "home": str(home), "cse": str(shim)}
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if AS_ROOT:
            subprocess.run(
                [shutil.which("userdel", path=SBIN) or "userdel", name],
                check=False, capture_output=True,
            )  # fmt: skip


def script_for(machine: dict[str, str]) -> str:
    work, home = machine["work"], machine["home"]
    settings = "\n".join(
        (
            f'U="{machine["user"]}"' if AS_ROOT else 'U="$(id -un)"',
            f'CSE="{machine["cse"]}"',
            f'PUB="{work}/site/it-recovery.pub"',
            f'KEYS="{work}/media"',
            f'H="{home}"',
            'DB="$H/.local/share/cse-screen/cse-screen.db"',
        )
    )
    parts = ["set -euo pipefail", f'cd "{work}"']
    if not AS_ROOT:
        parts.append('runuser() { shift 3; "$@"; }  # -u USER --: already that user')
    blocks = checked_blocks()
    assert blocks and blocks[0][0] == "example settings", "the settings block must come first"
    for index, (label, body) in enumerate(blocks):
        if label == "example settings":
            body = settings
        if 'rm -rf "$H/' in body:  # before the data go: whose are the user's files?
            parts.append('find "$H" ! -user "$U" -printf "not the user\'s: %p\\n"')
        parts += [f"echo '--- block {index}'", body.replace("/tmp/asmith", f"{work}/asmith")]
    return "\n".join(parts) + "\n"


def test_the_deploying_walkthrough_runs_as_written(machine: dict[str, str]) -> None:
    env = {
        "PATH": SBIN,
        "HOME": machine["home"] if not AS_ROOT else f"{machine['work']}/root-home",
        "LANG": "C.UTF-8",
        "CSE_SCREEN_KDF": "test",
        "CSE_SCREEN_PASSWORD": PASSWORD,
        "CSE_SCREEN_NEW_PASSWORD": PASSWORD,
        "CSE_SCREEN_RECOVERY_PASSPHRASE": "walkthrough passphrase",
        "QT_QPA_PLATFORM": "offscreen",
    }
    done = subprocess.run(
        ["bash", "-c", script_for(machine)],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    transcript = done.stdout + done.stderr
    assert done.returncode == 0, transcript[-4000:]
    assert "Traceback" not in transcript
    assert "not the user's" not in transcript
    keygen = re.search(r"public key fingerprint ([0-9a-f]{64})", done.stdout)
    assert keygen and f"= {keygen[1]}" in done.stdout  # openssl prints the same fingerprint
    for expected in (
        "with an IT recovery slot",
        "a new password was set for user 'bjones' using the recovery key",
        "the previous files were kept beside it with the suffix .before-restore",
        "is a copy of a database opened at another place",
        "is the copy this computer checks later opens against",
        "selftest passed",
        "cse-screen 0.",
    ):
        assert expected in transcript, expected
    assert transcript.count("ok: ") >= 5
    home = Path(machine["home"])
    for gone in (".local/share/cse-screen", ".config/cse-screen", ".local/state/cse-screen"):
        assert not (home / gone).exists(), f"uninstall left {gone}"
    if AS_ROOT:
        assert f"running as root on files owned by {machine['user']}" in transcript
