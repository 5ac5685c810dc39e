"""Column types that mean the same on SQLCipher and on PostgreSQL.

The services hand and receive the same Python values on both engines; only the storage differs:
PostgreSQL keeps native ``uuid``, ``timestamptz`` and ``jsonb``, SQLite keeps text. The
migrations use these same types, so one schema history creates both.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

#: A public id: a UUID held and compared as its canonical text ("8-4-4-4-12" hex).
PublicId = Uuid(as_uuid=False)

#: JSON documents (screening context and result): JSONB on PostgreSQL, JSON text on SQLite.
JsonDocument = JSON().with_variant(JSONB(), "postgresql")


def new_public_id() -> str:
    """A fresh random public id (version 4): the same on every copy of the record."""
    return str(uuid.uuid4())


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in UTC: ``timestamptz`` on PostgreSQL, ISO text on SQLite.

    The services speak naive UTC datetimes (what the local file has always held); an aware
    value is converted to UTC on the way in, and PostgreSQL's aware values come back naive UTC,
    so a record read on either engine compares equal.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.replace(tzinfo=UTC) if dialect.name == "postgresql" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(UTC).replace(tzinfo=None)
        return value  # type: ignore[no-any-return]
