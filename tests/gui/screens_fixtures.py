"""Known data for the screens' tests: a real encrypted database with five children.

Made through the storage services (as the app makes it), once per session, then copied per
test. Dates are relative to today so "overdue" and "due soon" stay true whenever tests run.

    LAC0001 Amy Able     sam  North  screened twice: moderate indicator (low), then a
                                     significant one (significant); due in 18 days
    LAC0002 Ben Brook    sam  North  screened 200 days ago, nothing present: overdue
    LAC0003 Cara Cole    sam  North  screened 176 days ago, nothing present: due in 4 days
    LAC0004 Dan Dale     kim  North  never screened
    LAC0005 Eve East     pat  South  never screened
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

PASSWORD = "Kestrel-lantern-47-orchard"
TODAY = date.today()


@dataclass(frozen=True)
class Known:
    db: Path
    ids: dict[str, int]  # case ref -> child id
    significant_item: str
    moderate_item: str


def absent_value(q, item) -> str:
    """An answer that counts as not present and not unknown (none / no)."""
    kind = q.answer_types[item.answer]
    return next(v for v in item.values if v not in kind.present and v not in kind.unknown)


def all_absent(q) -> dict[str, str]:
    return {item.id: absent_value(q, item) for item in q.items}


def first_of_tier(q, tier: str) -> str:
    return next(i.id for i in q.items if i.tier == tier and "current" in i.values)


def submit_screening(store, child_id: int, q, day: date, present: Mapping[str, str]) -> int:
    record = store.screenings.start_draft(child_id, q, screen_date=day)
    answers = {**all_absent(q), **present}
    store.screenings.save_answers(record.id, answers)
    for item_id in present:
        store.screenings.save_answer(record.id, item_id, present[item_id], "Seen by the carer")
    store.screenings.submit(record.id)
    return record.id


def build_known(folder: Path) -> Known:
    from cse_screen.core import registry
    from cse_screen.storage.records import ChildInput
    from cse_screen.vault.store import Store

    db = folder / "screens.db"
    store = Store.create(db, "admin", PASSWORD, team="North")
    try:
        store.users.add("sam", PASSWORD, "worker", team="North")
        store.users.add("lee", PASSWORD, "lead", team="North")
        ids: dict[str, int] = {}
        for ref, name, worker, team in (
            ("LAC0001", "Amy Able", "sam", "North"),
            ("LAC0002", "Ben Brook", "sam", "North"),
            ("LAC0003", "Cara Cole", "sam", "North"),
            ("LAC0004", "Dan Dale", "kim", "North"),
            ("LAC0005", "Eve East", "pat", "South"),
        ):
            child = store.children.add(
                ChildInput(ref, name, date(TODAY.year - 15, 3, 1), worker=worker, team=team)
            )
            ids[ref] = child.id
        q = registry.get_questionnaire()
        significant, moderate = first_of_tier(q, "significant"), first_of_tier(q, "moderate")
        submit_screening(
            store, ids["LAC0001"], q, TODAY - timedelta(days=100), {moderate: "current"}
        )
        submit_screening(
            store, ids["LAC0001"], q, TODAY - timedelta(days=10), {significant: "current"}
        )
        submit_screening(store, ids["LAC0002"], q, TODAY - timedelta(days=200), {})
        submit_screening(store, ids["LAC0003"], q, TODAY - timedelta(days=176), {})
    finally:
        store.close()
    return Known(db, ids, significant, moderate)


@pytest.fixture(scope="session")
def known_template(tmp_path_factory: pytest.TempPathFactory) -> Known:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CSE_SCREEN_KDF", "test")
        return build_known(tmp_path_factory.mktemp("screens-known"))


@pytest.fixture
def known(known_template: Known, tmp_path: Path) -> Known:
    """This test's own copy of the known database."""
    dest = tmp_path / "known"
    dest.mkdir()
    src = known_template.db
    for name in (src.name, src.name + ".keys", src.name + "-wal", src.name + "-shm"):
        if (src.parent / name).exists():
            shutil.copy2(src.parent / name, dest / name)
    return Known(
        dest / src.name,
        known_template.ids,
        known_template.significant_item,
        known_template.moderate_item,
    )


def open_store(known: Known, user: str = "admin"):
    from cse_screen.vault.store import Store

    return Store.open(known.db, user, PASSWORD)


def make_context(store, runner, db: Path, register_filter: str = "team"):
    from cse_screen.gui.context import AppContext
    from cse_screen.gui.errors import show_error
    from cse_screen.gui.settings import Settings

    settings = Settings(idle_lock_minutes=5, register_filter=register_filter, theme="light")
    errors: list[BaseException] = []

    def funnel(_parent, exc):
        errors.append(exc)
        return show_error(None, exc)

    ctx = AppContext(db_path=db, settings=settings, runner=runner, show_error=funnel, store=store)
    ctx.errors = errors  # the tests assert nothing unexpected reached the funnel
    runner.set_error_handler(lambda exc: funnel(None, exc))
    return ctx


@pytest.fixture
def admin_ctx(known: Known, runner) -> Iterator[object]:
    store = open_store(known, "admin")
    try:
        yield make_context(store, runner, known.db, register_filter="team")
    finally:
        runner.wait(10000)
        store.close()


def shown_window(qtbot, ctx):
    """The signed-in main window for ``ctx``, shown and owned by the test."""
    from cse_screen.gui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """An empty folder for what a test writes (its database lives elsewhere in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def install_variant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, note: str, edit: Callable[[str], str]
) -> Path:
    """The shipped instrument plus a draft 1.0.1 made from it by ``edit``, as the folder the
    registry reads; returns that folder."""
    from cse_screen.core import registry

    shipped = registry.default_folder()
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    text = (shipped / "lac-cse-screen.yaml").read_text(encoding="utf-8")
    (folder / "lac-cse-screen.yaml").write_text(text, encoding="utf-8")
    variant = text.replace('version: "1.0.0"', 'version: "1.0.1"', 1).replace(
        "status: active", "status: draft", 1
    )
    variant = variant.replace(
        "  changelog:\n",
        f'  changelog:\n    - version: "1.0.1"\n      date: "2026-11-29"\n      note: "{note}"\n',
        1,
    )
    (folder / "lac-cse-screen-1.0.1.yaml").write_text(edit(variant), encoding="utf-8")
    monkeypatch.setattr(registry, "default_folder", lambda: folder)
    return folder
