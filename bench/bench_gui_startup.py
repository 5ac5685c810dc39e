"""Start-up: process start to the unlocked children register over 5,000 children, against a bare
PySide6 window appearing, both measured in fresh processes in this run (offscreen).

The app's figure includes the Argon2id password check, which is deliberately slow; its cost is
measured on its own and printed apart, with the figure that remains once it is taken off.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILDREN = 5000
RUNS = 3
PASSWORD = "Bench-startup-password-5000"
READY = "READY"

BARE_WINDOW = f"""
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1200, 760)
window.show()
app.processEvents()
print({READY!r}, flush=True)
"""

APP_TO_REGISTER = f"""
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication, QTableView
from cse_screen.gui.app import Shell, make_app, make_context

app = make_app()
shell = Shell(app, make_context(Path(sys.argv[1])))
unlock = shell.start()
if sys.argv[2] == "typed":  # the user takes a couple of seconds to type the password
    until = time.monotonic() + 2.0
    while time.monotonic() < until:
        app.processEvents()
        time.sleep(0.01)
unlock.form.userEdit.setText("demo")
unlock.form.passwordEdit.setText({PASSWORD!r})
entered = time.perf_counter()
unlock.submit()

def rows():
    if shell.main is None:
        return 0
    table = shell.main.root("register").findChild(QTableView)
    return table.model().rowCount() if table is not None and table.model() else 0

deadline = time.monotonic() + 30
while rows() == 0 and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.002)
app.processEvents()
print({READY!r}, rows(), time.perf_counter() - entered, flush=True)
shell.shutdown()
"""


def _time_to_ready(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds from spawning the process to READY, and the child's own figure after READY."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(READY):
            elapsed = time.perf_counter() - started
            fields = line.split()[1:]
            if fields and fields[0] == "0":
                raise RuntimeError("the register showed no children")
            proc.wait(60)
            return elapsed, float(fields[1]) if len(fields) > 1 else 0.0
    proc.wait(60)
    raise RuntimeError(f"{args[:2]} exited with {proc.returncode} before it was ready")


def _median(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    runs = [_time_to_ready(args, env) for _ in range(RUNS)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def _make_database(folder: Path, env: dict[str, str]) -> Path:
    db = folder / "bench.db"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cse_screen",
            "demo",
            "--db",
            str(db),
            "--children",
            str(CHILDREN),
            "--seed",
            "5",
        ],
        env={**env, "CSE_SCREEN_PASSWORD": PASSWORD},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return db


def _kdf_seconds(db: Path) -> float:
    from cse_screen.vault.keyslots import KeyslotFile, keyslot_path

    slots = KeyslotFile.load(keyslot_path(db))
    started = time.perf_counter()
    slots.unlock("demo", PASSWORD)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="cse-bench-gui-") as tmp:
        folder = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("CSE_SCREEN_")}
        env["QT_QPA_PLATFORM"] = "offscreen"
        for var in ("DATA", "CONFIG", "LOG"):
            env[f"CSE_SCREEN_{var}_DIR"] = str(folder / var.lower())
        db = _make_database(folder, env)
        # Open on the whole team's register, as a team lead would (the demo user has no caseload).
        config = folder / "config"
        config.mkdir(parents=True, exist_ok=True)
        (config / "settings.json").write_text('{"register_filter": "team"}', encoding="utf-8")
        bare, _ = _median([sys.executable, "-c", BARE_WINDOW], env)
        app, _ = _median([sys.executable, "-c", APP_TO_REGISTER, str(db), "at-once"], env)
        _, enter = _median([sys.executable, "-c", APP_TO_REGISTER, str(db), "typed"], env)
        kdf = _kdf_seconds(db)
    print(f"gui_bare_window: {bare * 1000:.0f} ms (baseline, median of {RUNS})")
    print(
        f"gui_unlock_to_register_{CHILDREN}: {app * 1000:.0f} ms ({app / bare:.1f}x vs bare window)"
    )
    print(f"gui_kdf_password_check: {kdf * 1000:.0f} ms (part of the figure above)")
    rest = app - kdf
    print(f"gui_startup_without_kdf: {rest * 1000:.0f} ms ({rest / bare:.1f}x vs bare window)")
    print(
        f"gui_enter_to_register_{CHILDREN}: {enter * 1000:.0f} ms after Enter, password typed "
        f"while imports warm up ({enter / bare:.1f}x vs bare window; KDF included)"
    )


if __name__ == "__main__":
    main()
