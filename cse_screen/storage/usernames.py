"""How user names compare: one rule for the database rows and the keyslots that unlock them."""

from __future__ import annotations

import unicodedata


def normalise_user(user: str) -> str:
    """User names compare in NFC form, like passwords, so accents typed differently still match."""
    return unicodedata.normalize("NFC", user)
