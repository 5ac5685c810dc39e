"""Open the encrypted database: SQLCipher 4 through SQLAlchemy, keyed with a raw 256-bit key.

Why it is done this way (each point is a trap someone fell into):

* SQLAlchemy's ``sqlite+pysqlcipher`` dialect pastes a passphrase into ``pragma key="%s"`` and
  into the URL, so a quote breaks it and the secret reaches logs. We key every connection in our
  own ``connect`` listener, registered first, with ``PRAGMA key = "x'<hex>'"``: a random key of
  64 hex digits cannot break the statement, and SQLCipher's own passphrase KDF is skipped because
  the key already comes out of Argon2id-protected keyslots.
* Stock SQLite ignores ``PRAGMA key`` and writes plaintext. We refuse to continue unless
  ``PRAGMA cipher_version`` answers 4.x, before any file is created.
* A wrong key is only noticed at the first read, where it looks exactly like damage. We read
  ``sqlite_master`` at once so the failure happens here, with a sentence naming the file.
* SQLite's legacy Python transaction mode does not BEGIN before DDL, so a failing migration
  would leave half a schema. We switch the driver's own transaction handling off and emit BEGIN
  ourselves (the SQLAlchemy-documented recipe), so every transaction, DDL included, is atomic.

Each connection setting was chosen on ``make bench BENCH=cipher``, which runs the store's own
work (bulk insert, a register page, a name search, a worker's autosaved answers) with one
setting changed at a time, each paired with stock SQLite run just before it (figures below:
median ratios to plain SQLite of three pairs on a shared two-core machine, in that order):

* ``cipher_memory_security = OFF`` (1.28x, 0.84x, 1.12x, 1.20x; on: 7.8x, 2.0x, 1.5x, 2.9x).
  When on, SQLCipher locks every allocation SQLite makes (so it is never swapped) and wipes it
  when freed. In this process that protects little: each row SQLite hands back becomes Python
  strings and objects (the records, Qt's models) that the interpreter neither locks nor wipes,
  so whoever can read this process's memory or its swap reads the same names either way. It
  was the costliest setting by far, and SQLCipher 4.5 made off its own default for the same
  reason. The database key is the vault's (keyslots), not something SQLite's buffers add to.
* ``cipher_page_size`` stays at SQLCipher 4's 4096: 16384 measured the same within the noise
  (1.26x, 0.91x, 0.94x, 1.08x), and the page size is part of the file's format, so changing it
  would mean re-encrypting every database written so far into a new file for nothing.
* The key is raw (``x'...'``), so ``kdf_iter`` does not apply: SQLCipher's passphrase
  derivation is skipped (Argon2id in the keyslots has already done that work once per unlock).
* ``synchronous = FULL``. NORMAL made the worker's autosaved answers faster (0.84x against
  1.20x), but with WAL a power cut can then lose the last commits, and the wizard shows an
  answer as saved only once it is committed: FULL keeps that promise.
* ``temp_store = MEMORY``: sorts and temporary tables never reach the disk as plaintext.
* ``journal_mode = WAL`` with SQLite's default autocheckpoint (1,000 pages): readers (the
  register) never wait on the autosave's writer; 10,000 pages bought nothing measurable
  (1.25x, 1.11x, 0.91x, 1.01x) and makes the WAL, and recovery after a crash, longer.
* The page cache is 32 MiB (``cache_size``, set by the records layer): SQLite's default 2 MiB
  made a register page 1.65x and a name search 2.19x plain SQLite with the larger cache.
* No plaintext header (``cipher_plaintext_header_size`` is for iOS shared containers): the
  whole file, header included, is ciphertext, so it says nothing about what it holds.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL

from cse_screen import storage_faults
from cse_screen.errors import (
    DatabaseDamaged,
    DatabaseInUse,
    NotADatabase,
    SQLCipherMissing,
    UserError,
)
from cse_screen.fileowner import give_to_folder_owner, make_folders
from cse_screen.paths import default_database
from cse_screen.vault.atomic import write_error

# The DB-API module used for every connection. Tests swap it for the stock sqlite3 module to
# prove that we refuse to run unencrypted.
DRIVER: ModuleType = sqlcipher3

KEY_BYTES = 32
DEFAULT_BUSY_TIMEOUT_MS = 5000
PLAINTEXT_HEADER = b"SQLite format 3\x00"
#: Every connection's settings after its key (WAL is set, and checked, after them).
CONNECTION_PRAGMAS: tuple[str, ...] = (
    "cipher_memory_security = OFF",
    "temp_store = MEMORY",
    "synchronous = FULL",
    "foreign_keys = ON",
)


def key_pragma(key: bytes) -> str:
    """The keying statement for a raw key; only hex digits ever reach the SQL text."""
    if not isinstance(key, bytes | bytearray) or len(key) != KEY_BYTES:
        raise ValueError("the database key must be exactly 32 bytes")
    return f"PRAGMA key = \"x'{bytes(key).hex()}'\""


def cipher_version(dbapi_connection: Any) -> str:
    """SQLCipher's version as the open connection reports it, or '' for stock SQLite."""
    row = dbapi_connection.execute("PRAGMA cipher_version").fetchone()
    return str(row[0]) if row and row[0] else ""


