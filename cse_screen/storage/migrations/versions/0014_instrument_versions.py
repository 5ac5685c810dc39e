"""Questionnaire versions as records: the definitions installed in the database.

``instrument_versions`` holds each installed definition's text, its content hash, who
installed it and when, and the day it becomes active (null: installed, not active). New
screenings take the version active on their screening date from here.

The upgrade registers what the database already relies on: every version its screenings were
scored with (found among the shipped definitions by id, version and hash) and the shipped
active version, active from the first screening made with it (or from today in a database with
none). Shipped drafts (the 1.1 candidate) are not installed: that is the CSE team's decision,
made with ``questionnaire install``. The table is council-wide (no team column), so it has no
row-level security; reading the screenings to find their versions spans every team.

Revision ID: 0014_instrument_versions
Revises: 0013_care_codes
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import sqlalchemy as sa
from alembic import op

from cse_screen.core import registry
from cse_screen.storage.backfill import cross_team_backfill
from cse_screen.storage.types import PublicId, UtcDateTime

revision = "0014_instrument_versions"
down_revision = "0018_server_indexes"
branch_labels = None
depends_on = None

_VERSIONS = sa.table(
    "instrument_versions",
    sa.column("public_id", PublicId),
    sa.column("instrument_id", sa.String),
    sa.column("version", sa.String),
    sa.column("content_hash", sa.String),
    sa.column("definition", sa.Text),
    sa.column("active_from", sa.Date),
    sa.column("installed_by", sa.String),
    sa.column("installed_at", UtcDateTime),
)
_SCREENINGS = sa.table(
    "screenings",
    sa.column("instrument_id", sa.String),
    sa.column("instrument_version", sa.String),
    sa.column("instrument_hash", sa.String),
    sa.column("screen_date", sa.Date),
)


def _used() -> dict[tuple[str, str, str], dt.date]:
    """Each (id, version, hash) the screenings were scored with, and its first screening day."""
    s = _SCREENINGS.c
    stmt = sa.select(
        s.instrument_id, s.instrument_version, s.instrument_hash, sa.func.min(s.screen_date)
    ).group_by(s.instrument_id, s.instrument_version, s.instrument_hash)
    found = op.get_bind().execute(stmt)
    return {(i, v, h): first for i, v, h, first in found}


def _register() -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    used = _used()
    rows = []
    for q in registry.list_questionnaires():
        key = (q.id, q.version, q.content_hash)
        if key not in used and q.status != "active":
            continue
        active_from = (used.get(key) or now.date()) if q.status == "active" else None
        rows.append(
            {
                "public_id": str(uuid.uuid4()),
                "instrument_id": q.id,
                "version": q.version,
                "content_hash": q.content_hash,
                "definition": Path(q.source).read_bytes().decode("utf-8"),
                "active_from": active_from,
                "installed_by": "upgrade",
                "installed_at": now,
            }
        )
    if rows:
        op.bulk_insert(_VERSIONS, rows)


def upgrade() -> None:
    op.create_table(
        "instrument_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("public_id", PublicId, nullable=False),
        sa.Column("instrument_id", sa.String(100), nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("content_hash", sa.String(128), nullable=False),
        sa.Column("definition", sa.Text, nullable=False),
        sa.Column("active_from", sa.Date),
        sa.Column("installed_by", sa.String(64), nullable=False),
        sa.Column("installed_at", UtcDateTime, nullable=False),
    )
    op.create_index(
        "ux_instrument_versions_version",
        "instrument_versions",
        ["instrument_id", "version"],
        unique=True,
    )
    op.create_index(
        "ux_instrument_versions_public_id", "instrument_versions", ["public_id"], unique=True
    )
    with cross_team_backfill("screenings"):  # the versions in use span every team
        _register()


def downgrade() -> None:
    op.drop_index("ux_instrument_versions_public_id", "instrument_versions")
    op.drop_index("ux_instrument_versions_version", "instrument_versions")
    op.drop_table("instrument_versions")
