"""Save a write-only openpyxl workbook without any plaintext touching the disk.

openpyxl streams each write-only worksheet's XML into a named temporary file (``openpyxl.*`` in
the system temp folder) and copies it into the zip when the workbook is saved. For this product
those files hold children's names and screening answers in plain text, and a killed process
leaves them behind. Here every worksheet gets its own writer whose output is a
:class:`DeflateSpool` (the XML, deflated as it arrives, in memory), attached before openpyxl would
create its own; saving streams each spool into the zip entry. Nothing is patched globally: the
temporary-file code is never reached because every sheet already has a writer.

Compressing the spool keeps memory far below the XML size (a hundred thousand screenings make a
few hundred megabytes of worksheet XML but a few tens of megabytes deflated).
"""

from __future__ import annotations

import contextlib
import datetime
import zlib
from collections.abc import Iterator
from io import BytesIO
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.packaging.extended import ExtendedProperties
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import ARC_APP
from openpyxl.xml.functions import tostring

_RAW_CHUNK = 1 << 20


class DeflateSpool:
    """A write-only binary file kept deflated in memory, readable back once as raw bytes."""

    def __init__(self, level: int = 1) -> None:
        self._compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        self._chunks: list[bytes] = []
        self._finished = False
        self.raw_size = 0

    def write(self, data: bytes | str) -> int:
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.raw_size += len(data)
        packed = self._compressor.compress(data)
        if packed:
            self._chunks.append(packed)
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the data never leaves memory."""

    def compressed_size(self) -> int:
        return sum(len(chunk) for chunk in self._chunks)

    def read_chunks(self) -> Iterator[bytes]:
        """Yield the raw bytes back in pieces, releasing the deflated chunks as they are read."""
        if not self._finished:
            self._chunks.append(self._compressor.flush())
            self._finished = True
        inflater = zlib.decompressobj(-15)
        chunks, self._chunks = self._chunks, []
        for chunk in chunks:
            data = inflater.decompress(chunk, _RAW_CHUNK)
            while data:
                yield data
                data = inflater.decompress(inflater.unconsumed_tail, _RAW_CHUNK)
        tail = inflater.flush()
        if tail:
            yield tail


class _SpoolWorksheetWriter(WorksheetWriter):
    """openpyxl's worksheet writer, told to write into a spool and to leave no file to delete."""

    def cleanup(self) -> None:
        """The output is a spool, not a temporary file: nothing to remove."""


def start_sheet(ws: WriteOnlyWorksheet) -> None:
    """Give ``ws`` its in-memory writer; call after setting column widths and frozen panes.

    openpyxl writes the sheet's view and column settings when its writer starts, so those must be
    set first. Calling this again does nothing.
    """
    if ws._writer is None:
        ws._writer = _SpoolWorksheetWriter(ws, out=DeflateSpool())
        ws._writer.write_top()


APPLICATION = "cse-screen"


def _neutral_app_xml() -> bytes:
    props = ExtendedProperties()
    props.Application = APPLICATION
    props.AppVersion = None
    return bytes(tostring(props.to_tree()))


class _NeutralZip(ZipFile):
    """A zip whose application properties name this product, not the library that wrote it."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if zinfo_or_arcname == ARC_APP:
            data = _neutral_app_xml()
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)


class _SpoolExcelWriter(ExcelWriter):  # type: ignore[misc]
    def write_worksheet(self, ws: WriteOnlyWorksheet) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        if not ws.closed:
            ws.close()
        writer = ws._writer
        ws._rels = writer._rels
        with self._archive.open(ws.path[1:], "w", force_zip64=True) as entry:
            for piece in writer.out.read_chunks():
                entry.write(piece)
        self.manifest.append(ws)


def discard(wb: Workbook) -> None:
    """Close the streams of an abandoned workbook (cancel, error) so nothing dangles.

    Only sheets that already have their in-memory writer are closed: closing one without would
    make openpyxl create its temporary file after all.
    """
    for ws in wb.worksheets:
        if ws._writer is not None and not ws.closed:
            with contextlib.suppress(Exception):
                ws.close()


def save_to_memory(wb: Workbook) -> BytesIO:
    """The finished ``.xlsx`` as an in-memory file; every sheet must be write-only."""
    if not wb.write_only:
        raise ValueError("only write-only workbooks can be saved without temporary files")
    for ws in wb.worksheets:
        start_sheet(ws)
    buffer = BytesIO()
    archive = _NeutralZip(buffer, "w", ZIP_DEFLATED, allowZip64=True)
    wb.properties.modified = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    _SpoolExcelWriter(wb, archive).save()
    buffer.seek(0)
    return buffer
