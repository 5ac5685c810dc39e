"""Laptops for the sync tests: each user's own encrypted database in its own folder, driven
by ``python -m cse_screen`` in a subprocess with its own temporary folder (scanned for leaks)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from server_support import PASSWORD, ROOT, TeamServer

from cse_screen.core import registry


@dataclass
class Ran:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Fleet:
    """Everyone's laptop against one team server."""

    def __init__(self, server: TeamServer, folder: Path) -> None:
        self.server = server
        self.folder = folder
        self.tmp = folder / "tmp"
        self.tmp.mkdir()

    def db(self, user: str) -> Path:
        home = self.folder / user
        home.mkdir(exist_ok=True)
        return home / "cases.db"

    def env(self, **more: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "CSE_SCREEN_PASSWORD": PASSWORD,
                "CSE_SCREEN_KDF": "test",
                "PYTHONPATH": str(ROOT),
                "TMPDIR": str(self.tmp),
                "HOME": str(self.folder / "home"),
                "XDG_DATA_HOME": str(self.folder / "home" / "data"),
                "XDG_CACHE_HOME": str(self.folder / "home" / "cache"),
                "XDG_CONFIG_HOME": str(self.folder / "home" / "config"),
                "XDG_STATE_HOME": str(self.folder / "home" / "state"),
            }
        )
        env.update(more)
        return env

    def run(self, user: str, *argv: str, timeout: float = 300, **env: str) -> Ran:
        """``cse-screen ARGV`` on ``user``'s laptop (``--db`` and ``--user`` added after the
        command words)."""
        words = [a for a in argv if not a.startswith("-")][: _words(argv)]
        rest = list(argv[len(words) :])
        command = [sys.executable, "-m", "cse_screen", *words]
        command += ["--db", str(self.db(user)), "--user", user, *rest]
        done = subprocess.run(
            command, capture_output=True, text=True, env=self.env(**env), timeout=timeout
        )
        return Ran(done.returncode, done.stdout, done.stderr)

    def start(self, user: str, *argv: str) -> subprocess.Popen[str]:
        words = [a for a in argv if not a.startswith("-")][: _words(argv)]
        rest = list(argv[len(words) :])
        command = [sys.executable, "-m", "cse_screen", *words]
        command += ["--db", str(self.db(user)), "--user", user, *rest]
        return subprocess.Popen(
            command,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def enrol(self, user: str) -> Ran:
        ran = self.run(
            user,
            "sync",
            "enrol",
            "--server",
            self.server.base,
            "--ca-cert",
            str(self.server.certs.ca_file),
            "--json",
        )
        assert ran.code == 0, ran.err
        return ran

    def sync(self, user: str) -> dict[str, int]:
        ran = self.run(user, "sync", "--json")
        assert ran.code == 0, ran.err + self.server.log_text()[-3000:]
        return ran.json()  # type: ignore[no-any-return]

    def stats(self, user: str) -> dict[str, Any]:
        ran = self.run(user, "stats", "--json")
        assert ran.code == 0, ran.err
        return ran.json()  # type: ignore[no-any-return]

    def add_child(self, user: str, ref: str, name: str) -> None:
        ran = self.run(user, "child", "add", "--ref", ref, "--name", name, "--dob", "2012-03-04")
        assert ran.code == 0, ran.err

    def screen(self, user: str, ref: str, **chosen: str) -> dict[str, Any]:
        q = registry.get_questionnaire()
        answers = {i.id: ("no" if "no" in i.values else "none") for i in q.items}
        answers.update(chosen)
        path = self.folder / f"answers-{user}-{ref}.json"
        data = {"questionnaire": q.id, "context": {"screen_date": "2026-01-10"}, "answers": answers}
        path.write_text(json.dumps(data), encoding="utf-8")
        ran = self.run(user, "screen", "--child", ref, "--answers", str(path), "--submit")
        assert ran.code == 0, ran.err
        path.unlink()
        return ran.json()  # type: ignore[no-any-return]


def _words(argv: tuple[str, ...]) -> int:
    """How many leading arguments are command words (``sync enrol``, ``child add``, ...)."""
    count = 0
    for arg in argv:
        if arg.startswith("-"):
            break
        count += 1
    return min(count, 2 if argv and argv[0] in ("sync", "child", "event", "review") else 1)


def restart(server: TeamServer) -> None:
    """Start the server again on the same port with the same certificate (what the laptops
    pinned), after it was killed; waits until it answers."""
    import time

    import httpx
    from server_support import environment

    argv = [sys.executable, "-m", "cse_screen", "server", "run"]
    argv += ["--tls-cert", str(server.certs.cert_file), "--tls-key", str(server.certs.key_file)]
    argv += ["--port", server.base.rsplit(":", 1)[1]]
    with server.log.open("ab") as out:
        server.process = subprocess.Popen(
            argv, env=environment(server.url), stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with server.client() as http:
                if http.get("/health").status_code == 200:
                    return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("the restarted server did not answer within 60 s")


def server_command(server: TeamServer, *argv: str) -> Ran:
    """``cse-screen server ARGV`` as the server's administrator ``ada``."""
    from server_support import environment

    env = {**environment(server.url), "CSE_SCREEN_PASSWORD": PASSWORD}
    command = [sys.executable, "-m", "cse_screen", "server", *argv, "--user", "ada"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    return Ran(done.returncode, done.stdout, done.stderr)


def plaintext_hits(folders: list[Path], needles: list[str]) -> list[str]:
    """Files under ``folders`` holding any of ``needles`` as UTF-8 or UTF-16 bytes."""
    patterns = [n.encode(enc) for n in needles for enc in ("utf-8", "utf-16-le")]
    hits = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and not path.name.startswith("answers-"):
                data = path.read_bytes()
                hits += [f"{path}" for p in patterns if p in data]
    return hits
