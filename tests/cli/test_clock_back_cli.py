"""A laptop clock set back a day (libfaketime, for real) must not hide a newer screening.

The scenario of the reliability review: "no current risk" screened today, then "significant"
screened on a laptop whose clock reads yesterday. The register and ``stats`` must keep the newer,
significant one as the latest; sign-in warns; ``verify`` reports the audit times that go back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cse_screen.core import registry

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "clock-back-pass"
LIBFAKETIME = [
    Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"),
    Path("/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"),
    Path("/usr/lib/faketime/libfaketime.so.1"),
]


def _libfaketime() -> Path:
    found = next((p for p in LIBFAKETIME if p.exists()), None)
    if found is None:
        pytest.skip("libfaketime is not installed (Debian package 'faketime')")
    return found


def cli(*argv: str, fake: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), CSE_SCREEN_KDF="test")
    env["CSE_SCREEN_PASSWORD"] = PASSWORD
    if fake is not None:
        env["LD_PRELOAD"] = str(_libfaketime())
        env["FAKETIME"] = fake
        env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "cse_screen", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def _answers(tmp_path: Path, name: str, significant: bool) -> Path:
    q = registry.get_questionnaire()
    answers = {i.id: ("no" if "no" in i.values else "none") for i in q.items}
    if significant:
        answers[next(i.id for i in q.items if i.tier == "significant")] = "current"
    path = tmp_path / name
    path.write_text(json.dumps({"questionnaire": q.id, "answers": answers}), encoding="utf-8")
    return path


@pytest.mark.slow
def test_a_clock_set_back_warns_and_keeps_the_newer_screening_latest(tmp_path: Path):
    _libfaketime()
    db = str(tmp_path / "cse.db")
    who = ("--db", db, "--user", "admin")
    assert cli("init", *who).returncode == 0
    add = cli("child", "add", *who, "--ref", "C1", "--name", "Cal Crow", "--dob", "2011-05-05")
    assert add.returncode == 0, add.stderr
    first = cli(
        "screen",
        *who,
        "--child",
        "C1",
        "--answers",
        str(_answers(tmp_path, "a.json", False)),
        "--submit",
    )
    assert first.returncode == 0 and json.loads(first.stdout)["outcome"] == "no_current_risk"

    later = cli(
        "screen",
        *who,
        "--child",
        "C1",
        "--answers",
        str(_answers(tmp_path, "b.json", True)),
        "--submit",
        fake="-1d",
    )
    assert later.returncode == 0, later.stderr
    assert json.loads(later.stdout)["outcome"] == "significant"
    assert "clock reads" in later.stderr and "earlier than work already saved" in later.stderr

    stats = cli("stats", *who, "--json")
    assert stats.returncode == 0, stats.stderr
    by_outcome = json.loads(stats.stdout)["screenings"]["by_outcome"]
    assert by_outcome.get("significant") == 1 and not by_outcome.get("no_current_risk")
    assert "clock" not in stats.stderr  # the clock is right again: no warning

    verify = cli("verify", *who)
    assert verify.returncode == 0, verify.stderr
    assert "is timed before entry" in verify.stderr and "clock was set back" in verify.stderr
