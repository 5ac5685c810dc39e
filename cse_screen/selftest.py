"""The installation check behind ``cse-screen selftest``.

IT runs it after deploying (and CI runs it on every bundle) to learn, without a display and
without touching anyone's records, whether this installation can do the real work: encrypt with
SQLCipher 4, create and unlock a database, score a screening through the services, write an
Excel export that opens, and show the main window. Each step uses the same code paths the app
and the command line use; nothing is simulated.

Everything happens in a private temporary folder (the database, settings, logs and the export),
with the user folders pointed there for the duration, so the check leaves no trace and cannot
disturb a real installation; the folder is removed at the end and its removal is checked. The
temporary database uses the cheap key-derivation setting, which is fine for a throwaway file and
keeps the check to a few seconds.

Qt is only reached through :mod:`cse_screen.gui`, imported when the window step runs.
"""

from __future__ import annotations

import contextlib
import os
import platform
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TextIO

from cse_screen import __version__
from cse_screen.diagnose import library_sentence, missing_library, plugin_sentence
from cse_screen.errors import UserError
from cse_screen.paths import log_dir
from cse_screen.reports import write_crash_report

SELFTEST_USER = "selftest"
CASE_REF = "SELFTEST-0001"
CHILD_NAME = "Selftest Placeholder"  # synthetic; used to prove it never reaches the title bar
EXPECTED_OUTCOME = "moderate"  # rule R2: three moderate-tier indicators current
TIMEOUT_SECONDS = 180
WINDOW_SECONDS = 60

# Environment the check points at its temporary folder (restored afterwards).
_DIR_VARIABLES = {
    "CSE_SCREEN_DATA_DIR": "data",
    "CSE_SCREEN_CONFIG_DIR": "config",
    "CSE_SCREEN_LOG_DIR": "logs",
}


class SelftestFailed(UserError):
    """One step of the installation check failed; the message names the step and the cause."""


@dataclass
class Workspace:
    """What the steps share: the private folder, the temporary database and its records."""

    root: Path
    password: str = field(default_factory=lambda: secrets.token_urlsafe(24), repr=False)
    store: Any = None
    child_id: int | None = None

    @property
    def db(self) -> Path:
        return self.root / "data" / "selftest.db"

    def close_store(self) -> None:
        store, self.store = self.store, None
        if store is not None:
            store.close()


# --- the steps --------------------------------------------------------------------------------


def check_driver(ws: Workspace) -> str:
    """Fail closed unless the driver in this installation encrypts with SQLCipher 4."""
    from cse_screen.vault.engine import require_sqlcipher

    version = require_sqlcipher()
    return f"SQLCipher {version} is the database driver"


def create_database(ws: Workspace) -> str:
    """Create, close and reopen an encrypted database; a wrong password must be refused."""
    from cse_screen.errors import WrongPassword
    from cse_screen.vault.engine import PLAINTEXT_HEADER
    from cse_screen.vault.store import Store

    Store.create(ws.db, SELFTEST_USER, ws.password, full_name="Self-test").close()
    if ws.db.read_bytes()[: len(PLAINTEXT_HEADER)] == PLAINTEXT_HEADER:
        raise SelftestFailed("the temporary database was written without encryption")
    try:
        Store.open(ws.db, SELFTEST_USER, ws.password + "-wrong").close()
    except WrongPassword:
        pass
    else:
        raise SelftestFailed("the temporary database opened with a wrong password")
    ws.store = Store.open(ws.db, SELFTEST_USER, ws.password)
    with ws.store.engine.connect() as connection:
        version = str(connection.exec_driver_sql("PRAGMA cipher_version").scalar() or "")
    if not version.startswith("4."):
        raise SelftestFailed("the reopened database is not encrypted by SQLCipher 4")
    return "created, locked and unlocked an encrypted database (a wrong password was refused)"