def require_sqlcipher(module: ModuleType | None = None) -> str:
    """Fail closed unless the driver encrypts with SQLCipher 4; checked in memory, no file made."""
    module = module or DRIVER
    probe = module.connect(":memory:")
    try:
        version = cipher_version(probe)
    finally:
        probe.close()
    _check_cipher_version(version)
    return version


def _check_cipher_version(version: str) -> None:
    if not version.startswith("4."):
        found = f"SQLCipher {version}" if version else "plain SQLite without encryption"
        raise SQLCipherMissing(
            f"this installation's database driver is {found}; SQLCipher 4 is required, so "
            "nothing was opened or written"
        )


def _damaged(db_path: Path) -> DatabaseDamaged:
    return storage_faults.damaged_sentence(db_path)


def _in_use(db_path: Path) -> DatabaseInUse:
    return storage_faults.locked_sentence(db_path)


def translate_error(exc: BaseException, db_path: Path) -> UserError | None:
    """The user-facing error for a driver failure, or None when it is a programming error.

    Used around every database call so that damage, a lock held elsewhere, a read-only folder or
    a full disk reach the user as one sentence naming the file, never as a traceback; which one
    is decided in :mod:`cse_screen.storage_faults`, so a full disk is never called damage.
    """
    found = storage_faults.user_error(exc, db_path)
    if found is not None:
        return found
    inner = getattr(exc, "orig", None) or exc
    return write_error(inner, db_path)


@contextlib.contextmanager
def db_errors(db_path: Path | str) -> Iterator[None]:
    """Turn driver errors raised inside the block into the matching :class:`UserError`."""
    try:
        yield
    except (sa_exc.DBAPIError, DRIVER.Error, OSError) as exc:
        user_error = translate_error(exc, Path(db_path))
        if user_error is None:
            raise
        raise user_error from None


def _key_connection(dbapi_connection: Any, key: bytes, db_path: Path, busy_ms: int) -> None:
    """Key a fresh connection, prove it decrypts, and set the pragmas the design requires."""
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, see the module docstring
    dbapi_connection.execute(key_pragma(key))
    dbapi_connection.execute("PRAGMA cipher_log_level = NONE")
    _check_cipher_version(cipher_version(dbapi_connection))
    # Pin the page format: a later SQLCipher major version with new defaults must still read
    # the files written today.
    dbapi_connection.execute("PRAGMA cipher_compatibility = 4")
    dbapi_connection.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
    with db_errors(db_path):
        dbapi_connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        for setting in CONNECTION_PRAGMAS:
            dbapi_connection.execute(f"PRAGMA {setting}")
        mode = dbapi_connection.execute("PRAGMA journal_mode = WAL").fetchone()
    if not mode or str(mode[0]).lower() != "wal":
        raise _in_use(db_path)


