"""The laptop never loads the team server: its command line and its start-up import no part of
``cse_screen.server`` nor the server's own dependencies."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import sys, cse_screen.cli as cli; cli.build_parser(); "
    "loaded = [m for m in sys.modules if m.split('.')[0] in ('fastapi', 'uvicorn', 'psycopg') "
    "or m.startswith('cse_screen.server')]; print(loaded)"
)


def test_the_command_line_starts_without_the_server() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
