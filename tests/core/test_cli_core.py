"""Command-line tests of questionnaire validate/show and score: output, errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cse_screen import cli
from cse_screen.core.registry import default_folder

DEFAULT = default_folder() / "lac-cse-screen.yaml"
DATA = Path(__file__).parent / "data"
SAMPLE = {
    "questionnaire": "lac-cse-screen",
    "context": {"dob": "2013-04-02", "screen_date": "2026-11-01", "disability": "none"},
    "answers": {"A1": "previous", "A2": "current", "B3": "current", "D1": "current", "L11": "no"},
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def one_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("cse-screen: error: ")
    assert "Traceback" not in err
    return lines[0].removeprefix("cse-screen: error: ")


def answers_file(tmp_path: Path, data: object = SAMPLE) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data))
    return str(path)


def test_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "questionnaire", "validate", str(DEFAULT), str(DATA / "seraf-points.yaml")
    )
    assert code == 0 and err == ""
    assert out.splitlines()[0].startswith(f"{DEFAULT}: ok (lac-cse-screen 1.0.0")
    assert len(out.splitlines()) == 2


def test_validate_broken_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, default_text: str
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        default_text.replace("        tier: significant\n", "        tier: sever\n", 1)
    )
    code, out, err = run(capsys, "questionnaire", "validate", str(DEFAULT), str(broken))
    assert code == 1
    assert "ok" in out
    message = one_error(err)
    assert message.startswith(f"{broken}:")
    assert "item A1: unknown tier 'sever'" in message


@pytest.mark.parametrize("target", ["missing.yaml", "."])
def test_validate_missing_or_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str
) -> None:
    path = tmp_path / target
    code, _, err = run(capsys, "questionnaire", "validate", str(path))
    assert code == 1
    assert one_error(err).startswith(f"{path}:1: ")


def test_validate_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "questionnaire", "validate")
    assert code == 2
    one_error(err)


def test_show_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "questionnaire", "show")
    assert code == 0
    assert "lac-cse-screen 1.0.0" in out
    assert "Section missing: A. Missing and whereabouts" in out
    assert "A1   [significant] Missing overnight" in out
    assert "answers: none | current | previous | both | unknown" in out
    assert "R2 -> moderate: count(tier=moderate, answer in [current, both]) >= 3" in out
    assert "O3 at least moderate" in out
    assert "significant: Significant risk (#C62828); review after 28 days" in out
    for item_id in ("M3", "L15", "K3"):
        assert f"  {item_id} " in out


def test_show_with_id_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "questionnaire", "show", "--id", "lac-cse-screen", "--version", "1.0.0"
    )
    assert code == 0 and "lac-cse-screen 1.0.0" in out
    code, _, err = run(capsys, "questionnaire", "show", "--version", "7.0.0")
    assert code == 1 and "has no version 7.0.0" in one_error(err)
    code, _, err = run(capsys, "questionnaire", "show", "--id", "nope")
    assert code == 1 and "no questionnaire 'nope'" in one_error(err)


def test_score_sample_is_moderate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "score", "--answers", answers_file(tmp_path))
    assert code == 0 and err == ""
    result = json.loads(out)
    assert result["outcome"] == "moderate"
    assert result["rules"] == ["R2"]
    assert result["counts"]["moderate"] == 3 and result["counts"]["significant"] == 1
    assert result["unknown"] == []
    assert "A3" in result["unanswered"] and "A2" not in result["unanswered"]


def test_score_with_definition_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = {"questionnaire": "seraf-test", "answers": {"S1": "both", "S2": "current"}}
    code, out, _ = run(
        capsys,
        "score",
        "--answers",
        answers_file(tmp_path, data),
        "--questionnaire",
        str(DATA / "seraf-points.yaml"),
    )
    assert code == 0
    result = json.loads(out)
    assert (result["outcome"], result["points"], result["rules"]) == ("moderate", 11, ["C3"])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"answers": {"A1": "sometimes"}},
            "key 'answers.A1': 'sometimes' is not an allowed answer",
        ),
        ({"answers": {"Q1": "current"}}, "key 'answers.Q1': lac-cse-screen 1.0.0 has no such item"),
        ({"answers": {}, "context": {"dob": "2013/04/02"}}, "key 'context.dob' is not a date"),
        ({"answers": {}, "questionnaire": "other"}, "There is no questionnaire 'other'"),
        ({"answers": {}, "version": "0.9.0"}, "has no version 0.9.0"),
        ("{not json", "not valid JSON"),
    ],
)
def test_score_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data: object, message: str
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    code, out, err = run(capsys, "score", "--answers", str(path))
    assert code == 1 and out == ""
    assert message in one_error(err)
    assert "2013/04/02" not in err


def test_score_definition_mismatch_and_broken(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    answers = answers_file(tmp_path)
    code, _, err = run(
        capsys, "score", "--answers", answers, "--questionnaire", str(DATA / "seraf-points.yaml")
    )
    assert code == 1 and "the answers are for lac-cse-screen" in one_error(err)
    broken = tmp_path / "b.yaml"
    broken.write_text("schema: [\n")
    code, _, err = run(capsys, "score", "--answers", answers, "--questionnaire", str(broken))
    assert code == 1 and one_error(err).startswith(f"{broken}:")


def test_score_usage_and_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "score")
    assert code == 2 and "--answers" in one_error(err)
    code, _, err = run(capsys, "score", "--answers", str(tmp_path / "none.json"))
    assert code == 1 and "no such file" in one_error(err)


def test_entry_point_end_to_end(tmp_path: Path) -> None:
    """The installed console script, as a user runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "cse_screen", "score", "--answers", answers_file(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["outcome"] == "moderate"