def _check_file(db_path: Path, create: bool) -> None:
    """Refuse before SQLite creates or touches anything it should not."""
    if create:
        if db_path.exists():
            raise UserError(f"the database file {db_path} already exists; it was not overwritten")
        return
    if not db_path.is_file():
        raise NotADatabase(f"the database file {db_path} does not exist")
    with open(db_path, "rb") as handle:
        header = handle.read(len(PLAINTEXT_HEADER))
    if not header:
        raise NotADatabase(f"the database file {db_path} is empty")
    if header == PLAINTEXT_HEADER:
        raise NotADatabase(
            f"the file {db_path} is an unencrypted SQLite file, not a cse-screen database"
        )


def _create_empty(db_path: Path) -> None:
    """Make the new file ourselves: owner-only permissions, and never over an existing file.

    SQLite gives its -wal and -shm files the permissions of the database file.
    """
    try:
        make_folders(db_path.parent)
        fd = os.open(db_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        give_to_folder_owner(db_path)
    except FileExistsError:
        raise UserError(
            f"the database file {db_path} already exists; it was not overwritten"
        ) from None
    except OSError as exc:
        user_error = write_error(exc, db_path)
        if user_error is None:
            raise
        raise user_error from None
    os.close(fd)


def _build_engine(db_path: Path, key: bytes, busy_ms: int) -> Engine:
    url = URL.create("sqlite", database=str(db_path))
    engine = create_engine(url, module=DRIVER, connect_args={"check_same_thread": False})
    key_copy = bytes(key)

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        _key_connection(dbapi_connection, key_copy, db_path, busy_ms)

    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    event.listen(engine, "connect", on_connect, insert=True)
    event.listen(engine, "begin", on_begin)
    return engine


def _first_connect(engine: Engine, db_path: Path) -> None:
    """Open one connection now, so a wrong key or a lock is reported at open, not later."""
    try:
        with db_errors(db_path), engine.connect():
            pass
    except BaseException:
        engine.dispose()
        raise


def open_engine(
    db_path: Path | str | None,
    key: bytes,
    create: bool = False,
    *,
    busy_timeout_ms: int | None = None,
) -> Engine:
    """An engine on the encrypted database at ``db_path`` (default: the user data folder).

    ``create=True`` makes a new database and refuses to overwrite an existing file; otherwise
    the file must exist and decrypt with ``key``. Raises SQLCipherMissing, NotADatabase,
    DatabaseDamaged or DatabaseInUse with a sentence naming the file.
    """
    db_path = Path(db_path) if db_path is not None else default_database()
    key_pragma(key)  # validate the key before anything touches the disk
    require_sqlcipher()
    _check_file(db_path, create)
    if create:
        _create_empty(db_path)
    busy = DEFAULT_BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms
    engine = _build_engine(db_path, key, busy)
    try:
        _first_connect(engine, db_path)
    except BaseException:
        if create:
            _remove_database_files(db_path)
        raise
    return engine


def database_files(db_path: Path | str) -> list[Path]:
    """The database file and the WAL and shared-memory files SQLite keeps beside it."""
    db_path = Path(db_path)
    return [db_path, *(db_path.with_name(db_path.name + s) for s in ("-wal", "-shm", "-journal"))]


def _remove_database_files(db_path: Path) -> None:
    for path in database_files(db_path):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


@contextlib.contextmanager
def driver_connection(engine: Engine) -> Iterator[Any]:
    """A pooled, keyed driver connection for what SQLAlchemy cannot express (VACUUM INTO,
    progress handlers, PRAGMAs outside a transaction); returned to the pool afterwards."""
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        if driver is None:
            raise RuntimeError("the pool returned a closed connection")
        yield driver
    finally:
        raw.close()


def checkpoint(engine: Engine) -> None:
    """Fold the WAL into the main file, so a file-level copy or a size check sees everything."""
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
