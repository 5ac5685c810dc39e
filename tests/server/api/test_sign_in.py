"""Signing in over real HTTPS: tokens bound to devices, refusals, slowing down."""

from __future__ import annotations

from server_support import PASSWORD, TeamServer


def test_sign_in_returns_a_token_that_reads_the_callers_records(team_server: TeamServer) -> None:
    answer = team_server.sign_in("wes")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "bearer" and body["user"]["role"] == "worker"
    with team_server.client(body["token"]) as http:
        me = http.get("/api/v1/me")
        assert me.json()["name"] == "wes"
        refs = sorted(c["case_ref"] for c in http.get("/api/v1/children").json()["children"])
    assert refs == ["N1", "N2"]


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(team_server: TeamServer) -> None:
    wrong = team_server.sign_in("wynn", "not the password")
    unknown = team_server.sign_in("nobody-here", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "wrong_password"


def test_no_token_or_a_made_up_one_is_refused(team_server: TeamServer) -> None:
    with team_server.client() as http:
        assert http.get("/api/v1/children").json()["error"]["code"] == "unauthenticated"
    with team_server.client("made-up") as http:
        answer = http.get("/api/v1/children")
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "unauthenticated"
