"""The one password policy, in the core, shared by every entry point (issue 17, item 6)."""

from __future__ import annotations

import pytest

from cse_screen.core.passwords import (
    RECOVERY_MIN_LENGTH,
    WeakPassword,
    password_strength,
    require_strong_passphrase,
    require_strong_password,
)


@pytest.mark.parametrize("weak", ["a", "z", "password123", "aaaaaaaaaaaaaaaaaaaa", "Xy7!q"])
def test_weak_user_passwords_are_refused_with_the_reason(weak):
    with pytest.raises(WeakPassword, match="for user 'wes' is refused: "):
        require_strong_password(weak, ("wes",), "wes")


def test_a_password_holding_the_users_name_is_refused():
    with pytest.raises(WeakPassword, match="your name or user name"):
        require_strong_password("jsmith-2026-rocks", ("jsmith", "Jo Smith"), "jsmith")


def test_a_strong_password_passes_and_scores_well():
    require_strong_password("Kestrel-lantern-47-orchard", ("wes",), "wes")
    assert password_strength("Kestrel-lantern-47-orchard").score >= 3


def test_the_recovery_passphrase_must_be_a_long_phrase():
    for weak in ("x", "it passphrase", "Kestrel-lantern-47-orchard"[: RECOVERY_MIN_LENGTH - 1]):
        with pytest.raises(WeakPassword, match="recovery key passphrase is refused"):
            require_strong_passphrase(weak)
    require_strong_passphrase("five unrelated words: kestrel lantern orchard 47")
