"""The entry points the command line and the desktop app call to save a document.

Order matters for safety, as for the workbook: the role is checked before anything is read;
the document (and its encryption) is built entirely in memory; only then are bytes written, to
a private temporary file beside the destination that is renamed into place; the save is audited
last, and a document that cannot be audited is removed again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from cse_screen.errors import (
    EXIT_AUTH,
    Cancelled,
    ExportFailed,
    PermissionDenied,
    UsageError,
    UserError,
)
from cse_screen.vault.atomic import atomic_writer, remove_stale_temps_in

#: Who may take everything about one child out of the database (a subject access request).
SUBJECT_ACCESS_ROLES = ("lead", "manager", "admin")
#: Who may make the report to Cabinet or the board (the workbook's export roles).
BOARD_ROLES = ("lead", "manager", "admin")


class DocumentRefused(PermissionDenied):
    """The signed-in user may not make this document (already written to the audit trail)."""

    exit_code = EXIT_AUTH


class Steps:
    """Progress and Cancel between a document's stages (read, build, write).

    A document is built whole in memory before a byte is written, so the only safe places to
    stop are between stages: a Cancel pressed while the PDF is being laid out takes effect when
    that stage ends, and nothing is written. Once writing starts the document is finished and
    audited, because a half-made act is worse than a late Cancel. ``control`` is the GUI's
    operation control (``progress(done, total)`` and ``cancelled()``); the command line passes
    none.
    """

    TOTAL = 3

    def __init__(self, control: Any | None) -> None:
        self._control = control
        self._done = 0

    def next(self) -> None:
        """One stage done: report it, then stop here if the user asked to."""
        self._done += 1
        if self._control is None:
            return
        self._control.progress(self._done, self.TOTAL)
        if self._control.cancelled():
            raise Cancelled("the document was cancelled; no file was written")

    def written(self) -> None:
        """The last stage: the file is in place and audited, past any Cancel."""
        if self._control is not None:
            self._control.progress(self.TOTAL, self.TOTAL)


@dataclass(frozen=True)
class SavedDocument:
    path: Path
    size: int
    encrypted: bool
    #: What the document covers, for the caller's message (no names).
    what: str


def check_destination(out: Path, suffix: str) -> None:
    """Refuse a destination that cannot work before any data is read."""
    if out.suffix.lower() != suffix:
        raise UsageError(f"the file {out} must have a name ending in {suffix}")
    folder = out.parent
    if not folder.is_dir():
        raise ExportFailed(f"cannot write {out}: the folder {folder} does not exist")
    if out.is_dir():
        raise ExportFailed(f"cannot write {out}: a folder of that name is in the way")
    if not os.access(folder, os.W_OK):
        raise ExportFailed(f"cannot write {out}: the folder {folder} is not writable")
    remove_stale_temps_in(folder, suffix)


def write_file(out: Path, data: bytes) -> int:
    """Write ``data`` to ``out`` completely or not at all."""
    try:
        with atomic_writer(out) as handle:
            handle.write(data)
    except UserError as exc:  # full disk, read-only place: the vault's sentence, as ours
        raise ExportFailed(f"cannot write {out.name}: {exc}") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ExportFailed(f"cannot write {out}: {reason.lower()}") from None
    return len(data)


def _check_password(password: str | None) -> None:
    from cse_screen.export.options import check_export_password

    if password:
        check_export_password(password)


def _require(store: Any, roles: tuple[str, ...], action: str, entity: str) -> None:
    from cse_screen.storage.services.roles import require_role

    try:
        require_role(store.context, roles, action, entity)
    except PermissionDenied as exc:
        raise DocumentRefused(exc.message) from None


def _save(
    store: Any,
    out: Path,
    data: bytes,
    audit: tuple[str, object, dict[str, Any]],
    what: str,
    encrypted: bool,
    steps: Steps,
) -> SavedDocument:
    size = write_file(out, data)
    entity, entity_id, detail = audit
    try:
        store.audit.record("export", entity, entity_id, {"file": out.name, **detail})
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    steps.written()
    return SavedDocument(out, size, encrypted, what)


def save_screening_pdf(
    store: Any,
    screening_id: int,
    out_path: Path | str,
    password: str | None = None,
    control: Any | None = None,
) -> SavedDocument:
    """One screening as a case-file PDF; anyone who may read the screening may print it."""
    from cse_screen.documents.screening import screening_pdf

    _check_password(password)
    out = Path(out_path)
    check_destination(out, ".pdf")
    try:
        record = store.screenings.get(screening_id)
    except PermissionDenied as exc:
        raise DocumentRefused(exc.message) from None
    steps = Steps(control)
    steps.next()
    data = screening_pdf(record, password)
    steps.next()
    detail = {"document": "screening", "child_id": record.child_id, "encrypted": bool(password)}
    return _save(
        store,
        out,
        data,
        ("screening", record.id, detail),
        f"screening {record.id} of {record.child_ref}",
        bool(password),
        steps,
    )


def save_subject_access(
    store: Any,
    case_ref: str,
    out_path: Path | str,
    password: str | None = None,
    control: Any | None = None,
) -> SavedDocument:
    """Everything held about one child, as a PDF and JSON in one zip (leads and admins)."""
    from cse_screen.documents.subject_access import subject_access_zip
    from cse_screen.documents.subject_access_data import gather

    _check_password(password)
    _require(store, SUBJECT_ACCESS_ROLES, "make a subject access export", "child")
    out = Path(out_path)
    check_destination(out, ".zip")
    steps = Steps(control)
    held = gather(store, case_ref)
    steps.next()
    data = subject_access_zip(held, password)
    steps.next()
    counts = {k: len(v) for k, v in held.items() if isinstance(v, list)}
    detail = {
        "document": "subject_access",
        "child_id": held["child"]["id"],
        "encrypted": bool(password),
        "rows": counts,
    }
    return _save(
        store,
        out,
        data,
        ("child", held["child"]["id"], detail),
        f"everything held about {held['child']['case_ref']}",
        bool(password),
        steps,
    )


def save_board_report(
    store: Any,
    date_from: date,
    date_to: date,
    out_path: Path | str,
    team: str | None = None,
    control: Any | None = None,
) -> SavedDocument:
    """The pseudonymised report to Cabinet or the board for a period (leads and admins)."""
    from cse_screen.documents.board import board_pdf
    from cse_screen.documents.board_figures import board_figures

    if date_to < date_from:
        raise UsageError(f"the start date {date_from:%Y-%m-%d} is after its end date")
    _require(store, BOARD_ROLES, "make the board report", "board")
    out = Path(out_path)
    check_destination(out, ".pdf")
    steps = Steps(control)
    figures = board_figures(store, date_from, date_to, team)
    steps.next()
    data = board_pdf(figures)
    steps.next()
    detail = {
        "document": "board",
        "filters": {"from": date_from.isoformat(), "to": date_to.isoformat(), "team": team},
        "pseudonymised": True,
    }
    period = f"{date_from:%d/%m/%Y} to {date_to:%d/%m/%Y}"
    return _save(store, out, data, ("board", None, detail), f"the period {period}", False, steps)
