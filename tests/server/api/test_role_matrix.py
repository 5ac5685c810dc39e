"""Every role x action over HTTPS: allowed, refused (403: the caller may see the record but
not do this) or hidden (404: the caller may not see it, answered as if it did not exist).

The records belong to wes (worker, North, lead lena); see server_support for who is who.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx
import pytest
from server_support import TeamServer, fresh_child, screening_body, submitted_screening

ACTORS = ("wes", "wynn", "lena", "sam", "sue", "mona", "ada")
OK, REFUSED, HIDDEN = 200, 403, 404

Action = Callable[[TeamServer, httpx.Client], httpx.Response]


def _view(s: TeamServer, http: httpx.Client) -> httpx.Response:
    return http.get(f"/api/v1/children/{s.ids['N1']}")


def _history(s: TeamServer, http: httpx.Client) -> httpx.Response:
    return http.get(f"/api/v1/children/{s.ids['N1']}/screenings")


def _events(s: TeamServer, http: httpx.Client) -> httpx.Response:
    return http.get(f"/api/v1/children/{s.ids['N1']}/events")


def _change(s: TeamServer, http: httpx.Client) -> httpx.Response:
    return http.patch(f"/api/v1/children/{fresh_child(s)}", json={"placement_type": "foster"})


def _allocate(s: TeamServer, http: httpx.Client) -> httpx.Response:
    child = fresh_child(s)
    return http.put(
        f"/api/v1/children/{child}/allocation", json={"worker": "wynn", "team": "North"}
    )


def _add_child(_s: TeamServer, http: httpx.Client) -> httpx.Response:
    body = {
        "id": str(uuid.uuid4()),
        "case_ref": f"A-{uuid.uuid4().hex[:8]}",
        "name": "Test Child",
        "dob": "2013-01-01",
        "worker": "wes",
        "team": "North",
    }
    return http.post("/api/v1/children", json=body)


def _screen(s: TeamServer, http: httpx.Client) -> httpx.Response:
    return http.post(f"/api/v1/children/{fresh_child(s)}/screenings", json=screening_body())


def _event(s: TeamServer, http: httpx.Client) -> httpx.Response:
    body = {"id": str(uuid.uuid4()), "kind": "missing_episode", "on_date": "2026-01-05"}
    return http.post(f"/api/v1/children/{fresh_child(s)}/events", json=body)


def _sign_off(s: TeamServer, http: httpx.Client) -> httpx.Response:
    return http.post(f"/api/v1/screenings/{submitted_screening(s)}/sign-off", json={})


def _return(s: TeamServer, http: httpx.Client) -> httpx.Response:
    sid = submitted_screening(s)
    return http.post(f"/api/v1/screenings/{sid}/return", json={"reason": "please check A1"})


def _read_screening(s: TeamServer, http: httpx.Client) -> httpx.Response:
    return http.get(f"/api/v1/screenings/{submitted_screening(s)}")


def _stats(_s: TeamServer, http: httpx.Client) -> httpx.Response:
    return http.get("/api/v1/stats")


CAN_SEE = {"wes", "lena", "mona"}
CASEWORK = {"wes": OK, "lena": OK, "mona": REFUSED}
DECIDE = {"lena": OK, "wes": REFUSED, "mona": REFUSED}

ACTIONS: dict[str, tuple[Action, dict[str, int]]] = {
    "view child": (_view, dict.fromkeys(CAN_SEE, OK)),
    "history": (_history, dict.fromkeys(CAN_SEE, OK)),
    "events": (_events, dict.fromkeys(CAN_SEE, OK)),
    "read screening": (_read_screening, dict.fromkeys(CAN_SEE, OK)),
    "change child": (_change, CASEWORK),
    "allocate": (_allocate, {"lena": OK, "wes": REFUSED, "mona": REFUSED}),
    "screen": (_screen, {**CASEWORK, "wes": 201, "lena": 201}),
    "record event": (_event, {**CASEWORK, "wes": 201, "lena": 201}),
    "sign off": (_sign_off, DECIDE),
    "return": (_return, DECIDE),
    # Adding a North child: refused, not hidden, for anyone outside (there is nothing to hide).
    "add child": (_add_child, {**dict.fromkeys(ACTORS, REFUSED), "wes": 201, "lena": 201}),
    "stats": (_stats, dict.fromkeys(ACTORS, OK)),
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_role_matrix(team_server: TeamServer, actor: str, action: str) -> None:
    run, expected = ACTIONS[action]
    want = expected.get(actor, HIDDEN)
    with team_server.as_user(actor) as http:
        answer = run(team_server, http)
    assert answer.status_code == want, f"{actor} {action}: {answer.status_code} {answer.text}"
    if want == REFUSED:
        assert answer.json()["error"]["code"] == "forbidden"
    if want == HIDDEN:
        assert answer.json()["error"]["code"] == "not_found"


def test_each_role_reads_only_its_scope(team_server: TeamServer) -> None:
    def refs(actor: str) -> set[str]:
        with team_server.as_user(actor) as http:
            return {c["case_ref"] for c in http.get("/api/v1/children").json()["children"]}

    assert {"N1", "N2"} == {r for r in refs("wes") if not r.startswith(("T", "A-"))}
    assert {"N3"} == {r for r in refs("wynn") if not r.startswith(("T", "A-"))}
    assert {"N1", "N2", "N3"} <= refs("lena") and "S1" not in refs("lena")
    assert "S1" in refs("sam") and "N1" not in refs("sam")
    assert {"N1", "N2", "N3", "S1"} <= refs("mona")
    assert refs("ada") == set()


def test_the_administrator_sees_counts_of_every_team(team_server: TeamServer) -> None:
    with team_server.as_user("ada") as http:
        counts = http.get("/api/v1/stats").json()
    with team_server.as_user("lena") as http:
        north = http.get("/api/v1/stats").json()
    assert counts["children"] >= 4 and counts["children"] > north["children"]
    assert set(counts) >= {"children", "screenings", "overdue"}
