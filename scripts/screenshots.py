"""Render the app's main screens to PNG files for the README and for review.

    python scripts/screenshots.py [OUT_DIR] [--size WxH]
        (make screenshots; default docs/screenshots at 1280x800; --size 1366x768 for a laptop)

Runs the real app offscreen on a throw-away demo database (synthetic children from
``cse-screen demo``), signs in through the unlock screen, and saves: the set-up and unlock screens,
the children register (light and dark), a child record, the wizard's "About this screening"
page, two wizard pages, the result page, the team dashboard, the export dialog, the lock
screen, and the safety screens of ``screenshots_safety`` (docs/safety.md). Everything it
creates lives in a temporary folder that is removed at the end.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSWORD = "Screenshot-kestrel-password-42"  # noqa: S105 - a throw-away demo database
SIZE = (1280, 800)
# A plausible part-finished screening: three moderate indicators current → "moderate".
ANSWERS = {
    "A1": ("none", None),
    "A2": ("current", "Missing overnight twice this month; found at a friend's flat."),
    "A3": ("previous", "Late home most evenings last spring; settled since."),
    "A4": ("none", None),
    "A5": ("none", None),
    "B1": ("none", None),
    "B2": ("unknown", None),
    "B3": ("current", "New friends several years older, met through a cousin."),
    "B4": ("none", None),
    "B5": ("none", None),
    "B6": ("previous", None),
    "B7": ("none", None),
    "D1": ("current", "Second phone seen by carers; will not say who gave it."),
}
# What the worker said about the screening itself (the wizard's first page).
CONTEXT = {"missing_episodes": 2, "trigger": "missing_episode", "sources": ["child", "carer"]}


def wait_until(predicate: Callable[[], object], timeout: float = 15.0) -> None:
    from PySide6.QtTest import QTest

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not reach the expected state in time")
        QTest.qWait(20)


def settle(ms: int = 150) -> None:
    from PySide6.QtTest import QTest

    QTest.qWait(ms)


class Shots:
    def __init__(self, out: Path) -> None:
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        self.saved: list[Path] = []

    def save(self, widget: object, name: str) -> None:
        settle()
        path = self.out / f"{name}.png"
        if not widget.grab().save(str(path)):  # type: ignore[attr-defined]
            raise OSError(f"could not write {path}")
        self.saved.append(path)
        print(f"screenshots: {path}")


def make_demo(folder: Path) -> Path:
    from cse_screen.cli import main

    db = folder / "demo.db"
    code = main(["demo", "--db", str(db), "--children", "60", "--seed", "11"])
    if code != 0:
        raise SystemExit(f"screenshots: 'cse-screen demo' failed with exit code {code}")
    return db


def shoot_setup(shots: Shots, runner: object, folder: Path) -> None:
    import platformdirs

    from cse_screen.gui.app import create_store
    from cse_screen.gui.setup import SetupWidget

    # Shown, never created: where a real first run would put the database, written from "~".
    default = Path(platformdirs.user_data_dir("cse-screen", "cse-screen")) / "cse-screen.db"
    with contextlib.suppress(ValueError):
        default = Path("~") / default.relative_to(Path.home())
    setup = SetupWidget(runner, default, create_store(folder / "never.db"))  # type: ignore[arg-type]
    f = setup.form
    f.fullNameEdit.setText("Jo Smith")
    f.userEdit.setText("jsmith")
    f.passwordEdit.setText("Orchard-kettle-58-lantern")
    f.confirmEdit.setText("Orchard-kettle-58-lantern")
    setup.setWindowTitle("cse-screen")
    setup.resize(820, 640)
    setup.show()
    shots.save(setup, "setup")
    setup.close()


def sign_in(shots: Shots, shell: object) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    unlock = shell.start()  # type: ignore[attr-defined]
    unlock.resize(820, 520)
    QTest.keyClicks(unlock.form.userEdit, "demo")
    QTest.keyClicks(unlock.form.passwordEdit, PASSWORD)
    shots.save(unlock, "unlock")
    QTest.keyClick(unlock.form.passwordEdit, Qt.Key.Key_Return)
    wait_until(lambda: shell.main is not None)  # type: ignore[attr-defined]
    shell.main.resize(*SIZE)  # type: ignore[attr-defined]


def register_rows(main: object) -> int:
    from PySide6.QtWidgets import QTableView

    table = main.root("register").findChild(QTableView)  # type: ignore[attr-defined]
    return table.model().rowCount() if table is not None and table.model() else 0


def child_with_history(ctx: object) -> int:
    """A child with at least two screenings, so the timeline and "what changed" show."""
    from cse_screen.storage.records import RegisterQuery

    def find(store: object) -> int:
        page = store.children.register(RegisterQuery(limit=500))  # type: ignore[attr-defined]
        for row in page.rows:
            if row.latest_outcome and len(store.screenings.history(row.child_id)) >= 2:  # type: ignore[attr-defined]
                return int(row.child_id)
        return int(page.rows[0].child_id)

    return ctx.read(find)  # type: ignore[attr-defined]


def prepare_draft(db: Path) -> int:
    """A part-answered draft, as if the app had closed mid-visit: the status area reports it
    after sign-in and the wizard resumes it. Returns the child's id."""
    from cse_screen.core import registry
    from cse_screen.storage.records import RegisterQuery
    from cse_screen.vault.store import Store

    with Store.open(db, "demo", PASSWORD) as store:
        rows = store.children.register(RegisterQuery(limit=500)).rows
        busy = {d.child_id for d in store.screenings.drafts()}
        child = next(r for r in rows if r.child_id not in busy and r.age >= 13)
        draft = store.screenings.start_draft(child.child_id, registry.get_questionnaire())
        for item_id, (value, note) in ANSWERS.items():
            store.screenings.save_answer(draft.id, item_id, value, note)
        store.screenings.save_context(draft.id, CONTEXT, trigger=str(CONTEXT["trigger"]))
        return int(child.child_id)


