"""A real team server for the API tests: a database on the session's PostgreSQL cluster, its
accounts and children, and ``cse-screen server run`` as a subprocess over HTTPS.

North team: lead ``lena``, workers ``wes`` and ``wynn``; South team: lead ``sam``, worker
``sue``; ``mona`` is a manager in the CSE team (reads every team, has no children of her own);
``ada`` is the server's administrator. N1 and N2 are wes's, N3 wynn's, S1 sue's.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from cse_screen.server import admin
from cse_screen.server.database import database_url, open_engine
from cse_screen.server.devcert import DevCertificates, make_certificates
from cse_screen.server.devcluster import free_port
from cse_screen.server.transaction import unit_of_work
from cse_screen.storage.records import ChildInput
from cse_screen.storage.services.children import ChildrenService

PASSWORD = "correct horse battery"
PEOPLE = {
    "lena": ("lead", "North"),
    "wes": ("worker", "North"),
    "wynn": ("worker", "North"),
    "sam": ("lead", "South"),
    "sue": ("worker", "South"),
    "mona": ("manager", "CSE"),
}
CHILDREN = {
    "N1": ("Amelia Ashdown", dt.date(2012, 5, 1), "wes", "lena"),
    "N2": ("Tyler Brereton", dt.date(2015, 2, 3), "wes", "lena"),
    "N3": ("Jade Coldharbour", dt.date(2010, 9, 9), "wynn", "lena"),
    "S1": ("Kian Dunmore", dt.date(2011, 1, 20), "sue", "sam"),
}
ROOT = Path(__file__).resolve().parents[3]


def seed(url: str) -> dict[str, str]:
    """Accounts and children; returns case reference → public id."""
    engine = open_engine(database_url(url), pool_size=2)
    ids: dict[str, str] = {}
    try:
        ada = admin.init(engine, "ada", PASSWORD, "Ada Admin")
        for name, (role, team) in PEOPLE.items():
            admin.add_user(engine, ada, name, PASSWORD, role, team, None)
        for ref, (name, dob, worker, lead) in CHILDREN.items():
            who = admin.signed_in(engine, lead, PASSWORD)
            with unit_of_work(engine, who) as unit:
                child = ChildrenService(unit.context()).add(
                    ChildInput(ref, name, dob, worker=worker)
                )
                ids[ref] = child.public_id
    finally:
        engine.dispose()
    return ids


@dataclass
class TeamServer:
    url: str
    base: str
    certs: DevCertificates
    log: Path
    process: subprocess.Popen[bytes]
    ids: dict[str, str]
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, token: str | None = None, **kwargs: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(
            base_url=self.base,
            verify=ssl.create_default_context(cafile=str(self.certs.ca_file)),
            headers=headers,
            timeout=30,
            **kwargs,
        )

    def sign_in(
        self, user: str, password: str = PASSWORD, device: str = "test laptop"
    ) -> httpx.Response:
        with self.client() as http:
            return http.post(
                "/api/v1/sign-in", json={"user": user, "password": password, "device": device}
            )

    def token(self, user: str) -> str:
        if user not in self.tokens:
            answer = self.sign_in(user)
            assert answer.status_code == 200, answer.text
            self.tokens[user] = answer.json()["token"]
        return self.tokens[user]

    def as_user(self, user: str) -> httpx.Client:
        return self.client(self.token(user))

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=60)


def environment(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "CSE_SCREEN_DATABASE_URL": url,
            "CSE_SCREEN_KDF": "test",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def start_server(url: str, folder: Path, ids: dict[str, str]) -> TeamServer:
    certs = make_certificates(folder / "tls")
    port = free_port()
    log = folder / "server.log"
    argv = [sys.executable, "-m", "cse_screen", "server", "run", "--tls-cert", str(certs.cert_file)]
    argv += ["--tls-key", str(certs.key_file), "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(argv, env=environment(url), stdout=out, stderr=subprocess.STDOUT)
    server = TeamServer(url, f"https://127.0.0.1:{port}", certs, log, process, ids)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited: {server.log_text()[-2000:]}")
        try:
            with server.client() as http:
                if http.get("/health").status_code == 200:
                    return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.stop(signal.SIGKILL)
    raise RuntimeError("the server did not answer within 60 s")


def complete_answers() -> dict[str, str]:
    """Every item of the default questionnaire answered absent."""
    from cse_screen.core import registry

    q = registry.get_questionnaire()
    return {i.id: ("no" if "no" in i.values else "none") for i in q.items}


_serial = iter(range(1, 1_000_000))


def fresh_child(server: TeamServer, worker: str = "wes", lead: str = "lena") -> str:
    """A new child allocated to ``worker``, added by their lead; returns its public id."""
    import uuid

    body = {
        "id": str(uuid.uuid4()),
        "case_ref": f"T{next(_serial)}-{uuid.uuid4().hex[:6]}",
        "name": "Test Child",
        "dob": "2012-03-04",
        "worker": worker,
    }
    with server.as_user(lead) as http:
        answer = http.post("/api/v1/children", json=body)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def screening_body(submit: bool = True) -> dict[str, object]:
    import uuid

    return {"id": str(uuid.uuid4()), "answers": complete_answers(), "submit": submit}


def submitted_screening(server: TeamServer, worker: str = "wes", lead: str = "lena") -> str:
    child = fresh_child(server, worker, lead)
    with server.as_user(worker) as http:
        answer = http.post(f"/api/v1/children/{child}/screenings", json=screening_body())
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "submitted"
    return str(answer.json()["id"])
