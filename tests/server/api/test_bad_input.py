"""Bad input and faults over HTTPS: each gets a JSON error with a stable code, echoes nothing
it was sent, and leaves the database as it was."""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
import uuid

import pytest
from server_support import TeamServer, complete_answers, fresh_child, screening_body

from cse_screen.server.devcluster import DevCluster

SECRET_NAME = "Marigold Featherstonehaugh"


def _child_body(**more: object) -> dict[str, object]:
    body: dict[str, object] = {
        "id": str(uuid.uuid4()),
        "case_ref": f"B-{uuid.uuid4().hex[:8]}",
        "name": SECRET_NAME,
        "dob": "2012-06-07",
        "worker": "wes",
    }
    body.update(more)
    return body


def _visible(server: TeamServer, child_id: str) -> bool:
    with server.as_user("lena") as http:
        return http.get(f"/api/v1/children/{child_id}").status_code == 200


def test_malformed_json_is_refused(team_server: TeamServer) -> None:
    with team_server.as_user("lena") as http:
        answer = http.post(
            "/api/v1/children",
            content=b'{"id": "x", ',
            headers={"Content-Type": "application/json"},
        )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "malformed_json"


def test_an_oversized_body_is_refused_by_its_length_and_as_it_streams(
    team_server: TeamServer,
) -> None:
    big = _child_body(note="x" * 300_000)
    with team_server.as_user("lena") as http:
        answer = http.post("/api/v1/children", json=big)
        assert answer.status_code == 413
        assert answer.json()["error"]["code"] == "body_too_large"

        def chunks():  # no Content-Length: sent chunked
            for _ in range(40):
                yield b"x" * 10_000

        streamed = http.post(
            "/api/v1/children", content=chunks(), headers={"Content-Type": "application/json"}
        )
    assert streamed.status_code == 413


def test_unknown_fields_and_wrong_types_are_named_without_echoing_values(
    team_server: TeamServer,
) -> None:
    with team_server.as_user("lena") as http:
        unknown = http.post("/api/v1/children", json=_child_body(colour="blue"))
        wrong = http.post("/api/v1/children", json=_child_body(dob=12))
        not_a_uuid = http.get("/api/v1/children/not-a-uuid")
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "invalid_request"
    assert unknown.json()["error"]["fields"][0]["where"] == "body.colour"
    assert wrong.status_code == 422 and "body.dob" in wrong.json()["error"]["message"]
    assert not_a_uuid.status_code == 422
    for answer in (unknown, wrong):
        assert SECRET_NAME not in answer.text and "blue" not in answer.text


def test_an_id_nobody_holds_is_404(team_server: TeamServer) -> None:
    with team_server.as_user("lena") as http:
        answer = http.get(f"/api/v1/children/{uuid.uuid4()}")
        screening = http.post(f"/api/v1/screenings/{uuid.uuid4()}/sign-off", json={})
    assert answer.status_code == screening.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_a_rule_the_service_refuses_is_a_clear_json_error(team_server: TeamServer) -> None:
    with team_server.as_user("wes") as http:
        child = fresh_child(team_server)
        body = {"id": str(uuid.uuid4()), "answers": {"A1": "current"}, "submit": True}
        answer = http.post(f"/api/v1/children/{child}/screenings", json=body)
        history = http.get(f"/api/v1/children/{child}/screenings").json()["screenings"]
    assert answer.status_code == 422 and "unanswered" in answer.json()["error"]["message"]
    assert history == []  # the draft made before the refusal was rolled back with it


def test_replayed_writes_make_one_record(team_server: TeamServer) -> None:
    body = _child_body()
    with team_server.as_user("lena") as http:
        first = http.post("/api/v1/children", json=body)
        again = http.post("/api/v1/children", json=body)
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["id"] == again.json()["id"] == body["id"]
        found = http.get("/api/v1/children", params={"search": body["case_ref"]}).json()
        assert found["total"] == 1
        child = body["id"]
    with team_server.as_user("wes") as http:
        screening = screening_body()
        made = [http.post(f"/api/v1/children/{child}/screenings", json=screening) for _ in "ab"]
        event = {"id": str(uuid.uuid4()), "kind": "placement_move", "on_date": "2026-02-01"}
        events = [http.post(f"/api/v1/children/{child}/events", json=event) for _ in "ab"]
        assert [a.status_code for a in made] == [201, 200]
        assert [a.status_code for a in events] == [201, 200]
        assert len(http.get(f"/api/v1/children/{child}/screenings").json()["screenings"]) == 1
        assert len(http.get(f"/api/v1/children/{child}/events").json()["events"]) == 1
        submitted = http.post(f"/api/v1/screenings/{screening['id']}/submit", json={})
        assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    with team_server.as_user("lena") as http:
        signed = [
            http.post(f"/api/v1/screenings/{screening['id']}/sign-off", json={}) for _ in "ab"
        ]
    assert [a.status_code for a in signed] == [200, 200]
    assert signed[1].json()["status"] == "signed_off"


