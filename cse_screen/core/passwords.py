"""One password policy for every way a password or passphrase is chosen.

The password protects special-category data about children on a laptop that may be stolen, so
a weak one is refused with the reason before the key derivation is spent on it. The estimate is
deliberately simple and explainable (length, kinds of characters, repeats, names and a list of
the passwords people reach for first), not a black box. The desktop app shows the verdict as
the user types; the keyslots refuse what it refuses, whichever entry point (set-up, user
dialog, command line, recovery) the password came from.

IT's recovery private key opens every database it is enrolled in, so its passphrase must be
longer and stronger than any one user's password.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from cse_screen.errors import ValidationFailed

MIN_LENGTH = 10
MIN_BITS = 50.0
#: The recovery private key's passphrase: a long phrase of several unrelated words.
RECOVERY_MIN_LENGTH = 20
RECOVERY_MIN_BITS = 90.0
COMMON = frozenset(
    (
        "password",
        "passw0rd",
        "password1",
        "password123",
        "123456789",
        "1234567890",
        "qwertyuiop",
        "qwerty123",
        "letmein",
        "welcome",
        "welcome1",
        "iloveyou",
        "admin",
        "administrator",
        "sunshine",
        "football",
        "monkey",
        "dragon",
        "princess",
        "baseball",
        "trustno1",
        "changeme",
        "council",
        "socialwork",
        "socialworker",
        "children",
        "safeguarding",
        "summer2024",
        "summer2025",
        "summer2026",
        "winter2025",
        "winter2026",
        "abcdefghij",
    )
)
VERDICTS = ("Too weak", "Weak", "Fair", "Good", "Strong")


class WeakPassword(ValidationFailed):
    """A new password or passphrase is refused by the policy; the message says why."""


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4, for the meter
    problem: str | None  # why it is refused, or None when it is acceptable

    @property
    def verdict(self) -> str:
        return VERDICTS[self.score]


def _pool(password: str) -> int:
    pool = 0
    pool += 26 if re.search(r"[a-z]", password) else 0
    pool += 26 if re.search(r"[A-Z]", password) else 0
    pool += 10 if re.search(r"[0-9]", password) else 0
    pool += 33 if re.search(r"[^A-Za-z0-9]", password) else 0
    return max(pool, 1)


def estimate_bits(password: str) -> float:
    """Length times bits per character, counting long runs of one character only once."""
    squeezed = re.sub(r"(.)\1{2,}", r"\1", password)
    return len(squeezed) * math.log2(_pool(password))


def _names_in(password: str, names: tuple[str, ...]) -> bool:
    lowered = password.lower()
    parts = {p.lower() for n in names for p in re.split(r"[\s._-]+", n or "") if len(p) >= 3}
    return any(part in lowered for part in parts)


def password_strength(
    password: str,
    names: tuple[str, ...] = (),
    *,
    min_length: int = MIN_LENGTH,
    min_bits: float = MIN_BITS,
) -> Strength:
    """How strong ``password`` is, and the reason it is refused (None when acceptable)."""
    if not password:
        return Strength(0, "Type a password.")
    bits = estimate_bits(password)
    score = 0 if bits < 35 else 1 if bits < MIN_BITS else 2 if bits < 65 else 3 if bits < 80 else 4
    core = re.sub(r"[^a-z]", "", password.lower())
    if password.lower() in COMMON or core in COMMON:
        return Strength(0, "This is one of the passwords people try first; choose another.")
    if len(password) < min_length:
        return Strength(
            min(score, 1),
            f"Use at least {min_length} characters; three or four unrelated words work well.",
        )
    if _names_in(password, names):
        return Strength(min(score, 1), "Do not use your name or user name in the password.")
    if bits < min_bits:
        return Strength(
            min(score, 2), "This is too easy to guess: make it longer or mix in other words."
        )
    return Strength(score, None)


def require_strong_password(password: str, names: tuple[str, ...] = (), who: str = "") -> None:
    """Refuse a new user password the policy rejects, saying whose and why."""
    if not isinstance(password, str) or not password:
        raise WeakPassword(f"an empty password is not allowed{_for(who)}")
    problem = password_strength(password, names).problem
    if problem:
        raise WeakPassword(f"the new password{_for(who)} is refused: {_sentence(problem)}")


def require_strong_passphrase(passphrase: str) -> None:
    """Refuse a recovery-key passphrase shorter or weaker than a long phrase."""
    problem = password_strength(
        passphrase or "", min_length=RECOVERY_MIN_LENGTH, min_bits=RECOVERY_MIN_BITS
    ).problem
    if problem:
        raise WeakPassword(
            f"the recovery key passphrase is refused: {_sentence(problem)} It protects a key "
            f"that opens every enrolled database: use at least {RECOVERY_MIN_LENGTH} "
            "characters, five or more unrelated words"
        )


def _for(who: str) -> str:
    return f" for user '{who}'" if who else ""


def _sentence(problem: str) -> str:
    return problem[:1].lower() + problem[1:]
