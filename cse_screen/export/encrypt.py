"""Password protection of the whole file (ECMA-376 agile encryption, as Excel itself writes).

Sheet or workbook "protection" in openpyxl only hides content from polite software; it is never
offered here. The workbook is encrypted in memory, so the plaintext never reaches the disk.
"""

from __future__ import annotations

from io import BytesIO

from msoffcrypto.format.ooxml import OOXMLFile

from cse_screen.errors import ExportFailed

#: Every encrypted Office file is an OLE compound file; a plain .xlsx is a zip ("PK").
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def encrypt_workbook(plain: BytesIO, password: str) -> BytesIO:
    """The encrypted file for ``plain`` (an in-memory .xlsx)."""
    out = BytesIO()
    try:
        OOXMLFile(plain).encrypt(password, out)
    except Exception as exc:  # msoffcrypto raises its own and plain errors alike
        raise ExportFailed(f"the workbook could not be encrypted ({type(exc).__name__})") from None
    if not out.getbuffer()[: len(OLE_MAGIC)] == OLE_MAGIC:
        raise ExportFailed("the workbook could not be encrypted (unexpected result)")
    out.seek(0)
    return out
