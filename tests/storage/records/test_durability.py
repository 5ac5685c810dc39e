"""Crashes and a full disk while answers are being saved: nothing committed is lost, the
database stays sound, and the draft being typed comes back."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from records_fixtures import PASSWORD, Council, complete_answers

CHILD = Path(__file__).with_name("crash_child.py")


def run_child(
    council: Council, sid: int, log: Path, *mode: str, tmp: Path
) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "CSE_SCREEN_PASSWORD": PASSWORD,
        "CSE_SCREEN_KDF": "test",
        "TMPDIR": str(tmp),
    }
    return subprocess.run(
        [sys.executable, str(CHILD), str(council.path), "wes", str(sid), str(log), *mode],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def prepared(file_council: Council, q) -> tuple[Council, int, int, dict]:
    """A submitted screening of N2 (must survive untouched) and a fresh draft of N1.

    On the local file only: these kill the process holding the file, and fill its disk.
    """
    council = file_council
    done = council.screen("wes", "N2", q, complete_answers(q, B3="current"))
    wes = council.open("wes")
    before = wes.screenings.get(done)
    draft = wes.screenings.start_draft(council.ids["N1"], q).id
    council.close()
    return council, done, draft, {"answers": before.answers, "outcome": before.final_outcome}


@pytest.mark.parametrize("point", ["before_begin", "before_commit", "after_commit_before_ack"])
@pytest.mark.parametrize("at", [0, 17])
def test_sigkill_while_saving_answers(prepared, tmp_path: Path, point: str, at: int):
    council, done, draft, before = prepared
    log = tmp_path / "acks.log"
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    result = run_child(council, draft, log, f"kill:{point}", str(at), tmp=private_tmp)
    assert result.returncode == -9, result.stderr
    acked = log.read_text().split() if log.exists() else []
    assert len(acked) == at
    with council.open("wes") as wes:
        assert wes.verify().ok
        kept = wes.screenings.get(done)
        assert kept.answers == before["answers"] and kept.final_outcome == before["outcome"]
        recovered = wes.screenings.get(draft)
        assert [d.id for d in wes.screenings.drafts()] == [draft]
    saved = set(recovered.answers)
    assert set(acked) <= saved
    # Only the answer being saved at the kill may be extra, and only once its commit happened.
    extra = saved - set(acked)
    assert len(extra) == (1 if point == "after_commit_before_ack" else 0)
    for answer in recovered.answers.values():
        assert answer.value in ("none", "no") and answer.note and answer.note.startswith("note ")
    assert list(private_tmp.iterdir()) == []


def test_file_size_limit_during_saves_gives_a_sentence_and_loses_nothing(
    prepared, tmp_path: Path, q
):
    council, done, draft, before = prepared
    log = tmp_path / "acks.log"
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    result = run_child(council, draft, log, "fsize", tmp=private_tmp)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "not enough disk space" in result.stderr
    acked = [line.split(":")[0] for line in log.read_text().split()]
    assert acked, "the limit should leave room for some saves first"
    with council.open("wes") as wes:
        assert wes.verify().ok
        assert wes.screenings.get(done).answers == before["answers"]
        recovered = wes.screenings.get(draft)
        assert set(acked) <= set(recovered.answers)
        # With room again, the same save succeeds and leaves one row per item.
        wes.screenings.save_answers(draft, complete_answers(q))
        assert wes.screenings.submit(draft).status == "submitted"
