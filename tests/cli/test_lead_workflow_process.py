"""The lead's workflow as real processes, as a script on a council laptop would run it: the
exit codes reach the shell, stdout holds only the JSON asked for, stderr one line."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from casework_council import PEOPLE, ROOT, build, submit


def cli(db: Path, user: str, *argv: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), CSE_SCREEN_KDF="test")
    env["CSE_SCREEN_PASSWORD"] = PEOPLE[user][2]
    return subprocess.run(
        [sys.executable, "-m", "cse_screen", *argv, "--db", str(db), "--user", user],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_a_lead_lists_signs_off_and_returns_while_a_worker_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    db = build(tmp_path / "cse.db")
    first, second = submit(db, "wendy", "N1"), submit(db, "wes", "N3")
    refused = cli(db, "wendy", "review", "list", "--json")
    assert refused.returncode == 3 and refused.stdout == ""
    assert refused.stderr.count("\n") == 1 and "may not see the review queue" in refused.stderr
    listed = cli(db, "lena", "review", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert {s["id"] for s in json.loads(listed.stdout)} == {first, second}
    assert cli(db, "lena", "review", "signoff", "--screening", first).returncode == 0
    back = cli(db, "lena", "review", "return", "--screening", second, "--reason", "Add B3 notes.")
    assert back.returncode == 0, back.stderr
    assert json.loads(cli(db, "lena", "review", "list", "--json").stdout) == []
    today = dt.date.today().isoformat()
    event = cli(db, "wes", "event", "add", "--child", "N3", "--kind", "cse_referral", "--date",
                today, "--json")  # fmt: skip
    assert event.returncode == 0, event.stderr
    assert json.loads(event.stdout)["next_due"] == today
    assert event.returncode == 0 and json.loads(event.stdout)["kind"] == "cse_referral"