def scripted_answers(q: Any) -> tuple[dict[str, str], list[str]]:
    """Every item answered absent, except three moderate-tier indicators answered current."""
    answers: dict[str, str] = {}
    for item in q.items:
        absent = next((v for v in ("none", "no") if v in item.values), None)
        if absent is None:
            raise SelftestFailed(f"item {item.id} of {q.id} has no 'none' or 'no' answer")
        answers[item.id] = absent
    moderate = [item.id for item in q.risk_items if item.tier == "moderate"][:3]
    if len(moderate) < 3:
        raise SelftestFailed(f"{q.id} has fewer than three moderate-tier indicators")
    return answers, moderate


def run_screening(ws: Workspace) -> str:
    """Add a child, screen them through the services and check the outcome the rules predict."""
    from cse_screen.core import registry
    from cse_screen.storage.records import ChildInput

    store, today = ws.store, date.today()
    child = store.children.add(
        ChildInput(
            case_ref=CASE_REF,
            name=CHILD_NAME,
            dob=date(today.year - 14, 1, 1),
            worker=SELFTEST_USER,  # on the user's own caseload, which the register shows first
        )
    )
    ws.child_id = child.id
    q = registry.get_questionnaire()
    draft = store.screenings.start_draft(child.id, q)
    answers, present = scripted_answers(q)
    for item_id in present:
        answers.pop(item_id)
        store.screenings.save_answer(draft.id, item_id, "current", note="Self-test note.")
    store.screenings.save_answers(draft.id, answers)
    result = store.screenings.submit(draft.id)
    if (result.computed_outcome, result.final_outcome) != (EXPECTED_OUTCOME, EXPECTED_OUTCOME):
        raise SelftestFailed(
            f"the scripted screening scored '{result.computed_outcome}' where the rules "
            f"predict '{EXPECTED_OUTCOME}'"
        )
    due = today + timedelta(days=q.outcome(EXPECTED_OUTCOME).review_after_days)
    if result.next_due != due:
        raise SelftestFailed(f"the scripted screening is due on {result.next_due}, not {due}")
    return f"scored a scripted screening '{EXPECTED_OUTCOME}' as the rules predict"


def _cell_texts(workbook: Any) -> Iterator[str]:
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            yield from (str(cell) for cell in row if cell is not None)


def export_and_read(ws: Workspace) -> str:
    """Write the Excel export, then open it again with openpyxl and find the screened child."""
    from openpyxl import load_workbook

    from cse_screen.export import ExportOptions, export_workbook

    out = ws.root / "selftest-export.xlsx"
    summary = export_workbook(ws.store, out, ExportOptions())
    if (summary.children, summary.screenings) != (1, 1):
        raise SelftestFailed(
            f"the export counted {summary.children} children and {summary.screenings} "
            "screenings where 1 and 1 were expected"
        )
    workbook = load_workbook(out, read_only=True)
    try:
        sheets = workbook.sheetnames
        found = any(CASE_REF in text for text in _cell_texts(workbook))
    finally:
        workbook.close()
    if not found:
        raise SelftestFailed("the export opened, but the screened child is not in it")
    return f"wrote an Excel export and read it back ({len(sheets)} sheets)"


def protected_export(ws: Workspace) -> str:
    """Write a pseudonymised, password-protected export; it must open only with the password
    (decrypted in memory) and name nobody."""
    import io

    import msoffcrypto
    from openpyxl import load_workbook

    from cse_screen.export import ExportOptions, export_workbook

    out, password = ws.root / "selftest-protected.xlsx", secrets.token_urlsafe(18)
    export_workbook(ws.store, out, ExportOptions(pseudonymise=True, password=password))
    with out.open("rb") as handle:
        office = msoffcrypto.OfficeFile(handle)
        if not office.is_encrypted():
            raise SelftestFailed("the password-protected export was written unencrypted")
        office.load_key(password=password, verify_password=True)
        plain = io.BytesIO()
        office.decrypt(plain)
    workbook = load_workbook(plain, read_only=True)
    try:
        leaked = any(CHILD_NAME in text or CASE_REF in text for text in _cell_texts(workbook))
    finally:
        workbook.close()
    if leaked:
        raise SelftestFailed("the pseudonymised export still identifies the child")
    return "wrote a pseudonymised, password-protected export and opened it with the password"


