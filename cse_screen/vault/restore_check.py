"""Check a restore's extracted database before it may replace the live one.

Why: a backup whose checksum and even MAC hold can still carry a database that would not serve
(a format 1 file has no MAC; a key holder can write a MAC over anything). So the extracted file,
still encrypted, beside the target under its ``.restore-new`` name, is opened with the backup's
key and checked exactly as ``verify`` checks a live database: every page's SQLCipher HMAC,
SQLite's structure and references, a schema revision this build knows, and the hash chain of
the audit trail. Only a database that passes all of them is swapped in.

Nothing here writes plaintext anywhere: the connection is keyed, temporary storage is in memory
(the vault's engine settings), and the WAL files the check's connection makes beside the
extracted file are encrypted like it and removed afterwards.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session

from cse_screen.errors import DatabaseDamaged, DatabaseTooNew, UserError
from cse_screen.storage.models import AuditRow
from cse_screen.storage.revisions import current_revision, known_revisions
from cse_screen.storage.services.audit import walk_chain
from cse_screen.vault.engine import database_files, open_engine
from cse_screen.vault.integrity import check_integrity


def refused(backup: Path, why: str) -> DatabaseDamaged:
    """The sentence for a backup whose database fails a check (exit 4)."""
    return DatabaseDamaged(f"the backup {backup} cannot be restored: {why}; nothing was changed")


def check_extracted(
    extracted: Path, key: bytes, backup: Path, script_location: Path | str | None = None
) -> None:
    """Raise (exit 4, or DatabaseTooNew) unless the extracted database is whole and ours."""
    try:
        engine = open_engine(extracted, key)
    except UserError:
        raise refused(backup, "its database does not open with its own keyslots' key") from None
    try:
        _check_pages(engine, backup)
        revision = _check_revision(engine, backup, script_location)
        _check_audit_chain(engine, backup, revision)
    finally:
        engine.dispose()
        for side in database_files(extracted)[1:]:
            with contextlib.suppress(FileNotFoundError):
                side.unlink()


def _check_pages(engine: Engine, backup: Path) -> None:
    problems = check_integrity(engine)
    if problems:
        raise refused(backup, problems[0])


def _check_revision(engine: Engine, backup: Path, script_location: Path | str | None) -> str | None:
    revision = current_revision(engine)
    if revision is not None and revision not in known_revisions(script_location):
        raise DatabaseTooNew(
            f"the database in the backup {backup} was made by a newer version of cse-screen; "
            "install that version or newer to restore it (nothing was changed)"
        )
    return revision


def _check_audit_chain(engine: Engine, backup: Path, revision: str | None) -> None:
    """Every cse-screen database has an audit trail from its first revision; a bare encrypted
    file without any schema (the vault's own tests) has nothing to walk."""
    if not inspect(engine).has_table(AuditRow.__tablename__):
        if revision is None:
            return
        raise refused(backup, "its database has no audit trail")
    with Session(engine) as session:
        rows = session.scalars(
            select(AuditRow).order_by(AuditRow.seq).execution_options(yield_per=2000)
        )
        report = walk_chain(iter(rows))
    if not report.ok:
        raise refused(
            backup, f"its audit trail is broken at entry {report.first_bad_seq} ({report.problem})"
        )
