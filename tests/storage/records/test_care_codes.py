"""Care details are stored as codes of one code list and shown as their labels.

Placement type, legal status, gender and ethnicity take the SSDA903 codes where the return has
one. A code or its exact label is accepted on entry; an older free-text spelling the migration
knows maps to its code; anything else is refused without repeating the value. The migration
``0013_care_codes`` maps existing values and keeps the rest, which ``verify`` lists.
"""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from records_fixtures import ADMIN, PASSWORD, Council
from sqlalchemy import create_engine, text

from cse_screen.core import codes
from cse_screen.errors import ChildDetailsInvalid
from cse_screen.storage.records import ChildInput
from cse_screen.storage.revisions import alembic_config
from cse_screen.storage.services.care_codes import uncoded_fields
from cse_screen.vault import migrate
from cse_screen.vault.store import Store

DOB = dt.date(2012, 3, 4)


def test_labels_and_codes_of_every_list():
    assert codes.label("placement_type", "U6") == "Foster placement with other foster carer"
    assert codes.label("legal_status", "C2") == "Full care order"
    assert codes.label("ethnicity", "WBRI") == "White British"
    assert codes.label("gender", "U") == "Not known or not stated"
    assert codes.label("episode_end_reason", "E11").startswith("Adopted")
    assert codes.label("placement_type", "kept as typed") == "kept as typed"
    assert codes.label("placement_type", None) == ""
    assert codes.code_for("placement_type", "k2") == "K2"
    assert codes.code_for("placement_type", "children's home") == "K2"  # exact label, any case
    assert codes.code_for("placement_type", "Foster care") == "U6"  # an older spelling
    assert codes.code_for("legal_status", "EPO or police protection") is None  # L1 or L2?
    for kind in codes.LISTS:
        listed = [c.code for c in codes.codes(kind)]
        assert len(listed) == len(set(listed)), kind
        labels = [c.label.casefold() for c in codes.codes(kind)]
        assert len(labels) == len(set(labels)), kind


def test_a_code_or_a_label_is_stored_as_the_code(council: Council):
    store = council.open()
    added = store.children.add(
        ChildInput(
            "C1",
            "Ann Other",
            DOB,
            gender="female",
            ethnicity="Black African",
            placement_type="u4",
            legal_status="Interim care order",
        )
    )
    assert (added.gender, added.ethnicity, added.placement_type, added.legal_status) == (
        "F",
        "BAFR",
        "U4",
        "C1",
    )


def test_a_value_that_is_no_code_is_refused_without_repeating_it(council: Council):
    store = council.open()
    with pytest.raises(ChildDetailsInvalid) as refused:
        store.children.add(ChildInput("C2", "Ann Other", DOB, placement_type="Tent by the canal"))
    message = str(refused.value)
    assert "child C2 has a placement type that is not one of the listed codes" in message
    assert "canal" not in message
    assert refused.value.problems[0][0] == "placement_type"


def _downgraded_with_free_text(tmp_path):
    db = tmp_path / "old.db"
    with Store.create(db, ADMIN, PASSWORD) as store:
        for ref, team in (("A1", "North"), ("A2", "South"), ("A3", "North"), ("A4", None)):
            store.children.add(ChildInput(ref, "Some Child", DOB, team=team))
        with store.engine.connect() as connection:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
            with connection.begin():
                command.downgrade(alembic_config(connection), "0010_sync")  # just before 0013
        with store.engine.begin() as connection:
            for ref, placement, legal, gender in (
                ("A1", "semi independent", "S20", "Female"),
                ("A2", "Foster care", "EPO or police protection", "male"),
                ("A3", "residential", "EPO or police protection", "Non-binary"),
                ("A4", "a caravan", "s31_care_order", "not_stated"),
            ):
                connection.execute(
                    text(
                        "UPDATE children SET placement_type = :p, legal_status = :l, "
                        "gender = :g WHERE case_ref = :r"
                    ),
                    {"p": placement, "l": legal, "g": gender, "r": ref},
                )
    return db


def test_the_migration_maps_free_text_and_verify_lists_the_rest(tmp_path):
    db = _downgraded_with_free_text(tmp_path)
    with Store.open(db, ADMIN, PASSWORD) as store:
        assert migrate.current_revision(store.engine) == migrate.head_revision()
        held = {
            c.case_ref: (c.placement_type, c.legal_status, c.gender)
            for c in (store.children.by_ref(r) for r in ("A1", "A2", "A3", "A4"))
        }
        assert held == {
            "A1": ("K3", "V2", "F"),
            "A2": ("U6", "EPO or police protection", "M"),
            "A3": ("K2", "EPO or police protection", "N"),
            "A4": ("a caravan", "C2", "U"),
        }
        report = store.verify()
        assert report.ok
        lines = [u.sentence() for u in report.uncoded]
        assert lines == [
            "placement type: 1 child(ren) hold values that are not codes: 'a caravan'",
            "legal status: 2 child(ren) hold values that are not codes: 'EPO or police protection'",
        ]
        assert not any("Some Child" in line or "A2" in line for line in lines)
        # a value kept from before the lists does not block changing something else
        kept = store.children.update(store.children.by_ref("A4").id, worker=ADMIN)
        assert kept.placement_type == "a caravan"


def test_verify_on_the_command_line_lists_uncoded_values(tmp_path, monkeypatch, capsys):
    from cse_screen.cli import main

    db = _downgraded_with_free_text(tmp_path)
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
    assert main(["verify", "--db", str(db), "--user", ADMIN]) == 0
    out = capsys.readouterr().out
    assert "note: placement type: 1 child(ren) hold values that are not codes: 'a caravan'" in out


def test_the_migration_maps_every_team_on_postgresql(pg_url):
    engine = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0004_audit_sequence")
            connection.execute(text("ALTER TABLE children NO FORCE ROW LEVEL SECURITY"))
            for ref, team, placement in (("P1", "North", "foster"), ("P2", "South", "secure")):
                connection.execute(
                    text(
                        "INSERT INTO children (public_id, case_ref, name, name_key, dob, team, "
                        "placement_type, created_at, updated_at) VALUES (gen_random_uuid(), "
                        ":r, 'X', :k, '2012-01-01', :t, :p, now(), now())"
                    ),
                    {"r": ref, "k": f"x\x1f{ref}", "t": team, "p": placement},
                )
            connection.execute(text("ALTER TABLE children FORCE ROW LEVEL SECURITY"))
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        with engine.connect() as connection:
            forced = connection.execute(
                text("SELECT relforcerowsecurity FROM pg_class WHERE relname = 'children'")
            ).scalar()
            connection.execute(text("ALTER TABLE children NO FORCE ROW LEVEL SECURITY"))
            rows = connection.execute(text("SELECT case_ref, placement_type FROM children"))
            held = {ref: placement for ref, placement in rows}
            connection.rollback()
        assert held == {"P1": "U6", "P2": "K1"}
        assert forced is True  # the team boundary is back once the mapping is done
    finally:
        engine.dispose()


def test_uncoded_fields_are_scoped_to_what_the_user_sees(council: Council):
    admin = council.open()
    with admin.context.transaction() as session:
        session.execute(
            text("UPDATE children SET placement_type = 'shed' WHERE case_ref IN ('N1', 'S1')")
        )
    lena = council.open("lena")  # North's lead: N1, not S1
    found = uncoded_fields(lena.context)
    assert [(u.field, u.children, u.values) for u in found] == [("placement_type", 1, ("shed",))]