def screening_document(ws: Workspace) -> str:
    """Print the scripted screening as a password-protected PDF (the fonts, the PDF library and
    its AES-256 encryption must all be in the installation)."""
    from cse_screen.documents.service import save_screening_pdf

    assert ws.child_id is not None
    latest = ws.store.screenings.history(ws.child_id)[0]
    out = ws.root / "selftest-screening.pdf"
    saved = save_screening_pdf(ws.store, latest.id, out, "Selftest-document-3141")
    data = out.read_bytes()
    if not data.startswith(b"%PDF") or b"/Encrypt" not in data or saved.size != len(data):
        raise SelftestFailed("the screening PDF was not written as an encrypted PDF")
    if CHILD_NAME.encode("utf-8") in data or CASE_REF.encode("utf-8") in data:
        raise SelftestFailed("the password-protected screening PDF names the child in the clear")
    return "wrote a screening as a password-protected PDF"


def open_main_window(ws: Workspace) -> str:
    """Show the main window offscreen, as after an unlock: the register must list the child,
    and the child's record (details, outcome chart, history) must load."""
    from cse_screen.gui.qt_plugins import missing_platform_plugin

    missing = missing_platform_plugin(os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    if missing is not None:
        raise SelftestFailed(plugin_sentence(*missing))
    from cse_screen.gui.app import Shell, make_app, make_context

    app = make_app(["cse-screen"])
    ctx = make_context(ws.db)
    errors: list[BaseException] = []
    ctx.runner.set_error_handler(errors.append)
    ctx.show_error = lambda _parent, exc: errors.append(exc)
    shell = Shell(app, ctx)
    store, ws.store = ws.store, None  # the shell closes it at shut-down, as in the app
    try:
        shell.store_ready(store)
        if shell.main is None:
            raise SelftestFailed("the main window did not open after unlocking")
        _browse_to_child(app, shell.main, ws.child_id, errors)
        title = shell.main.windowTitle()
    finally:
        if shell.main is not None:
            shell.main.close()
        shell.shutdown()
    if CHILD_NAME in title:
        raise SelftestFailed("the main window's title shows a child's name")
    return (
        "opened the main window offscreen; the register and the child's record show the screening"
    )


def _browse_to_child(
    app: Any, window: Any, child_id: int | None, errors: list[BaseException]
) -> None:
    """Find the child in the register, then open their record and wait for it to load."""
    from cse_screen.gui.register import RegisterPage

    pages = window.findChildren(RegisterPage)
    if child_id is None or not pages:
        raise SelftestFailed("the main window has no children register to show the child in")
    register = pages[0]
    if not pump_until(app, lambda: register.select_child(child_id), WINDOW_SECONDS, errors):
        raise SelftestFailed("the main window opened, but its register never listed the child")
    record = register.open_child(child_id)
    loaded = pump_until(
        app,
        lambda: record.data is not None and record.history.rowCount() == 1,
        WINDOW_SECONDS,
        errors,
    )
    if not loaded:
        raise SelftestFailed("the child's record did not show the submitted screening")


STEPS: tuple[tuple[str, Callable[[Workspace], str]], ...] = (
    ("checking the database driver", check_driver),
    ("creating an encrypted database", create_database),
    ("running a scripted screening", run_screening),
    ("writing an Excel export", export_and_read),
    ("writing a protected export", protected_export),
    ("writing a screening PDF", screening_document),
    ("opening the main window", open_main_window),
)


# --- running them -----------------------------------------------------------------------------


def pump_until(
    app: Any, condition: Callable[[], bool], seconds: float, errors: list[BaseException]
) -> bool:
    """Run Qt's event loop in small slices until ``condition`` holds or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        if errors:
            raise errors[0]
        if condition():
            return True
        time.sleep(0.01)
    return False


def _run_step(what: str, step: Callable[[Workspace], str], ws: Workspace, report_to: Path) -> str:
    """One step; any failure becomes a single sentence naming the step."""
    try:
        return step(ws)
    except SelftestFailed as exc:
        raise SelftestFailed(f"selftest failed while {what}: {exc.message}") from None
    except UserError as exc:
        raise SelftestFailed(f"selftest failed while {what}: {exc.message}") from None
    except Exception as exc:  # the unexpected: a report without personal data, then one line
        report = write_crash_report(exc, report_to)
        where = f" (report: {report})" if report else ""
        library = missing_library(exc)
        if library is not None:
            raise SelftestFailed(
                f"selftest failed while {what}: {library_sentence(library)}{where}"
            ) from None
        raise SelftestFailed(
            f"selftest failed while {what}: an unexpected {type(exc).__name__} occurred{where}"
        ) from None


@contextlib.contextmanager
def isolated_workspace() -> Iterator[Workspace]:
    """A private temporary folder with the user folders pointed into it, removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="cse-screen-selftest-"))  # owner-only permissions
    saved = {name: os.environ.get(name) for name in (*_DIR_VARIABLES, "CSE_SCREEN_KDF")}
    for name, sub in _DIR_VARIABLES.items():
        os.environ[name] = str(root / sub)
    os.environ["CSE_SCREEN_KDF"] = "test"  # cheap keyslots: this database is thrown away
    ws = Workspace(root)
    try:
        yield ws
    finally:
        ws.close_store()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(root, ignore_errors=True)
    if root.exists():
        raise SelftestFailed(f"selftest could not remove its temporary folder {root}")


