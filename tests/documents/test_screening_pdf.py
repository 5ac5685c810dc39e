"""The screening as a case-file PDF: its content, its password, its audit, who may make it."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from cse_screen.cli import main
from cse_screen.documents.service import DocumentRefused, save_screening_pdf
from cse_screen.errors import UsageError
from tests.documents.conftest import EXPORT_PASSWORD, PASSWORD, has, pdf_text


def test_the_pdf_holds_the_whole_screening(seeded, open_store, tmp_path):
    store = open_store("admin")
    out = tmp_path / "case-file.pdf"
    saved = save_screening_pdf(store, seeded.screenings["noted"], out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and saved.size == len(data)
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = pdf_text(data)
    pages = len(reader.pages)
    assert pages > 1
    for n in range(1, pages + 1):
        assert f"page {n} of {pages}" in text
    assert text.count("OFFICIAL-SENSITIVE") >= pages
    for expected in (
        seeded.names[1],
        seeded.refs[1],
        f"{seeded.dobs[1]:%d/%m/%Y}",
        "Assessor",
        "admin",
        "version 1.0.0",
        "A. Missing and whereabouts",
        "Seen with Marchbanks Quillfeather near the station",  # the evidence note
        "ago (not since)",  # the answer in the wizard's words
        "Raised after Tumbledown strategy meeting",  # the override reason
        "Computed outcome",
        "Final outcome",
        "Significant",
        "(rule R3)",  # the rule that fired, in words with its id
    ):
        assert has(text, expected), expected


def test_sign_off_and_return_are_shown(seeded, open_store, tmp_path):
    store = open_store("admin")
    signed = tmp_path / "signed.pdf"
    save_screening_pdf(store, seeded.screenings["signed"], signed)
    text = pdf_text(signed.read_bytes())
    assert "Signed off by" in text and "lead1" in text
    returned = tmp_path / "returned.pdf"
    save_screening_pdf(store, seeded.screenings["returned"], returned)
    text = pdf_text(returned.read_bytes())
    assert has(text, "Reason for return") and has(text, "Evidence Larkspur missing")


def test_an_encrypted_pdf_needs_its_password(seeded, open_store, tmp_path):
    store = open_store("admin")
    out = tmp_path / "locked.pdf"
    saved = save_screening_pdf(store, seeded.screenings["noted"], out, EXPORT_PASSWORD)
    assert saved.encrypted
    data = out.read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted
    assert reader.decrypt("Wrong-password-123").name == "NOT_DECRYPTED"
    with pytest.raises(Exception):  # noqa: B017 - pypdf refuses to read the text
        reader.pages[0].extract_text()
    assert seeded.names[1].encode() not in data
    assert seeded.names[1] in pdf_text(data, EXPORT_PASSWORD)
    assert oct(out.stat().st_mode & 0o777) == oct(0o600)


def test_the_save_is_audited_without_names(seeded, open_store, tmp_path):
    store = open_store("admin")
    out = tmp_path / "a.pdf"
    save_screening_pdf(store, seeded.screenings["noted"], out)
    entry = store.audit.entries(limit=1)[0]
    assert (entry.action, entry.entity) == ("export", "screening")
    assert entry.entity_id == str(seeded.screenings["noted"])
    assert entry.detail["document"] == "screening" and entry.detail["file"] == "a.pdf"
    assert seeded.names[1] not in str(entry.detail)


def test_a_worker_prints_only_their_own_children(seeded, open_store, tmp_path):
    worker = open_store("worker1")
    own = tmp_path / "own.pdf"  # child 1 is allocated to worker1
    save_screening_pdf(worker, seeded.screenings["noted"], own)
    assert own.exists()
    other = tmp_path / "other.pdf"  # child 4 is not
    with pytest.raises(DocumentRefused, match="own allocated"):
        save_screening_pdf(worker, seeded.screenings["signed"], other)
    assert not other.exists()


def test_weak_password_and_wrong_name_are_refused_first(seeded, open_store, tmp_path):
    store = open_store("admin")
    with pytest.raises(UsageError, match="password"):
        save_screening_pdf(store, seeded.screenings["noted"], tmp_path / "w.pdf", "short1")
    with pytest.raises(UsageError, match=r"\.pdf"):
        save_screening_pdf(store, seeded.screenings["noted"], tmp_path / "w.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db"]


def test_command_line(seeded, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
    monkeypatch.setenv("CSE_SCREEN_EXPORT_PASSWORD", EXPORT_PASSWORD)
    out = tmp_path / "cli.pdf"
    args = ["report", "screening", "--db", str(seeded.db), "--user", "admin"]
    code = main([*args, "--screening", str(seeded.screenings["noted"]), "--out", str(out)])
    assert code == 0 and "(encrypted)" not in capsys.readouterr().out
    locked = tmp_path / "locked.pdf"
    code = main(
        [*args, "--screening", str(seeded.screenings["noted"]), "--out", str(locked), "--encrypt"]
    )
    assert code == 0 and "(encrypted)" in capsys.readouterr().out
    assert PdfReader(io.BytesIO(locked.read_bytes())).is_encrypted
    assert main([*args, "--screening", "9999", "--out", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("cse-screen: error: ") and err.count("\n") == 1
