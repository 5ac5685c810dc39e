"""Turn a password into a key-encryption key with Argon2id.

Argon2id is memory-hard, so guessing passwords for a stolen laptop's keyslot file costs an
attacker memory as well as time. The default cost was measured at about half a second per unlock
on a two-core x86-64 machine (256 MiB, 3 passes, 1 lane); OWASP's floor is 19 MiB and 2 passes.
Each keyslot records the parameters it was made with, so the default can rise later without
locking anyone out; ``CSE_SCREEN_KDF=test`` selects a cheap setting for the test suite only.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from argon2.exceptions import HashingError
from argon2.low_level import Type, hash_secret_raw

from cse_screen.errors import UserError

KDF_NAME = "argon2id"
KEY_BYTES = 32
SALT_BYTES = 16

# Bounds applied to parameters read from a keyslot or recovery key file: a damaged or hostile
# file must not make us allocate gigabytes or spin for a minute (the ceiling is four times the
# default's memory and a few times its passes), nor accept a trivially cheap setting (the floor
# is the test suite's setting; anything below today's default is rehashed on unlock).
_MIN_MEMORY_KIB = 1024
_MAX_MEMORY_KIB = 1024 * 1024
_MAX_TIME_COST = 12
_MAX_LANES = 8


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost settings, stored with each keyslot."""

    time_cost: int
    memory_kib: int
    parallelism: int
    name: str = KDF_NAME

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> KdfParams:
        """Parse and bound-check stored parameters; ValueError on anything unexpected."""
        if not isinstance(data, dict) or data.get("name") != KDF_NAME:
            raise ValueError("unknown key derivation")
        params = cls(
            time_cost=_int(data, "time_cost", 1, _MAX_TIME_COST),
            memory_kib=_int(data, "memory_kib", _MIN_MEMORY_KIB, _MAX_MEMORY_KIB),
            parallelism=_int(data, "parallelism", 1, _MAX_LANES),
        )
        if params.memory_kib < 8 * params.parallelism:
            raise ValueError("memory below the Argon2 minimum")
        return params


def _int(data: dict[str, Any], name: str, low: int, high: int) -> int:
    value = data.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"bad {name}")
    return value


DEFAULT_PARAMS = KdfParams(time_cost=3, memory_kib=256 * 1024, parallelism=1)
TEST_PARAMS = KdfParams(time_cost=1, memory_kib=1024, parallelism=1)


def _test_setting_allowed() -> bool:
    """The cheap setting is for the test suite run from source, never an installed bundle: a
    variable set on a council laptop must not weaken every new keyslot."""
    return not getattr(sys, "frozen", False)


def current_params() -> KdfParams:
    """The parameters for new keyslots: the measured default, or cheap ones under tests."""
    if os.environ.get("CSE_SCREEN_KDF", "").strip().lower() == "test" and _test_setting_allowed():
        return TEST_PARAMS
    return DEFAULT_PARAMS


def recovery_params() -> KdfParams:
    """The recovery private key's cost: at least the keyslots' (it opens every database)."""
    return current_params()


def normalise_password(password: str) -> bytes:
    """NFC form, UTF-8: the same visible password typed on any keyboard gives the same bytes.

    macOS and some input methods produce decomposed (NFD) accents; without this, a password
    set on one machine would fail on another.
    """
    return unicodedata.normalize("NFC", password).encode("utf-8")


def derive_key(password: str, salt: bytes, params: KdfParams) -> bytes:
    """The 32-byte key-encryption key for ``password`` under a slot's salt and parameters."""
    try:
        return hash_secret_raw(
            secret=normalise_password(password),
            salt=salt,
            time_cost=params.time_cost,
            memory_cost=params.memory_kib,
            parallelism=params.parallelism,
            hash_len=KEY_BYTES,
            type=Type.ID,
        )
    except HashingError:
        # In practice only a failed allocation of the deliberately large work area.
        raise UserError(
            f"there is not enough free memory ({params.memory_kib // 1024} MiB) to check the "
            "password; close other programs and try again"
        ) from None
