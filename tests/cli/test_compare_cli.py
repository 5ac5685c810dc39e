"""``questionnaire compare``: a candidate re-scored on the stored history, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import run

from cse_screen.cli import main
from cse_screen.core import registry
from cse_screen.core.loader import load_questionnaire
from cse_screen.storage.services.compare import compare_candidate
from cse_screen.vault.store import Store

PASSWORD = "compare tools passphrase 7"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("compare") / "cse.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CSE_SCREEN_KDF", "test")
        mp.setenv("CSE_SCREEN_PASSWORD", PASSWORD)
        assert main(["demo", "--db", str(path), "--children", "30", "--seed", "7"]) == 0
    return path


def retiered(tmp_path: Path) -> Path:
    """The default with R2 needing two current moderate items, and R3 giving moderate."""
    text = (registry.default_folder() / "lac-cse-screen.yaml").read_text(encoding="utf-8")
    text = text.replace(
        '  version: "1.0.0"\n  status: active', '  version: "1.0.1"\n  status: draft'
    )
    text = text.replace('    - version: "1.0.0"', '    - version: "1.0.1"')
    text = text.replace(
        'when: "count(tier=moderate, answer in [current, both]) >= 3"',
        'when: "count(tier=moderate, answer in [current, both]) >= 2"',
    )
    text = text.replace(
        '      outcome: low\n      description: "A significant-tier indicator was present',
        '      outcome: moderate\n      description: "A significant-tier indicator was present',
    )
    path = tmp_path / "candidate.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_installed_version_against_itself_changes_nothing(db, capsys):
    installed = str(registry.default_folder() / "lac-cse-screen.yaml")
    code, out, err = run(
        capsys, "questionnaire", "compare", "--db", str(db), "--user", "demo",
        "--candidate", installed, "--json",
    )  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    assert report["screenings"] > 0
    assert (report["up"], report["down"], report["not_comparable"]) == (0, 0, 0)
    assert report["same"] == report["screenings"]
    assert sum(n for row in report["table"].values() for n in row.values()) == report["same"]


def test_a_retiered_candidate_agrees_with_score_screening_by_screening(db, tmp_path, capsys):
    candidate = retiered(tmp_path)
    seen: dict[int, str] = {}
    with Store.open(db, "demo", PASSWORD) as store:
        tally = compare_candidate(
            store.context, load_questionnaire(candidate), lambda sid, r: seen.__setitem__(sid, r)
        )
        with store.reading() as session:
            rows = session.execute(
                __import__("sqlalchemy").text(
                    "SELECT s.id, s.context, s.screen_date, c.dob, c.disability FROM screenings s "
                    "JOIN children c ON c.id = s.child_id "
                    "WHERE s.status IN ('submitted', 'signed_off')"
                )
            ).all()
            answers = {
                sid: dict(
                    session.execute(
                        __import__("sqlalchemy").text(
                            "SELECT item_id, value FROM answers WHERE screening_id = :s"
                        ),
                        {"s": sid},
                    ).all()
                )
                for sid, *_ in rows
            }
    assert len(seen) == len(rows) == tally.screenings
    assert tally.up and not tally.down  # what R3 found is now moderate
    for sid, context, screen_date, dob, disability in rows:
        ctx = json.loads(context) if isinstance(context, str) else dict(context or {})
        ctx["screen_date"], ctx["dob"] = str(screen_date), str(dob)
        if disability and "disability" not in ctx:
            ctx["disability"] = disability.strip().lower()
        path = tmp_path / f"{sid}.json"
        data = {"questionnaire": "lac-cse-screen", "context": ctx, "answers": answers[sid]}
        path.write_text(json.dumps(data), encoding="utf-8")
        code, out, err = run(
            capsys, "score", "--answers", str(path), "--questionnaire", str(candidate)
        )
        assert code == 0, err
        assert json.loads(out)["outcome"] == seen[sid].outcome, sid


def test_a_candidate_needing_an_item_never_asked_names_the_screenings(db, tmp_path, capsys):
    path = tmp_path / "v11.yaml"
    path.write_text(
        (registry.default_folder() / "lac-cse-screen-1.1.yaml").read_text(encoding="utf-8")
    )
    code, out, _ = run(
        capsys, "questionnaire", "compare", "--db", str(db), "--user", "demo",
        "--candidate", str(path), "--json",
    )  # fmt: skip
    report = json.loads(out)
    assert code == 0 and report["not_comparable"] == report["screenings"]
    assert len(report["not_comparable_ids"]) == report["screenings"]
    assert report["missing_items"]["N1"] == report["screenings"]


def test_a_social_worker_may_not_compare(db, capsys):
    with Store.open(db, "demo", PASSWORD) as store:
        store.users.add("sw", PASSWORD, "worker")
    installed = str(registry.default_folder() / "lac-cse-screen.yaml")
    code, _, err = run(
        capsys, "questionnaire", "compare", "--db", str(db), "--user", "sw",
        "--candidate", installed,
    )  # fmt: skip
    assert code == 1 and "may not compare a candidate questionnaire" in err
