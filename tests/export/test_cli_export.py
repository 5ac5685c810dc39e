"""The contract command line: cse-screen export."""

from __future__ import annotations

import pytest

from cse_screen.cli import main
from cse_screen.export.encrypt import OLE_MAGIC
from tests.export.conftest import PASSWORD
from tests.export.helpers import labelled, load, table


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("CSE_SCREEN_PASSWORD", PASSWORD)


def _export(export_db, out, *extra, user="admin"):
    return main(["export", "--db", str(export_db), "--user", user, "--out", str(out), *extra])


def test_export_writes_the_workbook(export_db, tmp_path, env, capsys):
    out = tmp_path / "team.xlsx"
    code = _export(export_db, out, "--team", "North", "--from", "2020-01-01")
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "team.xlsx" in captured.out and "children" in captured.out
    children = table(load(out)["Children"])
    assert children and {c["Team"] for c in children} == {"North"}
    assert captured.err == ""  # no progress bar when stderr is not a terminal


def test_pseudonymised_and_encrypted(export_db, tmp_path, env, monkeypatch, capsys):
    monkeypatch.setenv("CSE_SCREEN_EXPORT_PASSWORD", "Orchid-lamp-58-river")
    out = tmp_path / "board.xlsx"
    assert _export(export_db, out, "--pseudonymise", "--encrypt") == 0
    assert "pseudonymised, encrypted" in capsys.readouterr().out
    assert out.read_bytes()[:8] == OLE_MAGIC


def test_export_password_file(export_db, tmp_path, env):
    secret = tmp_path / "pw.txt"
    secret.write_text("Orchid-lamp-58-river\n")
    out = tmp_path / "e.xlsx"
    assert _export(export_db, out, "--encrypt", "--export-password-file", str(secret)) == 0
    assert out.read_bytes()[:8] == OLE_MAGIC


@pytest.mark.parametrize(
    ("args", "user", "code", "words"),
    [
        (["--from", "2026-13-01"], "admin", 2, "YYYY-MM-DD"),
        (["--from", "2026-06-01", "--to", "2026-01-01"], "admin", 2, "after its end date"),
        ([], "worker1", 1, "may not export"),
    ],
)
def test_errors_are_one_line(export_db, tmp_path, env, capsys, args, user, code, words):
    out = tmp_path / "x.xlsx"
    assert _export(export_db, out, *args, user=user) == code
    err = capsys.readouterr().err
    assert err.startswith("cse-screen: error: ") and words in err and err.count("\n") == 1
    assert not out.exists()


def test_unwritable_destination(export_db, tmp_path, env, capsys):
    out = tmp_path / "nowhere" / "x.xlsx"
    assert _export(export_db, out) == 1
    err = capsys.readouterr().err
    assert err.startswith("cse-screen: error: cannot write the export") and err.count("\n") == 1


def test_about_records_the_filters(export_db, tmp_path, env):
    out = tmp_path / "w.xlsx"
    assert _export(export_db, out, "--worker", "worker1", "--to", "2026-11-01") == 0
    about = labelled(load(out)["About"])
    assert about["Worker"][0] == "worker1"
    assert about["Screenings dated to"][0].date().isoformat() == "2026-11-01"


def test_progress_bar_draws_on_a_terminal_only():
    import io

    from cse_screen.commands.export import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    term = Terminal()
    bar = ProgressBar(term)
    for done in range(0, 101, 10):
        bar(done, 100)
    bar.finish()
    text = term.getvalue()
    assert "\rExporting [" in text and text.endswith("100%\n")
    pipe = io.StringIO()
    quiet = ProgressBar(pipe)
    quiet(50, 100)
    quiet.finish()
    assert pipe.getvalue() == ""
