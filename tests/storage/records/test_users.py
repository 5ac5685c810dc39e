"""Users: enrolment writes a row and a keyslot together; roles, teams, deactivation, names."""

from __future__ import annotations

import datetime as dt

import pytest
from records_fixtures import ADMIN, PASSWORD, Council, complete_answers

from cse_screen.errors import PermissionDenied, ValidationFailed, WrongPassword
from cse_screen.vault.keyslots import KeyslotFile, keyslot_path
from cse_screen.vault.store import Store


def test_enrolment_writes_the_user_and_their_keyslot(file_council: Council):
    """On the local file enrolment writes a keyslot that the password then opens."""
    council = file_council
    council.open().users.add("nina", "her password", "worker", team="North")
    assert "nina" in KeyslotFile.load(keyslot_path(council.path)).users()
    with Store.open(council.path, "nina", "her password") as nina:
        assert nina.user.team == "North"


def test_enrolment_writes_the_user_and_checks_names_and_roles(council: Council):
    admin = council.open()
    added = admin.users.add("nina", PASSWORD, "worker", team="North", full_name="Nina N")
    assert (added.role, added.team, added.active) == ("worker", "North", True)
    assert council.open("nina").user.full_name == "Nina N"
    with pytest.raises(ValidationFailed, match="already exists"):
        admin.users.add("nina", "x", "worker", team="North")
    with pytest.raises(ValidationFailed, match="no spaces"):
        admin.users.add("two words", "x", "worker", team="North")
    with pytest.raises(ValidationFailed, match="unknown role"):
        admin.users.add("olly", "x", "boss")


def test_deactivated_users_cannot_sign_in_but_their_work_stays(council: Council, q):
    sid = council.screen("wynn", "N3", q, complete_answers(q))
    admin = council.open()
    with pytest.raises(ValidationFailed, match="cannot deactivate the account you are signed in"):
        admin.users.deactivate(ADMIN)
    admin.users.deactivate("wynn")
    with pytest.raises((WrongPassword, PermissionDenied)):  # no keyslot left, or refused
        council.open("wynn")
    assert admin.screenings.get(sid).created_by == "wynn"
    assert not admin.users.get("wynn").active


def test_role_and_team_changes_take_effect_at_next_sign_in(council: Council):
    admin = council.open()
    admin.users.update("wes", role="lead", team="South")
    change = next(e for e in admin.audit.entries(limit=3) if e.action == "change")
    assert change.detail == {"role": ["worker", "lead"], "team": ["North", "South"]}
    wes = council.open("wes")
    assert sorted(r.case_ref for r in wes.children.register().rows) == ["S1"]


def test_own_password_change_rewraps_the_keyslot(file_council: Council):
    """On the local file the new password opens the file, the old one no longer does."""
    council = file_council
    council.open("sue").users.set_password("sue", "new secret")
    with pytest.raises(WrongPassword):
        Store.open(council.path, "sue", PASSWORD)
    Store.open(council.path, "sue", "new secret").close()


def test_own_password_change_and_list_scoping(council: Council):
    sue = council.open("sue")
    sue.users.set_password("sue", "new secret")
    with pytest.raises(PermissionDenied):
        sue.users.set_password("wes", "hijack")
    assert [u.name for u in sue.users.list()] == ["sue"]
    assert sorted(u.name for u in council.open("lena").users.list()) == ["lena", "wes", "wynn"]


def test_screening_dates_triggers_and_context_are_checked(council: Council, q):
    wes = council.open("wes")
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed, match="cannot be dated in the future"):
        wes.screenings.start_draft(council.ids["N1"], q, screen_date=tomorrow)
    with pytest.raises(ValidationFailed, match="unknown trigger"):
        wes.screenings.start_draft(council.ids["N1"], q, trigger="whim")
    draft = wes.screenings.start_draft(council.ids["N1"], q, trigger="missing_episode")
    day = dt.date.today() - dt.timedelta(days=3)
    wes.screenings.save_context(draft.id, {"sources": ["carer"]}, screen_date=day)
    saved = wes.screenings.get(draft.id)
    assert (saved.screen_date, saved.trigger, saved.context) == (
        day,
        "missing_episode",
        {"sources": ["carer"]},
    )
