"""Save a write-only openpyxl workbook without any plaintext touching the disk.

openpyxl streams each write-only worksheet's XML into a named temporary file (``openpyxl.*`` in
the system temp folder) and copies it into the zip when the workbook is saved. For this product
those files hold children's names and screening answers in plain text, and a killed process
leaves them behind. Here every worksheet gets its own writer before openpyxl would create one,
so its temporary-file code is never reached (nothing is patched globally):

* the big list sheets, filled one after the other, stream their XML straight into their entry
  of the final zip, which lives in memory (:class:`ChunkedBuffer`);
* the small aggregate sheets, filled later in any order, write into a :class:`DeflateSpool`
  (deflated as it arrives) that is copied into the zip when the workbook is saved.

So memory holds the compressed workbook and little else, whatever the number of rows.
"""

from __future__ import annotations

import contextlib
import datetime
import zlib
from collections.abc import Iterator
from typing import IO, Any, cast
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
_BUFFER_CHUNK = 1 << 20
#: Beyond this many (estimated) bytes of XML a zip entry needs ZIP64 headers, which Excel
#: reads less forgivingly; below it they are left out.
_ZIP64_ABOVE = 1 << 31
APPLICATION = "cse-screen"


class ChunkedBuffer:
    """A seekable in-memory file kept in fixed-size chunks.

    ``BytesIO`` doubles its storage as it grows (and copies it), so a 40 MB workbook can briefly
    cost 120 MB; chunks grow by one megabyte at a time and are never copied.
    """

    def __init__(self) -> None:
        self._chunks: list[bytearray] = []
        self._pos = 0
        self.size = 0

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: self.size}[whence]
        self._pos = base + offset
        return self._pos

    def seekable(self) -> bool:
        return True

    def flush(self) -> None:
        """Nothing to flush: the data never leaves memory."""

    def write(self, data: bytes | bytearray | memoryview) -> int:
        view = memoryview(data).cast("B")
        written = 0
        while written < len(view):
            index, offset = divmod(self._pos, _BUFFER_CHUNK)
            while index >= len(self._chunks):
                self._chunks.append(bytearray(_BUFFER_CHUNK))
            n = min(_BUFFER_CHUNK - offset, len(view) - written)
            self._chunks[index][offset : offset + n] = view[written : written + n]
            written += n
            self._pos += n
        self.size = max(self.size, self._pos)
        return written

    def chunks(self) -> Iterator[memoryview]:
        """The content in order, without copying."""
        remaining = self.size
        for chunk in self._chunks:
            if remaining <= 0:
                break
            view = memoryview(chunk)[: min(remaining, _BUFFER_CHUNK)]
            remaining -= len(view)
            yield view

    def read(self, size: int = -1) -> bytes:
        end = self.size if size is None or size < 0 else min(self.size, self._pos + size)
        parts = []
        while self._pos < end:
            index, offset = divmod(self._pos, _BUFFER_CHUNK)
            n = min(_BUFFER_CHUNK - offset, end - self._pos)
            parts.append(bytes(self._chunks[index][offset : offset + n]))
            self._pos += n
        return b"".join(parts)

    def readable(self) -> bool:
        return True

    def getvalue(self) -> bytes:
        return b"".join(self.chunks())

    @classmethod
    def of(cls, data: bytes) -> ChunkedBuffer:
        buffer = cls()
        buffer.write(data)
        buffer.seek(0)
        return buffer

    def release(self) -> None:
        self._chunks.clear()
        self.size = self._pos = 0


class DeflateSpool:
    """A write-only binary file kept deflated in memory, readable back once as raw bytes."""

    def __init__(self, level: int = 1) -> None:
        self._compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        self._chunks: list[bytes] = []
        self._finished = False

    def write(self, data: bytes | str) -> int:
        if isinstance(data, str):
            data = data.encode("utf-8")
        packed = self._compressor.compress(data)
        if packed:
            self._chunks.append(packed)
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the data never leaves memory."""

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


class _MemoryWorksheetWriter(WorksheetWriter):  # type: ignore[misc]
    """openpyxl's worksheet writer, told where to write and that there is no file to delete."""

    def cleanup(self) -> None:
        """The output is memory, not a temporary file: nothing to remove."""


class _NeutralZip(ZipFile):
    """A zip whose application properties name this product, not the library that wrote it."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if zinfo_or_arcname == ARC_APP:
            props = ExtendedProperties()
            props.Application = APPLICATION
            props.AppVersion = None
            data = tostring(props.to_tree())
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)


class _BookWriter(ExcelWriter):  # type: ignore[misc]
    """Writes the workbook's remaining parts; list sheets are already in the zip."""

    def __init__(self, wb: Workbook, archive: ZipFile, streamed: set[int]) -> None:
        super().__init__(wb, archive)
        self._streamed = streamed

    def write_worksheet(self, ws: WriteOnlyWorksheet) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        if not ws.closed:
            ws.close()
        writer = ws._writer
        ws._rels = writer._rels
        if id(ws) not in self._streamed:
            with self._archive.open(ws.path[1:], "w") as entry:
                for piece in writer.out.read_chunks():
                    entry.write(piece)
        self.manifest.append(ws)


class MemoryBook:
    """A write-only workbook assembled in memory; see the module docstring."""

    def __init__(self) -> None:
        self.wb = Workbook(write_only=True)
        self.buffer = ChunkedBuffer()
        self._archive = _NeutralZip(
            cast("IO[bytes]", self.buffer), "w", ZIP_DEFLATED, allowZip64=True
        )
        self._streamed: set[int] = set()
        self._entries: dict[int, Any] = {}

    def stream_sheet(self, ws: WriteOnlyWorksheet, expected_bytes: int = 0) -> None:
        """Write ``ws`` straight into the zip; it must be finished before the next one starts.

        Call after setting its column widths and frozen panes (openpyxl writes those first).
        """
        ws._id = self.wb.worksheets.index(ws) + 1
        entry = self._archive.open(ws.path[1:], "w", force_zip64=expected_bytes > _ZIP64_ABOVE)
        self._entries[id(ws)] = entry
        self._streamed.add(id(ws))
        ws._writer = _MemoryWorksheetWriter(ws, out=entry)
        ws._writer.write_top()

    def spool_sheet(self, ws: WriteOnlyWorksheet) -> None:
        """Keep ``ws`` in a deflated spool until the workbook is saved (any filling order)."""
        if ws._writer is None:
            ws._writer = _MemoryWorksheetWriter(ws, out=DeflateSpool())
            ws._writer.write_top()

    def finish_sheet(self, ws: WriteOnlyWorksheet) -> None:
        """Close a streamed sheet: its tail (filters, page setup) is written now."""
        ws.close()
        self._entries.pop(id(ws)).close()

    def save(self) -> ChunkedBuffer:
        """Add the remaining parts and close the zip; returns the finished file."""
        for ws in self.wb.worksheets:
            self.spool_sheet(ws)
        self.wb.properties.modified = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
        _BookWriter(self.wb, self._archive, self._streamed).save()
        return self.buffer

    def discard(self) -> None:
        """Close the streams of an abandoned workbook (cancel, error) and free its memory.

        Only sheets that already have their in-memory writer are closed: closing one without
        would make openpyxl create its temporary file after all.
        """
        for ws in self.wb.worksheets:
            if ws._writer is not None and not ws.closed:
                with contextlib.suppress(Exception):
                    ws.close()
        for entry in self._entries.values():
            with contextlib.suppress(Exception):
                entry.close()
        with contextlib.suppress(Exception):
            self._archive.close()
        self.buffer.release()
