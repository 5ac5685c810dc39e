"""Unlock cost: Argon2id keyslot unwrap on its own, and raw-key vs passphrase database opens.

An administrator's unlock also unwraps the signing key (``vault/signing.py``); its cost is
printed against the Argon2id unlock, which it must not noticeably add to.

The Argon2id figure is the deliberate cost of a password guess (target about 0.5 s here). The
open comparison shows what the raw key saves: SQLCipher's own passphrase path runs PBKDF2 with
256,000 iterations on every connection, which our raw ``x'..'`` key skips.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlcipher3

from cse_screen.vault.engine import key_pragma, open_engine
from cse_screen.vault.kdf import DEFAULT_PARAMS, current_params
from cse_screen.vault.keyslots import KeyslotFile, keyslot_path

UNLOCK_RUNS = 5
OPEN_RUNS = 7
PASSWORD = "unlock timing passphrase 3"


def _median(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _driver_open(path: Path, pragma: str) -> None:
    connection = sqlcipher3.connect(str(path))
    try:
        connection.execute(pragma)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        connection.close()


def _passphrase_db(folder: Path) -> Path:
    path = folder / "passphrase.db"
    connection = sqlcipher3.connect(str(path))
    connection.execute("PRAGMA key = 'bench passphrase'")
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    return path


def _engine_open(db: Path, key: bytes) -> None:
    engine = open_engine(db, key)
    engine.dispose()


def main() -> None:
    saved = os.environ.pop("CSE_SCREEN_KDF", None)
    try:
        assert current_params() == DEFAULT_PARAMS
        with tempfile.TemporaryDirectory(prefix="bench-unlock-") as tmp:
            _run(Path(tmp))
    finally:
        if saved is not None:
            os.environ["CSE_SCREEN_KDF"] = saved


def _run(folder: Path) -> None:
    db = folder / "raw.db"
    slots, key = KeyslotFile.create(keyslot_path(db), "bench", PASSWORD)
    slots.signing.create("bench")  # an administrator's slot: it holds the signing key's grant
    open_engine(db, key, create=True).dispose()
    slots.save()
    p = DEFAULT_PARAMS
    passphrase_db = _passphrase_db(folder)
    pbkdf2 = _median(lambda: _driver_open(passphrase_db, "PRAGMA key = 'bench passphrase'"), 5)
    unlock = _median(lambda: KeyslotFile.load(slots.path).unlock("bench", PASSWORD), UNLOCK_RUNS)
    raw = _median(lambda: _driver_open(db, key_pragma(key)), OPEN_RUNS)
    engine = _median(lambda: _engine_open(db, key), OPEN_RUNS)
    print(f"sqlcipher passphrase open (PBKDF2 256k, baseline): {pbkdf2 * 1000:.1f} ms")
    print(
        f"argon2id unlock ({p.memory_kib // 1024} MiB, t={p.time_cost}, p={p.parallelism}): "
        f"{unlock * 1000:.0f} ms, median of {UNLOCK_RUNS} "
        f"({unlock / pbkdf2:.1f}x vs baseline; target about 500 ms on an idle machine)"
    )
    print(f"raw-key open, driver only: {raw * 1000:.2f} ms ({raw / pbkdf2:.3f}x vs baseline)")
    print(
        f"raw-key open_engine (checks + pragmas + first connection): {engine * 1000:.2f} ms "
        f"({engine / pbkdf2:.3f}x vs baseline)"
    )
    total = unlock + engine
    print(f"full unlock, password to open engine: {total * 1000:.0f} ms")
    unlocked = KeyslotFile.load(slots.path)
    unlocked.unlock("bench", PASSWORD)
    sign = _median(lambda: unlocked.signing.signing_key("bench"), OPEN_RUNS)
    print(
        f"administrator signing key after unlock (AES-GCM + X25519, no Argon2id): "
        f"{sign * 1000:.2f} ms ({sign / unlock:.1e}x the argon2id unlock)"
    )


if __name__ == "__main__":
    main()