def shoot_pages(shots: Shots, shell: object, draft_child: int) -> None:
    from cse_screen.gui.child_record import ChildRecordPage
    from cse_screen.gui.wizard.page import open_screening

    main, ctx = shell.main, shell.ctx  # type: ignore[attr-defined]
    wait_until(lambda: register_rows(main) > 0 and main.statusBar().currentMessage())
    shots.save(main, "register")
    child_id = child_with_history(ctx)
    main.open_page(ChildRecordPage(ctx, child_id))
    settle(600)
    shots.save(main, "child-record")
    main.show_home()
    wizard = open_screening(ctx, draft_child)
    if wizard is None:
        raise SystemExit("screenshots: the screening wizard could not be opened")
    wizard.show_context()  # "About this screening": the definition's context fields
    settle(300)
    shots.save(main, "wizard-context")
    wizard.show_section("missing")  # answered, with evidence notes
    settle(300)
    shots.save(main, "wizard-1")
    wizard.show_section("online")  # where the worker is up to
    shots.save(main, "wizard-2")
    wizard.show_result()
    settle(300)
    shots.save(main, "result")
    main.show_home()


def shoot_dashboard(shots: Shots, shell: object) -> None:
    """The team dashboard as the administrator sees it (every team), once its figures load."""
    main = shell.main  # type: ignore[attr-defined]
    main.show_root("dashboard")
    page = main.root("dashboard")
    if page is None:
        raise SystemExit("screenshots: the dashboard is not offered to the demo user")
    wait_until(lambda: page.data is not None)
    settle(300)
    shots.save(main, "dashboard")
    main.show_home()


def shoot_export(shots: Shots, shell: object) -> None:
    """The export dialog filled in: from a date, pseudonymised, encrypted, a file chosen."""
    from datetime import date

    main = shell.main  # type: ignore[attr-defined]
    dialog = main.open_operation("export")
    if dialog is None:
        raise SystemExit("screenshots: the export dialog could not be opened")
    f = dialog.form
    f.fromCheck.setChecked(True)
    f.encryptCheck.setChecked(True)
    f.passwordEdit.setText(PASSWORD)
    f.confirmEdit.setText(PASSWORD)
    # Shown, never written: where a user's save dialog would typically put it.
    dialog.set_destination(Path("~") / "Documents" / f"cse-screen-export-{date.today()}.xlsx")
    shots.save(dialog, "export")
    dialog.reject()


def shoot_dark_and_lock(shots: Shots, shell: object) -> None:
    main = shell.main  # type: ignore[attr-defined]
    shell.theme.set_choice("dark")  # type: ignore[attr-defined]
    shots.save(main, "register-dark")
    shell.theme.set_choice("light")  # type: ignore[attr-defined]
    shell.lock.lock()  # type: ignore[attr-defined]
    shell.lock.screen.resize(*SIZE)  # type: ignore[attr-defined]
    shots.save(shell.lock.screen, "locked")  # type: ignore[attr-defined]


def run(out: Path) -> list[Path]:
    import screenshots_safety as safety

    with tempfile.TemporaryDirectory(prefix="cse-shots-") as tmp:
        folder = Path(tmp)
        for var in ("DATA", "CONFIG", "LOG"):
            os.environ[f"CSE_SCREEN_{var}_DIR"] = str(folder / var.lower())
        os.environ["CSE_SCREEN_PASSWORD"] = PASSWORD
        db = make_demo(folder)
        draft_child = prepare_draft(db)
        states = safety.prepare(db, PASSWORD)
        from cse_screen.gui.app import Shell, make_app, make_context

        app = make_app()
        ctx = make_context(db)
        ctx.settings.register_filter = "team"
        shell = Shell(app, ctx)
        shots = Shots(out)
        try:
            shoot_setup(shots, ctx.runner, folder)
            sign_in(shots, shell)
            shoot_pages(shots, shell, draft_child)
            shoot_dashboard(shots, shell)
            shoot_export(shots, shell)
            safety.shoot_results(shots, shell, states, draft_child)
            safety.shoot_review(shots, shell, wait_until)
            safety.shoot_forms(shots, shell, folder, wait_until)
            shoot_dark_and_lock(shots, shell)
        finally:
            shell.shutdown()
        return shots.saved


def main(argv: list[str]) -> int:
    global SIZE
    args = list(argv)
    if "--size" in args:
        at = args.index("--size")
        width, _, height = args[at + 1].partition("x")
        SIZE = (int(width), int(height))
        del args[at : at + 2]
    out = Path(args[0]) if args else Path("docs/screenshots")
    saved = run(out)
    print(f"screenshots: {len(saved)} PNGs in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
