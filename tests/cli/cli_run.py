"""Run the command line in-process, as a user's script would, and capture what it printed."""

from __future__ import annotations

import pytest

from cse_screen.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The exit code, standard output and standard error of ``cse-screen ARGV``."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse usage errors
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
