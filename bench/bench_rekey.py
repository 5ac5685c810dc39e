"""Re-key and unlock after the keyslot changes.

1. ``rekey`` on a database of 10,000 children and 100,000 screenings with five users (production
   Argon2id parameters): the whole ``Store.rekey`` (copy, ``PRAGMA rekey``, the audited commit,
   the resealed keyslot file, the journalled swap, reopening), against the baseline of copying
   the same file once with an fsync, measured in the same run. Target: under 30 s.
2. Unlock with a format 2 slot (Argon2id unwraps the slot's own X25519 key, which opens the
   sealed database key) against a format 1 slot as 0.1 wrote it (Argon2id unwraps the database
   key itself), same password and parameters, same run. Target: no slower (about 1.0x).
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bench.bench_store import fill_children, fill_screenings
from cse_screen.vault.kdf import DEFAULT_PARAMS, current_params, derive_key
from cse_screen.vault.keyslots import PasswordSlot
from cse_screen.vault.store import Store

CHILDREN = int(os.environ.get("BENCH_REKEY_CHILDREN", 10_000))
PER_CHILD = int(os.environ.get("BENCH_REKEY_PER_CHILD", 10))
UNLOCK_RUNS = 7
PASSWORD = "rekey timing passphrase 8"


def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _copy_with_fsync(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    target.unlink()


def _build(folder: Path) -> Path:
    db = folder / "rekey.db"
    with Store.create(db, "admin", PASSWORD) as store:
        for n in range(4):
            store.users.add(f"worker{n}", f"{PASSWORD} for worker {n}", "worker")
        fill_children(store.engine, CHILDREN)
        fill_screenings(store.engine, CHILDREN, PER_CHILD)
    return db


def rekey_time(folder: Path) -> None:
    db = _build(folder)
    size = db.stat().st_size / 2**20
    copy = _timed(lambda: _copy_with_fsync(db, folder / "copy.db"))
    with Store.open(db, "admin", PASSWORD) as store:
        spent = _timed(store.rekey)
    with Store.open(db, "worker3", f"{PASSWORD} for worker 3") as store:
        assert store.verify().ok
    screenings = CHILDREN * PER_CHILD
    print(f"file copy with fsync of the {size:.0f} MiB database (baseline): {copy:.2f} s")
    print(
        f"rekey, {CHILDREN:,} children and {screenings:,} screenings, 5 keyslots: {spent:.2f} s "
        f"({spent / copy:.1f}x vs baseline; target under 30 s)"
    )


def _format_1_slot(key: bytes) -> PasswordSlot:
    """A slot as 0.1 made it: the database key itself under the password."""
    bare = PasswordSlot("bench", current_params(), os.urandom(16), os.urandom(12), b"")
    kek = derive_key(PASSWORD, bare.salt, bare.params)
    wrapped = AESGCM(kek).encrypt(bare.nonce, key, bare.associated_data())
    return PasswordSlot(bare.user, bare.params, bare.salt, bare.nonce, wrapped)


def unlock_time() -> None:
    key = os.urandom(32)
    old = _format_1_slot(key)
    new = PasswordSlot.seal("bench", PASSWORD, key, current_params())
    assert old.open(PASSWORD) == key and new.open(PASSWORD) == key
    # interleaved, so a load that comes and goes on a shared machine falls on both alike
    before_runs, after_runs = [], []
    for _ in range(UNLOCK_RUNS):
        before_runs.append(_timed(lambda: old.open(PASSWORD)))
        after_runs.append(_timed(lambda: new.open(PASSWORD)))
    before, after = statistics.median(before_runs), statistics.median(after_runs)
    p = DEFAULT_PARAMS
    print(
        f"unlock, format 1 slot (0.1; Argon2id {p.memory_kib // 1024} MiB, t={p.time_cost}; "
        f"baseline): {before * 1000:.0f} ms, median of {UNLOCK_RUNS}"
    )
    print(
        f"unlock, format 2 sealed slot (Argon2id + X25519 + HKDF + AES-GCM): {after * 1000:.0f} "
        f"ms ({after / before:.2f}x vs baseline; target no slower, about 1.0x)"
    )


def main() -> None:
    saved = os.environ.pop("CSE_SCREEN_KDF", None)
    folder = Path(tempfile.mkdtemp(prefix="bench-rekey-"))
    try:
        assert current_params() == DEFAULT_PARAMS
        unlock_time()
        rekey_time(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if saved is not None:
            os.environ["CSE_SCREEN_KDF"] = saved


if __name__ == "__main__":
    main()
