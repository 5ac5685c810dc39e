"""Two workers and a lead of one team and a worker of another, each on their own laptop,
against a real team server: work made offline on both workers' laptops reaches the lead and
the server exactly once, and nobody else."""

from __future__ import annotations

import json

from laptops import Fleet, plaintext_hits, server_command

NAMES = [
    "Poppy Wexcombe",
    "Harvey Wexcombe",
    "Maisie Yarwood",
    "Amelia Ashdown",
    "Jade Coldharbour",
]


def test_offline_work_reaches_the_lead_and_the_server_exactly_once(fleet: Fleet) -> None:
    for user in ("wes", "wynn", "lena", "sue"):
        fleet.enrol(user)
    assert fleet.stats("wes")["children"] == 2  # N1, N2 from the server
    assert fleet.stats("lena")["children"] == 3
    fleet.add_child("wes", "W1", "Poppy Wexcombe")
    fleet.add_child("wes", "W2", "Harvey Wexcombe")
    fleet.screen("wes", "W1", A1="current")
    fleet.screen("wes", "N1")
    fleet.add_child("wynn", "Y1", "Maisie Yarwood")
    fleet.screen("wynn", "Y1")
    fleet.screen("wynn", "N3", B1="current")
    assert fleet.run("wes", "sync", "status", "--json").json()["waiting"] == 4
    first = fleet.sync("wes")
    assert first["pushed"] == 4 and first["waiting"] == 0
    assert fleet.sync("wynn")["pushed"] == 3
    fleet.sync("lena")
    fleet.sync("sue")
    wes, wynn, lena = fleet.stats("wes"), fleet.stats("wynn"), fleet.stats("lena")
    assert wes["children"] == 4 and wynn["children"] == 2
    assert lena["children"] == wes["children"] + wynn["children"] == 6
    assert lena["screenings"]["total"] == 4
    assert lena["screenings"]["total"] == wes["screenings"]["total"] + wynn["screenings"]["total"]
    sue = fleet.stats("sue")
    assert sue["children"] == 1 and sue["screenings"]["total"] == 0
    with fleet.server.as_user("lena") as http:
        server = http.get("/api/v1/stats").json()
    assert server["children"] == lena["children"]
    assert server["screenings"] == lena["screenings"]
    counted = server_command(fleet.server, "stats", "--json", "--team", "North")
    assert counted.code == 0, counted.err
    assert json.loads(counted.out)["screenings"]["total"] == 4
    assert json.loads(counted.out)["children"] == 6
    fleet.enrol("mona")  # a manager: sees both teams
    mona = fleet.stats("mona")
    assert mona["children"] == lena["children"] + sue["children"]
    assert mona["screenings"]["total"] == lena["screenings"]["total"]
    again = fleet.sync("wes")
    assert again == {"pushed": 0, "pulled": 0, "conflicts": 0, "waiting": 0}
    assert fleet.stats("wes") == wes
    for user in ("wes", "wynn", "lena", "sue", "mona"):
        assert fleet.run(user, "verify").code == 0
    assert server_command(fleet.server, "verify").code == 0
    assert plaintext_hits([fleet.folder], NAMES) == []
