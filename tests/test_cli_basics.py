"""The command line's own conventions: one-line errors, exit codes, no tracebacks."""

from __future__ import annotations

import pytest

from cse_screen import cli
from cse_screen.reports import describe


def test_unknown_command_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["no-such-command"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("cse-screen: error: ")
    assert len(err.strip().splitlines()) == 1


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0
    assert "cse-screen" in capsys.readouterr().out


def test_crash_report_leaves_out_the_message() -> None:
    try:
        raise ValueError("Amelia Ashdown 2016-09-28")
    except ValueError as exc:
        text = describe(exc)
    assert "ValueError" in text
    assert "Amelia" not in text and "2016" not in text
