"""``export_workbook``: the one entry point the command line and the desktop app call.

Order matters for safety: the role is checked before anything is read; the workbook (and its
encryption) is built entirely in memory; only then are bytes written, to a private temporary
file beside the destination that is renamed into place; the export is audited last, and an
export that cannot be audited is removed again.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from cse_screen.errors import Cancelled, ExportFailed, UsageError, UserError
from cse_screen.export.context import Cancel, Progress
from cse_screen.export.memory import ChunkedBuffer
from cse_screen.export.options import ExportOptions, ExportSummary
from cse_screen.export.workbook import build_workbook
from cse_screen.storage.services import signatures
from cse_screen.vault.atomic import atomic_writer, remove_stale_temps_in

EXPORT_ROLES = ("lead", "manager", "admin")
EXPORT_SUFFIX = ".xlsx"


def check_role(store: Any) -> None:
    """Only team leads and administrators take data out of the database (refusals audited)."""
    from cse_screen.storage.services.roles import require_role

    require_role(store.context, EXPORT_ROLES, "export data", "export")


def check_destination(out: Path) -> None:
    """Refuse a destination that cannot work before any data is read."""
    if out.suffix.lower() != EXPORT_SUFFIX:
        raise UsageError(f"the export file {out} must have a name ending in .xlsx")
    folder = out.parent
    if not folder.is_dir():
        raise ExportFailed(f"cannot write the export {out}: the folder {folder} does not exist")
    if out.is_dir():
        raise ExportFailed(f"cannot write the export {out}: a folder of that name is in the way")
    if not os.access(folder, os.W_OK):
        raise ExportFailed(f"cannot write the export {out}: the folder {folder} is not writable")


def sweep_export_temps(folder: Path | str) -> int:
    """Remove the hidden private temporary files that exports killed before their rename left
    in ``folder``, whatever file each was writing; returns how many went.

    Such a file holds a complete or partial workbook, possibly unencrypted, that nothing else
    would remove unless an export to the very same name came along. Temporary files of exports
    still running (in this or another live process) and all other files are left alone.
    """
    return remove_stale_temps_in(folder, EXPORT_SUFFIX)


def write_export(out: Path, data: ChunkedBuffer, cancel: Cancel | None = None) -> int:
    """Write ``data`` (the in-memory file) to ``out`` completely or not at all."""
    try:
        with atomic_writer(out) as handle:
            for chunk in data.chunks():
                if cancel is not None and cancel():
                    raise Cancelled("the export was cancelled; no file was written")
                handle.write(chunk)
    except Cancelled:
        raise
    except UserError as exc:  # full disk, read-only place: the vault's sentence, as ours
        raise ExportFailed(f"cannot write the export: {exc}") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ExportFailed(f"cannot write the export {out}: {reason.lower()}") from None
    return data.size


def export_workbook(
    store: Any,
    out_path: Path | str,
    options: ExportOptions,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> ExportSummary:
    """Write the workbook for ``options`` to ``out_path``; see the module docstring."""
    from cse_screen.storage.reporting import StoreSource

    options.validate()
    check_role(store)
    out = Path(out_path)
    check_destination(out)
    sweep_export_temps(out.parent)
    built = build_workbook(StoreSource(store, options), options, progress, cancel)
    size = write_export(out, built.data, cancel)
    summary = ExportSummary(
        out,
        built.children,
        built.screenings,
        options.pseudonymise,
        options.encrypted,
        built.sheets,
        size,
    )
    try:
        store.audit.record("export", "workbook", None, audit_detail(summary, options))
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    signatures.sign_head_now(store.context, signatures.EXPORT)  # an administrator's export
    return summary


def audit_detail(summary: ExportSummary, options: ExportOptions) -> dict[str, Any]:
    """Who exported is the entry's actor; this is what and how (never the password)."""
    return {
        "file": summary.path.name,
        "filters": options.filters(),
        "pseudonymised": summary.pseudonymised,
        "row_level": options.row_level or not options.pseudonymise,
        "encrypted": summary.encrypted,
        "rows": {"children": summary.children, "screenings": summary.screenings},
        "sheets": list(summary.sheets),
    }
