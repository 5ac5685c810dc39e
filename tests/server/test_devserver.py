"""``make server`` on a fresh checkout: a cluster under .dev, a certificate, an administrator,
and a URL that answers over HTTPS with the CA it prints; Ctrl-C stops it and its cluster."""

from __future__ import annotations

import os
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx

from cse_screen.server.devcluster import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_make_server_prints_a_url_that_answers(tmp_path: Path) -> None:
    dev = tmp_path / ".dev"
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CSE_SCREEN_DEV_PORT": str(port)}
    log = tmp_path / "dev.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "cse_screen.server.devserver", str(dev)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while "CA file:" not in log.read_text() or "running on" not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        text = log.read_text()
        url = text.split("team server:", 1)[1].split()[0]
        ca = text.split("CA file:", 1)[1].split()[0]
        context = ssl.create_default_context(cafile=ca)
        assert httpx.get(f"{url}health", verify=context).json() == {"status": "ok"}
        password = (dev / "admin-password").read_text().strip()
        signed = httpx.post(
            f"{url}api/v1/sign-in",
            json={"user": "admin", "password": password, "device": "check"},
            verify=context,
        )
        assert signed.status_code == 200
        assert password not in text
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
    assert not (dev / "pg" / "data" / "postmaster.pid").exists()
