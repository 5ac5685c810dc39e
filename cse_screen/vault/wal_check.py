"""Read a database's ``-wal`` file before SQLite does, to say when it is cut short or damaged.

SQLite replays a WAL up to its first frame whose checksum fails and silently drops the rest:
a WAL cut by a copy, or with flipped bytes, opens "intact" with the changes after that point
gone, and the first checkpoint then erases the evidence. So an open with a WAL present reads the
frame headers first (the checksums cover the encrypted pages as written, so nothing is
decrypted): frames of the current generation that come after a bad one, or a part frame at the
end, mean committed work was lost. An uncommitted tail left by a crash is normal and not
reported.
"""

from __future__ import annotations

import struct
import time
from pathlib import Path

HEADER = 32
FRAME_HEADER = 24
SETTLE_S = 0.2
MAGICS = {0x377F0682: "<", 0x377F0683: ">"}


def _checksum(data: bytes, order: str, s0: int, s1: int) -> tuple[int, int]:
    """SQLite's WAL checksum over ``data`` (a multiple of 8 bytes), continued from (s0, s1)."""
    words = struct.unpack(f"{order}{len(data) // 4}I", data)
    mask = 0xFFFFFFFF
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & mask
        s1 = (s1 + words[i + 1] + s0) & mask
    return s0, s1


def wal_problem(db_path: Path) -> str | None:
    """A sentence when the database's WAL lost committed frames, else None (or no WAL).

    A problem is only reported when a second look a moment later finds the file the same: a
    program writing the database right now may be half-way through a frame.
    """
    first = _read_problem(Path(f"{db_path}-wal"))
    if first is None:
        return None
    time.sleep(SETTLE_S)
    return first if _read_problem(Path(f"{db_path}-wal")) == first else None


def _read_problem(wal: Path) -> str | None:
    try:
        data = wal.read_bytes()
    except OSError:
        return None
    if len(data) < HEADER:
        return None  # empty or never written: nothing in it was ever committed
    magic, _version, page_size, _seq, salt1, salt2, c1, c2 = struct.unpack(">8I", data[:HEADER])
    order = MAGICS.get(magic)
    if order is None or _checksum(data[:24], order, 0, 0) != (c1, c2):
        return _sentence(wal, "its header is damaged")
    frame = FRAME_HEADER + page_size
    s0, s1 = c1, c2
    offset = HEADER
    while offset + frame <= len(data):
        head = data[offset : offset + FRAME_HEADER]
        _page, _commit, f_salt1, f_salt2, f_c1, f_c2 = struct.unpack(">6I", head)
        if (f_salt1, f_salt2) != (salt1, salt2):
            return None  # an older generation's frames: SQLite reuses the file from the start
        s0, s1 = _checksum(head[:8], order, s0, s1)
        s0, s1 = _checksum(data[offset + FRAME_HEADER : offset + frame], order, s0, s1)
        if (s0, s1) != (f_c1, f_c2):
            return _later_frames(data, offset + frame, frame, (salt1, salt2), wal)
        offset += frame
    if offset < len(data):
        return _sentence(wal, "it ends part-way through a change (it was cut short)")
    return None


def _later_frames(
    data: bytes, offset: int, frame: int, salts: tuple[int, int], wal: Path
) -> str | None:
    """After a bad frame: any later frame of the same generation means the bad one was not a
    crash's last, unfinished write but damage in the middle of saved work."""
    while offset + frame <= len(data):
        if struct.unpack(">2I", data[offset + 8 : offset + 16]) == salts:
            return _sentence(wal, "part of it is damaged")
        offset += frame
    if offset < len(data):
        return _sentence(wal, "it ends part-way through a change (it was cut short)")
    return None


def _sentence(wal: Path, what: str) -> str:
    return (
        f"the database's change log {wal.name} is torn: {what}; changes saved after the damaged "
        "point are not in the database"
    )
