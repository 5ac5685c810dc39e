"""What the app loads before the register is on screen: nothing the first screen does not use.

Every module imported before the first paint is time a worker waits with a child in the room.
The export (openpyxl and its encryption), the documents, the team server, the sync client, the
demo data and the schema upgrader are only needed when someone asks for them, so each loads on
its first use. The
probe runs the real app, in a fresh process, from process start to an unlocked register.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Start-up-probe-password-7"

#: Modules (and packages, by prefix) that must not be loaded when the register first shows.
NOT_AT_START_UP = (
    "openpyxl",
    "msoffcrypto",
    "cse_screen.export",
    "cse_screen.documents",
    "fpdf",
    "reportlab",
    "pyzipper",
    "cse_screen.server",
    "fastapi",
    "uvicorn",
    "psycopg",
    "httpx",
    "cse_screen.sync",
    "cse_screen.demo",
    "alembic",  # an up-to-date database is known by its stamp alone
)

PROBE = """
import json, sys, time
from pathlib import Path
from PySide6.QtWidgets import QTableView
from cse_screen.gui.app import Shell, make_app, make_context

app = make_app()
shell = Shell(app, make_context(Path(sys.argv[1])))
unlock = shell.start()
unlock.form.userEdit.setText("ada")
unlock.form.passwordEdit.setText(sys.argv[2])
unlock.submit()

def rows():
    if shell.main is None:
        return 0
    table = shell.main.root("register").findChild(QTableView)
    return table.model().rowCount() if table is not None and table.model() else 0

deadline = time.monotonic() + 120
while rows() == 0 and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.005)
app.processEvents()
print(json.dumps({"rows": rows(), "modules": sorted(sys.modules)}))
shell.shutdown()
"""


def _database(folder: Path, env: dict[str, str]) -> Path:
    db = folder / "probe.db"
    setup = (
        "import sys; from cse_screen.vault.store import Store; "
        "from cse_screen.storage.records import ChildInput; import datetime as dt; "
        "s = Store.create(sys.argv[1], 'ada', sys.argv[2]); "
        "s.children.add(ChildInput('R1', 'Probe Child', dt.date(2012, 1, 1))); s.close()"
    )
    subprocess.run([sys.executable, "-c", setup, str(db), PASSWORD], env=env, check=True)
    return db


def test_the_register_shows_before_anything_it_does_not_use_is_loaded(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CSE_SCREEN_")}
    env.update(PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", CSE_SCREEN_KDF="test")
    for var in ("DATA", "CONFIG", "LOG"):
        env[f"CSE_SCREEN_{var}_DIR"] = str(tmp_path / var.lower())
    db = _database(tmp_path, env)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(db), PASSWORD],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["rows"] == 1  # the register really showed the child
    early = [
        m
        for m in seen["modules"]
        if any(m == name or m.startswith(f"{name}.") for name in NOT_AT_START_UP)
    ]
    assert early == []
