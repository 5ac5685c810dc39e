"""The whole-database operations of a signed-in store: verify (anyone), and the administrators'
backup, recovery enrolment, re-key, disabling a user and resetting the rollback check.

A mixin of :class:`cse_screen.vault.store.Store`; each operation checks the role itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cse_screen.storage.records import ChainReport, UserRecord
from cse_screen.storage.services import audit, signatures
from cse_screen.storage.services.care_codes import UncodedField, uncoded_fields
from cse_screen.storage.services.roles import require_role
from cse_screen.vault import anchor
from cse_screen.vault.integrity import check_integrity
from cse_screen.vault.recovery import fingerprint, load_public_key

if TYPE_CHECKING:
    from cse_screen.storage.services.audit import AuditLog
    from cse_screen.storage.services.context import ServiceContext
    from cse_screen.sync.audit_upload import ServerCopy
    from cse_screen.vault.keyslots import KeyslotFile

ANCHOR_RESET = "anchor_reset"


@dataclass(frozen=True)
class VerifyReport:
    """What ``verify`` found: page/SQLite problems and the audit chain's state."""

    integrity_problems: tuple[str, ...]
    chain: ChainReport
    signatures: signatures.SignatureReport | None = None
    #: care details that are not codes (not damage: kept from before the code lists)
    uncoded: tuple[UncodedField, ...] = ()
    #: On an enrolled laptop: how much of the chain the team server holds.
    server_copy: ServerCopy | None = None

    @property
    def ok(self) -> bool:
        signed_ok = self.signatures is None or self.signatures.ok
        held_ok = self.server_copy is None or self.server_copy.matches
        return not self.integrity_problems and self.chain.ok and signed_ok and held_ok


class StoreAdministration:
    """The store's whole-database operations (see the module's docstring)."""

    path: Path
    engine: Any
    context: ServiceContext
    audit: AuditLog
    warnings: tuple[str, ...]
    _keyslots: KeyslotFile
    _key: bytes

    def reset_anchor(self) -> None:
        """Make this database, at this path and as it is now, the one later opens are checked
        against (administrators only, audited).

        For a false alarm IT has looked into (a copy now in use, a database moved on purpose):
        from the next open the rollback check works again, from this point on.
        """
        require_role(self.context, ("admin",), "reset the rollback check", "database")
        with self.context.transaction() as session:
            db_id = anchor.database_id(session)
            detail = {"warning_cleared": bool(self.warnings)}
            last = audit.append(session, self.context, ANCHOR_RESET, "database", None, detail)
        anchor.remember(db_id, last.seq, last.hash, self.path)
        self.warnings = ()

    # --- whole-database operations ----------------------------------------------------------
    def verify(self) -> VerifyReport:
        """Cipher pages, SQLite structure, the audit chain and its signatures, and (on an enrolled
        laptop) whether the entry the team server last acknowledged is unchanged; any user may
        run it."""
        problems = tuple(check_integrity(self.engine))
        chain = self.audit.verify()
        # the sync package (and httpx under it) loads only when verify runs, never at start-up
        from cse_screen.sync.audit_upload import server_copy

        with self.context.reading() as session:
            signed = signatures.check(session)
            held = server_copy(session)
        uncoded = tuple(uncoded_fields(self.context)) if not problems else ()
        return VerifyReport(problems, chain, signatures=signed, uncoded=uncoded, server_copy=held)

    def backup(
        self,
        out: Path | str,
        progress: Callable[[int, int], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> Path:
        """An encrypted backup of the database and its keyslots (administrators only)."""
        from cse_screen.vault import backup as backup_module

        require_role(self.context, ("admin",), "make backups", "database")
        out = Path(out)
        backup_module.write_backup(self.engine, self.path, out, progress=progress, cancel=cancel)
        seq, head = self.audit.head()
        self.audit.record(
            audit.BACKUP,
            "database",
            None,
            {
                "file": out.name,
                "audit_entries": seq,
                "audit_head": head,
            },
        )
        signatures.sign_head_now(self.context, signatures.BACKUP)
        return out

    def enrol_recovery(self, public_key_pem: bytes | str) -> tuple[str | None, str]:
        """Enrol IT's recovery key on this database, or replace it (administrators only).

        Databases created before IT had a key pair, or whose key pair IT rotates, need this:
        without it a forgotten password loses the records. Returns the previous and the new
        key's fingerprints. The audit entry is written first and the keyslot file saved last
        in the same transaction, so a refused key or a failed save leaves no trace and the
        earlier slot in place.
        """
        require_role(self.context, ("admin",), "enrol the IT recovery key", "database")
        previous = self._keyslots.recovery_fingerprint
        new = fingerprint(load_public_key(public_key_pem))
        with self.context.transaction() as session:
            detail = {"recovery_key": [previous, new]}
            audit.append(session, self.context, audit.CHANGE, "database", None, detail)
            signer, earlier = self.context.signer, self._keyslots.signing.recovery
            if signer is not None:  # IT's new key can sign for a recovered administrator
                signer.wrap_for_recovery(load_public_key(public_key_pem))
            try:
                self._keyslots.enrol_recovery(public_key_pem, self._key)
            except BaseException:
                self._keyslots.signing.recovery = earlier
                raise
            self._keyslots.record_save(session)  # last: only commit follows
        return previous, new

    def rekey(
        self,
        *,
        reason: str = "on request",
        recovery_public_key: bytes | str | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> Any:
        """Re-encrypt the database to a new random key and reseal every slot (administrators
        only, audited); see :mod:`cse_screen.vault.rekey`. Returns what it did."""
        from cse_screen.vault import revoke

        require_role(self.context, ("admin",), "re-key the database", "database")
        return revoke.rekey_store(
            self,
            reason=reason,
            recovery_public_key=recovery_public_key,
            progress=progress,
            cancel=cancel,
        )

    def disable_user(
        self,
        name: str,
        *,
        recovery_public_key: bytes | str | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> UserRecord:
        """Deactivate ``name`` and re-key without their slot, in one decided step: an old copy
        of their keyslot file (or a backup's) no longer opens the database."""
        from cse_screen.vault import revoke

        return revoke.disable_user(
            self, name, recovery_public_key=recovery_public_key, progress=progress, cancel=cancel
        )