def prepare_headless_qt(runtime_parent: Path) -> None:
    """Offscreen Qt, set before Qt loads. Under an empty environment (``env -i``, a service
    account) also a private runtime folder and a UTF-8 locale, which Qt otherwise warns about."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if not sys.platform.startswith("linux"):
        return
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime = Path(tempfile.mkdtemp(prefix="cse-screen-runtime-", dir=runtime_parent))
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    if not any(os.environ.get(name) for name in ("LC_ALL", "LC_CTYPE", "LANG")):
        os.environ["LC_CTYPE"] = "C.UTF-8"


def _watchdog(seconds: float, root: Callable[[], Path | None]) -> threading.Timer:
    """A check that hangs must still end, with a sentence and without leaving files behind."""

    def expire() -> None:
        folder = root()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        sys.stderr.write(f"cse-screen: error: selftest did not finish within {seconds:g} s\n")
        sys.stderr.flush()
        os._exit(1)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    return timer


def run_selftest(out: TextIO | None = None, timeout: float = TIMEOUT_SECONDS) -> int:
    """Run every step, printing one line per step that passed; SelftestFailed on the first
    that does not. Returns 0."""
    out = out or sys.stdout
    report_to = log_dir()  # the real log folder, taken before the user folders are redirected
    current: list[Path] = []
    timer = _watchdog(timeout, lambda: current[0] if current else None)
    frozen = " (bundle)" if getattr(sys, "frozen", False) else ""
    out.write(f"cse-screen {__version__}{frozen} selftest on {platform.platform(terse=True)}\n")
    try:
        with isolated_workspace() as ws:
            current.append(ws.root)
            prepare_headless_qt(ws.root)
            for what, step in STEPS:
                out.write(f"ok: {_run_step(what, step, ws, report_to)}\n")
                out.flush()
        out.write("ok: removed everything it made\nselftest passed\n")
    finally:
        timer.cancel()
    return 0


def probe_startup(db_path: Path, out: TextIO | None = None) -> int:
    """Open the app on an existing database until its unlock screen is on screen, then stop.

    ``scripts/check_bundle.py`` times this from outside, for the frozen bundle against a source
    run, so the ratio shows what freezing costs at start-up.
    """
    out = out or sys.stdout
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from cse_screen.gui.app import Shell, database_exists, make_app, make_context

    if not database_exists(db_path):
        raise UserError(f"there is no database at {db_path} to show the unlock screen for")
    app = make_app(["cse-screen"])
    shell = Shell(app, make_context(db_path))
    widget = shell.start()

    def on_screen() -> bool:
        handle = widget.windowHandle()
        return widget.isVisible() and handle is not None and handle.isExposed()

    if not pump_until(app, on_screen, WINDOW_SECONDS, []):
        raise UserError("the unlock screen did not appear within a minute")
    out.write(f"shown: {type(widget).__name__}\n")
    out.flush()
    widget.close()
    return 0
