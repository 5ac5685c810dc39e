"""Password protection of the whole file (ECMA-376 agile encryption, as Excel itself writes).

Sheet or workbook "protection" in openpyxl only hides content from polite software; it is never
offered here. The workbook is encrypted in memory, so the plaintext never reaches the disk.
"""

from __future__ import annotations

from io import BytesIO

from msoffcrypto.format.ooxml import OOXMLFile

from cse_screen.errors import ExportFailed
from cse_screen.export.memory import ChunkedBuffer

#: Every encrypted Office file is an OLE compound file; a plain .xlsx is a zip ("PK").
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def encrypt_workbook(plain: ChunkedBuffer, password: str) -> ChunkedBuffer:
    """The encrypted file for ``plain`` (an in-memory .xlsx, released afterwards)."""
    out = BytesIO()
    try:
        plain.seek(0)
        OOXMLFile(plain).encrypt(password, out)
    except Exception as exc:  # msoffcrypto raises its own and plain errors alike
        raise ExportFailed(f"the workbook could not be encrypted ({type(exc).__name__})") from None
    finally:
        plain.release()
    if out.getbuffer()[: len(OLE_MAGIC)] != OLE_MAGIC:
        raise ExportFailed("the workbook could not be encrypted (unexpected result)")
    return ChunkedBuffer.of(out.getvalue())
