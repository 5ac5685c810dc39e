"""Questionnaire versions installed in the database: install, activate, list, and which applies.

An administrator installs a definition (validated exactly as ``questionnaire validate`` does,
by the caller that read the file), usually inactive, and activates it from a date once the CSE
team has agreed it. A new screening uses the version active on its screening date: the one
with the latest start on or before that day; a day before every start uses the earliest
(a backdated screening of a child is still scored). Screenings already recorded keep the
version they were started with, found by its content hash. Versions are council-wide: every
role may list them, only an administrator changes them, and each change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cse_screen.core import registry
from cse_screen.core.loader import load_text
from cse_screen.core.model import Questionnaire
from cse_screen.core.version_diff import VersionDiff, diff_versions
from cse_screen.errors import NotFound, ValidationFailed
from cse_screen.storage.models import InstrumentVersion
from cse_screen.storage.services import audit, roles
from cse_screen.storage.services.context import ServiceContext

ENTITY = "questionnaire_version"
INSTALL = "install"
ACTIVATE = "activate"


@dataclass(frozen=True)
class VersionRecord:
    """One installed version as the version list shows it."""

    public_id: str
    instrument_id: str
    version: str
    content_hash: str
    active_from: date | None
    installed_by: str
    installed_at: datetime
    changes: VersionDiff

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.public_id,
            "instrument": self.instrument_id,
            "version": self.version,
            "content_hash": self.content_hash,
            "active_from": self.active_from.isoformat() if self.active_from else None,
            "installed_by": self.installed_by,
            "installed_at": self.installed_at.isoformat(timespec="seconds") + "Z",
            "changes": self.changes.to_dict(),
        }


@dataclass(frozen=True)
class Installed:
    """What ``install`` did: ``new`` is False when the same content was already installed."""

    version: VersionRecord
    new: bool


def definition_of(row: InstrumentVersion) -> Questionnaire:
    """The parsed definition of an installed row (a shipped file when one has its hash)."""
    registry.offer(row.instrument_id, row.version, row.content_hash, row.definition)
    return registry.get_by_hash(row.instrument_id, row.version, row.content_hash)


def offer_installed(session: Session) -> None:
    """Tell the registry of every installed definition, unparsed, so that a screening scored
    with one the shipped files lack is still shown and exported under it."""
    for row in session.execute(select(InstrumentVersion)).scalars():
        registry.offer(row.instrument_id, row.version, row.content_hash, row.definition)


def active_on(
    session: Session, day: date, instrument_id: str = registry.DEFAULT_ID
) -> Questionnaire:
    """The version new screenings dated ``day`` use; the shipped default in a database that
    has no active version installed (one made before versions were records, not yet upgraded)."""
    stmt = select(InstrumentVersion).where(
        InstrumentVersion.instrument_id == instrument_id,
        InstrumentVersion.active_from.is_not(None),
    )
    rows = list(session.execute(stmt).scalars())
    if not rows:
        return registry.get_questionnaire(instrument_id)
    rows.sort(key=lambda r: (r.active_from, registry.version_key(r.version)))
    started = [r for r in rows if r.active_from is not None and r.active_from <= day]
    return definition_of(started[-1] if started else rows[0])


class VersionsService:
    """The installed questionnaire versions of the signed-in user's database."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def active_on(self, day: date | None = None, instrument_id: str | None = None) -> Questionnaire:
        """The version a screening dated ``day`` (default today) is started with."""
        with self._ctx.reading() as session:
            return active_on(
                session, day or self._ctx.today(), instrument_id or registry.DEFAULT_ID
            )

    def get(self, version: str, instrument_id: str | None = None) -> Questionnaire:
        """An installed version by number (an answers file that names one)."""
        wanted = instrument_id or registry.DEFAULT_ID
        with self._ctx.reading() as session:
            row = self._row(session, wanted, version)
            return definition_of(row)

    def list(self, instrument_id: str | None = None) -> list[VersionRecord]:
        """Every installed version, oldest first, each with its changes from the one before."""
        with self._ctx.reading() as session:
            stmt = select(InstrumentVersion)
            if instrument_id:
                stmt = stmt.where(InstrumentVersion.instrument_id == instrument_id)
            rows = list(session.execute(stmt).scalars())
        rows.sort(key=lambda r: (r.instrument_id, registry.version_key(r.version)))
        out: list[VersionRecord] = []
        previous: dict[str, Questionnaire] = {}
        for row in rows:
            q = definition_of(row)
            out.append(_record(row, diff_versions(previous.get(row.instrument_id), q)))
            previous[row.instrument_id] = q
        return out

    def install(self, q: Questionnaire, text: str, active_from: date | None = None) -> Installed:
        """Install a validated definition (``text`` is the file's text, ``q`` what it loaded
        to). The same content again changes nothing; the same version with other content is
        refused, since screenings name a version and it must mean one definition."""
        roles.require_role(self._ctx, ("admin",), "install a questionnaire version", ENTITY)
        if load_text(text).content_hash != q.content_hash:
            raise ValidationFailed(f"{q.source}:1: the file changed while it was being installed")
        with self._ctx.reading() as session:
            found = self._find(session, q.id, q.version)
        if found is not None and found.content_hash == q.content_hash:
            return Installed(self._listed(found), new=False)
        with self._ctx.transaction() as session:
            found = self._find(session, q.id, q.version)
            if found is not None:
                raise ValidationFailed(
                    f"{q.source}:1: {q.label} is already installed with different content "
                    f"(hash {found.content_hash[:12]}); give the changed copy a new version"
                )
            row = InstrumentVersion(
                instrument_id=q.id,
                version=q.version,
                content_hash=q.content_hash,
                definition=text,
                active_from=active_from,
                installed_by=self._ctx.user.name,
                installed_at=self._ctx.now(),
            )
            session.add(row)
            session.flush()
            detail = {
                "instrument": q.id,
                "version": q.version,
                "content_hash": q.content_hash,
                "active_from": active_from.isoformat() if active_from else None,
            }
            audit.append(session, self._ctx, INSTALL, ENTITY, row.id, detail)
            registry.offer(q.id, q.version, q.content_hash, text)
        return Installed(self._listed(row), new=True)

    def activate(
        self, version: str, active_from: date | None, instrument_id: str | None = None
    ) -> VersionRecord:
        """Set (or, with None, clear) the day an installed version becomes active."""
        roles.require_role(self._ctx, ("admin",), "activate a questionnaire version", ENTITY)
        wanted = instrument_id or registry.DEFAULT_ID
        with self._ctx.reading() as session:
            row = self._row(session, wanted, version)
        if row.active_from == active_from:
            return self._listed(row)
        with self._ctx.transaction() as session:
            row = self._row(session, wanted, version)
            before = row.active_from
            if active_from is None and _only_active(session, row):
                raise ValidationFailed(
                    f"{wanted} {version} is the only active version; activate another first"
                )
            row.active_from = active_from
            detail = {
                "instrument": wanted,
                "version": version,
                "active_from": {
                    "old": before.isoformat() if before else None,
                    "new": active_from.isoformat() if active_from else None,
                },
            }
            audit.append(session, self._ctx, ACTIVATE, ENTITY, row.id, detail)
        return self._listed(row)

    def _find(self, session: Session, instrument_id: str, version: str) -> InstrumentVersion | None:
        return session.scalar(
            select(InstrumentVersion).where(
                InstrumentVersion.instrument_id == instrument_id,
                InstrumentVersion.version == version,
            )
        )

    def _row(self, session: Session, instrument_id: str, version: str) -> InstrumentVersion:
        row = self._find(session, instrument_id, version)
        if row is None:
            known = session.scalars(
                select(InstrumentVersion.version).where(
                    InstrumentVersion.instrument_id == instrument_id
                )
            ).all()
            there = ", ".join(sorted(known, key=registry.version_key)) or "none"
            raise NotFound(
                f"questionnaire {instrument_id} has no installed version {version} "
                f"(installed: {there})"
            )
        return row

    def _listed(self, row: InstrumentVersion) -> VersionRecord:
        for record in self.list(row.instrument_id):
            if record.version == row.version:
                return record
        raise NotFound(f"questionnaire {row.instrument_id} {row.version} is not installed")


def _only_active(session: Session, row: InstrumentVersion) -> bool:
    others = session.scalar(
        select(InstrumentVersion.id).where(
            InstrumentVersion.instrument_id == row.instrument_id,
            InstrumentVersion.active_from.is_not(None),
            InstrumentVersion.id != row.id,
        )
    )
    return others is None


def _record(row: InstrumentVersion, changes: VersionDiff) -> VersionRecord:
    return VersionRecord(
        public_id=str(row.public_id),
        instrument_id=row.instrument_id,
        version=row.version,
        content_hash=row.content_hash,
        active_from=row.active_from,
        installed_by=row.installed_by,
        installed_at=row.installed_at,
        changes=changes,
    )