def _app_backends(cluster: DevCluster, dbname: str, *, waiting: bool) -> list[int]:
    with cluster.admin_connection() as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s "
            "AND application_name = 'cse-screen server' "
            + ("AND wait_event_type = 'Lock'" if waiting else ""),
            (dbname,),
        ).fetchall()
    return [int(r[0]) for r in rows]


def test_the_database_going_away_mid_request_commits_nothing(
    team_server: TeamServer, pg_cluster: DevCluster
) -> None:
    child = fresh_child(team_server)
    dbname = team_server.url.rsplit("/", 1)[1]
    screening = screening_body()
    answers: list[object] = []
    with pg_cluster.admin_connection(dbname) as blocker:
        blocker.autocommit = False
        # Hold the child's row so the request stops at its last step (the register update of
        # submit), after its draft and answers are written inside its transaction.
        blocker.execute("SELECT 1 FROM children WHERE public_id = %s FOR NO KEY UPDATE", (child,))

        def send() -> None:
            with team_server.as_user("wes") as http:
                answers.append(http.post(f"/api/v1/children/{child}/screenings", json=screening))

        sender = threading.Thread(target=send)
        sender.start()
        deadline = time.monotonic() + 20
        while not (waiting := _app_backends(pg_cluster, dbname, waiting=True)):
            assert time.monotonic() < deadline, "the request never reached the database"
            time.sleep(0.05)
        with pg_cluster.admin_connection() as killer:
            for pid in waiting:
                killer.execute("SELECT pg_terminate_backend(%s)", (pid,))
        sender.join(timeout=30)
        blocker.rollback()
    answer = answers[0]
    assert answer.status_code == 503, answer.text  # type: ignore[attr-defined]
    assert answer.json()["error"]["code"] == "database_unavailable"  # type: ignore[attr-defined]
    with team_server.as_user("wes") as http:
        assert http.get(f"/api/v1/children/{child}/screenings").json()["screenings"] == []
        again = http.post(f"/api/v1/children/{child}/screenings", json=screening)
    assert again.status_code == 201  # the server carries on with fresh connections


def test_a_client_disconnecting_mid_request_leaves_nothing(team_server: TeamServer) -> None:
    body = _child_body()
    fields = {"id": body["id"], "case_ref": body["case_ref"], "name": "x", "dob": "2012-01-01"}
    payload = json.dumps(fields).encode()
    host, port = team_server.base.removeprefix("https://").split(":")
    context = ssl.create_default_context(cafile=str(team_server.certs.ca_file))
    head = (
        f"POST /api/v1/children HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: Bearer {team_server.token('lena')}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    )
    with (
        socket.create_connection((host, int(port))) as raw,
        context.wrap_socket(raw, server_hostname=host) as tls,
    ):
        tls.sendall(head.encode() + payload[: len(payload) // 2])
    time.sleep(0.5)
    assert not _visible(team_server, str(body["id"]))
    with team_server.as_user("lena") as http:
        assert http.get("/health").status_code == 200


def test_plain_http_is_refused(team_server: TeamServer) -> None:
    import httpx

    plain = team_server.base.replace("https://", "http://")
    with pytest.raises(httpx.TransportError), httpx.Client(timeout=5) as http:
        http.get(f"{plain}/health")


def test_answers_are_checked_by_the_service(team_server: TeamServer) -> None:
    child = fresh_child(team_server)
    body = screening_body()
    body["answers"] = {**complete_answers(), "A1": "sometimes"}
    with team_server.as_user("wes") as http:
        answer = http.post(f"/api/v1/children/{child}/screenings", json=body)
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "answers_invalid"


def test_the_server_log_holds_no_childs_name(team_server: TeamServer) -> None:
    with team_server.as_user("lena") as http:
        http.get("/api/v1/children", params={"search": SECRET_NAME})
        http.post("/api/v1/children", json=_child_body(dob="not a date"))
    log = team_server.log_text()
    assert "/api/v1/children" in log  # the access log is there ...
    for name in (SECRET_NAME, "Marigold", "Amelia Ashdown", "Test Child", "Kian"):
        assert name not in log  # ... without names, query strings or bodies
    assert "search=" not in log
