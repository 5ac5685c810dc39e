"""IT running commands as root on a user's database leaves the files the user's to open.

CI runs as root, so these tests make a throwaway system user, give it a home folder, and run
``init``, ``restore`` and ``recovery recover`` as root against that user's database, then check
every file and folder is still the user's and that the user can open the database afterwards.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_run import run

from cse_screen.fileowner import permission_problem

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "first pass"
NEW = "second pass"

SBIN = "/usr/sbin:/sbin:/usr/bin:/bin"
RUNUSER = shutil.which("runuser", path=SBIN) or "runuser"
needs_root = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0 or shutil.which("useradd", path=SBIN) is None,
    reason="needs root and useradd to make a throwaway user (CI runs as root)",
)


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
    monkeypatch.setenv("CSE_SCREEN_NEW_PASSWORD", NEW)
    monkeypatch.setenv("CSE_SCREEN_RECOVERY_PASSPHRASE", "it keeps this phrase in the key safe")


@pytest.fixture
def user_home() -> Iterator[tuple[str, Path]]:
    """A system user made for this test and a home folder it owns; both removed afterwards."""
    name = f"csetest{os.getpid() % 100000}"
    subprocess.run(
        [
            shutil.which("useradd", path=SBIN) or "useradd",
            "--system",
            "--no-create-home",
            "--shell",
            "/usr/sbin/nologin",
            name,
        ],
        check=True,
        capture_output=True,
    )
    base = Path(tempfile.mkdtemp(prefix="cse-root-test-", dir="/tmp"))
    try:
        base.chmod(0o755)
        home = base / "home"
        home.mkdir(mode=0o700)
        shutil.chown(home, name, name)
        yield name, home
    finally:
        shutil.rmtree(base, ignore_errors=True)
        subprocess.run(
            [shutil.which("userdel", path=SBIN) or "userdel", name],
            check=False,
            capture_output=True,
        )


def not_the_users(home: Path, uid: int) -> list[str]:
    """Every file or folder under ``home`` (and itself) that does not belong to ``uid``."""
    paths = [home, *home.rglob("*")]
    return sorted(str(p.relative_to(home)) for p in paths if p.lstat().st_uid != uid)


def user_python() -> str:
    """A Python the test user may run: this one, unless it lives in root's home folder."""
    here = Path(sys.executable).resolve()
    if os.access(here, os.X_OK) and not str(here).startswith("/root/"):
        return sys.executable
    return shutil.which("python3", path="/usr/bin") or sys.executable


def as_user(name: str, home: Path, *argv: str, password: str) -> subprocess.CompletedProcess[str]:
    """Run the command line as the test user, with this environment's packages."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "PYTHONPATH": os.pathsep.join((str(ROOT), sysconfig.get_paths()["purelib"])),
        "CSE_SCREEN_KDF": "test",
        "CSE_SCREEN_PASSWORD": password,
    }
    return subprocess.run(
        [RUNUSER, "-u", name, "--", user_python(), "-m", "cse_screen", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@needs_root
def test_root_restore_and_recover_leave_the_users_files_theirs(user_home, tmp_path, capsys):
    name, home = user_home
    uid = Path(home).stat().st_uid
    keys = tmp_path / "it"
    keys.mkdir(mode=0o700)
    pub, private = keys / "it.pub", keys / "it.key"
    assert (
        run(capsys, "recovery", "keygen", "--private-out", str(private), "--public-out", str(pub))[
            0
        ]
        == 0
    )
    db = home / ".local" / "share" / "cse-screen" / "cse-screen.db"

    code, _, err = run(
        capsys, "init", "--db", str(db), "--user", "admin", "--recovery-key", str(pub)
    )
    assert code == 0, err
    assert f"running as root on files owned by {name}" in err
    assert not_the_users(home, uid) == []  # ~/.local too

    backup = tmp_path / "cse.backup"
    assert run(capsys, "backup", "--db", str(db), "--user", "admin", "--out", str(backup))[0] == 0
    code, _, err = run(capsys, "restore", "--backup", str(backup), "--db", str(db))
    assert code == 0, err
    assert not_the_users(home, uid) == []
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(Path(f"{db}.keys").stat().st_mode) == 0o600
    assert Path(f"{db}.pending-audit").exists()

    code, _, err = run(
        capsys,
        "recovery",
        "recover",
        "--db",
        str(db),
        "--user",
        "admin",
        "--private-key",
        str(private),
    )
    assert code == 0, err
    assert not_the_users(home, uid) == []
    assert stat.S_IMODE(Path(f"{db}.keys").stat().st_mode) == 0o600

    opened = as_user(name, home, "verify", "--db", str(db), "--user", "admin", password=NEW)
    assert opened.returncode == 0, opened.stderr
    assert not_the_users(home, uid) == []


@needs_root
def test_a_file_root_took_is_one_sentence_naming_it_and_the_fix(user_home, capsys):
    name, home = user_home
    db = home / "cse.db"
    assert run(capsys, "init", "--db", str(db), "--user", "admin")[0] == 0
    keys = Path(f"{db}.keys")
    os.chown(keys, 0, 0)  # what a root command of an earlier version left behind
    opened = as_user(name, home, "verify", "--db", str(db), "--user", "admin", password=PASSWORD)
    assert opened.returncode == 1
    line = opened.stderr.strip()
    assert line.count("\n") == 0 and "Traceback" not in line
    assert f"permission denied for {keys}" in line
    assert f"chown {name}: {keys}" in line


def test_permission_sentence_names_the_path_and_a_fix(tmp_path):
    target = tmp_path / "cse.db.keys"
    target.write_bytes(b"")
    refused = permission_problem(PermissionError(13, "Permission denied", str(target)))
    assert refused is not None and refused.exit_code == 1
    assert str(target) in refused.message
    assert "chmod" in refused.message or "chown" in refused.message
    assert permission_problem(FileNotFoundError(2, "No such file", str(target))) is None


def test_the_app_shows_the_same_sentence_without_a_report(tmp_path, monkeypatch):
    pytest.importorskip("PySide6")
    from cse_screen.gui.errors import describe_error

    monkeypatch.setenv("CSE_SCREEN_LOG_DIR", str(tmp_path / "logs"))
    text, report = describe_error(PermissionError(13, "Permission denied", str(tmp_path / "x")))
    assert report is None and text.startswith("Permission denied for ")
    assert not (tmp_path / "logs").exists()
