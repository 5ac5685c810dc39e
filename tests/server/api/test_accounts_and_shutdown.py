"""The ``server`` commands against a running server: a disabled user is refused at once, the
database password never shows, and SIGTERM lets a request in flight finish and exits 0."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from server_support import PASSWORD, TeamServer, environment, fresh_child, start_server

from cse_screen.errors import EXIT_AUTH, EXIT_UNREACHABLE
from cse_screen.server.devcluster import DevCluster


def _cli(server_url: str, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = environment(server_url)
    full.update(env)
    return subprocess.run(
        [sys.executable, "-m", "cse_screen", "server", *argv],
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_disabled_user_is_refused_at_once(team_server: TeamServer) -> None:
    name = f"temp{uuid.uuid4().hex[:6]}"
    added = _cli(
        team_server.url,
        *("user", "add", "--user", "ada", "--new-user", name, "--role", "worker"),
        *("--team", "North"),
        CSE_SCREEN_PASSWORD=PASSWORD,
        CSE_SCREEN_NEW_PASSWORD="a fresh password",
    )
    assert added.returncode == 0, added.stderr
    token = team_server.sign_in(name, "a fresh password").json()["token"]
    second = team_server.sign_in(name, "a fresh password", device="second laptop").json()["token"]
    with team_server.client(token) as http:
        assert http.get("/api/v1/children").status_code == 200
    disabled = _cli(
        team_server.url,
        *("user", "disable", "--user", "ada", "--target", name),
        CSE_SCREEN_PASSWORD=PASSWORD,
    )
    assert disabled.returncode == 0, disabled.stderr
    for each in (token, second):
        with team_server.client(each) as http:
            answer = http.get("/api/v1/children")
        assert answer.status_code == 401 and answer.json()["error"]["code"] == "unauthenticated"
    assert team_server.sign_in(name, "a fresh password").status_code == 401


def test_only_an_administrator_adds_accounts(team_server: TeamServer) -> None:
    refused = _cli(
        team_server.url,
        *("user", "add", "--user", "lena", "--new-user", "someone", "--role", "worker"),
        *("--team", "North"),
        CSE_SCREEN_PASSWORD=PASSWORD,
        CSE_SCREEN_NEW_PASSWORD="a fresh password",
    )
    assert refused.returncode == 1 and "only administrators" in refused.stderr
    wrong = _cli(team_server.url, "verify", "--user", "ada", CSE_SCREEN_PASSWORD="nope nope nope")
    assert wrong.returncode == EXIT_AUTH


def test_stats_verify_and_the_password_never_shown(team_server: TeamServer) -> None:
    password = team_server.url.split(":")[2].split("@")[0]
    stats = _cli(team_server.url, "stats", "--user", "ada", "--json", CSE_SCREEN_PASSWORD=PASSWORD)
    assert stats.returncode == 0, stats.stderr
    import json

    data = json.loads(stats.stdout)
    assert data["children"] >= 4 and {"screenings", "overdue"} <= set(data)
    north = json.loads(
        _cli(
            team_server.url,
            "stats",
            "--user",
            "ada",
            "--json",
            "--team",
            "South",
            CSE_SCREEN_PASSWORD=PASSWORD,
        ).stdout
    )
    assert north["children"] == 1
    verified = _cli(team_server.url, "verify", "--user", "ada", CSE_SCREEN_PASSWORD=PASSWORD)
    assert verified.returncode == 0 and "intact" in verified.stdout
    migrated = _cli(team_server.url, "migrate")
    assert migrated.returncode == 0 and "up to date" in migrated.stdout
    for done in (stats, verified, migrated):
        assert password not in done.stdout + done.stderr


def test_an_unreachable_database_is_exit_5_without_its_password(pg_cluster: DevCluster) -> None:
    url = f"postgresql://cse_app:s3cret-pw%40x@127.0.0.1:{pg_cluster.port + 1}/nowhere"
    done = _cli(url, "migrate", CSE_SCREEN_DATABASE_URL=url)
    assert done.returncode == EXIT_UNREACHABLE
    assert "could not be reached" in done.stderr and "s3cret" not in done.stderr
    assert done.stderr.count("\n") == 1


def test_sigterm_finishes_the_request_in_flight_and_exits_0(
    team_server: TeamServer, pg_cluster: DevCluster, tmp_path: Path
) -> None:
    second = start_server(team_server.url, tmp_path, team_server.ids)
    try:
        child = fresh_child(team_server)
        dbname = team_server.url.rsplit("/", 1)[1]
        answers: list[int] = []
        with pg_cluster.admin_connection(dbname) as blocker:
            blocker.autocommit = False
            blocker.execute(
                "SELECT 1 FROM children WHERE public_id = %s FOR NO KEY UPDATE", (child,)
            )
            token = second.sign_in("lena").json()["token"]

            def send() -> None:
                with second.client(token) as http:
                    body = {"placement_type": "residential"}
                    answers.append(http.patch(f"/api/v1/children/{child}", json=body).status_code)

            sender = threading.Thread(target=send)
            sender.start()
            time.sleep(1.0)  # the request is now waiting on the row
            second.process.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            blocker.rollback()
            sender.join(timeout=30)
        assert answers == [200]
        assert second.process.wait(timeout=60) == 0
    finally:
        if second.process.poll() is None:
            second.stop(signal.SIGKILL)
    assert "Traceback" not in second.log_text()


@pytest.mark.parametrize("argv", [["run", "--tls-cert", "/nonexistent.pem", "--tls-key", "/x"]])
def test_run_names_a_missing_certificate(team_server: TeamServer, argv: list[str]) -> None:
    done = _cli(team_server.url, *argv)
    assert done.returncode == 1 and "does not exist" in done.stderr
