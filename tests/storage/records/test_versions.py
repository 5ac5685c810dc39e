"""Questionnaire versions as records, on each engine: install, activate, the version a new
screening takes from its date, and old screenings keeping theirs."""

from __future__ import annotations

import datetime as dt

import pytest
from records_fixtures import Council, complete_answers
from sqlalchemy import select

from cse_screen.core import registry
from cse_screen.core.loader import load_text
from cse_screen.core.model import Questionnaire
from cse_screen.errors import NotFound, PermissionDenied, ValidationFailed
from cse_screen.storage.models import AuditRow

START = dt.date.today() - dt.timedelta(days=30)
FIRST = START - dt.timedelta(days=365)


def retiered_text(version: str = "1.0.1") -> str:
    """The default as a new version with B3 moved from moderate to significant."""
    text = (registry.default_folder() / "lac-cse-screen.yaml").read_text(encoding="utf-8")
    text = text.replace('  version: "1.0.0"', f'  version: "{version}"')
    text = text.replace('    - version: "1.0.0"', f'    - version: "{version}"')
    marker = "  - id: B3\n"
    at = text.index(marker)
    tier = text.index("tier: moderate", at)
    return text[:tier] + "tier: significant" + text[tier + len("tier: moderate") :]


def candidate(version: str = "1.0.1") -> tuple[Questionnaire, str]:
    text = retiered_text(version)
    return load_text(text, f"lac-cse-screen-{version}.yaml"), text


def with_candidate(council: Council, active_from: dt.date | None = None) -> Questionnaire:
    """1.0.0 active from FIRST, and the re-tiered 1.0.1 installed (active from ``active_from``)."""
    admin = council.open()
    admin.versions.activate("1.0.0", FIRST)
    new, text = candidate()
    admin.versions.install(new, text, active_from=active_from)
    return new


def test_a_new_database_has_the_shipped_active_version_installed(council: Council, q):
    listed = council.open("wes").versions.list()
    assert [(v.version, v.content_hash) for v in listed] == [("1.0.0", q.content_hash)]
    assert listed[0].active_from is not None and listed[0].installed_by == "upgrade"
    assert listed[0].changes.previous is None


def test_install_keeps_the_hash_is_audited_and_lists_the_differences(council: Council, q):
    new, text = candidate()
    admin = council.open()
    done = admin.versions.install(new, text)
    assert done.new and done.version.active_from is None
    assert done.version.content_hash == new.content_hash
    changes = council.open("lena").versions.list()[-1].changes
    assert changes.previous == "1.0.0"
    assert changes.retiered == (("B3", "moderate", "significant"),)
    assert not changes.items_added and not changes.rules_changed
    with admin.reading() as session:
        entry = session.scalars(
            select(AuditRow).where(AuditRow.action == "install").order_by(AuditRow.seq.desc())
        ).first()
    assert entry is not None and entry.actor == "ada"
    assert council.verify_ok(admin)


def test_the_same_content_twice_is_a_no_op_and_other_content_is_refused(council: Council):
    new, text = candidate()
    admin = council.open()
    admin.versions.install(new, text)
    again = admin.versions.install(new, text)
    assert not again.new and len(admin.versions.list()) == 2
    changed = text.replace("tier: significant", "tier: low", 1)
    with pytest.raises(ValidationFailed, match="already installed with different content"):
        admin.versions.install(load_text(changed, "x.yaml"), changed)
    assert len(admin.versions.list()) == 2


def test_only_an_administrator_installs_or_activates(council: Council):
    new, text = candidate()
    for who in ("wes", "lena"):
        with pytest.raises(PermissionDenied):
            council.open(who).versions.install(new, text)
    council.open().versions.install(new, text)
    with pytest.raises(PermissionDenied):
        council.open("lena").versions.activate("1.0.1", START)
    with pytest.raises(NotFound, match=r"no installed version 9\.9\.9"):
        council.open().versions.activate("9.9.9", START)


def test_new_screenings_use_the_version_active_on_their_date(council: Council, q):
    new = with_candidate(council)
    wes = council.open("wes")
    assert wes.versions.active_on(START + dt.timedelta(days=3)).version == "1.0.0"
    council.open().versions.activate("1.0.1", START)
    assert wes.versions.active_on(START).version == "1.0.1"
    assert wes.versions.active_on().version == "1.0.1"  # today
    assert wes.versions.active_on(START - dt.timedelta(days=1)).version == "1.0.0"
    before_all = FIRST - dt.timedelta(days=400)
    assert wes.versions.active_on(before_all).version == "1.0.0"  # the earliest version
    draft = wes.screenings.start_draft(council.ids["N1"], screen_date=START)
    assert (draft.instrument_version, draft.instrument_hash) == ("1.0.1", new.content_hash)


def test_a_screening_keeps_its_version_after_a_newer_one_is_activated(council: Council, q):
    day = START - dt.timedelta(days=10)
    b3 = complete_answers(q, B3="current")  # low under 1.0.0, significant under 1.0.1
    old = council.screen("wes", "N1", q, b3, day)
    draft = council.open("wes").screenings.start_draft(council.ids["N1"], screen_date=day)
    new = with_candidate(council, active_from=START - dt.timedelta(days=20))
    wes = council.open("wes")
    wes.screenings.save_answers(draft.id, b3)
    wes.screenings.submit(draft.id)
    for sid in (old, draft.id):
        kept = wes.screenings.get(sid)
        assert (kept.instrument_version, kept.computed_outcome) == ("1.0.0", "low")
    later = council.screen("wes", "N1", new, complete_answers(new, B3="current"), START)
    assert wes.screenings.get(later).computed_outcome == "significant"


def test_deactivating_the_only_active_version_is_refused(council: Council):
    with pytest.raises(ValidationFailed, match="only active version"):
        council.open().versions.activate("1.0.0", None)
