"""Shared GUI fixtures: real temporary encrypted databases with demo data, and an AppContext.

The demo database is made once per session through the documented command line
(``cse-screen demo``, user "demo", password from CSE_SCREEN_PASSWORD) with cheap KDF settings,
then each test gets its own copy, so tests may change data freely.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

DEMO_USER = "demo"
DEMO_PASSWORD = "Kestrel-lantern-47-orchard"
DEMO_CHILDREN = 40
DEMO_SEED = 7


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at test cost: a GUI test must not spend half a second per unlock."""
    monkeypatch.setenv("CSE_SCREEN_KDF", "test")


def _database_files(db: Path) -> list[Path]:
    """The database and everything that belongs to it (keyslots, WAL)."""
    names = [db.name, db.name + ".keys", db.name + "-wal", db.name + "-shm"]
    return [db.with_name(n) for n in names if db.with_name(n).exists()]


def copy_database(src: Path, dest_dir: Path) -> Path:
    dest_dir.mkdir(parents=True, exist_ok=True)
    for f in _database_files(src):
        shutil.copy2(f, dest_dir / f.name)
    return dest_dir / src.name


# Children every demo database holds in addition to the generated ones, with a draft screening
# for the first: tests look for these names where they must never appear (titles, logs).
KNOWN_CHILDREN = (
    ("TST0001", "Philippa Quenby", "2012-03-14"),
    ("TST0002", "Oluwaseun Marchetti", "2009-11-02"),
    ("TST0003", "Zbigniew Haverford", "2014-07-29"),
)


def _has_demo_command() -> bool:
    from cse_screen.cli import build_parser

    actions = [a for a in build_parser()._actions if a.dest == "command"]
    return bool(actions) and "demo" in (actions[0].choices or {})


def _add_known_children(db: Path) -> None:
    from datetime import date

    from cse_screen.core import registry
    from cse_screen.storage.records import ChildInput
    from cse_screen.vault.store import Store

    with Store.open(db, DEMO_USER, DEMO_PASSWORD) as store:
        team = store.user.team
        children = [
            ChildInput(ref, name, date.fromisoformat(dob), worker=DEMO_USER, team=team)
            for ref, name, dob in KNOWN_CHILDREN
        ]
        store.children.add_many(children, source="test")
        first = store.children.by_ref(KNOWN_CHILDREN[0][0])
        draft = store.screenings.start_draft(first.id, registry.get_questionnaire())
        store.screenings.save_answer(draft.id, "A1", "none")


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database made once per session; never open it directly (use ``demo_db``).

    Made by ``cse-screen demo`` when that command exists, else a store with just the known
    children. Either way KNOWN_CHILDREN are in it, TST0001 with a draft screening.
    """
    from cse_screen.cli import main

    folder = tmp_path_factory.mktemp("demo-template")
    db = folder / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CSE_SCREEN_KDF", "test")
        mp.setenv("CSE_SCREEN_PASSWORD", DEMO_PASSWORD)
        for var, sub in (("DATA", "data"), ("CONFIG", "config"), ("LOG", "logs")):
            mp.setenv(f"CSE_SCREEN_{var}_DIR", str(folder / sub))
        if _has_demo_command():
            args = ["demo", "--db", str(db), "--children", str(DEMO_CHILDREN)]
            code = main([*args, "--seed", str(DEMO_SEED)])
            assert code == 0, "cse-screen demo failed"
        else:
            from cse_screen.vault.store import Store

            Store.create(db, DEMO_USER, DEMO_PASSWORD, full_name="Demo Worker").close()
        _add_known_children(db)
    return db


@pytest.fixture
def demo_db(demo_db_template: Path, tmp_path: Path) -> Path:
    """This test's own copy of the demo database (user DEMO_USER, password DEMO_PASSWORD)."""
    return copy_database(demo_db_template, tmp_path / "db")


@pytest.fixture
def store(demo_db: Path) -> Iterator[object]:
    """The demo database opened as the demo user; closed after the test."""
    from cse_screen.vault.store import Store

    opened = Store.open(demo_db, DEMO_USER, DEMO_PASSWORD)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def runner(qtbot) -> Iterator[object]:
    """The background runner; waits for stragglers so no thread outlives the test."""
    from cse_screen.gui.worker import Runner

    made = Runner()
    yield made
    made.wait(10000)


@pytest.fixture
def gui_settings() -> object:
    from cse_screen.gui.settings import Settings

    return Settings(idle_lock_minutes=5, register_filter="team", theme="light")


@pytest.fixture
def app_context(store, runner, gui_settings, demo_db: Path) -> object:
    """An AppContext on the unlocked demo store, as every screen is built with."""
    from cse_screen.gui.context import AppContext
    from cse_screen.gui.errors import show_error

    ctx = AppContext(
        db_path=demo_db, settings=gui_settings, runner=runner, show_error=show_error, store=store
    )
    runner.set_error_handler(lambda exc: show_error(None, exc))
    return ctx


@pytest.fixture
def shell(qtbot, app_context) -> Iterator[object]:
    """The whole app signed in as the demo user: ``shell.main`` is the main window."""
    from PySide6.QtWidgets import QApplication

    from cse_screen.gui.app import Shell

    made = Shell(QApplication.instance(), app_context)
    made.store_ready(app_context.store)
    qtbot.addWidget(made.main)
    qtbot.waitExposed(made.main)
    yield made
    if made.lock is not None:
        made.lock.shutdown()
    app_context.runner.wait(10000)


@pytest.fixture
def demo() -> object:
    """The demo database's credentials and the children tests look for by name."""
    from types import SimpleNamespace

    return SimpleNamespace(user=DEMO_USER, password=DEMO_PASSWORD, known_children=KNOWN_CHILDREN)
