"""The AES-256 zips the app writes are WinZip AE-2 files that another implementation (pyzipper)
and a standard tool read, that refuse a wrong password, and whose tampering is caught."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile

import pytest
import pyzipper

from cse_screen.documents.aes_zip import aes_zip

PASSWORD = "Quartz-meadow-lantern-9"
FILES = [("big.pdf", os.urandom(70_000) + b"compressible " * 20_000), ("small.json", "é".encode())]


def _read(raw: bytes, password: str, name: str) -> bytes:
    with pyzipper.AESZipFile(io.BytesIO(raw)) as archive:
        archive.setpassword(password.encode())
        return archive.read(name)


def test_another_implementation_reads_every_file_back():
    raw = aes_zip(FILES, PASSWORD)
    for name, data in FILES:
        assert _read(raw, PASSWORD, name) == data
    with zipfile.ZipFile(io.BytesIO(raw)) as listing:
        assert [i.filename for i in listing.infolist()] == ["big.pdf", "small.json"]
        assert {(i.compress_type, i.flag_bits & 1, i.CRC) for i in listing.infolist()} == {
            (99, 1, 0)
        }
    assert b"compressible" not in raw


def test_a_wrong_password_and_a_changed_byte_are_refused():
    raw = bytearray(aes_zip(FILES, PASSWORD))
    with pytest.raises(RuntimeError, match=r"[Bb]ad password"):
        _read(bytes(raw), "Not-the-password-1", "big.pdf")
    raw[30 + len("big.pdf") + 11 + 18 + 500] ^= 0x01  # inside the first file's ciphertext
    with pytest.raises(pyzipper.BadZipFile):
        _read(bytes(raw), PASSWORD, "big.pdf")


@pytest.mark.skipif(shutil.which("unzip") is None, reason="no unzip on this machine")
def test_a_standard_tool_lists_it(tmp_path):
    path = tmp_path / "sar.zip"
    path.write_bytes(aes_zip(FILES, PASSWORD))
    listed = subprocess.run(["unzip", "-l", str(path)], capture_output=True, text=True)
    assert listed.returncode == 0 and "big.pdf" in listed.stdout and "small.json" in listed.stdout


def test_no_password_no_zip():
    with pytest.raises(ValueError):
        aes_zip(FILES, "")
