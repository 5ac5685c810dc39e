"""Sync under faults, with real processes: a change id reused with other content, the server
killed in the middle of a large push, a disabled user, a laptop clock days out."""

from __future__ import annotations

import csv
import signal
import time
import uuid

from laptops import Fleet, restart, server_command

from cse_screen.errors import EXIT_AUTH, EXIT_UNREACHABLE


def _child_change(ref: str, name: str, change_id: str | None = None) -> dict[str, object]:
    payload = {
        "id": str(uuid.uuid4()),
        "case_ref": ref,
        "name": name,
        "dob": "2013-05-06",
        "gender": None,
        "ethnicity": None,
        "disability": None,
        "placement_type": None,
        "legal_status": None,
        "worker": "wes",
        "team": "North",
    }
    return {"id": change_id or str(uuid.uuid4()), "kind": "child.create", "payload": payload}


def test_a_change_id_is_applied_once_and_never_with_other_content(fleet: Fleet) -> None:
    change = _child_change(f"U-{uuid.uuid4().hex[:6]}", "Test Child")
    with fleet.server.as_user("wes") as http:
        before = http.get("/api/v1/children").json()["total"]
        first = http.post("/api/v1/sync/push", json={"changes": [change]}).json()
        again = http.post("/api/v1/sync/push", json={"changes": [change]}).json()
        other = {**change, "payload": {**change["payload"], "name": "Other Name"}}  # type: ignore[dict-item]
        reused = http.post("/api/v1/sync/push", json={"changes": [other]}).json()
        children = http.get("/api/v1/children").json()
    assert first["results"][0] == {"id": change["id"], "status": "applied", "replay": False}
    assert again["results"][0]["replay"] is True
    assert reused["results"][0]["status"] == "refused"
    assert reused["results"][0]["code"] == "change_id_reused"
    assert children["total"] == before + 1
    names = [
        c["name"] for c in children["children"] if c["case_ref"] == change["payload"]["case_ref"]
    ]  # type: ignore[index]
    assert names == ["Test Child"]


def test_server_killed_mid_push_then_one_more_sync_is_exact(fleet: Fleet) -> None:
    fleet.enrol("wes")
    before = fleet.stats("wes")["children"]
    rows = 450
    sheet = fleet.folder / "children.csv"
    with sheet.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Case reference", "Name", "Date of birth"])
        for i in range(rows):
            writer.writerow([f"K{i:04d}", f"Kid Number{i}", "04/03/2012"])
    ran = fleet.run("wes", "child", "import", str(sheet))
    assert ran.code == 0, ran.err
    sheet.unlink()
    assert fleet.run("wes", "sync", "status", "--json").json()["waiting"] == rows
    log_start = len(fleet.server.log_text())
    syncing = fleet.start("wes", "sync", "--json")
    deadline = time.monotonic() + 120
    while "/sync/push" not in fleet.server.log_text()[log_start:] and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # into the second batch
    fleet.server.stop(signal.SIGKILL)
    _out, err = syncing.communicate(timeout=120)
    assert syncing.returncode == EXIT_UNREACHABLE, err
    assert "could not be reached" in err or "failed" in err
    waiting = fleet.run("wes", "sync", "status", "--json").json()["waiting"]
    assert 0 < waiting <= rows  # whatever the lost answers did not acknowledge still waits
    restart(fleet.server)
    with fleet.server.as_user("wes") as http:
        applied = http.get("/api/v1/children").json()["total"] - before
    assert rows - waiting <= applied < rows  # the first batch was committed, not the rest
    done = fleet.sync("wes")
    assert done["waiting"] == 0
    assert fleet.stats("wes")["children"] == before + rows
    with fleet.server.as_user("wes") as http:
        assert http.get("/api/v1/children").json()["total"] == before + rows
    assert fleet.sync("wes") == {"pushed": 0, "pulled": 0, "conflicts": 0, "waiting": 0}
    assert fleet.run("wes", "verify").code == 0
    checked = server_command(fleet.server, "verify")
    assert checked.code == 0, checked.err
    _kill_the_leads_first_pull_then_sync(fleet, before + rows)


def _kill_the_leads_first_pull_then_sync(fleet: Fleet, wes_children: int) -> None:
    """The lead's enrolment is killed while it stores its first page; one more sync is exact."""
    log_start = len(fleet.server.log_text())
    enrolling = fleet.start(
        "lena",
        "sync",
        "enrol",
        "--server",
        fleet.server.base,
        "--ca-cert",
        str(fleet.server.certs.ca_file),
    )
    deadline = time.monotonic() + 120
    while "/sync/pull" not in fleet.server.log_text()[log_start:] and time.monotonic() < deadline:
        time.sleep(0.02)
    enrolling.send_signal(signal.SIGKILL)
    enrolling.communicate(timeout=60)
    assert enrolling.returncode == -signal.SIGKILL
    fleet.sync("lena")
    with fleet.server.as_user("lena") as http:
        on_server = http.get("/api/v1/children").json()["total"]
    assert fleet.stats("lena")["children"] == on_server >= wes_children
    assert fleet.sync("lena") == {"pushed": 0, "pulled": 0, "conflicts": 0, "waiting": 0}
    assert fleet.run("lena", "verify").code == 0


def test_a_disabled_users_sync_is_refused_and_their_work_stays(fleet: Fleet) -> None:
    fleet.enrol("wynn")
    fleet.screen("wynn", "N3")
    disabled = server_command(fleet.server, "user", "disable", "--target", "wynn")
    assert disabled.code == 0, disabled.err
    refused = fleet.run("wynn", "sync", "--json")
    assert refused.code == EXIT_AUTH, refused.err
    assert fleet.server.base in refused.err and "Traceback" not in refused.err
    assert fleet.stats("wynn")["screenings"]["total"] == 1
    assert fleet.run("wynn", "sync", "status", "--json").json()["waiting"] == 1


def test_the_laptop_clock_decides_nothing(fleet: Fleet) -> None:
    fleet.enrol("sue")
    base = fleet.stats("sue")["children"]
    for shift, ref in (("-3d", "S-behind"), ("+5d", "S-ahead")):
        body = {
            "id": str(uuid.uuid4()),
            "case_ref": f"{ref}-{uuid.uuid4().hex[:4]}",
            "name": "Test Child",
            "dob": "2012-03-04",
            "worker": "sue",
        }
        with fleet.server.as_user("sam") as http:
            assert http.post("/api/v1/children", json=body).status_code == 201
        faked = {"LD_PRELOAD": "libfaketime.so.1", "FAKETIME": shift, "FAKETIME_DONT_RESET": "1"}
        ran = fleet.run("sue", "sync", "--json", **faked)
        assert ran.code == 0, ran.err
        assert ran.json()["pulled"] == 1
    assert fleet.stats("sue")["children"] == base + 2
