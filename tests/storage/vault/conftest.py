"""Fixtures for the vault tests: real encrypted databases in temp folders, and child processes.

Fault tests run the code under test in a child process (so it can be SIGKILLed or given a file
size limit) with TMPDIR pointed at a private folder that must stay empty.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from cse_screen.vault.engine import open_engine
from cse_screen.vault.keyslots import KeyslotFile, keyslot_path

PASSWORD = 'correct "horse" battery @/: staple'
CANARY = "Zebulon-Quartermaine-Canary-7731"


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")


@dataclass
class Vault:
    db_path: Path
    key: bytes
    engine: Engine

    @property
    def keys_path(self) -> Path:
        return keyslot_path(self.db_path)

    def rows(self) -> list[str]:
        with self.engine.connect() as connection:
            return [r[0] for r in connection.exec_driver_sql("SELECT text FROM notes ORDER BY id")]

    def add(self, text: str) -> None:
        with self.engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO notes (text) VALUES (?)", (text,))


def make_vault(db_path: Path, user: str = "admin", password: str = PASSWORD) -> Vault:
    """A database with its keyslot file, a small table and one canary row."""
    slots, key = KeyslotFile.create(keyslot_path(db_path), user, password)
    engine = open_engine(db_path, key, create=True)
    slots.save()
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        connection.exec_driver_sql("INSERT INTO notes (text) VALUES (?)", (CANARY,))
    return Vault(db_path, key, engine)


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[Vault]:
    made = make_vault(tmp_path / "cse.db")
    yield made
    made.engine.dispose()


def file_bytes(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def files_containing(folder: Path, needle: str) -> list[Path]:
    forms = (needle.encode("utf-8"), needle.encode("utf-16-le"))
    return [p for p, data in file_bytes(folder).items() if any(f in data for f in forms)]


@dataclass
class ChildResult:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run_child(tmp_path: Path) -> Callable[..., ChildResult]:
    """Run Python code in a child process with cheap KDF settings and a private, watched TMPDIR."""
    private_tmp = tmp_path / "child-tmp"
    private_tmp.mkdir()

    def run(code: str, *, limit_file_bytes: int | None = None, timeout: float = 60) -> ChildResult:
        prelude = ""
        if limit_file_bytes is not None:
            prelude = (
                "import resource, signal\n"
                "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
                f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit_file_bytes}, "
                f"{limit_file_bytes}))\n"
            )
        env = dict(os.environ, CSE_SCREEN_KDF="test", TMPDIR=str(private_tmp))
        proc = subprocess.run(
            [sys.executable, "-c", prelude + textwrap.dedent(code)],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        return ChildResult(proc.returncode, proc.stdout, proc.stderr)

    run.private_tmp = private_tmp  # type: ignore[attr-defined]
    return run


class Helpers:
    password = PASSWORD
    canary = CANARY
    make_vault = staticmethod(make_vault)
    file_bytes = staticmethod(file_bytes)
    files_containing = staticmethod(files_containing)


@pytest.fixture
def h() -> Helpers:
    """Constants and helpers for the tests (conftest modules are not importable by name)."""
    return Helpers()
