"""The encrypted export's file key is 32 bytes from the system's random source (issue 17,
item 7): msoffcrypto alone drew 16 random bytes and padded them to 32 with 0x36."""

from __future__ import annotations

import io
import zipfile

from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook

from cse_screen.export.encrypt import OLE_MAGIC, encrypt_workbook
from cse_screen.export.memory import ChunkedBuffer


def _plain_workbook() -> ChunkedBuffer:
    book = Workbook()
    book.active["A1"] = "synthetic"
    raw = io.BytesIO()
    book.save(raw)
    return ChunkedBuffer.of(raw.getvalue())


def _file_key(encrypted: bytes, password: str) -> tuple[bytes, bytes]:
    office = OOXMLFile(io.BytesIO(encrypted))
    office.load_key(password=password)
    plain = io.BytesIO()
    office.decrypt(plain)
    return bytes(office.secret_key), plain.getvalue()


def test_the_file_key_is_a_full_256_random_bits_and_excel_can_still_open_it():
    keys = []
    for _ in range(2):
        out = encrypt_workbook(_plain_workbook(), "export pass phrase 1")
        encrypted = out.getvalue() if hasattr(out, "getvalue") else out.read()
        assert encrypted[: len(OLE_MAGIC)] == OLE_MAGIC
        key, plain = _file_key(encrypted, "export pass phrase 1")
        assert len(key) == 32
        assert key[16:] != b"\x36" * 16  # not msoffcrypto's 128 bits plus padding
        with zipfile.ZipFile(io.BytesIO(plain)) as book:
            assert "xl/workbook.xml" in book.namelist()
        keys.append(key)
    assert keys[0] != keys[1]
