"""The subject access export: everything held about one child, as PDF and JSON in one zip."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import pyzipper

from cse_screen.cli import main
from cse_screen.documents.service import DocumentRefused, save_subject_access
from cse_screen.errors import EXIT_AUTH
from tests.documents.conftest import EXPORT_PASSWORD, PASSWORD, has, pdf_text


def _parts(data: bytes, password: str | None = None) -> tuple[bytes, dict]:
    with pyzipper.AESZipFile(io.BytesIO(data)) as archive:
        if password:
            archive.setpassword(password.encode())
        assert sorted(archive.namelist()) == ["subject-access.json", "subject-access.pdf"]
        return archive.read("subject-access.pdf"), json.loads(archive.read("subject-access.json"))


def test_everything_about_the_child_in_both_parts(seeded, open_store, tmp_path):
    out = tmp_path / "sar.zip"
    save_subject_access(open_store("lead1"), seeded.refs[1], out)
    pdf, data = _parts(out.read_bytes())
    assert data["child"]["name"] == seeded.names[1]
    assert data["child"]["dob"] == seeded.dobs[1].isoformat()
    assert len(data["screenings"]) == 2
    notes = [a["note"] for s in data["screenings"] for a in s["answers"].values() if a["note"]]
    assert "Seen with Marchbanks Quillfeather near the station" in notes
    assert [e["note"] for e in data["events"]] == ["Found at Wolverhollow services"]
    audited = {(e["action"], e["entity"]) for e in data["audit"]}
    assert {("view", "child"), ("create", "child"), ("submit", "screening")} <= audited
    assert {"admin", "lead1"} <= {e["actor"] for e in data["audit"]}
    assert {"user": "lead1", "full_name": "Lead Oriel Quenby", "role": "lead"} in data["staff"]
    text = pdf_text(pdf)
    for phrase in (
        seeded.names[1],
        seeded.refs[1],
        f"{seeded.dobs[1]:%d/%m/%Y}",
        "Screening 1 of 2",
        "Screening 2 of 2",
        "Seen with Marchbanks Quillfeather near the station",
        "Raised after Tumbledown strategy meeting",
        "Evidence Larkspur missing",
        "Found at Wolverhollow services",
        "Who has seen or changed the record",
        "Lead Oriel Quenby",
        "OFFICIAL-SENSITIVE",
        "Foster placement with other foster carer",  # the code's label, not the code U6
        "Female",
    ):
        assert has(text, phrase), phrase
    for other in seeded.names[2:] + seeded.refs[2:]:
        assert other not in text and other not in json.dumps(data)


def test_a_password_protects_both_parts(seeded, open_store, tmp_path):
    out = tmp_path / "locked.zip"
    saved = save_subject_access(open_store("admin"), seeded.refs[1], out, EXPORT_PASSWORD)
    assert saved.encrypted
    raw = out.read_bytes()
    assert seeded.names[1].encode() not in raw and seeded.refs[1].encode() not in raw
    with pytest.raises(RuntimeError):  # no password given
        _parts(raw)
    with pytest.raises(RuntimeError, match=r"[Bb]ad password"):
        _parts(raw, "Wrong-password-123")
    with zipfile.ZipFile(io.BytesIO(raw)) as listing:  # AES entries: method 99, encrypted
        assert {(i.compress_type, i.flag_bits & 1) for i in listing.infolist()} == {(99, 1)}
    pdf, data = _parts(raw, EXPORT_PASSWORD)
    assert data["child"]["case_ref"] == seeded.refs[1]
    assert has(pdf_text(pdf), seeded.names[1])


def test_audited_with_the_child_and_no_name(seeded, open_store, tmp_path):
    store = open_store("lead1")
    save_subject_access(store, seeded.refs[1], tmp_path / "a.zip")
    entry = store.audit.entries(limit=1)[0]
    assert (entry.action, entry.entity, entry.detail["document"]) == (
        "export",
        "child",
        "subject_access",
    )
    assert entry.detail["rows"]["screenings"] == 2
    assert seeded.names[1] not in json.dumps(entry.detail)
    # The next request shows the previous one among the entries about the child.
    save_subject_access(store, seeded.refs[1], tmp_path / "b.zip")
    _, data = _parts((tmp_path / "b.zip").read_bytes())
    assert any(e["detail"].get("file") == "a.zip" for e in data["audit"])


def test_workers_are_refused_and_it_is_audited(seeded, open_store, tmp_path):
    worker = open_store("worker1")
    out = tmp_path / "w.zip"
    with pytest.raises(DocumentRefused, match="subject access"):
        save_subject_access(worker, seeded.refs[1], out)
    assert not out.exists()
    admin = open_store("admin")
    denied = admin.audit.entries(limit=5, action="denied")[0]
    assert denied.actor == "worker1"
    assert denied.detail["attempted"] == "make a subject access export"


def test_a_lead_cannot_reach_another_teams_child(seeded, open_store, tmp_path):
    from cse_screen.errors import NotFound

    out = tmp_path / "south.zip"
    with pytest.raises(NotFound):
        save_subject_access(open_store("lead1"), seeded.refs[0], out)  # child 0 is South's
    assert not out.exists()


def test_command_line(seeded, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
    monkeypatch.setenv("CSE_SCREEN_EXPORT_PASSWORD", EXPORT_PASSWORD)
    out = tmp_path / "cli.zip"
    args = ["report", "subject-access", "--db", str(seeded.db), "--child", seeded.refs[1]]
    assert main([*args, "--user", "lead1", "--out", str(out), "--encrypt"]) == 0
    assert "(encrypted)" in capsys.readouterr().out
    _parts(out.read_bytes(), EXPORT_PASSWORD)
    refused = tmp_path / "refused.zip"
    assert main([*args, "--user", "worker1", "--out", str(refused)]) == EXIT_AUTH
    err = capsys.readouterr().err
    assert err.startswith("cse-screen: error: ") and err.count("\n") == 1
    assert not refused.exists()


def test_audit_details_read_as_words():
    from cse_screen.documents.subject_access import _audit_what

    entry = {
        "entity": "screening",
        "entity_id": "7",
        "detail": {"outcome": [None, "moderate"], "rules": ["R2", "O2"], "lowered": False},
    }
    assert _audit_what(entry) == "screening 7; outcome: none → moderate; rules: R2, O2; lowered: no"
